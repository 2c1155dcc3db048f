package normalize

import (
	"fmt"
	"strings"

	"govreport"
)

// readOneLine runs the structure and assembly stages for a table whose
// rows may be printed as one run of numbers (table 四: three blocks of five
// columns after a two-level header), in its section's lines from its
// heading (or from) on. It returns the line where the section ends.
func (p *parser) readOneLine(td *tableData, from int) int {
	tb := td.tb
	start := p.headingLine(tb.Section)
	if start < 0 {
		start = from
	}
	end := p.sectionEnd(start, p.set.sectionNumber(tb.Section))
	var cols []string
	for _, c := range tb.Columns {
		cols = append(cols, c.Key)
	}
	var toks []tok
	var perRow []struct {
		ri   int
		vals []tok
		pos  govreport.Pos
	}
	var firstPos govreport.Pos
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
		if isNarrative(lab) {
			continue
		}
		if len(toks) == 0 {
			firstPos = vals[0].pos
			td.start = i
		}
		if ri, _, ok := p.matchRow(tb, lab); ok && len(vals) == len(cols) {
			perRow = append(perRow, struct {
				ri   int
				vals []tok
				pos  govreport.Pos
			}{ri, vals, vals[0].pos})
		}
		toks = append(toks, vals...)
		l.used = true
		if len(toks) >= 3*len(cols) {
			break
		}
	}
	if len(toks) == 0 {
		return end
	}
	if len(perRow) == len(tb.Rows) {
		for _, r := range perRow {
			td.rows = append(td.rows, &rowData{key: tb.Rows[r.ri].Key, label: tb.Rows[r.ri].Labels[0], cols: cols, toks: r.vals, pos: r.pos})
			td.byKey[tb.Rows[r.ri].Key] = td.rows[len(td.rows)-1]
		}
		return end
	}
	n := len(tb.Rows) * len(cols)
	// trailing blanks of a table row beyond the fifteen cells
	for len(toks) > n && toks[len(toks)-1].val.Num == nil {
		toks = toks[:len(toks)-1]
	}
	full := make(vec, n)
	mode := modeDirect
	why := ""
	switch {
	case len(toks) == n:
		for i, t := range toks {
			full[i] = t.val.Num
		}
	case len(toks) > n:
		mode, why = modeUncertain, fmt.Sprintf("%d numbers printed for %d cells", len(toks), n)
	default:
		cands, ok := candidates(toks, n, len(toks) >= n-3)
		var keep []vec
		if ok {
			for _, c := range cands {
				if t4Feasible(c, len(cols)) {
					keep = append(keep, solveBlocks(c, len(cols)))
				}
			}
			keep = dedupe(keep)
		}
		switch {
		case !ok || len(keep) > 1:
			mode, why = modeAmbiguous, fmt.Sprintf("%d numbers printed for %d cells; %d placements satisfy the identities", len(toks), n, len(keep))
		case len(keep) == 0:
			mode, why = modeUncertain, fmt.Sprintf("%d numbers printed for %d cells; no placement satisfies the identities", len(toks), n)
		default:
			full, mode = keep[0], modeInferred
			why = fmt.Sprintf("%d numbers printed for %d cells; one placement satisfies the identities", len(toks), n)
		}
	}
	raw := make([]string, 0, len(toks))
	for _, t := range toks {
		raw = append(raw, clean(t.val.Raw))
	}
	if tr := p.tr; tr.on() && why != "" {
		tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: tb.Key, Line: firstPos.Line, Detail: fmt.Sprintf("%s: %s", quote(strings.Join(raw, " ")), why)})
	}
	for ri, r := range tb.Rows {
		rd := &rowData{key: r.Key, label: r.Labels[0], cols: cols, pos: firstPos, mode: mode, why: why}
		if mode == modeDirect {
			rd.toks = toks[ri*len(cols) : (ri+1)*len(cols)]
		} else {
			rd.toks = toks
		}
		if mode == modeDirect || mode == modeInferred {
			rd.final = full[ri*len(cols) : (ri+1)*len(cols)]
		}
		if mode == modeInferred {
			rd.flags = []string{govreport.FlagInferred}
		}
		td.rows = append(td.rows, rd)
		td.byKey[r.Key] = rd
	}
	td.placed = true
	if tr := p.tr; tr.on() {
		tr.add(Event{Stage: StageAssemble, Kind: EventRun, Table: tb.Key, Line: firstPos.Line, Detail: fmt.Sprintf("← %d numbers from line %d", len(toks), firstPos.Line)})
	}
	return end
}

// t4Feasible checks total = upheld + corrected + other + pending per block.
func t4Feasible(c vec, w int) bool {
	for b := 0; b+w <= len(c); b += w {
		var sum float64
		unknown := 0
		for _, x := range c[b : b+w-1] {
			if x == nil {
				unknown++
			} else {
				sum += *x
			}
		}
		tot := c[b+w-1]
		if tot == nil {
			continue
		}
		if !feasible(*tot, sum, 0, unknown) {
			return false
		}
	}
	return true
}

func solveBlocks(c vec, w int) vec {
	c = append(vec(nil), c...)
	for b := 0; b+w <= len(c); b += w {
		var sum float64
		unk := -1
		n := 0
		for i := b; i < b+w; i++ {
			if c[i] == nil {
				unk, n = i, n+1
			} else if i < b+w-1 {
				sum += *c[i]
			}
		}
		if n != 1 {
			continue
		}
		var x float64
		if unk == b+w-1 {
			x = sum
		} else {
			x = *c[b+w-1] - sum
		}
		if x >= 0 {
			c[unk] = &x
		}
	}
	return c
}
