package normalize

import (
	"fmt"
	"math"

	"govreport"
)

// Stage 4, solving: the table's identities (instantiated on its rows and
// columns) rule out placements, a cell an identity fixes is filled, and
// each row is decided: one placement left, or the cells every placement
// left agrees on, or nothing.

// solveRows decides every row of the table through its identities.
func (td *tableData) solveRows(tr *tracer) {
	td.filter()
	again := false
	for _, r := range td.rows {
		if r.staged && len(r.cands) == 0 {
			r.staged = false
			r.because(tr, "; none holds")
			again = r.setGapCandidates(tr) || again
		}
	}
	if again {
		td.filter()
	}
	if td.zerosBlank {
		td.joint(tr)
	}
	for _, r := range td.rows {
		td.decide(r, tr)
		if td.zerosBlank && r.mode == modeInferred {
			r.flags = append(r.flags, blankFlags...)
		}
	}
	td.split()
}

// split replaces a run of numbers spanning several rows (a table printed
// on one line), once decided, by one row per template row.
func (td *tableData) split() {
	var rows []*rowData
	for _, r := range td.rows {
		if r.rows == nil {
			rows = append(rows, r)
			continue
		}
		var gaps []bool
		if r.final != nil && r.gaps != nil {
			gaps = r.gaps[r.final.key()]
		}
		for _, key := range r.keys() {
			var at []int
			for i, k := range r.rows {
				if k == key {
					at = append(at, i)
				}
			}
			s := &rowData{key: key, label: td.tb.Rows[td.ix.order[key]].Labels[0], pos: r.pos, mode: r.mode, flags: r.flags, why: r.why, toks: r.toks, byPos: r.byPos}
			for _, i := range at {
				s.cols = append(s.cols, r.cols[i])
			}
			if r.mode == modeDirect {
				s.toks = nil
				for _, i := range at {
					s.toks = append(s.toks, r.toks[i])
				}
			}
			if r.final != nil {
				for _, i := range at {
					s.final = append(s.final, r.final[i])
				}
				if r.alike && runRowAmbiguous(s.final) {
					// a row the splits left read differently
					s.mode, s.final, s.flags = modeAmbiguous, nil, nil
				}
				if gaps != nil {
					g := make([]bool, 0, len(at))
					for _, i := range at {
						g = append(g, gaps[i])
					}
					s.gaps = map[string][]bool{s.final.key(): g}
				}
			}
			rows = append(rows, s)
			td.byKey[key] = s
		}
	}
	td.rows = rows
}

// decide sets the values stored for row r, its flags and its final mode.
func (td *tableData) decide(r *rowData, tr *tracer) {
	switch r.mode {
	case modeDirect:
		r.final = td.fill(r, r.cands[0])
		if tr.on() {
			tr.add(Event{Stage: StageSolve, Kind: EventPrinted, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
				Detail: "as printed: " + r.final.key()})
		}
	case modeInferred:
		if len(r.cands) > 1 {
			if det := determined(r.cands); len(det) > 0 {
				// placements that leave cells unknown explain nothing the
				// identities can confirm: the fully determined ones decide
				r.cands = fewestGaps(det, r.gaps)
				r.because(tr, "; %d placement(s) determine every cell with the fewest unprinted cells", len(r.cands))
			}
		}
		switch {
		case len(r.cands) == 1:
			r.final = r.cands[0]
			r.flags = append(r.flags, govreport.FlagInferred)
			if tr.on() {
				tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
					Detail: fmt.Sprintf("%s: %s; one placement satisfies the identities: %s", quote(rowRaw(r)), r.why, r.final.key())})
			}
		case len(r.cands) == 0:
			r.mode = modeUncertain
			r.because(tr, "; none satisfies the identities")
		case r.glue && r.rows != nil && decideRun(r):
			// a table on one line: the rows every split reads alike
			r.flags = append(r.flags, govreport.FlagInferred)
			r.because(tr, "; %d splits satisfy the identities, the rows they read alike kept", len(r.cands))
			if tr.on() {
				tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
					Detail: fmt.Sprintf("%s: %s", quote(rowRaw(r)), r.why)})
			}
		case r.glue:
			r.mode = modeAmbiguous
			r.because(tr, "; %d still satisfy the identities", len(r.cands))
		default:
			// keep what every surviving placement agrees on
			r.final = common(r.cands)
			r.flags = append(r.flags, govreport.FlagInferred)
			r.because(tr, "; %d placements remain, cells they agree on kept", len(r.cands))
			if tr.on() {
				tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
					Detail: fmt.Sprintf("%s: %s", quote(rowRaw(r)), r.why)})
			}
		}
	}
	if tr.on() && (r.mode == modeAmbiguous || r.mode == modeUncertain) {
		tr.add(Event{Stage: StageSolve, Kind: EventNotPlaced, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
			Detail: fmt.Sprintf("%s: %s: values not placed", quote(rowRaw(r)), r.why)})
	}
}

// term is one identity instantiated on a table: cells on each side.
type term struct {
	rule, scope string
	left, right []cellRef
}

type cellRef struct{ row, col string }

// instantiate applies an identity to one row (per "row": its column keys
// become that row's cells) or one column (per "column": its row keys become
// that column's cells).
func instantiate(id govreport.Identity, at string) term {
	t := term{left: make([]cellRef, 0, len(id.Left)), right: make([]cellRef, 0, len(id.Right))}
	instantiateInto(&t, id, at)
	return t
}

// instantiateInto is instantiate reusing t's slices.
func instantiateInto(t *term, id govreport.Identity, at string) {
	t.rule, t.scope = id.Rule, at
	t.left, t.right = t.left[:0], t.right[:0]
	ref := func(k string) cellRef {
		if id.Per == "row" {
			return cellRef{at, k}
		}
		return cellRef{k, at}
	}
	for _, k := range id.Left {
		t.left = append(t.left, ref(k))
	}
	for _, k := range id.Right {
		t.right = append(t.right, ref(k))
	}
}

// terms instantiates the table's identities touching row r.
func (td *tableData) terms(r *rowData) []term {
	keys := r.keys()
	cols := r.cols
	if r.rows != nil {
		cols = nil
		seen := map[string]bool{}
		for _, c := range r.cols {
			if !seen[c] {
				seen[c] = true
				cols = append(cols, c)
			}
		}
	}
	var out []term
	for _, id := range td.tb.Identities {
		if id.Per == "row" {
			for _, k := range keys {
				out = append(out, instantiate(id, k))
			}
			continue
		}
		in := false
		for _, side := range [2][]string{id.Left, id.Right} {
			for _, k := range side {
				for _, rk := range keys {
					in = in || k == rk
				}
			}
		}
		if !in {
			continue
		}
		for _, col := range cols {
			out = append(out, instantiate(id, col))
		}
	}
	return out
}

// getter returns the value of a cell, taking row r's candidate c in place
// of r's own (r nil: every row as placed); present is false for cells the
// table does not print.
func (td *tableData) getter(r *rowData, c vec) func(cellRef) (*float64, bool) {
	return func(ref cellRef) (*float64, bool) {
		row := td.byKey[ref.row]
		var v vec
		switch {
		case row == nil:
			return td.absent(ref.row)
		case row == r:
			v = c
		default:
			v = row.final
			if v == nil && len(row.cands) == 1 {
				v = row.cands[0]
			}
			if v == nil {
				return nil, true // printed but not yet known
			}
		}
		if i := row.slot(ref); i >= 0 {
			return v[i], true
		}
		return nil, false
	}
}

// span is the range a cell can take: hi is +Inf when unknown.
type span struct{ lo, hi float64 }

var unknownSpan = span{0, math.Inf(1)}

// ranges gives, for every printed row, the range of each of its cells over
// the row's remaining candidates.
func (td *tableData) ranges() map[*rowData][]span {
	out := map[*rowData][]span{}
	for _, r := range td.rows {
		sp := make([]span, len(r.cols))
		switch {
		case r.final != nil:
			for i, x := range r.final {
				sp[i] = unknownSpan
				if x != nil {
					sp[i] = span{*x, *x}
				}
			}
		case len(r.cands) > 0:
			for i := range sp {
				sp[i] = span{math.Inf(1), math.Inf(-1)}
			}
			for _, c := range r.cands {
				for i, x := range c {
					if x == nil {
						sp[i].lo, sp[i].hi = 0, math.Inf(1)
						continue
					}
					sp[i].lo = math.Min(sp[i].lo, *x)
					sp[i].hi = math.Max(sp[i].hi, *x)
				}
			}
		default:
			for i := range sp {
				sp[i] = unknownSpan
			}
		}
		out[r] = sp
	}
	return out
}

// refSlot finds a cell of an identity: its row and slot, or (row nil)
// the span it is known to take: an absent row's known value, or unknown.
func (td *tableData) refSlot(ref cellRef) (*rowData, int, span) {
	row := td.byKey[ref.row]
	if row == nil {
		if v, ok := td.absent(ref.row); ok && v != nil {
			return nil, -1, span{*v, *v}
		}
		return nil, -1, unknownSpan
	}
	i := row.slot(ref)
	if i < 0 {
		return nil, -1, unknownSpan
	}
	return row, i, span{}
}

func (td *tableData) cellSpan(r *rowData, c vec, ref cellRef, ranges map[*rowData][]span) span {
	row, i, sp := td.refSlot(ref)
	switch {
	case row == nil:
		return sp
	case row != r:
		return ranges[row][i]
	case c[i] == nil:
		return unknownSpan
	}
	return span{*c[i], *c[i]}
}

// admits reports whether candidate c for row r can satisfy every identity
// given the ranges the other rows' cells can still take (non-negative
// unknowns).
func (td *tableData) admits(r *rowData, c vec, ranges map[*rowData][]span) bool {
	for _, t := range r.terms {
		var l, rr span
		for _, ref := range t.left {
			x := td.cellSpan(r, c, ref, ranges)
			l.lo, l.hi = l.lo+x.lo, l.hi+x.hi
		}
		for _, ref := range t.right {
			x := td.cellSpan(r, c, ref, ranges)
			rr.lo, rr.hi = rr.lo+x.lo, rr.hi+x.hi
		}
		if l.lo > rr.hi+tolerance || rr.lo > l.hi+tolerance {
			return false
		}
	}
	return true
}

// settled reports whether every other row in t has a known placement.
func (td *tableData) settled(t term, r *rowData) bool {
	for _, side := range [2][]cellRef{t.left, t.right} {
		for _, ref := range side {
			row := td.byKey[ref.row]
			if row == nil || row == r {
				continue
			}
			if row.final == nil && len(row.cands) != 1 {
				return false
			}
		}
	}
	return true
}

// fill fills c's unknown cells that an identity with one unknown fixes.
func (td *tableData) fill(r *rowData, c vec) vec {
	if r.mode == modeDirect {
		return c
	}
	c = append(vec(nil), c...)
	if r.terms == nil {
		r.terms = td.terms(r)
	}
	// other rows do not change while solving: which terms are settled,
	// and a pass that fills nothing leaves the next one the same work
	var sbuf [32]bool
	settled := sbuf[:0]
	for _, t := range r.terms {
		settled = append(settled, td.settled(t, r))
	}
	for pass := 0; pass < fillPasses; pass++ {
		get := td.getter(r, c)
		filled := false
		for ti, t := range r.terms {
			if !settled[ti] {
				continue
			}
			l, rr, nl, nr, ul, ur := evalSides(t, get)
			if nl+nr != 1 {
				continue
			}
			var ref cellRef
			var x float64
			if nl == 1 {
				ref, x = ul, rr-l
			} else {
				ref, x = ur, l-rr
			}
			if i := r.slot(ref); i >= 0 && x >= -tolerance && c[i] == nil {
				c[i] = &x
				filled = true
			}
		}
		if !filled {
			break
		}
	}
	return c
}

var zero = 0.0

// absent is the value of a row the table does not print: nothing when a
// row printed in its place stands for it, unknown otherwise.
func (td *tableData) absent(key string) (*float64, bool) {
	for _, a := range td.ix.alts[key] {
		if td.byKey[a] != nil {
			return &zero, true
		}
	}
	return nil, false
}

// filter drops the candidates the identities rule out, solving the cells
// an identity fixes, until nothing changes.
func (td *tableData) filter() {
	open := false
	for _, r := range td.rows {
		if r.mode == modeInferred && len(r.cands) > 0 {
			open = true
			if r.terms == nil {
				r.terms = td.terms(r)
			}
		}
	}
	if !open {
		return // every row printed in full: nothing to place
	}
	for iter := 0; iter < filterRounds; iter++ {
		changed := false
		ranges := td.ranges()
		for _, r := range td.rows {
			if r.mode != modeInferred || len(r.cands) == 0 {
				continue
			}
			var keep []vec
			if r.gaps == nil {
				r.gaps = map[string][]bool{}
			}
			for _, c := range r.cands {
				if !td.admits(r, c, ranges) {
					continue
				}
				s := td.fill(r, c)
				g, ok := r.gaps[c.key()]
				if !ok {
					g = make([]bool, len(c))
					for i, x := range c {
						g[i] = x == nil
					}
				}
				if prev, ok := r.gaps[s.key()]; ok {
					for i := range prev {
						prev[i] = prev[i] && g[i]
					}
				} else {
					r.gaps[s.key()] = append([]bool(nil), g...)
				}
				keep = append(keep, s)
			}
			keep = dedupe(keep)
			if len(keep) != len(r.cands) {
				changed = true
			}
			r.cands = keep
		}
		if !changed {
			break
		}
	}
}

func dedupe(vs []vec) []vec {
	seen := map[string]bool{}
	var out []vec
	for _, v := range vs {
		k := v.key()
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out
}

func common(vs []vec) vec {
	out := append(vec(nil), vs[0]...)
	for _, v := range vs[1:] {
		for i := range out {
			if out[i] == nil || v[i] == nil || *out[i] != *v[i] {
				out[i] = nil
			}
		}
	}
	return out
}

// determined keeps the candidates with every cell known.
func determined(vs []vec) []vec {
	var out []vec
	for _, v := range vs {
		ok := true
		for _, x := range v {
			ok = ok && x != nil
		}
		if ok {
			out = append(out, v)
		}
	}
	return out
}

// fewestGaps keeps the candidates that leave the fewest cells unprinted:
// digits run together are read as cells before any cell is assumed blank.
func fewestGaps(vs []vec, gaps map[string][]bool) []vec {
	best := -1
	var out []vec
	for _, v := range vs {
		n := 0
		for _, g := range gaps[v.key()] {
			if g {
				n++
			}
		}
		switch {
		case best < 0 || n < best:
			best, out = n, []vec{v}
		case n == best:
			out = append(out, v)
		}
	}
	return out
}

// evalSides sums the known cells of each side, counting the unknown ones
// (nl, nr; ul, ur the last of each); a cell the table does not print is
// unknown too (any non-negative value).
func evalSides(t term, get func(cellRef) (*float64, bool)) (l, r float64, nl, nr int, ul, ur cellRef) {
	for _, c := range t.left {
		v, _ := get(c)
		if v == nil {
			nl, ul = nl+1, c
		} else {
			l += *v
		}
	}
	for _, c := range t.right {
		v, _ := get(c)
		if v == nil {
			nr, ur = nr+1, c
		} else {
			r += *v
		}
	}
	return
}
