package geometry

import (
	"math"
	"sort"
	"strings"

	"govreport"
)

// A ruled table is read from its ruling lines, as a spreadsheet is: the
// distinct x of its vertical rules and y of its horizontal rules cut it
// into fine cells, neighbours no rule separates are one merged cell (a
// rowspan or colspan), and each run of text belongs to the cell holding
// its centre. Each fine row becomes a line with one cell per fine column,
// as the HTML extractor gives a <table>: a merged cell's text in its
// top-left fine cell, Spanned copies in the others, an empty cell where
// nothing is printed. Columns are thus decided by where the rules stand,
// never by counting numbers.

// grid is a ruled table found on a page.
type grid struct {
	xs, ys []float64 // fine column and row boundaries, ascending
	cell   [][]int   // merged cell id of each fine cell [row][col]
	cells  []gcell
	page   int
}

// gcell is a merged cell.
type gcell struct {
	r0, c0, r1, c1 int   // fine rows r0..r1, columns c0..c1 (inclusive)
	runs           []int // indices into the page's runs
	text           string
	x, y           float64 // where its text starts
	cont           bool    // continues a cell of the page before
	first          *gcell  // that cell
}

// findGrids finds the ruled tables of a page: groups of rules that meet,
// of at least two fine cells.
func findGrids(rules []Rule) []*grid {
	if len(rules) > layout.maxGridRules {
		return nil
	}
	n := len(rules)
	sets := NewSets(n)
	tol := layout.ruleJoin
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a, b := rules[i], rules[j]
			var meet bool
			if a.Vert == b.Vert {
				meet = math.Abs(a.At-b.At) < tol && a.Lo < b.Hi+tol && b.Lo < a.Hi+tol
			} else {
				meet = a.At > b.Lo-tol && a.At < b.Hi+tol && b.At > a.Lo-tol && b.At < a.Hi+tol
			}
			if meet {
				sets.Union(i, j)
			}
		}
	}
	groups := map[int][]Rule{}
	var roots []int
	for i := range rules {
		r := sets.Find(i)
		if _, ok := groups[r]; !ok {
			roots = append(roots, r)
		}
		groups[r] = append(groups[r], rules[i])
	}
	var out []*grid
	for _, r := range roots {
		if g := newGrid(groups[r]); g != nil {
			out = append(out, g)
		}
	}
	return out
}

// newGrid builds the fine cells of one group of rules and merges those no
// rule separates; nil when the rules do not make a table of two fine rows
// and two fine columns.
func newGrid(rs []Rule) *grid {
	var xv, yv []float64
	nv, nh := 0, 0
	for _, r := range rs {
		if r.Vert {
			nv++
			xv = append(xv, r.At)
			yv = append(yv, r.Lo, r.Hi) // open sides: the ends of the verticals
		} else {
			nh++
			yv = append(yv, r.At)
			xv = append(xv, r.Lo, r.Hi)
		}
	}
	if nv < 2 || nh < 2 {
		return nil
	}
	g := &grid{xs: cluster(xv), ys: cluster(yv)}
	rows, cols := len(g.ys)-1, len(g.xs)-1
	if rows*cols < 2 || rows*cols > layout.maxGridCells {
		return nil
	}
	// A rule separates two fine cells when it covers most of their
	// common side.
	covered := func(vert bool, at, lo, hi float64) bool {
		need := layout.ruleCover * (hi - lo)
		got := 0.0
		for _, r := range rs {
			if r.Vert == vert && math.Abs(r.At-at) < layout.ruleJoin {
				got += math.Max(0, math.Min(r.Hi, hi)-math.Max(r.Lo, lo))
			}
		}
		return got >= need
	}
	sets := NewSets(rows * cols)
	for i := 0; i < rows; i++ {
		for j := 0; j < cols; j++ {
			if j+1 < cols && !covered(true, g.xs[j+1], g.ys[i], g.ys[i+1]) {
				sets.Union(i*cols+j, i*cols+j+1)
			}
			if i+1 < rows && !covered(false, g.ys[i+1], g.xs[j], g.xs[j+1]) {
				sets.Union(i*cols+j, (i+1)*cols+j)
			}
		}
	}
	ids := map[int]int{}
	g.cell = make([][]int, rows)
	for i := 0; i < rows; i++ {
		g.cell[i] = make([]int, cols)
		for j := 0; j < cols; j++ {
			root := sets.Find(i*cols + j)
			id, ok := ids[root]
			if !ok {
				id = len(g.cells)
				ids[root] = id
				g.cells = append(g.cells, gcell{r0: i, c0: j, r1: i, c1: j})
			}
			c := &g.cells[id]
			c.r0, c.c0 = min(c.r0, i), min(c.c0, j)
			c.r1, c.c1 = max(c.r1, i), max(c.c1, j)
			g.cell[i][j] = id
		}
	}
	return g
}

// cluster sorts positions and merges those closer than ruleJoin (the
// width of a drawn line, a double border) into their mean.
func cluster(v []float64) []float64 {
	sort.Float64s(v)
	var out []float64
	start, sum := 0, 0.0
	for i, x := range v {
		if i > start && x-v[i-1] >= layout.ruleJoin {
			out = append(out, sum/float64(i-start))
			start, sum = i, 0
		}
		sum += x
	}
	if len(v) > 0 {
		out = append(out, sum/float64(len(v)-start))
	}
	return out
}

// runCentre is the middle of a run's glyphs: a horizontal run's baseline
// is near the bottom of its glyphs, a vertical run hangs from its Y.
func runCentre(r Run) (x, y float64) {
	x = (r.X0 + r.X1) / 2
	if r.Vert {
		return x, r.Y + r.Size*float64(len([]rune(r.Text)))/2
	}
	return x, r.Y - layout.baselineRise*r.Size
}

// locate returns the fine cell holding (x, y), or false outside the grid.
func (g *grid) locate(x, y float64) (int, int, bool) {
	if x <= g.xs[0] || x >= g.xs[len(g.xs)-1] || y <= g.ys[0] || y >= g.ys[len(g.ys)-1] {
		return 0, 0, false
	}
	j := sort.SearchFloat64s(g.xs, x) - 1
	i := sort.SearchFloat64s(g.ys, y) - 1
	return i, j, true
}

// gridItems assigns the unused runs inside g to its cells, marks them used
// and returns one item per fine row that holds text; their cells are
// written by gridLines once the table's parts on other pages are known.
func gridItems(pg Page, runs []Run, used []bool, g *grid) []item {
	any := false
	for k, r := range runs {
		if used[k] {
			continue
		}
		x, y := runCentre(r)
		i, j, ok := g.locate(x, y)
		if !ok {
			continue
		}
		c := &g.cells[g.cell[i][j]]
		c.runs = append(c.runs, k)
		used[k] = true
		any = true
	}
	if !any {
		return nil
	}
	g.page = pg.N
	for id := range g.cells {
		c := &g.cells[id]
		c.text = cellText(runs, c.runs)
		if len(c.runs) > 0 {
			r := runs[c.runs[0]]
			c.x, c.y = round2(r.X0), round2(r.Y)
		}
	}
	pt := &ptable{}
	var items []item
	for i := 0; i+1 < len(g.ys); i++ {
		printed := false
		for j := 0; j+1 < len(g.xs); j++ {
			if c := g.cells[g.cell[i][j]]; c.r0 == i && c.c0 == j && c.text != "" {
				printed = true
			}
		}
		if printed {
			items = append(items, item{page: pg.N, y: g.ys[i], tab: pt, grid: g, gridRow: i})
		}
	}
	return items
}

// joinContinued joins the cells of a ruled table cut by a page break: a
// group label cell open at the foot of one page ((四)无, left of the
// label of a data row, over several rows on one of the two pages) and the cell below it at the top of the next
// (法提供, or nothing when the label was printed whole above) are one
// merged cell, its text in the first part, Spanned in the rest, as if the
// page had not broken.
func joinContinued(items []item) {
	for k := 1; k < len(items); k++ {
		a, b := items[k-1].grid, items[k].grid
		if a == nil || b == nil || a == b || items[k-1].line.Table != items[k].line.Table || a.page >= b.page {
			continue
		}
		last := len(a.ys) - 2
		if !a.hasNumber(last) || !b.hasNumber(0) {
			continue // a group label goes on over data rows only
		}
		for id := range b.cells {
			cb := &b.cells[id]
			if cb.r0 != 0 || isNumeric(cb.text) || reOrdinal.MatchString(cb.text) {
				continue
			}
			bx0, bx1 := b.xs[cb.c0], b.xs[cb.c1+1]
			for ia := range a.cells {
				ca := &a.cells[ia]
				ax0, ax1 := a.xs[ca.c0], a.xs[ca.c1+1]
				overlap := math.Min(ax1, bx1) - math.Max(ax0, bx0)
				if ca.r1 != last || ca.text == "" || isNumeric(ca.text) || overlap < layout.continueOverlap*math.Min(ax1-ax0, bx1-bx0) {
					continue
				}
				if !a.labelRightOf(last, ca.c1) || ca.r0 == ca.r1 && cb.r0 == cb.r1 {
					continue // a row's own label, not a group label over several rows
				}
				ca.text = joinCJK(ca.text + cb.text)
				if ca.first != nil {
					ca.first.text = ca.text
				}
				cb.text, cb.cont = ca.text, true
				cb.first = ca
				if ca.first != nil {
					cb.first = ca.first
				}
				break
			}
		}
	}
}

// numbersOnly reports whether text is numbers separated by spaces: a
// cell's values, each printed apart (digits run into a label are not).
func numbersOnly(text string) bool {
	f := strings.Fields(text)
	for _, w := range f {
		if !isNumeric(w) {
			return false
		}
	}
	return len(f) > 0
}

// labelRightOf reports whether fine row i holds text other than numbers
// right of column j: a group label stands left of its rows' labels.
func (g *grid) labelRightOf(i, j int) bool {
	for k := j + 1; k+1 < len(g.xs); k++ {
		if c := g.cells[g.cell[i][k]]; c.text != "" && !isNumeric(c.text) && !rePlaceNum.MatchString(c.text) {
			return true
		}
	}
	return false
}

// hasNumber reports whether fine row i prints a number.
func (g *grid) hasNumber(i int) bool {
	for j := 0; j+1 < len(g.xs); j++ {
		if c := g.cells[g.cell[i][j]]; c.r0 == i && isNumeric(c.text) {
			return true
		}
	}
	return false
}

// gridLines writes the cells of the grid rows: one per fine column, a
// merged cell's text in its top-left fine cell and Spanned elsewhere (and
// everywhere in the part continued from the page before).
func gridLines(items []item) {
	for k := range items {
		g, i := items[k].grid, items[k].gridRow
		if g == nil {
			continue
		}
		var cells []govreport.TextCell
		for j := 0; j+1 < len(g.xs); j++ {
			c := g.cells[g.cell[i][j]]
			tc := govreport.TextCell{Text: c.text, Apart: numbersOnly(c.text), Pos: govreport.Pos{Page: g.page, X: round2(g.xs[j]), Y: round2(g.ys[i])}}
			if len(c.runs) > 0 {
				tc.Pos.X, tc.Pos.Y = c.x, c.y
			}
			tc.Spanned = c.cont || c.r0 != i || c.c0 != j
			cells = append(cells, tc)
		}
		items[k].line.Cells = cells
	}
}

// cellText joins a cell's runs: lines of horizontal text top to bottom,
// vertical runs left to right, CJK text without spaces.
func cellText(runs []Run, idx []int) string {
	if len(idx) == 0 {
		return ""
	}
	var hor, vert []Run
	for _, k := range idx {
		if runs[k].Vert {
			vert = append(vert, runs[k])
		} else {
			hor = append(hor, runs[k])
		}
	}
	var parts []string
	for _, l := range visualLines(hor) {
		parts = append(parts, lineText(l.runs))
	}
	sort.SliceStable(vert, func(a, b int) bool {
		if math.Abs(vert[a].X0-vert[b].X0) > vert[a].Size/2 {
			return vert[a].X0 < vert[b].X0
		}
		return vert[a].Y < vert[b].Y
	})
	for _, r := range vert {
		parts = append(parts, r.Text)
	}
	return joinCJK(strings.Join(parts, " "))
}
