package normalize

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"govreport"
)

// legacyFile, in a folder of templates, describes the statistics tables
// of legacy (2008–2018) reports: how they are printed ("table") and the
// canonical indicators their rows map onto ("indicators").
const legacyFile = "legacy.json"

// legacyTableKey is the key of the table the rows of a legacy statistics
// table are stored in; no layout's table may take it.
const legacyTableKey = "legacy"

// LegacyTable is how a legacy statistics table (政府信息公开情况统计表) is
// printed: the words the reader finds it by, in legacy.json's "table".
type LegacyTable struct {
	Title string `json:"title"`
	// LabelHeader are the words over the label column (指标名称); with
	// UnitHeader, the words of a header line.
	LabelHeader []string `json:"label_header"`
	// UnitHeader is the word over the unit column (计量单位); the value
	// columns follow it.
	UnitHeader string `json:"unit_header"`
	// UnitCell is the word a header cell over the unit column holds (单位,
	// printed alone or as 计量单位): the cells after it name the columns.
	UnitCell string `json:"unit_cell"`
	// Columns are the names of value columns (本年度, 历年累计) and
	// YearColumn the words after a year that name one (2015年度).
	Columns    []string `json:"columns"`
	YearColumn []string `json:"year_column"`
	// ThisYear and Cumulative are the words that tell a this-year column
	// (本年) and a cumulative one (累计); a column named by a year is a
	// this-year column unless it is cumulative. PreviousYear tells the
	// year before's column (上年度), which is neither: the database's
	// legacy view does not take it for the report year's value.
	ThisYear     []string `json:"this_year"`
	Cumulative   []string `json:"cumulative"`
	PreviousYear []string `json:"previous_year"`
	// SubItem opens a row counted in the row above it (其中).
	SubItem string `json:"sub_item"`
	// Annex ends the heading of an attachment that holds the table
	// (附件1：…统计表).
	Annex string `json:"annex"`
}

// legacyLayout is a LegacyTable ready to read with.
type legacyLayout struct {
	LegacyTable
	tb       *tableT
	ix       *labelIndex
	headerRE *regexp.Regexp // a header in text that lost its cells
	colRE    *regexp.Regexp // one value column's name
	annexRE  *regexp.Regexp // an attachment heading inside a line
}

// readLegacy reads a legacy.json: the table's words, checked, and the
// indicators with each one's RowKeys filled.
func readLegacy(data []byte) (*legacyLayout, []govreport.Indicator, error) {
	var f struct {
		Table      *LegacyTable          `json:"table"`
		Indicators []govreport.Indicator `json:"indicators"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, nil, err
	}
	if f.Table == nil {
		return nil, nil, fmt.Errorf("no table")
	}
	lay, err := newLegacyLayout(*f.Table)
	if err != nil {
		return nil, nil, fmt.Errorf("table: %w", err)
	}
	owner := map[string]string{} // row key → indicator
	keys := map[string]bool{}
	for i := range f.Indicators {
		in := &f.Indicators[i]
		if in.Key == "" || keys[in.Key] || len(in.Labels) == 0 {
			return nil, nil, fmt.Errorf("indicator %q without labels or twice", in.Key)
		}
		keys[in.Key] = true
		for _, l := range in.Labels {
			// a label printed as a sub-item (其中：同意公开答复数) reads as 其中…
			for _, k := range []string{legacyKey(l), legacyKey(lay.SubItem + l)} {
				if o, ok := owner[k]; ok && o != in.Key {
					return nil, nil, fmt.Errorf("label %s of %s is read as %s, a label of %s", l, in.Key, k, o)
				}
				owner[k] = in.Key
				if !slices.Contains(in.RowKeys, k) {
					in.RowKeys = append(in.RowKeys, k)
				}
			}
		}
	}
	return lay, f.Indicators, nil
}

// newLegacyLayout checks a LegacyTable and compiles what reads it.
func newLegacyLayout(t LegacyTable) (*legacyLayout, error) {
	words := [][]string{{t.Title}, t.LabelHeader, {t.UnitHeader}, {t.UnitCell}, t.Columns, t.YearColumn, t.ThisYear, t.Cumulative, t.PreviousYear, {t.SubItem}, {t.Annex}}
	for _, ws := range words {
		if len(ws) == 0 || slices.Contains(ws, "") {
			return nil, fmt.Errorf("title, label_header, unit_header, unit_cell, columns, year_column, this_year, cumulative, previous_year, sub_item and annex are required, without empty words")
		}
	}
	if !strings.Contains(t.UnitHeader, t.UnitCell) {
		return nil, fmt.Errorf("unit_header %s does not hold unit_cell %s", t.UnitHeader, t.UnitCell)
	}
	tb := &tableT{Key: legacyTableKey, Title: t.Title}
	col := `(?:19|20)\d{2}\s*(?:` + alternatives(t.YearColumn) + `)|` + alternatives(t.Columns)
	return &legacyLayout{
		LegacyTable: t, tb: tb, ix: buildIndex(tb),
		headerRE: regexp.MustCompile(`(` + alternatives(t.LabelHeader) + `)?\s*(` + regexp.QuoteMeta(t.UnitHeader) + `)\s*((?:(?:` + col + `)\s*)+)`),
		colRE:    regexp.MustCompile(col),
		annexRE:  regexp.MustCompile(`附件\s*\d*\s*[:：][^。]{0,36}?` + regexp.QuoteMeta(t.Annex)),
	}, nil
}

// alternatives is a regexp's alternatives matching any of words, the
// longest first where several match at one place.
func alternatives(words []string) string {
	ws := slices.Clone(words)
	sort.SliceStable(ws, func(i, j int) bool { return len(ws[i]) > len(ws[j]) })
	for i, w := range ws {
		ws[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(ws, "|")
}

// Legacy returns how the set's legacy statistics tables are printed
// (legacy.json's "table").
func (s *TemplateSet) Legacy() LegacyTable { return s.legacy.LegacyTable }

// Indicators returns the canonical indicators of the legacy statistics
// tables (legacy.json), each with the row keys its labels are read as.
func (s *TemplateSet) Indicators() []govreport.Indicator { return s.indicators }

// LegacyIndicators returns the indicators of the templates built into the
// binary.
func LegacyIndicators() []govreport.Indicator { return defaultSet.indicators }
