package store

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
)

// An OCR cell's confidence is stored, read back and exported; a cell not
// read by OCR has none (NULL), whatever its Confidence field holds.
func TestOCRConfidence(t *testing.T) {
	ctx := context.Background()
	st, err := Open(filepath.Join(t.TempDir(), "c.db"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	v := func(x float64) *float64 { return &x }
	d := &govreport.Document{SHA256: "s", Source: "scan.pdf", Format: "pdf", Status: "ok", Agency: "某县财政局", Year: 2023, Layout: "2021",
		Cells: []govreport.Cell{
			{Table: "t3", Row: "new_total", Col: "total", Value: v(81), Raw: "81", Flags: []string{govreport.FlagOCR}, Confidence: 73.5},
			{Table: "t3", Row: "carried_over", Col: "total", Value: v(0), Raw: "0", Flags: []string{govreport.FlagOCR}, Confidence: 0},
			{Table: "t3", Row: "granted", Col: "total", Value: v(40), Raw: "40", Confidence: 99},
		}}
	id, err := st.Save(ctx, d, false)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]sql.NullFloat64{"new_total": {Float64: 73.5, Valid: true}, "carried_over": {Valid: true}, "granted": {}}
	rows, err := st.db.Query(`SELECT row_key, confidence FROM cells WHERE doc_id = ?`, id)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var c sql.NullFloat64
		if err := rows.Scan(&k, &c); err != nil {
			t.Fatal(err)
		}
		if c != want[k] {
			t.Errorf("%s: stored confidence %v, want %v", k, c, want[k])
		}
	}
	rows.Close()
	cells, err := st.Cells(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cells {
		if c.Confidence != want[c.Row].Float64 {
			t.Errorf("Cells: %s confidence %v, want %v", c.Row, c.Confidence, want[c.Row].Float64)
		}
	}
	var b bytes.Buffer
	if _, err := st.Export(ctx, &b, ExportOptions{Table: "cells", Format: "csv"}); err != nil {
		t.Fatal(err)
	}
	header := strings.Split(strings.SplitN(b.String(), "\n", 2)[0], ",")
	col := -1
	for i, h := range header {
		if strings.TrimSpace(h) == "confidence" {
			col = i
		}
	}
	if col < 0 {
		t.Fatalf("export cells: no confidence column in %v", header)
	}
	if !strings.Contains(b.String(), ",73.5,") {
		t.Errorf("export cells: 73.5 not written:\n%s", b.String())
	}
}

// A database of step 9 (cells without confidence) gains the column and
// the view's, its cells kept.
func TestConfidenceMigration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(context.Background(), &govreport.Document{SHA256: "a", Source: "a.txt", Format: "txt", Status: "ok",
		Cells: []govreport.Cell{{Table: "t3", Row: "new_total", Col: "total", Raw: "5"}}}, false); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{`DROP VIEW cell_values`, `ALTER TABLE cells DROP COLUMN confidence`, cellValuesView8, `PRAGMA user_version = 9`} {
		if _, err := st.db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	st.Close()
	st, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v := userVersion(t, st.db); v != len(migrations) {
		t.Fatalf("user_version %d, want %d", v, len(migrations))
	}
	var n int
	var c sql.NullFloat64
	if err := st.db.QueryRow(`SELECT count(*), max(confidence) FROM cell_values`).Scan(&n, &c); err != nil {
		t.Fatal(err)
	}
	if n != 1 || c.Valid {
		t.Errorf("after step 10: %d cells, confidence %v; want 1, NULL", n, c)
	}
}
