package main

import (
	"context"
	"database/sql"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"govreport/extract/crawl/crawltest"
)

// crawlBin runs this test binary as `govreport crawl` against the fixture
// sites, into a database of its own, and returns the database and what
// the binary printed.
func crawlBin(t *testing.T, args ...string) (*sql.DB, string) {
	t.Helper()
	tmp := t.TempDir()
	db := filepath.Join(tmp, "c.db")
	args = append([]string{"crawl", "--db", db, "--store", filepath.Join(tmp, "store"), "--rate", "20", "--timeout", "5s", "--retries", "1", "--quiet"}, args...)
	out, err := self(context.Background(), args...).CombinedOutput()
	// Exit status 1 when, and only when, the summary counts errors.
	var ee *exec.ExitError
	failed := !strings.Contains(string(out), "errors 0")
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1 && failed) || err == nil && failed {
		t.Fatalf("govreport %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, string(out)
}

// publishedAs are the publication dates the fixture's reports get, by the
// end of their URL, and where each is read (published_from): the report's
// own (its page's metadata, its text), else its file's (the ModDate of the
// corpus PDF served, read with pdfinfo), else the listing's.
var publishedAs = map[string]string{
	"/picture/0/2501201530.pdf":          "2025-02-25 file", // 2024_huaian_szf_1.pdf, ModDate D:20250225100324
	"filename=2501151000.pdf":            "2025-02-25 file", // 2024_hongze_qzf_1.pdf, ModDate D:20250225101710
	"/art/2024/3/8/art_4296_88001.html":  "2024-03-08 page", // not the listing's 2024-03-10
	"/picture/0/2401201100.pdf":          "2024-02-26 file", // 2023_hongze_qzf_1.pdf, ModDate D:20240226145645
	"/art/2022/2/8/art_4296_80613.html":  "2022-02-08 page",
	"/xxgk/ndbg/202501/P020250125.pdf":   "2025-02-25 file", // 2024_hongze_qzf_1.pdf
	"/xxgk/ndbg/202403/P020240308.pdf":   "2024-03-08 text", // the Chromium print of the page prints its 时间 line; its file dates (2026) are not taken
	"/xxgk/ndbg/201401/t20140122_1.html": "2014-01-22 page",
	"/xxgk/ndbg/202501/P020250120.pdf":   "2025-02-25 file", // 2024_huaian_szf_1.pdf
}

// checkImported checks that the documents are exactly the reports given
// (the fixture's URLs), each with its publication date and where it was
// read (publishedAs).
func checkImported(t *testing.T, conn *sql.DB, want map[string]string, out string) {
	t.Helper()
	rows, err := conn.Query(`SELECT source, status, coalesce(published, ''), coalesce(published_from, '') FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var src, status, published, from string
		if err := rows.Scan(&src, &status, &published, &from); err != nil {
			t.Fatal(err)
		}
		got[src] = true
		_, ok := want[src]
		d := ""
		for end, p := range publishedAs {
			if strings.HasSuffix(src, end) {
				d = p
			}
		}
		switch {
		case !ok:
			t.Errorf("%s imported: not a report", src)
		case status != "ok":
			t.Errorf("%s: status %s", src, status)
		case published+" "+from != d:
			t.Errorf("%s: published %q from %q, want %s", src, published, from, d)
		}
	}
	for src := range want {
		if !got[src] {
			t.Errorf("%s not imported\n%s", src, out)
		}
	}
}

// A Hanweb column: the reports of the inline datastore and of the
// dataproxy's pages are imported, nothing else.
func TestCrawlHanwebImports(t *testing.T) {
	s := crawltest.NewSite(t, corpus)
	conn, out := crawlBin(t, "--chromium", "none", s.Hanweb.URL+crawltest.HanwebCol)
	checkImported(t, conn, s.HanwebReports(), out)
	if !strings.Contains(out, "documents imported 5, already present 0") || !strings.Contains(out, "errors 0") {
		t.Errorf("summary:\n%s", out)
	}
	if n := query[int](t, conn, `SELECT count(*) FROM crawl_frontier WHERE adapter = 'hanweb' AND kind = 'listing' AND state = 'done'`); n != 2 {
		t.Errorf("%d dataproxy pages done, want 2", n)
	}
	if d := query[string](t, conn, `SELECT listed FROM crawl_frontier WHERE url LIKE '%art_4296_88001.html'`); d != "2024-03-10" {
		t.Errorf("listing date kept in the frontier: %q", d)
	}
}

// A listing drawn by a script from a JSON API: read through a site adapter
// given with --adapters (no browser), or rendered in Chromium; without
// Chromium the crawl says so and goes on.
func TestCrawlDrawnImports(t *testing.T) {
	s := crawltest.NewSite(t, corpus)
	seed := s.Drawn.URL + crawltest.DrawnList
	t.Run("adapter", func(t *testing.T) {
		conn, out := crawlBin(t, "--chromium", "none", "--adapters", "../../extract/crawl/crawltest/adapters", seed)
		checkImported(t, conn, s.DrawnReports(), out)
		if !strings.Contains(out, "documents imported 4, already present 0") {
			t.Errorf("summary:\n%s", out)
		}
	})
	t.Run("rendered", func(t *testing.T) {
		found := false
		for _, n := range []string{"chromium", "chromium-browser", "google-chrome"} {
			if _, err := exec.LookPath(n); err == nil {
				found = true
			}
		}
		if !found {
			t.Skip("no Chromium in PATH (.ci/run installs it)")
		}
		conn, out := crawlBin(t, "--render-timeout", "1m", seed)
		checkImported(t, conn, s.DrawnReports(), out)
		if !strings.Contains(out, "documents imported 4, already present 0") || !strings.Contains(out, "errors 0") {
			t.Errorf("summary:\n%s", out)
		}
	})
	t.Run("no browser", func(t *testing.T) {
		conn, out := crawlBin(t, "--chromium", filepath.Join(t.TempDir(), "chromium"), seed, s.Hanweb.URL+crawltest.HanwebCol)
		if !strings.Contains(out, "no_browser 1") || !strings.Contains(out, "not rendered: "+seed) {
			t.Errorf("summary does not say the listing could not be rendered:\n%s", out)
		}
		if n := query[int](t, conn, `SELECT count(*) FROM documents`); n != 5 {
			t.Errorf("%d documents, want the Hanweb column's 5", n)
		}
	})
}

// crawl --explain names the adapter that read each page and what it found.
func TestCrawlExplain(t *testing.T) {
	s := crawltest.NewSite(t, corpus)
	args := []string{"crawl", "--explain", "--rate", "20", "--chromium", "none", s.Hanweb.URL + crawltest.HanwebCol}
	out, err := self(context.Background(), args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	for _, want := range []string{
		"adapter hanweb     matched: 2 report links, 2 pages (3 records inline of 7",
		"adapter trs        no: page does not match",
		"report 2024 2025-01-20 淮安市人民政府2024年政府信息公开工作年度报告 " + s.Hanweb.URL + "/art/2025/1/20/art_4296_97791.html",
		"page POST " + s.Hanweb.URL + crawltest.HanwebProxy + "?startrecord=4&endrecord=6&perpage=3 form ",
		"report 2021 2022-02-08 平潭综合实验区2021年度政府信息公开工作年度报告",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("explain lacks %q:\n%s", want, out)
		}
	}
	if n := len(s.Hits("hanweb")); n != 1+3 { // robots.txt, the column, two chunks
		t.Errorf("explain made %d requests:\n%s", n, s)
	}
}
