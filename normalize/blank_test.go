package normalize

import (
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"govreport"
)

// TestBlankPlacementAmbiguous is the proof that what the pdftotext forms of
// the blank-zero prints leave missing in table 三 is undecidable from the
// text. For every such document it reads the table as stored, takes each
// row left missing (a cell nil without not_reported) by its printed
// numbers (the cells' raw text), and enumerates, independently of the
// solver, every joint reading: each such row's numbers placed in order
// into its columns, the other cells 0 (the table leaves zeros blank), the
// rows stored whole as stored, and every identity of the table holding.
// It requires at least one reading (the text is consistent), and for
// every missing cell two readings that give it different values.
func TestBlankPlacementAmbiguous(t *testing.T) {
	files, _ := filepath.Glob("../testdata/variants/*chromium_blank_pdftotext_layout.txt")
	if len(files) == 0 {
		t.Fatal("no chromium_blank_pdftotext_layout variant")
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			d := Normalize(extractFile(t, f))
			tb := tableOf(defaultSet.layouts[d.Layout], "t3")
			if tb == nil {
				t.Fatalf("layout %q has no t3", d.Layout)
			}
			proveAmbiguous(t, tb, d.Cells)
		})
	}
}

// proveAmbiguous runs the proof on table tb's cells (see above).
func proveAmbiguous(t *testing.T, tb *govreport.TableTemplate, cells []govreport.Cell) {
	t.Helper()
	cols := map[string][]string{} // row → its columns, in order
	fixed := map[string]float64{} // row|col → value of a row stored whole
	raw := map[string]string{}
	missing := map[string][]string{} // row → its cells left missing
	var order []string
	for _, c := range cells {
		if c.Table != tb.Key {
			continue
		}
		if _, ok := cols[c.Row]; !ok {
			order = append(order, c.Row)
		}
		cols[c.Row] = append(cols[c.Row], c.Col)
		raw[c.Row] = c.Raw
		switch {
		case c.Value != nil:
			fixed[c.Row+"|"+c.Col] = *c.Value
		case c.HasFlag(govreport.FlagNotReported):
			fixed[c.Row+"|"+c.Col] = 0
		default:
			missing[c.Row] = append(missing[c.Row], c.Col)
		}
	}
	if len(missing) == 0 {
		t.Log("no cell of t3 left missing")
		return
	}
	// the open rows: every order-preserving placement of their numbers
	type open struct {
		row   string
		cands [][]float64
	}
	var rows []open
	for _, row := range order {
		if missing[row] == nil {
			continue
		}
		var nums []float64
		for _, f := range strings.Fields(raw[row]) {
			v, err := strconv.ParseFloat(f, 64)
			if err != nil {
				t.Fatalf("row %s: raw %q is not numbers", row, raw[row])
			}
			nums = append(nums, v)
		}
		o := open{row: row}
		placeGaps(floatPtrs(nums), len(cols[row]), func(v vec) {
			c := make([]float64, len(v))
			for i, x := range v {
				if x != nil {
					c[i] = *x
				}
			}
			o.cands = append(o.cands, c)
		})
		rows = append(rows, o)
	}
	// rows in few identity terms first: they prune the search earliest
	size := func(row string) int {
		best := 1 << 30
		for _, id := range tb.Identities {
			if id.Per == "column" && inList(append(append([]string(nil), id.Left...), id.Right...), row) && len(id.Left)+len(id.Right) < best {
				best = len(id.Left) + len(id.Right)
			}
		}
		return best
	}
	sort.SliceStable(rows, func(i, j int) bool { return size(rows[i].row) < size(rows[j].row) })
	at := map[string]int{}
	for i, o := range rows {
		at[o.row] = i
	}
	pick := make([]int, len(rows))
	// a cell's range: fixed, chosen, or [0, the row's largest number]
	get := func(row, col string) (lo, hi float64, known bool) {
		if i, ok := at[row]; ok {
			ci := posIn(cols[row], col)
			if ci < 0 {
				return 0, 0, true
			}
			if pick[i] >= 0 {
				v := rows[i].cands[pick[i]][ci]
				return v, v, true
			}
			for _, c := range rows[i].cands {
				hi = max(hi, c[ci])
			}
			return 0, hi, false
		}
		if v, ok := fixed[row+"|"+col]; ok {
			return v, v, true
		}
		if _, printed := cols[row]; printed {
			return 0, 0, true
		}
		return 0, 1e18, false // a row the table does not hold
	}
	type inst struct{ left, right [][2]string }
	var insts []inst
	for _, id := range tb.Identities {
		if id.Per == "row" {
			for _, row := range order {
				if !hasAll(cols[row], id.Left) {
					continue
				}
				var in inst
				for _, k := range id.Left {
					in.left = append(in.left, [2]string{row, k})
				}
				for _, k := range id.Right {
					in.right = append(in.right, [2]string{row, k})
				}
				insts = append(insts, in)
			}
			continue
		}
		for _, c := range tb.Columns {
			if c.Optional {
				continue
			}
			var in inst
			for _, k := range id.Left {
				in.left = append(in.left, [2]string{k, c.Key})
			}
			for _, k := range id.Right {
				if _, ok := cols[k]; !ok && len(alternativesOf(tb, k)) > 0 {
					continue // （六） printed as its sub-rows
				}
				in.right = append(in.right, [2]string{k, c.Key})
			}
			insts = append(insts, in)
		}
	}
	ok := func() bool {
		for _, in := range insts {
			var ll, lh, rl, rh float64
			for _, c := range in.left {
				lo, hi, _ := get(c[0], c[1])
				ll, lh = ll+lo, lh+hi
			}
			for _, c := range in.right {
				lo, hi, _ := get(c[0], c[1])
				rl, rh = rl+lo, rh+hi
			}
			if ll > rh+1e-9 || rl > lh+1e-9 {
				return false
			}
		}
		return true
	}
	var readings [][]int
	var rec func(k int)
	rec = func(k int) {
		if k == len(rows) {
			readings = append(readings, append([]int(nil), pick...))
			return
		}
		for ci := range rows[k].cands {
			pick[k] = ci
			if ok() {
				rec(k + 1)
			}
		}
		pick[k] = -1
	}
	for i := range pick {
		pick[i] = -1
	}
	rec(0)
	if len(readings) == 0 {
		t.Fatalf("no joint reading of the rows left missing passes the identities")
	}
	t.Logf("%d joint readings of %d rows left missing", len(readings), len(rows))
	for i, o := range rows {
		for _, col := range missing[o.row] {
			ci := posIn(cols[o.row], col)
			seen := map[float64]bool{}
			for _, rd := range readings {
				seen[rows[i].cands[rd[i]][ci]] = true
			}
			if len(seen) < 2 {
				t.Errorf("%s.%s is left missing but every joint reading gives it the same value: it is decidable", o.row, col)
			}
		}
	}
}

func floatPtrs(xs []float64) []*float64 {
	out := make([]*float64, len(xs))
	for i := range xs {
		out[i] = &xs[i]
	}
	return out
}

func posIn(xs []string, x string) int {
	for i, y := range xs {
		if y == x {
			return i
		}
	}
	return -1
}

func inList(xs []string, x string) bool { return posIn(xs, x) >= 0 }

func alternativesOf(tb *govreport.TableTemplate, key string) []string {
	for _, r := range tb.Rows {
		if r.Key == key {
			return r.Alternatives
		}
	}
	return nil
}

// TestBlankZerosEvidence: a table 三 whose rows print only their non-zero
// numbers leaves zeros blank (a row printing no number is a row of blanks,
// stored NULL, not_reported, and a placement every reading agrees on is
// stored by_position); one 0 printed in the table says it does not, and
// nothing is assumed of its blanks.
func TestBlankZerosEvidence(t *testing.T) {
	doc := func(rows string) string {
		return "一、总体情况\n正文。\n二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n" +
			"三、收到和处理政府信息公开申请情况\n" + rows +
			"四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
	}
	cell := func(d *govreport.Document, row, col string) *govreport.Cell {
		for i := range d.Cells {
			if c := &d.Cells[i]; c.Table == "t3" && c.Row == row && c.Col == col {
				return c
			}
		}
		return nil
	}
	// 自然人 5 and 总计 5, as printed by a browser with the zero cells emptied
	// and a text converter that keeps only the order of the numbers
	blank := "一、本年新收政府信息公开申请数量 5 5\n二、上年结转政府信息公开申请数量\n（一）予以公开 5 5\n（七）总计 5 5\n四、结转下年度继续办理\n"
	d := parseText(t, doc(blank))
	if c := cell(d, "carried_over", "natural_person"); c == nil || c.Value != nil || !c.HasFlag(govreport.FlagNotReported) {
		t.Errorf("carried_over.natural_person: want a blank (null, not_reported), got %+v", c)
	}
	if c := cell(d, "granted", "total"); c == nil || c.Value == nil || *c.Value != 5 || !c.HasFlag(govreport.FlagByPosition) {
		t.Errorf("granted.total: want 5 by_position, got %+v", c)
	}
	// the same with a 0 printed: the blanks are not known to be zeros
	zeroed := strings.Replace(blank, "四、结转下年度继续办理\n", "四、结转下年度继续办理 0 0\n", 1)
	d = parseText(t, doc(zeroed))
	if c := cell(d, "carried_over", "natural_person"); c != nil {
		t.Errorf("carried_over.natural_person: a 0 is printed in the table, want no row of blanks, got %+v", c)
	}
	if c := cell(d, "granted", "total"); c != nil && c.Value != nil {
		t.Errorf("granted.total: a 0 is printed in the table, want no placement, got %+v", c)
	}
}
