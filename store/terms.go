package store

import (
	"errors"
	"slices"
	"sort"
	"strings"

	"govreport"
)

// The checks across documents (Analyze) compare table 三 (applications and
// their outcomes) and table 二 (rules issued, repealed, in force). The rows
// and columns they compare are found in the templates handed to Open, by
// the words their canonical labels print: a layout with keys of its own
// needs no code here.
const (
	tableApplications = "t3"
	tableRules        = "t2"

	wordCarriedOver    = "上年结转"  // 二、上年结转政府信息公开申请数量
	wordCarriedForward = "结转下年度" // 四、结转下年度继续办理
	wordTotal          = "总计"    // table 三's total column
	wordIssued         = "制发"    // table 二: 本年制发件数
	wordRepealed       = "废止"    // 本年废止件数
	wordInForce        = "现行有效"  // 现行有效件数
)

// terms are the keys Analyze works with.
type terms struct {
	t3Cols         []string   // table 三's columns, in printed order
	total          string     // its total column
	carriedOver    []string   // rows of table 三 printing 上年结转
	carriedForward []string   // … 结转下年度
	stated         [][]string // per statement, the rows its words name
	rolling        []string   // rows of table 二 with the issued, repealed and in-force columns
	issued         string
	repealed       string
	inForce        string
}

// terms finds the keys in the store's templates.
func (s *Store) terms() (*terms, error) {
	ts := slices.Clone(s.opt.Templates)
	if len(ts) == 0 {
		return nil, errors.New("the checks across documents need the layouts' templates (store.Options.Templates)")
	}
	sort.SliceStable(ts, func(i, j int) bool { return ts[i].Layout > ts[j].Layout }) // as the views: newest first
	_, cols := tableColumns(ts)
	tm := &terms{
		t3Cols:         cols[tableApplications],
		total:          columnPrinting(ts, tableApplications, wordTotal),
		carriedOver:    rowsPrinting(ts, tableApplications, wordCarriedOver),
		carriedForward: rowsPrinting(ts, tableApplications, wordCarriedForward),
		issued:         columnPrinting(ts, tableRules, wordIssued),
		repealed:       columnPrinting(ts, tableRules, wordRepealed),
		inForce:        columnPrinting(ts, tableRules, wordInForce),
	}
	for _, st := range statements {
		tm.stated = append(tm.stated, rowsPrinting(ts, tableApplications, st.words...))
	}
	if tm.issued != "" && tm.repealed != "" && tm.inForce != "" {
		for _, t := range ts {
			for _, tb := range t.Tables {
				if tb.Key != tableRules {
					continue
				}
				for _, r := range tb.Rows {
					if slices.Contains(r.Columns, tm.issued) && slices.Contains(r.Columns, tm.repealed) && slices.Contains(r.Columns, tm.inForce) && !slices.Contains(tm.rolling, r.Key) {
						tm.rolling = append(tm.rolling, r.Key)
					}
				}
			}
		}
	}
	return tm, nil
}

// t3Rows are the rows of table 三 Analyze reads.
func (tm *terms) t3Rows() []string {
	out := slices.Concat(tm.carriedOver, tm.carriedForward)
	for _, rs := range tm.stated {
		out = append(out, rs...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// rowsPrinting returns the keys of the rows of table tbl whose canonical
// label or group prints one of words, each once, in template order.
func rowsPrinting(ts []*govreport.Template, tbl string, words ...string) []string {
	var out []string
	for _, t := range ts {
		for _, tb := range t.Tables {
			if tb.Key != tbl {
				continue
			}
			for _, r := range tb.Rows {
				label := ""
				if len(r.Labels) > 0 {
					label = r.Labels[0]
				}
				for _, w := range words {
					if (strings.Contains(label, w) || strings.Contains(r.Group, w)) && !slices.Contains(out, r.Key) {
						out = append(out, r.Key)
					}
				}
			}
		}
	}
	return out
}

// columnPrinting returns the key of the first column of table tbl whose
// canonical label prints word, or "".
func columnPrinting(ts []*govreport.Template, tbl, word string) string {
	for _, t := range ts {
		for _, tb := range t.Tables {
			if tb.Key != tbl {
				continue
			}
			for _, c := range tb.Columns {
				if len(c.Labels) > 0 && strings.Contains(c.Labels[0], word) {
					return c.Key
				}
			}
		}
	}
	return ""
}
