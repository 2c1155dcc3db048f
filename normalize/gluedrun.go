package normalize

import "math"

// A table printed on one line with nothing between its cells (table 四's
// 15 cells as one run of up to 26 digits) has too many splits to list
// (4,457,400 for 26 digits) before the identities choose. runSplits lists
// only those whose identities hold: it cuts the digits a cell at a time,
// no cell but 0 opening with a zero, and checks an identity as soon as
// its last cell is cut, so a wrong cut early is dropped with every split
// that follows it. The solving stage then decides as for any row: one
// split left is the reading; several leave, row by row, only the template
// rows every split reads alike (decideRun), the others ambiguous.

// placeRun gives run r, a table printed as one glued run that place left
// ambiguous (too many splits), the splits its own identities admit.
func (td *tableData) placeRun(r *rowData, tr *tracer) {
	cands, ok := td.runSplits(r)
	if !ok || len(cands) == 0 {
		if ok {
			r.because(tr, "; no split satisfies the identities within the run")
		}
		return
	}
	r.mode, r.cands, r.staged = modeInferred, cands, true
	r.why = ""
	r.because(tr, "one run of digits for %d cells: %d split(s) satisfy the identities within the run", len(r.cols), len(cands))
}

// runSplits lists the splits of run r's one glued token over its cells
// under which every identity whose cells all lie in the run holds. ok is
// false when r is not one glued token of digits or the cuts tried exceed
// maxRunSteps.
func (td *tableData) runSplits(r *rowData) (out []vec, ok bool) {
	if len(r.toks) != 1 || !r.toks[0].glued {
		return nil, false
	}
	digits := compact(clean(r.toks[0].val.Raw))
	if digits == "" || !digitsOnly(digits) {
		return nil, false
	}
	k := len(r.cols)
	// the identities to check once cell i is cut: those whose last cell is i
	check := make([][]term, k)
	for _, t := range td.terms(r) {
		last, inRun := -1, true
		for _, side := range [2][]cellRef{t.left, t.right} {
			for _, ref := range side {
				i := r.slot(ref)
				inRun = inRun && i >= 0
				last = max(last, i)
			}
		}
		if inRun && last >= 0 {
			check[last] = append(check[last], t)
		}
	}
	cells := make([]float64, k)
	holds := func(t term) bool {
		sum := func(refs []cellRef) float64 {
			s := 0.0
			for _, ref := range refs {
				s += cells[r.slot(ref)]
			}
			return s
		}
		return math.Abs(sum(t.left)-sum(t.right)) <= tolerance
	}
	steps := 0
	var rec func(at, i int) bool
	rec = func(at, i int) bool {
		if i == k {
			if at == len(digits) {
				v := make(vec, k)
				for j := range cells {
					x := cells[j]
					v[j] = &x
				}
				out = append(out, v)
			}
			return len(out) <= maxCandidates
		}
		// each cell left takes one digit at least
		for n := 1; at+n <= len(digits)-(k-i-1); n++ {
			if steps++; steps > maxRunSteps {
				return false
			}
			p := digits[at : at+n]
			if n > 1 && p[0] == '0' {
				break
			}
			x := 0.0
			for _, d := range p {
				x = x*10 + float64(d-'0')
			}
			cells[i] = x
			good := true
			for _, t := range check[i] {
				good = good && holds(t)
			}
			if good && !rec(at+n, i+1) {
				return false
			}
		}
		return true
	}
	if !rec(0, 0) {
		return nil, false
	}
	return out, true
}

// decideRun keeps, of the splits left for run r (a table printed on one
// line), the template rows every split reads alike; the cells of the
// other rows stay unknown. It reports whether any row is kept.
func decideRun(r *rowData) bool {
	final := common(r.cands)
	kept := false
	for _, key := range r.keys() {
		whole := true
		for i, k := range r.rows {
			whole = whole && (k != key || final[i] != nil)
		}
		kept = kept || whole
	}
	if !kept {
		return false
	}
	r.final, r.alike = final, true
	return true
}

// runRowAmbiguous reports whether the cells of one template row cut from
// a run are not all known: the row is then stored ambiguous.
func runRowAmbiguous(v vec) bool {
	for _, x := range v {
		if x == nil {
			return true
		}
	}
	return false
}
