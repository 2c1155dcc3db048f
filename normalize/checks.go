package normalize

import (
	"fmt"
	"math"
	"strconv"

	"govreport"
)

// checks evaluates every identity of the layout on the printed values.
// Source arithmetic errors are findings: the values stay as printed.
func (p *parser) checks() {
	for _, td := range p.tables {
		key := td.tb.Key
		if td.tb == legacyTable || len(td.rows) == 0 {
			continue
		}
		get := td.getter(nil, nil)
		var t term // reused: checks keep no cell references
		for _, id := range td.tb.Identities {
			if id.Per == "row" {
				for _, r := range td.rows {
					if r.outside || !hasAll(r.cols, id.Left) {
						continue
					}
					instantiateInto(&t, id, r.key)
					p.doc.Checks = append(p.doc.Checks, evalCheck(key, t, get))
				}
			} else {
				for _, c := range td.tb.Columns {
					if c.Optional && !(td.subtotal && c.Key == td.tb.Subtotal) {
						continue
					}
					instantiateInto(&t, id, c.Key)
					p.doc.Checks = append(p.doc.Checks, evalCheck(key, t, get))
				}
			}
		}
	}
	if tr := p.tr; tr.on() {
		for _, c := range p.doc.Checks {
			e := Event{Stage: StageCheck, Kind: EventCheck, Table: c.Table}
			switch c.Status {
			case govreport.CheckFail:
				e.Detail = fmt.Sprintf("check %s %s failed: %s ≠ %s", c.Rule, c.Scope, fmtNum(*c.Left), fmtNum(*c.Right))
			case govreport.CheckPass:
				e.Detail = fmt.Sprintf("check %s %s passed: %s", c.Rule, c.Scope, fmtNum(*c.Left))
			default:
				e.Detail = fmt.Sprintf("check %s %s not assessable: %s", c.Rule, c.Scope, c.Detail)
			}
			tr.add(e)
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
	l, r, nl, nr, ul, ur := evalSides(t, get)
	missing := nl + nr
	var what string
	if missing > 0 {
		u := ul // the last unknown
		if nr > 0 {
			u = ur
		}
		what = u.row + "." + u.col
	}
	if missing > 0 {
		c.Detail = strconv.Itoa(missing) + " term(s) missing, e.g. " + what
		return c
	}
	c.Left, c.Right = &l, &r
	if math.Abs(l-r) < tolerance {
		c.Status = govreport.CheckPass
	} else {
		c.Status = govreport.CheckFail
		c.Detail = fmtNum(l) + " ≠ " + fmtNum(r)
	}
	return c
}
