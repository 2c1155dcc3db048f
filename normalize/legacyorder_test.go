package normalize

import (
	"strings"
	"testing"

	"govreport"
)

// legacyRawText is a legacy report whose statistics table is printed in
// content-stream order (pdftotext raw): the header a word a line, rows
// whose label wrapped come as their unit and numbers alone, a row whose
// label fits one line with it, and the wrapped labels after the numbers.
func legacyRawText(numbers, labels string) string {
	return "某县人民政府2016年政府信息公开工作年度报告\n一、概述\n正文。\n二、主动公开政府信息情况\n正文。\n" +
		"三、依申请公开政府信息情况\n正文。\n四、存在的主要问题及改进情况\n正文。\n附件：政府信息公开情况统计表\n" +
		"指标名称\n计量单位\n2016年度\n历年累计\n" + numbers + "\n" + labels + "\n"
}

const legacyRawNumbers = "条\n30\n90\n条\n20\n60\n条\n10\n30\n件\n1\n2\n行政诉讼数\n件\n0\n0"

// The one cut of the label lines into legacy labels, as many as the rows
// printed without one, pairs them in row order: by_position, and
// uncertain only where no sub-item sum holds (行政复议数 is in none).
func TestLegacyLabelsAfterNumbers(t *testing.T) {
	labels := "主动公开政府信息数\n其中：1、政府网站公\n开政府信息数\n2、政府公报公\n开政府信息数\n行政复议\n数"
	d := parseText(t, legacyRawText(legacyRawNumbers, labels))
	cells := legacyCells(d)
	want := []struct {
		label, unit string
		vals        [2]float64
		uncertain   bool
	}{
		{"主动公开政府信息数", "条", [2]float64{30, 90}, false},
		{"其中:1、政府网站公开政府信息数", "条", [2]float64{20, 60}, false},
		{"2、政府公报公开政府信息数", "条", [2]float64{10, 30}, false},
		{"行政复议数", "件", [2]float64{1, 2}, true},
	}
	for _, w := range want {
		cs := cells[w.label]
		if len(cs) != 2 {
			t.Errorf("%s: %d cells, want 2 (rows %v)", w.label, len(cs), keysOf(cells))
			continue
		}
		for i, c := range cs {
			if c.Value == nil || *c.Value != w.vals[i] || c.Unit != w.unit {
				t.Errorf("%s %s: %v %s, want %v %s", w.label, c.Col, c.Value, c.Unit, w.vals[i], w.unit)
			}
			if !c.HasFlag(govreport.FlagByPosition) || c.HasFlag(govreport.FlagUncertain) != w.uncertain {
				t.Errorf("%s %s: flags %v, want by_position, uncertain %v", w.label, c.Col, c.Flags, w.uncertain)
			}
		}
	}
	if cs := cells["行政诉讼数"]; len(cs) != 2 || len(cs[0].Flags) != 0 {
		t.Errorf("行政诉讼数, read with its label: %+v", cs)
	}

	// a sub-item sum that fails: the group's rows are uncertain too
	d = parseText(t, legacyRawText(strings.Replace(legacyRawNumbers, "10\n30", "10\n31", 1), labels))
	for _, c := range legacyCells(d)["主动公开政府信息数"] {
		if !c.HasFlag(govreport.FlagByPosition) || !c.HasFlag(govreport.FlagUncertain) {
			t.Errorf("主动公开政府信息数 %s under a failing sum: flags %v, want by_position and uncertain", c.Col, c.Flags)
		}
	}
}

// Where two cuts of the label lines into legacy labels fit, nothing
// decides which: after 行政诉讼数, the lines 行政复议数 / 量 are one label
// (行政复议数量, also a legacy label) or a label and a stray line. The
// rows then keep no label and nothing is placed by position; so too where
// the lines make fewer legacy labels than there are rows, hold a label
// legacy.json does not know, or are followed by another row without one.
func TestLegacyLabelsAfterNumbersUndecided(t *testing.T) {
	numbers := "件\n1\n2\n件\n3\n4"
	for _, labels := range []string{
		"行政诉讼数\n行政复议数\n量",  // two cuts
		"行政诉讼数",            // one label for two rows
		"行政诉讼数\n某某专项\n统计数", // a label legacy.json does not know
		"行政诉讼数\n行政复议数\n申诉数\n本表数据由各部门报送，统计期限为本年度一月一日至十二月三十一日。\n件\n5\n6", // a row without a label after them
	} {
		d := parseText(t, legacyRawText(numbers, labels))
		for _, c := range d.Cells {
			if c.Table == "legacy" && c.HasFlag(govreport.FlagByPosition) {
				t.Errorf("labels %q: %s placed by position (%v)", labels, c.RowLabel, c.Flags)
			}
		}
		cells := legacyCells(d)
		if _, ok := cells["行政诉讼数"]; ok {
			t.Errorf("labels %q: 行政诉讼数 given to a row", labels)
		}
		if len(cells["件"]) < 4 {
			t.Errorf("labels %q: rows %v, want the two rows read under their unit", labels, keysOf(cells))
		}
	}
}

func keysOf(m map[string][]govreport.Cell) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
