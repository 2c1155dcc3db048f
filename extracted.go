package govreport

// Extracted is what every extractor (text, HTML, PDF) hands the normalizer:
// the document's text as lines of cells in reading order. Paragraph text is a
// line with one cell; a table row is a line with one cell per printed cell.
// The normalizer never looks at the source format beyond this.
type Extracted struct {
	Format      string            // txt, html, pdf
	Lines       []Line            // in reading order
	Meta        map[string]string // title, 索引号, 发布机构, 发文日期, 文号, ArticleTitle, PubDate, ColumnName
	Attachments []string          // absolute URLs of linked report files (pdf, doc, docx, wps)
	Pages       int               // PDF page count
	NoTextPages []int             // PDF pages without a text layer (scanned), 1-based: for OCR
	Warnings    []string          // what the extractor noticed but could work around
}

// Line is one line of text, or one row of a table.
type Line struct {
	Cells []TextCell
	Table int // >0: the source table (an HTML <table>, a PDF grid) this row belongs to
	Row   int // row index within that table, 1-based
}

// TextCell is one cell of a line.
type TextCell struct {
	Text string
	Pos  Pos
	// Spanned marks text repeated from a rowspan or colspan cell: it gives
	// context (a row group's label) but is not a printed value of its own.
	Spanned bool
	// Apart marks a cell whose numbers were printed apart from each other
	// and from other cells (a cell of a ruled PDF table, a PDF glyph run
	// standing alone): each is one number, never the digits of several
	// cells run together.
	Apart bool
	// OCR is set on text read from a page image (extract/ocr).
	OCR *OCRReading
}

// OCRReading says how sure OCR is of a cell's text.
type OCRReading struct {
	Confidence   float64  // Tesseract's, 0–100 (an empty cell: 100)
	Alternatives []string // other readings of the cell, most likely first
}

// Text returns the line's cells joined by a tab, spanned cells left out.
func (l Line) Text() string {
	s := ""
	first := true
	for _, c := range l.Cells {
		if c.Spanned {
			continue
		}
		if !first {
			s += "\t"
		}
		s += c.Text
		first = false
	}
	return s
}
