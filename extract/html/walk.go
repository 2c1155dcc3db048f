package html

import (
	"fmt"
	"strconv"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"govreport"
)

// maxGridCells bounds the cells a page's tables may expand to (colspan and
// rowspan can ask for millions).
const maxGridCells = 50000

// walker turns the body into lines. Every line goes to all (the metadata
// reader looks at the whole page); lines inside the main content also go to
// lines.
type walker struct {
	content  *nethtml.Node
	in       bool // inside the main content
	buf      textBuf
	cell     textBuf // a table cell's text, reused
	lines    []govreport.Line
	all      []govreport.Line
	tables   int  // data tables numbered so far in the content
	budget   int  // grid cells left
	cut      bool // spans were cut for the budget
	warnings []string
}

// emit records a line.
func (w *walker) emit(l govreport.Line) {
	w.all = append(w.all, l)
	if w.in {
		w.lines = append(w.lines, l)
	}
}

// flush ends the current paragraph.
func (w *walker) flush() {
	s := strings.TrimSpace(w.buf.Take())
	if s != "" {
		w.emit(govreport.Line{Cells: []govreport.TextCell{{Text: s}}})
	}
}

func (w *walker) children(n *nethtml.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

// walk reads n and its subtree in document order.
func (w *walker) walk(n *nethtml.Node) {
	switch n.Type {
	case nethtml.TextNode:
		w.buf.Add(n.Data)
		return
	case nethtml.DocumentNode:
		w.children(n)
		return
	case nethtml.ElementNode:
	default:
		return
	}
	if ignored(n) {
		return
	}
	entering := n == w.content
	if entering {
		w.flush()
		w.in = true
		defer func() { w.flush(); w.in = false }()
	} else if w.in && chrome(n) {
		return
	}
	switch {
	case n.DataAtom == atom.Br || n.DataAtom == atom.Hr:
		w.flush()
	case n.DataAtom == atom.Table:
		w.flush()
		w.table(n)
		w.flush()
	case block(n):
		w.flush()
		w.children(n)
		w.flush()
	default:
		w.children(n)
	}
}

// block reports elements that start a new line.
func block(n *nethtml.Node) bool {
	switch n.DataAtom {
	case atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Dd, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Dt, atom.Fieldset, atom.Figcaption, atom.Figure,
		atom.Footer, atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header,
		atom.Hgroup, atom.Hr, atom.Li, atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre,
		atom.Section, atom.Summary, atom.Ul, atom.Tr, atom.Td, atom.Th, atom.Caption, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Legend, atom.Body, atom.Html, atom.Table:
		return true
	}
	return false
}

// layoutTable reports a table used for page layout rather than data: one
// that contains another table, or a single cell.
func layoutTable(t *nethtml.Node) bool {
	if hasTable(t) {
		return true
	}
	rows := tableRows(t)
	return len(rows) <= 1 && (len(rows) == 0 || len(rowCells(rows[0])) <= 1)
}

// hasTable reports whether a descendant of n is a table element.
func hasTable(n *nethtml.Node) bool {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == nethtml.ElementNode && c.DataAtom == atom.Table || hasTable(c) {
			return true
		}
	}
	return false
}

// tableRows returns the table's own rows (not those of nested tables).
func tableRows(t *nethtml.Node) []*nethtml.Node {
	var rows []*nethtml.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

// rowCells returns the row's td and th elements.
func rowCells(tr *nethtml.Node) []*nethtml.Node {
	var cells []*nethtml.Node
	for c := tr.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
			cells = append(cells, c)
		}
	}
	return cells
}

// table reads a table: a layout table as blocks of text, a data table as a
// grid, one line per row.
func (w *walker) table(t *nethtml.Node) {
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.DataAtom == atom.Caption {
			w.walk(c)
		}
	}
	rows := tableRows(t)
	if layoutTable(t) {
		for _, r := range rows {
			for _, c := range rowCells(r) {
				w.walk(c)
			}
		}
		return
	}
	lines := w.grid(rows)
	if w.in && metaTable(lines) {
		// Page metadata (索引号, 发布机构 …) pasted into the content: for
		// Meta, not for the report's lines.
		w.in = false
		defer func() { w.in = true }()
	}
	id := 0
	if w.in {
		w.tables++
		id = w.tables
	}
	for _, l := range lines {
		if len(l.Cells) == 0 {
			continue
		}
		l.Table = id
		w.emit(l)
	}
}

// span reads a rowspan or colspan attribute: 1 if absent or invalid, 0 kept
// (rowspan=0 runs to the end of the table).
func span(n *nethtml.Node, key string, max int) int {
	v := strings.TrimSpace(attr(n, key))
	if v == "" {
		return 1
	}
	// Browsers read the leading digits ("2px" is 2).
	end := 0
	for end < len(v) && v[end] >= '0' && v[end] <= '9' {
		end++
	}
	k, err := strconv.Atoi(v[:end])
	if err != nil || k < 0 {
		return 1
	}
	if k > max {
		k = max
	}
	return k
}

// gridCell is one position of an expanded table.
type gridCell struct {
	text    string
	spanned bool
	set     bool
}

// grid expands the rows' cells into a grid: a cell spanning several
// positions gives its text to the first and a Spanned copy to the others.
func (w *walker) grid(rows []*nethtml.Node) []govreport.Line {
	g := make([][]gridCell, len(rows))
	put := func(r, c int, text string, spanned bool) {
		for len(g[r]) <= c {
			g[r] = append(g[r], gridCell{})
		}
		g[r][c] = gridCell{text: text, spanned: spanned, set: true}
	}
	taken := func(r, c int) bool { return c < len(g[r]) && g[r][c].set }
	for ri, tr := range rows {
		col := 0
		cells := rowCells(tr)
		if g[ri] == nil {
			g[ri] = make([]gridCell, 0, len(cells))
		}
		for _, td := range cells {
			for taken(ri, col) {
				col++
			}
			rs := span(td, "rowspan", 65534)
			if rs == 0 || ri+rs > len(rows) {
				rs = len(rows) - ri
			}
			cs := span(td, "colspan", 1000)
			if cs == 0 {
				cs = 1
			}
			if rs*cs > w.budget {
				if !w.cut {
					w.warnings = append(w.warnings, fmt.Sprintf("tables span more than %d cells: spans cut to one cell from row %d on", maxGridCells, ri+1))
					w.cut = true
				}
				rs, cs = 1, 1
			}
			w.budget -= rs * cs
			text := w.cellText(td)
			for dr := 0; dr < rs; dr++ {
				for dc := 0; dc < cs; dc++ {
					put(ri+dr, col+dc, text, dr > 0 || dc > 0)
				}
			}
			col += cs
		}
	}
	lines := make([]govreport.Line, len(rows))
	for ri, row := range g {
		l := govreport.Line{Row: ri + 1}
		if len(row) > 0 {
			l.Cells = make([]govreport.TextCell, len(row))
		}
		for ci, c := range row {
			l.Cells[ci] = govreport.TextCell{
				Text:    c.text,
				Spanned: c.spanned,
				Pos:     govreport.Pos{Row: ri + 1, Col: ci + 1},
			}
		}
		lines[ri] = l
	}
	return lines
}

// cellText is the text of a table cell: its pieces joined, breaks (<br>,
// <p>, nested blocks and tables) as soft separators.
func (w *walker) cellText(td *nethtml.Node) string {
	for c := td.FirstChild; c != nil; c = c.NextSibling {
		w.cellWalk(c)
	}
	return strings.TrimSpace(w.cell.Take())
}

// cellWalk reads n's subtree into w.cell.
func (w *walker) cellWalk(n *nethtml.Node) {
	switch n.Type {
	case nethtml.TextNode:
		w.cell.Add(n.Data)
		return
	case nethtml.ElementNode:
		if ignored(n) || hidden(n) {
			return
		}
	default:
		return
	}
	b := block(n) || n.DataAtom == atom.Br
	if b {
		w.cell.Break()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.cellWalk(c)
	}
	if b {
		w.cell.Break()
	}
}
