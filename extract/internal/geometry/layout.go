package geometry

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"govreport"
)

var (
	reNumber   = regexp.MustCompile(`^[+\-－−]?[0-9０-９][0-9０-９,，]*([.．][0-9０-９]+)?%?$`)
	rePageNo   = regexp.MustCompile(`^[-—–－~\s]*(第\s*)?[0-9]{1,4}(\s*页)?(\s*/\s*[0-9]{1,4})?(\s*共\s*[0-9]{1,4}\s*页)?[-—–－~\s]*$`)
	reOrdinal  = regexp.MustCompile(`^\s*([（(][一二三四五六七八九十]+[）)]|[一二三四五六七八九十]+、|[0-9]+[.、．])`)
	reHeading  = regexp.MustCompile(`^\s*[一二三四五六七八九十]+、`)
	rePlaceNum = regexp.MustCompile(`^([—－\-/／]+|无)$`)
)

// item is one output line with its place on the page.
type item struct {
	page int
	y    float64
	line govreport.Line
	tab  *ptable // nil for paragraph lines
	row  *trow   // data rows only
	// a row of a ruled table: its grid and fine row
	grid    *grid
	gridRow int
}

// ptable is a table as found on one page.
type ptable struct {
	id int
}

// trow carries the row-group fragments found beside a data row.
type trow struct {
	groups []frag
}

// frag is a piece of a row-group label.
type frag struct {
	text   string
	x0, x1 float64
	y      float64
	page   int
	idx    []int // its runs
}

// vline is a visual line: runs that share a baseline band.
type vline struct {
	runs []Run
	y    float64
	size float64
}

func isNumeric(s string) bool { return reNumber.MatchString(s) }

// IsNumber reports whether s is a number as a table prints one (signs,
// full-width digits, thousands separators, decimals, a percent sign).
func IsNumber(s string) bool { return isNumeric(s) }

// IsPlaceholder reports whether s stands in a table for a value not
// given: a dash, a slash or 无.
func IsPlaceholder(s string) bool { return rePlaceNum.MatchString(s) }

// MaxTableRuns bounds the quadratic table search: a page with more runs
// (real report pages have a few hundred) is read as plain lines.
const MaxTableRuns = 4000

// docState is what the pages read so far tell about the next ones.
type docState struct {
	// labelX: where the row labels of the tables without rules start; a
	// table continued on the next page keeps its label column.
	labelX []float64
	// cols, spec: the columns the last such table's header named; a table
	// continued at the top of the next page, without a header, has them.
	cols []column
	spec *hspec
	// heads: the columns the header's words span, when spec is the
	// header's (a continuation's numbers stand under them).
	heads []column
	// doubt: the last such table's numbers did not stand under its
	// header's columns; its continuation, with no header, is in doubt too.
	doubt bool
}

// continues reports whether the state holds a header a table continued
// on the next page can take: a spec whose columns are among cols.
func (st *docState) continues() bool {
	return st.spec != nil && st.spec.first >= 0 && st.spec.first <= st.spec.last && st.spec.last < len(st.cols)
}

// pageText is a page's runs, cleaned, without its headers and footers.
func pageText(pg Page, drop map[string]bool) []Run {
	var runs []Run
	for _, r := range pg.Runs {
		r.Text = clean(r.Text)
		if r.Text == "" {
			continue
		}
		runs = append(runs, r)
	}
	lines := visualLines(runs)
	runs = runs[:0]
	for _, l := range lines {
		if isMargin(l, pg.Height) && (rePageNo.MatchString(lineText(l.runs)) || drop[marginKey(l)]) {
			continue
		}
		runs = append(runs, l.runs...)
	}
	return runs
}

// layoutPage turns one page's text (pageText) into items in reading
// order.
func layoutPage(pg Page, runs []Run, st *docState) []item {
	used := make([]bool, len(runs))
	var items []item
	if len(runs) <= MaxTableRuns {
		for _, g := range findGrids(pg.Rules) {
			items = append(items, gridItems(pg, runs, used, g)...)
		}
		tables := findTables(runs, used)
		for k, t := range tables {
			limit := math.Inf(1)
			if k+1 < len(tables) {
				limit = tableHead(runs, used, tables[k+1])
			}
			items = append(items, buildTable(pg, runs, used, t, st, limit)...)
		}
	}
	var rest []Run
	for i, r := range runs {
		if !used[i] {
			rest = append(rest, r)
		}
	}
	for _, l := range visualLines(rest) {
		items = append(items, item{page: pg.N, y: l.y, line: govreport.Line{Cells: []govreport.TextCell{{
			Text: lineText(l.runs),
			Pos:  govreport.Pos{Page: pg.N, X: round2(l.runs[0].X0), Y: round2(l.y)},
		}}}})
	}
	sort.SliceStable(items, func(i, j int) bool { return items[i].y < items[j].y })
	return items
}

func isMargin(l vline, h float64) bool {
	return l.y < layout.marginTop*h || l.y > layout.marginBottom*h
}

// marginKey identifies a header or footer line repeated across pages.
func marginKey(l vline) string {
	s := lineText(l.runs)
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '#'
		}
		return r
	}, s)
}

// repeatedMargins returns the margin lines printed on several pages.
func repeatedMargins(pages []Page) map[string]bool {
	count := map[string]int{}
	for _, pg := range pages {
		seen := map[string]bool{}
		var runs []Run
		for _, r := range pg.Runs {
			r.Text = clean(r.Text)
			if r.Text != "" {
				runs = append(runs, r)
			}
		}
		for _, l := range visualLines(runs) {
			if isMargin(l, pg.Height) {
				k := marginKey(l)
				if !seen[k] {
					seen[k] = true
					count[k]++
				}
			}
		}
	}
	drop := map[string]bool{}
	for k, n := range count {
		if n >= 2 && n*2 >= len(pages) {
			drop[k] = true
		}
	}
	return drop
}

// visualLines groups runs whose vertical extents overlap, top to bottom.
func visualLines(runs []Run) []vline {
	idx := make([]int, len(runs))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return runs[idx[a]].Y < runs[idx[b]].Y })
	var out []vline
	for _, i := range idx {
		r := runs[i]
		if n := len(out); n > 0 {
			l := &out[n-1]
			s := math.Min(l.size, r.Size)
			if !r.Vert && math.Abs(r.Y-l.y) < layout.sameLine*s {
				l.runs = append(l.runs, r)
				if r.Size > l.size {
					l.size = r.Size
				}
				continue
			}
		}
		out = append(out, vline{runs: []Run{r}, y: r.Y, size: r.Size})
	}
	for k := range out {
		sort.SliceStable(out[k].runs, func(a, b int) bool { return out[k].runs[a].X0 < out[k].runs[b].X0 })
	}
	return out
}

// lineText joins runs left to right; CJK neighbours are joined without a
// space, wide gaps keep one.
func lineText(runs []Run) string {
	var b strings.Builder
	prev := ""
	for i, r := range runs {
		t := joinCJK(r.Text)
		if i > 0 {
			gap := r.X0 - runs[i-1].X1
			if gap > layout.wideGap*r.Size || (gap > layout.spaceGap*r.Size && !endsCJK(prev) && !startsCJK(t)) {
				b.WriteByte(' ')
			}
		}
		b.WriteString(t)
		prev = t
	}
	return b.String()
}

// rowCand is a numeric row candidate: the numeric runs sharing a baseline.
type rowCand struct {
	y    float64
	nums []int // indices into runs
}

// tableSpec is a table found on a page: its data rows.
type tableSpec struct {
	rows []rowCand
}

// findTables finds data rows (isolated numbers on a baseline) and groups
// them into tables.
func findTables(runs []Run, used []bool) []tableSpec {
	var nums []int
	for i, r := range runs {
		if used[i] || r.Vert || !isNumeric(r.Text) {
			continue
		}
		if isolated(runs, i) {
			nums = append(nums, i)
		}
	}
	sort.SliceStable(nums, func(a, b int) bool { return runs[nums[a]].Y < runs[nums[b]].Y })
	var cands []rowCand
	for _, i := range nums {
		r := runs[i]
		if n := len(cands); n > 0 && math.Abs(cands[n-1].y-r.Y) < layout.sameLine*r.Size {
			cands[n-1].nums = append(cands[n-1].nums, i)
			continue
		}
		cands = append(cands, rowCand{y: r.Y, nums: []int{i}})
	}
	var rows []rowCand
	for _, c := range cands {
		if len(c.nums) >= 2 || hasLabelLeft(runs, c) {
			sort.Slice(c.nums, func(a, b int) bool { return runs[c.nums[a]].X0 < runs[c.nums[b]].X0 })
			rows = append(rows, c)
		}
	}
	var tables []tableSpec
	var labels []float64 // where the current table's row labels start
	for k, c := range rows {
		if x := labelX(runs, c); !math.IsNaN(x) {
			labels = append(labels, x)
		}
		if k > 0 {
			t := &tables[len(tables)-1]
			spacing := math.Inf(1) // the table's closest row pitch
			for j := 1; j < len(t.rows); j++ {
				spacing = math.Min(spacing, t.rows[j].y-t.rows[j-1].y)
			}
			if math.IsInf(spacing, 1) {
				spacing = 0
			}
			if !splitBetween(runs, rows[k-1], c, spacing, labels) {
				t.rows = append(t.rows, c)
				continue
			}
		}
		tables = append(tables, tableSpec{rows: []rowCand{c}})
		labels = labels[len(labels)-min(len(labels), 1):]
	}
	return tables
}

// isolated reports whether the run stands apart from text on its
// baseline and is not the first line of a text cell.
func isolated(runs []Run, i int) bool {
	r := runs[i]
	for j, o := range runs {
		if j == i || o.Vert {
			continue
		}
		// A word on the next line under it, no wider: one cell's lines
		// (2013 over 年度 in a header).
		if d := o.Y - r.Y; d > layout.sameLine*r.Size && d < layout.cellLines*r.Size && o.X0 > r.X0-r.Size && o.X1 < r.X1+r.Size && !isNumeric(o.Text) && !rePlaceNum.MatchString(o.Text) {
			return false
		}
		if math.Abs(o.Y-r.Y) > layout.sameLine*r.Size {
			continue
		}
		if o.X1 <= r.X0+layout.touchOverlap*r.Size && r.X0-o.X1 < layout.touchGap*r.Size && !isNumeric(o.Text) {
			return false
		}
		if o.X0 >= r.X1-layout.touchOverlap*r.Size && o.X0-r.X1 < layout.touchGap*r.Size && !isNumeric(o.Text) {
			return false
		}
	}
	return true
}

// hasLabelLeft: a single number with text well to its left and none to
// its right (key/value rows: 行政许可 | 447228), not a number in a sentence.
func hasLabelLeft(runs []Run, c rowCand) bool {
	r := runs[c.nums[0]]
	left := false
	for _, o := range runs {
		if o.Vert || math.Abs(o.Y-r.Y) >= layout.sameLine*r.Size {
			continue
		}
		if o.X1 < r.X0-layout.touchGap*r.Size {
			left = true
		}
		if o.X0 > r.X1 && !isNumeric(o.Text) && !rePlaceNum.MatchString(o.Text) {
			return false
		}
	}
	return left
}

// splitBetween reports whether two consecutive data rows belong to
// different tables: a heading between them (larger text, a numbered
// section heading before the next table's header, or one that does not
// start where the table's row labels do), a paragraph, or an empty
// stretch wider than both tableGap and tableGapRows rows. Rows printed
// blank between them (their label lines) fill the stretch.
func splitBetween(runs []Run, a, b rowCand, spacing float64, labelX []float64) bool {
	size := runs[a.nums[0]].Size
	ys := []float64{a.y, b.y}
	for _, r := range runs {
		if r.Vert || r.Y <= a.y+layout.sameLine*size || r.Y >= b.y-layout.sameLine*size {
			continue
		}
		n := len([]rune(r.Text))
		if r.Size > layout.headingSize*size && n > layout.headingRunes || n > layout.paragraphRunes || strings.HasSuffix(r.Text, "。") {
			return true
		}
		// A numbered section heading followed by a header over the next
		// row's columns; or on a line of its own, away from both rows,
		// unless it starts where the row labels do (a row printed blank,
		// 二、上年结转…).
		if reHeading.MatchString(r.Text) && n >= layout.sectionRunes {
			if headerBetween(runs, r.Y, b) || r.Y > a.y+layout.sectionClear*size && r.Y < b.y-layout.sectionClear*size && !aligned(r.X0, labelX, size) {
				return true
			}
		}
		ys = append(ys, r.Y)
	}
	sort.Float64s(ys)
	limit := math.Max(layout.tableGap, layout.tableGapRows*spacing)
	for k := 1; k < len(ys); k++ {
		if ys[k]-ys[k-1] > limit {
			return true
		}
	}
	return false
}

// headerBetween reports whether text other than numbers stands over the
// columns of row b between y and b: a table's header.
func headerBetween(runs []Run, y float64, b rowCand) bool {
	left := runs[b.nums[0]].X0
	for _, r := range runs {
		if r.Y > y && r.Y < b.y-layout.sameLine*r.Size && r.X1 > left && !isNumeric(r.Text) && !rePlaceNum.MatchString(r.Text) {
			return true
		}
	}
	return false
}

// labelX is where a data row's label starts: the leftmost text on its
// baseline left of its numbers, or NaN.
func labelX(runs []Run, c rowCand) float64 {
	x := math.NaN()
	first := runs[c.nums[0]]
	for _, r := range runs {
		if !r.Vert && math.Abs(r.Y-c.y) < layout.sameLine*r.Size && r.X1 < first.X0 && !isNumeric(r.Text) && (math.IsNaN(x) || r.X0 < x) {
			x = r.X0
		}
	}
	return x
}

// aligned reports whether x is where one of xs is, within labelAlign.
func aligned(x float64, xs []float64, size float64) bool {
	for _, o := range xs {
		if math.Abs(o-x) <= layout.labelAlign*size {
			return true
		}
	}
	return false
}

// column is a cluster of numeric runs sharing an x interval.
type column struct {
	x0, x1 float64
}

func clusterColumns(runs []Run, rows []rowCand) []column {
	var ivs []column
	for _, c := range rows {
		for _, i := range c.nums {
			ivs = append(ivs, column{runs[i].X0, runs[i].X1})
		}
	}
	sort.Slice(ivs, func(a, b int) bool { return ivs[a].x0 < ivs[b].x0 })
	var cols []column
	for _, iv := range ivs {
		if n := len(cols); n > 0 && iv.x0 < cols[n-1].x1-layout.columnOverlap {
			if iv.x1 > cols[n-1].x1 {
				cols[n-1].x1 = iv.x1
			}
			continue
		}
		cols = append(cols, iv)
	}
	return cols
}

// colOf returns the column whose slot holds x, or -1 left of the first.
func colOf(cols []column, x0, x1 float64) int {
	c := (x0 + x1) / 2
	if c < cols[0].x0-layout.labelMargin && x1 < cols[0].x0+layout.labelMargin {
		return -1
	}
	best, bd := 0, math.Inf(1)
	for k, col := range cols {
		d := 0.0
		if c < col.x0 {
			d = col.x0 - c
		} else if c > col.x1 {
			d = c - col.x1
		}
		if d < bd {
			best, bd = k, d
		}
	}
	return best
}

// spanning reports which header runs stand over more than one column:
// they cover two column centres, or sit over words of two columns, or are
// alone on a header line above others (申请人情况).
func spanning(cols []column, hdr []Run, size float64) []bool {
	out := make([]bool, len(hdr))
	lines := visualLines(hdr)
	lineOf := make([]int, len(hdr))
	zoneRuns := make([]int, len(lines))
	for li, l := range lines {
		for _, r := range l.runs {
			if r.X1 >= cols[0].x0-layout.columnZone {
				zoneRuns[li]++
			}
			for k, h := range hdr {
				if h == r {
					lineOf[k] = li
				}
			}
		}
	}
	for k, r := range hdr {
		if r.X1 < cols[0].x0-layout.columnZone {
			continue
		}
		n := 0
		for _, c := range cols {
			if m := (c.x0 + c.x1) / 2; m > r.X0 && m < r.X1 {
				n++
			}
		}
		below := map[int]bool{}
		for _, o := range hdr {
			if o.Y > r.Y+layout.sameLine*size && o.X1 > r.X0 && o.X0 < r.X1 {
				below[colOf(cols, o.X0, o.X1)] = true
			}
		}
		li := lineOf[k]
		wideBelow := 0
		for lj := li + 1; lj < len(lines); lj++ {
			if zoneRuns[lj] >= layout.wideHeader {
				wideBelow++
			}
		}
		few := zoneRuns[li] <= layout.fewHeader && wideBelow >= 1 && len(below) >= 1
		out[k] = n >= 2 || len(below) >= 2 || few
	}
	return out
}

// cellLine splits a visual line into cells at wide gaps.
func cellLine(page int, runs []Run, size float64) govreport.Line {
	var line govreport.Line
	start := 0
	for j := 1; j <= len(runs); j++ {
		if j == len(runs) || runs[j].X0-runs[j-1].X1 > layout.cellGap*size {
			part := runs[start:j]
			line.Cells = append(line.Cells, govreport.TextCell{
				Text: lineText(part),
				Pos:  govreport.Pos{Page: page, X: round2(part[0].X0), Y: round2(part[0].Y)},
			})
			start = j
		}
	}
	return line
}

// headerRuns collects the runs above a table that belong to its header,
// walking up line by line until a line that reads as body text.
func headerRuns(runs []Run, used []bool, top, size float64) []int {
	return linesAbove(runs, used, top, size, layout.headerReach, true)
}

// linesAbove collects the runs up to reach above top, walking up line by
// line until a line that reads as body text (or a numbered heading, with
// headings).
func linesAbove(runs []Run, used []bool, top, size, reach float64, headings bool) []int {
	var cand []Run
	var idx []int
	for i, r := range runs {
		if !used[i] && r.Y < top && r.Y > top-reach {
			cand = append(cand, r)
			idx = append(idx, i)
		}
	}
	if len(cand) == 0 {
		return nil
	}
	lines := visualLines(cand)
	limit := top
	for k := len(lines) - 1; k >= 0; k-- {
		l := lines[k]
		text := lineText(l.runs)
		if l.size > layout.headerSize*size || headings && reHeading.MatchString(text) || strings.HasSuffix(text, "。") || strings.HasSuffix(text, "：") || limit-l.y > layout.headerLineGap*size+layout.headerLineGapPt {
			break
		}
		limit = l.y - layout.sameLine*size
	}
	var out []int
	for j, r := range cand {
		if r.Y >= limit && (r.Vert || r.Y < top) {
			out = append(out, idx[j])
			used[idx[j]] = true
		}
	}
	return out
}

// headerItems emits the header: lines of spanning headers, then one line
// with the words of each column joined.
func headerItems(page int, runs []Run, idx []int, cols []column, size float64, pt *ptable) []item {
	var span, hdr []Run
	byCol := make([][]Run, len(cols)+1) // 0: the label area
	maxY := 0.0
	for _, i := range idx {
		hdr = append(hdr, runs[i])
	}
	isSpan := spanning(cols, hdr, size)
	// Label-area text above every column header (第二十条第（八）项) is a
	// line of its own.
	colTop := math.Inf(1)
	for _, r := range hdr {
		if r.X1 >= cols[0].x0-layout.columnZone {
			colTop = math.Min(colTop, r.Y)
		}
	}
	for k, r := range hdr {
		if r.X1 < cols[0].x0-layout.columnZone && r.Y < colTop-layout.sameLine*size {
			isSpan[k] = true
		}
	}
	for k, r := range hdr {
		if r.Y > maxY {
			maxY = r.Y
		}
		if isSpan[k] {
			span = append(span, r)
			continue
		}
		k := colOf(cols, r.X0, r.X1)
		byCol[k+1] = append(byCol[k+1], r)
	}
	var items []item
	for _, l := range visualLines(span) {
		items = append(items, item{page: page, y: l.y, line: cellLine(page, l.runs, size), tab: pt})
	}
	var line govreport.Line
	for _, rs := range byCol {
		if len(rs) == 0 {
			continue
		}
		var parts []string
		for _, l := range visualLines(rs) {
			parts = append(parts, lineText(l.runs))
		}
		line.Cells = append(line.Cells, govreport.TextCell{
			Text: joinCJK(strings.Join(parts, " ")),
			Pos:  govreport.Pos{Page: page, X: round2(rs[0].X0), Y: round2(rs[0].Y)},
		})
	}
	if len(line.Cells) > 0 {
		items = append(items, item{page: page, y: maxY + 0.01, line: line, tab: pt})
	}
	return items
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == '“' || r == '”' || r == '‘' || r == '’'
}

func endsCJK(s string) bool {
	for i := len(s); i > 0; {
		r, n := lastRune(s[:i])
		if r != ' ' {
			return isCJK(r)
		}
		i -= n
	}
	return false
}

func startsCJK(s string) bool {
	for _, r := range s {
		return isCJK(r)
	}
	return false
}

func lastRune(s string) (rune, int) {
	rs := []rune(s)
	if len(rs) == 0 {
		return 0, 1
	}
	r := rs[len(rs)-1]
	return r, len(string(r))
}

// joinCJK drops spaces that have a CJK character on either side.
func joinCJK(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' {
			j := i - 1
			for j >= 0 && rs[j] == ' ' {
				j--
			}
			k := i + 1
			for k < len(rs) && rs[k] == ' ' {
				k++
			}
			if j < 0 || k >= len(rs) || isCJK(rs[j]) || isCJK(rs[k]) || (j < i-1) {
				continue
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}
