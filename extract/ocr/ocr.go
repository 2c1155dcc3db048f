// Package ocr reads the pages of a scanned PDF (page images, no text
// layer) into the same positioned lines and table grids the PDF reader
// gives, so that sections, templates, identities and checks work on scans
// unchanged. It calls external programs: pdfinfo and pdftoppm
// (poppler-utils) and tesseract with its chi_sim and eng models
// (tesseract-ocr, tesseract-ocr-chi-sim).
//
// A page goes through named stages, each with its settings in Settings:
//
//   - rasterise (rasterise.go): pdftoppm renders the page in grey at
//     Settings.DPI, lowered for a page that would exceed Settings.MaxPixels.
//   - deskew (deskew.go): the angle whose projection of the ink is
//     sharpest (within Settings.MaxSkew) is undone by rotating the image.
//   - grid (grid.go): rules are long thin runs of ink; long horizontal
//     rules, the vertical rules that join two of them and the short
//     horizontal rules between two vertical ones make tables, a table cut
//     by a page break closed along its cut; its cells are the rectangles
//     of the rules, merged where a rule is missing (rowspan, colspan).
//   - cells (cells.go): every cell with ink is cropped (its own border
//     trimmed) and read with chi_sim; the numbers among them are read
//     again with a digits whitelist, each alone (as a line and as a raw
//     line) and on strips of crops, the readings voted (a number they
//     disagree on gets a low confidence and the other readings as
//     alternatives).
//   - page (page.go): the page without its tables is read with chi_sim as
//     prose, at Settings.ProseDPI. Each pass is one Tesseract process
//     reading all the crops of the page (tesseract.go), one page at a time:
//     a document uses one Tesseract at a time, so the import's workers
//     bound the processes.
//   - assemble (assemble.go): prose lines become one-cell lines with their
//     position; each grid row a table line whose cells sit at the grid's
//     columns (a spanned cell repeated, marked Spanned, as the HTML reader
//     does; a row group's label Spanned in every row, as the PDF reader
//     attaches it; empty where the crop holds no ink). A table that runs on
//     at the top of the next page keeps its id. Margin lines repeated on
//     most pages (alike, as OCR reads them) and page numbers are dropped.
//
// Every OCR cell carries Tesseract's confidence and its other readings
// (govreport.TextCell.OCR); the normalizer flags what it stores from them.
package ocr

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"govreport"
)

// Settings are the tolerances of the stages, in inches where they are
// lengths (so they hold at any resolution).
type Settings struct {
	DPI       int // rasterisation resolution
	MaxPixels int // largest page image; a bigger page is rendered at a lower DPI
	ProseDPI  int // resolution the prose is read at (body text is large)

	MaxSkew float64 // degrees searched either way by deskew

	TextInk       float64 // a pixel is ink at this share of the way from ink to paper grey
	RuleInk       float64 // the same for ruling lines: lighter, for thin rules softened by blur
	MinRuleLong   float64 // a horizontal rule this long starts a table
	MinRuleShort  float64 // shortest rule between two others
	MaxRuleWidth  float64 // thicker runs are not rules
	RuleGap       float64 // a gap this wide in a rule is bridged (cells drawn apart, a broken scan)
	RuleTolerance float64 // how far a rule may stop short of the one it meets
	MinOpenRule   float64 // shortest vertical rule closing a table cut by a page break
	MinCellSize   float64 // rules closer than this are one (double rules, cell borders drawn apart)

	CellInset float64 // margin inside a cell's rules left out of its crop
	CellPad   float64 // white kept around a cell's ink in its crop
	MinInk    float64 // a crop with less ink (square inches) is empty

	LineHeight float64 // pixels a line is enlarged to when read again
	RetryConf  float64 // a cell read with less confidence is read again, enlarged

	StripCells int     // numbers set on one strip for the digits pass
	StripGap   float64 // paper between two numbers on a strip, in line heights

	DisagreeConf float64 // confidence of a number whose readings differ
	RawLineConf  float64 // a digits reading as a raw line votes at this confidence or more
	LoneRawConf  float64 // confidence at most of a number only the raw line reads

	MaxCells int // cells read on one page at most
}

// Default are the settings Extract uses when Options.Settings is nil.
var Default = Settings{
	DPI:       300,
	MaxPixels: 12_000_000, // A4 at 300 dpi is 8.7 Mpx; A3 is rendered at 250
	ProseDPI:  150,

	MaxSkew: 3,

	TextInk:       0.5,
	RuleInk:       0.6, // shading (a header row's grey) stays lighter
	MinRuleLong:   0.8,
	MinRuleShort:  0.08,
	MaxRuleWidth:  0.04,
	RuleGap:       0.02,
	RuleTolerance: 0.015,
	MinOpenRule:   0.15,
	MinCellSize:   0.05,

	CellInset: 0.02,
	CellPad:   0.03,
	MinInk:    0.0003,

	LineHeight: 48,
	RetryConf:  60,

	StripCells: 25,
	StripGap:   2,

	DisagreeConf: 40,
	RawLineConf:  90,
	LoneRawConf:  80, // below the normalizer's sure 90: flagged unless an identity confirms it

	MaxCells: 2000,
}

// Options bound the work on one document.
type Options struct {
	MaxPages    int           // pages read at most; 0: MaxPages
	Pages       []int         // the pages to read (1-based, ascending); nil: every page
	PageTimeout time.Duration // time allowed per page; 0: 60s
	Settings    *Settings     // nil: Default
	// Progress, when set, is called after each page is done (read,
	// failed, or given up past its time limit) with its number, so that a caller
	// bounding the whole parse in time can tell a long scan from a stuck
	// one.
	Progress func(page int)
}

// MaxPages is the number of pages of a document read unless
// Options.MaxPages says otherwise.
const MaxPages = 100

// Packages names the Debian packages OCR needs.
const Packages = "tesseract-ocr tesseract-ocr-chi-sim poppler-utils"

// ErrUnavailable is returned when the programs OCR needs are missing.
var ErrUnavailable = errors.New("OCR unavailable: install " + Packages)

// Available reports whether the programs OCR needs are installed: nil, or
// an error wrapping ErrUnavailable that names what is missing.
func Available() error {
	var missing []string
	for _, p := range []string{"tesseract", "pdftoppm", "pdfinfo"} {
		if _, err := exec.LookPath(p); err != nil {
			missing = append(missing, p)
		}
	}
	if len(missing) == 0 {
		missing = append(missing, missingModels()...)
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w (%s not found)", ErrUnavailable, strings.Join(missing, ", "))
	}
	return nil
}

// missingModels asks tesseract for its languages: chi_sim reads the text,
// eng the digits.
func missingModels() []string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, _ := command(ctx, "tesseract", "--list-langs").CombinedOutput()
	have := map[string]bool{}
	for _, l := range strings.Fields(string(out)) {
		have[l] = true
	}
	var missing []string
	for _, m := range []string{"chi_sim", "eng"} {
		if !have[m] {
			missing = append(missing, "the "+m+" model")
		}
	}
	return missing
}

// Extract reads the pages of a scanned PDF (opt.Pages, or all, at most
// opt.MaxPages) with OCR, one page and one external program at a time,
// calling opt.Progress after each. A page that fails or runs past
// opt.PageTimeout (its program's process group is killed) is skipped with
// a warning; when ctx ends, the pages read so far are kept with a
// warning. Errors: ErrUnavailable, the failure of pdfinfo on the
// file, govreport.ErrNoText when no page yields text.
func Extract(ctx context.Context, data []byte, opt Options) (*govreport.Extracted, error) {
	if err := Available(); err != nil {
		return nil, err
	}
	if opt.MaxPages <= 0 {
		opt.MaxPages = MaxPages
	}
	if opt.PageTimeout <= 0 {
		opt.PageTimeout = 60 * time.Second
	}
	s := Default
	if opt.Settings != nil {
		s = *opt.Settings
	}
	dir, err := os.MkdirTemp("", "govreport-ocr-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "doc.pdf")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		return nil, err
	}
	sizes, n, err := pageSizes(ctx, file, opt.MaxPages)
	if err != nil {
		return nil, fmt.Errorf("ocr: %v", err)
	}
	x := &govreport.Extracted{Format: "pdf", Pages: n}
	if n > len(sizes) {
		x.Warnings = append(x.Warnings, fmt.Sprintf("OCR read %d of %d pages", len(sizes), n))
	}
	want := opt.Pages
	if want == nil {
		for i := range sizes {
			want = append(want, i+1)
		}
	}
	var pages []*page
	for _, pn := range want {
		if pn < 1 || pn > len(sizes) {
			continue
		}
		if err := ctx.Err(); err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("OCR stopped before page %d: %v", pn, err))
			break
		}
		pctx, cancel := context.WithTimeout(ctx, opt.PageTimeout)
		pg, err := readPage(pctx, filepath.Join(dir, fmt.Sprintf("p%d", pn)), file, pn, sizes[pn-1], s)
		timedOut := errors.Is(pctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		if opt.Progress != nil && ctx.Err() == nil {
			opt.Progress(pn)
		}
		if err != nil {
			if timedOut {
				err = fmt.Errorf("timed out after %v (its programs killed)", opt.PageTimeout)
			}
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: OCR failed: %v", pn, err))
			continue
		}
		x.Warnings = append(x.Warnings, pg.warnings...)
		pages = append(pages, pg)
	}
	x.Lines = assemble(pages)
	if len(x.Lines) == 0 {
		why := ""
		if len(x.Warnings) > 0 {
			why = "; " + x.Warnings[len(x.Warnings)-1]
		}
		return nil, fmt.Errorf("ocr: %w (no text read from %d pages%s)", govreport.ErrNoText, len(want), why)
	}
	x.Warnings = append(x.Warnings, fmt.Sprintf("text read by OCR from %d pages", len(pages)))
	return x, nil
}
