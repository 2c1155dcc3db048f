package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"govreport"
)

func userVersion(t *testing.T, db *sql.DB) int {
	t.Helper()
	var v int
	if err := db.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

// A new database gets every step once; opening it again applies none; a
// database written before the steps were numbered (user_version 0, its
// tables there) is brought up to date with its rows kept.
func TestMigrations(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	st, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, st.db); v != len(migrations) {
		t.Fatalf("user_version %d, want %d", v, len(migrations))
	}
	// Step 1 run again would create this index again.
	if _, err := st.db.Exec(`DROP INDEX checks_status`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if v := userVersion(t, st.db); v != len(migrations) {
		t.Errorf("reopened: user_version %d", v)
	}
	var n int
	st.db.QueryRow(`SELECT count(*) FROM sqlite_master WHERE name = 'checks_status'`).Scan(&n)
	if n != 0 {
		t.Error("reopening applied step 1 again")
	}
	st.Close()

	// Before numbering: every statement of steps 1–4 ran at each open,
	// user_version 0.
	old := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite3", "file:"+old)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:4] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec(`INSERT INTO documents (sha256, source, format, status, parser_version, imported_at) VALUES ('a', 'a.txt', 'txt', 'ok', '1', '')`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err = Open(old, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v := userVersion(t, st.db); v != len(migrations) {
		t.Errorf("old database: user_version %d, want %d", v, len(migrations))
	}
	if ok, err := st.Has(context.Background(), "a"); !ok || err != nil {
		t.Errorf("old database lost its document: %v %v", ok, err)
	}
	// Step 5 grouped the document saved before reports existed.
	var reports, grouped int
	st.db.QueryRow(`SELECT count(*) FROM reports`).Scan(&reports)
	st.db.QueryRow(`SELECT count(*) FROM documents d JOIN reports r ON r.id = d.report_id AND r.doc_id = d.id WHERE d.sha256 = 'a'`).Scan(&grouped)
	if reports != 1 || grouped != 1 {
		t.Errorf("old database: %d reports, document a represents %d", reports, grouped)
	}
	if _, err := st.Save(context.Background(), &govreport.Document{SHA256: "b", Source: "b.txt", Format: "txt", Status: "ok"}, false); err != nil {
		t.Errorf("old database: save: %v", err)
	}
}

// A database at step 11 holding a correction of a cell its document's
// reader did not store: step 12 and the templates written at the open
// give that correction its row in cell_values.
func TestMigrationFilledCells(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v11.db")
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migrations[:11] {
		if _, err := db.Exec(m.sql); err != nil {
			t.Fatal(err)
		}
		if m.fn != nil {
			if err := m.fn(ctx, db); err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, q := range []string{
		`PRAGMA user_version = 11`,
		`INSERT INTO documents (sha256, source, format, layout, status, parser_version, imported_at) VALUES ('s', 'a.pdf', 'pdf', '2021', 'ok', '1', '')`,
		`INSERT INTO corrections (sha256, tbl, row_key, col_key, action, value, made_at) VALUES ('s', 't3', 'granted', 'total', 'set', 5, '2025-03-01T00:00:00Z')`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM cell_values`).Scan(&n)
	db.Close()
	if n != 0 {
		t.Fatalf("step 11's cell_values shows %d rows of a cell not stored", n)
	}
	st, err := Open(path, Options{Templates: LayoutTemplates(t), LegacyColumns: LegacyColumnWords(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if v := userVersion(t, st.db); v != len(migrations) {
		t.Errorf("user_version %d, want %d", v, len(migrations))
	}
	var value float64
	var flags string
	if err := st.db.QueryRow(`SELECT value, flags FROM cell_values WHERE row_key = 'granted' AND col_key = 'total'`).Scan(&value, &flags); err != nil || value != 5 || flags != "corrected" {
		t.Errorf("upgraded: %v %q %v; want 5, corrected", value, flags, err)
	}
}
