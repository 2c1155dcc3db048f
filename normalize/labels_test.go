package normalize_test

import (
	"strings"
	"testing"
)

// A row's label as printed is stored once per row and never holds the
// table's header (issue 15: the CSV export showed 一、本年新收…申请数量 three
// times, the colspan of its cell, and (七)总计 twice). The two real pages
// print table 三's first rows as cells spanning three and two columns;
// the labels below are read off their HTML source.
func TestRowLabelsOncePerRow(t *testing.T) {
	want := map[string]string{
		"t3.new_received":        "一、本年新收政府信息公开申请数量",
		"t3.carried_over":        "二、上年结转政府信息公开申请数量",
		"t3.granted":             "三、本年度办理结果(一)予以公开",
		"t3.partially_granted":   "三、本年度办理结果(二)部分公开(区分处理的,只计这一情形,不计其他情形)",
		"t3.total_processed":     "三、本年度办理结果(七)总计",
		"t3.carried_forward":     "四、结转下年度继续办理",
		"t3.denied_state_secret": "三、本年度办理结果(三)不予公开1.属于国家秘密",
		"t4.review":              "行政复议",
	}
	for _, f := range []string{"2021_pingtan_1.html", "2023_pingtan_1.html"} {
		d, err := read(testdata + "/corpus/" + f)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, c := range d.Cells {
			k := c.Table + "." + c.Row
			if seen[k] {
				continue
			}
			seen[k] = true
			if w, ok := want[k]; ok && c.RowLabel != w {
				t.Errorf("%s %s: label %q, want %q", f, k, c.RowLabel, w)
			}
			for _, h := range []string{"申请人情况", "勾稽关系", "自然人", "信息内容"} {
				if strings.Contains(c.RowLabel, h) {
					t.Errorf("%s %s: label %q holds the header's %s", f, k, c.RowLabel, h)
				}
			}
		}
		if len(seen) < len(want) {
			t.Errorf("%s: %d rows", f, len(seen))
		}
	}
	// the header printed a cell a line before the first row, as converters
	// of these pages write it, stays out of that row's label
	for _, f := range []string{"2023_pingtan_1.html__cell_lines.txt", "2024_huaian_szf_2.txt"} {
		dir := "/variants/"
		if !strings.Contains(f, "__") {
			dir = "/corpus/"
		}
		d, err := read(testdata + dir + f)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range d.Cells {
			if c.Table == "t3" && c.Row == "new_received" && c.RowLabel != want["t3.new_received"] {
				t.Errorf("%s: label %q, want %q", f, c.RowLabel, want["t3.new_received"])
				break
			}
		}
	}
}
