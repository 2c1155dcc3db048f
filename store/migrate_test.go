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
