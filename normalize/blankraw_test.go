package normalize

import (
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"

	"govreport"
	"govreport/extract/text"
	"govreport/normalize/internal/golden"
)

// TestBlankRawAmbiguous is the proof that what chromium_blank_pdftotext_raw
// (pdftotext without -layout of a print whose zero cells are blank) leaves
// missing is undecidable from what that text can give. Such a text keeps
// no offsets and no zeros: at most, each table's non-zero numbers in the
// rows' order, row after row (model M; the raw order gives less: pdftotext
// interleaves rows and labels). Two tables whose numbers in that order are
// the same cannot be told apart by it.
//
// From each document's golden it constructs readings by two moves that
// keep the numbers' order: an order-preserving shift of the columns the
// numbers use onto others of the same count (one shift for the whole table
// where its identities are per column, each row on its own where they are
// only per row or absent), and an order-preserving move of a row's numbers
// onto a blank row interchangeable with it (the same columns, on the same
// side of every column identity; the rows between pushed along in turn).
// A reading counts only if every identity of the template passes on it
// (evalCheck, as the reader checks) and its numbers in order are the
// golden's. Every cell the reader does not read (no value, or a wrong one,
// flagged) must take two values across the readings. A cell every such
// reading agrees on fails the test, unless the text does not print its
// table's numbers in the rows' order (the golden's sequence is not a run of
// the text's numbers): then it is decidable only from an order the text
// does not give, and is listed.
func TestBlankRawAmbiguous(t *testing.T) {
	cases, err := golden.Cases("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range cases {
		if c.Form != "chromium_blank_pdftotext_raw" {
			continue
		}
		n++
		t.Run(c.Name, func(t *testing.T) {
			b, err := os.ReadFile(c.Path)
			if err != nil {
				t.Fatal(err)
			}
			x, err := text.Extract(b)
			if err != nil {
				t.Fatal(err)
			}
			d := Normalize(x)
			tpl := defaultSet.layouts[c.Doc.Layout]
			if tpl == nil {
				t.Fatalf("no layout %q", c.Doc.Layout)
			}
			printed := textNumbers(string(b))
			var keys []string
			for k := range c.Doc.Cells {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			for _, key := range keys {
				tb := tableOf(tpl, key)
				if tb == nil {
					continue
				}
				proveRawTable(t, tb, goldenGrid(tb, c.Doc.Cells[key]), d.Cells, printed)
			}
		})
	}
	if n == 0 {
		t.Fatal("no chromium_blank_pdftotext_raw variant")
	}
}

// grid is a table's cells: rows in template order, each row's columns in
// template order, a blank 0.
type grid struct {
	rows []string
	cols map[string][]string
	val  map[string][]float64
}

func goldenGrid(tb *govreport.TableTemplate, g map[string]map[string]*float64) grid {
	gr := grid{cols: map[string][]string{}, val: map[string][]float64{}}
	for _, r := range tb.Rows {
		cells, ok := g[r.Key]
		if !ok {
			continue
		}
		gr.rows = append(gr.rows, r.Key)
		for _, c := range tb.Columns {
			if v, ok := cells[c.Key]; ok {
				gr.cols[r.Key] = append(gr.cols[r.Key], c.Key)
				x := 0.0
				if v != nil {
					x = *v
				}
				gr.val[r.Key] = append(gr.val[r.Key], x)
			}
		}
	}
	return gr
}

func (g grid) clone() grid {
	o := grid{rows: g.rows, cols: g.cols, val: map[string][]float64{}}
	for k, v := range g.val {
		o.val[k] = append([]float64(nil), v...)
	}
	return o
}

// seq is the table's non-zero numbers, row after row, in column order.
func (g grid) seq() []float64 {
	var out []float64
	for _, r := range g.rows {
		for _, x := range g.val[r] {
			if x != 0 {
				out = append(out, x)
			}
		}
	}
	return out
}

// passes reports whether every identity of tb holds on g, evaluated as
// the reader's checks evaluate them.
func (g grid) passes(tb *govreport.TableTemplate) bool {
	get := func(ref cellRef) (*float64, bool) {
		if vs, ok := g.val[ref.row]; ok {
			if i := posIn(g.cols[ref.row], ref.col); i >= 0 {
				return &vs[i], true
			}
			return nil, false
		}
		for _, a := range alternativesOf(tb, ref.row) {
			if _, ok := g.val[a]; ok {
				return &zero, true // printed as its alternatives: nothing
			}
		}
		return nil, false
	}
	for _, id := range tb.Identities {
		var ts []term
		if id.Per == "row" {
			for _, r := range g.rows {
				if hasAll(g.cols[r], id.Left) {
					ts = append(ts, instantiate(id, r))
				}
			}
		} else {
			for _, c := range tb.Columns {
				if !c.Optional {
					ts = append(ts, instantiate(id, c.Key))
				}
			}
		}
		for _, tm := range ts {
			if evalCheck(tb.Key, tm, get).Status != govreport.CheckPass {
				return false
			}
		}
	}
	return true
}

// freeCols are the columns a row's numbers may stand in: the terms of the
// widest per-row identity (the applicant columns of 总计 = Σ), else all of
// the row's columns.
func freeCols(tb *govreport.TableTemplate, cols []string) []string {
	var best []string
	for _, id := range tb.Identities {
		if id.Per == "row" && hasAll(cols, id.Left) && hasAll(cols, id.Right) && len(id.Right) > len(best) {
			best = id.Right
		}
	}
	if best == nil {
		return cols
	}
	return best
}

// shifts calls f with every order-preserving map of the columns used
// (those of free with a non-zero value in some row of rows) onto free.
func shifts(g grid, rows []string, free []string, f func(from, to []string)) {
	var used []string
	for _, c := range free {
		for _, r := range rows {
			if i := posIn(g.cols[r], c); i >= 0 && g.val[r][i] != 0 {
				used = append(used, c)
				break
			}
		}
	}
	combos(len(free), len(used), func(ix []int) {
		to := make([]string, len(ix))
		for i, j := range ix {
			to[i] = free[j]
		}
		f(used, to)
	})
}

func combos(n, k int, f func([]int)) {
	ix := make([]int, k)
	var rec func(i, from int)
	rec = func(i, from int) {
		if i == k {
			f(ix)
			return
		}
		for j := from; j <= n-(k-i); j++ {
			ix[i] = j
			rec(i+1, j+1)
		}
	}
	rec(0, 0)
}

// shifted is g with rows' values in from moved to to (the other free
// cells blank).
func shifted(g grid, rows, from, to []string) grid {
	o := g.clone()
	for _, r := range rows {
		old, nv := g.val[r], o.val[r]
		for _, c := range from {
			if i := posIn(g.cols[r], c); i >= 0 {
				nv[i] = 0
			}
		}
		for k, c := range from {
			i, j := posIn(g.cols[r], c), posIn(g.cols[r], to[k])
			if i >= 0 && j >= 0 {
				nv[j] = old[i]
			}
		}
	}
	return o
}

// groups are the sets of interchangeable rows: the same columns, on the
// same side of every per-column identity.
func groups(tb *govreport.TableTemplate, g grid) [][]string {
	by := map[string][]string{}
	var order []string
	for _, r := range g.rows {
		k := strings.Join(g.cols[r], ",")
		for _, id := range tb.Identities {
			switch {
			case id.Per != "column":
			case inList(id.Left, r):
				k += "|L"
			case inList(id.Right, r):
				k += "|R"
			default:
				k += "|-"
			}
		}
		if by[k] == nil {
			order = append(order, k)
		}
		by[k] = append(by[k], r)
	}
	var out [][]string
	for _, k := range order {
		if len(by[k]) > 1 {
			out = append(out, by[k])
		}
	}
	return out
}

// moves calls f with every reading that puts one printed row of group gr
// onto another row of it, pushing the printed rows between along so that
// the rows keep their order.
func moves(g grid, gr []string, f func(grid)) {
	var pos []int // positions in gr of the rows printing a number
	for i, r := range gr {
		for _, x := range g.val[r] {
			if x != 0 {
				pos = append(pos, i)
				break
			}
		}
	}
	for j := range pos {
		for q := range gr {
			if q == pos[j] {
				continue
			}
			np := append([]int(nil), pos...)
			np[j] = q
			ok := true
			for i := j + 1; i < len(np); i++ {
				np[i] = max(np[i], np[i-1]+1)
				ok = ok && np[i] < len(gr)
			}
			for i := j - 1; i >= 0; i-- {
				np[i] = min(np[i], np[i+1]-1)
				ok = ok && np[i] >= 0
			}
			if !ok {
				continue
			}
			o := g.clone()
			for _, r := range gr {
				o.val[r] = make([]float64, len(g.cols[r]))
			}
			for i, p := range pos {
				o.val[gr[np[i]]] = append([]float64(nil), g.val[gr[p]]...)
			}
			f(o)
		}
	}
}

// proveRawTable runs the proof on one table (see TestBlankRawAmbiguous).
func proveRawTable(t *testing.T, tb *govreport.TableTemplate, g grid, cells []govreport.Cell, printed []float64) {
	t.Helper()
	if !g.passes(tb) {
		t.Fatalf("%s: the golden does not pass its own identities", tb.Key)
	}
	perColumn := false
	for _, id := range tb.Identities {
		perColumn = perColumn || id.Per == "column"
	}
	want := g.seq()
	var readings []grid
	seen := map[string]bool{}
	add := func(o grid) {
		k := fmt.Sprint(o.val)
		if seen[k] || !equalSeq(o.seq(), want) || !o.passes(tb) {
			return
		}
		seen[k] = true
		readings = append(readings, o)
	}
	// the assignments: the golden's, and every move of a row within its group
	assigns := []grid{g}
	for _, gr := range groups(tb, g) {
		moves(g, gr, func(o grid) { assigns = append(assigns, o) })
	}
	for _, a := range assigns {
		add(a)
		if perColumn && len(g.rows) > 0 {
			free := freeCols(tb, g.cols[g.rows[0]])
			shifts(a, a.rows, free, func(from, to []string) { add(shifted(a, a.rows, from, to)) })
			continue
		}
		for _, r := range a.rows {
			one := []string{r}
			shifts(a, one, freeCols(tb, a.cols[r]), func(from, to []string) { add(shifted(a, one, from, to)) })
		}
	}
	// the cells left undecided
	stored := map[string]govreport.Cell{}
	for _, c := range cells {
		if c.Table == tb.Key {
			stored[c.Row+"|"+c.Col] = c
		}
	}
	var open, covered, single []string
	for _, r := range g.rows {
		for i, col := range g.cols[r] {
			c, ok := stored[r+"|"+col]
			gold := g.val[r][i]
			if ok && ((gold != 0 && c.Value != nil && *c.Value == gold) || (gold == 0 && c.Value == nil && c.HasFlag(govreport.FlagNotReported))) {
				continue // read (a doubt flag or not)
			}
			name := r + "." + col
			open = append(open, name)
			vals := map[float64]bool{}
			for _, rd := range readings {
				vals[rd.val[r][i]] = true
			}
			if len(vals) >= 2 {
				covered = append(covered, name)
			} else {
				single = append(single, name)
			}
		}
	}
	inOrder := isRun(printed, want)
	t.Logf("%s: %d cells undecided, %d readings with the same numbers in order pass every identity; %d cells take two values or more across them",
		tb.Key, len(open), len(readings), len(covered))
	if len(single) == 0 {
		return
	}
	if inOrder {
		for _, s := range single {
			t.Errorf("%s.%s is left undecided, the text prints the table's numbers in the rows' order, and every reading gives it one value: decidable", tb.Key, s)
		}
		return
	}
	t.Logf("%s: %d cells one value in every such reading, decidable only from the rows' numbers in order, which this text does not print (the table's numbers are no run of the text's): %s",
		tb.Key, len(single), strings.Join(single, " "))
}

func equalSeq(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isRun reports whether want stands in have as a contiguous run.
func isRun(have, want []float64) bool {
	for i := 0; i+len(want) <= len(have); i++ {
		if equalSeq(have[i:i+len(want)], want) {
			return true
		}
	}
	return false
}

// textNumbers are the words of s that are numbers, in order.
func textNumbers(s string) []float64 {
	var out []float64
	for _, f := range strings.Fields(s) {
		if v, err := strconv.ParseFloat(f, 64); err == nil {
			out = append(out, v)
		}
	}
	return out
}

// TestBlankRunEvidence: table 四 printed as one run of numbers with its
// zero cells blank (9 numbers over 15 cells, none 0) is cut into its rows
// by the row totals, one way only: each row's total (its last number) is
// stored by_position, its other cells are not (their columns are not
// printed). A 0 printed, or a run the totals cut two ways, says nothing of
// the blanks: nothing is stored.
func TestBlankRunEvidence(t *testing.T) {
	doc := func(nums string) string {
		return "一、总体情况\n正文。\n二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n三、收到和处理政府信息公开申请情况\n" +
			"四、政府信息公开行政复议、行政诉讼情况\n行政复议\n行政诉讼\n" + strings.ReplaceAll(nums, " ", "\n") + "\n" +
			"五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
	}
	cell := func(d *govreport.Document, row, col string) *govreport.Cell {
		for i := range d.Cells {
			if c := &d.Cells[i]; c.Table == "t4" && c.Row == row && c.Col == col {
				return c
			}
		}
		return nil
	}
	d := parseText(t, doc("1 1 2 4 1 5 1 1 2"))
	for row, want := range map[string]float64{"review": 2, "litigation_direct": 5, "litigation_after_review": 2} {
		if c := cell(d, row, "total"); c == nil || c.Value == nil || *c.Value != want || !c.HasFlag(govreport.FlagByPosition) {
			t.Errorf("%s.total: want %v by_position, got %+v", row, want, c)
		}
		if c := cell(d, row, "upheld"); c != nil && c.Value != nil {
			t.Errorf("%s.upheld: its column is not printed, want no value, got %+v", row, c)
		}
	}
	for _, nums := range []string{"1 1 2 4 1 5 1 1 2 0", "1 1 2 2"} {
		d := parseText(t, doc(nums))
		for _, row := range []string{"review", "litigation_direct", "litigation_after_review"} {
			if c := cell(d, row, "total"); c != nil && c.Value != nil {
				t.Errorf("%q: %s.total: want no value, got %+v", nums, row, c)
			}
		}
	}
}
