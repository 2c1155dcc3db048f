// Package govreport holds the domain types shared by every part of the tool:
// the text an extractor produces (Extracted), the report the normalizer
// builds from it (Document, Section, Cell, Check), the layout templates
// that say what a report's tables look like (Template), and the crawler's
// state (Frontier), which the crawler uses and store implements.
//
// It imports nothing of the project; extract/, normalize/, store/ and cmd/
// all speak in these types.
package govreport

// LayoutLegacy is the layout of 2008–2018 reports, without fixed tables.
// The other layouts are data: each template names its own
// (normalize/templates/*.json).
const LayoutLegacy = "legacy"

// Document statuses.
const (
	StatusOK          = "ok"          // parsed; tables found where the layout has them
	StatusPartial     = "partial"     // parsed, but sections or table cells are missing or flagged
	StatusNoText      = "no_text"     // a PDF without a text layer (scanned)
	StatusUndecodable = "undecodable" // text that could not be decoded
	StatusAttachment  = "attachment"  // a page that only links attachments
	StatusNotReport   = "not_report"  // text with no sign of an annual report: no title, no section, no table
	StatusError       = "error"       // could not be read at all
	StatusUnsupported = "unsupported" // a format stored but not read (zip, ppt; doc, wps, rtf, xls without LibreOffice)
)

// Where a document's publication date was read.
const (
	PublishedFromPage    = "page"    // the page's metadata (发布日期, PubDate)
	PublishedFromText    = "text"    // the closing date printed at the end of the report
	PublishedFromFile    = "file"    // the file's own modification or creation date (PDF ModDate, CreationDate; Word, Excel core properties): when it was made
	PublishedFromListing = "listing" // the date beside the report's link on the agency's listing page
)

// Cell flags: why a value is less than certain, or where it came from.
const (
	FlagInferred        = "inferred"         // placed by the template's identities, not by position
	FlagNotPrinted      = "not_printed"      // absent from the source; value forced by the identities
	FlagOutsideTemplate = "outside_template" // a row or column the agency added
	FlagUncertain       = "uncertain"        // the row's numbers could not be placed; see raw
	FlagAmbiguous       = "ambiguous_split"  // glued digits, or fewer numbers than columns, with more than one placement satisfying the identities
	FlagFootnote        = "footnote"         // the printed cell carries a note beside its number
	FlagNotReported     = "not_reported"     // blank, dash or 无: stored as NULL, never 0
	FlagUnitConverted   = "unit_converted"   // an amount printed in another unit (元) than the column's
	FlagOCR             = "ocr"              // read by OCR from a page image; Cell.Confidence says how sure
	// FlagByPosition: the row's numbers were given to it by where they
	// stand (a number line after other lines, numbers before their
	// label), not read beside its label; the identities did not confirm
	// them. The table's values are then uncertain too.
	FlagByPosition = "by_position"
	// FlagCorrected: a person set the value (or confirmed the machine's)
	// in review; the views and exports show theirs, the machine's value
	// beside it. Never given by the reader: a Correction applies it.
	FlagCorrected = "corrected"
)

// Check statuses.
const (
	CheckPass = "pass"
	CheckFail = "fail"
	CheckNA   = "not_assessable"
)

// Document is one report as the normalizer read it.
type Document struct {
	Source    string `json:"source"`
	SHA256    string `json:"sha256"`
	Format    string `json:"format"`
	Title     string `json:"title"`
	Agency    string `json:"agency"`
	Year      int    `json:"year"`
	Layout    string `json:"layout"`
	Published string `json:"published,omitempty"` // YYYY-MM-DD, see PublishedFrom
	// PublishedFrom says where Published was read: PublishedFromPage,
	// …FromText, …FromFile, …FromListing; "" when unknown.
	PublishedFrom string            `json:"published_from,omitempty"`
	Status        string            `json:"status"`
	Error         string            `json:"error,omitempty"`
	Pages         int               `json:"pages,omitempty"`
	Meta          map[string]string `json:"meta,omitempty"` // page metadata: 索引号, 发布机构, 文号, …
	Sections      []Section         `json:"sections"`
	Cells         []Cell            `json:"cells"`
	Checks        []Check           `json:"checks"`
	Warnings      []string          `json:"warnings"`
	Attachments   []string          `json:"attachments,omitempty"`
	// Publisher is Agency resolved (normalised name, region, level, kind)
	// by the pipeline before the document is saved; nil: not resolved, the
	// store keys the agency by its printed name.
	Publisher *Agency `json:"-"`
}

// Section is one of the report's numbered sections.
type Section struct {
	Number  int    `json:"number"`            // 1–6 (legacy reports: the printed number)
	Key     string `json:"key"`               // canonical key, see normalize/templates/sections.json
	Heading string `json:"heading"`           // as printed; empty when the heading is missing
	Text    string `json:"text"`              // the section's narrative text (tables excluded)
	Line    int    `json:"line,omitempty"`    // source line that opened it
	Missing bool   `json:"missing,omitempty"` // heading absent, section located by its table
}

// Cell is one value of a statistics table, in long form.
type Cell struct {
	Table    string   `json:"table"` // t2, t3, t4, legacy
	Row      string   `json:"row"`
	Col      string   `json:"col"`
	Value    *float64 `json:"value"` // nil: not reported or not placed
	Unit     string   `json:"unit,omitempty"`
	Raw      string   `json:"raw"`
	RowLabel string   `json:"row_label"`
	ColLabel string   `json:"col_label"`
	Flags    []string `json:"flags"`
	Pos      Pos      `json:"pos"`
	// Confidence is OCR's (0–100) in the printed text, on cells flagged ocr.
	Confidence float64 `json:"confidence,omitempty"`
}

// HasFlag reports whether the cell carries flag f.
func (c Cell) HasFlag(f string) bool {
	for _, g := range c.Flags {
		if g == f {
			return true
		}
	}
	return false
}

// Check is the outcome of one identity on one document.
type Check struct {
	Rule   string   `json:"rule"`
	Table  string   `json:"table"`
	Scope  string   `json:"scope"` // the row or column it was applied to
	Status string   `json:"status"`
	Left   *float64 `json:"left"`
	Right  *float64 `json:"right"`
	Detail string   `json:"detail,omitempty"`
}

// Pos says where a piece of text was found in the source.
type Pos struct {
	Page  int     `json:"page,omitempty"`  // 1-based PDF page
	Line  int     `json:"line,omitempty"`  // 1-based line of the extracted text
	Row   int     `json:"row,omitempty"`   // 1-based row of a source table (HTML, PDF grid, DOCX, XLSX)
	Col   int     `json:"col,omitempty"`   // 1-based column of a source table
	Para  int     `json:"para,omitempty"`  // 1-based paragraph of a Word document (DOCX, DOC, WPS)
	Table int     `json:"table,omitempty"` // 1-based table of a Word document, sheet of a workbook
	X     float64 `json:"x,omitempty"`     // PDF points from the left
	Y     float64 `json:"y,omitempty"`     // PDF points from the top
}

// Correction is a person's value for one cell of a document, keyed by
// what survives a reparse and a new database: the file's sha256 and the
// cell's table, row and column.
type Correction struct {
	SHA256 string
	Table  string
	Row    string
	Col    string
	// Action is CorrectionSet (Value is the cell's value; nil: not
	// reported), CorrectionConfirm (the machine's value is right; Value
	// holds it) or CorrectionRevert (the machine's value applies again).
	Action string
	Value  *float64
	Note   string
	Author string
	Time   string // UTC, RFC 3339; when it was made
}

// Correction actions.
const (
	CorrectionSet     = "set"
	CorrectionConfirm = "confirm"
	CorrectionRevert  = "revert"
)
