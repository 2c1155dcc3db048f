package normalize

import (
	"fmt"
	"math"

	"govreport"
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

// doubtOCR flags uncertain, after the checks, the values OCR read with
// less than ocrSureConfidence that the identities do not confirm: unless
// every identity on the cell passes (one at least), as byPosition does for
// numbers placed by where they stand. A misread digit breaks an identity
// (4 read as 1 by both digit readings at 150 dpi), or hides where one
// cannot be assessed; the values least surely read are the likely
// culprits. The values are kept, as printed findings are.
func (p *parser) doubtOCR() {
	type key struct{ table, row, col string }
	confirmed := map[key]bool{} // false: an identity on the cell did not pass
	for _, td := range p.tables {
		if td.tb == p.set.legacy.tb || len(td.rows) == 0 {
			continue
		}
		get := td.getter(nil, nil)
		var t term
		eval := func() {
			l, r, nl, nr, _, _ := evalSides(t, get)
			pass := nl+nr == 0 && math.Abs(l-r) < tolerance
			for _, side := range [2][]cellRef{t.left, t.right} {
				for _, ref := range side {
					k := key{td.tb.Key, ref.row, ref.col}
					if ok, seen := confirmed[k]; !seen || ok {
						confirmed[k] = pass
					}
				}
			}
		}
		for _, id := range td.tb.Identities {
			if id.Per == "row" {
				for _, r := range td.rows {
					if !r.outside && hasAll(r.cols, id.Left) {
						instantiateInto(&t, id, r.key)
						eval()
					}
				}
				continue
			}
			for _, c := range td.tb.Columns {
				if !c.Optional || td.subtotal && c.Key == td.tb.Subtotal {
					instantiateInto(&t, id, c.Key)
					eval()
				}
			}
		}
	}
	for i := range p.doc.Cells {
		c := &p.doc.Cells[i]
		if c.Value == nil || !c.HasFlag(govreport.FlagOCR) || c.Confidence >= ocrSureConfidence || c.HasFlag(govreport.FlagUncertain) ||
			confirmed[key{c.Table, c.Row, c.Col}] {
			continue
		}
		c.Flags = append(c.Flags, govreport.FlagUncertain)
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageCheck, Kind: EventCheck, Table: c.Table, Row: c.Row, Line: c.Pos.Line,
				Detail: fmt.Sprintf("%s: OCR read %s with confidence %s, not confirmed by every identity on it: uncertain", c.Col, quote(c.Raw), fmtNum(c.Confidence))})
		}
	}
}
