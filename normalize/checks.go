package normalize

import (
	"fmt"
	"math"

	"govreport"
)

// checks evaluates every identity of the layout on the printed values.
// Source arithmetic errors are findings: the values stay as printed.
func (p *parser) checks() {
	for _, key := range []string{"t2", "t3", "t4"} {
		td := p.tables[key]
		if td == nil || len(td.rows) == 0 {
			continue
		}
		get := func(ref cellRef) (*float64, bool) {
			r := td.byKey[ref.row]
			if r == nil {
				return td.absent(ref.row)
			}
			if r.final == nil {
				return nil, true
			}
			for i, c := range r.cols {
				if c == ref.col {
					return r.final[i], true
				}
			}
			return nil, false
		}
		for _, id := range td.tb.Identities {
			var ts []term
			if id.Per == "row" {
				for _, r := range td.rows {
					if r.outside || !hasAll(r.cols, id.Left) {
						continue
					}
					ts = append(ts, instantiate(id, r.key))
				}
			} else {
				for _, c := range td.tb.Columns {
					if c.Optional && !(td.subtotal && c.Key == "org_subtotal") {
						continue
					}
					ts = append(ts, instantiate(id, c.Key))
				}
			}
			for _, t := range ts {
				p.doc.Checks = append(p.doc.Checks, evalCheck(key, t, get))
			}
		}
	}
	for _, c := range p.doc.Checks {
		if c.Status == govreport.CheckFail {
			p.trace = append(p.trace, fmt.Sprintf("check %s %s.%s failed: %s ≠ %s", c.Rule, c.Table, c.Scope, fmtNum(*c.Left), fmtNum(*c.Right)))
		}
	}
}

func hasAll(have, want []string) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// evalCheck: pass or fail when every term is printed with a value, not
// assessable otherwise (a row or cell missing, blank, or not placed).
func evalCheck(table string, t term, get func(cellRef) (*float64, bool)) govreport.Check {
	c := govreport.Check{Rule: t.rule, Table: table, Scope: t.scope, Status: govreport.CheckNA}
	var l, r float64
	missing := 0
	var what string
	for _, ref := range t.left {
		v, ok := get(ref)
		if !ok || v == nil {
			missing++
			what = ref.row + "." + ref.col
			continue
		}
		l += *v
	}
	for _, ref := range t.right {
		v, ok := get(ref)
		if !ok || v == nil {
			missing++
			what = ref.row + "." + ref.col
			continue
		}
		r += *v
	}
	if missing > 0 {
		c.Detail = fmt.Sprintf("%d term(s) missing, e.g. %s", missing, what)
		return c
	}
	c.Left, c.Right = &l, &r
	if math.Abs(l-r) < 1e-6 {
		c.Status = govreport.CheckPass
	} else {
		c.Status = govreport.CheckFail
		c.Detail = fmt.Sprintf("%s ≠ %s", fmtNum(l), fmtNum(r))
	}
	return c
}
