package normalize

import (
	"fmt"
	"strconv"
	"strings"

	"govreport"
)

// Stage 2, assembly: labelled rows become the template rows of each table.
// The tables read row by row are taken in order; which one is open changes
// in one place (assembly.opens).

// readTables reads the layout's tables: those read row by row, in order,
// from the first one's section on, then each table printed on one line in
// its own section.
func (p *parser) readTables() {
	var rowTables []*tableData
	for i := range p.tpl.Tables {
		tb := &p.tpl.Tables[i]
		td := newTable(p.set.index[tb])
		p.tables = append(p.tables, td)
		if !tb.OneLine {
			rowTables = append(rowTables, td)
		}
	}
	end := 0
	if len(rowTables) > 0 {
		first := p.set.sectionNumber(rowTables[0].tb.Section)
		last := p.set.sectionNumber(rowTables[len(rowTables)-1].tb.Section)
		start := 0
		for _, h := range p.hs {
			if h.number <= first {
				start = h.at
			}
		}
		end = p.sectionEnd(start, last)
		end = p.oneLineHeader(start, end)
		p.readRows(rowTables, start, end)
	}
	for _, td := range p.tables {
		if td.tb.OneLine {
			end = p.readOneLine(td, end)
		}
	}
}

// oneLineHeader ends the lines read row by row at the header of a one-line
// table whose section heading is missing: the first grid row in [start,
// end) printing no number that holds oneLineHeaderWords of its header
// words. Without one it returns end.
func (p *parser) oneLineHeader(start, end int) int {
	for _, td := range p.tables {
		if !td.tb.OneLine || p.headingLine(td.tb.Section) >= 0 {
			continue
		}
		for i := start; i < end; i++ {
			l := &p.lines[i]
			if l.table == 0 || l.hasValues() {
				continue
			}
			c, n := compact(l.labelText(false)), 0
			for _, w := range td.tb.HeaderWords {
				if strings.Contains(c, w) {
					n++
				}
			}
			if n >= oneLineHeaderWords {
				if tr := p.tr; tr.on() {
					tr.add(Event{Stage: StageAssemble, Kind: EventOpen, Table: td.tb.Key, Line: l.pos.Line, Detail: "opened by its header, its section's heading missing: " + quote(l.text)})
				}
				return i
			}
		}
	}
	return end
}

// sectionEnd is the line of the first heading after start of a section
// numbered after n, or the end of the document.
func (p *parser) sectionEnd(start, n int) int {
	for _, h := range p.hs {
		if h.at > start && h.number > n {
			return h.at
		}
	}
	return len(p.lines)
}

// readRows runs the structure and assembly stages over lines [start, end)
// for the tables read row by row.
func (p *parser) readRows(tables []*tableData, start, end int) {
	p.subtotals(tables, start, end)
	a := &assembly{p: p, tables: tables}
	s := &structure{p: p}
	hat := p.headingAt()
	for i := start; i < end; i++ {
		if h, ok := hat[i]; ok {
			s.heading()
			a.take(piece{kind: pieceHeading, line: i, section: h.key})
			i += h.span - 1
			continue
		}
		s.line(i, a)
	}
}

// assembly is the assembly stage's state while it takes the pieces of the
// tables read row by row.
type assembly struct {
	p      *parser
	tables []*tableData // in printed order
	cur    int          // the open table
	last   *rowData     // the last row taken: numbers printed without a label continue it
}

func (a *assembly) open() *tableData { return a.tables[a.cur] }

// next is the table after the open one, or nil.
func (a *assembly) next() *tableData {
	if a.cur+1 < len(a.tables) {
		return a.tables[a.cur+1]
	}
	return nil
}

// take assembles a piece. For numbers without a label it reports whether
// they continued the last row.
func (a *assembly) take(pc piece) bool {
	if j, why := a.opens(pc); j >= 0 {
		td := a.tables[j]
		a.cur = j
		if pc.kind == pieceHeading || td.start < 0 {
			td.start = pc.line
		}
		if tr := a.p.tr; tr.on() {
			tr.add(Event{Stage: StageAssemble, Kind: EventOpen, Table: td.tb.Key, Line: a.p.lines[pc.line].pos.Line, Detail: "opened by " + why})
		}
	}
	td := a.open()
	switch pc.kind {
	case pieceRow:
		var cols []string
		if td.tb.GroupHeaders {
			cols = pc.hdrCols
		}
		if r := a.p.addRow(td, pc.label, pc.own, pc.vals, pc.pos, cols); r != nil {
			a.last = r
			r.byPos = pc.byPos
		}
	case pieceMore:
		if r := a.last; r != nil && len(r.toks) < len(r.cols) {
			r.toks = append(r.toks, pc.vals...)
			r.byPos = r.byPos || pc.byPos
			return true
		} else if r != nil && !r.byPos && r.pos.Line != a.p.lines[pc.line].pos.Line {
			// more numbers than the row has columns before the next label:
			// the row's numbers were counted off a run, not delimited by it
			r.byPos = true
		}
	}
	return false
}

// continues reports whether a label-only line is the rest of the last
// row's label, printed after its numbers (a label wrapped around them):
// it opens with no ordinal, and with it the label names the same row
// better. The row then takes it, and its numbers are by position: its
// label was not whole where they were printed.
func (a *assembly) continues(lab string) bool {
	r := a.last
	if r == nil || r.outside || r.rows != nil || ordinalAt(compact(lab)) || headingOrdinal(lab) {
		return false
	}
	td := a.open()
	if td.byKey[r.key] != r {
		return false
	}
	ri, score, _ := a.p.matchRow(td.tb, r.label)
	full := r.label + clean(lab)
	fi, fscore, _ := a.p.matchRow(td.tb, full)
	if fi < 0 || ri != fi || fscore <= score {
		return false
	}
	r.label = full
	r.byPos = true
	return true
}

// opens decides whether a piece opens a table, and which: a section's
// heading opens its table (the open one's again moves its start there),
// start words open the next table, and so does a row that names a row of
// the next table better than one of the open table's.
func (a *assembly) opens(pc piece) (int, string) {
	switch pc.kind {
	case pieceHeading:
		for j := a.cur; j < len(a.tables); j++ {
			if a.tables[j].tb.Section == pc.section {
				return j, "its section's heading"
			}
		}
	case pieceStart:
		return a.cur + 1, "its start words"
	case pieceRow:
		next := a.next()
		if next == nil {
			break
		}
		in, sn, en := a.p.matchRow(next.tb, pc.label)
		_, sc, ec := a.p.matchRow(a.open().tb, pc.label)
		if in >= 0 && en && sn >= minSwitchMatch && (!ec || sn > sc) {
			return a.cur + 1, "a row of it: " + quote(pc.label)
		}
	}
	return -1, ""
}

// addRow matches a printed row onto the template and records it.
// own is the label without the context carried from spanned cells (a row
// group's label): when it names a row by itself, or matches one more
// closely than the whole label does (an OCR typo in a long label whose
// group's label is contained whole), it wins.
func (p *parser) addRow(td *tableData, label, own string, vals []tok, pos govreport.Pos, hdrCols []string) *rowData {
	ri, score, exact := p.matchRow(td.tb, label)
	if own != "" && own != label {
		if oi, os, oe := p.matchRow(td.tb, own); oi >= 0 && (oe || os > score) {
			ri, score, exact = oi, os, oe
		}
	}
	var cols []string
	if ri >= 0 {
		cols = rowCols(td.ix, ri, td.subtotal)
		if len(hdrCols) > 0 && len(hdrCols) == len(vals) && len(hdrCols) != len(cols) {
			cols = hdrCols
		}
		if tr := p.tr; tr.on() {
			how := "contains the label"
			if !exact {
				how = "closest label"
			}
			tr.add(Event{Stage: StageAssemble, Kind: EventMatch, Table: td.tb.Key, Row: td.tb.Rows[ri].Key, Line: pos.Line,
				Detail: "← " + quote(label) + " (" + how + ", " + strconv.Itoa(score) + " chars matched) " + strconv.Itoa(len(vals)) + " numbers"})
		}
	} else {
		if isNarrative(label) || p.core(label) == "" || (len(vals) < 2 && len(hdrCols) == 0) {
			return nil
		}
		cols = hdrCols
		if len(cols) == 0 {
			if td.tb.GroupHeaders {
				return nil // a row group's own row needs the group's header
			}
			cols = rowCols(td.ix, 0, td.subtotal)
		}
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageAssemble, Kind: EventOutside, Table: td.tb.Key, Line: pos.Line,
				Detail: quote(label) + " matches no template row: kept outside the template"})
		}
	}
	printed := clean(label)
	if ri >= 0 {
		printed = fromOrdinal(printed)
	}
	before := len(td.rows)
	td.addRow(ri, printed, vals, pos, cols)
	if len(td.rows) == before {
		p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf("line %d: %s row %s printed twice; the first kept", pos.Line, td.tb.Key, quote(label)))
		return nil
	}
	return td.rows[len(td.rows)-1]
}

// fromOrdinal is a template row's printed label from its first ordinal
// on (一、 （一） 1.): what a label gathered before it on lines of their
// own holds no ordinal, so it is a header's debris (企业 机构组织 机构, the
// pieces of a header printed vertically), not the row's label. A label
// with no ordinal after its start is kept whole.
func fromOrdinal(label string) string {
	for i, r := range label {
		if i > 0 && (r == '(' || r == '（' || cnDigit(r) > 0 || isDigit(r)) && ordinalAt(label[i:]) {
			if isDigit(lastRune(label[:i])) {
				return label // 12.: not an ordinal's start
			}
			return label[i:]
		}
		if i == 0 && ordinalAt(label) {
			return label
		}
	}
	return label
}
