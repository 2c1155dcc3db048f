// Package extract turns a report file's bytes into lines of text with cells
// (govreport.Extracted), choosing the reader by the file's content, not its
// name: PDF (extract/pdf), HTML (extract/html), Word .docx (extract/docx),
// Excel .xlsx (extract/xlsx) or flattened text (extract/text); a web page
// saved as one file (MHTML, extract/mhtml) is read as its HTML page, and a
// Word 2003 XML document by extract/docx. Word 97–2003 .doc, WPS Office
// .wps, RTF and OpenDocument .odt are converted to .docx, Excel 97–2003
// .xls, WPS Spreadsheets .et and OpenDocument .ods to .xlsx, by LibreOffice
// (extract/office); without it they are reported as unsupported, with the
// package to install. A PDF without a usable text
// layer (a scan) is read by OCR (extract/ocr) when Tesseract and
// poppler-utils are installed; without them it stays no_text, with the
// packages to install.
package extract

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"govreport"
	"govreport/extract/docx"
	"govreport/extract/html"
	"govreport/extract/internal/limit"
	"govreport/extract/internal/ooxml"
	"govreport/extract/mhtml"
	"govreport/extract/ocr"
	"govreport/extract/office"
	"govreport/extract/pdf"
	"govreport/extract/text"
	"govreport/extract/xlsx"
)

// Options bound and inform the extraction of one file.
type Options struct {
	ContentType string        // HTTP Content-Type, when the file was fetched
	BaseURL     string        // the URL the file was fetched from, to resolve links
	MaxPages    int           // PDF page limit (0: the reader's default)
	Timeout     time.Duration // PDF time limit, and LibreOffice's for a conversion (0: the reader's default); OCR's for the whole document (0: ScanTimeout)
	NoOCR       bool          // leave scanned PDFs unread (status no_text)
	MaxBytes    int64         // the largest file read (0: DefaultMaxBytes)
	// Progress, when set, is called after each page read by OCR with its
	// number, so that a caller bounding the parse in time can tell a
	// long scan from a stuck parser. It is called on the goroutine that
	// called Bytes.
	Progress func(page int)
}

// ScanTimeout bounds the OCR of one document unless Options.Timeout says
// otherwise: ocr.MaxPages pages at 6 s each, three times what a page of a
// 300 dpi scan takes on this project's machines (README, "Scanned PDFs").
// Past it the pages read so far are kept, with a warning.
const ScanTimeout = ocr.MaxPages * 6 * time.Second

// DefaultMaxBytes is the largest file read unless Options.MaxBytes (the
// --max-bytes flag of parse, explain and import) says otherwise: 64 MiB,
// many times the largest report seen (a 300-page PDF of 20 MB), and small
// enough that a parse stays within its memory bound.
const DefaultMaxBytes = 64 << 20

// ErrTooLarge is the error of a file larger than the size limit, or one
// whose content passes a reader's bounds (lines, cells, words, HTML
// elements: extract/internal/limit).
var ErrTooLarge = limit.ErrTooLarge

// TooLarge is the error of a file of size bytes (-1: unknown, more than
// max) over the limit max.
func TooLarge(size, max int64) error {
	if size < 0 {
		return fmt.Errorf("%w: more than %d bytes, the limit (--max-bytes)", ErrTooLarge, max)
	}
	return fmt.Errorf("%w: %d bytes, more than the limit of %d (--max-bytes)", ErrTooLarge, size, max)
}

// Format tells a file's format from its content, then its name and its
// content type: pdf, html, mhtml, docx, wordml (Word 2003 XML), xlsx, doc,
// wps, xls, et, rtf, odt, ods, txt, or another name for a format no reader
// takes (zip, ole2, odf, or the file's extension). A .docx or .doc that is
// really HTML, MHTML, Word 2003 XML or RTF is html, mhtml, wordml or rtf; an
// OLE2 file is doc (wps when so named), xls (et when so named), or, when it
// is an encrypted OOXML package, docx or xlsx by its name; a zip file is
// docx, xlsx, odt or ods by the parts it holds.
func Format(name string, data []byte, contentType string) string {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	lower := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")) || bytes.Contains(head, []byte("%PDF-")):
		return "pdf"
	case office.IsOLE2(head):
		switch kind, _ := office.Sniff(data); {
		case kind == office.KindOOXML && ext == "xlsx":
			return "xlsx"
		case kind == office.KindOOXML:
			return "docx"
		case kind == office.KindXLS && ext == "et":
			return "et"
		case kind == office.KindXLS:
			return "xls"
		case kind == office.KindDoc && ext == "wps":
			return "wps"
		case kind == office.KindDoc:
			return "doc"
		case ext == "doc" || ext == "wps" || ext == "xls" || ext == "et":
			return ext // LibreOffice may still know it
		}
		return "ole2"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		return zipFormat(data, ext)
	case bytes.HasPrefix(lower, []byte("{\\rtf")):
		return "rtf"
	case mhtml.Is(head):
		return "mhtml"
	case bytes.HasPrefix(lower, []byte("<?xml")) && docx.IsWordML(head):
		return "wordml"
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<meta")) || bytes.Contains(lower, []byte("<table")),
		strings.Contains(contentType, "html"), ext == "html" || ext == "htm" || ext == "shtml":
		return "html"
	case ext == "pdf":
		return "pdf"
	case ext == "doc" || ext == "docx" || ext == "wps" || ext == "xls" || ext == "xlsx":
		return ext
	}
	return "txt"
}

// zipFormat tells a Word package from an Excel one by the parts it lists,
// and an OpenDocument text from a spreadsheet by its mimetype entry.
func zipFormat(data []byte, ext string) string {
	zr, err := ooxml.Open(data)
	if err != nil {
		if ext == "docx" || ext == "xlsx" {
			return ext // the reader says what is wrong
		}
		return "zip"
	}
	switch {
	case ooxml.Find(zr, "word/document.xml") != nil:
		return "docx"
	case ooxml.Find(zr, "xl/workbook.xml") != nil:
		return "xlsx"
	case ooxml.Find(zr, "mimetype") != nil:
		if f := odfFormat(ooxml.Find(zr, "mimetype")); f != "" {
			return f
		}
	case ext == "docx" || ext == "xlsx":
		return ext
	}
	return "zip"
}

// odfFormat reads an OpenDocument package's mimetype entry: odt, ods, odf
// for another OpenDocument type (a presentation, a drawing), "" for none.
func odfFormat(f *zip.File) string {
	b, err := ooxml.ReadPart(f, 256)
	if err != nil {
		return ""
	}
	switch m := strings.TrimSpace(string(b)); {
	case m == "application/vnd.oasis.opendocument.text":
		return "odt"
	case m == "application/vnd.oasis.opendocument.spreadsheet":
		return "ods"
	case strings.HasPrefix(m, "application/vnd.oasis.opendocument."):
		return "odf"
	}
	return ""
}

// ownExt lists the extensions each format read by content may carry
// without remark; another (a web page saved as .doc) is recorded in
// Meta["saved_as"].
var ownExt = map[string][]string{
	"mhtml":  {"mht", "mhtml"},
	"wordml": {"xml", "wordml"}, // "wordml": as the crawler stores it
	"odt":    {"odt"},
	"ods":    {"ods"},
}

// Bytes extracts a file's text. A panic inside a reader is recovered and
// returned as an error; the caller names the file.
func Bytes(name string, data []byte, opt Options) (x *govreport.Extracted, err error) {
	format := Format(name, data, opt.ContentType)
	if max := opt.maxBytes(); int64(len(data)) > max {
		return &govreport.Extracted{Format: format}, TooLarge(int64(len(data)), max)
	}
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("%s reader failed: %v", format, r)
		}
	}()
	switch format {
	case "pdf":
		x, err = pdf.Extract(data, pdf.Options{MaxPages: opt.MaxPages, Timeout: opt.Timeout})
		if errors.Is(err, govreport.ErrNoText) || errors.Is(err, govreport.ErrUndecodable) {
			x, err = scanned(data, opt, err)
		} else if err == nil && len(x.NoTextPages) > 0 {
			scannedPages(x, data, opt)
		}
	case "html":
		x, err = html.Extract(data, html.Options{BaseURL: opt.BaseURL, ContentType: opt.ContentType})
	case "txt":
		x, err = text.Extract(data)
	case "docx", "xlsx":
		if office.IsOLE2(data) {
			return nil, fmt.Errorf("%s: %w: the package is protected by a password", format, govreport.ErrEncrypted)
		}
		if format == "docx" {
			x, err = docx.Extract(data)
		} else {
			x, err = xlsx.Extract(data)
		}
	case "mhtml":
		x, err = page(data, opt)
	case "wordml":
		x, err = docx.ExtractWordML(data)
	case "doc", "wps", "rtf", "xls", "et", "odt", "ods":
		x, err = converted(format, data, opt)
	default:
		return &govreport.Extracted{Format: format}, fmt.Errorf("%s: %w", format, govreport.ErrUnsupported)
	}
	if x != nil && x.Format == "" {
		x.Format = format
	}
	if own, ok := ownExt[format]; ok && x != nil && x.Meta != nil {
		if ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), ".")); ext != "" && !slices.Contains(own, ext) {
			x.Meta["saved_as"] = ext
		}
	}
	if err == nil {
		err = withinLimits(x)
	}
	if err == nil && len(x.Attachments) == 0 && !hasText(x) {
		// An empty file, or a page without text: not a partial report.
		err = noText{format}
	}
	return x, err
}

// noText is the error of a file that holds no text at all.
type noText struct{ format string }

func (e noText) Error() string        { return e.format + ": the file holds no text" }
func (e noText) Is(target error) bool { return target == govreport.ErrNoText }

// hasText reports whether a cell of x holds more than white space.
func hasText(x *govreport.Extracted) bool {
	for _, l := range x.Lines {
		for _, c := range l.Cells {
			if strings.TrimSpace(c.Text) != "" {
				return true
			}
		}
	}
	return false
}

// withinLimits checks what a reader returned against the bounds the
// readers keep while reading (limit.Lines, Cells, Words): the normalizer
// makes a structure of each line, cell and word.
func withinLimits(x *govreport.Extracted) error {
	if len(x.Lines) > limit.Lines {
		return limit.Exceeded("lines", limit.Lines)
	}
	cells, words := 0, 0
	for _, l := range x.Lines {
		cells += len(l.Cells)
		for _, c := range l.Cells {
			words += countWords(c.Text)
		}
		if cells > limit.Cells {
			return limit.Exceeded("cells", limit.Cells)
		}
		if words > limit.Words {
			return limit.Exceeded("words", limit.Words)
		}
	}
	return nil
}

// countWords counts the runs between white space (unicode.IsSpace, as
// the normalizer splits them).
func countWords(s string) int {
	n, in := 0, false
	for i := 0; i < len(s); {
		r, size := rune(s[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		sp := unicode.IsSpace(r)
		if !sp && !in {
			n++
		}
		in = !sp
		i += size
	}
	return n
}

func (o Options) scanTimeout() time.Duration {
	if o.Timeout > 0 {
		return o.Timeout
	}
	return ScanTimeout
}

func (o Options) maxBytes() int64 {
	if o.MaxBytes > 0 {
		return o.MaxBytes
	}
	return DefaultMaxBytes
}

// page reads a web page saved as one file (MHTML) as its HTML page: the
// part's charset tells the page's encoding, and its Content-Location,
// when a web address, resolves the page's links if the file's own URL is
// unknown.
func page(data []byte, opt Options) (*govreport.Extracted, error) {
	p, err := mhtml.Main(data)
	if err != nil {
		return nil, err
	}
	base := opt.BaseURL
	if base == "" && (strings.HasPrefix(p.Location, "http://") || strings.HasPrefix(p.Location, "https://")) {
		base = p.Location
	}
	x, err := html.Extract(p.HTML, html.Options{BaseURL: base, ContentType: p.ContentType})
	if err != nil {
		return nil, fmt.Errorf("mhtml: the page (part %d): %w", p.Parts, err)
	}
	x.Format = "mhtml"
	return x, nil
}

// converted reads a binary Office or RTF file through LibreOffice's
// conversion to .docx or .xlsx. The document keeps its own format and
// records the conversion in Meta["converted"].
func converted(format string, data []byte, opt Options) (*govreport.Extracted, error) {
	if office.IsOLE2(data) {
		kind, enc := office.Sniff(data)
		switch {
		case enc:
			return nil, fmt.Errorf("%s: %w: the file is protected by a password", format, govreport.ErrEncrypted)
		case kind == "":
			return nil, fmt.Errorf("%s: a damaged OLE2 file, or one holding neither a Word document nor a workbook", format)
		}
	}
	to := "docx"
	if format == "xls" || format == "et" || format == "ods" {
		to = "xlsx"
	}
	b, err := office.Convert(data, format, to, opt.Timeout)
	if err != nil {
		return &govreport.Extracted{Format: format}, err
	}
	var x *govreport.Extracted
	if to == "docx" {
		x, err = docx.Extract(b)
	} else {
		x, err = xlsx.Extract(b)
	}
	if err != nil {
		return nil, fmt.Errorf("%s converted to %s by LibreOffice: %w", format, to, err)
	}
	x.Format = format
	x.Meta["converted"] = to + " by LibreOffice"
	return x, nil
}

// scanned reads a PDF whose text layer is missing or garbage (cause) by
// OCR. Without the programs OCR needs, the error is cause with the Debian
// packages to install.
func scanned(data []byte, opt Options, cause error) (*govreport.Extracted, error) {
	if opt.NoOCR {
		return nil, cause
	}
	if err := ocr.Available(); err != nil {
		return nil, fmt.Errorf("%w; %v", cause, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), opt.scanTimeout())
	defer cancel()
	x, err := ocr.Extract(ctx, data, ocr.Options{MaxPages: opt.MaxPages, Progress: opt.Progress})
	if err != nil {
		return nil, fmt.Errorf("%w; OCR: %v", cause, err)
	}
	return x, nil
}

// scannedPages reads by OCR the pages of a PDF that have no text layer
// while others do, and puts their lines in page order among the others'
// (their tables numbered after them). Without OCR, or where it reads
// nothing, a warning names the pages.
func scannedPages(x *govreport.Extracted, data []byte, opt Options) {
	pages := strings.Trim(strings.Join(strings.Fields(fmt.Sprint(x.NoTextPages)), ", "), "[]")
	if opt.NoOCR {
		return
	}
	if err := ocr.Available(); err != nil {
		x.Warnings = append(x.Warnings, fmt.Sprintf("no text layer on page(s) %s: %v", pages, err))
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), opt.scanTimeout())
	defer cancel()
	o, err := ocr.Extract(ctx, data, ocr.Options{MaxPages: opt.MaxPages, Pages: x.NoTextPages, Progress: opt.Progress})
	if err != nil {
		x.Warnings = append(x.Warnings, fmt.Sprintf("no text layer on page(s) %s; OCR: %v", pages, err))
		return
	}
	tables := 0
	for _, l := range x.Lines {
		tables = max(tables, l.Table)
	}
	page := func(l govreport.Line) int {
		if len(l.Cells) == 0 {
			return 0
		}
		return l.Cells[0].Pos.Page
	}
	lines := make([]govreport.Line, 0, len(x.Lines)+len(o.Lines))
	i := 0
	for _, l := range o.Lines {
		for i < len(x.Lines) && page(x.Lines[i]) <= page(l) {
			lines = append(lines, x.Lines[i])
			i++
		}
		if l.Table > 0 {
			l.Table += tables
		}
		lines = append(lines, l)
	}
	lines = append(lines, x.Lines[i:]...)
	for n := range lines {
		for c := range lines[n].Cells {
			lines[n].Cells[c].Pos.Line = n + 1
		}
	}
	x.Lines = lines
	x.Warnings = append(x.Warnings, o.Warnings...)
}
