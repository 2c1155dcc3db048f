// Package geometry rebuilds the paragraphs and tables of pages from where
// their text stands: runs of text with their positions, and the ruling
// lines drawn. A PDF's glyph runs are such text (extract/pdf), and so is
// text laid out on a character grid, each word at its column and line
// (pdftotext -layout, read by extract/text): one reader of columns for
// both.
//
// Pages become visual lines, page headers and footers dropped. A table
// drawn with rules is read from them as a grid (grid.go): a line per row
// with a cell per column, merged cells Spanned after their first, blank
// cells empty, as extract/html gives a <table>. Elsewhere isolated
// numbers aligned in rows become tables (table.go): columns where the
// numbers and the header's words stand, a cell per column the header
// names, wrapped labels joined to their row, rows printed blank kept,
// row-group labels attached as Spanned cells. A table broken by a page
// break keeps one id. Every tolerance is in settings.go.
package geometry

import (
	"fmt"

	"govreport"
)

// Run is text drawn at one place: a PDF's glyph run, a word of text on a
// character grid.
type Run struct {
	X0, X1 float64 // left and right end
	Y      float64 // baseline, from the page's top
	Size   float64 // text size
	Text   string
	Vert   bool // drawn with a vertical-writing font
	// Cut: the run starts a cell though it stands close to the run before
	// it (text on a grid where one space was left at a cell's edge).
	Cut bool
}

// Rule is a ruling line: vertical at x At from y Lo to Hi, or horizontal
// at y At from x Lo to Hi.
type Rule struct {
	Vert       bool
	At, Lo, Hi float64
}

// Page is the text and rules of one page, from its top.
type Page struct {
	N      int // 1-based
	Height float64
	Runs   []Run
	Rules  []Rule
}

// Lines returns the pages' text as lines in reading order: a paragraph
// line is one cell; a table row is one cell per printed cell ([group
// labels, Spanned] [row label] [values in column order], a blank value
// between printed ones as ""), with Line.Table and Line.Row set. Every
// cell carries its page and position. check is called before each page
// (a deadline may panic there). It warns of pages with too many runs to
// look for tables on.
func Lines(pages []Page, check func()) ([]govreport.Line, []string) {
	drop := repeatedMargins(pages)
	texts := make([][]Run, len(pages))
	for k, pg := range pages {
		texts[k] = pageText(pg, drop)
	}
	for k := 1; k < len(pages); k++ {
		texts[k-1], texts[k] = carryHeader(texts[k-1], texts[k], pages[k].Rules)
	}
	var items []item
	var warn []string
	st := &docState{}
	for k, pg := range pages {
		check()
		if len(pg.Runs) > MaxTableRuns {
			warn = append(warn, fmt.Sprintf("page %d: %d text runs, tables not rebuilt", pg.N, len(pg.Runs)))
		}
		items = append(items, layoutPage(pg, texts[k], st)...)
	}
	return assemble(items), warn
}
