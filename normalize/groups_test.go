package normalize

import (
	"strings"
	"testing"

	"govreport"
)

// rawT2 prints table 二 as pdftotext without -layout prints the 2024
// Hongze report (numbers read off the PDF by hand): 行政许可's number after
// its group's header words, 行政事业性收费's before its label. extra adds
// a second number to the 行政许可 group.
func rawT2(extra bool) string {
	lic := "9487\n"
	if extra {
		lic += "12\n"
	}
	return strings.Join([]string{
		"二、主动公开政府信息情况",
		"第二十条第（一）项", "信息内容", "本年制发件数", "本年废止件数", "现行有效件数",
		"规章", "0", "0", "0", "行政规范性文件", "3", "0", "8",
		"第二十条第（五）项", "信息内容", "行政许可", "本年处理决定数量", lic +
			"第二十条第（六）项", "信息内容", "本年处理决定数量", "行政处罚", "2776", "行政强制", "84",
		"第二十条第（八）项", "信息内容", "本年收费金额（单位：万元）", "7545", "行政事业性收费",
		"三、收到和处理政府信息公开申请情况", "",
	}, "\n")
}

// A group of one row whose lines print its label and one number has one
// reading: the number is the row's, by position and flagged (table 二 has
// no identity to confirm it).
func TestGroupOfOneRowReadByCount(t *testing.T) {
	d := parseText(t, rawT2(false))
	for _, w := range []struct {
		row, col string
		v        float64
	}{{"licensing", "decisions", 9487}, {"fees", "fee_amount", 7545}} {
		c, ok := cellsOf(d, "t2", w.row)[w.col]
		if !ok || c.Value == nil || *c.Value != w.v {
			t.Errorf("t2.%s.%s = %v, want %v", w.row, w.col, c.Value, w.v)
			continue
		}
		if !c.HasFlag(govreport.FlagByPosition) || !c.HasFlag(govreport.FlagUncertain) {
			t.Errorf("t2.%s.%s flags %v, want by_position and uncertain", w.row, w.col, c.Flags)
		}
	}
}

// Two numbers in a group of one row of one column: no reading by count,
// and nothing stored without a flag.
func TestGroupCountMustFit(t *testing.T) {
	d := parseText(t, rawT2(true))
	if c, ok := cellsOf(d, "t2", "licensing")["decisions"]; ok && c.Value != nil && len(c.Flags) == 0 {
		t.Errorf("t2.licensing.decisions = %v stored without a flag", *c.Value)
	}
}
