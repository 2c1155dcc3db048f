package normalize

import (
	"strings"
	"testing"

	"govreport"
	"govreport/normalize/internal/golden"
)

// huaianT3 is table 三 of 淮安市人民政府 2024 (testdata/corpus/2024_huaian_szf_1.pdf),
// as read by hand into testdata/golden/2024_huaian_szf_1.pdf.json.
func huaianT3(t *testing.T) map[string]map[string]*float64 {
	t.Helper()
	g, err := golden.Read("../testdata", "2024_huaian_szf_1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	return g.Cells["t3"]
}

var t3Cols = []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"}

// t3Text prints table 三 of the 2021 layout as flattened text, one row a
// line, label then numbers joined by sep; glue overrides the printing of
// the rows it names.
func t3Text(t *testing.T, vals map[string]map[string]*float64, sep string, glue map[string]string) string {
	tb := tableOf(Template("2021"), "t3")
	var b strings.Builder
	b.WriteString("一、总体情况\n正文。\n二、主动公开政府信息情况\n第二十条第（一）项\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n三、收到和处理政府信息公开申请情况\n")
	for _, r := range tb.Rows {
		row, ok := vals[r.Key]
		if !ok {
			continue
		}
		if g, ok := glue[r.Key]; ok {
			b.WriteString(g + "\n")
			continue
		}
		b.WriteString(r.Labels[0])
		for _, c := range t3Cols {
			b.WriteString(sep + fmtNum(*row[c]))
		}
		b.WriteString("\n")
	}
	b.WriteString("四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n")
	return b.String()
}

func cellsOf(d *govreport.Document, table, row string) map[string]govreport.Cell {
	m := map[string]govreport.Cell{}
	for _, c := range d.Cells {
		if c.Table == table && c.Row == row {
			m[c.Col] = c
		}
	}
	return m
}

func wantRow(t *testing.T, d *govreport.Document, row string, want map[string]*float64, flag string) {
	t.Helper()
	got := cellsOf(d, "t3", row)
	for _, c := range t3Cols {
		g := got[c]
		if g.Value == nil || *g.Value != *want[c] {
			t.Errorf("t3.%s.%s = %v (raw %q flags %v), want %v", row, c, g.Value, g.Raw, g.Flags, *want[c])
			continue
		}
		if flag != "" && !g.HasFlag(flag) {
			t.Errorf("t3.%s.%s flags %v, want %s", row, c, g.Flags, flag)
		}
		if flag == "" && len(g.Flags) > 0 {
			t.Errorf("t3.%s.%s flags %v, want none", row, c, g.Flags)
		}
	}
}

func TestGluedDigitsResolvedByIdentities(t *testing.T) {
	v := huaianT3(t)
	// 一、本年新收… 3001|53|0|0|61|4|3119 printed with no separator
	glued := "一、本年新收政府信息公开申请数量300153006143119"
	d := parseText(t, t3Text(t, v, "\t", map[string]string{"new_received": glued}))
	wantRow(t, d, "new_received", v["new_received"], govreport.FlagInferred)
	for _, r := range []string{"carried_over", "granted", "total_processed"} {
		wantRow(t, d, r, v[r], "")
	}
}

func TestGluedDigitsRunIntoNextOrdinal(t *testing.T) {
	v := huaianT3(t)
	// 746|12|0|0|10|1|769 then the next row's ordinal: …政府信息7461200101769 2.没有现成…
	row := v["unable_needs_creation"]
	var next []string
	for _, c := range t3Cols {
		next = append(next, fmtNum(*row[c]))
	}
	glue := map[string]string{
		"unable_not_held":       "1.本机关不掌握相关政府信息",
		"unable_needs_creation": "7461200101769" + "2.没有现成信息需要另行制作\t" + strings.Join(next, "\t"),
	}
	d := parseText(t, t3Text(t, v, "\t", glue))
	wantRow(t, d, "unable_not_held", v["unable_not_held"], govreport.FlagInferred)
	wantRow(t, d, "unable_needs_creation", v["unable_needs_creation"], "")
}

func TestGluedDigitsAmbiguousStoresNothing(t *testing.T) {
	// Only row 一 is printed, so only its own identity applies, and two
	// splits of 110000011 satisfy it: 1|10|0|0|0|0|11 and 11|0|0|0|0|0|11.
	d := parseText(t, "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量110000011\n四、政府信息公开行政复议、行政诉讼情况\n")
	got := cellsOf(d, "t3", "new_received")
	if len(got) != 7 {
		t.Fatalf("row 一: %d cells, want 7 (stored without values)", len(got))
	}
	for c, x := range got {
		if x.Value != nil || !x.HasFlag(govreport.FlagAmbiguous) || x.Raw != "110000011" {
			t.Errorf("%s = %v flags %v raw %q; want NULL, ambiguous_split, raw kept", c, x.Value, x.Flags, x.Raw)
		}
	}
	if d.Status != govreport.StatusPartial {
		t.Errorf("status %s, want partial", d.Status)
	}
}

func TestGluedSingleRowUnique(t *testing.T) {
	// reports.md: 713000074 is 71|3|0|0|0|0|74, the only split whose total adds up
	d := parseText(t, "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 713000074\n四、政府信息公开行政复议、行政诉讼情况\n")
	got := cellsOf(d, "t3", "new_received")
	want := []float64{71, 3, 0, 0, 0, 0, 74}
	for i, c := range t3Cols {
		x := got[c]
		if x.Value == nil || *x.Value != want[i] || !x.HasFlag(govreport.FlagInferred) {
			t.Errorf("%s = %v flags %v, want %v inferred", c, x.Value, x.Flags, want[i])
		}
	}
}

func TestMinusSignOnlySeparator(t *testing.T) {
	s := splits("2648-18538", 7)
	if len(s) == 0 {
		t.Fatal("no split")
	}
	for _, parts := range s {
		var b strings.Builder
		for _, p := range parts {
			b.WriteString(fmtNum(*p))
		}
		if b.String() != "264818538" {
			t.Fatalf("split %v does not rebuild the digits", b.String())
		}
	}
	// no part may straddle the minus sign: 2648 ends a part
	for _, parts := range s {
		n := 0
		ok := false
		for _, p := range parts {
			n += len(fmtNum(*p))
			if n == 4 {
				ok = true
			}
		}
		if !ok {
			t.Fatalf("a part straddles the minus sign: %v", parts)
		}
	}
}

func TestShortRowFromBlankCell(t *testing.T) {
	v := huaianT3(t)
	// | separated, the printed blank (not reported) in the middle of a row
	glue := map[string]string{"denied_law_forbidden": "| 2.其他法律行政法规禁止公开 | 30 | 1 | | 0 | 0 | 0 | 31 |"}
	d := parseText(t, t3Text(t, v, " | ", glue))
	got := cellsOf(d, "t3", "denied_law_forbidden")
	if x := got["research"]; x.Value != nil || !x.HasFlag(govreport.FlagNotReported) {
		t.Errorf("blank cell: %v flags %v, want NULL not_reported", x.Value, x.Flags)
	}
	if x := got["total"]; x.Value == nil || *x.Value != 31 {
		t.Errorf("total %v, want 31", x.Value)
	}
}

func TestLabelTyposAndVariants(t *testing.T) {
	v := huaianT3(t)
	glue := map[string]string{}
	for key, label := range map[string]string{
		"denied_law_forbidden":    "2.其他法律行政止公开",                       // 洪泽 2023
		"denied_internal_affairs": "5.属于三类内容事务信息",                      // 内容事务
		"partially_granted":       "（二）部分公开（区分处理的，只计这一情况，不计其他情况）",      // 只计这一情况
		"other_no_correction":     "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", // 1、 not 1.
	} {
		var nums []string
		for _, c := range t3Cols {
			nums = append(nums, fmtNum(*v[key][c]))
		}
		glue[key] = label + "\t" + strings.Join(nums, "\t")
	}
	d := parseText(t, t3Text(t, v, "\t", glue))
	for key := range glue {
		wantRow(t, d, key, v[key], "")
	}
}

func TestOneCellALineAndBlankLines(t *testing.T) {
	v := huaianT3(t)
	var b strings.Builder
	for _, line := range strings.Split(t3Text(t, v, "\t", nil), "\n") {
		for _, cell := range strings.Split(line, "\t") {
			b.WriteString(cell + "\n\n")
		}
	}
	d := parseText(t, b.String())
	for _, r := range []string{"new_received", "granted", "denied_admin_query", "other_other", "carried_forward"} {
		wantRow(t, d, r, v[r], "")
	}
}

func TestT2Quirks(t *testing.T) {
	text := `二、主动公开政府信息情况
第二十条第（一）项
信息内容	本年制发件数	本年废止件数	现行有效件数
规章	1	0	11
行政规范性文件	22（其中修订16件）	26	66
其他主动公开文件	5	0	12
第二十条第（八）项
信息内容	本年收费金额（单位：万元）
行政事业性收费	96171.6
三、收到和处理政府信息公开申请情况
`
	d := parseText(t, text)
	c := cellsOf(d, "t2", "normative_documents")["issued"]
	if c.Value == nil || *c.Value != 22 || !c.HasFlag(govreport.FlagFootnote) || !strings.Contains(c.Raw, "其中修订16件") {
		t.Errorf("footnoted cell: %v %v %q", c.Value, c.Flags, c.Raw)
	}
	x := cellsOf(d, "t2", "x_其他主动公开文件")
	if c := x["in_force"]; c.Value == nil || *c.Value != 12 || !c.HasFlag(govreport.FlagOutsideTemplate) {
		t.Errorf("agency-added row: %+v", x)
	}
	if c := cellsOf(d, "t2", "fees")["fee_amount"]; c.Value == nil || *c.Value != 96171.6 || c.Unit != "万元" {
		t.Errorf("fee amount: %v %q", c.Value, c.Unit)
	}
}

func TestProcurementAmountInYuan(t *testing.T) {
	text := `二、主动公开政府信息情况
第二十条第（一）项
信息内容	本年新制作数量	本年新公开数量	对外公开总数量
规章	0	0	0
第二十条第（九）项
信息内容	采购项目数量	采购总金额
政府集中采购	3	251000元
三、收到和处理政府信息公开申请情况
`
	d := parseText(t, text)
	c := cellsOf(d, "t2", "procurement")["procurement_amount"]
	if d.Layout != "2019" || c.Value == nil || *c.Value != 25.1 || c.Unit != "万元" || !c.HasFlag(govreport.FlagUnitConverted) || c.Raw != "251000元" {
		t.Errorf("layout %s procurement amount %v %q %v raw %q", d.Layout, c.Value, c.Unit, c.Flags, c.Raw)
	}
}

// t3Row makes a text a report of the modern layouts (it prints table 三).
const t3Row = "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n"

func TestT4VerticalInterleavedHeader(t *testing.T) {
	// t4 header words printed one character a line, several interleaved
	// (结 结 其 尚 / 果 果 他 未 / …), then the fifteen numbers of 淮安 2024.
	text := t3Row + "四、政府信息公开行政复议、行政诉讼情况\n行政复议\t行政诉讼\n结 结 其 尚\n果 果 他 未\n维 纠 结 审\n持 正 果 结\n总\n计\n72 64 178 37 351 13 4 8 1 26 12 1 1 6 20\n五、存在的主要问题及改进情况\n"
	d := parseText(t, text)
	want := map[string][]float64{"review": {72, 64, 178, 37, 351}, "litigation_direct": {13, 4, 8, 1, 26}, "litigation_after_review": {12, 1, 1, 6, 20}}
	for row, w := range want {
		got := cellsOf(d, "t4", row)
		for i, c := range []string{"upheld", "corrected", "other", "pending", "total"} {
			if x := got[c]; x.Value == nil || *x.Value != w[i] {
				t.Errorf("t4.%s.%s = %v, want %v", row, c, x.Value, w[i])
			}
		}
	}
	if n := len(cellsOf(d, "t4", "review")) + len(cellsOf(d, "t4", "litigation_direct")) + len(cellsOf(d, "t4", "litigation_after_review")); n != 15 {
		t.Errorf("%d t4 cells, want 15", n)
	}
}

func TestSourceArithmeticErrorKept(t *testing.T) {
	// 洪泽 2023 prints 行政复议 10 1 0 0 and 总计 0: kept, check fails
	text := t3Row + "四、政府信息公开行政复议、行政诉讼情况\n10 1 0 0 0 0 0 0 0 0 5 0 0 0 0\n五、存在的主要问题及改进情况\n"
	d := parseText(t, text)
	if c := cellsOf(d, "t4", "review")["total"]; c.Value == nil || *c.Value != 0 || len(c.Flags) > 0 {
		t.Errorf("printed total 0 must be kept unflagged: %v %v", c.Value, c.Flags)
	}
	failed := 0
	for _, c := range d.Checks {
		if c.Rule == "t4_row_total" && c.Status == govreport.CheckFail {
			failed++
		}
	}
	if failed != 2 {
		t.Errorf("%d t4 checks failed, want 2 (review, after review)", failed)
	}
}

// Row （四）1 of the seed (testdata/corpus/2020_zhongmou_commerce_seed.txt)
// prints six numbers for seven columns (the golden's short_rows), all 0:
// every placement leaves the unprinted cell forced to 0 by the identities,
// so the row is stored whole, each cell 0 and flagged inferred.
func TestShortRowForcedByIdentities(t *testing.T) {
	const seed = "2020_zhongmou_commerce_seed.txt"
	g, err := golden.Read("../testdata", seed)
	if err != nil {
		t.Fatal(err)
	}
	printed := g.ShortRows["t3.unable_not_held"]
	if len(printed) != len(t3Cols)-1 {
		t.Fatalf("golden short row t3.unable_not_held %v: want one number fewer than the %d columns", printed, len(t3Cols))
	}
	for _, v := range printed {
		if v != 0 {
			t.Fatalf("golden short row %v: this test needs every printed number 0", printed)
		}
	}
	x := extractFile(t, "../testdata/corpus/"+seed)
	got := cellsOf(Normalize(x), "t3", "unable_not_held")
	for _, c := range t3Cols {
		if x := got[c]; x.Value == nil || *x.Value != 0 || !x.HasFlag(govreport.FlagInferred) {
			t.Errorf("t3.unable_not_held.%s: raw %q flags %v, want 0 inferred", c, x.Raw, x.Flags)
		}
	}
}

// Numbers a cell prints apart (a ruled PDF cell, separate glyph runs) are
// whole numbers: never split as digits run together; the same text from
// a flattened file may be.
func TestApartNumbersNeverGlued(t *testing.T) {
	for _, apart := range []bool{true, false} {
		l := govreport.Line{Table: 1, Cells: []govreport.TextCell{{Text: "一、本年新收政府信息公开申请数量"}, {Text: "252 12 1", Apart: apart}, {Text: "3700000372", Apart: apart}}}
		var cleaned []string
		for _, c := range l.Cells {
			cleaned = append(cleaned, clean(c.Text))
		}
		var vals []string
		glued := 0
		for _, tk := range tokenize(l, cleaned, 1) {
			if tk.isVal {
				vals = append(vals, tk.val.Raw)
				if tk.glued {
					glued++
				}
			}
		}
		if strings.Join(vals, "|") != "252|12|1|3700000372" {
			t.Errorf("apart=%v: values %q", apart, vals)
		}
		if apart && glued != 0 || !apart && glued != 3 {
			t.Errorf("apart=%v: %d tokens may be split as glued digits", apart, glued)
		}
	}
}
