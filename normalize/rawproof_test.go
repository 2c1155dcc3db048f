package normalize

import (
	"math"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"govreport/normalize/internal/golden"
)

// The proofs that what the raw forms (pdftotext without -layout) leave
// missing is not decidable from their order: for each block left missing,
// the readings a stated frame of the order allows are built, and at least
// two of them, distinct by their values, pass every identity of the
// table. Each proof also checks that the golden reading is one of them
// (the frame holds the print), so a block that becomes uniquely decidable
// under its frame fails the test.

type rawGrid map[string]map[string]float64 // row → column → value

var numberRE = regexp.MustCompile(`^\d+(?:\.\d+)?$`)

// rawSpan is the non-blank lines of a variant between the first line
// holding from and the next holding to, each as its words.
func rawSpan(t *testing.T, file, from, to string) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "variants", file))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	in := false
	for _, l := range strings.Split(string(b), "\n") {
		switch {
		case !in && strings.Contains(l, from):
			in = true
			continue
		case in && strings.Contains(l, to):
			return out
		}
		if in && strings.TrimSpace(l) != "" {
			out = append(out, strings.Fields(l))
		}
	}
	t.Fatalf("%s: no span from %q to %q", file, from, to)
	return nil
}

func num(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// passesAll checks every identity of tb on g, over the rows g holds.
func passesAll(tb *tableT, g rawGrid, cols []string) bool {
	eq := func(l, r float64) bool { return math.Abs(l-r) < tolerance }
	for _, id := range tb.Identities {
		if id.Per == "row" {
			for _, r := range g {
				var l, rr float64
				ok := true
				for _, k := range id.Left {
					v, has := r[k]
					ok, l = ok && has, l+v
				}
				for _, k := range id.Right {
					v, has := r[k]
					ok, rr = ok && has, rr+v
				}
				if ok && !eq(l, rr) {
					return false
				}
			}
			continue
		}
		for _, c := range cols {
			var l, r float64
			for _, k := range id.Left {
				l += g[k][c]
			}
			for _, k := range id.Right {
				r += g[k][c]
			}
			if !eq(l, r) {
				return false
			}
		}
	}
	return true
}

func gridKey(g rawGrid, rows, cols []string) string {
	var b strings.Builder
	for _, r := range rows {
		for _, c := range cols {
			b.WriteString(fmtNum(g[r][c]) + " ")
		}
		b.WriteString("| ")
	}
	return b.String()
}

func rawGoldenGrid(t *testing.T, file, table string, rows, cols []string) rawGrid {
	t.Helper()
	gd, err := golden.Read("../testdata", file)
	if err != nil {
		t.Fatal(err)
	}
	g := rawGrid{}
	for _, r := range rows {
		g[r] = map[string]float64{}
		for _, c := range cols {
			v := gd.Cells[table][r][c]
			if v == nil {
				t.Fatalf("%s: golden %s.%s.%s blank", file, table, r, c)
			}
			g[r][c] = *v
		}
	}
	return g
}

// readings collects the distinct passing readings and reports on them.
type readings struct {
	rows, cols []string
	seen       map[string]bool
	pass       []string
	tried      int
}

func (rd *readings) add(tb *tableT, g rawGrid) {
	rd.tried++
	k := gridKey(g, rd.rows, rd.cols)
	if rd.seen[k] {
		return
	}
	rd.seen[k] = true
	if passesAll(tb, g, rd.cols) {
		rd.pass = append(rd.pass, k)
	}
}

func (rd *readings) assert(t *testing.T, what string, gold rawGrid) {
	t.Helper()
	t.Logf("%s: %d readings the order allows, %d distinct, %d pass every identity", what, rd.tried, len(rd.seen), len(rd.pass))
	if !slices.Contains(rd.pass, gridKey(gold, rd.rows, rd.cols)) {
		t.Errorf("%s: the golden reading is not among the passing readings: the frame does not hold the print", what)
	}
	if len(rd.pass) < 2 {
		t.Errorf("%s: %d reading passes every identity: the block is decidable, read it", what, len(rd.pass))
		return
	}
	t.Logf("%s: reading 1: %s", what, rd.pass[0])
	t.Logf("%s: reading 2: %s", what, rd.pass[1])
}

// Huaian's table 四 (a table on one line, 15 cells) comes as runs of
// numbers between header words. Frame: each run is a stretch of the
// line's cells, left to right; the runs come in any order.
func TestRawOrderAmbiguousOneLineRuns(t *testing.T) {
	const file = "2024_huaian_szf_1.pdf__pdftotext_raw.txt"
	tb := tableOf(Template("2021"), "t4")
	var rows, cols []string
	for _, r := range tb.Rows {
		rows = append(rows, r.Key)
	}
	cols = defaultCols(tb, false)
	var runs [][]float64
	var run []float64
	for _, l := range rawSpan(t, file, "四、政府信息公开行政复议", "五、") {
		if len(l) == 1 && numberRE.MatchString(l[0]) {
			run = append(run, num(t, l[0]))
			continue
		}
		if len(run) > 0 {
			runs, run = append(runs, run), nil
		}
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	t.Logf("runs: %v", runs)
	rd := &readings{rows: rows, cols: cols, seen: map[string]bool{}}
	order := make([]int, len(runs))
	used := make([]bool, len(runs))
	var walk func(i int)
	walk = func(i int) {
		if i == len(runs) {
			var cells []float64
			for _, k := range order {
				cells = append(cells, runs[k]...)
			}
			if len(cells) != len(rows)*len(cols) {
				t.Fatalf("%d numbers for %d cells", len(cells), len(rows)*len(cols))
			}
			rd.add(tb, rowMajor(cells, rows, cols))
			return
		}
		for k := range runs {
			if !used[k] {
				used[k], order[i] = true, k
				walk(i + 1)
				used[k] = false
			}
		}
	}
	walk(0)
	rd.assert(t, file+" t4", rawGoldenGrid(t, "2024_huaian_szf_1.pdf", "t4", rows, cols))
}

// The Chromium print's table 二, group (一): two rows of three numbers
// (规章, 行政规范性文件) come as one run with a number on a label's line.
// Frame: each row's numbers left to right, each column's top to bottom
// (the order is a linear extension of the grid), and a number printed on
// a row's label line is that row's. Table 二 has no identity.
func TestRawOrderAmbiguousGroupGrid(t *testing.T) {
	tb := tableOf(Template("2021"), "t2")
	var rows []string
	for _, r := range tb.Rows {
		if r.Group == tb.Rows[0].Group {
			rows = append(rows, r.Key)
		}
	}
	cols := rowCols(indexOf(tb), 0, false)
	label := func(key string) []string {
		for _, r := range tb.Rows {
			if r.Key == key {
				return r.Labels
			}
		}
		return nil
	}
	for _, c := range []struct{ file, gold string }{
		{"2023_pingtan_1_chromium.pdf__pdftotext_raw.txt", "2023_pingtan_1.html"},
		{"2023_pingtan_1.html__chromium_pdftotext_raw.txt", "2023_pingtan_1.html"},
	} {
		var vals []float64
		var anchor []int // row index a number's line names, or -1
		for _, l := range rawSpan(t, c.file, tb.Rows[0].Group, tb.Rows[len(rows)].Group) {
			at := -1
			for ri, r := range rows {
				for _, lab := range label(r) {
					if l[0] == lab {
						at = ri
					}
				}
			}
			for _, w := range l {
				if numberRE.MatchString(w) {
					vals = append(vals, num(t, w))
					anchor = append(anchor, at)
				}
			}
		}
		t.Logf("%s: numbers %v, on a row's label line %v", c.file, vals, anchor)
		if len(vals) != len(rows)*len(cols) {
			t.Fatalf("%s: %d numbers for %d cells", c.file, len(vals), len(rows)*len(cols))
		}
		rd := &readings{rows: rows, cols: cols, seen: map[string]bool{}}
		h := make([]int, len(rows)) // cells given to each row
		g := rawGrid{}
		for _, r := range rows {
			g[r] = map[string]float64{}
		}
		var walk func(k int)
		walk = func(k int) {
			if k == len(vals) {
				cp := rawGrid{}
				for r, m := range g {
					cp[r] = map[string]float64{}
					for c, v := range m {
						cp[r][c] = v
					}
				}
				rd.add(tb, cp)
				return
			}
			for ri, r := range rows {
				if h[ri] == len(cols) || ri > 0 && h[ri-1] <= h[ri] || anchor[k] >= 0 && anchor[k] != ri {
					continue
				}
				g[r][cols[h[ri]]] = vals[k]
				h[ri]++
				walk(k + 1)
				h[ri]--
			}
		}
		walk(0)
		rd.assert(t, c.file+" t2 group "+tb.Rows[0].Group, rawGoldenGrid(t, c.gold, "t2", rows, cols))
	}
}

// The 2021 Chromium print's table 三: one row's total comes before its
// 其他 cell (7.属于行政执法案卷: 6 0 0 0 0 6, its 0 after its label), so
// the order is not row by row, nor a linear extension of the grid. Frame:
// each column's numbers top to bottom, the columns interleaved in any way
// (the weakest frame that holds the print). The readings are too many to
// enumerate; two are built: the golden one, and the golden one with two
// applicant columns swapped in every row; both must be interleavings of
// the printed order and pass every identity.
func TestRawOrderAmbiguousColumnsInterleaved(t *testing.T) {
	const file = "2021_pingtan_1.html__chromium_pdftotext_raw.txt"
	tb, rows, cols := pingtan2021T3(t)
	var seq []float64
	for _, l := range rawSpan(t, file, "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议") {
		for _, w := range l {
			if numberRE.MatchString(w) {
				seq = append(seq, num(t, w))
			}
		}
	}
	if len(seq) != len(rows)*len(cols) {
		t.Fatalf("%d numbers for %d cells", len(seq), len(rows)*len(cols))
	}
	// row by row fails an identity
	rm := rowMajor(seq, rows, cols)
	if passesAll(tb, rm, cols) {
		t.Errorf("the numbers cut row by row pass every identity: read them")
	}
	gold := rawGoldenGrid(t, "2021_pingtan_1.html", "t3", rows, cols)
	if !interleaves(seq, gold, rows, cols) {
		t.Fatalf("the golden reading is not an interleaving of the columns: the frame does not hold the print")
	}
	rd := &readings{rows: rows, cols: cols, seen: map[string]bool{}}
	rd.add(tb, gold)
	for a := 0; a < len(cols)-1; a++ {
		for b := a + 1; b < len(cols)-1; b++ { // the applicant columns, not 总计
			sw := rawGrid{}
			for _, r := range rows {
				sw[r] = map[string]float64{}
				for c, v := range gold[r] {
					sw[r][c] = v
				}
				sw[r][cols[a]], sw[r][cols[b]] = gold[r][cols[b]], gold[r][cols[a]]
			}
			if gridKey(sw, rows, cols) != gridKey(gold, rows, cols) && interleaves(seq, sw, rows, cols) {
				rd.add(tb, sw)
			}
		}
	}
	rd.assert(t, file+" t3", gold)
}

// interleaves reports whether seq is an interleaving of g's columns, each
// read top to bottom.
func interleaves(seq []float64, g rawGrid, rows, cols []string) bool {
	h := make([]int, len(cols))
	dead := map[string]bool{}
	var walk func(k int) bool
	walk = func(k int) bool {
		if k == len(seq) {
			return true
		}
		key := ""
		for _, x := range h {
			key += strconv.Itoa(x) + ","
		}
		if dead[key] {
			return false
		}
		order := make([]int, len(cols))
		for i := range order {
			order[i] = i
		}
		slices.SortStableFunc(order, func(a, b int) int { return h[a] - h[b] }) // row by row first
		for _, ci := range order {
			if c := cols[ci]; h[ci] < len(rows) && g[rows[h[ci]]][c] == seq[k] {
				h[ci]++
				ok := walk(k + 1)
				h[ci]--
				if ok {
					return true
				}
			}
		}
		dead[key] = true
		return false
	}
	return walk(0)
}

// pingtan2021T3 is table 三 of the 2021 Pingtan page: its template, the
// rows its golden has (template order) and the columns.
func pingtan2021T3(t *testing.T) (*tableT, []string, []string) {
	t.Helper()
	tb := tableOf(Template("2021"), "t3")
	gd, err := golden.Read("../testdata", "2021_pingtan_1.html")
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, r := range tb.Rows {
		if _, ok := gd.Cells["t3"][r.Key]; ok {
			rows = append(rows, r.Key)
		}
	}
	return tb, rows, defaultCols(tb, false)
}

// rowMajor lays numbers out over rows × cols, row after row.
func rowMajor(nums []float64, rows, cols []string) rawGrid {
	g := rawGrid{}
	for ri, r := range rows {
		g[r] = map[string]float64{}
		for ci, c := range cols {
			g[r][c] = nums[ri*len(cols)+ci]
		}
	}
	return g
}
