package geometry

import (
	"math"
	"sort"
	"strings"

	"govreport"
)

// A table without ruling lines is read from where its text stands. Its
// data rows are the baselines of isolated numbers (findTables). Its
// columns are where those numbers and its header's words stand: a column
// whose every cell is blank still has its header word. A number belongs
// to the column whose span holds it; each row prints a cell for every
// column its header names, blank where nothing is printed. Row labels are
// the label area's lines chained at the pitch of wrapped lines into label
// cells: a cell holding a row's baseline is its label (the rightmost) or
// a group label (left of it, or over several rows); a label cell holding
// no row's numbers, aligned with the other labels and with nothing to its
// right, is a row printed blank.

// lblock is a label cell: lines of the label area one under the other.
type lblock struct {
	segs        []frag // top to bottom
	x0, x1      float64
	top, bottom float64 // the first and last line's baseline
	on          int     // the data row one of its lines sits on, or -1
	rows        []int   // the rows whose baseline it spans
	used        bool
}

// prow is a row of the table: a baseline of numbers, or a label printed
// with no number.
type prow struct {
	y      float64
	nums   []int
	label  *lblock
	groups []*lblock
	texts  []*lblock // its cells of a text column (计量单位: 条)
}

// hspec is a line naming columns: the header, or a text row inside the
// table (信息内容 | 本年处理决定数量). The rows below it print a cell for
// each column from first to last; n is the number of its cells over the
// columns (one: a cell spanning them all).
type hspec struct {
	y           float64
	first, last int
	n           int
}

// add counts column k (-1: none) as named by the line, once.
func (s *hspec) add(k int, seen map[int]bool) {
	if k < 0 || seen[k] {
		return
	}
	seen[k] = true
	s.n++
	if s.first < 0 || k < s.first {
		s.first = k
	}
	s.last = max(s.last, k)
}

// tableHead is where a table begins: its header's top line, or above its
// first row where its header would start.
func tableHead(runs []Run, used []bool, t tableSpec) float64 {
	numCols := clusterColumns(runs, t.rows)
	size := tableSize(runs, t.rows, numCols[0].x0)
	top := t.rows[0].y - layout.firstRowTop*size
	peek := append([]bool{}, used...)
	for _, i := range headerRuns(runs, peek, top, size) {
		top = math.Min(top, runs[i].Y)
	}
	return top
}

// buildTable turns a table's runs into lines: header lines, then one line
// per row with [group labels, Spanned] [label] [a cell per column]. Its
// label cells and rows printed blank end above limit, where the next
// table on the page begins.
func buildTable(pg Page, runs []Run, used []bool, t tableSpec, st *docState, limit float64) []item {
	rows := t.rows
	numCols := clusterColumns(runs, rows)
	size := tableSize(runs, rows, numCols[0].x0)
	for _, c := range rows {
		for _, i := range c.nums {
			used[i] = true
		}
	}
	tableTop := rows[0].y - layout.firstRowTop*size
	lastY := rows[len(rows)-1].y
	pitch := rowPitch(rows)
	pt := &ptable{}

	// The header's words give the columns (read on a copy: the first
	// row's label may reach above the table's top, and is taken first).
	peek := append([]bool{}, used...)
	above := headerRuns(runs, peek, tableTop, size)
	cols, leaf := tableColumns(runs, above, numCols, size)
	// A table at the top of a page with no header over its columns (only
	// labels above its first row) continues the last one: its columns.
	top := true // nothing over its columns above its first row
	for _, w := range leaf {
		if w.x1 >= numCols[0].x0-layout.columnZone {
			top = false
		}
	}
	for i, r := range runs {
		if top && !used[i] && !r.Vert && r.Y < rows[0].y-layout.sameLine*size && r.X1 > numCols[0].x0-layout.columnZone {
			top = false
		}
	}
	cont := top && st.continues()
	hdrWords := above
	if cont {
		// Continued from the page before: the lines above its first row,
		// up to body text, are rows printed blank, not a header.
		peek = append(peek[:0], used...)
		above = linesAbove(runs, peek, tableTop, size, math.Inf(1), false)
		hdrWords = nil
		cols, leaf = tableColumns(runs, nil, numCols, size)
	}
	// The numbers must stand under the columns the header names, one
	// column of numbers to a header word: otherwise where a number stands
	// does not say its column (a table misaligned in its source), and each
	// row prints only its numbers, for the reader to place (and flag).
	heads := leaf
	if cont {
		heads = st.cols[st.spec.first : st.spec.last+1]
		if st.heads != nil {
			heads = st.heads
		}
	}
	if under := underHeads(runs, rows, numCols, heads); len(under) < len(numCols) {
		numCols = under
		cols, _ = tableColumns(runs, hdrWords, numCols, size)
	}
	agree := columnsAgree(numCols, heads) && !(top && st.doubt)
	var prevFirst, prevLast column
	if cont {
		prevFirst, prevLast = st.cols[st.spec.first], st.cols[st.spec.last]
		for _, c := range st.cols {
			overlaps := false
			for _, o := range cols {
				if c.x0 < o.x1-layout.columnOverlap && c.x1 > o.x0+layout.columnOverlap {
					overlaps = true
				}
			}
			if !overlaps {
				cols = append(cols, c)
			}
		}
		sort.Slice(cols, func(a, b int) bool { return cols[a].x0 < cols[b].x0 })
	}
	left := labelEdge(runs, rows, cols, leaf)
	inLabel := func(r Run) bool { return r.X1 <= left+layout.columnZone || colOf(cols, r.X0, r.X1) < 0 }
	// Label lines start below the header's words over the columns; with
	// none (a table continued from the page before), the lines above the
	// first row may be rows printed blank.
	labelTop := rows[0].y - layout.labelBand*size
	headerEnd := math.Inf(-1)
	for _, i := range above {
		if r := runs[i]; !inLabel(r) {
			headerEnd = math.Max(headerEnd, r.Y)
		}
	}
	for _, i := range above {
		if math.IsInf(headerEnd, -1) {
			labelTop = math.Min(labelTop, runs[i].Y)
		}
	}
	if !math.IsInf(headerEnd, -1) {
		labelTop = headerEnd + layout.sameLine*size
	}
	bottom := lastY + layout.belowLastRow*size
	below := lastY + math.Max(layout.labelBand*size, layout.blankBelow*pitch)
	below = math.Min(below, limit-layout.sameLine*size)

	// Text in the value columns away from the data rows marks a text row
	// (信息内容 | 本年处理决定数量): its label-area text is not a row label.
	var textRowY []float64
	for i, r := range runs {
		if used[i] || r.Vert || inLabel(r) || r.Y < tableTop || r.Y > bottom || isNumeric(r.Text) || rePlaceNum.MatchString(r.Text) {
			continue
		}
		near := false
		for _, c := range rows {
			if math.Abs(r.Y-c.y) < layout.rowValues*size {
				near = true
				break
			}
		}
		if !near {
			textRowY = append(textRowY, r.Y)
		}
	}
	onTextRow := func(y float64) bool {
		for _, ty := range textRowY {
			if math.Abs(ty-y) < layout.sameLine*size {
				return true
			}
		}
		return false
	}

	// Label cells.
	var labelIdx []int
	for i, r := range runs {
		if !used[i] && !r.Vert && inLabel(r) && r.Y >= labelTop && r.Y <= below && !onTextRow(r.Y) {
			labelIdx = append(labelIdx, i)
		}
	}
	blocks := labelBlocks(pg.N, runs, labelIdx, rows, size)

	// Rows: the data rows, then the label cells of rows printed blank.
	prows := make([]*prow, len(rows))
	for k, c := range rows {
		prows[k] = &prow{y: c.y, nums: c.nums}
	}
	var labels []float64 // where row labels start, for blank rows
	labels = append(labels, st.labelX...)
	blocks = splitLabels(blocks, rows)
	for k, p := range prows {
		// The row's label is its widest label cell: group labels stand in
		// narrow columns left of it, text cells (条) in narrow ones right.
		var best *lblock
		for _, b := range blocks {
			if len(b.rows) == 1 && b.rows[0] == k && (best == nil || b.x1-b.x0 > best.x1-best.x0) {
				best = b
			}
		}
		p.label = best
		if best == nil {
			continue
		}
		best.used = true
		labels = append(labels, best.x0)
		for _, b := range blocks {
			if len(b.rows) == 1 && b.rows[0] == k && b != best && b.x0 >= best.x1-layout.columnZone {
				b.used = true
				p.texts = append(p.texts, b)
			}
		}
	}
	st.labelX = labels
	// Label cells holding no number, with nothing right of them, starting
	// where row labels (or other such cells, or the header's cell over the
	// labels: 信息内容 over 规章) do: rows printed blank.
	starts := append([]float64{}, labels...)
	for _, i := range above {
		if r := runs[i]; inLabel(r) {
			starts = append(starts, r.X0)
		}
	}
	var blank []*lblock
	for _, b := range blocks {
		if b.used || len(b.rows) > 0 || b.top <= headerEnd {
			continue
		}
		right := false
		for _, o := range blocks {
			if o != b && o.x0 >= b.x1-layout.columnZone && o.top <= b.bottom+layout.sameLine*size && o.bottom >= b.top-layout.sameLine*size {
				right = true
			}
		}
		if !right {
			blank = append(blank, b)
		}
	}
	for _, b := range blank {
		ok := aligned(b.x0, starts, size)
		for _, o := range blank {
			ok = ok || o != b && math.Abs(o.x0-b.x0) <= layout.labelAlign*size
		}
		if ok {
			b.used = true
			prows = append(prows, &prow{y: b.top, label: b})
		}
	}
	sort.SliceStable(prows, func(a, b int) bool { return prows[a].y < prows[b].y })
	// Group labels: cells over several rows, or left of a row's label.
	for _, b := range blocks {
		if b.used {
			continue
		}
		lo, hi := b.top-layout.sameLine*size, b.bottom+layout.sameLine*size
		if len(b.rows) == 0 {
			lo, hi = b.top-layout.labelBand*size, b.bottom+layout.labelBand*size
		}
		for _, p := range prows {
			if p.y >= lo && p.y <= hi && (p.label == nil || b.x1 <= p.label.x0+layout.columnZone) {
				p.groups = append(p.groups, b)
				b.used = true
			}
		}
	}
	for _, b := range blocks {
		if b.used {
			for _, s := range b.segs {
				for _, i := range s.idx {
					used[i] = true
				}
			}
		}
	}

	// The header is above the first row, printed blank or not.
	hdrTop := tableTop
	for _, p := range prows {
		hdrTop = math.Min(hdrTop, p.y-layout.firstRowTop*size)
	}
	hdr := headerRuns(runs, used, hdrTop, size)
	// The lines naming columns, and what each row prints.
	specs := headerSpecs(runs, used, cols, leaf, math.Min(tableTop, headerEnd), bottom, textRowY, size)
	switch {
	case cont:
		s := hspec{y: math.Inf(-1), first: colOf(cols, prevFirst.x0, prevFirst.x1), last: colOf(cols, prevLast.x0, prevLast.x1), n: st.spec.n}
		specs = append([]hspec{s}, specs...)
		st.cols, st.spec = cols, &specs[0]
	case len(leaf) > 0 && len(specs) > 0:
		st.cols, st.spec, st.heads = cols, &specs[0], leaf
	default:
		st.cols, st.spec, st.heads = nil, nil, nil
	}
	if st.cols != nil && len(specs) > 1 && specs[len(specs)-1].n >= 2 {
		st.spec, st.heads = &specs[len(specs)-1], nil
	}
	st.doubt = !agree
	if !agree {
		specs, st.cols, st.spec, st.heads = nil, nil, nil, nil
	}
	var items []item
	for k, p := range prows {
		var groups []frag
		for _, b := range p.groups {
			groups = append(groups, b.frag(pg.N))
		}
		// Vertical runs beside the row are group labels.
		lo, hi := p.y-layout.labelBand*size, p.y+layout.labelBand*size
		if k > 0 {
			lo = math.Max(lo, (prows[k-1].y+p.y)/2)
		}
		if k+1 < len(prows) {
			hi = math.Min(hi, (prows[k+1].y+p.y)/2)
		}
		for i, r := range runs {
			if r.Vert && !used[i] && r.X1 <= left+layout.columnZone && r.Y < hi && r.Y+r.Size*float64(len([]rune(r.Text))) > lo {
				groups = append(groups, frag{text: r.Text, x0: r.X0, x1: r.X1, y: r.Y, page: pg.N})
			}
		}
		line := govreport.Line{}
		if p.label != nil {
			f := p.label.frag(pg.N)
			line.Cells = append(line.Cells, govreport.TextCell{Text: f.text, Pos: govreport.Pos{Page: pg.N, X: round2(f.x0), Y: round2(f.y)}})
		}
		for _, b := range p.texts {
			f := b.frag(pg.N)
			line.Cells = append(line.Cells, govreport.TextCell{Text: f.text, Pos: govreport.Pos{Page: pg.N, X: round2(f.x0), Y: round2(f.y)}})
		}
		line.Cells = append(line.Cells, rowValues(pg.N, runs, used, p, cols, lastSpec(specs, p.y), !agree, size)...)
		items = append(items, item{page: pg.N, y: p.y, line: line, tab: pt, row: &trow{groups: groups}})
	}
	// Vertical runs beside the table are consumed by it.
	for i, r := range runs {
		if r.Vert && !used[i] && r.X1 <= left+layout.columnZone && r.Y < bottom && r.Y+r.Size*float64(len([]rune(r.Text))) > tableTop {
			used[i] = true
		}
	}
	// Text lines inside the table, between data rows.
	var inner []Run
	for i, r := range runs {
		if !used[i] && r.Y >= tableTop && r.Y < bottom {
			inner = append(inner, r)
			used[i] = true
		}
	}
	for _, l := range visualLines(inner) {
		items = append(items, item{page: pg.N, y: l.y, line: cellLine(pg.N, l.runs, size), tab: pt})
	}
	if len(hdr) > 0 {
		items = append(items, headerItems(pg.N, runs, hdr, cols, size, pt)...)
	}
	sort.SliceStable(items, func(a, b int) bool { return items[a].y < items[b].y })
	return items
}

// labelEdge is where the label area ends: at the first column that a
// header word names or that holds numbers of two rows. A number printed
// out of its column, left of the others (pdftotext moves one up to the
// label before it), does not move the labels' edge.
func labelEdge(runs []Run, rows []rowCand, cols, leaf []column) float64 {
	for _, c := range cols {
		n := 0
		for _, r := range rows {
			for _, i := range r.nums {
				if m := (runs[i].X0 + runs[i].X1) / 2; m >= c.x0 && m <= c.x1 {
					n++
					break
				}
			}
		}
		named := false
		for _, w := range leaf {
			if w.x0 < c.x1-layout.columnOverlap && w.x1 > c.x0+layout.columnOverlap {
				named = true
			}
		}
		if named || n >= 2 || len(rows) < 2 {
			return c.x0
		}
	}
	return cols[0].x0
}

// underHeads merges the columns of numbers that stand under one header
// column and never share a row: numbers of one column printed at
// different x (a row's total in a cell spanning two of the source's
// columns) are one column, the one their header spans.
func underHeads(runs []Run, rows []rowCand, nums, heads []column) []column {
	var out []column
	for k := 0; k < len(nums); k++ {
		c := nums[k]
		h := headOver(c, heads)
		for h >= 0 && k+1 < len(nums) && headOver(nums[k+1], heads) == h && !shareRow(runs, rows, c, nums[k+1]) {
			k++
			c.x1 = math.Max(c.x1, nums[k].x1)
		}
		out = append(out, c)
	}
	return out
}

// headOver is the one header column over column c, or -1.
func headOver(c column, heads []column) int {
	found := -1
	for k, h := range heads {
		if c.x0 < h.x1-layout.columnOverlap && c.x1 > h.x0+layout.columnOverlap {
			if found >= 0 {
				return -1
			}
			found = k
		}
	}
	return found
}

// shareRow reports whether a row prints numbers in both columns.
func shareRow(runs []Run, rows []rowCand, a, b column) bool {
	in := func(i int, c column) bool {
		m := (runs[i].X0 + runs[i].X1) / 2
		return m >= c.x0 && m <= c.x1
	}
	for _, r := range rows {
		inA, inB := false, false
		for _, i := range r.nums {
			inA = inA || in(i, a)
			inB = inB || in(i, b)
		}
		if inA && inB {
			return true
		}
	}
	return false
}

// columnsAgree reports whether each column of numbers stands under one
// of the header's columns, and no header column over two of them.
func columnsAgree(nums, heads []column) bool {
	over := func(a, b column) bool {
		return a.x0 < b.x1-layout.columnOverlap && a.x1 > b.x0+layout.columnOverlap
	}
	for _, n := range nums {
		k := 0
		for _, h := range heads {
			if over(n, h) {
				k++
			}
		}
		if len(heads) > 0 && k != 1 {
			return false
		}
	}
	for _, h := range heads {
		k := 0
		for _, n := range nums {
			if over(n, h) {
				k++
			}
		}
		if k > 1 {
			return false
		}
	}
	return true
}

// tableSize is the table's text size: that of the labels beside the
// numbers and of the numbers, the median.
func tableSize(runs []Run, rows []rowCand, left float64) float64 {
	var sizes []float64
	for _, c := range rows {
		for _, r := range runs {
			if math.Abs(r.Y-c.y) < layout.labelSize*r.Size && r.X1 < left {
				sizes = append(sizes, r.Size)
			}
		}
		sizes = append(sizes, runs[c.nums[0]].Size)
	}
	sort.Float64s(sizes)
	return sizes[len(sizes)/2]
}

// rowPitch is the median distance between consecutive data rows (0 for
// one row).
func rowPitch(rows []rowCand) float64 {
	var d []float64
	for k := 1; k < len(rows); k++ {
		d = append(d, rows[k].y-rows[k-1].y)
	}
	if len(d) == 0 {
		return 0
	}
	sort.Float64s(d)
	return d[len(d)/2]
}

// tableColumns returns the table's columns, from its numbers and its
// header's words, and the header's word columns over the values. The
// header's leftmost words head the labels; words further right head a
// column each, printed or blank (a unit column 计量单位, a column whose
// every cell is blank).
func tableColumns(runs []Run, hdr []int, numCols []column, size float64) (cols, leaf []column) {
	var hr []Run
	for _, i := range hdr {
		if !runs[i].Vert {
			hr = append(hr, runs[i])
		}
	}
	isSpan := spanning(numCols, hr, size)
	var ivs []column
	for k, r := range hr {
		if !isSpan[k] {
			ivs = append(ivs, column{r.X0, r.X1})
		}
	}
	sort.Slice(ivs, func(a, b int) bool { return ivs[a].x0 < ivs[b].x0 })
	var words []column // stacked words of one header cell merged
	for _, iv := range ivs {
		// A word whose end overhangs the next column's words by a sliver
		// (自然人 printed wider than its column) is not stacked with them.
		if n := len(words); n > 0 && iv.x0 < words[n-1].x1-math.Max(layout.columnOverlap, layout.stackOverlap*math.Min(iv.x1-iv.x0, words[n-1].x1-words[n-1].x0)) {
			words[n-1].x1 = math.Max(words[n-1].x1, iv.x1)
			continue
		}
		words = append(words, iv)
	}
	cols = append(cols, numCols...)
	for k, w := range words {
		if k == 0 && w.x1 < numCols[0].x0-layout.columnZone {
			continue // the labels' header (信息内容, 指标名称)
		}
		if w.x1 >= numCols[0].x0-layout.columnZone {
			leaf = append(leaf, w)
		}
		merged := false
		for j := range cols {
			if w.x0 < cols[j].x1-layout.columnOverlap && w.x1 > cols[j].x0+layout.columnOverlap {
				merged = true
			}
		}
		if !merged {
			cols = append(cols, w)
			if w.x1 < numCols[0].x0-layout.columnZone {
				leaf = append(leaf, w)
			}
		}
	}
	sort.Slice(cols, func(a, b int) bool { return cols[a].x0 < cols[b].x0 })
	sort.Slice(leaf, func(a, b int) bool { return leaf[a].x0 < leaf[b].x0 })
	return cols, leaf
}

// labelBlocks chains the label area's lines into label cells: a line
// joins the cell above it when it overlaps it in x and follows it at the
// pitch of wrapped lines, unless each sits on a different row's numbers
// or it starts with an ordinal (a label of its own).
func labelBlocks(page int, runs []Run, idx []int, rows []rowCand, size float64) []*lblock {
	var lr []Run
	for _, i := range idx {
		lr = append(lr, runs[i])
	}
	byRun := map[int]int{} // position in lr → index in runs
	for k, i := range idx {
		byRun[k] = i
	}
	vls := visualLines(lr)
	cut := func(l vline, j int) bool {
		return l.runs[j].X0-l.runs[j-1].X1 > layout.labelCellGap*l.size || l.runs[j].Cut || reOrdinal.MatchString(l.runs[j].Text)
	}
	// Where cells start: a line's first run, and each run the rules above
	// cut before. A run set apart from the one before it, starting where a
	// cell starts on a line above or below, starts a cell too: text of
	// cells side by side printed letter-spaced (不 予 公 beside 务信息, the
	// wrapped line of 5.属于三类内部事).
	type start struct{ x, y float64 }
	var starts []start
	for _, l := range vls {
		for j := range l.runs {
			if j == 0 || cut(l, j) {
				starts = append(starts, start{l.runs[j].X0, l.y})
			}
		}
	}
	alignedStart := func(l vline, j int) bool {
		if l.runs[j].X0-l.runs[j-1].X1 <= layout.spaceGap*l.size {
			return false
		}
		for _, s := range starts {
			if d := math.Abs(s.y - l.y); d > layout.sameLine*size && d <= layout.maxLinePitch*size && math.Abs(s.x-l.runs[j].X0) <= layout.labelAlign*size {
				return true
			}
		}
		return false
	}
	var segs []frag
	for _, l := range vls {
		start := 0
		for j := 1; j <= len(l.runs); j++ {
			if j == len(l.runs) || cut(l, j) || alignedStart(l, j) {
				part := l.runs[start:j]
				// at its own baseline: a visual line may join cells whose
				// lines are printed half a line apart (开 beside 6.属于…)
				f := frag{text: lineText(part), x0: part[0].X0, x1: part[len(part)-1].X1, y: part[0].Y, page: page}
				for _, r := range part {
					for k := range lr {
						if lr[k] == r {
							f.idx = append(f.idx, byRun[k])
							break
						}
					}
				}
				segs = append(segs, f)
				start = j
			}
		}
	}
	onRow := func(y float64) int {
		for k, c := range rows {
			if math.Abs(y-c.y) < layout.sameLine*size {
				return k
			}
		}
		return -1
	}
	// The pitch of wrapped lines: the closest two lines of the label area
	// that overlap in x.
	chain := layout.maxLinePitch * size
	for a := range segs {
		for b := range segs {
			d := segs[b].y - segs[a].y
			if d > layout.sameLine*size && segs[b].x1 > segs[a].x0 && segs[b].x0 < segs[a].x1 {
				chain = math.Min(chain, layout.pitchSlack*d)
			}
		}
	}
	sort.SliceStable(segs, func(a, b int) bool {
		if math.Abs(segs[a].y-segs[b].y) > layout.sameLine*size {
			return segs[a].y < segs[b].y
		}
		return segs[a].x0 < segs[b].x0
	})
	edge := math.Inf(1) // where the labels of rows start
	for _, s := range segs {
		if onRow(s.y) >= 0 {
			edge = math.Min(edge, s.x0)
		}
	}
	var blocks []*lblock
	for _, s := range segs {
		on := onRow(s.y)
		var best *lblock
		for _, b := range blocks {
			gap := s.y - b.bottom
			last := b.segs[len(b.segs)-1]
			if gap <= layout.sameLine*size || gap > chain || s.x1 <= b.x0 || s.x0 >= b.x1 || (on >= 0 && b.on >= 0 && on != b.on) || reOrdinal.MatchString(s.text) || s.x1-s.x0 > last.x1-last.x0+layout.wrapWider*size {
				continue
			}
			if best == nil || gap < s.y-best.bottom {
				best = b
			}
		}
		// A cell's wrapped line starts at its left edge, where the labels
		// start, left of a first line printed indented: under it, a cell's
		// gap or two left of it.
		for _, b := range blocks {
			gap := s.y - b.bottom
			if best != nil || on >= 0 || gap <= layout.sameLine*size || gap > chain || s.x1 > b.x0 || b.x0-s.x1 > 2*layout.labelCellGap*size || s.x0 > edge+layout.labelAlign*size || reOrdinal.MatchString(s.text) {
				continue
			}
			best = b
		}
		if best == nil {
			best = &lblock{x0: s.x0, x1: s.x1, top: s.y, on: -1}
			blocks = append(blocks, best)
		}
		best.segs = append(best.segs, s)
		best.x0, best.x1 = math.Min(best.x0, s.x0), math.Max(best.x1, s.x1)
		best.bottom = s.y
		if best.on < 0 {
			best.on = on
		}
	}
	out := blocks
	for _, b := range out {
		for k, c := range rows {
			if c.y >= b.top-layout.sameLine*size && c.y <= b.bottom+layout.sameLine*size {
				b.rows = append(b.rows, k)
			}
		}
	}
	return out
}

// splitLabels splits the label cells chained over several rows that are
// not group labels: a group label stands beside narrower cells of its
// rows' labels; row labels wrapped as tightly as the rows follow each
// other are wider than what stands beside them. Each line goes to the
// row whose numbers are nearest.
func splitLabels(blocks []*lblock, rows []rowCand) []*lblock {
	var out []*lblock
	for _, b := range blocks {
		if len(b.rows) < 2 {
			out = append(out, b)
			continue
		}
		wider := true
		for _, o := range blocks {
			if len(o.rows) == 1 && o.x0 >= b.x1-layout.columnZone && o.rows[0] >= b.rows[0] && o.rows[0] <= b.rows[len(b.rows)-1] && o.x1-o.x0 >= b.x1-b.x0 {
				wider = false
			}
		}
		if !wider {
			out = append(out, b)
			continue
		}
		parts := map[int]*lblock{}
		for _, sg := range b.segs {
			k := b.rows[0]
			for _, r := range b.rows {
				if math.Abs(rows[r].y-sg.y) < math.Abs(rows[k].y-sg.y) {
					k = r
				}
			}
			p := parts[k]
			if p == nil {
				p = &lblock{x0: sg.x0, x1: sg.x1, top: sg.y, on: -1, rows: []int{k}}
				parts[k] = p
				out = append(out, p)
			}
			p.segs = append(p.segs, sg)
			p.x0, p.x1 = math.Min(p.x0, sg.x0), math.Max(p.x1, sg.x1)
			p.bottom = sg.y
		}
	}
	return out
}

// frag joins the cell's lines into one label.
func (b *lblock) frag(page int) frag {
	var parts []string
	for _, s := range b.segs {
		parts = append(parts, s.text)
	}
	return frag{text: joinCJK(strings.Join(parts, " ")), x0: b.x0, x1: b.x1, y: b.top, page: page}
}

// headerSpecs lists the lines naming columns: the header's words over the
// columns, and each text row inside the table.
func headerSpecs(runs []Run, used []bool, cols, leaf []column, top, bottom float64, textRowY []float64, size float64) []hspec {
	var specs []hspec
	if len(leaf) > 0 {
		s := hspec{y: top, first: -1}
		seen := map[int]bool{}
		for _, w := range leaf {
			s.add(colOf(cols, w.x0, w.x1), seen)
		}
		if s.n > 0 {
			specs = append(specs, s)
		}
	}
	sort.Float64s(textRowY)
	for _, y := range textRowY {
		if len(specs) > 0 && math.Abs(specs[len(specs)-1].y-y) < layout.sameLine*size {
			continue
		}
		s := hspec{y: y, first: -1}
		seen := map[int]bool{}
		for _, r := range runs {
			if r.Vert || math.Abs(r.Y-y) >= layout.sameLine*size || r.X1 <= cols[0].x0+layout.columnZone {
				continue
			}
			s.add(colOf(cols, r.X0, r.X1), seen)
		}
		if s.n > 0 {
			specs = append(specs, s)
		}
	}
	sort.SliceStable(specs, func(a, b int) bool { return specs[a].y < specs[b].y })
	return specs
}

// lastSpec is the last line naming columns above y, or nil.
func lastSpec(specs []hspec, y float64) *hspec {
	var out *hspec
	for k := range specs {
		if specs[k].y < y {
			out = &specs[k]
		}
	}
	return out
}

// rowValues returns a row's value cells: one per column its header names
// (or from its first to its last printed value), blank where nothing is
// printed; packed (the columns are in doubt), its printed values only.
// Each value is a number standing apart: Apart.
func rowValues(page int, runs []Run, used []bool, p *prow, cols []column, spec *hspec, packed bool, size float64) []govreport.TextCell {
	vals := make([][]Run, len(cols))
	for _, i := range p.nums {
		if k := colOf(cols, runs[i].X0, runs[i].X1); k >= 0 {
			vals[k] = append(vals[k], runs[i])
		}
	}
	// Other text on the row's baseline in the columns (—, 无).
	for i, r := range runs {
		if used[i] || r.Vert || math.Abs(r.Y-p.y) >= layout.rowValues*size || r.X1 <= cols[0].x0+layout.columnZone {
			continue
		}
		if k := colOf(cols, r.X0, r.X1); k >= 0 {
			vals[k] = append(vals[k], r)
			used[i] = true
		}
	}
	first, last := -1, -1
	for k := range vals {
		if len(vals[k]) > 0 {
			if first < 0 {
				first = k
			}
			last = k
		}
	}
	switch {
	case spec != nil && spec.n >= 2 && first < 0:
		first, last = spec.first, spec.last
	case spec != nil && spec.n >= 2:
		first, last = min(first, spec.first), max(last, spec.last)
	case spec != nil && first < 0:
		first, last = spec.first, spec.first
	}
	var out []govreport.TextCell
	for k := first; k >= 0 && k <= last; k++ {
		if packed && len(vals[k]) == 0 {
			continue
		}
		cell := govreport.TextCell{Apart: true, Pos: govreport.Pos{Page: page, X: round2(cols[k].x0), Y: round2(p.y)}}
		if len(vals[k]) > 0 {
			sort.SliceStable(vals[k], func(a, b int) bool {
				if math.Abs(vals[k][a].Y-vals[k][b].Y) > layout.sameLine*size {
					return vals[k][a].Y < vals[k][b].Y
				}
				return vals[k][a].X0 < vals[k][b].X0
			})
			parts := make([]string, len(vals[k]))
			for j, r := range vals[k] {
				parts[j] = r.Text
			}
			// runs standing apart stay apart: never one number
			cell.Text = strings.Join(parts, " ")
			cell.Pos.X = round2(vals[k][0].X0)
			cell.Pos.Y = round2(vals[k][0].Y)
		}
		out = append(out, cell)
	}
	return out
}
