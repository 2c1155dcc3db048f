package normalize

import (
	"math"
	"strings"
)

// maxCandidates bounds the enumeration of splits and placements for a row.
const maxCandidates = 20000

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

// term is one identity instantiated on a table: cells on each side.
type term struct {
	rule, scope string
	left, right []cellRef
}

type cellRef struct{ row, col string }

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

// feasible reports whether an identity can hold with non-negative unknowns.
func feasible(l, r float64, ul, ur int) bool {
	switch {
	case ul == 0 && ur == 0:
		return math.Abs(l-r) < 1e-6
	case ul == 0:
		return l-r > -1e-6
	case ur == 0:
		return r-l > -1e-6
	}
	return true
}
