package ocr

import (
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"govreport"
)

var (
	reNumber  = regexp.MustCompile(`^[+-]?[0-9]+(\.[0-9]+)?$`)
	rePageNo  = regexp.MustCompile(`^[-—–－~一\s]*(第\s*)?[0-9]{1,4}(\s*页)?(\s*/\s*[0-9]{1,4})?(\s*共\s*[0-9]{1,4}\s*页)?[-—–－~一\s]*$`)
	reHeading = regexp.MustCompile(`^\s*[一二三四五六七八九十]+、`)
)

// item is one output line with its place on its page.
type item struct {
	page  int
	y     float64
	line  govreport.Line
	table *table // nil for prose
}

// margin reports whether a line at y (points from the top) of a page h
// points high stands in its header or footer band.
func margin(y, h float64) bool { return y < 0.08*h || y > 0.9*h }

// marginKey identifies a header or footer line repeated across pages:
// its text without spaces, digits as #.
func marginKey(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return -1
		case unicode.IsDigit(r):
			return '#'
		}
		return r
	}, s)
}

// assemble turns the pages into lines in reading order: prose lines and
// table rows by their place on the page, margins dropped, tables numbered
// in order (one continued at the top of the next page keeps its id), and
// every cell's Line, Row and Col set.
func assemble(pages []*page) []govreport.Line {
	// margin lines repeated (alike, as OCR reads the same line a little
	// differently on each page) on at least two pages and half of them
	type mline struct {
		page int
		key  []rune
	}
	var ms []mline
	for _, pg := range pages {
		for _, l := range pg.prose {
			if margin(l.y, pg.height) {
				ms = append(ms, mline{pg.n, []rune(marginKey(l.text))})
			}
		}
	}
	repeated := func(pageN int, text string) bool {
		key := []rune(marginKey(text))
		on := map[int]bool{pageN: true}
		for _, m := range ms {
			if !on[m.page] && alike(key, m.key) {
				on[m.page] = true
			}
		}
		return len(on) >= 2 && 2*len(on) >= len(pages)
	}
	var items []item
	for _, pg := range pages {
		var its []item
		for _, l := range pg.prose {
			if margin(l.y, pg.height) && (rePageNo.MatchString(l.text) || repeated(pg.n, l.text)) {
				continue
			}
			its = append(its, item{page: pg.n, y: l.y, line: govreport.Line{Cells: []govreport.TextCell{{
				Text: l.text,
				Pos:  govreport.Pos{Page: pg.n, X: round2(l.x), Y: round2(l.y)},
				OCR:  &govreport.OCRReading{Confidence: round2(l.conf)},
			}}}})
		}
		for ti := range pg.tables {
			its = append(its, tableRows(pg.n, &pg.tables[ti])...)
		}
		sort.SliceStable(its, func(i, j int) bool { return its[i].y < its[j].y })
		items = append(items, its...)
	}
	// table ids: a table whose first row follows the last table of the
	// previous page with little text between keeps that table's id
	ids := map[*table]int{}
	next := 0
	var prev *item
	between := 0
	for k := range items {
		it := &items[k]
		if it.table == nil {
			n := len([]rune(it.line.Cells[0].Text))
			if n > 20 || reHeading.MatchString(it.line.Cells[0].Text) {
				n += 1000
			}
			between += n
			continue
		}
		if _, ok := ids[it.table]; !ok {
			if prev != nil && prev.page < it.page && between < 40 {
				ids[it.table] = ids[prev.table]
			} else {
				next++
				ids[it.table] = next
			}
		}
		it.line.Table = ids[it.table]
		prev = it
		between = 0
	}
	rowN := map[int]int{}
	lines := make([]govreport.Line, 0, len(items))
	for _, it := range items {
		l := it.line
		if l.Table > 0 {
			rowN[l.Table]++
			l.Row = rowN[l.Table]
		}
		for c := range l.Cells {
			l.Cells[c].Pos.Line = len(lines) + 1
			if l.Table > 0 {
				l.Cells[c].Pos.Row = l.Row // Col: the grid's column
			}
		}
		lines = append(lines, l)
	}
	return lines
}

// tableRows gives one line per row of a table's grid, one cell per grid
// column: a cell spanning several positions gives its text to the first
// and a Spanned copy to the others. A row group's label (a cell spanning
// rows that all print numbers beside it) is Spanned in its first row too,
// as the PDF reader attaches group labels: context for each row, not the
// label of the first. A row without numbers (a header) lists the cells it
// prints, as the PDF reader's header lines do: an empty header cell is not
// a value left blank. Rows without text are left out.
func tableRows(pageN int, t *table) []item {
	g := t.g
	nr, nc := len(g.ys)-1, len(g.xs)-1
	at := make([]int, nr*nc)
	for i, c := range g.cells {
		for r := c.r0; r <= c.r1; r++ {
			for k := c.c0; k <= c.c1; k++ {
				at[r*nc+k] = i
			}
		}
	}
	numbers := make([]bool, nr) // rows with a number in a cell of their own
	for i, c := range g.cells {
		if c.r0 == c.r1 && numberLike(t.texts[i].text) {
			numbers[c.r0] = true
		}
	}
	group := func(c gcell) bool {
		if c.r0 == c.r1 {
			return false
		}
		for r := c.r0; r <= c.r1; r++ {
			if !numbers[r] {
				return false
			}
		}
		return true
	}
	var out []item
	for r := 0; r < nr; r++ {
		l := govreport.Line{Cells: make([]govreport.TextCell, 0, nc)}
		text := false
		for k := 0; k < nc; k++ {
			i := at[r*nc+k]
			c, rd := g.cells[i], t.texts[i]
			spanned := c.r0 != r || c.c0 != k || group(c)
			if !numbers[r] && !spanned && rd.text == "" && !rd.ink {
				continue
			}
			l.Cells = append(l.Cells, govreport.TextCell{
				Text:    rd.text,
				Spanned: spanned,
				Apart:   reNumber.MatchString(rd.text), // a grid cell holds one number
				Pos:     govreport.Pos{Page: pageN, X: round2(float64(c.box.Min.X) * t.scale), Y: round2(float64(c.box.Min.Y) * t.scale), Col: k + 1},
				OCR:     &govreport.OCRReading{Confidence: round2(rd.conf), Alternatives: rd.alts},
			})
			if !spanned && (rd.text != "" || rd.ink) {
				text = true
			}
		}
		if text {
			out = append(out, item{page: pageN, y: float64(g.ys[r]) * t.scale, line: l, table: t})
		}
	}
	return out
}

// alike reports whether two lines read by OCR are the same line: their
// longest common subsequence covers 80% of the longer.
func alike(a, b []rune) bool {
	n := max(len(a), len(b))
	if n == 0 || 5*min(len(a), len(b)) < 4*n {
		return n == 0
	}
	prev, cur := make([]int, len(b)+1), make([]int, len(b)+1)
	for i := range a {
		for j := range b {
			switch {
			case a[i] == b[j]:
				cur[j+1] = prev[j] + 1
			case prev[j+1] >= cur[j]:
				cur[j+1] = prev[j+1]
			default:
				cur[j+1] = cur[j]
			}
		}
		prev, cur = cur, prev
	}
	return 5*prev[len(b)] >= 4*n
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }
