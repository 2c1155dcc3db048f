package ingest_test

// The bundled corpus imported, then analyzed, exported and searched: the
// store's queries on what the pipeline stores.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport/cmd/internal/ingest"
	"govreport/normalize"
	"govreport/store"
)

// openCorpus returns a new database holding testdata/corpus.
func openCorpus(t *testing.T) *store.Store {
	st, _ := openCorpusAt(t)
	return st
}

// openCorpusAt is openCorpus, and the database's path.
func openCorpusAt(t *testing.T) (*store.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "test.db")
	st, err := store.Open(path, storeOptions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := ingest.Import(context.Background(), st, []string{corpus}, ingest.Options{Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	return st, path
}

func TestAnalyzeCorpus(t *testing.T) {
	st := openCorpus(t)
	a, err := st.Analyze(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// The 洪泽 reports of 2023 and 2024 are printed under two names, which
	// resolve to one agency.
	found := false
	for _, p := range a.Pairs {
		if p.Prev.Year == 2023 && p.Next.Year == 2024 && strings.Contains(p.Next.Agency, "洪泽区") {
			found = p.How == "same name"
		}
	}
	if !found {
		t.Errorf("洪泽 2023–2024 not paired: %+v", a.Pairs)
	}
	for _, x := range a.Findings {
		t.Logf("%s %s %s %d %s %s", x.Rule, x.Severity, x.Agency, x.Year, x.Scope, x.Detail)
	}
}
func TestExportT3CSV(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	var buf bytes.Buffer
	n, err := st.Export(ctx, &buf, store.ExportOptions{Table: "t3"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 BOM: % x", buf.Bytes()[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d records, %d rows reported", len(recs), n)
	}
	head := recs[0]
	for i, c := range []string{"doc_id", "agency", "year", "layout", "source", "report_id"} {
		if head[i] != c {
			t.Fatalf("header %q, want %s at %d", head, c, i)
		}
	}
	for _, c := range []string{"province", "city", "county", "region_code", "status"} {
		if !slices.Contains(head, c) {
			t.Errorf("header %q: no %s", head, c)
		}
	}
	// One line per attributed report and row key, as many as their
	// representatives' pairs.
	var want int
	st.DB().QueryRow(`SELECT count(*) FROM (SELECT DISTINCT r.id, c.row_key FROM reports r JOIN cells c ON c.doc_id = r.doc_id WHERE c.tbl = 't3' AND r.agency_id IS NOT NULL AND r.year IS NOT NULL)`).Scan(&want)
	if n != want || want == 0 {
		t.Fatalf("%d rows, want %d", n, want)
	}
	seen := map[string]bool{}
	total, rowKey := slices.Index(head, "total"), slices.Index(head, "row_key")
	var granted2023 string
	for _, r := range recs[1:] {
		k := r[5] + "/" + r[rowKey]
		if seen[k] {
			t.Errorf("duplicate line for %s", k)
		}
		seen[k] = true
		if strings.Contains(r[4], "2023_pingtan_1") && r[rowKey] == "granted" {
			granted2023 = r[total]
		}
	}
	if granted2023 != "22" {
		t.Errorf("2023 Pingtan granted total = %q, want 22", granted2023)
	}
	// Round trip: writing the records back gives the same bytes.
	var again bytes.Buffer
	w := csv.NewWriter(&again)
	w.UseCRLF = true
	w.WriteAll(recs)
	if !bytes.Equal(again.Bytes(), buf.Bytes()[3:]) {
		t.Error("CSV does not round-trip through encoding/csv")
	}

	// GBK: no BOM, decodes back to the same records.
	var gbk bytes.Buffer
	if _, err := st.Export(ctx, &gbk, store.ExportOptions{Table: "t3", Encoding: "gbk"}); err != nil {
		t.Fatal(err)
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(gbk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	recs2, err := csv.NewReader(bytes.NewReader(dec)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(recs2) != fmt.Sprint(recs) {
		t.Error("GBK export decodes to other records")
	}
}

func TestExportJSONLAndFilters(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	for _, table := range store.ExportTables(normalize.Templates()) {
		year := 2023
		if table == "legacy" {
			year = 2013
		}
		var buf bytes.Buffer
		n, err := st.Export(ctx, &buf, store.ExportOptions{Table: table, Format: "jsonl", YearFrom: year, YearTo: year})
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if n == 0 || len(lines) != n {
			t.Fatalf("%s: %d rows, %d lines", table, n, len(lines))
		}
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%s: %v: %s", table, err, l)
			}
			if m["year"] != float64(year) || m["source"] == nil {
				t.Errorf("%s: %s", table, l)
			}
		}
	}
	if _, err := st.Export(ctx, &bytes.Buffer{}, store.ExportOptions{Table: "cells; DROP TABLE x"}); err == nil {
		t.Error("unknown table accepted")
	}
}
func TestSearch(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	n, err := st.IndexPending(ctx, nil)
	if err != nil || n == 0 {
		t.Fatalf("IndexPending: %d, %v", n, err)
	}
	if n, err := st.IndexPending(ctx, nil); err != nil || n != 0 {
		t.Fatalf("second IndexPending: %d, %v; want 0", n, err)
	}

	toks, err := store.QueryTokens("依申请公开")
	if err != nil || !slices.Equal(toks, []string{"依申请公开"}) {
		t.Fatalf("QueryTokens(依申请公开) = %q, %v", toks, err)
	}

	hits, err := st.Search(ctx, store.SearchQuery{Query: "依申请公开", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) == 0 {
		t.Fatal("no hits for 依申请公开")
	}
	// Every hit is a section whose stored text has the term, and shows it
	// highlighted; every section with the term is found.
	want := map[[2]int64]bool{}
	rows, err := st.DB().QueryContext(ctx, `SELECT doc_id, number FROM sections WHERE instr(text, '依申请公开') > 0`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k [2]int64
		rows.Scan(&k[0], &k[1])
		want[k] = true
	}
	rows.Close()
	got := map[[2]int64]bool{}
	for _, h := range hits {
		got[[2]int64{h.DocID, int64(h.Section)}] = true
		if !strings.Contains(h.Snippet, "【依申请公开】") {
			t.Errorf("doc %d section %d: snippet lacks 【依申请公开】: %s", h.DocID, h.Section, h.Snippet)
		}
		if strings.Contains(h.Snippet, "依 申请") || strings.Contains(h.Snippet, "公开 ") {
			t.Errorf("snippet not rejoined: %s", h.Snippet)
		}
	}
	for k := range want {
		if !got[k] {
			t.Errorf("section %v has 依申请公开 but was not found", k)
		}
	}
	for k := range got {
		if !want[k] {
			t.Errorf("section %v found but its text lacks 依申请公开", k)
		}
	}
	t.Logf("%d hits; first: %s %d §%d %s", len(hits), hits[0].Agency, hits[0].Year, hits[0].Section, hits[0].Snippet)

	// Filters.
	hits, err = st.Search(ctx, store.SearchQuery{Query: "依申请公开", Section: 3, YearFrom: 2023, YearTo: 2023, Agency: "平潭"})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range hits {
		if h.Section != 3 || h.Year != 2023 || !strings.Contains(h.Agency, "平潭") {
			t.Errorf("filters not applied: %+v", h)
		}
	}

	// A sub-word of a domain term is found through the search-mode terms.
	if hits, err := st.Search(ctx, store.SearchQuery{Query: "公开"}); err != nil || len(hits) == 0 {
		t.Errorf("公开: %d hits, %v", len(hits), err)
	}

	// Keywords were stored with the index.
	var kw int
	st.DB().QueryRow(`SELECT count(*) FROM section_keywords`).Scan(&kw)
	if kw == 0 {
		t.Error("no keywords stored")
	}
}

func TestSearchIndexFollowsReparse(t *testing.T) {
	ctx := context.Background()
	st, path := openCorpusAt(t)
	if _, err := st.IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	count := func(q string) int {
		var n int
		if err := st.DB().QueryRow(q).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	rows, kws := count(`SELECT count(*) FROM section_fts`), count(`SELECT count(*) FROM section_keywords`)
	if rows != count(`SELECT count(*) FROM sections`) {
		t.Fatalf("%d index rows for %d sections", rows, count(`SELECT count(*) FROM sections`))
	}

	// Reparse every document: the hook drops their index rows.
	if _, err := ingest.Import(ctx, st, []string{corpus}, ingest.Options{Jobs: 2, Reparse: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM section_fts`) + count(`SELECT count(*) FROM search_indexed`) + count(`SELECT count(*) FROM section_keywords`); n != 0 {
		t.Fatalf("%d index rows left after a reparse", n)
	}
	n, err := st.IndexPending(ctx, nil)
	if err != nil || n != count(`SELECT count(*) FROM documents`) {
		t.Fatalf("IndexPending after reparse: %d, %v", n, err)
	}
	if count(`SELECT count(*) FROM section_fts`) != rows || count(`SELECT count(*) FROM section_keywords`) != kws {
		t.Fatal("index differs after reparse")
	}

	// A deleted document leaves no index rows behind.
	if _, err := st.DB().Exec(`DELETE FROM documents WHERE id = (SELECT min(doc_id) FROM section_fts)`); err != nil {
		t.Fatal(err)
	}
	if _, err := st.IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if count(`SELECT count(*) FROM section_fts WHERE doc_id NOT IN (SELECT id FROM documents)`) != 0 {
		t.Error("index rows of a deleted document remain")
	}

	// With indexing on save, a reparse reindexes in the same transaction.
	opt := storeOptions
	opt.IndexOnSave = true
	st2, err := store.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if _, err := ingest.Import(ctx, st2, []string{filepath.Join(corpus, "2023_pingtan_1.html")}, ingest.Options{Reparse: true}); err != nil {
		t.Fatal(err)
	}
	if n := count(`SELECT count(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM search_indexed)`); n != 0 {
		t.Errorf("%d documents not indexed with IndexOnSave", n)
	}
}

func TestSearchSubword(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	if _, err := st.IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	// 申请 stands alone in some sections and only inside 依申请公开 or
	// 政府信息公开申请 in others: all are found, all snippets mark it.
	hits, err := st.Search(ctx, store.SearchQuery{Query: "申请", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	var want int
	st.DB().QueryRow(`SELECT count(*) FROM sections WHERE instr(text, '申请') > 0`).Scan(&want)
	if len(hits) != want {
		t.Errorf("%d hits for 申请, %d sections have it", len(hits), want)
	}
	for _, h := range hits {
		if !strings.Contains(h.Snippet, "【申请】") {
			t.Errorf("snippet lacks 【申请】: %s", h.Snippet)
		}
	}
}
