package normalize

import (
	"slices"

	"govreport"
)

// Check evaluates the identities of a layout's tables on stored cells:
// the checks Normalize gives a document, from its cells alone, so that
// they can be run again after a person corrected some of them. A row
// counts as printed when it has cells, with the columns of its cells; a
// row outside the template (FlagOutsideTemplate, or a key the template
// does not have) is left out of the row identities as when reading. Cells
// of tables the layout does not have (legacy) are ignored. Checks come
// table by table in the template's order, rows in template order.
func Check(layout string, cells []govreport.Cell) []govreport.Check {
	return defaultSet.Check(layout, cells)
}

// Check is the package's Check with the set's templates.
func (s *TemplateSet) Check(layout string, cells []govreport.Cell) []govreport.Check {
	t := s.layouts[layout]
	if t == nil {
		return nil
	}
	var out []govreport.Check
	for i := range t.Tables {
		tb := &t.Tables[i]
		td := newTable(s.indexOf(tb))
		for _, c := range cells {
			if c.Table != tb.Key {
				continue
			}
			r := td.byKey[c.Row]
			if r == nil {
				_, known := td.ix.order[c.Row]
				r = &rowData{key: c.Row, outside: !known || c.HasFlag(govreport.FlagOutsideTemplate)}
				td.byKey[c.Row] = r
				td.rows = append(td.rows, r)
			}
			if slices.Contains(r.cols, c.Col) {
				continue // a cell given twice: the first counts
			}
			r.cols = append(r.cols, c.Col)
			r.final = append(r.final, c.Value)
			if c.Col == tb.Subtotal && tb.Subtotal != "" {
				td.subtotal = true
			}
		}
		if len(td.rows) == 0 {
			continue
		}
		slices.SortStableFunc(td.rows, func(a, b *rowData) int { return rank(td.ix.order, a) - rank(td.ix.order, b) })
		get := td.getter(nil, nil)
		var tm term
		for _, id := range tb.Identities {
			if id.Per == "row" {
				for _, r := range td.rows {
					if r.outside || !hasAll(r.cols, id.Left) {
						continue
					}
					instantiateInto(&tm, id, r.key)
					out = append(out, evalCheck(tb.Key, tm, get))
				}
				continue
			}
			for _, c := range tb.Columns {
				if c.Optional && !(td.subtotal && c.Key == tb.Subtotal) {
					continue
				}
				instantiateInto(&tm, id, c.Key)
				out = append(out, evalCheck(tb.Key, tm, get))
			}
		}
	}
	return out
}
