package normalize

import (
	"math"
	"strconv"
	"strings"

	"govreport"
)

// Stage 4, a table's numbers read in blocks: text that keeps a table's
// numbers in order but not beside their labels (pdftotext without
// -layout prints a content stream's order: a Word table's cells of several
// rows column by column, the labels after them) is read from the order of
// its numbers alone. Each run of numbers between two label lines holds
// whole rows of the printed rows, in template order; within a run, rows
// come one after the other (row-major) or as a block whose columns come
// one after the other (column-major). Every such reading is tried and
// kept only when exactly one (by its values) passes every identity that
// can be assessed: its rows are then given by position (byPos).

// blockReading is one way of giving a run's numbers to its rows.
type blockReading [][]tok // per row of the run, its numbers in column order

// rereadBlocks re-reads td from the order of its numbers when the rows
// read by label leave it incomplete, and replaces its rows when the order
// and the identities leave one reading.
func (p *parser) rereadBlocks(td *tableData) {
	if td.tb.OneLine || len(td.tb.Identities) == 0 || td.start < 0 || td.complete() {
		return
	}
	runs, found, ok := p.numberRuns(td)
	if !ok || len(runs) == 0 {
		return
	}
	n := 0
	for _, r := range runs {
		n += len(r)
	}
	w := td.width()
	var rows []int
	for _, set := range td.printedSets() {
		if len(set)*w == n {
			if rows != nil {
				return // two sets of rows fit the count
			}
			rows = set
		}
	}
	if rows == nil {
		return
	}
	for _, ri := range rows {
		if !found[ri] {
			return // a row the count needs whose label is not printed
		}
	}
	// each run holds whole rows, in template order
	var perRun [][]blockReading
	at, total := 0, 1
	for _, run := range runs {
		if len(run)%w != 0 {
			return
		}
		k := len(run) / w
		rs := rows[at : at+k]
		at += k
		rd := td.runReadings(run, rs, w)
		if len(rd) == 0 {
			return
		}
		perRun = append(perRun, rd)
		if total *= len(rd); total > maxBlockReadings {
			return
		}
	}
	var pass [][]blockReading
	pick := make([]blockReading, len(perRun))
	var walk func(i int)
	walk = func(i int) {
		if i == len(perRun) {
			if td.blockPasses(rows, pick) {
				pass = append(pass, append([]blockReading(nil), pick...))
			}
			return
		}
		for _, rd := range perRun[i] {
			pick[i] = rd
			walk(i + 1)
		}
	}
	walk(0)
	if len(pass) != 1 {
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageSolve, Kind: EventPlace, Table: td.tb.Key,
				Detail: "numbers in blocks: " + strconv.Itoa(len(pass)) + " readings of their order pass every identity: rows left as read"})
		}
		return
	}
	nt := td.blockTable(rows, pass[0])
	if !td.agrees(nt) {
		return
	}
	nt.placeRows(p.tr)
	nt.solveRows(p.tr)
	td.rows, td.byKey = nt.rows, nt.byKey
	if tr := p.tr; tr.on() {
		tr.add(Event{Stage: StageSolve, Kind: EventPlace, Table: td.tb.Key,
			Detail: "numbers in blocks: one reading of their order passes every identity: rows given by position"})
	}
}

// complete reports whether every row td read is read direct, not by
// position, and nothing is outside the template.
func (td *tableData) complete() bool {
	if len(td.rows) == 0 {
		return false
	}
	for _, r := range td.rows {
		if r.outside || r.byPos || r.mode != modeDirect || r.rows != nil {
			return false
		}
	}
	return td.absentRows() == 0
}

// absentRows counts the template rows neither read nor replaced by a read
// alternative.
func (td *tableData) absentRows() int {
	n := 0
	for _, r := range td.tb.Rows {
		if td.byKey[r.Key] != nil {
			continue
		}
		if _, ok := td.absent(r.Key); !ok {
			n++
		}
	}
	return n
}

// printedSets are the sets of template rows a table may print, in
// template order: every row, a row standing for several alternatives
// either by itself or as those alternatives.
func (td *tableData) printedSets() [][]int {
	var single, many []int // rows that stand for several alternatives; the alternatives
	for i, r := range td.tb.Rows {
		switch {
		case len(r.Alternatives) > 1:
			single = append(single, i)
		case len(r.Alternatives) == 1:
			many = append(many, i)
		}
	}
	set := func(drop []int) []int {
		var out []int
		for i := range td.tb.Rows {
			if !containsInt(drop, i) {
				out = append(out, i)
			}
		}
		return out
	}
	if len(single) == 0 {
		return [][]int{set(many)}
	}
	return [][]int{set(many), set(single)}
}

func containsInt(xs []int, x int) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// numberRuns are the runs of numbers in td's lines, each ended by a line
// holding a label, and the template rows whose labels the lines print.
// It fails on digits that may be several numbers run together (but for a
// line of one number: nothing on the line runs into it, and a run cut
// wrong leaves a count that fits no rows) or numbers read unsurely: their
// count is not known.
func (p *parser) numberRuns(td *tableData) (runs [][]tok, found map[int]bool, ok bool) {
	end := p.sectionEnd(td.start, p.set.sectionNumber(td.tb.Section))
	found = map[int]bool{}
	var run []tok
	var prev []string
	for i := td.start + 1; i < end; i++ {
		l := &p.lines[i]
		lab := ""
		for _, t := range l.toks {
			if !t.isVal {
				lab += t.label
				continue
			}
			if t.glued && len(l.toks) > 1 || t.unsure || t.val.Num == nil {
				return nil, nil, false
			}
			if lab != "" {
				p.noteLabel(td, lab, &prev, found)
				lab = ""
				if len(run) > 0 {
					runs, run = append(runs, run), nil
				}
			}
			run = append(run, t)
		}
		if lab != "" {
			p.noteLabel(td, lab, &prev, found)
			if len(run) > 0 {
				runs, run = append(runs, run), nil
			}
		}
	}
	if len(run) > 0 {
		runs = append(runs, run)
	}
	return runs, found, true
}

// noteLabel records the template row a label names, alone or as the rest
// of the labels before it (a label wrapped over up to labelWrapLines
// lines).
func (p *parser) noteLabel(td *tableData, lab string, prev *[]string, found map[int]bool) {
	*prev = append(*prev, lab)
	if len(*prev) > labelWrapLines {
		*prev = (*prev)[1:]
	}
	for i := range *prev {
		if ri, _, exact := p.matchRow(td.tb, strings.Join((*prev)[i:], "")); ri >= 0 && exact {
			found[ri] = true
		}
	}
}

// runReadings are the readings of one run over rows rs, w numbers a row,
// that pass the identities applying to one row, distinct by their values.
func (td *tableData) runReadings(run []tok, rs []int, w int) []blockReading {
	var out []blockReading
	seen := map[string]bool{}
	cur := make(blockReading, 0, len(rs))
	var walk func(i int)
	walk = func(i int) {
		if len(out) > maxBlockReadings {
			return
		}
		if i == len(rs) {
			k := readingKey(cur)
			if !seen[k] {
				seen[k] = true
				out = append(out, append(blockReading(nil), cur...))
			}
			return
		}
		for k := 1; i+k <= len(rs); k++ { // the next k rows as one block
			base := len(cur)
			ok := true
			for r := 0; r < k; r++ {
				row := make([]tok, w)
				for c := 0; c < w; c++ {
					if k == 1 {
						row[c] = run[i*w+c]
					} else {
						row[c] = run[i*w+c*k+r]
					}
				}
				cur = append(cur, row)
				ok = ok && td.rowPasses(rs[i+r], row)
			}
			if ok {
				walk(i + k)
			}
			cur = cur[:base]
		}
	}
	walk(0)
	if len(out) > maxBlockReadings {
		return nil
	}
	return out
}

func readingKey(rd blockReading) string {
	var b strings.Builder
	for _, row := range rd {
		for _, t := range row {
			b.WriteString(fmtNum(*t.val.Num))
			b.WriteByte(' ')
		}
		b.WriteByte('|')
	}
	return b.String()
}

// rowPasses checks the identities applying to one row on its numbers.
func (td *tableData) rowPasses(ri int, row []tok) bool {
	cols := rowCols(td.ix, ri, td.subtotal)
	val := map[string]float64{}
	for i, c := range cols {
		val[c] = *row[i].val.Num
	}
	for _, id := range td.tb.Identities {
		if id.Per != "row" || !hasAll(cols, id.Left) || !hasAll(cols, id.Right) {
			continue
		}
		var l, r float64
		for _, k := range id.Left {
			l += val[k]
		}
		for _, k := range id.Right {
			r += val[k]
		}
		if math.Abs(l-r) >= tolerance {
			return false
		}
	}
	return true
}

// blockTable is a table of rows read from one reading of every run.
func (td *tableData) blockTable(rows []int, pick []blockReading) *tableData {
	nt := newTable(td.ix)
	nt.subtotal, nt.start = td.subtotal, td.start
	at := 0
	for _, rd := range pick {
		for _, row := range rd {
			ri := rows[at]
			at++
			nt.addRow(ri, td.tb.Rows[ri].Labels[0], row, row[0].pos, rowCols(td.ix, ri, td.subtotal))
			r := nt.rows[len(nt.rows)-1]
			r.byPos = true
			v := make(vec, len(row))
			for i, t := range row {
				v[i] = t.val.Num
			}
			r.final = v
		}
	}
	return nt
}

// blockPasses reports whether a reading passes every identity that can
// be assessed.
func (td *tableData) blockPasses(rows []int, pick []blockReading) bool {
	nt := td.blockTable(rows, pick)
	get := nt.getter(nil, nil)
	var t term
	for _, id := range nt.tb.Identities {
		if id.Per == "row" {
			for _, r := range nt.rows {
				if !hasAll(r.cols, id.Left) {
					continue
				}
				instantiateInto(&t, id, r.key)
				if evalCheck(nt.tb.Key, t, get).Status == govreport.CheckFail {
					return false
				}
			}
			continue
		}
		for _, c := range nt.tb.Columns {
			if c.Optional && !(nt.subtotal && c.Key == nt.tb.Subtotal) {
				continue
			}
			instantiateInto(&t, id, c.Key)
			if evalCheck(nt.tb.Key, t, get).Status == govreport.CheckFail {
				return false
			}
		}
	}
	return true
}

// agrees reports whether every row td read by its label, in full and not
// by position, has the same values in nt.
func (td *tableData) agrees(nt *tableData) bool {
	for _, r := range td.rows {
		if r.outside || r.byPos || r.mode != modeDirect || r.rows != nil || r.final == nil {
			continue
		}
		o := nt.byKey[r.key]
		if o == nil || len(o.final) != len(r.final) {
			return false
		}
		for i, v := range r.final {
			if (v == nil) != (o.final[i] == nil) || v != nil && *v != *o.final[i] {
				return false
			}
		}
	}
	return true
}
