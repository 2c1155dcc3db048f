package ingest_test

// The bundled corpus imported, then analyzed, exported and searched: the
// store's queries on what the pipeline stores.

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport"
	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
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
	// a reviewer confirmed a value of a 2023 report: corrections has a line
	var sha string
	if err := st.DB().QueryRow(`SELECT sha256 FROM documents WHERE year = 2023 AND id IN (SELECT doc_id FROM cells WHERE tbl = 't3' AND row_key = 'new_received' AND col_key = 'total') LIMIT 1`).Scan(&sha); err != nil {
		t.Fatal(err)
	}
	if err := st.Correct(ctx, govreport.Correction{SHA256: sha, Table: "t3", Row: "new_received", Col: "total", Action: govreport.CorrectionConfirm}); err != nil {
		t.Fatal(err)
	}
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

// sectionsWith counts the sections of reports whose text matches the
// condition, read with SQL's own string functions.
func sectionsWith(t *testing.T, st *store.Store, cond string, args ...any) int {
	t.Helper()
	var n int
	if err := st.DB().QueryRow(`SELECT count(*) FROM sections s JOIN documents d ON d.id = s.doc_id WHERE d.status <> 'not_report' AND (`+cond+`)`, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestSearch(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	res, err := st.Search(ctx, store.SearchQuery{Query: "依申请公开", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) == 0 || res.Total != len(res.Hits) {
		t.Fatalf("依申请公开: %d hits of %d", len(res.Hits), res.Total)
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
	for _, h := range res.Hits {
		got[[2]int64{h.DocID, int64(h.Section)}] = true
		if !strings.Contains(h.Snippet, "【依申请公开】") {
			t.Errorf("doc %d section %d: snippet lacks 【依申请公开】: %s", h.DocID, h.Section, h.Snippet)
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
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i].Score > res.Hits[i-1].Score {
			t.Errorf("hit %d scores %v after %v", i, res.Hits[i].Score, res.Hits[i-1].Score)
		}
	}

	// Filters.
	res, err = st.Search(ctx, store.SearchQuery{Query: "依申请公开", Section: 1, YearFrom: 2023, YearTo: 2023, Agency: "平潭"})
	if err != nil {
		t.Fatal(err)
	}
	if want := sectionsWith(t, st, `instr(s.text, '依申请公开') > 0 AND s.number = 1 AND d.year = 2023 AND d.agency LIKE '%平潭%'`); len(res.Hits) != want || want == 0 {
		t.Errorf("with filters: %d hits, %d sections match", len(res.Hits), want)
	}
	for _, h := range res.Hits {
		if h.Section != 1 || h.Year != 2023 || !strings.Contains(h.Agency, "平潭") {
			t.Errorf("filters not applied: %+v", h)
		}
	}

	// Keywords are extracted apart from the index.
	if n, err := st.IndexPending(ctx, nil); err != nil || n == 0 {
		t.Fatalf("IndexPending: %d, %v", n, err)
	}
	if n, err := st.IndexPending(ctx, nil); err != nil || n != 0 {
		t.Fatalf("second IndexPending: %d, %v; want 0", n, err)
	}
	var kw int
	st.DB().QueryRow(`SELECT count(*) FROM section_keywords`).Scan(&kw)
	if kw == 0 {
		t.Error("no keywords stored")
	}
}

// Every section that contains the query's text is found, as SQL's own
// string functions find it, whatever a dictionary would cut: 依申请 inside
// 依申请公开 (three characters: the trigram index), 申请 (two: a scan);
// OR, NOT, phrases and the count of what the limit cut.
func TestSearchFindsWhatLikeFinds(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	for _, c := range []struct {
		query string
		cond  string
		args  []any
	}{
		{"依申请", `instr(s.text, ?) > 0`, []any{"依申请"}},
		{"申请", `instr(s.text, ?) > 0`, []any{"申请"}},
		{"公开*", `instr(s.text, ?) > 0`, []any{"公开"}},
		{"行政复议 OR 行政诉讼", `instr(s.text, ?) > 0 OR instr(s.text, ?) > 0`, []any{"行政复议", "行政诉讼"}},
		{"依申请 -复议", `instr(s.text, ?) > 0 AND instr(s.text, ?) = 0`, []any{"依申请", "复议"}},
		{"依申请 NOT 复议", `instr(s.text, ?) > 0 AND instr(s.text, ?) = 0`, []any{"依申请", "复议"}},
		{"政府信息 公开 申请", `instr(s.text, ?) > 0 AND instr(s.text, ?) > 0 AND instr(s.text, ?) > 0`, []any{"政府信息", "公开", "申请"}},
		{`"依申请公开"`, `instr(s.text, ?) > 0`, []any{"依申请公开"}},
		{"(行政复议 OR 行政诉讼) 纠正", `(instr(s.text, ?) > 0 OR instr(s.text, ?) > 0) AND instr(s.text, ?) > 0`, []any{"行政复议", "行政诉讼", "纠正"}},
	} {
		want := sectionsWith(t, st, c.cond, c.args...)
		res, err := st.Search(ctx, store.SearchQuery{Query: c.query, Limit: 3})
		if err != nil {
			t.Fatalf("%s: %v", c.query, err)
		}
		if want == 0 || res.Total != want || len(res.Hits) != min(3, want) || res.More() != want-len(res.Hits) {
			t.Errorf("%s: %d found, %d shown, %d more; %d sections match", c.query, res.Total, len(res.Hits), res.More(), want)
		}
	}
	var qe *store.QueryError
	if _, err := st.Search(ctx, store.SearchQuery{Query: `"依申请`}); !errors.As(err, &qe) {
		t.Errorf("an unclosed quote: %v", err)
	}
}

// The trigram index follows the sections as documents are reparsed and
// deleted; keywords follow reparses.
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
	intact := func(when string) {
		t.Helper()
		if _, err := st.DB().Exec(`INSERT INTO section_text (section_text) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("%s: the trigram index does not match the sections: %v", when, err)
		}
	}
	found := func() int {
		res, err := st.Search(ctx, store.SearchQuery{Query: "政府信息"})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	intact("after import")
	hits, kws := found(), count(`SELECT count(*) FROM section_keywords`)

	// Reparse every document: keywords go, the index follows.
	if _, err := ingest.Import(ctx, st, []string{corpus}, ingest.Options{Jobs: 2, Reparse: true}); err != nil {
		t.Fatal(err)
	}
	intact("after a reparse")
	if n := count(`SELECT count(*) FROM search_indexed`) + count(`SELECT count(*) FROM section_keywords`); n != 0 {
		t.Fatalf("%d keyword rows left after a reparse", n)
	}
	if found() != hits {
		t.Fatalf("%d sections found after a reparse, %d before", found(), hits)
	}
	n, err := st.IndexPending(ctx, nil)
	if err != nil || n != count(`SELECT count(*) FROM documents`) {
		t.Fatalf("IndexPending after reparse: %d, %v", n, err)
	}
	if count(`SELECT count(*) FROM section_keywords`) != kws {
		t.Fatal("keywords differ after reparse")
	}

	// A deleted document leaves nothing behind.
	var gone int
	st.DB().QueryRow(`SELECT count(*) FROM sections WHERE doc_id = (SELECT min(id) FROM documents) AND instr(text, '政府信息') > 0`).Scan(&gone)
	if _, err := st.DB().Exec(`DELETE FROM documents WHERE id = (SELECT min(id) FROM documents)`); err != nil {
		t.Fatal(err)
	}
	intact("after a delete")
	if found() != hits-gone || count(`SELECT count(*) FROM section_keywords WHERE doc_id NOT IN (SELECT id FROM documents)`) != 0 {
		t.Errorf("after a delete: %d found, want %d", found(), hits-gone)
	}

	// With keywords on save, a reparse extracts them in the same transaction.
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
		t.Errorf("%d documents without keywords with IndexOnSave", n)
	}
}

// A batch indexes its sections once, at its end: the same file twice in a
// batch that replaces (a reparse of a folder holding a copy), and a
// document that fails after the one before it was indexed for it, leave
// the trigram index matching the sections.
func TestSearchIndexWithinABatch(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	read := func(name string) *govreport.Document {
		path := filepath.Join(corpus, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return parse.Bytes(path, data, extract.Options{})
	}
	a, b := read("2023_pingtan_1.html"), read("2021_pingtan_1.html")
	again := *a
	broken := *a // fails at its cells, after its replacing took a's sections out
	broken.Cells = append(slices.Clone(a.Cells), a.Cells[0])
	check := func(when string, want int) {
		t.Helper()
		if _, err := st.DB().Exec(`INSERT INTO section_text (section_text) VALUES ('integrity-check')`); err != nil {
			t.Fatalf("%s: the trigram index does not match the sections: %v", when, err)
		}
		res, err := st.Search(ctx, store.SearchQuery{Query: "政府信息"})
		if err != nil {
			t.Fatal(err)
		}
		if n := sectionsWith(t, st, `instr(s.text, ?) > 0`, "政府信息"); res.Total != n || n != want {
			t.Errorf("%s: %d sections found, %d hold the words, want %d", when, res.Total, n, want)
		}
	}
	errs, err := st.SaveBatch(ctx, []*govreport.Document{a, b, &again}, true)
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] != nil {
		t.Fatalf("%v %v", errs, err)
	}
	want := sectionsWith(t, st, `instr(s.text, ?) > 0`, "政府信息")
	if want == 0 {
		t.Fatal("no section holds 政府信息")
	}
	check("the same file twice", want)
	errs, err = st.SaveBatch(ctx, []*govreport.Document{&again, b, &broken}, true)
	if err != nil || errs[0] != nil || errs[1] != nil || errs[2] == nil {
		t.Fatalf("want the third to fail: %v %v", errs, err)
	}
	check("after a failed replacement", want)
}
