package normalize

import (
	"testing"

	"govreport"
)

// legacyCells maps a legacy table's printed row labels to their cells.
func legacyCells(d *govreport.Document) map[string][]govreport.Cell {
	m := map[string][]govreport.Cell{}
	for _, c := range d.Cells {
		if c.Table == "legacy" {
			m[c.RowLabel] = append(m[c.RowLabel], c)
		}
	}
	return m
}

// A legacy table glued cell to cell whose sub-rows do not add up to their
// parent under any split: the sum decides nothing, the columns and the
// text still do. 12003400 is 1|2003400 or 1200|3400 (no part opens with a
// zero, 历年累计 is not below this year's), and the text states 1200条; 05
// is only 0|5; 11003300 stays 1|1003300 or 1100|3300.
func TestLegacyBrokenSubRowSum(t *testing.T) {
	text := "某县人民政府2013年政府信息公开工作年度报告\n一、概述\n2013年，本县主动公开政府信息1200条。\n" +
		"二、主动公开政府信息情况\n正文。\n三、依申请公开政府信息情况\n正文。\n四、存在的主要问题及改进情况\n正文。\n" +
		"附件：政府信息公开情况统计表\n指标名称\t计量单位\t2013年度\t历年累计\n" +
		"主动公开信息数\t条\t12003400\n其中：1.网站公开\t条\t11003300\n2.政府公报公开\t条\t05\n"
	d := parseText(t, text)
	rows := legacyCells(d)
	want := map[string][]float64{"主动公开信息数": {1200, 3400}, "2.政府公报公开": {0, 5}}
	for label, vals := range want {
		cs := rows[label]
		if len(cs) != 2 {
			t.Fatalf("%s: %d cells, want 2", label, len(cs))
		}
		for i, c := range cs {
			if c.Value == nil || *c.Value != vals[i] || !c.HasFlag(govreport.FlagInferred) || !c.HasFlag(govreport.FlagUncertain) {
				t.Errorf("%s %s = %v flags %v, want %v inferred, uncertain", label, c.Col, c.Value, c.Flags, vals[i])
			}
		}
	}
	if len(rows["其中:1.网站公开"]) != 2 {
		t.Fatalf("网站公开: %d cells, want 2", len(rows["其中:1.网站公开"]))
	}
	for _, c := range rows["其中:1.网站公开"] {
		if c.Value != nil || !c.HasFlag(govreport.FlagAmbiguous) {
			t.Errorf("网站公开 %s = %v flags %v, want NULL ambiguous_split", c.Col, c.Value, c.Flags)
		}
	}
}
