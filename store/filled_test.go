package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

// outcomes stands in for normalize.Check with one more identity than
// rowTotals: table 三's total_processed.total is the sum of the outcome
// rows' totals (granted, partially_granted). docA prints total_processed
// (3) but no outcome row, so it fails until a person fills one in.
func outcomes(calls *[][]govreport.Cell) func(string, []govreport.Cell) []govreport.Check {
	rows := rowTotals(calls)
	return func(layout string, cells []govreport.Cell) []govreport.Check {
		out := rows(layout, cells)
		var left, right *float64
		sum := 0.0
		for _, c := range cells {
			switch {
			case c.Table != "t3" || c.Col != "total" || c.Value == nil:
			case c.Row == "total_processed":
				left = c.Value
			case c.Row == "granted" || c.Row == "partially_granted":
				sum += *c.Value
				right = &sum
			}
		}
		if left == nil {
			return out
		}
		c := govreport.Check{Rule: "t3_outcomes", Table: "t3", Scope: "total", Status: govreport.CheckFail, Left: left, Right: right}
		if right != nil && *left == *right {
			c.Status = govreport.CheckPass
		}
		return append(out, c)
	}
}

func openOutcomes(t *testing.T, name string) *store.Store {
	t.Helper()
	var calls [][]govreport.Cell
	st, err := store.Open(filepath.Join(t.TempDir(), name), store.Options{ParserVersion: "test", Templates: store.LayoutTemplates(t), LegacyColumns: store.LegacyColumnWords(t), Recheck: outcomes(&calls)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func outcomesCheck(t *testing.T, st *store.Store, docID int64) string {
	t.Helper()
	var status string
	if err := st.DB().QueryRow(`SELECT status FROM checks WHERE doc_id = ? AND rule = 't3_outcomes'`, docID).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status
}

// A correction of a cell the reader did not store (docA has no row
// （一）予以公开 of table 三): a row of cell_values of its own, in the views,
// measures and exports; the checks run again with it; kept through a
// reparse and into a new database; a revert takes the row away again.
func TestFilledCellLife(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	doc := func() *govreport.Document { return docA(outcomes(&scratch)) }
	st := openOutcomes(t, "a.db")
	id, err := st.Save(ctx, doc(), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := outcomesCheck(t, st, id); got != govreport.CheckFail {
		t.Fatalf("before: t3_outcomes %s, want fail (3 processed, no outcome)", got)
	}
	fill := govreport.Correction{SHA256: shaA, Table: "t3", Row: "granted", Col: "total", Value: f(3), Note: "page 4, the wrapped row", Author: "li", Time: "2025-03-01T10:00:00Z"}
	if err := st.Correct(ctx, fill); err != nil {
		t.Fatalf("filling in a template cell: %v", err)
	}

	// cell_values: the person's value, flag corrected, nothing of the reader's
	var value float64
	var raw, rowLabel, colLabel, flags string
	var machine, page, x sql.NullFloat64
	var unit sql.NullString
	if err := st.DB().QueryRow(`SELECT value, unit, raw, row_label, col_label, flags, machine_value, page, x FROM cell_values
		WHERE doc_id = ? AND tbl = 't3' AND row_key = 'granted' AND col_key = 'total'`, id).
		Scan(&value, &unit, &raw, &rowLabel, &colLabel, &flags, &machine, &page, &x); err != nil {
		t.Fatalf("cell_values has no row for the filled-in cell: %v", err)
	}
	if value != 3 || unit.Valid || raw != "" || rowLabel != "（一）予以公开" || colLabel != "总计" || flags != "corrected" || machine.Valid || page.Valid || x.Valid {
		t.Errorf("cell_values: %v %v %q %q %q %q machine %v page %v x %v", value, unit, raw, rowLabel, colLabel, flags, machine, page, x)
	}
	var total float64
	var order int
	var machineValues, viewFlags string
	if err := st.DB().QueryRow(`SELECT total, row_order, machine_values, flags FROM t3 WHERE row_key = 'granted'`).Scan(&total, &order, &machineValues, &viewFlags); err != nil ||
		total != 3 || order != 3 || machineValues != "total=" || viewFlags != "corrected" {
		t.Errorf("view t3, row granted: total %v order %d machine_values %q flags %q %v; want 3, the template's third row, total= (no machine value), corrected",
			total, order, machineValues, viewFlags, err)
	}
	var granted float64
	if err := st.DB().QueryRow(`SELECT granted FROM measures`).Scan(&granted); err != nil || granted != 3 {
		t.Errorf("measures: granted %v %v, want 3", granted, err)
	}
	if got := outcomesCheck(t, st, id); got != govreport.CheckPass {
		t.Errorf("after filling in: t3_outcomes %s, want pass", got)
	}
	var buf bytes.Buffer
	if _, err := st.Export(ctx, &buf, store.ExportOptions{Table: "cells"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",t3,granted,total,3,,,（一）予以公开,总计,corrected,,,,,,\r\n") {
		t.Errorf("cells export: the filled-in line missing:\n%s", buf.String())
	}
	cells, err := st.Cells(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	filled := 0
	for _, c := range cells {
		if c.Filled {
			filled++
			if c.Row != "granted" || c.Col != "total" || c.Correction == nil || c.Correction.Note != fill.Note || c.Machine != nil {
				t.Errorf("Cells: filled %+v", c)
			}
		}
	}
	if filled != 1 || len(cells) != len(doc().Cells)+1 {
		t.Errorf("Cells: %d cells, %d filled; want the document's %d and the filled one", len(cells), filled, len(doc().Cells))
	}
	if l, err := st.ListReports(ctx, store.ReportFilter{}); err != nil || len(l.Rows) != 1 || l.Rows[0].Corrected != 1 {
		t.Errorf("reports: %+v %v; want one corrected cell", l, err)
	}

	// Reparse: the reader still stores no such cell; the correction applies.
	if _, err := st.Save(ctx, doc(), true); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow(`SELECT total FROM t3 WHERE row_key = 'granted'`).Scan(&total); err != nil || total != 3 {
		t.Errorf("after reparse: t3 granted total %v %v, want 3", total, err)
	}
	if got := outcomesCheck(t, st, id); got != govreport.CheckPass {
		t.Errorf("after reparse: t3_outcomes %s, want pass", got)
	}

	// Exported and imported into a new database before the document:
	// absent until it is imported, then applied with the checks.
	buf.Reset()
	if _, err := st.Export(ctx, &buf, store.ExportOptions{Table: "corrections"}); err != nil {
		t.Fatal(err)
	}
	other := openOutcomes(t, "b.db")
	added, _, absent, err := other.ImportCorrections(ctx, []govreport.Correction{fill})
	if err != nil || added != 1 || absent != 1 {
		t.Errorf("import before the document: %d added, %d absent, %v; want 1, 1", added, absent, err)
	}
	id2, err := other.Save(ctx, doc(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := other.DB().QueryRow(`SELECT total FROM t3 WHERE row_key = 'granted'`).Scan(&total); err != nil || total != 3 {
		t.Errorf("new database: t3 granted total %v %v, want 3", total, err)
	}
	if got := outcomesCheck(t, other, id2); got != govreport.CheckPass {
		t.Errorf("new database: t3_outcomes %s, want pass", got)
	}
	// imported once the document is there: applied at once
	third := openOutcomes(t, "c.db")
	id3, err := third.Save(ctx, doc(), false)
	if err != nil {
		t.Fatal(err)
	}
	if added, _, absent, err := third.ImportCorrections(ctx, []govreport.Correction{fill}); err != nil || added != 1 || absent != 0 {
		t.Errorf("import after the document: %d added, %d absent, %v; want 1, 0", added, absent, err)
	}
	if got := outcomesCheck(t, third, id3); got != govreport.CheckPass {
		t.Errorf("imported: t3_outcomes %s, want pass", got)
	}

	// A revert takes the row away again; the check fails again.
	if err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "granted", Col: "total", Action: govreport.CorrectionRevert, Time: "2025-03-02T10:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM cell_values WHERE doc_id = ? AND row_key = 'granted'`, id).Scan(&n); err != nil || n != 0 {
		t.Errorf("after revert: %d rows of granted in cell_values %v, want none", n, err)
	}
	if err := st.DB().QueryRow(`SELECT count(*) FROM t3 WHERE row_key = 'granted'`).Scan(&n); err != nil || n != 0 {
		t.Errorf("after revert: %d rows granted in t3 %v, want none", n, err)
	}
	if got := outcomesCheck(t, st, id); got != govreport.CheckFail {
		t.Errorf("after revert: t3_outcomes %s, want fail again", got)
	}
	if l, err := st.ListReports(ctx, store.ReportFilter{}); err != nil || l.Rows[0].Corrected != 0 {
		t.Errorf("reports after revert: %+v %v; want none corrected", l, err)
	}
}

// A cell the reader stored wins over the filled-in row: once a reparse
// reads the row, the correction applies to the reader's cell (the
// machine's value beside it), and cell_values has one row for it.
func TestFilledCellThenRead(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	st := openOutcomes(t, "a.db")
	id, err := st.Save(ctx, docA(outcomes(&scratch)), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "granted", Col: "total", Value: f(3)}); err != nil {
		t.Fatal(err)
	}
	d := docA(outcomes(&scratch))
	d.Cells = append(d.Cells, govreport.Cell{Table: "t3", Row: "granted", Col: "total", Value: f(2), Raw: "2", Pos: govreport.Pos{Page: 4}})
	if _, err := st.Save(ctx, d, true); err != nil {
		t.Fatal(err)
	}
	var n int
	var value, machine, page float64
	if err := st.DB().QueryRow(`SELECT count(*), max(value), max(machine_value), max(page) FROM cell_values WHERE doc_id = ? AND row_key = 'granted'`, id).
		Scan(&n, &value, &machine, &page); err != nil || n != 1 || value != 3 || machine != 2 || page != 4 {
		t.Errorf("read after filled: %d rows, value %v machine %v page %v %v; want one row, 3, 2, page 4", n, value, machine, page, err)
	}
}

// What cannot be filled in: a row or column the template does not define
// for the row, a legacy table's row, a document not imported; nothing to
// confirm where the reader stored nothing.
func TestFillRefuses(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	st := openOutcomes(t, "a.db")
	if _, err := st.Save(ctx, docA(outcomes(&scratch)), false); err != nil {
		t.Fatal(err)
	}
	legacy := &govreport.Document{Source: "l.txt", SHA256: strings.Repeat("d", 64), Format: "txt", Agency: "某县商务局", Year: 2015, Layout: "legacy", Status: govreport.StatusOK,
		Cells: []govreport.Cell{{Table: "legacy", Row: "x_受理申请", Col: "value", Value: f(3), Raw: "3"}}}
	if _, err := st.Save(ctx, legacy, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		k    govreport.Correction
		want string
	}{
		{govreport.Correction{SHA256: shaA, Table: "t3", Row: "x_added", Col: "total", Value: f(1)}, "the template of layout 2021 has no such cell"},
		// t2's regulations print 本年制发 … 现行有效, not the fee column
		{govreport.Correction{SHA256: shaA, Table: "t2", Row: "regulations", Col: "fee_amount", Value: f(1)}, "the template of layout 2021 has no such cell"},
		{govreport.Correction{SHA256: legacy.SHA256, Table: "legacy", Row: "x_依申请公开", Col: "value", Value: f(1)}, "legacy table's rows are free text"},
		{govreport.Correction{SHA256: strings.Repeat("e", 64), Table: "t3", Row: "granted", Col: "total", Value: f(1)}, "not in the database"},
	} {
		if err := st.Correct(ctx, c.k); !errors.Is(err, store.ErrNoCell) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s.%s.%s: %v; want ErrNoCell saying %q", c.k.Table, c.k.Row, c.k.Col, err, c.want)
		}
	}
	err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "granted", Col: "total", Action: govreport.CorrectionConfirm})
	if !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "no value to confirm") {
		t.Errorf("confirming a cell not stored: %v", err)
	}
	var n int
	st.DB().QueryRow(`SELECT count(*) FROM corrections`).Scan(&n)
	if n != 0 {
		t.Errorf("%d corrections recorded by refused ones", n)
	}
}
