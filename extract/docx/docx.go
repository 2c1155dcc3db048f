// Package docx reads an annual report published as a Word document
// (.docx, Office Open XML) natively, with archive/zip and encoding/xml: the
// paragraphs in order, their automatic numbering (一、 （二）) rendered into
// the text, and the tables as explicit grids, into the same lines of cells
// extract/html produces, so the normalizer reads both alike.
//
// Choices the normalizer can rely on (those of extract/html unless said):
//   - Text is cleaned as extract/html cleans it: NFKC, whitespace runs
//     collapsed to one space, vanishing between two CJK characters.
//   - A paragraph is one line; a line break (w:br) inside it starts a new
//     line. Inside a table cell, paragraphs and breaks are soft separators.
//   - Revisions: inserted text (w:ins, w:moveTo) is kept, deleted text
//     (w:del, w:moveFrom) dropped. Fields read as their result, hyperlinks as
//     their text; hidden text (w:vanish), footnote and comment marks and the
//     footnotes themselves are left out. Text boxes are read as paragraphs of
//     their own, before the paragraph that anchors them.
//   - A table is a data table unless it contains another table or is a
//     single cell: such layout tables are read as paragraphs, the tables
//     nested in them becoming data tables of their own. Data tables are
//     numbered 1, 2, … in document order (Line.Table).
//   - A table row is one Line whose cells are the row's grid positions: a
//     cell merged across columns (w:gridSpan) or rows (w:vMerge) gives its
//     text to its first position and a copy marked Spanned to the others;
//     columns a row skips (w:gridBefore) are empty cells. A header row
//     (w:tblHeader) is read once, where it stands.
//   - Positions: Pos.Para is the paragraph's number in the document (for a
//     cell, its first paragraph's), Pos.Table/Row/Col a cell's place in its
//     data table, Pos.Line the line's index.
//   - Meta: "doc_title", "created" and "modified" from docProps/core.xml;
//     the normalizer prefers what the text states.
package docx

import (
	"archive/zip"
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"govreport"
	"govreport/extract/internal/ooxml"
)

// Limits on what one document may expand to.
const (
	maxGridCells = 50000 // table grid positions, all tables together
	maxDepth     = 256   // element nesting
)

// Extract reads a .docx file's bytes. A file that is not a Word package,
// is larger than ooxml's limits, or whose XML is malformed gives an error
// saying so.
func Extract(data []byte) (*govreport.Extracted, error) {
	zr, err := ooxml.Open(data)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	main := ooxml.Rels(zr, "")[ooxml.RelOfficeDocument]
	if main == "" {
		main = "word/document.xml"
	}
	doc := ooxml.Find(zr, main)
	if doc == nil {
		return nil, fmt.Errorf("docx: no %s in the package: not a Word document", main)
	}
	rels := ooxml.Rels(zr, doc.Name)
	r := &reader{budget: maxGridCells}
	r.styles = parseStyles(readOptional(zr, rels[ooxml.RelStyles], "word/styles.xml"))
	r.num = parseNumbering(readOptional(zr, rels[ooxml.RelNumbering], "word/numbering.xml"))

	rc, err := ooxml.Part(doc, ooxml.MaxPartSize)
	if err != nil {
		return nil, fmt.Errorf("docx: %w", err)
	}
	defer rc.Close()
	blocks, err := r.document(rc)
	if err != nil {
		return nil, fmt.Errorf("docx: %s: %w", doc.Name, err)
	}
	x := r.extracted("docx", blocks)
	ooxml.Core(zr, x.Meta)
	return x, nil
}

// extracted turns the blocks read into the document's lines.
func (r *reader) extracted(format string, blocks []block) *govreport.Extracted {
	x := &govreport.Extracted{Format: format, Meta: map[string]string{}}
	r.emit(blocks)
	x.Lines = r.lines
	for i := range x.Lines {
		for j := range x.Lines[i].Cells {
			x.Lines[i].Cells[j].Pos.Line = i + 1
		}
	}
	x.Warnings = r.warnings
	if len(x.Lines) == 0 {
		x.Warnings = append(x.Warnings, "no text in the document")
	}
	return x
}

// readOptional reads a part named by a relationship (or, without one, the
// conventional name); nil if it is absent or unreadable.
func readOptional(zr *zip.Reader, name, def string) []byte {
	if name == "" {
		name = def
	}
	f := ooxml.Find(zr, name)
	if f == nil {
		return nil
	}
	b, err := ooxml.ReadPart(f, ooxml.MaxPartSize)
	if err != nil {
		return nil
	}
	return b
}

// The document's content as read, before it becomes lines.
type (
	block struct {
		para  *paragraph
		table *table
	}
	paragraph struct {
		n     int      // 1-based number among the document's paragraphs
		segs  []string // raw text, split at line breaks; the list label leads
		boxes []block  // text boxes anchored here
	}
	table struct {
		rows []row
	}
	row struct {
		before int // grid columns skipped before the first cell
		cells  []cell
	}
	cell struct {
		span     int    // grid columns covered
		vMerge   string // "restart", "continue" or ""
		hMerge   string // legacy horizontal merge: "restart", "continue" or ""
		content  []block
		hasTable bool
	}
)

// Namespaces of WordprocessingML (transitional and strict) and of markup
// compatibility.
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsMath    = "http://schemas.openxmlformats.org/officeDocument/2006/math"
	// Word 2003 XML (WordprocessingML 2003, one XML file: see wordml.go),
	// its auxiliary hints (wx:t, a list label as rendered), its
	// annotations (comments, revisions) and Office's document properties.
	nsW2003 = "http://schemas.microsoft.com/office/word/2003/wordml"
	nsAML   = "http://schemas.microsoft.com/aml/2001/core"
	nsO     = "urn:schemas-microsoft-com:office:office"
)

func isW(n xml.Name) bool { return n.Space == nsW || n.Space == nsWStrict || n.Space == nsW2003 }

// isComment reports a Word 2003 comment (aml:annotation of type
// Word.Comment), whose paragraphs are not the document's text.
func isComment(t xml.StartElement) bool {
	if t.Name.Space != nsAML || t.Name.Local != "annotation" {
		return false
	}
	for _, a := range t.Attr {
		if a.Name.Local == "type" && a.Value == "Word.Comment" {
			return true
		}
	}
	return false
}

// skipped are WordprocessingML elements whose content is not the
// document's visible text.
var skipped = map[string]bool{
	"pPr": true, "rPr": true, "sectPr": true, "tblPr": true, "tblPrEx": true, "tblGrid": true,
	"del": true, "moveFrom": true, "delText": true, "instrText": true, "delInstrText": true,
	"footnoteReference": true, "endnoteReference": true, "commentReference": true,
	"annotationRef": true, "footnoteRef": true, "endnoteRef": true, "separator": true,
	"continuationSeparator": true, "rt": true, "fldData": true, "sdtPr": true, "sdtEndPr": true,
	"sym": true, "object": true, "customXmlPr": true, "smartTagPr": true,
	"binData": true, // Word 2003: a picture's bytes, base64
}

type reader struct {
	d        *xml.Decoder
	styles   map[string]style
	num      *numbering
	depth    int
	paras    int
	tables   int
	budget   int
	cut      bool
	lines    []govreport.Line
	warnings []string
	props    map[string]string // Word 2003: o:DocumentProperties, as Meta keys
}

var errDepth = errors.New("elements nested too deep")

// document reads word/document.xml into blocks.
func (r *reader) document(rd io.Reader) ([]block, error) {
	r.d = xml.NewDecoder(rd)
	for {
		tok, err := r.d.Token()
		if err == io.EOF {
			return nil, errors.New("no w:body")
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		switch {
		case ok && isW(se.Name) && se.Name.Local == "body":
			return r.blocks(nil)
		case ok && se.Name.Space == nsO && se.Name.Local == "DocumentProperties":
			var p struct {
				Title     string `xml:"Title"`
				Created   string `xml:"Created"`
				LastSaved string `xml:"LastSaved"`
			}
			if err := r.d.DecodeElement(&p, &se); err != nil {
				return nil, err
			}
			r.props = map[string]string{}
			for k, v := range map[string]string{"doc_title": p.Title, "created": p.Created, "modified": p.LastSaved} {
				if v = strings.TrimSpace(v); v != "" {
					r.props[k] = v
				}
			}
		}
	}
}

// enter guards the recursion depth.
func (r *reader) enter() error {
	r.depth++
	if r.depth > maxDepth {
		return errDepth
	}
	return nil
}

// blocks reads block content (paragraphs, tables, and the containers that
// wrap them) until the end of the current element. In a table cell, c
// receives the cell's properties.
func (r *reader) blocks(c *cell) (out []block, err error) {
	if err := r.enter(); err != nil {
		return nil, err
	}
	defer func() { r.depth-- }()
	for {
		tok, err := r.d.Token()
		if err != nil {
			return nil, unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return out, nil
		case xml.StartElement:
			switch {
			case isW(t.Name) && t.Name.Local == "p":
				p, err := r.paragraph()
				if err != nil {
					return nil, err
				}
				out = append(out, block{para: p})
			case isW(t.Name) && t.Name.Local == "tbl":
				tb, err := r.table()
				if err != nil {
					return nil, err
				}
				out = append(out, block{table: tb})
				if c != nil {
					c.hasTable = true
				}
			case isW(t.Name) && t.Name.Local == "tcPr" && c != nil:
				var p struct {
					GridSpan *val `xml:"gridSpan"`
					VMerge   *val `xml:"vMerge"`
					HMerge   *val `xml:"hMerge"`
					VMerge03 *val `xml:"vmerge"` // Word 2003's spelling
					HMerge03 *val `xml:"hmerge"`
				}
				if err := r.d.DecodeElement(&p, &t); err != nil {
					return nil, err
				}
				if p.GridSpan != nil {
					c.span = atoi(p.GridSpan.Val, 1)
				}
				c.vMerge = merge(cmp.Or(p.VMerge, p.VMerge03))
				c.hMerge = merge(cmp.Or(p.HMerge, p.HMerge03))
			case isW(t.Name) && skipped[t.Name.Local], t.Name.Space == nsMC && t.Name.Local == "Fallback", t.Name.Space == nsMath, isComment(t):
				if err := r.d.Skip(); err != nil {
					return nil, err
				}
			default: // sdt, sdtContent, customXml, ins, AlternateContent…
				sub, err := r.blocks(c)
				if err != nil {
					return nil, err
				}
				out = append(out, sub...)
			}
		}
	}
}

// merge reads a vMerge or hMerge element: present without a value means
// continue.
func merge(v *val) string {
	switch {
	case v == nil:
		return ""
	case v.Val == "restart":
		return "restart"
	}
	return "continue"
}

func unexpected(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// paraState is a paragraph being read.
type paraState struct {
	p      *paragraph
	cur    strings.Builder
	style  string
	numPr  *numPr
	label  string // Word 2003: the list label as rendered (wx:t)
	hidden bool   // inside a run whose properties hide it
}

// paragraph reads a w:p.
func (r *reader) paragraph() (*paragraph, error) {
	r.paras++
	ps := &paraState{p: &paragraph{n: r.paras}}
	if err := r.inline(ps); err != nil {
		return nil, err
	}
	ps.p.segs = append(ps.p.segs, ps.cur.String())
	if id, lvl := listOf(ps.numPr, ps.style, r.styles); id != "" {
		ps.p.segs[0] = r.num.label(id, lvl) + ps.p.segs[0]
	} else if ps.label != "" {
		ps.p.segs[0] = ps.label + ps.p.segs[0]
	}
	return ps.p, nil
}

// inline reads paragraph content until the end of the current element.
func (r *reader) inline(ps *paraState) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	for {
		tok, err := r.d.Token()
		if err != nil {
			return unexpected(err)
		}
		t, ok := tok.(xml.StartElement)
		if !ok {
			if _, end := tok.(xml.EndElement); end {
				return nil
			}
			continue
		}
		if err := r.inlineElement(ps, t); err != nil {
			return err
		}
	}
}

func (r *reader) inlineElement(ps *paraState, t xml.StartElement) error {
	if !isW(t.Name) {
		if t.Name.Space == nsMC && t.Name.Local == "Fallback" || t.Name.Space == nsMath || isComment(t) {
			return r.d.Skip()
		}
		return r.inline(ps) // AlternateContent, drawings: a text box lies inside
	}
	switch t.Name.Local {
	case "t":
		s, err := r.chars()
		if err == nil && !ps.hidden {
			ps.cur.WriteString(s)
		}
		return err
	case "tab", "ptab":
		if !ps.hidden {
			ps.cur.WriteByte('\t')
		}
	case "br", "cr":
		if !ps.hidden {
			ps.p.segs = append(ps.p.segs, ps.cur.String())
			ps.cur.Reset()
		}
	case "noBreakHyphen":
		if !ps.hidden {
			ps.cur.WriteByte('-')
		}
	case "pPr":
		var p struct {
			Style  *val   `xml:"pStyle"`
			NumPr  *numPr `xml:"numPr"`
			ListPr *struct {
				Label *val `xml:"t"` // wx:t wx:val="一、"
			} `xml:"listPr"`
		}
		if err := r.d.DecodeElement(&p, &t); err != nil {
			return err
		}
		if p.Style != nil {
			ps.style = p.Style.Val
		}
		ps.numPr = p.NumPr
		if p.ListPr != nil && p.ListPr.Label != nil {
			ps.label = p.ListPr.Label.Val
		}
		return nil
	case "r":
		was := ps.hidden
		err := r.inline(ps)
		ps.hidden = was
		return err
	case "rPr":
		var p struct {
			Vanish *val `xml:"vanish"`
		}
		if err := r.d.DecodeElement(&p, &t); err != nil {
			return err
		}
		if p.Vanish != nil && p.Vanish.Val != "0" && p.Vanish.Val != "false" && p.Vanish.Val != "off" {
			ps.hidden = true
		}
		return nil
	case "txbxContent":
		box, err := r.blocks(nil)
		if err == nil {
			ps.p.boxes = append(ps.p.boxes, box...)
		}
		return err
	default:
		if skipped[t.Name.Local] {
			return r.d.Skip()
		}
		return r.inline(ps) // hyperlink, ins, moveTo, fldSimple, smartTag, sdt, sdtContent …
	}
	return r.d.Skip()
}

// chars reads the character data of the current element.
func (r *reader) chars() (string, error) {
	var b strings.Builder
	for {
		tok, err := r.d.Token()
		if err != nil {
			return "", unexpected(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.StartElement:
			if err := r.d.Skip(); err != nil {
				return "", err
			}
		case xml.EndElement:
			return b.String(), nil
		}
	}
}

// table reads a w:tbl.
func (r *reader) table() (*table, error) {
	tb := &table{}
	err := r.rows(tb)
	return tb, err
}

// rows reads table content until the end of the current element.
func (r *reader) rows(tb *table) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	for {
		tok, err := r.d.Token()
		if err != nil {
			return unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			switch {
			case isW(t.Name) && t.Name.Local == "tr":
				rw, err := r.row()
				if err != nil {
					return err
				}
				tb.rows = append(tb.rows, rw)
			case isW(t.Name) && skipped[t.Name.Local], !isW(t.Name):
				if err := r.d.Skip(); err != nil {
					return err
				}
			default: // sdt, sdtContent, customXml wrapping rows
				if err := r.rows(tb); err != nil {
					return err
				}
			}
		}
	}
}

// row reads a w:tr.
func (r *reader) row() (row, error) {
	var rw row
	err := r.cells(&rw)
	return rw, err
}

func (r *reader) cells(rw *row) error {
	if err := r.enter(); err != nil {
		return err
	}
	defer func() { r.depth-- }()
	for {
		tok, err := r.d.Token()
		if err != nil {
			return unexpected(err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			switch {
			case isW(t.Name) && t.Name.Local == "tc":
				c := cell{span: 1}
				content, err := r.blocks(&c)
				if err != nil {
					return err
				}
				c.content = content
				rw.cells = append(rw.cells, c)
			case isW(t.Name) && t.Name.Local == "trPr":
				var p struct {
					GridBefore *val `xml:"gridBefore"`
				}
				if err := r.d.DecodeElement(&p, &t); err != nil {
					return err
				}
				if p.GridBefore != nil {
					rw.before = atoi(p.GridBefore.Val, 0)
				}
			case isW(t.Name) && skipped[t.Name.Local], !isW(t.Name):
				if err := r.d.Skip(); err != nil {
					return err
				}
			default: // sdt, sdtContent, customXml wrapping cells
				if err := r.cells(rw); err != nil {
					return err
				}
			}
		}
	}
}

// emit turns blocks into lines.
func (r *reader) emit(bs []block) {
	for _, b := range bs {
		switch {
		case b.para != nil:
			r.emit(b.para.boxes)
			for _, s := range b.para.segs {
				if t := ooxml.Clean(s); t != "" {
					r.lines = append(r.lines, govreport.Line{Cells: []govreport.TextCell{{Text: t, Pos: govreport.Pos{Para: b.para.n}}}})
				}
			}
		case b.table != nil && layoutTable(b.table):
			for _, rw := range b.table.rows {
				for _, c := range rw.cells {
					if c.vMerge != "continue" && c.hMerge != "continue" {
						r.emit(c.content)
					}
				}
			}
		case b.table != nil:
			r.grid(b.table)
		}
	}
}

// layoutTable reports a table used for layout rather than data: one that
// contains another table, or a single cell.
func layoutTable(t *table) bool {
	n := 0
	for _, rw := range t.rows {
		for _, c := range rw.cells {
			if c.hasTable {
				return true
			}
			n++
		}
	}
	return n <= 1
}

// gridCell is one position of an expanded table.
type gridCell struct {
	text    string
	para    int
	spanned bool
}

// grid expands a data table into rows of grid positions and emits them.
func (r *reader) grid(t *table) {
	r.tables++
	id := r.tables
	g := make([][]gridCell, len(t.rows))
	for ri, rw := range t.rows {
		for k := 0; k < rw.before && r.take(1, ri); k++ {
			g[ri] = append(g[ri], gridCell{})
		}
		for _, c := range rw.cells {
			col := len(g[ri])
			span := c.span
			if span < 1 {
				span = 1
			}
			if !r.take(span, ri) {
				span = 1
			}
			var origin *gridCell
			switch {
			case c.vMerge == "continue" && ri > 0 && col < len(g[ri-1]):
				origin = &g[ri-1][col]
			case c.hMerge == "continue" && col > 0:
				origin = &g[ri][col-1]
			}
			if origin != nil {
				o := *origin
				for k := 0; k < span; k++ {
					g[ri] = append(g[ri], gridCell{text: o.text, para: o.para, spanned: true})
				}
				continue
			}
			text, para := cellText(c.content)
			g[ri] = append(g[ri], gridCell{text: text, para: para})
			for k := 1; k < span; k++ {
				g[ri] = append(g[ri], gridCell{text: text, para: para, spanned: true})
			}
		}
	}
	for ri, cells := range g {
		if len(cells) == 0 {
			continue
		}
		l := govreport.Line{Table: id, Row: ri + 1, Cells: make([]govreport.TextCell, len(cells))}
		for ci, c := range cells {
			l.Cells[ci] = govreport.TextCell{Text: c.text, Spanned: c.spanned,
				Pos: govreport.Pos{Para: c.para, Table: id, Row: ri + 1, Col: ci + 1}}
		}
		r.lines = append(r.lines, l)
	}
}

// take spends n grid positions of the budget; past it, spans are cut to
// one position (and the document warned) and false is returned.
func (r *reader) take(n, ri int) bool {
	if n <= r.budget {
		r.budget -= n
		return true
	}
	if !r.cut {
		r.warnings = append(r.warnings, fmt.Sprintf("tables span more than %d cells: spans cut to one cell from row %d on", maxGridCells, ri+1))
		r.cut = true
	}
	r.budget--
	return false
}

// cellText is a cell's text, its paragraphs and breaks soft separators,
// and its first paragraph's number.
func cellText(bs []block) (string, int) {
	var b bytes.Buffer
	para := 0
	var walk func([]block)
	walk = func(bs []block) {
		for _, x := range bs {
			if x.para != nil {
				if para == 0 {
					para = x.para.n
				}
				walk(x.para.boxes)
				for _, s := range x.para.segs {
					b.WriteString(s)
					b.WriteByte('\n')
				}
			}
		}
	}
	walk(bs)
	return ooxml.Clean(b.String()), para
}
