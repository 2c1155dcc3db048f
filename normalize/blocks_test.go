package normalize

import (
	"strings"
	"testing"

	"govreport"
	"govreport/normalize/internal/golden"
)

// rawT3 prints the golden's table 三 as pdftotext without -layout prints
// a Word table (2024 Hongze): the first rows a label then its numbers, a
// number a line; then one run holding a row, row-major, and the next
// nine rows column by column (every 自然人 value, then every 商业企业
// value, …), their labels after the run; then the rest row by row. drop
// leaves out the run's last number.
func rawT3(t *testing.T, g *golden.Doc, from int, drop bool) (string, []string) {
	t.Helper()
	tb := tableOf(Template("2021"), "t3")
	var rows []string
	for _, r := range tb.Rows {
		if _, ok := g.Cells["t3"][r.Key]; ok {
			rows = append(rows, r.Key)
		}
	}
	label := func(k string) string { return tb.Rows[indexOf(tb).order[k]].Labels[0] }
	cols := defaultCols(tb, false)
	num := func(row, col string) string { return fmtNum(*g.Cells["t3"][row][col]) }
	var b strings.Builder
	b.WriteString("三、收到和处理政府信息公开申请情况\n申请人情况\n自然人\n法人或其他组织\n商业企业\n科研机构\n社会公益组织\n法律服务机构\n其他\n总计\n")
	row := func(k string) {
		b.WriteString(label(k) + "\n")
		for _, c := range cols {
			b.WriteString(num(k, c) + "\n")
		}
	}
	for _, k := range rows[:from] {
		row(k)
	}
	block := rows[from+1 : from+10]
	b.WriteString(label(rows[from]) + "\n")
	var run []string
	for _, c := range cols {
		run = append(run, num(rows[from], c))
	}
	for _, c := range cols {
		for _, k := range block {
			run = append(run, num(k, c))
		}
	}
	if drop {
		run = run[:len(run)-1]
	}
	b.WriteString(strings.Join(run, "\n") + "\n")
	for _, k := range block {
		b.WriteString(label(k) + "\n")
	}
	for _, k := range rows[from+10:] {
		row(k)
	}
	b.WriteString("四、政府信息公开行政复议、行政诉讼情况\n")
	return b.String(), append([]string{rows[from]}, block...)
}

// A run of numbers holding a row and then nine rows column by column is
// read from its order: of the ways to cut it into rows and blocks, one
// passes every identity of table 三.
func TestBlocksReadColumnByColumn(t *testing.T) {
	g, err := golden.Read("../testdata", "2024_hongze_qzf_1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	text, _ := rawT3(t, g, 3, false)
	d := parseText(t, text)
	for row, want := range g.Cells["t3"] {
		got := cellsOf(d, "t3", row)
		for col, w := range want {
			c, ok := got[col]
			if !ok || c.Value == nil || *c.Value != *w {
				t.Errorf("t3.%s.%s = %v (flags %v), want %s", row, col, c.Value, c.Flags, fmtNum(*w))
			} else if c.HasFlag(govreport.FlagUncertain) {
				t.Errorf("t3.%s.%s: flagged uncertain, though its reading passes every identity", row, col)
			}
		}
	}
}

// A run one number short fits no set of rows: nothing is read from its
// order, and no value of its rows is stored without a flag.
func TestBlocksCountMustFit(t *testing.T) {
	g, err := golden.Read("../testdata", "2024_hongze_qzf_1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	text, block := rawT3(t, g, 3, true)
	d := parseText(t, text)
	for _, row := range block {
		for col, c := range cellsOf(d, "t3", row) {
			if c.Value != nil && len(c.Flags) == 0 && *c.Value != *g.Cells["t3"][row][col] {
				t.Errorf("t3.%s.%s = %s stored without a flag, want %s", row, col, fmtNum(*c.Value), fmtNum(*g.Cells["t3"][row][col]))
			}
		}
	}
}
