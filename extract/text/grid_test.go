package text

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
)

// readVariant extracts a derived form of a real report (testdata/variants).
func readVariant(t *testing.T, name string) *govreport.Extracted {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata/variants", name))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Extract(data)
	if err != nil {
		t.Fatal(err)
	}
	return x
}

// row finds the table line whose label contains label and returns its
// cells after the label (Spanned group labels left out).
func row(t *testing.T, x *govreport.Extracted, label string) (values []string, line govreport.Line) {
	t.Helper()
	for _, l := range x.Lines {
		if l.Table == 0 {
			continue
		}
		for i, c := range l.Cells {
			if !c.Spanned && strings.Contains(c.Text, label) {
				for _, v := range l.Cells[i+1:] {
					values = append(values, v.Text)
				}
				return values, l
			}
		}
	}
	t.Fatalf("no table row labelled %q", label)
	return nil, govreport.Line{}
}

// Only text whose rows set numbers apart by runs of spaces is read on its
// grid; cells separated by tabs or bars are read as cells.
func TestSpaceAligned(t *testing.T) {
	for name, want := range map[string]bool{
		"2024_hongze_qzf_1.pdf__pdftotext_layout.txt":              true,
		"2023_pingtan_1.html__chromium_pdftotext_layout.txt":       true,
		"2024_huaian_szf_1.pdf__t4page.txt":                        true,
		"2024_hongze_qzf_1.pdf__pdftotext_raw.txt":                 false,
		"2021_pingtan_1.html__tabs.txt":                            false,
		"2021_pingtan_1.html__pipe.txt":                            false,
		"2024_hongze_qzf_1.pdf__markdown.txt":                      false,
		"2021_pingtan_1.html__cell_lines.txt":                      false,
		"2020_zhongmou_commerce_seed.txt__cell_lines.txt":          false,
		"2023_hongze_qzf_1.pdf__oneline.txt":                       false,
		"2023_pingtan_1.html__chromium_blank_pdftotext_layout.txt": true,
	} {
		data, err := os.ReadFile(filepath.Join("../../testdata/variants", name))
		if err != nil {
			t.Fatal(err)
		}
		if got := spaceAligned(strings.Split(string(data), "\n")); got != want {
			t.Errorf("%s: spaceAligned = %v, want %v", name, got, want)
		}
	}
}

// pdftotext -layout of the 2024 Hongze report prints a row's numbers on a
// line of their own after its label's two lines (（二）部分公开…情 形，不 /
// 计其他情形） / 9 0 0 0 0 0 9) or between them (5.要求行政机关确认或重
// 新出具 / 已获取信息 / 0 …): each is one row, its label whole, as the page
// prints it (lines 98-100 and 125-127 of the file).
func TestGridLabelsAroundNumbers(t *testing.T) {
	x := readVariant(t, "2024_hongze_qzf_1.pdf__pdftotext_layout.txt")
	for label, want := range map[string]string{
		"（二）部分公开（区分处理的，只计这一情形，不计其他情形）": "9 0 0 0 0 0 9",
		"5.要求行政机关确认或重新出具已获取信息":         "0 0 0 0 0 0 0",
		"一、本年新收政府信息公开申请数量":             "95 0 0 0 0 0 95",
	} {
		got, l := row(t, x, label)
		if strings.Join(got, " ") != want {
			t.Errorf("%s: %q, want %s", label, got, want)
		}
		for _, c := range l.Cells {
			if c.Pos.Line == 0 || c.Pos.Page == 0 {
				t.Errorf("%s: cell %q has no line or page: %+v", label, c.Text, c.Pos)
			}
		}
	}
	_, l := row(t, x, "一、本年新收政府信息公开申请数量")
	if l.Cells[len(l.Cells)-1].Pos.Line != 95 || l.Cells[0].Pos.Page != 3 {
		t.Errorf("new_received: printed on page 3, line 95 of the file; got %+v", l.Cells[len(l.Cells)-1].Pos)
	}
}

// In a table whose zero cells are printed blank, a number belongs to the
// column its header word stands over: 80 under 自然人, 1 under 商业企业,
// 81 under 总计, nothing under the four between (line 177 of the print,
// under the header of lines 172-174).
func TestGridBlankCells(t *testing.T) {
	x := readVariant(t, "2023_pingtan_1.html__chromium_blank_pdftotext_layout.txt")
	got, _ := row(t, x, "一、本年新收政府信息公开申请数量")
	if strings.Join(got, "|") != "80|1|||||81" {
		t.Errorf("new_received: %q, want 80|1|||||81", got)
	}
}

// Text of cells side by side comes out of pdftotext interleaved: a group
// label's lines (三 、 本 / 年度办 / 理结果) between a row label's
// (（二）部分公开（区分处理 / 的，只计这一情形，不计其 / 他情形）), the
// numbers beside the middle one: the row label is whole (2021 Pingtan
// print, lines 159-164). A group label printed letter-spaced on the line
// of a label's tail ((三) 不 予 公 务信息) is the row's Spanned group.
func TestGridInterleavedLabels(t *testing.T) {
	x := readVariant(t, "2021_pingtan_1.html__chromium_pdftotext_layout.txt")
	got, l := row(t, x, "（二）部分公开（区分处理的，只计这一情形，不计其他情形）")
	if strings.Join(got, " ") != "5 0 0 0 0 0 5" {
		t.Errorf("partially granted: %q", got)
	}
	_, l = row(t, x, "5.属于三类内部事务信息")
	if !l.Cells[0].Spanned || l.Cells[0].Text != "（三）不予公开" {
		t.Errorf("（三）不予公开 printed letter-spaced beside 务信息: %+v", l.Cells)
	}
}

// Numbers in a sentence stand one space from its words (2024 年 1 月):
// they are words of the sentence, not a table.
func TestGridSentenceNumbers(t *testing.T) {
	x := readVariant(t, "2024_hongze_qzf_1.pdf__pdftotext_layout.txt")
	for _, l := range x.Lines {
		if l.Table > 0 && strings.Contains(l.Text(), "统计期限") {
			t.Errorf("a sentence read as a table row: %q", l.Text())
		}
	}
}
