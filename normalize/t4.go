package normalize

import (
	"fmt"
	"strings"

	"govreport"
)

// t4 rebuilds table 四: three blocks of five columns, usually printed as
// one line of fifteen numbers after a two-level header.
func (p *parser) t4(from int) {
	tb := tableOf(p.tpl, "t4")
	if tb == nil {
		return
	}
	td := newTable(tb)
	p.tables["t4"] = td
	start := p.headingLine("review_litigation")
	if start < 0 {
		start = from
	}
	end := len(p.lines)
	for _, k := range []string{"problems", "other"} {
		if i := p.headingLine(k); i > start {
			end = i
			break
		}
	}
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
			if lab = compact(lab); i > start && (strings.Contains(lab, "复议") || strings.Contains(lab, "诉讼") || strings.Contains(lab, "结果") || strings.Contains(lab, "审结") || strings.Contains(lab, "总计")) {
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
		return
	}
	if len(perRow) == len(tb.Rows) {
		for _, r := range perRow {
			td.rows = append(td.rows, &rowData{key: tb.Rows[r.ri].Key, label: tb.Rows[r.ri].Labels[0], cols: cols, toks: r.vals, pos: r.pos})
			td.byKey[tb.Rows[r.ri].Key] = td.rows[len(td.rows)-1]
		}
		td.place(&p.trace)
		return
	}
	n := len(tb.Rows) * len(cols)
	// trailing blanks of a table row beyond the fifteen cells
	for len(toks) > n && toks[len(toks)-1].val.Num == nil {
		toks = toks[:len(toks)-1]
	}
	full := make(vec, n)
	mode := "direct"
	why := ""
	switch {
	case len(toks) == n:
		for i, t := range toks {
			full[i] = t.val.Num
		}
	case len(toks) > n:
		mode, why = "uncertain", fmt.Sprintf("%d numbers printed for %d cells", len(toks), n)
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
			mode, why = "ambiguous", fmt.Sprintf("%d numbers printed for %d cells; %d placements satisfy the identities", len(toks), n, len(keep))
		case len(keep) == 0:
			mode, why = "uncertain", fmt.Sprintf("%d numbers printed for %d cells; no placement satisfies the identities", len(toks), n)
		default:
			full, mode = keep[0], "inferred"
			why = fmt.Sprintf("%d numbers printed for %d cells; one placement satisfies the identities", len(toks), n)
		}
	}
	raw := make([]string, 0, len(toks))
	for _, t := range toks {
		raw = append(raw, clean(t.val.Raw))
	}
	if why != "" {
		p.trace = append(p.trace, fmt.Sprintf("t4 %s: %s", quote(strings.Join(raw, " ")), why))
	}
	for ri, r := range tb.Rows {
		rd := &rowData{key: r.Key, label: r.Labels[0], cols: cols, pos: firstPos, mode: mode, why: why}
		if mode == "direct" {
			rd.toks = toks[ri*len(cols) : (ri+1)*len(cols)]
		} else {
			rd.toks = toks
		}
		if mode == "direct" || mode == "inferred" {
			rd.final = full[ri*len(cols) : (ri+1)*len(cols)]
		}
		if mode == "inferred" {
			rd.flags = []string{govreport.FlagInferred}
		}
		td.rows = append(td.rows, rd)
		td.byKey[r.Key] = rd
	}
	td.placed = true
	p.trace = append(p.trace, fmt.Sprintf("t4 ← %d numbers from line %d", len(toks), firstPos.Line))
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
