// Package xlsx reads statistics tables published as an Excel workbook
// (.xlsx) with github.com/xuri/excelize/v2: each visible sheet is a data
// table whose rows become lines of cells, as extract/html's grids do.
//
// Choices the normalizer can rely on:
//   - Cell text is a cell's value as stored, not as its number format
//     displays it (5949.088667 stays whole, not 5949.09), cleaned as
//     extract/html cleans text. A formula reads as its cached result; one
//     without a cached result is computed, and left blank with a warning if
//     it cannot be.
//   - A merged range gives its text to its top-left cell and a copy marked
//     Spanned to the other positions.
//   - Sheets are numbered 1, 2, … among the sheets read (Line.Table and
//     Pos.Table); Pos.Row and Pos.Col are the cell's row and column in the
//     sheet.
//   - Meta["content"] is "tables": a workbook holds tables without the
//     report's narrative. Meta also carries "doc_title", "created" and
//     "modified" from docProps/core.xml.
package xlsx

import (
	"bytes"
	"fmt"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"

	"govreport"
	"govreport/extract/internal/ooxml"
)

// Limits on a workbook.
const (
	maxUnzipped  = 256 << 20 // all parts together, uncompressed
	maxGridCells = 200000    // cells read, all sheets together
)

// Extract reads an .xlsx file's bytes.
func Extract(data []byte) (*govreport.Extracted, error) {
	zr, err := ooxml.Open(data)
	if err != nil {
		return nil, fmt.Errorf("xlsx: %w", err)
	}
	main := ooxml.Rels(zr, "")[ooxml.RelOfficeDocument]
	if main == "" {
		main = "xl/workbook.xml"
	}
	if !strings.Contains(path.Base(main), "workbook") || ooxml.Find(zr, main) == nil {
		return nil, fmt.Errorf("xlsx: no workbook in the package: not an Excel file")
	}
	for _, f := range zr.File {
		if f.UncompressedSize64 > maxUnzipped {
			return nil, fmt.Errorf("xlsx: %s: %d bytes uncompressed: %w", f.Name, f.UncompressedSize64, ooxml.ErrTooLarge)
		}
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: maxUnzipped})
	if err != nil {
		return nil, fmt.Errorf("xlsx: %v", err)
	}
	defer f.Close()
	x := &govreport.Extracted{Format: "xlsx", Meta: map[string]string{"content": "tables"}}
	budget := maxGridCells
	table := 0
	for _, sheet := range f.GetSheetList() {
		if v, err := f.GetSheetVisible(sheet); err == nil && !v {
			continue
		}
		rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
		if err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("sheet %q: %v", sheet, err))
			continue
		}
		if len(rows) == 0 {
			continue
		}
		table++
		g := make([][]cell, len(rows))
		for ri, row := range rows {
			if budget -= len(row); budget < 0 {
				x.Warnings = append(x.Warnings, fmt.Sprintf("sheet %q: more than %d cells: rows from %d on left out", sheet, maxGridCells, ri+1))
				g = g[:ri]
				break
			}
			g[ri] = make([]cell, len(row))
			for ci, v := range row {
				if v == "" {
					v = formula(f, sheet, ri, ci, &x.Warnings)
				}
				g[ri][ci] = cell{text: ooxml.Clean(v)}
			}
		}
		merges, err := f.GetMergeCells(sheet)
		if err != nil {
			x.Warnings = append(x.Warnings, fmt.Sprintf("sheet %q: merged cells: %v", sheet, err))
		}
		for _, m := range merges {
			g = spread(g, m, &budget)
		}
		for ri, row := range g {
			if len(row) == 0 {
				continue
			}
			l := govreport.Line{Table: table, Row: ri + 1, Cells: make([]govreport.TextCell, len(row))}
			for ci, c := range row {
				l.Cells[ci] = govreport.TextCell{Text: c.text, Spanned: c.spanned, Pos: govreport.Pos{Table: table, Row: ri + 1, Col: ci + 1}}
			}
			x.Lines = append(x.Lines, l)
		}
	}
	for i := range x.Lines {
		for j := range x.Lines[i].Cells {
			x.Lines[i].Cells[j].Pos.Line = i + 1
		}
	}
	if len(x.Lines) == 0 {
		x.Warnings = append(x.Warnings, "no cells in the workbook")
	}
	ooxml.Core(zr, x.Meta)
	return x, nil
}

type cell struct {
	text    string
	spanned bool
}

// formula returns the value of an empty cell that holds a formula without
// a cached result, computed; "" (with a warning) if it cannot be.
func formula(f *excelize.File, sheet string, ri, ci int, warnings *[]string) string {
	name, err := excelize.CoordinatesToCellName(ci+1, ri+1)
	if err != nil {
		return ""
	}
	if fx, err := f.GetCellFormula(sheet, name); err != nil || fx == "" {
		return ""
	}
	v, err := f.CalcCellValue(sheet, name, excelize.Options{RawCellValue: true})
	if err != nil {
		*warnings = append(*warnings, fmt.Sprintf("sheet %q cell %s: a formula without a stored result that could not be computed: %v", sheet, name, err))
		return ""
	}
	return v
}

// spread copies a merged range's text to its other positions, marked
// Spanned, growing the grid where the range runs past the stored cells.
func spread(g [][]cell, m excelize.MergeCell, budget *int) [][]cell {
	c0, r0, err1 := excelize.CellNameToCoordinates(m.GetStartAxis())
	c1, r1, err2 := excelize.CellNameToCoordinates(m.GetEndAxis())
	if err1 != nil || err2 != nil || r1 < r0 || c1 < c0 {
		return g
	}
	r0, c0 = r0-1, c0-1
	if r0 >= len(g) {
		return g
	}
	text := ""
	if c0 < len(g[r0]) {
		text = g[r0][c0].text
	}
	for r := r0; r < r1; r++ {
		for c := c0; c < c1; c++ {
			if r == r0 && c == c0 {
				continue
			}
			if *budget--; *budget < 0 {
				return g
			}
			for len(g) <= r {
				g = append(g, nil)
			}
			for len(g[r]) <= c {
				g[r] = append(g[r], cell{})
			}
			g[r][c] = cell{text: text, spanned: true}
		}
	}
	return g
}
