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
		if td.tb == p.set.legacy.tb || len(td.rows) == 0 {
			continue
		}
		get := td.blankGetter(td.getter(nil, nil))
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
		if len(p.doc.Checks) == 0 {
			tr.add(Event{Stage: StageCheck, Kind: EventCheck, Detail: "no identity to check (no template table read)"})
		}
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

// byPosition flags the values of rows whose numbers reached them by where
// they stand: confirmed when every identity on the row and on its columns
// passes (one at least), they keep no flag; else they carry by_position,
// and every value of their table uncertain, since a number given to the
// wrong row moves others with it.
func (p *parser) byPosition() {
	status := map[string]string{} // table|scope → worst status
	for _, c := range p.doc.Checks {
		k := c.Table + "|" + c.Scope
		if cur, ok := status[k]; !ok || cur == govreport.CheckPass {
			status[k] = c.Status
		}
	}
	doubt := map[string]bool{} // table → some by-position row unconfirmed
	posRow := map[string]bool{}
	for _, td := range p.tables {
		for _, r := range td.rows {
			if !r.byPos {
				continue
			}
			confirmed, seen := true, false
			for _, scope := range append(r.keys(), r.cols...) {
				if st, ok := status[td.tb.Key+"|"+scope]; ok {
					seen = true
					confirmed = confirmed && st == govreport.CheckPass
				}
			}
			if confirmed && seen {
				if tr := p.tr; tr.on() {
					tr.add(Event{Stage: StageCheck, Kind: EventPosition, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
						Detail: "numbers placed by where they stand, confirmed by every identity on the row and its columns: no flag"})
				}
				continue
			}
			doubt[td.tb.Key] = true
			for _, k := range r.keys() {
				posRow[td.tb.Key+"|"+k] = true
			}
			if tr := p.tr; tr.on() {
				tr.add(Event{Stage: StageCheck, Kind: EventPosition, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
					Detail: "numbers placed by where they stand, not confirmed by the identities: by_position, and the table's values uncertain"})
			}
		}
	}
	if len(doubt) == 0 {
		return
	}
	for i := range p.doc.Cells {
		c := &p.doc.Cells[i]
		if !doubt[c.Table] || c.Value == nil {
			continue
		}
		if posRow[c.Table+"|"+c.Row] && !c.HasFlag(govreport.FlagByPosition) {
			c.Flags = append(c.Flags, govreport.FlagByPosition)
		}
		if !c.HasFlag(govreport.FlagUncertain) {
			c.Flags = append(c.Flags, govreport.FlagUncertain)
		}
	}
}
