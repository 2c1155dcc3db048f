package normalize

import (
	"slices"
	"strings"
	"testing"
)

// A page's text saved on one line: headings glued to the words around
// them, sub-items (一是, （一）) and a table row numbered like a heading
// (四、结转下年度继续办理) among them. The traps of TestSectionTraps, with
// their line breaks removed.
func TestRecoverOneLine(t *testing.T) {
	filler := strings.Repeat("本机关认真落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。", 20)
	for _, sep := range []string{"", " "} {
		text := "首页 > 政务公开 > 年报 " + "一、总体情况" + filler + "（一）主动公开" + sep + "一是加强领导。" +
			"二、主动公开政府信息情况" + sep + "二是完善制度。" + filler +
			"三、收到和处理政府信息公开申请情况" + sep + "申请人情况 自然人 总计" + sep +
			"一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1" + sep + "二、上年结转政府信息公开申请数量 0 0 0 0 0 0 0" + sep +
			"（一）予以公开 1 0 0 0 0 0 1" + sep + "（七）总计 1 0 0 0 0 0 1" + sep + "四、结转下年度继续办理 0 0 0 0 0 0 0" + sep +
			"四、政府信息公开行政复议、行政诉讼情况" + sep + filler + "五、存在的主要问题及改进情况" + sep + "一是人员不足。" +
			"六、其他需要报告的事项" + sep + "无。\n"
		d := parseText(t, text)
		if got := sectionKeys(d); got != all6 {
			t.Errorf("sep %q: sections %q\nwant       %q", sep, got, all6)
		}
		vals := map[string]float64{}
		for _, c := range d.Cells {
			if c.Table == "t3" && c.Col == "total" && c.Value != nil {
				vals[c.Row] = *c.Value
			}
		}
		if vals["new_received"] != 1 || vals["granted"] != 1 || vals["total_processed"] != 1 || len(vals) != 5 {
			t.Errorf("sep %q: t3 totals %v, want new_received, granted, total_processed 1, carried_over, carried_forward 0", sep, vals)
		}
	}
}

// A long line with no section heading in it is a paragraph: not cut.
func TestRecoverLeavesParagraphs(t *testing.T) {
	para := strings.Repeat("本机关认真落实政府信息公开条例，持续推进决策、执行、管理、服务、结果公开。", 40)
	d := parseText(t, "一、总体情况\n"+para+"\n二、主动公开政府信息情况\n正文。\n")
	if len(d.Sections) != 2 || strings.Contains(d.Sections[0].Text, "\n") || len(d.Sections[0].Text) < len(para)-len("，")*40 {
		t.Errorf("sections %+v", d.Sections)
	}
}

// A legacy header whose cells wrap over two lines comes out of a reading
// by rows with the cells' pieces interleaved; its words put them back
// together, whatever the cells, and a sequence that does not make whole
// header words is no header.
func TestWrappedLegacyHeader(t *testing.T) {
	lay := defaultSet.legacy
	lines := func(ts ...string) []ln {
		var out []ln
		for _, t := range ts {
			out = append(out, ln{flat: t})
		}
		return append(out, ln{flat: "主动公开信息数"})
	}
	for _, c := range []struct {
		pieces []string
		cols   []string
	}{
		{[]string{"指标名称", "计量", "2013", "单位", "年度", "历年累计"}, []string{"2013年度", "历年累计"}},
		{[]string{"指标", "计量", "2015", "历年", "名称", "单位", "年度", "累计"}, []string{"2015年度", "历年累计"}},
		{[]string{"计量单位", "本年度", "累计数"}, []string{"本年度", "累计数"}},
		{[]string{"指标", "计量", "2015", "名称", "单位"}, nil}, // 2015 is no column's whole name
		{[]string{"指标名称", "计量", "单位"}, nil},             // no column
		{[]string{"计量", "2013", "合计", "单位", "年度"}, nil}, // 合计 is no header word's start
	} {
		cols, n := lay.wrappedHeader(lines(c.pieces...))
		if !slices.Equal(cols, c.cols) || (c.cols != nil) != (n == len(c.pieces)) {
			t.Errorf("%q: columns %q over %d lines, want %q", c.pieces, cols, n, c.cols)
		}
	}
}

// A page footer run onto a row's digits is set apart where the text prints
// its neighbouring page in the same style; a date, digits that go on, or a
// footer with no neighbour stay as printed.
func TestCutGluedFooters(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"文件055-2-信息 制作3000003-3-3.补正后 人员-4-学习", "文件055 信息 制作3000003 3.补正后 人员-4-学习"},
		{"行政许可9487-2-第二十条 -1-", "行政许可9487 第二十条 -1-"},
		{"于2023-1-5日 -2- 规章000-1-", "于2023-1-5日 -2- 规章000 "},
		{"数量55-3-12 -2-", "数量55-3-12 -2-"},
		{"行政许可9487-7-第二十条 -2-", "行政许可9487-7-第二十条 -2-"},
	} {
		if got := cutGluedFooters(c.in); got != c.want {
			t.Errorf("cutGluedFooters(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Several rows' labels printed before their numbers are cut into each
// row's label, a group's label between them going with the next; one
// row's label, or a row's twice, is not cut.
func TestRowsIn(t *testing.T) {
	var ix *labelIndex
	for i := range defaultSet.Layout("2021").Tables {
		if tb := &defaultSet.Layout("2021").Tables[i]; tb.Key == "t3" {
			ix = defaultSet.indexOf(tb)
		}
	}
	for _, c := range []struct {
		label string
		want  []string
	}{
		{"三、本 (一)予以公开年度办理结果(二)部分公开(区分处理的,只计这一情形,不计其他情形)", []string{"本予以公开", "年度办理结果部分公开区分处理的只计这一情形不计其他情形"}},
		{"二、上年结转政府信息公开申请数量三、本(一)予以公开年度办理结果", []string{"上年结转政府信息公开申请数量", "本予以公开年度办理结果"}},
		{"(二)部分公开(区分处理的,只计这一情形,不计其他情形)", nil},
		{"(一)予以公开(一)予以公开", nil},
		{"(二)部分公开(一)予以公开", nil}, // out of the table's order
	} {
		if got := rowsIn(ix, core(c.label)); !slices.Equal(got, c.want) {
			t.Errorf("rowsIn(%q) = %q, want %q", c.label, got, c.want)
		}
	}
}

// A row's digits run on after a label ending in a closing quotation mark
// and into the next row's label: the quote ends the label, so the digits
// are the row's and the next label starts a row.
func TestCutRowsAfterClosingQuote(t *testing.T) {
	got := cutRows("3.危及“三安全一稳定”5000005度办4.保护第三方合法权益6000006", defaultSet.legacy)
	want := [][]string{{"3.危及“三安全一稳定”", "5000005"}, {"度办4.保护第三方合法权益", "6000006"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("cutRows = %q, want %q", got, want)
	}
}
