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

// Table 四 printed as one run of 26 digits (4,457,400 splits over its 15
// cells without a leading zero): three splits satisfy its three row
// totals, reading 行政复议 and 复议后起诉 alike and 未经复议直接起诉 three
// ways (3|1|1|12|17, 3|1|11|2|17, 3|11|1|2|17). The rows read alike are
// stored inferred, the other ambiguous.
func TestGluedT4RunRowsReadAlike(t *testing.T) {
	text := "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n" +
		"四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n" +
		"15201304220731112172130529\n五、存在的主要问题及改进情况\n无。\n"
	d := parseText(t, text)
	want := map[string][]float64{"review": {15, 20, 130, 42, 207}, "litigation_after_review": {21, 3, 0, 5, 29}}
	cols := []string{"upheld", "corrected", "other", "pending", "total"}
	for row, vals := range want {
		got := cellsOf(d, "t4", row)
		for i, c := range cols {
			x := got[c]
			if x.Value == nil || *x.Value != vals[i] || !x.HasFlag(govreport.FlagInferred) {
				t.Errorf("t4.%s.%s = %v flags %v, want %v inferred", row, c, x.Value, x.Flags, vals[i])
			}
		}
	}
	got := cellsOf(d, "t4", "litigation_direct")
	if len(got) != 5 {
		t.Fatalf("t4.litigation_direct: %d cells, want 5", len(got))
	}
	for c, x := range got {
		if x.Value != nil || !x.HasFlag(govreport.FlagAmbiguous) {
			t.Errorf("t4.litigation_direct.%s = %v flags %v, want NULL ambiguous_split", c, x.Value, x.Flags)
		}
	}
}
