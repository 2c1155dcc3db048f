package review

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"govreport"
	"govreport/store"
)

// A table drawn as the report prints it: its header rows (cells spanning
// columns and rows), then its body, every value cell carrying what the
// page shows of it. Three shapes, each told by the template: rows down
// with columns across (table 三: caption and column groups over the
// columns, row groups spanning label columns on the left), a header per
// row group (table 二: group_headers), rows side by side on one line
// (table 四: print.across). A legacy table is drawn by its printed rows
// and columns.

// tableView is one table of a document, ready for the template.
type tableView struct {
	Key, Title string
	Head       [][]gridCell
	Body       [][]gridCell
	Failed     []checkView // failed checks, beside the table
	Passed     int
	NA         int  // not assessable
	Legacy     bool // drawn by its printed rows: no template cell to fill in
}

// gridCell is a cell of the drawn table: a header or label (Text), or a
// value (Value).
type gridCell struct {
	Text    string
	ColSpan int
	RowSpan int
	Class   string
	Value   *cellView
}

// cellView is a value cell as the page shows it.
type cellView struct {
	ID       string // table.row.col, the cell's anchor and its ?cell=
	Href     string // selects it
	Text     string // the value, or what stands for it
	Class    string // f-<flag> of the flag that colours it, and sel when selected
	Title    string // on hover: raw text, flags and why, where printed, machine value, correction
	Flags    []string
	Selected bool
	Absent   bool // a cell of the template the reader stored no value in
}

// checkView is a check beside its table.
type checkView struct {
	Rule, Scope, Left, Right, Detail string
}

// flagWhy says what each flag means, for the hover text and the legend.
var flagWhy = map[string]string{
	govreport.FlagAmbiguous:       "more than one placement of the printed numbers (digits run together, or fewer numbers than columns) fits the identities: nothing stored",
	govreport.FlagUncertain:       "the row's numbers could not be placed with certainty",
	govreport.FlagByPosition:      "given to the row by where the numbers stand, not confirmed by the identities",
	govreport.FlagNotPrinted:      "not printed; the identities forced this value",
	govreport.FlagInferred:        "placed through the template's identities, not by position",
	govreport.FlagCorrected:       "a person set or confirmed this value",
	govreport.FlagNotReported:     "printed blank, dash or 无: not reported, not 0",
	govreport.FlagOutsideTemplate: "a row the agency added",
	govreport.FlagFootnote:        "the cell carries a note beside its number",
	govreport.FlagUnitConverted:   "printed in another unit (元), converted",
	govreport.FlagOCR:             "read by OCR from a page image",
}

// flagOrder is the order flags colour a cell in: the first one it carries.
var flagOrder = []string{govreport.FlagCorrected, govreport.FlagAmbiguous, govreport.FlagUncertain, govreport.FlagByPosition, govreport.FlagNotPrinted,
	govreport.FlagInferred, govreport.FlagOCR, govreport.FlagOutsideTemplate, govreport.FlagUnitConverted, govreport.FlagFootnote, govreport.FlagNotReported}

// legend lists the flags with their colour class and meaning.
func legend() []struct{ Flag, Class, Why string } {
	var out []struct{ Flag, Class, Why string }
	for _, f := range flagOrder {
		out = append(out, struct{ Flag, Class, Why string }{f, "f-" + f, flagWhy[f]})
	}
	return out
}

// fmtValue writes a value as printed: no trailing zeros.
func fmtValue(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// cellID names a cell in URLs and anchors.
func cellID(tbl, row, col string) string { return tbl + "." + row + "." + col }

// viewer builds the value cells of one document.
type viewer struct {
	cells    map[string]*store.StoredCell // by cellID
	selected string
	base     url.Values // the page's query, ?cell= set per cell
	path     string
	absent   map[string]bool // the template's cells drawn without a stored one, by cellID
	edit     bool            // corrections allowed: an absent cell can be filled in
}

func (v *viewer) value(tbl, row, col string) *cellView {
	id := cellID(tbl, row, col)
	q := url.Values{}
	for k, vs := range v.base {
		q[k] = vs
	}
	q.Set("cell", id)
	cv := &cellView{ID: id, Href: v.path + "?" + q.Encode() + "#cell-" + id, Selected: id == v.selected}
	c := v.cells[id]
	if c == nil {
		cv.Absent, cv.Class, cv.Title = true, "absent", "the reader stored no value here"
		if v.edit {
			cv.Text, cv.Title = "+", cv.Title+": select it to fill it in"
		}
		if cv.Selected {
			cv.Class += " sel"
		}
		if v.absent != nil {
			v.absent[id] = true
		}
		return cv
	}
	cv.Flags = c.Flags
	for _, f := range flagOrder {
		if c.HasFlag(f) {
			cv.Class = "f-" + f
			break
		}
	}
	switch {
	case c.Value != nil:
		cv.Text = fmtValue(c.Value)
	case c.HasFlag(govreport.FlagNotReported):
		cv.Text = strings.TrimSpace(c.Raw)
		if cv.Text == "" {
			cv.Text = "·"
		}
	default:
		cv.Text = "?"
	}
	if cv.Selected {
		cv.Class = strings.TrimSpace(cv.Class + " sel")
	}
	cv.Title = hoverText(c)
	return cv
}

// hoverText is what a cell says on hover: raw text, each flag and why,
// where it was printed, the machine's value and the correction.
func hoverText(c *store.StoredCell) string {
	var b strings.Builder
	if c.Filled {
		fmt.Fprintf(&b, "%s · %s\nfilled in by a person: the reader stored no value here", c.RowLabel, c.ColLabel)
	} else {
		fmt.Fprintf(&b, "%s · %s\nprinted: %q", c.RowLabel, c.ColLabel, c.Raw)
	}
	for _, f := range c.Flags {
		fmt.Fprintf(&b, "\n%s: %s", f, flagWhy[f])
		if f == govreport.FlagOCR {
			fmt.Fprintf(&b, " (confidence %s)", fmtValue(&c.Confidence))
		}
	}
	if w := where(c.Pos); w != "" {
		b.WriteString("\nat " + w)
	}
	if k := c.Correction; k != nil {
		m := fmtValue(c.Machine)
		if m == "" {
			m = "none"
		}
		fmt.Fprintf(&b, "\nmachine's value: %s\n%s by %s, %s", m, k.Action, orDash(k.Author), k.Time)
		if k.Note != "" {
			b.WriteString(": " + k.Note)
		}
	}
	return b.String()
}

// where says where a cell was printed: page, x, y (PDF points from the
// top left) or the line of the extracted text.
func where(p govreport.Pos) string {
	var parts []string
	if p.Page > 0 {
		parts = append(parts, fmt.Sprintf("page %d", p.Page))
	}
	if p.X != 0 || p.Y != 0 {
		parts = append(parts, fmt.Sprintf("x %s, y %s pt", fmtValue(&p.X), fmtValue(&p.Y)))
	}
	if p.Line > 0 && p.Page == 0 {
		parts = append(parts, fmt.Sprintf("line %d", p.Line))
	}
	return strings.Join(parts, ", ")
}

func orDash(s string) string {
	if s == "" {
		return "—"
	}
	return s
}

// docTable is one table of a document: its template (nil for legacy) and
// the keys of the rows and columns it has cells in.
type docTable struct {
	tb      *govreport.TableTemplate
	key     string
	rows    []string // printed rows: template rows in order, then rows outside it in printed order
	byRow   map[string][]string
	outside map[string]bool
	labels  map[string]string // row key → printed label (rows outside the template, legacy rows)
}

// tables groups a document's cells by table, in the template's order,
// then any other table (legacy). With empty, a template table the
// document has no cell in is drawn too (all its cells absent), so that a
// person can fill it in.
func tables(tpl *govreport.Template, cells []store.StoredCell, empty bool) []*docTable {
	byKey := map[string]*docTable{}
	var order []string
	for i := range cells {
		c := &cells[i]
		t := byKey[c.Table]
		if t == nil {
			t = &docTable{key: c.Table, byRow: map[string][]string{}, outside: map[string]bool{}, labels: map[string]string{}}
			byKey[c.Table] = t
			order = append(order, c.Table)
		}
		if _, ok := t.byRow[c.Row]; !ok {
			t.rows = append(t.rows, c.Row)
			t.labels[c.Row] = c.RowLabel
		}
		if !slices.Contains(t.byRow[c.Row], c.Col) {
			t.byRow[c.Row] = append(t.byRow[c.Row], c.Col)
		}
	}
	var out []*docTable
	if tpl != nil {
		for i := range tpl.Tables {
			tb := &tpl.Tables[i]
			t := byKey[tb.Key]
			if t == nil && empty {
				t = &docTable{key: tb.Key, byRow: map[string][]string{}, outside: map[string]bool{}, labels: map[string]string{}}
			}
			if t == nil {
				continue
			}
			t.tb = tb
			idx := map[string]int{}
			for j, r := range tb.Rows {
				idx[r.Key] = j
			}
			for _, r := range t.rows {
				if _, ok := idx[r]; !ok {
					t.outside[r] = true
				}
			}
			// template rows in template order, rows outside it after, as printed
			slices.SortStableFunc(t.rows, func(a, b string) int { return rank(idx, a) - rank(idx, b) })
			out = append(out, t)
			delete(byKey, tb.Key)
		}
	}
	for _, k := range order {
		if t := byKey[k]; t != nil {
			slices.SortStableFunc(t.rows, func(a, b string) int { return firstLine(cells, k, a) - firstLine(cells, k, b) })
			out = append(out, t)
		}
	}
	return out
}

func rank(idx map[string]int, row string) int {
	if i, ok := idx[row]; ok {
		return i
	}
	return 1 << 20
}

// firstLine is the line a row of a table was printed on (legacy tables
// are drawn in printed order).
func firstLine(cells []store.StoredCell, tbl, row string) int {
	n := 1 << 30
	for _, c := range cells {
		if c.Table == tbl && c.Row == row && c.Pos.Line > 0 {
			n = min(n, c.Pos.Line)
		}
	}
	return n
}

// drawnRows are the rows a template table is drawn with: every template
// row the document has cells in, and those it has none in (drawn empty,
// to be filled in), but for a row printed instead of others
// (alternatives) when any of them is there, and, when none is, for the
// one that stands for several (the 2021 layout's （六） as one row: its
// three rows are drawn); then the rows outside the template.
func (t *docTable) drawnRows() []string {
	var out []string
	printed := func(k string) bool { _, ok := t.byRow[k]; return ok }
	for _, r := range t.tb.Rows {
		if printed(r.Key) {
			out = append(out, r.Key)
			continue
		}
		if len(r.Alternatives) > 1 || slices.ContainsFunc(r.Alternatives, printed) {
			continue
		}
		out = append(out, r.Key)
	}
	for _, r := range t.rows {
		if t.outside[r] {
			out = append(out, r)
		}
	}
	return out
}

// rowTemplate is a template row by key, or nil.
func (t *docTable) rowTemplate(key string) *govreport.RowTemplate {
	if t.tb == nil {
		return nil
	}
	for i := range t.tb.Rows {
		if t.tb.Rows[i].Key == key {
			return &t.tb.Rows[i]
		}
	}
	return nil
}

// label is a row's label: the template's canonical one, or as printed.
func (t *docTable) label(key string) string {
	if r := t.rowTemplate(key); r != nil && len(r.Labels) > 0 {
		return r.Labels[0]
	}
	if l := t.labels[key]; l != "" {
		return l
	}
	return key
}

// columns are the table's columns drawn: every column but the optional
// ones the document does not print.
func (t *docTable) columns() []govreport.ColumnTemplate {
	printed := map[string]bool{}
	for _, cols := range t.byRow {
		for _, c := range cols {
			printed[c] = true
		}
	}
	var out []govreport.ColumnTemplate
	for _, c := range t.tb.Columns {
		if !c.Optional || printed[c.Key] {
			out = append(out, c)
		}
	}
	return out
}

// draw lays the table out as it prints.
func (t *docTable) draw(v *viewer) tableView {
	tv := tableView{Key: t.key}
	switch {
	case t.tb == nil:
		tv.Title, tv.Legacy = "statistics table ("+t.key+")", true
		t.drawPrinted(v, &tv)
	case t.tb.Print != nil && t.tb.Print.Across:
		tv.Title = t.tb.Title
		t.drawAcross(v, &tv)
	case t.tb.GroupHeaders:
		tv.Title = t.tb.Title
		t.drawGroups(v, &tv)
	default:
		tv.Title = t.tb.Title
		t.drawDown(v, &tv)
	}
	return tv
}

// rowColumns are the columns a row is drawn with: the template row's own,
// else the table's drawn ones; a row outside the template, those of its
// cells.
func (t *docTable) rowColumns(key string, all []govreport.ColumnTemplate) []string {
	if r := t.rowTemplate(key); r != nil && len(r.Columns) > 0 {
		return r.Columns
	}
	if t.outside[key] {
		return t.byRow[key]
	}
	var out []string
	for _, c := range all {
		out = append(out, c.Key)
	}
	return out
}

// groupPaths gives each template row its row groups, outermost first: a
// row's Group, inside the group whose rows enclose it in the template's
// order (（三）不予公开 within 三、本年度办理结果).
func (t *docTable) groupPaths() map[string][]string {
	first, last := map[string]int{}, map[string]int{}
	for i, r := range t.tb.Rows {
		if r.Group == "" {
			continue
		}
		if _, ok := first[r.Group]; !ok {
			first[r.Group] = i
		}
		last[r.Group] = i
	}
	parent := func(g string) string {
		best := ""
		for h := range first {
			if h != g && first[h] < first[g] && last[h] > last[g] && (best == "" || first[h] > first[best]) {
				best = h
			}
		}
		return best
	}
	out := map[string][]string{}
	for _, r := range t.tb.Rows {
		var path []string
		for g := r.Group; g != ""; g = parent(g) {
			path = append([]string{g}, path...)
		}
		out[r.Key] = path
	}
	return out
}

// drawDown draws rows down and columns across: caption and column groups
// over the columns, row groups in label columns on the left.
func (t *docTable) drawDown(v *viewer, tv *tableView) {
	cols := t.columns()
	rows := t.drawnRows()
	paths := t.groupPaths()
	depth := 1
	for _, r := range rows {
		depth = max(depth, len(paths[r])+1)
	}
	var p govreport.TablePrint
	if t.tb.Print != nil {
		p = *t.tb.Print
	}
	groupOf := map[string]*govreport.PrintGroup{}
	for i := range p.ColumnGroups {
		for _, k := range p.ColumnGroups[i].Keys {
			groupOf[k] = &p.ColumnGroups[i]
		}
	}
	grouped := false
	for _, c := range cols {
		grouped = grouped || groupOf[c.Key] != nil
	}
	headRows := 1
	if grouped {
		headRows++
	}
	if p.Caption != "" {
		headRows++
	}
	tv.Head = make([][]gridCell, headRows)
	tv.Head[0] = append(tv.Head[0], gridCell{ColSpan: depth, RowSpan: headRows, Class: "corner"})
	at := 0
	if p.Caption != "" {
		tv.Head[0] = append(tv.Head[0], gridCell{Text: p.Caption, ColSpan: len(cols)})
		at = 1
	}
	for i := 0; i < len(cols); i++ {
		c := cols[i]
		g := groupOf[c.Key]
		if !grouped {
			tv.Head[at] = append(tv.Head[at], gridCell{Text: c.Labels[0]})
			continue
		}
		if g == nil {
			tv.Head[at] = append(tv.Head[at], gridCell{Text: c.Labels[0], RowSpan: 2})
			continue
		}
		n := 0
		for j := i; j < len(cols) && groupOf[cols[j].Key] == g; j++ {
			tv.Head[at+1] = append(tv.Head[at+1], gridCell{Text: cols[j].Labels[0]})
			n++
		}
		tv.Head[at] = append(tv.Head[at], gridCell{Text: g.Label, ColSpan: n})
		i += n - 1
	}
	for i, r := range rows {
		var line []gridCell
		path := paths[r]
		for lvl, g := range path {
			if i > 0 && samePrefix(paths[rows[i-1]], path, lvl+1) {
				continue // spanned from above
			}
			n := 1
			for j := i + 1; j < len(rows) && samePrefix(paths[rows[j]], path, lvl+1); j++ {
				n++
			}
			line = append(line, gridCell{Text: g, RowSpan: n, Class: "group"})
		}
		class := "label"
		if t.outside[r] {
			class = "label outside"
		}
		line = append(line, gridCell{Text: t.label(r), ColSpan: depth - len(path), Class: class})
		own := t.rowColumns(r, cols)
		for _, c := range cols {
			if slices.Contains(own, c.Key) {
				line = append(line, gridCell{Value: v.value(t.key, r, c.Key)})
			} else {
				line = append(line, gridCell{Class: "none"})
			}
		}
		tv.Body = append(tv.Body, line)
	}
}

// samePrefix reports whether two group paths share their first n groups.
func samePrefix(a, b []string, n int) bool {
	return len(a) >= n && len(b) >= n && slices.Equal(a[:n], b[:n])
}

// drawGroups draws a table whose row groups each print their own header
// of columns (table 二): the group's label across, its columns' labels,
// then its rows.
func (t *docTable) drawGroups(v *viewer, tv *tableView) {
	cols := t.columns()
	rows := t.drawnRows()
	width := 1
	groupCols := func(g string) []string {
		var keys []string
		for _, r := range rows {
			if t.group(r) != g {
				continue
			}
			for _, c := range t.rowColumns(r, cols) {
				if !slices.Contains(keys, c) {
					keys = append(keys, c)
				}
			}
		}
		// in the table's column order
		var out []string
		for _, c := range t.tb.Columns {
			if slices.Contains(keys, c.Key) {
				out = append(out, c.Key)
			}
		}
		for _, k := range keys {
			if !slices.Contains(out, k) {
				out = append(out, k)
			}
		}
		return out
	}
	for _, r := range rows {
		width = max(width, len(groupCols(t.group(r)))+1)
	}
	colLabel := func(k string) string {
		for _, c := range t.tb.Columns {
			if c.Key == k {
				return c.Labels[0]
			}
		}
		return k
	}
	for i := 0; i < len(rows); {
		g := t.group(rows[i])
		gc := groupCols(g)
		if g != "" {
			tv.Body = append(tv.Body, []gridCell{{Text: g, ColSpan: width, Class: "group"}})
		}
		head := []gridCell{{Text: "", Class: "corner"}}
		for j, c := range gc {
			cell := gridCell{Text: colLabel(c), Class: "colhead"}
			if j == len(gc)-1 {
				cell.ColSpan = width - len(gc)
			}
			head = append(head, cell)
		}
		tv.Body = append(tv.Body, head)
		for ; i < len(rows) && t.group(rows[i]) == g; i++ {
			r := rows[i]
			class := "label"
			if t.outside[r] {
				class = "label outside"
			}
			line := []gridCell{{Text: t.label(r), Class: class}}
			own := t.rowColumns(r, cols)
			for j, c := range gc {
				cell := gridCell{Class: "none"}
				if slices.Contains(own, c) {
					cell = gridCell{Value: v.value(t.key, r, c)}
				}
				if j == len(gc)-1 {
					cell.ColSpan = width - len(gc)
				}
				line = append(line, cell)
			}
			tv.Body = append(tv.Body, line)
		}
	}
}

// group is a row's group (rows outside the template: none).
func (t *docTable) group(row string) string {
	if r := t.rowTemplate(row); r != nil {
		return r.Group
	}
	return ""
}

// drawAcross draws a table whose rows stand side by side (table 四): each
// row's label over its columns, row groups over their rows, then one line
// of values.
func (t *docTable) drawAcross(v *viewer, tv *tableView) {
	cols := t.columns()
	rows := t.drawnRows()
	groupOf := map[string]*govreport.PrintGroup{}
	for i := range t.tb.Print.RowGroups {
		for _, k := range t.tb.Print.RowGroups[i].Keys {
			groupOf[k] = &t.tb.Print.RowGroups[i]
		}
	}
	grouped := false
	for _, r := range rows {
		grouped = grouped || groupOf[r] != nil
	}
	n := 2
	if grouped {
		n = 3
	}
	tv.Head = make([][]gridCell, n)
	var body []gridCell
	for i := 0; i < len(rows); i++ {
		r := rows[i]
		g := groupOf[r]
		if grouped && g == nil {
			tv.Head[0] = append(tv.Head[0], gridCell{Text: t.label(r), ColSpan: len(t.rowColumns(r, cols)), RowSpan: 2})
		} else if grouped {
			span := 0
			for j := i; j < len(rows) && groupOf[rows[j]] == g; j++ {
				span += len(t.rowColumns(rows[j], cols))
				tv.Head[1] = append(tv.Head[1], gridCell{Text: t.label(rows[j]), ColSpan: len(t.rowColumns(rows[j], cols))})
			}
			tv.Head[0] = append(tv.Head[0], gridCell{Text: g.Label, ColSpan: span})
		} else {
			tv.Head[0] = append(tv.Head[0], gridCell{Text: t.label(r), ColSpan: len(t.rowColumns(r, cols))})
		}
		k := i
		if grouped && g != nil {
			for k+1 < len(rows) && groupOf[rows[k+1]] == g {
				k++
			}
		}
		for _, rr := range rows[i : k+1] {
			for _, c := range t.rowColumns(rr, cols) {
				label := c
				for _, ct := range cols {
					if ct.Key == c {
						label = ct.Labels[0]
					}
				}
				tv.Head[n-1] = append(tv.Head[n-1], gridCell{Text: label})
				body = append(body, gridCell{Value: v.value(t.key, rr, c)})
			}
		}
		i = k
	}
	tv.Body = [][]gridCell{body}
}

// drawPrinted draws a table without a template (legacy): its rows in
// printed order, its columns as printed, the unit beside the label.
func (t *docTable) drawPrinted(v *viewer, tv *tableView) {
	var cols []string
	for _, r := range t.rows {
		for _, c := range t.byRow[r] {
			if !slices.Contains(cols, c) {
				cols = append(cols, c)
			}
		}
	}
	head := []gridCell{{Text: "", Class: "corner"}}
	for _, c := range cols {
		head = append(head, gridCell{Text: c})
	}
	tv.Head = [][]gridCell{head}
	for _, r := range t.rows {
		line := []gridCell{{Text: t.label(r), Class: "label"}}
		for _, c := range cols {
			if slices.Contains(t.byRow[r], c) {
				line = append(line, gridCell{Value: v.value(t.key, r, c)})
			} else {
				line = append(line, gridCell{Class: "none"})
			}
		}
		tv.Body = append(tv.Body, line)
	}
}

// templateCell is the cell of a template table the reader stored no value
// in, as the page shows it when selected: the template's labels, no
// value.
func templateCell(tpl *govreport.Template, tbl, row, col string) *store.StoredCell {
	c := &store.StoredCell{Cell: govreport.Cell{Table: tbl, Row: row, Col: col, RowLabel: row, ColLabel: col, Flags: []string{}}}
	if tpl == nil {
		return c
	}
	for _, tb := range tpl.Tables {
		if tb.Key != tbl {
			continue
		}
		for _, r := range tb.Rows {
			if r.Key == row && len(r.Labels) > 0 {
				c.RowLabel = r.Labels[0]
			}
		}
		for _, k := range tb.Columns {
			if k.Key == col && len(k.Labels) > 0 {
				c.ColLabel, c.Unit = k.Labels[0], k.Unit
			}
		}
	}
	return c
}
