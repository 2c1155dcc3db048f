package normalize

import (
	"encoding/json"
	"fmt"
	"slices"

	"govreport"
)

// indicatorsFile, in a folder of templates, maps the rows of legacy
// statistics tables onto canonical indicators.
const indicatorsFile = "legacy.json"

// readIndicators reads a legacy.json and fills each indicator's RowKeys.
func readIndicators(data []byte) ([]govreport.Indicator, error) {
	var f struct {
		Indicators []govreport.Indicator `json:"indicators"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	owner := map[string]string{} // row key → indicator
	keys := map[string]bool{}
	for i := range f.Indicators {
		in := &f.Indicators[i]
		if in.Key == "" || keys[in.Key] || len(in.Labels) == 0 {
			return nil, fmt.Errorf("indicator %q without labels or twice", in.Key)
		}
		keys[in.Key] = true
		for _, l := range in.Labels {
			// a label printed as a sub-item (其中：同意公开答复数) reads as 其中…
			for _, k := range []string{legacyKey(l), legacyKey("其中" + l)} {
				if o, ok := owner[k]; ok && o != in.Key {
					return nil, fmt.Errorf("label %s of %s is read as %s, a label of %s", l, in.Key, k, o)
				}
				owner[k] = in.Key
				if !slices.Contains(in.RowKeys, k) {
					in.RowKeys = append(in.RowKeys, k)
				}
			}
		}
	}
	return f.Indicators, nil
}

// Indicators returns the canonical indicators of the legacy statistics
// tables (legacy.json), each with the row keys its labels are read as.
func (s *TemplateSet) Indicators() []govreport.Indicator { return s.indicators }

// LegacyIndicators returns the indicators of the templates built into the
// binary.
func LegacyIndicators() []govreport.Indicator { return defaultSet.indicators }
