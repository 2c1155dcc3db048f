package geometry

import (
	"math"
	"strings"
)

// carryHeader moves a table's header printed at the foot of a page to the
// next page, when that page starts with the table's rows and no header: a
// page break between a header and its rows leaves the rows without their
// columns' names otherwise. The header's lines keep their spacing and
// stand where a header stands above the first row. Tables drawn with
// rules are left alone (their grids are joined across the break).
func carryHeader(prev, next []Run, rules []Rule) ([]Run, []Run) {
	if len(prev) == 0 || len(next) == 0 || len(next) > MaxTableRuns {
		return prev, next
	}
	used := make([]bool, len(next))
	tables := findTables(next, used)
	if len(tables) == 0 {
		return prev, next
	}
	first := tables[0].rows[0]
	numCols := clusterColumns(next, tables[0].rows)
	size := tableSize(next, tables[0].rows, numCols[0].x0)
	left, right := numCols[0].x0, numCols[len(numCols)-1].x1
	// The page starts with the rows: nothing above the first but its
	// label's lines, left of the numbers.
	for _, r := range next {
		if r.Y < first.y-layout.sameLine*size && r.X1 > left-layout.columnZone {
			return prev, next
		}
	}
	for _, g := range findGrids(rules) {
		if first.y >= g.ys[0] && first.y <= g.ys[len(g.ys)-1] {
			return prev, next
		}
	}
	// The header: the last lines of the page, up to body text, a heading
	// or a title (one long run), or a gap wider than a header's lines.
	var rowY []float64 // the data rows of the page: not a header
	for _, t := range findTables(prev, make([]bool, len(prev))) {
		for _, r := range t.rows {
			rowY = append(rowY, r.y)
		}
	}
	lines := visualLines(prev)
	start := len(lines)
	over := false // a line has words over the next page's numbers
	for k := len(lines) - 1; k >= 0; k-- {
		l := lines[k]
		text := lineText(l.runs)
		if l.size > layout.headerSize*size || reHeading.MatchString(text) || strings.HasSuffix(text, "。") || strings.HasSuffix(text, "：") {
			break
		}
		if len(l.runs) == 1 && len([]rune(l.runs[0].Text)) > layout.headingRunes {
			break
		}
		row := false
		for _, y := range rowY {
			row = row || math.Abs(y-l.y) < layout.sameLine*size
		}
		if row {
			break
		}
		if k+1 < len(lines) && lines[k+1].y-l.y > layout.headerLineGap*size+layout.headerLineGapPt {
			break
		}
		for _, r := range l.runs {
			if r.X1 > left && r.X0 < right && !isNumeric(r.Text) {
				over = true
			}
		}
		start = k
	}
	if start == len(lines) || !over {
		return prev, next
	}
	hdr := lines[start:]
	dy := first.y - (layout.firstRowTop+0.5)*size - hdr[len(hdr)-1].y
	var keep, moved []Run
	for _, l := range lines[:start] {
		keep = append(keep, l.runs...)
	}
	for _, l := range hdr {
		for _, r := range l.runs {
			r.Y += dy
			moved = append(moved, r)
		}
	}
	return keep, append(moved, next...)
}
