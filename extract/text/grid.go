package text

import (
	"math"
	"sort"
	"strings"
	"unicode/utf8"

	"govreport"
	"govreport/extract/internal/geometry"
	"govreport/extract/internal/limit"
)

// Text whose columns are aligned by spaces (pdftotext -layout, a report
// typed in a fixed-width font) is a page drawn on a character grid: each
// word stands at its column and line as a PDF's glyph run stands at its
// x and y, and is read by the same reader of positions
// (extract/internal/geometry): a number belongs to the column its header
// word or the numbers above and below it stand in, a column with no
// number in a row is a blank cell, a label wrapped over lines is one
// label. A character is one column: pdftotext sets each at its own.

// Grid units: a column is gridCol points, a line gridLine points and the
// text gridSize points, so that a CJK character (one column) is half an
// em, a space between words of a sentence a twentieth of a line, and a
// line two ems: pdftotext's lines of reports set with loose leading.
const (
	gridSize = 10.0
	gridCol  = 5.0
	gridLine = 20.0
)

// maxBlankLines: pdftotext stands for vertical space with blank lines,
// and for the height of text set vertically (a group label beside rows)
// too: a run of blank lines is at most this many lines of space.
const maxBlankLines = 2

// minAlignedRows: a text is read on its grid when at least this many
// lines set two numbers or more apart by runs of spaces, each of two of
// them standing in a column where a number of another such line stands,
// and more lines set numbers apart than separate cells by tabs or bars.
// Cells merely separated by two spaces (主动公开信息数  条  300  3900) are not
// aligned: their numbers stand where their labels' lengths put them.
const minAlignedRows = 3

// spaceAligned reports whether lines are a table's text aligned by spaces.
func spaceAligned(lines []string) bool {
	var spans [][]gword // per line setting two numbers apart: its numbers
	sep := 0
	for _, l := range lines {
		if strings.ContainsAny(l, "\t|｜") {
			sep++
			continue
		}
		nums := 0
		for _, p := range splitCells(l, limit.Cells) {
			if geometry.IsNumber(strings.TrimSpace(p)) {
				nums++
			}
		}
		if nums < 2 {
			continue
		}
		var ns []gword
		for _, w := range gridWords(l) {
			if geometry.IsNumber(w.text) {
				ns = append(ns, w)
			}
		}
		spans = append(spans, ns)
	}
	if len(spans) < minAlignedRows || len(spans) <= sep {
		return false
	}
	// lines with a number at each column
	at := map[int]int{}
	for _, ns := range spans {
		for _, w := range ns {
			for c := w.c0; c < w.c1; c++ {
				at[c]++
			}
		}
	}
	aligned := 0
	for _, ns := range spans {
		under := 0
		for _, w := range ns {
			for c := w.c0; c < w.c1; c++ {
				if at[c] >= 2 {
					under++
					break
				}
			}
		}
		if under >= 2 {
			aligned++
		}
	}
	return aligned >= minAlignedRows && aligned > sep
}

// gridLines reads lines (from index first of the file on) on their grid:
// pages split at form feeds. Each cell's Pos gives its page and line. More
// than limit.Words words is an error, before the pages are read.
func gridLines(lines []string, first int) ([]govreport.Line, error) {
	var pages []geometry.Page
	nwords := 0
	var lineOf []map[float64]int // per page: baseline → the file's line (1-based)
	var page []string
	start := first
	flush := func() {
		words := make([][]gword, len(page))
		for i, l := range page {
			words[i] = gridWords(l)
			nwords += len(words[i])
		}
		if nwords > limit.Words {
			return
		}
		ys := gridYs(words)
		pg := geometry.Page{N: len(pages) + 1, Height: gridLine}
		at := map[float64]int{}
		for i := range page {
			y := ys[i] * gridLine
			pg.Runs = append(pg.Runs, gridRuns(words[i], y)...)
			pg.Height = math.Max(pg.Height, y+gridLine)
			if _, ok := at[y]; !ok && len(words[i]) > 0 {
				at[y] = start + i + 1
			}
		}
		pages = append(pages, pg)
		lineOf = append(lineOf, at)
	}
	for i := first; i < len(lines); i++ {
		l := lines[i]
		for strings.HasPrefix(l, "\f") {
			flush()
			page, start = nil, i
			l = l[1:]
		}
		page = append(page, l)
	}
	flush()
	if nwords > limit.Words {
		return nil, limit.Exceeded("words", limit.Words)
	}
	out, _ := geometry.Lines(pages, func() {})
	for k := range out {
		for c := range out[k].Cells {
			p := &out[k].Cells[c].Pos
			if p.Page >= 1 && p.Page <= len(lineOf) {
				p.Line = nearestLine(lineOf[p.Page-1], p.Y)
			}
			p.X, p.Y = 0, 0
		}
	}
	return out, nil
}

// nearestLine is the file's line printed at the baseline nearest y.
func nearestLine(at map[float64]int, y float64) int {
	ys := make([]float64, 0, len(at))
	for v := range at {
		ys = append(ys, v)
	}
	sort.Float64s(ys)
	best, d := 0, math.Inf(1)
	for _, v := range ys {
		if e := math.Abs(v - y); e < d {
			best, d = at[v], e
		}
	}
	return best
}

// gridYs gives each line its baseline, in lines. pdftotext prints text
// whose baselines differ on lines of their own. A row's numbers, centred
// in their cell, stand on a line between or after the lines of its label:
// a line of numbers only (a unit or a dash maybe), right of all the text
// of the line above it (or else below it), shares that line's baseline.
// Text of cells side by side (a group label beside a row label, header
// cells centred beside stacked ones) comes out interleaved: a line whose
// words stand apart from those of the line above, in another column of
// text, is half a line below it.
func gridYs(words [][]gword) []float64 {
	numbersOnly := func(ws []gword) bool {
		n := 0
		for _, w := range ws {
			switch {
			case geometry.IsNumber(w.text):
				n++
			case geometry.IsPlaceholder(w.text) || utf8.RuneCountInString(w.text) == 1:
			default:
				return false
			}
		}
		return n > 0
	}
	leftOf := func(ws []gword, x int) bool {
		for _, w := range ws {
			if w.c1 >= x || geometry.IsNumber(w.text) {
				return false
			}
		}
		return len(ws) > 0
	}
	// apart: the words of two lines stand two columns apart at least,
	// with a gutter between them that no word of the lines around
	// crosses (a label's wrapped line, shorter than an indented first
	// line, has none).
	apart := func(a, b []gword, near [][]gword) bool {
		crossed := func(g int) bool {
			for _, ws := range near {
				for _, w := range ws {
					if w.c0 < g && w.c1 > g {
						return true
					}
				}
			}
			return false
		}
		gutter := false
		for _, v := range b {
			left, right := -1, 1<<30 // the nearest columns of a on each side
			for _, u := range a {
				if u.c0 < v.c1+2 && v.c0 < u.c1+2 {
					return false
				}
				if u.c1 <= v.c0 {
					left = max(left, u.c1)
				} else {
					right = min(right, u.c0)
				}
			}
			for g := left; g >= 0 && g <= v.c0 && !gutter; g++ {
				gutter = !crossed(g)
			}
			for g := v.c1; right < 1<<30 && g <= right && !gutter; g++ {
				gutter = !crossed(g)
			}
		}
		return gutter
	}
	near := func(i int) [][]gword {
		return words[max(0, i-2):min(len(words), i+3)]
	}
	up := make([]bool, len(words))   // shares the baseline of the line above
	down := make([]bool, len(words)) // of the line below
	for i, ws := range words {
		if !numbersOnly(ws) {
			continue
		}
		x := ws[0].c0
		switch {
		case i > 0 && !up[i-1] && !down[i-1] && leftOf(words[i-1], x):
			up[i] = true
		case i+1 < len(words) && leftOf(words[i+1], x):
			down[i] = true
		}
	}
	ys := make([]float64, len(words))
	y := 1.0          // the next line's baseline
	var above []gword // the words of the line above, with the numbers merged into it
	blanks := 0       // blank lines since the last text
	for i, ws := range words {
		if len(ws) > 0 {
			blanks = 0
		}
		switch {
		case len(ws) == 0:
			if blanks < maxBlankLines {
				y++
			}
			blanks++
			above = nil
			continue
		case up[i]:
			ys[i] = ys[i-1]
			above = append(above, ws...)
			continue
		case down[i]:
			continue
		case above != nil && apart(above, ws, near(i)):
			ys[i] = y - 0.5
		default:
			ys[i] = y
		}
		y = ys[i] + 1
		above = append([]gword{}, ws...)
		if i > 0 && down[i-1] {
			ys[i-1] = ys[i]
			above = append(above, words[i-1]...)
		}
	}
	return ys
}

// gword is a word of a grid line: its text and columns.
type gword struct {
	text   string
	c0, c1 int
}

// clause reports whether a word ends with CJK punctuation.
func clause(w string) bool {
	r, _ := utf8.DecodeLastRuneInString(w)
	return strings.ContainsRune("，、；：。！？", r)
}

// gridWords cuts a line into words at spaces, with their columns.
func gridWords(l string) []gword {
	var words []gword
	col, start, startCol := 0, -1, 0
	for i, r := range l {
		if r == ' ' || r == '\u3000' || r == '\t' {
			if start >= 0 {
				words = append(words, gword{l[start:i], startCol, col})
				start = -1
			}
		} else if start < 0 {
			start, startCol = i, col
		}
		col++
	}
	if start >= 0 {
		words = append(words, gword{l[start:], startCol, col})
	}
	return words
}

// gridRuns makes a line's words runs. A number set off from its
// neighbours by single spaces only, on a line where no number stands
// apart by more, is a word of a sentence (2024 年 1 月): it stays in one
// run with them. A word after letters spaced one by one (不 予 公 务信息:
// a group label printed letter-spaced beside a row label's line) starts a
// cell: pdftotext left one space where the cells' edge was. One space
// after a clause's punctuation (之和， 等) is the text's own spacing: a
// cell's words go on.
func gridRuns(words []gword, y float64) []geometry.Run {
	apart := false
	for k, w := range words {
		if !geometry.IsNumber(w.text) {
			continue
		}
		if k > 0 && w.c0-words[k-1].c1 >= 2 || k+1 < len(words) && words[k+1].c0-w.c1 >= 2 {
			apart = true
		}
	}
	letter := func(k int) bool {
		return k >= 0 && utf8.RuneCountInString(words[k].text) == 1 && !geometry.IsNumber(words[k].text)
	}
	var out []geometry.Run
	for k := 0; k < len(words); k++ {
		w := words[k]
		r := geometry.Run{X0: float64(w.c0) * gridCol, X1: float64(w.c1) * gridCol, Y: y, Size: gridSize, Text: w.text}
		r.Cut = k >= 2 && letter(k-1) && letter(k-2) && !letter(k) && w.c0-words[k-1].c1 == 1 && words[k-1].c0-words[k-2].c1 == 1
		for k+1 < len(words) && words[k+1].c0-words[k].c1 == 1 {
			next := words[k+1].text
			sentence := !apart && (geometry.IsNumber(next) || geometry.IsNumber(words[k].text))
			if !sentence && !(clause(words[k].text) && !geometry.IsNumber(next)) {
				break
			}
			k++
			r.Text += " " + words[k].text
			r.X1 = float64(words[k].c1) * gridCol
		}
		out = append(out, r)
	}
	return out
}
