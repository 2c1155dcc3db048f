package normalize

import (
	"fmt"

	"govreport"
)

// readOneLine runs the structure and assembly stages for a table whose
// rows may be printed as one run of numbers (table 四: three blocks of five
// columns after a two-level header), in its section's lines from its
// heading (or from) on. When every row is printed on a line of its own,
// those are its rows; otherwise all the numbers are one run over every
// row's cells, in template order, placed like any row's. It returns the
// line where the section ends.
func (p *parser) readOneLine(td *tableData, from int) int {
	tb := td.tb
	start := p.headingLine(tb.Section)
	if start < 0 {
		start = from
	}
	end := p.sectionEnd(start, p.set.sectionNumber(tb.Section))
	var cols, rows []string // of each cell of the run
	for ri, r := range tb.Rows {
		for _, c := range rowCols(td.ix, ri, false) {
			cols, rows = append(cols, c), append(rows, r.Key)
		}
	}
	n := len(cols)
	type rowLine struct {
		ri   int
		vals []tok
	}
	var toks []tok
	var perRow []rowLine
	var firstPos govreport.Pos
	lines := 0 // lines the numbers came from
	for i := start; i < end; i++ {
		l := &p.lines[i]
		vals := l.values()
		lab := l.labelText(false)
		if len(vals) == 0 {
			if len(toks) > 0 && isNarrative(lab) {
				break
			}
			if lab = compact(lab); i > start && containsAny(lab, tb.HeaderWords) {
				l.used = true
			}
			continue
		}
		if isNarrative(lab) && !containsAny(compact(lab), tb.HeaderWords) {
			continue // a sentence, not the table's header glued to its numbers
		}
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageStructure, Kind: EventRow, Table: tb.Key, Line: l.pos.Line, Detail: quote(lab) + " " + rawOf(vals)})
		}
		if len(toks) == 0 {
			firstPos = vals[0].pos
			td.start = i
		}
		if ri, _, ok := p.matchRow(tb, lab); ok && len(vals) == len(rowCols(td.ix, ri, false)) {
			perRow = append(perRow, rowLine{ri, vals})
		}
		toks = append(toks, vals...)
		lines++
		l.used = true
		if len(toks) >= n {
			break
		}
	}
	if len(toks) == 0 {
		// a table printing its cells all blank (a blank form, or nothing
		// to report): each is not reported
		i, blanks := p.blankRow(start, end, n)
		if blanks == nil {
			return end
		}
		toks, firstPos, td.start = blanks, blanks[0].pos, i
		p.lines[i].used = true
	}
	if len(perRow) == len(tb.Rows) {
		for _, r := range perRow {
			td.addRow(r.ri, tb.Rows[r.ri].Labels[0], r.vals, r.vals[0].pos, rowCols(td.ix, r.ri, false))
		}
		return end
	}
	// trailing blanks of a table row beyond the table's cells
	for len(toks) > n && toks[len(toks)-1].val.Num == nil {
		toks = toks[:len(toks)-1]
	}
	// numbers gathered from several lines that are not each a row's are
	// given to the cells by their order alone
	run := &rowData{label: tb.Title, cols: cols, rows: rows, toks: toks, pos: firstPos, byPos: lines > 1}
	td.rows = append(td.rows, run)
	for _, r := range tb.Rows {
		td.byKey[r.Key] = run
	}
	if tr := p.tr; tr.on() {
		tr.add(Event{Stage: StageAssemble, Kind: EventRun, Table: tb.Key, Line: firstPos.Line,
			Detail: fmt.Sprintf("← %d numbers from line %d, one run over %d cells", len(toks), firstPos.Line, n)})
	}
	return end
}

// blankRow finds, among lines [from, to), a grid row of exactly n cells,
// every one printed blank (none a copy of a spanning label), and returns
// its index and one blank value per cell; nil if there is none.
func (p *parser) blankRow(from, to, n int) (int, []tok) {
	for i := from; i < to && i < len(p.lines); i++ {
		l := &p.lines[i]
		if l.table == 0 || l.n >= len(p.x.Lines) {
			continue
		}
		cells := p.x.Lines[l.n].Cells
		if len(cells) != n {
			continue
		}
		var out []tok
		for _, c := range cells {
			if c.Spanned || clean(c.Text) != "" {
				out = nil
				break
			}
			out = append(out, tok{isVal: true, val: Value{Raw: c.Text}, pos: c.Pos})
		}
		if out != nil {
			return i, out
		}
	}
	return -1, nil
}
