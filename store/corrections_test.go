package store_test

import (
	"bytes"
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

// rowTotals stands in for normalize.Check in store's tests (which do not
// import normalize): per row of table 三, total = natural_person. What
// store must do is call it with the corrected cells and keep its checks.
func rowTotals(calls *[][]govreport.Cell) func(string, []govreport.Cell) []govreport.Check {
	return func(layout string, cells []govreport.Cell) []govreport.Check {
		*calls = append(*calls, cells)
		byRow := map[string]map[string]*float64{}
		var order []string
		for _, c := range cells {
			if c.Table != "t3" {
				continue
			}
			if byRow[c.Row] == nil {
				byRow[c.Row] = map[string]*float64{}
				order = append(order, c.Row)
			}
			byRow[c.Row][c.Col] = c.Value
		}
		var out []govreport.Check
		for _, r := range order {
			l, rt := byRow[r]["total"], byRow[r]["natural_person"]
			c := govreport.Check{Rule: "t3_row_total", Table: "t3", Scope: r, Status: govreport.CheckNA, Left: l, Right: rt}
			if l != nil && rt != nil {
				c.Status = govreport.CheckFail
				if *l == *rt {
					c.Status = govreport.CheckPass
				}
			}
			out = append(out, c)
		}
		return out
	}
}

const shaA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

// docA has a flagged cell read wrong: 一's total, 4 for 3.
func docA(recheck func(string, []govreport.Cell) []govreport.Check) *govreport.Document {
	d := &govreport.Document{Source: "a.pdf", SHA256: shaA, Format: "pdf", Agency: "某县商务局", Year: 2023, Layout: "2021", Status: govreport.StatusOK,
		Cells: []govreport.Cell{
			{Table: "t3", Row: "new_received", Col: "natural_person", Value: f(3), Raw: "3"},
			{Table: "t3", Row: "new_received", Col: "total", Value: f(4), Raw: "34", Flags: []string{govreport.FlagInferred, govreport.FlagUncertain}, Pos: govreport.Pos{Page: 4, X: 300, Y: 210}},
			{Table: "t3", Row: "total_processed", Col: "natural_person", Value: f(3)},
			{Table: "t3", Row: "total_processed", Col: "total", Value: f(3)},
			{Table: "t4", Row: "review", Col: "corrected", Value: f(1)},
			{Table: "t4", Row: "review", Col: "total", Value: f(2)},
		}}
	d.Checks = recheck(d.Layout, d.Cells)
	return d
}

func openRecheck(t *testing.T) (*store.Store, *[][]govreport.Cell) {
	t.Helper()
	calls := &[][]govreport.Cell{}
	st, err := store.Open(filepath.Join(t.TempDir(), "c.db"), store.Options{ParserVersion: "test", Templates: store.LayoutTemplates(t), LegacyColumns: store.LegacyColumnWords(t), Recheck: rowTotals(calls)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, calls
}

func checkOf(t *testing.T, st *store.Store, docID int64, scope string) string {
	t.Helper()
	var status string
	if err := st.DB().QueryRow(`SELECT status FROM checks WHERE doc_id = ? AND rule = 't3_row_total' AND scope = ?`, docID, scope).Scan(&status); err != nil {
		t.Fatal(err)
	}
	return status
}

// A correction's life in the store: set, applied by cell_values, the
// views, measures and exports with the machine's value beside it; the
// table's checks run again; kept when the document is saved again;
// superseded, reverted, the history kept.
func TestCorrectionLife(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	st, calls := openRecheck(t)
	id, err := st.Save(ctx, docA(rowTotals(&scratch)), false)
	if err != nil {
		t.Fatal(err)
	}
	if got := checkOf(t, st, id, "new_received"); got != govreport.CheckFail {
		t.Fatalf("before: check %s, want fail (4 ≠ 3)", got)
	}
	if items, n, err := st.Queue(ctx, 0, 10); err != nil || n != 2 || items[0].Kind != "cell" || items[0].What != govreport.FlagUncertain || items[1].Kind != "check" {
		t.Fatalf("queue before: %d %+v %v; want the uncertain row, then the failed check", n, items, err)
	}
	if l, err := st.ListReports(ctx, store.ReportFilter{Flagged: true}); err != nil || len(l.Rows) != 1 || l.Rows[0].Flagged != 1 || l.Rows[0].Failing != 1 {
		t.Fatalf("reports before: %+v %v; want one flagged cell, one failing check", l, err)
	}

	set := govreport.Correction{SHA256: shaA, Table: "t3", Row: "new_received", Col: "total", Value: f(3), Note: "page 4 prints 3; 4 is the footnote", Author: "li", Time: "2025-03-01T10:00:00Z"}
	if err := st.Correct(ctx, set); err != nil {
		t.Fatal(err)
	}
	var value, machine float64
	var flags string
	if err := st.DB().QueryRow(`SELECT value, machine_value, flags FROM cell_values WHERE doc_id = ? AND tbl = 't3' AND row_key = 'new_received' AND col_key = 'total'`, id).
		Scan(&value, &machine, &flags); err != nil || value != 3 || machine != 4 || flags != "inferred,uncertain,corrected" {
		t.Errorf("cell_values: %v %v %q %v; want 3, machine 4, flags inferred,uncertain,corrected", value, machine, flags, err)
	}
	var total float64
	var machineValues, viewFlags string
	if err := st.DB().QueryRow(`SELECT total, machine_values, flags FROM t3 WHERE row_key = 'new_received'`).Scan(&total, &machineValues, &viewFlags); err != nil ||
		total != 3 || machineValues != "total=4" || !strings.Contains(viewFlags, "corrected") {
		t.Errorf("view t3: total %v machine_values %q flags %q %v", total, machineValues, viewFlags, err)
	}
	var received float64
	if err := st.DB().QueryRow(`SELECT received FROM measures`).Scan(&received); err != nil || received != 3 {
		t.Errorf("measures: received %v %v, want 3", received, err)
	}
	last := (*calls)[len(*calls)-1]
	for _, c := range last {
		if c.Table != "t3" {
			t.Errorf("recheck of t3 given a cell of %s", c.Table)
		}
		if c.Row == "new_received" && c.Col == "total" && (c.Value == nil || *c.Value != 3) {
			t.Errorf("recheck given the machine's value: %+v", c)
		}
	}
	if got := checkOf(t, st, id, "new_received"); got != govreport.CheckPass {
		t.Errorf("after the correction: check %s, want pass", got)
	}
	var failed int
	if err := st.DB().QueryRow(`SELECT checks_failed FROM documents WHERE id = ?`, id).Scan(&failed); err != nil || failed != 0 {
		t.Errorf("documents.checks_failed after the correction: %d %v, want 0", failed, err)
	}
	if items, n, err := st.Queue(ctx, 0, 10); err != nil || n != 0 {
		t.Errorf("queue after: %d %+v %v; want empty", n, items, err)
	}
	if l, err := st.ListReports(ctx, store.ReportFilter{}); err != nil || len(l.Rows) != 1 || l.Rows[0].Flagged != 0 || l.Rows[0].Corrected != 1 || l.Flagged != 0 {
		t.Errorf("reports after: %+v %v; want none flagged, one corrected", l, err)
	}
	var buf bytes.Buffer
	if _, err := st.Export(ctx, &buf, store.ExportOptions{Table: "cells"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), ",t3,new_received,total,3,,34,,,\"inferred,uncertain,corrected\",4,,300,210,,4\r\n") {
		t.Errorf("cells export: the corrected line missing:\n%s", buf.String())
	}

	// Saved again (--reparse): the machine's cells and checks are written
	// anew, the correction still applies and the checks run again.
	if _, err := st.Save(ctx, docA(rowTotals(&scratch)), true); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow(`SELECT total FROM t3 WHERE row_key = 'new_received'`).Scan(&total); err != nil || total != 3 {
		t.Errorf("after reparse: t3 total %v %v, want 3", total, err)
	}
	if got := checkOf(t, st, id, "new_received"); got != govreport.CheckPass {
		t.Errorf("after reparse: check %s, want pass", got)
	}

	// A later correction supersedes; a revert gives the machine's back.
	later := set
	later.Value, later.Note, later.Time = f(5), "misread", "2025-03-02T10:00:00Z"
	if err := st.Correct(ctx, later); err != nil {
		t.Fatal(err)
	}
	if err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "new_received", Col: "total", Action: govreport.CorrectionRevert, Time: "2025-03-03T10:00:00Z"}); err != nil {
		t.Fatal(err)
	}
	if err := st.DB().QueryRow(`SELECT total, coalesce(machine_values, '') FROM t3 WHERE row_key = 'new_received'`).Scan(&total, &machineValues); err != nil || total != 4 || machineValues != "" {
		t.Errorf("after revert: t3 total %v machine_values %q %v, want 4 and none", total, machineValues, err)
	}
	if got := checkOf(t, st, id, "new_received"); got != govreport.CheckFail {
		t.Errorf("after revert: check %s, want fail again", got)
	}
	hist, err := st.Corrections(ctx, shaA)
	if err != nil || len(hist) != 3 || hist[0].Action != govreport.CorrectionRevert || !hist[0].Current || hist[1].Current || hist[2].Current ||
		*hist[2].Machine != 4 || hist[2].Note != set.Note {
		t.Errorf("history: %+v %v", hist, err)
	}

	// A confirmation takes the machine's value and marks it corrected.
	if err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t4", Row: "review", Col: "total", Action: govreport.CorrectionConfirm, Note: "checked"}); err != nil {
		t.Fatal(err)
	}
	var t4total float64
	if err := st.DB().QueryRow(`SELECT total, machine_values FROM t4 WHERE row_key = 'review'`).Scan(&t4total, &machineValues); err != nil || t4total != 2 || machineValues != "total=2" {
		t.Errorf("confirmed: t4 total %v machine_values %q %v", t4total, machineValues, err)
	}

	buf.Reset()
	if n, err := st.Export(ctx, &buf, store.ExportOptions{Table: "corrections"}); err != nil || n != 4 {
		t.Errorf("export corrections: %d rows, %v; want 4", n, err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeffdoc_id,agency,year,layout,source,sha256,tbl,row_key,col_key,action,value,machine,note,author,made_at,current\r\n") {
		t.Errorf("export corrections header: %q", strings.SplitN(buf.String(), "\n", 2)[0])
	}
}

// Imported corrections: each recorded once; an older one is history; one
// of a document this database lacks is recorded and counted absent.
func TestImportCorrections(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	st, _ := openRecheck(t)
	id, err := st.Save(ctx, docA(rowTotals(&scratch)), false)
	if err != nil {
		t.Fatal(err)
	}
	newer := govreport.Correction{SHA256: shaA, Table: "t3", Row: "new_received", Col: "total", Value: f(3), Time: "2025-03-02T00:00:00Z"}
	older := newer
	older.Value, older.Time = f(7), "2025-03-01T00:00:00Z"
	elsewhere := govreport.Correction{SHA256: strings.Repeat("b", 64), Table: "t3", Row: "granted", Col: "total", Value: f(1), Time: "2025-03-01T00:00:00Z"}
	added, skipped, absent, err := st.ImportCorrections(ctx, []govreport.Correction{newer, older, elsewhere})
	if err != nil || added != 3 || skipped != 0 || absent != 1 {
		t.Fatalf("import: %d added, %d skipped, %d absent, %v; want 3, 0, 1", added, skipped, absent, err)
	}
	if added, skipped, _, err = st.ImportCorrections(ctx, []govreport.Correction{newer, older}); err != nil || added != 0 || skipped != 2 {
		t.Errorf("import again: %d added, %d skipped, %v; want 0, 2", added, skipped, err)
	}
	var total float64
	if err := st.DB().QueryRow(`SELECT total FROM t3 WHERE row_key = 'new_received'`).Scan(&total); err != nil || total != 3 {
		t.Errorf("t3 total %v %v: want the newer correction's 3", total, err)
	}
	if got := checkOf(t, st, id, "new_received"); got != govreport.CheckPass {
		t.Errorf("check %s after import, want pass", got)
	}
	if _, _, _, err := st.ImportCorrections(ctx, []govreport.Correction{{SHA256: "nope", Table: "t3", Row: "a", Col: "b"}}); err == nil || !strings.Contains(err.Error(), "correction 1: sha256") {
		t.Errorf("a bad sha256: %v", err)
	}
	// a confirmation without its value cannot apply to a cell not here
	confirm := govreport.Correction{SHA256: strings.Repeat("c", 64), Table: "t3", Row: "granted", Col: "total", Action: govreport.CorrectionConfirm}
	var ce *store.CorrectionError
	if _, _, _, err := st.ImportCorrections(ctx, []govreport.Correction{newer, confirm}); !errors.As(err, &ce) || ce.Index != 1 || !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a confirmation without value of an absent cell: %v", err)
	}
}

// A correction names a cell the database holds or the template defines,
// and needs a store that can run the checks again.
func TestCorrectRefuses(t *testing.T) {
	ctx := context.Background()
	var scratch [][]govreport.Cell
	st, _ := openRecheck(t)
	if _, err := st.Save(ctx, docA(rowTotals(&scratch)), false); err != nil {
		t.Fatal(err)
	}
	err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "x_added", Col: "total", Value: f(1)})
	if !errors.Is(err, store.ErrNoCell) {
		t.Errorf("a cell neither stored nor in the template: %v, want ErrNoCell", err)
	}
	if err := st.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "new_received", Col: "total", Action: "delete"}); !errors.Is(err, store.ErrInvalid) || !strings.Contains(err.Error(), "want set, confirm or revert") {
		t.Errorf("an unknown action: %v", err)
	}
	plain := openStore(t)
	if err := plain.Correct(ctx, govreport.Correction{SHA256: shaA, Table: "t3", Row: "new_received", Col: "total", Value: f(3)}); !errors.Is(err, store.ErrNoRecheck) {
		t.Errorf("without Recheck: %v, want ErrNoRecheck", err)
	}
}
