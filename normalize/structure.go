package normalize

import (
	"strings"

	"govreport"
)

// Stage 1, structure: the lines of the tables read row by row become
// labelled rows. A label may be printed on lines before its numbers
// (pending), a line may hold several rows run together (groups), and
// label-only lines may be headers, a table's start words or its header
// words rather than labels.

// pieceKind says what a piece of the tables' lines is.
type pieceKind uint8

const (
	pieceRow     pieceKind = iota + 1 // a labelled row: its label and numbers
	pieceMore                         // numbers without a label: the rest of the row before
	pieceHeading                      // a section heading
	pieceStart                        // a label-only line of the next table's start words
)

// piece is what the structure stage hands the assembly stage.
type piece struct {
	kind    pieceKind
	line    int           // index into lines
	label   string        // pieceRow: the label, the lines it was pending on included
	own     string        // pieceRow: the label without context from spanned cells
	vals    []tok         // pieceRow, pieceMore: the numbers
	pos     govreport.Pos // pieceRow: where the label started
	hdrCols []string      // pieceRow: the columns the last group header named
	section string        // pieceHeading: the section's key
	// byPos: the numbers reach their row by where they stand, not beside
	// its label: numbers before the label they take, or a number line
	// that does not follow the row's label and numbers directly
	byPos bool
}

// structure is the structure stage's state while it reads a region's
// lines in order.
type structure struct {
	p          *parser
	pending    string        // label text read on lines without numbers, waiting for them
	pendingPos govreport.Pos // where the pending label started
	hdrOpen    bool          // the last label-only lines named columns: a header printed one cell a line goes on
	hdrCols    []string      // the columns the last group header named (tables with GroupHeaders)
	groups     []tokGroup    // the current line's token groups, reused
	rowLine    int           // the last line holding the last row's label or numbers
	queue      []string      // labels of rows printed before their numbers, after the last row's
	labelLine  int           // the last line holding pending label text
}

// heading drops the pending label: a section heading ends it.
func (s *structure) heading() { s.pending, s.queue = "", nil }

// line reads line i and hands its pieces to the assembly, which says which
// table is open: its columns are the header words, the next table's start
// words open it.
func (s *structure) line(i int, a *assembly) {
	p := s.p
	l := &p.lines[i]
	// a line may hold several rows run together (an archiver's text):
	// each group is values before any label, a label, values after
	s.groups = groupTokens(s.groups[:0], l.toks)
	for _, g := range s.groups {
		lead, vals, lab, seen := g.lead, g.vals, g.label, g.seen
		if !seen && len(lead) > 0 {
			vals, lead = lead, nil
		}
		if len(lead) > 0 {
			// numbers before this line's label: the label before them
			// (pending) or the last row take them by position
			if s.pending != "" {
				s.emit(a, piece{kind: pieceRow, line: i, label: s.pending, vals: lead, pos: s.pendingPos, hdrCols: s.hdrCols, byPos: true})
				s.pending = ""
			} else {
				s.emit(a, piece{kind: pieceMore, line: i, vals: lead, byPos: true})
			}
			s.rowLine = i
		}
		if len(vals) == 0 {
			if lab == "" {
				continue
			}
			if l.table == 0 && isNarrative(lab) {
				s.pending = ""
				continue
			}
			if s.labelOnly(i, p.core(lab), a) {
				s.pending = ""
				l.used = true
				continue
			}
			if s.pending == "" && a.continues(lab) {
				// the rest of the last row's label, wrapped after its numbers
				if tr := p.tr; tr.on() {
					tr.add(Event{Stage: StageStructure, Kind: EventRow, Table: a.open().tb.Key, Line: l.pos.Line,
						Detail: "the rest of the last row's label, printed after its numbers: " + quote(lab)})
				}
				l.used = true
				continue
			}
			if s.pending == "" {
				s.pendingPos = l.pos
			}
			s.pending += lab
			s.queue = nil
			s.labelLine = i
			l.used = true
			continue
		}
		s.hdrOpen = false
		label := s.pending + lab
		if s.pending == "" {
			s.pendingPos = l.pos
		}
		if lab == "" && s.pending == "" {
			// a number line continuing the last row: read beside it only
			// when it follows the row's lines directly
			if s.emit(a, piece{kind: pieceMore, line: i, vals: vals, byPos: s.rowLine != i-1 && s.rowLine != i}) {
				l.used = true
				s.rowLine = i
			} else if len(s.queue) > 0 {
				// the last row has its numbers: the next label printed
				// before them takes these, by position
				s.emit(a, piece{kind: pieceRow, line: i, label: s.queue[0], own: s.queue[0], vals: vals, pos: l.pos, hdrCols: s.hdrCols, byPos: true})
				s.queue = s.queue[1:]
				l.used = true
				s.rowLine = i
			}
			continue
		}
		// a label read on the lines just before its numbers, or on their
		// line, names their row
		byPos := lab == "" && s.labelLine != i-1
		own := s.pending + g.own
		s.queue = nil
		if lab == "" {
			// several rows' labels printed before their numbers: the
			// numbers go to them in turn, each row's columns filled
			// when the number lines that follow fill every one of them
			if rows := rowsIn(a.open().ix, p.core(s.pending)); rows != nil && s.numbersAhead(i) == len(rows)*a.open().width() {
				label, own, s.queue, byPos = rows[0], rows[0], rows[1:], true
			}
		}
		s.emit(a, piece{kind: pieceRow, line: i, label: label, own: own, vals: vals, pos: s.pendingPos, hdrCols: s.hdrCols, byPos: byPos})
		l.used = true
		s.rowLine = i
		s.pending = ""
	}
}

// numbersAhead counts the numbers on the lines from i on that hold
// numbers and no label, blank lines between them, up to the first line
// that holds anything else.
func (s *structure) numbersAhead(i int) int {
	n := 0
	for ; i < len(s.p.lines); i++ {
		l := &s.p.lines[i]
		if len(l.toks) == 0 {
			continue // a blank line
		}
		v := len(l.values())
		if v == 0 || core(l.labelText(false)) != "" {
			break
		}
		n += v
	}
	return n
}

// labelOnly reads a label-only line (its label's core c) that is not a
// label: the next table's start words, a header naming the open table's
// columns, or one of its header words. It reports whether it was one.
func (s *structure) labelOnly(i int, c string, a *assembly) bool {
	if next := a.next(); next != nil && containsAny(c, next.tb.Start) {
		s.emit(a, piece{kind: pieceStart, line: i, label: c})
		return true
	}
	open := a.open()
	groupHdr := open.tb.GroupHeaders
	cols := headerCols(open.ix, c)
	if len(cols) < 2 && !groupHdr && len(open.rows) == 0 && (len(cols) == 1 || containsAny(c, open.tb.Start)) {
		// before its first row, the table's start words and the names
		// of its columns are its header, printed a cell a line: never
		// the first row's label
		s.hdrOpen = false
		return true
	}
	if len(cols) >= 2 || groupHdr && len(cols) == 1 {
		if groupHdr && s.hdrOpen {
			s.hdrCols = append(s.hdrCols, cols...) // a header printed one cell a line
		} else if groupHdr {
			s.hdrCols = cols
		}
		s.hdrOpen = true
		if tr := s.p.tr; tr.on() {
			tr.add(Event{Stage: StageStructure, Kind: EventHeader, Table: open.tb.Key, Line: s.p.lines[i].pos.Line,
				Detail: "header names " + strings.Join(cols, ", ")})
		}
		return true
	}
	s.hdrOpen = false
	return containsAny(c, open.tb.HeaderWords)
}

// emit hands a piece to the assembly, recording it when explaining.
func (s *structure) emit(a *assembly, pc piece) bool {
	if tr := s.p.tr; tr.on() {
		e := Event{Stage: StageStructure, Kind: EventRow, Table: a.open().tb.Key, Line: s.p.lines[pc.line].pos.Line}
		switch pc.kind {
		case pieceRow:
			e.Detail = quote(pc.label) + " " + rawOf(pc.vals)
		case pieceMore:
			e.Detail = "numbers without a label: " + rawOf(pc.vals)
		case pieceStart:
			e.Kind, e.Table, e.Detail = EventHeader, a.next().tb.Key, "start words: "+quote(pc.label)
		}
		tr.add(e)
	}
	return a.take(pc)
}

// rawOf is the printed text of numbers, separated by spaces.
func rawOf(ts []tok) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = clean(t.val.Raw)
	}
	return strings.Join(parts, " ")
}

// tokGroup is one row's worth of a line's tokens.
type tokGroup struct {
	lead, vals []tok
	label, own string // own: without spanned context
	seen       bool   // a label of the line's own
}

// groupTokens splits a line's tokens into rows: a label that follows
// values starts a new row. The groups are appended to out.
func groupTokens(out []tokGroup, ts []tok) []tokGroup {
	var cur tokGroup
	last := "" // the label piece before: a cell spanning columns repeats it
	left := 0  // values not yet grouped: room for a group's values
	for i := range ts {
		if ts[i].isVal {
			left++
		}
	}
	for _, t := range ts {
		if t.isVal {
			left--
		}
		switch {
		case !t.isVal:
			if cur.seen && len(cur.vals) > 0 && !t.spanned {
				out = append(out, cur)
				cur = tokGroup{}
			}
			if t.spanned && t.label == last {
				continue // a cell spanning columns: its label once
			}
			last = t.label
			cur.label += t.label
			if !t.spanned {
				cur.own += t.label
				cur.seen = true
			}
		case cur.seen:
			if cur.vals == nil {
				cur.vals = make([]tok, 0, left+1)
			}
			cur.vals = append(cur.vals, t)
		default:
			cur.lead = append(cur.lead, t)
		}
	}
	return append(out, cur)
}

// isNarrative reports whether a label is a sentence of the text rather
// than a row's label: long, or ending a sentence, or listing clauses.
func isNarrative(label string) bool {
	n := runesUpTo(label, narrativeLen+1) // enough for the tests below
	return n > narrativeLen || (n > sentenceLen && (strings.HasSuffix(label, "。") || strings.Count(label, "，") >= sentenceCommas))
}

// subtotals marks the tables whose Subtotal column is printed: a
// label-only line of lines [start, end) names it.
func (p *parser) subtotals(tables []*tableData, start, end int) {
	for _, td := range tables {
		sub := td.tb.Subtotal
		if sub == "" {
			continue
		}
		words := colOf(td.tb, sub).Labels
		for i := start; i < end; i++ {
			if lab := p.lines[i].labelText(false); containsAny(p.core(lab), words) && !p.lines[i].hasValues() {
				td.subtotal = true
			}
		}
	}
}
