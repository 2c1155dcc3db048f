package normalize

import (
	"govreport"
)

// emitCells turns the rebuilt tables into long-form cells, template rows in
// template order, then the rows an agency added.
func (p *parser) emitCells() {
	n := 0
	for _, td := range p.tables {
		for _, r := range td.rows {
			n += len(r.cols)
		}
	}
	p.doc.Cells = make([]govreport.Cell, 0, n)
	for _, td := range p.tables {
		order := td.ix.order
		rows := append([]*rowData(nil), td.rows...)
		// stable: template rows by template order, outside rows after, as printed
		for i := 1; i < len(rows); i++ {
			for j := i; j > 0 && rank(order, rows[j]) < rank(order, rows[j-1]); j-- {
				rows[j], rows[j-1] = rows[j-1], rows[j]
			}
		}
		for _, r := range rows {
			p.doc.Cells = p.rowCells(p.doc.Cells, td, r)
		}
	}
}

func rank(order map[string]int, r *rowData) int {
	if i, ok := order[r.key]; ok && !r.outside {
		return i
	}
	return 1 << 20
}

// rowCells appends row r's cells to out.
func (p *parser) rowCells(out []govreport.Cell, td *tableData, r *rowData) []govreport.Cell {
	var gaps []bool
	if r.final != nil && r.gaps != nil {
		gaps = r.gaps[r.final.key()]
	}
	raw := rowRaw(r)
	for i, col := range r.cols {
		c := govreport.Cell{Table: td.tb.Key, Row: r.key, Col: col, RowLabel: r.label, Pos: r.pos, Flags: []string{}}
		if ct := colOf(td.tb, col); ct != nil {
			c.ColLabel = ct.Labels[0]
			c.Unit = ct.Unit
		} else {
			c.ColLabel, c.Unit = col, r.unit
		}
		if r.outside {
			c.Flags = append(c.Flags, govreport.FlagOutsideTemplate)
		}
		c.Flags = append(c.Flags, r.flags...)
		if r.mode != modeDirect && ocrRow(r.toks) {
			c.Flags = append(c.Flags, govreport.FlagOCR)
		}
		switch r.mode {
		case modeDirect:
			t := r.toks[i]
			c.Raw = t.val.Raw
			c.Pos = t.pos
			c.Value = r.final[i]
			if td.zerosBlank && clean(t.val.Raw) == "" {
				c.Value = nil // a blank, 0 for the identities only
			}
			if t.ocr != nil {
				c.Flags = append(c.Flags, govreport.FlagOCR)
				c.Confidence = t.ocr.Confidence
			}
			if t.val.Note != "" {
				c.Flags = append(c.Flags, govreport.FlagFootnote)
			}
			if t.decided {
				c.Flags = append(c.Flags, govreport.FlagInferred)
			} else if t.unsure {
				c.Flags = append(c.Flags, govreport.FlagUncertain)
			} else if c.Value == nil {
				c.Flags = append(c.Flags, govreport.FlagNotReported)
			} else if v, ok := convertUnit(*c.Value, t.val.Unit, c.Unit); ok {
				c.Value = &v
				c.Flags = append(c.Flags, govreport.FlagUnitConverted)
			}
		case modeInferred:
			c.Raw = raw
			if len(r.toks) > 0 {
				c.Pos = r.toks[0].pos
			}
			if r.final != nil {
				c.Value = r.final[i]
			}
			if td.blankCell(r, c.Value) {
				c.Value = nil
				c.Flags = append(c.Flags, govreport.FlagNotReported)
			} else if c.Value == nil {
				c.Flags = append(c.Flags, govreport.FlagUncertain)
			} else if gaps != nil && gaps[i] {
				c.Flags = append(c.Flags, govreport.FlagNotPrinted)
			}
		case modeAmbiguous:
			c.Raw = raw
			c.Flags = append(c.Flags, govreport.FlagAmbiguous)
		default:
			c.Raw = raw
			c.Flags = append(c.Flags, govreport.FlagUncertain)
		}
		out = append(out, c)
	}
	return out
}

// ocrRow reports whether any of a row's values was read by OCR.
func ocrRow(ts []tok) bool {
	for _, t := range ts {
		if t.ocr != nil {
			return true
		}
	}
	return false
}
