package normalize

import (
	"fmt"
	"strings"
)

// Stage 3, placement: each row's printed numbers become the placements
// possible in its columns. As many numbers as columns are placed directly;
// digits run together are split, first without gaps; fewer numbers leave
// cells unprinted anywhere. The identities choose among them (stage 4).

// placeRows fills each row's mode and candidates from its printed numbers.
func (td *tableData) placeRows(tr *tracer) {
	for _, r := range td.rows {
		r.place(tr)
		if r.mode == modeAmbiguous && r.glue && r.rows != nil {
			td.placeRun(r, tr)
		}
		if tr.on() {
			e := Event{Stage: StagePlace, Kind: EventPlace, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
				Detail: quote(rowRaw(r)) + ": " + r.mode.String()}
			if r.why != "" {
				e.Detail += ": " + r.why
			}
			tr.add(e)
		}
	}
}

// place sets r's mode and candidates.
func (r *rowData) place(tr *tracer) {
	k := len(r.cols)
	if len(r.toks) > k {
		// empty cells may be the copies of a spanned cell (a '|' line
		// for each): without them the row may fit its columns
		var printed []tok
		for _, t := range r.toks {
			if clean(t.val.Raw) != "" {
				printed = append(printed, t)
			}
		}
		if len(printed) <= k && len(printed) > 0 {
			r.toks = printed
		}
	}
	n := len(r.toks)
	if n == k {
		v := make(vec, k)
		for i, t := range r.toks {
			v[i] = t.val.Num
		}
		r.cands = []vec{v}
		r.mode = modeDirect
		return
	}
	if n > k || n == 0 || r.outside {
		r.mode = modeUncertain
		r.because(tr, "%d numbers printed for %d columns", n, k)
		return
	}
	glued := false
	for _, t := range r.toks {
		glued = glued || t.glued
	}
	r.glue = glued
	r.mode = modeInferred
	// digits run together are read as cells before any cell is
	// assumed blank: splits without gaps first, gaps only if none holds
	if glued {
		cands, ok := candidates(r.toks, k, false)
		if ok && len(cands) > 0 {
			r.cands, r.staged = cands, true
			r.because(tr, "%d numbers printed for %d columns: %d splits before the identities", n, k, len(cands))
			return
		}
	}
	r.setGapCandidates(tr)
}

// because adds to r's explanation, when explaining.
func (r *rowData) because(tr *tracer, format string, args ...any) {
	if tr.on() {
		r.why += fmt.Sprintf(format, args...)
	}
}

// setGapCandidates enumerates placements with cells left unprinted.
func (r *rowData) setGapCandidates(tr *tracer) bool {
	k := len(r.cols)
	cands, ok := candidates(r.toks, k, true)
	if !ok {
		r.mode = modeAmbiguous
		r.cands = nil
		if tr.on() {
			r.why = "too many ways to place the printed numbers"
		}
		return false
	}
	r.cands = cands
	r.because(tr, "%d numbers printed for %d columns: %d placements before the identities", len(r.toks), k, len(cands))
	return true
}

// vec is one candidate assignment of a row's cells; nil = unknown.
type vec []*float64

func (v vec) key() string {
	var b strings.Builder
	for _, x := range v {
		if x == nil {
			b.WriteString("_|")
		} else {
			b.WriteString(fmtNum(*x))
			b.WriteByte('|')
		}
	}
	return b.String()
}

// candidates enumerates the ways the printed tokens can fill k cells: glued
// digit runs split into several cells, and missing cells placed anywhere.
// It returns nil and false when the enumeration exceeds maxCandidates.
func candidates(toks []tok, k int, allowGaps bool) ([]vec, bool) {
	// expand each token into its possible sequences of values
	opts := make([][][]*float64, len(toks))
	for i, t := range toks {
		if t.glued {
			opts[i] = splits(t.val.Raw, k)
			if len(opts[i]) > maxCandidates {
				return nil, false // the splits were not all listed
			}
		}
		if len(opts[i]) == 0 || !t.glued {
			opts[i] = [][]*float64{{t.val.Num}}
		}
	}
	var out []vec
	over := false
	var rec func(i int, acc []*float64)
	rec = func(i int, acc []*float64) {
		if over || len(acc) > k {
			return
		}
		if i == len(toks) {
			if len(acc) == k {
				out = append(out, append(vec(nil), acc...))
			} else if allowGaps {
				placeGaps(acc, k, func(v vec) { out = append(out, v) })
			}
			if len(out) > maxCandidates {
				over = true
			}
			return
		}
		for _, seq := range opts[i] {
			rec(i+1, append(acc, seq...))
		}
	}
	rec(0, nil)
	if over {
		return nil, false
	}
	return out, true
}

// placeGaps calls f with every way to spread vals over k cells in order,
// the remaining cells unknown.
func placeGaps(vals []*float64, k int, f func(vec)) {
	v := make(vec, k)
	var rec func(i, j int)
	rec = func(i, j int) { // i: next value, j: next cell
		if i == len(vals) {
			for x := j; x < k; x++ {
				v[x] = nil
			}
			f(append(vec(nil), v...))
			return
		}
		for c := j; c <= k-(len(vals)-i); c++ {
			for x := j; x < c; x++ {
				v[x] = nil
			}
			v[c] = vals[i]
			rec(i+1, c+1)
		}
	}
	rec(0, 0)
}

// splits returns the ways a digit run splits into at most k non-negative
// integers without leading zeros; a '-' or '+' between digits is a boundary.
// It stops after maxCandidates+1: more than maxCandidates are not all listed.
func splits(raw string, k int) [][]*float64 {
	s := compact(clean(raw))
	var chunks []string
	for _, c := range strings.FieldsFunc(s, func(r rune) bool { return r == '-' || r == '+' }) {
		if c != "" {
			chunks = append(chunks, c)
		}
	}
	if len(chunks) == 0 {
		return nil
	}
	for _, c := range chunks {
		for _, r := range c {
			if r < '0' || r > '9' {
				return nil
			}
		}
	}
	var out [][]*float64
	var rec func(ci int, rest string, acc []*float64)
	rec = func(ci int, rest string, acc []*float64) {
		if len(acc) > k || len(out) > maxCandidates {
			return
		}
		if rest == "" {
			if ci+1 == len(chunks) {
				out = append(out, append([]*float64(nil), acc...))
				return
			}
			rec(ci+1, chunks[ci+1], acc)
			return
		}
		for n := 1; n <= len(rest); n++ {
			p := rest[:n]
			if len(p) > 1 && p[0] == '0' {
				break
			}
			f := 0.0
			for _, r := range p {
				f = f*10 + float64(r-'0')
			}
			rec(ci, rest[n:], append(acc, &f))
		}
	}
	rec(0, chunks[0], nil)
	return out
}
