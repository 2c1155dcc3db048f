package normalize

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport"
)

// rowData is one printed row of a table, before and after placement.
type rowData struct {
	key     string
	label   string
	outside bool
	cols    []string
	toks    []tok
	pos     govreport.Pos
	cands   []vec
	final   vec
	flags   []string
	mode    string // direct, inferred, ambiguous, uncertain
	glue    bool
	why     string
	gaps    map[string][]bool // solved candidate → cells unprinted in every placement that led to it
	unit    string            // legacy rows: the printed unit
	staged  bool              // candidates are gapless splits; placements with gaps come next
	terms   []term            // the identities touching this row
}

// tableData is one table being rebuilt.
type tableData struct {
	tb       *tableT
	ix       *labelIndex // tb's
	rows     []*rowData
	byKey    map[string]*rowData
	subtotal bool // the table's Subtotal column is printed
	start    int  // first line (index into lines)
	placed   bool // rows already placed (table 四 places its own)
}

func newTable(ix *labelIndex) *tableData {
	return &tableData{tb: ix.tb, ix: ix, byKey: map[string]*rowData{}, start: -1}
}

// labelIndex precomputes label cores per table for matching.
type labelIndex struct {
	tb      *tableT
	rows    [][][]rune // per row, per variant
	rowsS   [][]string // the same as strings
	rowsSig [][]uint64 // their runeSig
	cols    [][]string
	colsSig [][]uint64
	alts    map[string][]string // row key → the alternatives of rows with that key
	defCols [2][]string         // defaultCols without, with the subtotal
	order   map[string]int      // row key → template order (the last row of a key)
	// headingGroups are the cores of row group labels numbered like a
	// section heading (三、本年度办理结果 → 本年度办理结果)
	headingGroups []string
}

// indexOf is the label index of a table of the built-in templates.
func indexOf(tb *tableT) *labelIndex { return defaultSet.indexOf(tb) }

// labelCores are the cores of printed labels, as runes (for lcs), as
// strings (for substring search), and their rune signatures.
func labelCores(labels []string) (rs [][]rune, ss []string, sigs []uint64) {
	for _, l := range labels {
		c := core(l)
		rs = append(rs, []rune(c))
		ss = append(ss, c)
		sigs = append(sigs, runeSig(c))
	}
	return rs, ss, sigs
}

func buildIndex(tb *tableT) *labelIndex {
	ix := &labelIndex{tb: tb, alts: map[string][]string{}, defCols: [2][]string{defaultCols(tb, false), defaultCols(tb, true)}, order: map[string]int{}}
	seen := map[string]bool{}
	for i, r := range tb.Rows {
		if g := r.Group; g != "" && !seen[g] && headingOrdinal(g) {
			seen[g] = true
			ix.headingGroups = append(ix.headingGroups, core(g))
		}
		ix.order[r.Key] = i
		if len(r.Alternatives) > 0 {
			ix.alts[r.Key] = append(ix.alts[r.Key], r.Alternatives...)
		}
		vs, ss, sigs := labelCores(r.Labels)
		ix.rows = append(ix.rows, vs)
		ix.rowsS = append(ix.rowsS, ss)
		ix.rowsSig = append(ix.rowsSig, sigs)
	}
	for _, c := range tb.Columns {
		var vs []string
		var sigs []uint64
		for _, l := range c.Labels {
			vs = append(vs, core(l))
			sigs = append(sigs, runeSig(vs[len(vs)-1]))
		}
		ix.cols = append(ix.cols, vs)
		ix.colsSig = append(ix.colsSig, sigs)
	}
	return ix
}

// matchRow finds the template row a printed label names. Containment of a
// variant's core wins (the longest one); otherwise the best longest-common-
// subsequence ratio of at least 0.8. exact reports containment.
func matchRow(tb *tableT, label string) (idx int, score int, exact bool) {
	return matchRowCore(indexOf(tb), core(label))
}

// matchRowCore is matchRow given the table's index and the label's core.
func matchRowCore(ix *labelIndex, cl string) (idx int, score int, exact bool) {
	if cl == "" {
		return -1, 0, false
	}
	idx = -1
	sig := runeSig(cl)
	// every label contained in the text; one inside a longer one does not
	// count; of the rest, the one printed last names the row (text before
	// it is a row group's label, a header or a previous row's tail)
	type hit struct{ row, at, n int }
	var hits []hit
	for i, vs := range ix.rowsS {
		for vi, v := range vs {
			if v == "" || ix.rowsSig[i][vi]&^sig != 0 {
				continue // empty, or a rune not in the text
			}
			if p := strings.LastIndex(cl, v); p >= 0 {
				hits = append(hits, hit{i, utf8.RuneCountInString(cl[:p]), len(ix.rows[i][vi])})
			}
		}
	}
	var best *hit
	for i := range hits {
		h := &hits[i]
		inside := false
		for _, o := range hits {
			if o.n > h.n && o.at <= h.at && h.at+h.n <= o.at+o.n {
				inside = true
				break
			}
		}
		if inside {
			continue
		}
		if best == nil || h.at > best.at || h.at == best.at && h.n > best.n {
			best = h
		}
	}
	if best != nil {
		idx, score, exact = best.row, best.n, true
	}
	if idx >= 0 {
		return
	}
	// no label contained whole (typos, a label wrapped around its numbers,
	// vertical group labels interleaved): the longest common subsequence,
	// covering at least 80% of a label, or 60% of a long one
	rc := []rune(cl)
	bestRatio := 0.0
	for i, vs := range ix.rows {
		for _, v := range vs {
			if len(v) < 3 {
				continue
			}
			// the lcs is at most the text's length and the label's runes
			// the text may hold: skip labels that cannot pass the ratio or
			// beat the best even so
			ub := min(len(rc), sigCount(v, sig))
			if r := float64(ub) / float64(len(v)); ub < score || !(r >= 0.8 || r >= 0.6 && ub >= 8) {
				continue
			}
			n := lcs(rc, v)
			ratio := float64(n) / float64(len(v))
			if !(ratio >= 0.8 || ratio >= 0.6 && n >= 8) {
				continue
			}
			if n > score || n == score && ratio > bestRatio {
				idx, score, bestRatio = i, n, ratio
			}
		}
	}
	return idx, score, false
}

// headerCols returns the template columns a label-only line names, in
// printed order, given the label's core.
func headerCols(ix *labelIndex, cl string) []string {
	type hit struct {
		at  int
		key string
	}
	var hits []hit
	sig := runeSig(cl)
	for i, vs := range ix.cols {
		for vi, v := range vs {
			if ix.colsSig[i][vi]&^sig != 0 {
				continue // a rune not in the text
			}
			if at := strings.Index(cl, v); v != "" && at >= 0 {
				hits = append(hits, hit{at, ix.tb.Columns[i].Key})
				break
			}
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.key)
	}
	return out
}

// rowCols returns the columns a template row has. The slice is shared:
// read it, never write it.
func rowCols(ix *labelIndex, ri int, subtotal bool) []string {
	if r := ix.tb.Rows[ri]; len(r.Columns) > 0 {
		return r.Columns
	}
	return ix.defCols[b2i(subtotal)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// defaultCols are the columns of a row that lists none: the table's, the
// optional ones left out (the Subtotal column kept when printed).
func defaultCols(tb *tableT, subtotal bool) []string {
	var out []string
	for _, c := range tb.Columns {
		if c.Optional && !(subtotal && c.Key == tb.Subtotal) {
			continue
		}
		out = append(out, c.Key)
	}
	return out[:len(out):len(out)]
}

func isNarrative(label string) bool {
	n := runesUpTo(label, 61) // enough for the tests below
	return n > 60 || (n > 25 && (strings.HasSuffix(label, "。") || strings.Count(label, "，") >= 2))
}

// addRow records a printed row under its template key.
func (td *tableData) addRow(ri int, label string, vals []tok, pos govreport.Pos, cols []string) {
	key := ""
	outside := ri < 0
	if outside {
		key = "x_" + core(label)
	} else {
		key = td.tb.Rows[ri].Key
	}
	if r, ok := td.byKey[key]; ok {
		if len(r.toks) >= len(r.cols) || len(vals) > 0 && !outside {
			// a second printing of a row already read: keep the first
			return
		}
	}
	r := &rowData{key: key, label: label, outside: outside, toks: vals, pos: pos, cols: cols}
	td.rows = append(td.rows, r)
	td.byKey[key] = r
}

// fmtNum formats a value without trailing zeros.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func rowRaw(r *rowData) string {
	var parts []string
	for _, t := range r.toks {
		parts = append(parts, clean(t.val.Raw))
	}
	return strings.Join(parts, " ")
}

// place fills each row's candidates from its printed tokens.
func (td *tableData) place(trace *[]string) {
	if td.placed {
		return
	}
	td.placed = true
	for _, r := range td.rows {
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
			r.mode = "direct"
			continue
		}
		if n > k || n == 0 || r.outside {
			r.mode = "uncertain"
			r.why = fmt.Sprintf("%d numbers printed for %d columns", n, k)
			continue
		}
		glued := false
		for _, t := range r.toks {
			glued = glued || t.glued
		}
		r.glue = glued
		r.mode = "inferred"
		// digits run together are read as cells before any cell is
		// assumed blank: splits without gaps first, gaps only if none holds
		if glued {
			cands, ok := candidates(r.toks, k, false)
			if ok && len(cands) > 0 {
				r.cands, r.staged = cands, true
				r.why = fmt.Sprintf("%d numbers printed for %d columns: %d splits before the identities", n, k, len(cands))
				continue
			}
		}
		if !r.setGapCandidates(k) {
			continue
		}
	}
	td.filter()
	again := false
	for _, r := range td.rows {
		if r.staged && len(r.cands) == 0 {
			r.staged = false
			r.why += "; none holds"
			again = r.setGapCandidates(len(r.cols)) || again
		}
	}
	if again {
		td.filter()
	}
	for _, r := range td.rows {
		switch {
		case r.mode == "direct":
			r.final = td.solve(r, r.cands[0])
		case r.mode == "inferred" && len(r.cands) > 1 && len(determined(r.cands)) > 0:
			// placements that leave cells unknown explain nothing the
			// identities can confirm: the fully determined ones decide
			r.cands = fewestGaps(determined(r.cands), r.gaps)
			r.why += fmt.Sprintf("; %d placement(s) determine every cell with the fewest unprinted cells", len(r.cands))
			fallthrough
		case r.mode == "inferred" && len(r.cands) == 1:
			if len(r.cands) > 1 {
				if r.glue {
					r.mode = "ambiguous"
					r.why += fmt.Sprintf("; %d still satisfy the identities", len(r.cands))
				} else {
					r.final = common(r.cands)
					r.flags = append(r.flags, govreport.FlagInferred)
				}
				break
			}
			r.final = r.cands[0]
			r.flags = append(r.flags, govreport.FlagInferred)
			*trace = append(*trace, fmt.Sprintf("%s.%s %s: %s; one placement satisfies the identities: %s", td.tb.Key, r.key, quote(rowRaw(r)), r.why, r.final.key()))
		case r.mode == "inferred" && len(r.cands) == 0:
			r.mode = "uncertain"
			r.why += "; none satisfies the identities"
		case r.mode == "inferred":
			if r.glue {
				r.mode = "ambiguous"
				r.why += fmt.Sprintf("; %d still satisfy the identities", len(r.cands))
				break
			}
			// keep what every surviving placement agrees on
			r.final = common(r.cands)
			r.flags = append(r.flags, govreport.FlagInferred)
			r.why += fmt.Sprintf("; %d placements remain, cells they agree on kept", len(r.cands))
		}
		if r.mode == "ambiguous" || r.mode == "uncertain" {
			*trace = append(*trace, fmt.Sprintf("%s.%s %s: %s: values not placed", td.tb.Key, r.key, quote(rowRaw(r)), r.why))
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
		cols := row.cols
		for i, k := range cols {
			if k == ref.col {
				return v[i], true
			}
		}
		return nil, false
	}
}

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
	var out []term
	for _, id := range td.tb.Identities {
		if id.Per == "row" {
			out = append(out, instantiate(id, r.key))
			continue
		}
		in := false
		for _, side := range [2][]string{id.Left, id.Right} {
			for _, k := range side {
				in = in || k == r.key
			}
		}
		if !in {
			continue
		}
		for _, col := range r.cols {
			out = append(out, instantiate(id, col))
		}
	}
	return out
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

func (td *tableData) cellSpan(r *rowData, c vec, ref cellRef, ranges map[*rowData][]span) span {
	row := td.byKey[ref.row]
	if row == nil {
		if v, ok := td.absent(ref.row); ok && v != nil {
			return span{*v, *v}
		}
		return unknownSpan
	}
	for i, k := range row.cols {
		if k != ref.col {
			continue
		}
		if row == r {
			if c[i] == nil {
				return unknownSpan
			}
			return span{*c[i], *c[i]}
		}
		return ranges[row][i]
	}
	return unknownSpan
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
		if l.lo > rr.hi+1e-6 || rr.lo > l.hi+1e-6 {
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

// solve fills c's unknown cells that an identity with one unknown fixes.
func (td *tableData) solve(r *rowData, c vec) vec {
	if r.mode == "direct" {
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
	for pass := 0; pass < 3; pass++ {
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
			if ref.row != r.key || x < -1e-6 {
				continue
			}
			for i, k := range r.cols {
				if k == ref.col && c[i] == nil {
					x := x
					c[i] = &x
					filled = true
				}
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

// setGapCandidates enumerates placements with cells left unprinted.
func (r *rowData) setGapCandidates(k int) bool {
	cands, ok := candidates(r.toks, k, true)
	if !ok {
		r.mode = "ambiguous"
		r.why = "too many ways to place the printed numbers"
		r.cands = nil
		return false
	}
	r.cands = cands
	r.why += fmt.Sprintf("%d numbers printed for %d columns: %d placements before the identities", len(r.toks), k, len(cands))
	return true
}

// filter drops the candidates the identities rule out, solving the cells
// an identity fixes, until nothing changes.
func (td *tableData) filter() {
	open := false
	for _, r := range td.rows {
		if r.mode == "inferred" && len(r.cands) > 0 {
			open = true
			if r.terms == nil {
				r.terms = td.terms(r)
			}
		}
	}
	if !open {
		return // every row printed in full: nothing to place
	}
	for iter := 0; iter < 8; iter++ {
		changed := false
		ranges := td.ranges()
		for _, r := range td.rows {
			if r.mode != "inferred" || len(r.cands) == 0 {
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
				s := td.solve(r, c)
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
