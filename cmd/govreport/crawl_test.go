package main

import (
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"govreport/extract/crawl/crawltest"
)

func query[T any](t *testing.T, db *sql.DB, q string, args ...any) T {
	t.Helper()
	var v T
	if err := db.QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// TestCrawlImports crawls the fixture site with the real database and
// import pipeline: every report is imported once with its source URL, the
// seeds file's agency where the report names none, a page that only links
// its files is not a document, and a second run imports nothing again;
// --no-import only stores the files.
func TestCrawlImports(t *testing.T) {
	s := crawltest.NewSite(t, corpus)
	s.SetSlow(0)
	tmp := t.TempDir()
	db, dir, seeds := filepath.Join(tmp, "c.db"), filepath.Join(tmp, "store"), filepath.Join(tmp, "seeds.tsv")
	if err := os.WriteFile(seeds, []byte("某县人民政府\t"+s.Main.URL+crawltest.List0+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"crawl", "--db", db, "--store", dir, "--rate", "20", "--timeout", "3s", "--retries", "1", "--max-bytes", "2097152", "--quiet", "--seeds", seeds}
	out, errs, code := runCLI(t, args...)
	// The fixture site's deliberate failures (a 404, a redirect loop, an
	// oversized file) make the exit status 1.
	if code != 1 || !strings.Contains(out, "errors 3: http_404 1, redirect_loop 1, too_large 1") {
		t.Fatalf("crawl: exit %d\n%s%s", code, out, errs)
	}
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	slow := s.Main.URL + crawltest.Slow // a short page of its own, answering now
	want := append(s.ReportURLs(), slow)
	if n := query[int](t, conn, `SELECT count(*) FROM documents`); n != len(want) {
		t.Errorf("%d documents, want %d\n%s", n, len(want), out)
	}
	for _, u := range want {
		if n := query[int](t, conn, `SELECT count(*) FROM documents WHERE source = ?`, u); n != 1 {
			t.Errorf("%s imported %d times, want 1", u, n)
		}
		// the document is the file stored for its URL
		if n := query[int](t, conn, `SELECT count(*) FROM documents d JOIN crawl_fetches f ON f.sha256 = d.sha256 AND f.url = d.source WHERE d.source = ?`, u); n == 0 {
			t.Errorf("%s: the document's sha256 is not the stored file's", u)
		}
	}
	if got := query[string](t, conn, `SELECT status || ' ' || layout || ' ' || agency FROM documents WHERE source = ?`, s.Main.URL+crawltest.Docx); got != "ok 2021 某县人民政府" {
		t.Errorf("docx (the blank template): %q, want ok 2021, with the seeds file's agency", got)
	}
	// the 2013 report as Word attachments and its tables as a workbook,
	// linked from the page that attaches them: stored with their cells (the
	// .doc through LibreOffice, or unsupported without it)
	cells := `SELECT d.status || ' ' || coalesce(d.year, 0) || ' ' || count(c.doc_id) FROM documents d LEFT JOIN cells c ON c.doc_id = d.id AND c.value IS NOT NULL WHERE d.source = ? GROUP BY d.id`
	if got := query[string](t, conn, cells, s.Main.URL+crawltest.Docx2013); got != "ok 2013 34" {
		t.Errorf(".docx attachment: %q, want ok 2013 34 (status, year, values)", got)
	}
	wantDoc := "ok 2013 34"
	if _, err := exec.LookPath("soffice"); err != nil {
		wantDoc = "unsupported 0 0"
	}
	if got := query[string](t, conn, cells, s.Main.URL+crawltest.Doc2013); got != wantDoc {
		t.Errorf(".doc attachment: %q, want %s", got, wantDoc)
	}
	if got := query[string](t, conn, cells, s.Main.URL+crawltest.Xlsx2013); got != "ok 2013 34" {
		t.Errorf(".xlsx tables: %q, want ok 2013 34 (the year from the link to its page)", got)
	}
	if got := query[string](t, conn, `SELECT json_extract(meta, '$.linked_from') || ' ' || json_extract(meta, '$.content') FROM documents WHERE source = ?`, s.Main.URL+crawltest.Xlsx2013); got != s.Main.URL+crawltest.Word2013+" tables" {
		t.Errorf(".xlsx tables: linked_from and content %q, want the report page and tables", got)
	}
	if got := query[string](t, conn, `SELECT status || ' ' || layout FROM documents WHERE source = ?`, s.Main.URL+crawltest.R2023); got != "ok 2021" {
		t.Errorf("2023 report page: %q, want ok 2021", got)
	}
	if n := query[int](t, conn, `SELECT count(*) FROM documents WHERE source = ?`, s.Main.URL+crawltest.Wrap2024); n != 0 {
		t.Errorf("the page that only links the 2024 PDF was imported")
	}
	if !strings.Contains(out, fmt.Sprintf("documents imported %d, already present 0", len(want))) {
		t.Errorf("summary:\n%s", out)
	}

	before := s.FileOKs()
	out, errs, code = runCLI(t, args...)
	if code != 0 || !strings.Contains(out, "documents imported 0") {
		t.Fatalf("second crawl: exit %d\n%s%s", code, out, errs)
	}
	for u, n := range s.FileOKs() {
		if n != before[u] {
			t.Errorf("%s fetched again on the second run", u)
		}
	}
	if n := query[int](t, conn, `SELECT count(*) FROM documents`); n != len(want) {
		t.Errorf("%d documents after the second run, want %d", n, len(want))
	}

	db2 := filepath.Join(tmp, "n.db")
	if _, errs, code := runCLI(t, "crawl", "--db", db2, "--store", dir, "--rate", "20", "--max-pages", "1", "--no-import", "--quiet", s.Main.URL+crawltest.List0); code != 0 {
		t.Fatalf("crawl --no-import: exit %d: %s", code, errs)
	}
	conn2, err := sql.Open("sqlite3", "file:"+db2)
	if err != nil {
		t.Fatal(err)
	}
	defer conn2.Close()
	if n := query[int](t, conn2, `SELECT count(*) FROM documents`); n != 0 {
		t.Errorf("--no-import imported %d documents", n)
	}
	if n := query[int](t, conn2, `SELECT count(*) FROM crawl_fetches WHERE path IS NOT NULL`); n == 0 {
		t.Errorf("--no-import stored nothing")
	}
}
