package normalize

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"

	"govreport"
)

// Tables that leave their zero cells blank (a print with zero cells
// emptied, read as text that keeps no column positions: pdftotext of a
// browser's print). A row then prints only its non-zero numbers, in order,
// and a row of zeros prints no number at all.
//
// The evidence that a table leaves zeros blank is its own: no number of it
// is printed 0, and minShortRows rows of it print fewer numbers than it
// has columns (one such row is an agency's row printed short: its missing
// cells are values the identities infer, not_printed). Then, and only then, a cell left blank is 0 for the identities
// (stored NULL, not_reported, as a PDF's blank cell is): the row identity
// (总计 = the sum of the applicant columns) and the column identities can
// be evaluated on every placement, and the table is solved jointly: every
// combination of the rows' order-preserving placements that passes every
// identity is a reading; a row keeps the placements some reading uses,
// and a cell is stored only where every reading agrees on it. A template
// row whose label is read in the table and that prints no number is a row
// of blanks.
//
// The offsets of the numbers are not used: where cells are blank, the
// text packs the numbers it prints together, so an offset says neither
// the column nor how many cells were skipped; only the order survives.
// Hence a blank-zero table whose identities are all per column or per row
// total can at most be decided up to a relabelling of the columns no
// printed number uses: the identities then hold for every order-preserving
// shift of the used columns, and the rows are left missing, flagged.

// blankZeros reports whether td leaves its zero cells blank (see above).
func (td *tableData) blankZeros() bool {
	if len(td.tb.Identities) == 0 {
		return false
	}
	short := 0
	for _, r := range td.rows {
		if r.rows != nil {
			return false // a one-line run: its cells' rows are not known
		}
		n := 0
		for _, t := range r.toks {
			if clean(t.val.Raw) == "" {
				continue // a blank the reader of positions set: not used
			}
			if t.glued || t.val.Num == nil || *t.val.Num == 0 {
				return false
			}
			n++
		}
		if !r.outside && r.mode == modeInferred && n > 0 && n < len(r.cols) {
			short++
		}
	}
	return short >= minShortRows
}

// placeBlanks finds the tables that leave zeros blank and prepares them:
// placeZeros for each; then, in a document one table of which leaves zeros
// blank, a table with no identity whose rows are all printed whole and
// print no 0 leaves them blank too (a row of it that prints no number is
// the evidence), and gets its rows of blanks.
func (p *parser) placeBlanks(tr *tracer) {
	any := false
	for _, td := range p.tables {
		if td.blankZeros() {
			any = true
			p.placeZeros(td, tr)
		} else if td.blankRun(tr) {
			any = true
		}
	}
	if !any {
		return
	}
	for _, td := range p.tables {
		if td.zerosBlank || len(td.tb.Identities) > 0 || len(td.rows) == 0 {
			continue
		}
		whole := true
		for _, r := range td.rows {
			if r.outside {
				continue // not the template's: its numbers say nothing of its blanks
			}
			whole = whole && r.mode == modeDirect
			for _, t := range r.toks {
				whole = whole && (t.val.Num == nil || *t.val.Num != 0)
			}
		}
		if whole {
			td.zerosBlank = true
			p.blankRows(td, tr)
		}
	}
}

// blankRun reports whether td, a table printed as one run of numbers over
// every row's cells (readOneLine), leaves its zeros blank, and prepares it:
// the run prints fewer numbers than cells, none 0 or glued, and with its
// blanks 0 the placements that pass every per-row identity all give each
// row the same numbers, minShortRows rows of them printing fewer numbers
// than their columns (the evidence blankZeros asks of rows printed on
// lines of their own). The run keeps those placements, its blanks 0; the
// cells they agree on (a row's total: its last number) are stored.
func (td *tableData) blankRun(tr *tracer) bool {
	if len(td.rows) != 1 {
		return false
	}
	r := td.rows[0]
	if r.rows == nil || r.mode != modeInferred || len(r.cands) == 0 || len(r.toks) >= len(r.cols) {
		return false
	}
	for _, t := range r.toks {
		if t.glued || t.val.Num == nil || *t.val.Num == 0 {
			return false
		}
	}
	var ids []govreport.Identity
	for _, id := range td.tb.Identities {
		if id.Per == "row" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return false
	}
	keys := r.keys()
	var keep []vec
	var counts []int // numbers each row takes, the same in every placement kept
	var t term
	for _, c := range r.cands {
		z := append(vec(nil), c...)
		for i := range z {
			if z[i] == nil {
				z[i] = &zero
			}
		}
		get := td.getter(r, z)
		ok := true
		for _, id := range ids {
			for _, k := range keys {
				instantiateInto(&t, id, k)
				ok = ok && evalCheck(td.tb.Key, t, get).Status == govreport.CheckPass
			}
		}
		if !ok {
			continue
		}
		n := make([]int, len(keys))
		for i, x := range c {
			if x != nil {
				n[slices.Index(keys, r.rows[i])]++
			}
		}
		if counts != nil && fmt.Sprint(n) != fmt.Sprint(counts) {
			return false // the rows' numbers are not decided
		}
		counts = n
		keep = append(keep, z)
	}
	if keep == nil {
		return false
	}
	short := 0
	for i, k := range keys {
		cols := 0
		for _, rk := range r.rows {
			if rk == k {
				cols++
			}
		}
		if counts[i] > 0 && counts[i] < cols {
			short++
		}
	}
	if short < minShortRows {
		return false
	}
	td.zerosBlank = true
	r.cands = dedupe(keep)
	if tr.on() {
		tr.add(Event{Stage: StagePlace, Kind: EventPlace, Table: td.tb.Key,
			Detail: fmt.Sprintf("one run, no 0 printed, its blanks 0: %d placement(s) pass every row identity, each giving the rows %v numbers: the table leaves zeros blank", len(r.cands), counts)})
	}
	return true
}

// placeZeros sets the cells the placements of a blank-zero table's rows
// leave blank to 0 and adds its rows of blanks.
func (p *parser) placeZeros(td *tableData, tr *tracer) {
	td.zerosBlank = true
	for _, r := range td.rows {
		if !r.outside && r.mode == modeDirect {
			// a row read with its blanks where they stand: they are 0
			for i, x := range r.cands[0] {
				if x == nil {
					r.cands[0][i] = &zero
				}
			}
		}
		if r.outside || r.mode != modeInferred {
			continue
		}
		// the blanks a reader of positions set between the numbers are
		// dropped: only the printed numbers' order is read
		var printed []tok
		for _, t := range r.toks {
			if clean(t.val.Raw) != "" {
				printed = append(printed, t)
			}
		}
		if len(printed) < len(r.toks) {
			r.toks = printed
			cands, ok := candidates(printed, len(r.cols), true)
			if !ok {
				r.mode, r.cands = modeAmbiguous, nil
				continue
			}
			r.cands = cands
		}
		for ci, c := range r.cands {
			z := append(vec(nil), c...)
			for i := range z {
				if z[i] == nil {
					z[i] = &zero
				}
			}
			r.cands[ci] = z
		}
		r.cands = dedupe(r.cands)
	}
	p.blankRows(td, tr)
}

// blankRows adds to td the template rows whose label is read in its
// region and that print no number: rows of blanks, 0 for the identities.
func (p *parser) blankRows(td *tableData, tr *tracer) {
	start, end := td.start, p.tableEnd(td)
	if start < 0 {
		return
	}
	var text strings.Builder
	read := map[int]bool{}
	for i := start; i < end && i < len(p.lines); i++ {
		c := p.core(p.lines[i].labelText(false))
		text.WriteString(c)
		if p.lines[i].hasValues() || c == "" {
			continue
		}
		for ri, vs := range td.ix.rowsS {
			for _, v := range vs {
				read[ri] = read[ri] || v == c // a short label on a line of its own
			}
		}
	}
	for _, ri := range labelsIn(td.ix, text.String()) {
		read[ri] = true
	}
	for ri := range td.tb.Rows {
		if !read[ri] {
			continue
		}
		row := td.tb.Rows[ri]
		if td.byKey[row.Key] != nil || td.altPrinted(row.Key) {
			continue
		}
		cols := rowCols(td.ix, ri, td.subtotal)
		z := make(vec, len(cols))
		for i := range z {
			z[i] = &zero
		}
		r := &rowData{key: row.Key, label: row.Labels[0], cols: cols, pos: p.lines[start].pos,
			mode: modeInferred, cands: []vec{z}, blank: true}
		td.rows = append(td.rows, r)
		td.byKey[row.Key] = r
		if tr.on() {
			tr.add(Event{Stage: StagePlace, Kind: EventPlace, Table: td.tb.Key, Row: r.key,
				Detail: "label read, no number printed, in a table that leaves zeros blank: a row of blanks"})
		}
	}
}

// altPrinted reports whether a row standing for key, or for which key
// stands, is printed (（六）其他处理 as one row or as its sub-rows).
func (td *tableData) altPrinted(key string) bool {
	for _, a := range td.ix.alts[key] {
		if td.byKey[a] != nil {
			return true
		}
	}
	for k, as := range td.ix.alts {
		for _, a := range as {
			if a == key && td.byKey[k] != nil {
				return true
			}
		}
	}
	return false
}

// labelsIn lists the template rows (indices) one of whose label variants
// (minRowsInLabel runes at least) stands in cl and not inside a longer
// variant's occurrence.
func labelsIn(ix *labelIndex, cl string) []int {
	seen := map[int]bool{}
	var out []int
	for _, h := range labelHits(ix, cl) {
		if !seen[h.row] {
			seen[h.row] = true
			out = append(out, h.row)
		}
	}
	return out
}

// tableTerms instantiates every identity of td on its printed rows and
// its columns.
func (td *tableData) tableTerms() []term {
	var out []term
	for _, id := range td.tb.Identities {
		if id.Per == "row" {
			for _, r := range td.rows {
				if r.outside || r.rows != nil || !hasAll(r.cols, id.Left) {
					continue
				}
				out = append(out, instantiate(id, r.key))
			}
			continue
		}
		for _, c := range td.tb.Columns {
			if c.Optional && !(td.subtotal && c.Key == td.tb.Subtotal) {
				continue
			}
			out = append(out, instantiate(id, c.Key))
		}
	}
	return out
}

// joint solves a blank-zero table as a whole, after filter: it enumerates
// the combinations of its open rows' placements (rows with several left)
// that pass every identity, within maxJointNodes steps of the search,
// pruning a partial combination as soon as some identity cannot hold
// whatever the open rows not yet chosen take (their cells' ranges). Each
// open row then keeps the placements some reading uses; none → every open
// row's numbers are left unplaced. Over the budget nothing changes: the
// filtered placements stay (a superset of the readings').
func (td *tableData) joint(tr *tracer) {
	var open []*rowData
	for _, r := range td.rows {
		if r.mode == modeInferred && len(r.cands) > 1 {
			open = append(open, r)
		}
	}
	td.readings = nil
	for _, r := range td.rows {
		if r.mode == modeInferred && len(r.cands) == 0 {
			td.unblank(tr) // the filter left a row no placement
			return
		}
	}
	if len(open) == 0 {
		return
	}
	// rows in the smallest column identities first (一 + 二 = （七）总计 +
	// 四 before the sum of the outcomes), then those with fewest
	// placements: a partial combination fails as early as it can
	size := func(r *rowData) int {
		best := math.MaxInt
		for _, id := range td.tb.Identities {
			if id.Per != "column" {
				continue
			}
			for _, k := range append(append([]string(nil), id.Left...), id.Right...) {
				if k == r.key {
					best = min(best, len(id.Left)+len(id.Right))
				}
			}
		}
		return best
	}
	sort.SliceStable(open, func(i, j int) bool {
		si, sj := size(open[i]), size(open[j])
		if si != sj {
			return si < sj
		}
		return len(open[i].cands) < len(open[j].cands)
	})
	terms := td.tableTerms()
	at := map[*rowData]int{}
	rng := map[*rowData][]span{}
	for i, r := range open {
		at[r] = i
		sp := make([]span, len(r.cols))
		for j := range sp {
			sp[j] = span{math.Inf(1), math.Inf(-1)}
		}
		for _, c := range r.cands {
			for j, x := range c {
				if x == nil {
					sp[j] = unknownSpan
					continue
				}
				sp[j].lo, sp[j].hi = math.Min(sp[j].lo, *x), math.Max(sp[j].hi, *x)
			}
		}
		rng[r] = sp
	}
	pick := make([]int, len(open))
	for i := range pick {
		pick[i] = -1
	}
	cell := func(ref cellRef) span {
		row, i, sp := td.refSlot(ref)
		if row == nil {
			return sp
		}
		var v vec
		if k, ok := at[row]; ok {
			if pick[k] < 0 {
				return rng[row][i]
			}
			v = row.cands[pick[k]]
		} else {
			v = row.final
			if v == nil && len(row.cands) == 1 {
				v = row.cands[0]
			}
		}
		if v == nil || v[i] == nil {
			return unknownSpan
		}
		return span{*v[i], *v[i]}
	}
	holds := func() bool {
		for _, t := range terms {
			var l, r span
			for _, ref := range t.left {
				x := cell(ref)
				l.lo, l.hi = l.lo+x.lo, l.hi+x.hi
			}
			for _, ref := range t.right {
				x := cell(ref)
				r.lo, r.hi = r.lo+x.lo, r.hi+x.hi
			}
			if l.lo > r.hi+tolerance || r.lo > l.hi+tolerance {
				return false
			}
		}
		return true
	}
	nodes, over := 0, false
	var found [][]int
	var rec func(k int)
	rec = func(k int) {
		if over {
			return
		}
		if k == len(open) {
			found = append(found, append([]int(nil), pick...))
			return
		}
		for ci := range open[k].cands {
			if nodes++; nodes > maxJointNodes {
				over = true
				return
			}
			pick[k] = ci
			if holds() {
				rec(k + 1)
			}
		}
		pick[k] = -1
	}
	rec(0)
	if over {
		if tr.on() {
			tr.add(Event{Stage: StageSolve, Kind: EventNotPlaced, Table: td.tb.Key,
				Detail: fmt.Sprintf("joint readings of %d rows: more than %d steps, the filtered placements kept", len(open), maxJointNodes)})
		}
		return
	}
	if tr.on() {
		tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key,
			Detail: fmt.Sprintf("%d joint reading(s) of %d rows pass every identity", len(found), len(open))})
	}
	if len(found) == 0 {
		td.unblank(tr)
		return
	}
	td.readings = make([][]vec, 0, len(found))
	for _, f := range found {
		rd := make([]vec, len(open))
		for k, ci := range f {
			rd[k] = open[k].cands[ci]
		}
		td.readings = append(td.readings, rd)
	}
	td.open = open
	for k, r := range open {
		var keep []vec
		used := map[int]bool{}
		for _, f := range found {
			if !used[f[k]] {
				used[f[k]] = true
				keep = append(keep, r.cands[f[k]])
			}
		}
		r.cands = keep
	}
}

// unblank undoes the rows of blanks of a table no reading of which
// passes the identities: a label read without numbers may then be a row
// whose numbers the text printed elsewhere. Its rows keep no placement.
func (td *tableData) unblank(tr *tracer) {
	var rows []*rowData
	for _, r := range td.rows {
		if r.blank {
			delete(td.byKey, r.key)
			continue
		}
		if r.mode == modeInferred {
			r.cands = nil
		}
		rows = append(rows, r)
	}
	td.rows = rows
	if tr.on() {
		tr.add(Event{Stage: StageSolve, Kind: EventNotPlaced, Table: td.tb.Key,
			Detail: "no reading of the table passes every identity: no row of blanks, no placement kept"})
	}
}

// blankGetter wraps get, for the checks of a table that leaves zeros
// blank: its blanks are stored NULL, so the checks see them NULL, as
// Check does from the stored cells.
func (td *tableData) blankGetter(get func(cellRef) (*float64, bool)) func(cellRef) (*float64, bool) {
	if !td.zerosBlank {
		return get
	}
	return func(ref cellRef) (*float64, bool) {
		v, ok := get(ref)
		if r := td.byKey[ref.row]; r != nil && td.blankCell(r, v) {
			return nil, ok
		}
		return v, ok
	}
}

// blankCell reports whether value x of row r's cell is a blank of a table
// that leaves zeros blank: stored NULL, not_reported.
func (td *tableData) blankCell(r *rowData, x *float64) bool {
	return td.zerosBlank && !r.outside && x != nil && *x == 0
}

// blankFlags are the flags of the values a blank-zero table's rows were
// given by their placement: by_position (the order of the numbers, not
// their columns, was read). Not uncertain: a value is stored only where
// every reading passing the identities agrees on it, though the stored
// checks cannot show it (the blanks are NULL there).
var blankFlags = []string{govreport.FlagByPosition}

// tableEnd is the line after td's region: the start of the next table
// read, else the end of td's section.
func (p *parser) tableEnd(td *tableData) int {
	if td.start < 0 {
		return -1
	}
	end := p.sectionEnd(td.start, p.set.sectionNumber(td.tb.Section))
	for _, o := range p.tables {
		if o != td && o.start > td.start && o.start < end {
			end = o.start
		}
	}
	return end
}
