package normalize

import (
	"fmt"
	"math"
)

// decideOCR settles, after solving, the values OCR read too unsurely to be
// stored (unsure tokens, NULL so far) that the table's identities
// determine: an identity whose only unknown cell is one of them fixes its
// value, and when that value is one of the cell's readings (the best or an
// alternative) it is stored, flagged inferred. A value no reading gives
// stays NULL: the printed arithmetic may be wrong, and a number nobody
// read is not stored. Passes repeat while they settle cells.
func (td *tableData) decideOCR(tr *tracer) {
	for pass := 0; pass < ocrPasses; pass++ {
		settled := false
		get := td.getter(nil, nil)
		for _, r := range td.rows {
			if r.mode != modeDirect || r.final == nil {
				continue
			}
			for i := range r.toks {
				t := &r.toks[i]
				if !t.unsure || t.decided || i >= len(r.final) || r.final[i] != nil {
					continue
				}
				if r.terms == nil {
					r.terms = td.terms(r)
				}
				for _, term := range r.terms {
					l, rr, nl, nr, ul, ur := evalSides(term, get)
					if nl+nr != 1 {
						continue
					}
					ref, x := ul, rr-l
					if nr == 1 {
						ref, x = ur, l-rr
					}
					if r.slot(ref) != i || x < -tolerance || !readAs(*t, x) {
						continue
					}
					x = math.Max(x, 0)
					r.final[i], t.decided, settled = &x, true, true
					if tr.on() {
						tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
							Detail: fmt.Sprintf("%s: OCR read %s unsurely; %s fixes it at %s, one of its readings", r.cols[i], quote(t.val.Raw), term.rule, fmtNum(x))})
					}
					break
				}
			}
		}
		if !settled {
			return
		}
	}
}

// readAs reports whether x is one of an OCR token's readings.
func readAs(t tok, x float64) bool {
	for i := -1; t.ocr != nil && i < len(t.ocr.Alternatives); i++ {
		s := t.val.Raw
		if i >= 0 {
			s = t.ocr.Alternatives[i]
		}
		if v, ok := ParseValue(s); ok && v.Num != nil && math.Abs(*v.Num-x) <= tolerance {
			return true
		}
	}
	return false
}
