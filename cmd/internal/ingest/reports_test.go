package ingest_test

// Reports, not files; agencies and their regions; legacy indicators: the
// bundled corpus imported as govreport imports it.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"govreport"
	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/store"
)

// importEach imports files one at a time, in order, into a new database.
func importEach(t *testing.T, files ...string) *store.Store {
	t.Helper()
	st := openStore(t)
	for _, f := range files {
		if _, err := ingest.Import(context.Background(), st, []string{f}, ingest.Options{Jobs: 1}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// reportOf returns the report id and representative of the document
// imported from a file whose path ends with name.
func reportOf(t *testing.T, st *store.Store, name string) (report, rep int64) {
	t.Helper()
	err := st.DB().QueryRow(`SELECT r.id, r.doc_id FROM documents d JOIN reports r ON r.id = d.report_id WHERE d.source LIKE '%' || ?`, name).Scan(&report, &rep)
	if err != nil {
		t.Fatalf("%s: no report: %v", name, err)
	}
	return report, rep
}

func TestReportsOfTheCorpus(t *testing.T) {
	st := openCorpus(t)
	db := st.DB()
	// The 2023 Pingtan page and its Chromium print are one report; so are
	// the 2024 Huai'an PDF and the excerpt of its pages 4–5, which names
	// no agency and no year.
	page, _ := reportOf(t, st, "/2023_pingtan_1.html")
	print, _ := reportOf(t, st, "/2023_pingtan_1_chromium.pdf")
	if page != print {
		t.Errorf("2023 Pingtan: page in report %d, its PDF in %d", page, print)
	}
	pdf, rep := reportOf(t, st, "/2024_huaian_szf_1.pdf")
	excerpt, _ := reportOf(t, st, "/2024_huaian_szf_2.txt")
	if pdf != excerpt {
		t.Errorf("2024 Huai'an: PDF in report %d, its excerpt in %d", pdf, excerpt)
	}
	var repSource string
	db.QueryRow(`SELECT source FROM documents WHERE id = ?`, rep).Scan(&repSource)
	if !strings.HasSuffix(repSource, "2024_huaian_szf_1.pdf") {
		t.Errorf("2024 Huai'an is represented by %s, not by the whole report", repSource)
	}
	// Every other readable document is a report of its own: 12 files, two
	// pairs; the blank template (no agency, no year, no value) is a report
	// the views leave out.
	var reports, readable int
	db.QueryRow(`SELECT count(*) FROM reports`).Scan(&reports)
	db.QueryRow(`SELECT count(*) FROM documents WHERE status IN ('ok', 'partial')`).Scan(&readable)
	if readable != 12 || reports != 10 {
		t.Errorf("%d readable documents in %d reports, want 12 in 10", readable, reports)
	}

	// One row per report: 一、本年新收 of Pingtan 2023 sums to its printed
	// total (81), not twice it.
	var sum float64
	db.QueryRow(`SELECT sum(total) FROM t3 WHERE row_key = 'new_received' AND year = 2023 AND agency LIKE '%平潭%'`).Scan(&sum)
	if sum != 81 {
		t.Errorf("sum(total) of new applications, Pingtan 2023 = %v, want 81", sum)
	}
	for _, v := range []string{"t2", "t3", "t4", "measures", "legacy"} {
		var dup, blank int
		db.QueryRow(`SELECT count(*) FROM (SELECT 1 FROM ` + v + ` GROUP BY report_id` + map[bool]string{true: "", false: ", row_key"}[v == "measures"] + ` HAVING count(*) > 1)`).Scan(&dup)
		db.QueryRow(`SELECT count(*) FROM ` + v + ` WHERE coalesce(agency, '') = '' OR year IS NULL OR province IS NULL`).Scan(&blank)
		if dup != 0 || blank != 0 {
			t.Errorf("view %s: %d report rows shown more than once, %d rows without agency, year or province", v, dup, blank)
		}
	}
	// The documents behind a report are one join away.
	var docs int
	db.QueryRow(`SELECT count(*) FROM t3 JOIN documents d USING (report_id) WHERE t3.row_key = 'new_received' AND t3.year = 2024 AND t3.agency = '淮安市人民政府'`).Scan(&docs)
	if docs != 2 {
		t.Errorf("Huai'an 2024: %d documents behind the report, want 2", docs)
	}
}

// The grouping does not depend on the order files arrive in: an excerpt
// imported before its report is taken in when the report comes.
func TestReportsInEitherOrder(t *testing.T) {
	pdf, excerpt := filepath.Join(corpus, "2024_huaian_szf_1.pdf"), filepath.Join(corpus, "2024_huaian_szf_2.txt")
	for _, order := range [][]string{{pdf, excerpt}, {excerpt, pdf}} {
		st := importEach(t, order...)
		a, repA := reportOf(t, st, "/2024_huaian_szf_1.pdf")
		b, _ := reportOf(t, st, "/2024_huaian_szf_2.txt")
		var n int
		var agency string
		var year int
		st.DB().QueryRow(`SELECT count(*) FROM reports`).Scan(&n)
		st.DB().QueryRow(`SELECT a.name, r.year FROM reports r JOIN agencies a ON a.id = r.agency_id WHERE r.id = ?`, a).Scan(&agency, &year)
		var repSource string
		st.DB().QueryRow(`SELECT source FROM documents WHERE id = ?`, repA).Scan(&repSource)
		if a != b || n != 1 || agency != "淮安市人民政府" || year != 2024 || !strings.HasSuffix(repSource, ".pdf") {
			t.Errorf("order %s: reports %d and %d of %d, agency %s %d, represented by %s", filepath.Base(order[0]), a, b, n, agency, year, repSource)
		}
	}
}

// A planted disagreement: the 2023 Pingtan page with one value of table
// 三 changed (予以公开 by natural persons, printed 22) beside the PDF of
// the original page. They stay one report, and check reports the value
// each prints.
func TestTwinsDisagree(t *testing.T) {
	page, err := os.ReadFile(filepath.Join(corpus, "2023_pingtan_1.html"))
	if err != nil {
		t.Fatal(err)
	}
	at := bytes.Index(page, []byte("予以公开</p>"))
	cell := []byte(`<p style="text-indent: 0em;">22</p>`)
	i := bytes.Index(page[at:], cell)
	if at < 0 || i < 0 {
		t.Fatal("the 予以公开 row's first cell is not where it was")
	}
	planted := append(append(append([]byte{}, page[:at+i]...), []byte(`<p style="text-indent: 0em;">23</p>`)...), page[at+i+len(cell):]...)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "2023_pingtan_planted.html"), planted, 0o644); err != nil {
		t.Fatal(err)
	}
	st := importEach(t, filepath.Join(corpus, "2023_pingtan_1_chromium.pdf"), filepath.Join(dir, "2023_pingtan_planted.html"))
	a, _ := reportOf(t, st, "/2023_pingtan_1_chromium.pdf")
	b, _ := reportOf(t, st, "/2023_pingtan_planted.html")
	if a != b {
		t.Fatalf("the twins are reports %d and %d", a, b)
	}
	an, err := st.Analyze(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var twins []store.Finding
	for _, f := range an.Findings {
		if f.Rule == store.RuleTwins {
			twins = append(twins, f)
		}
	}
	if len(twins) != 1 {
		t.Fatalf("twin findings: %+v", twins)
	}
	f := twins[0]
	// the PDF represents the report: the planted page fails its row total
	if f.Table != "t3" || f.Scope != "granted.natural_person" || *f.Left != 22 || *f.Right != 23 || len(f.Docs) != 2 || f.Severity != store.SeverityFail {
		t.Errorf("twin finding: %+v %v %v", f, *f.Left, *f.Right)
	}
}

// 洪泽区人民政府 (2023) and 淮安市洪泽区人民政府 (2024) are one agency, in
// 淮安市洪泽区 (GB/T 2260 320813), and the views carry its region.
func TestAgenciesOfTheCorpus(t *testing.T) {
	st := openCorpus(t)
	db := st.DB()
	var n int
	var names string
	db.QueryRow(`SELECT count(DISTINCT a.id), group_concat(DISTINCT n.name) FROM agencies a JOIN agency_names n ON n.agency_id = a.id
		WHERE a.name LIKE '%洪泽区人民政府'`).Scan(&n, &names)
	seen := strings.Split(names, ",")
	slices.Sort(seen)
	if n != 1 || !slices.Equal(seen, []string{"洪泽区人民政府", "淮安市洪泽区人民政府"}) {
		t.Errorf("洪泽: %d agencies, names %s", n, names)
	}
	rows, err := db.Query(`SELECT year, agency, province, city, county, region_code, level, kind FROM t3 WHERE row_key = 'new_received' AND county = '洪泽区' ORDER BY year`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var year int
		var agency, province, city, county, code, level, kind string
		rows.Scan(&year, &agency, &province, &city, &county, &code, &level, &kind)
		got = append(got, strings.Join([]string{agency, province, city, county, code, level, kind}, " "))
	}
	want := "淮安市洪泽区人民政府 江苏省 淮安市 洪泽区 320813 county government"
	if len(got) != 2 || got[0] != want || got[1] != want {
		t.Errorf("洪泽 in t3:\n%q\nwant twice %q", got, want)
	}
	// The two reports pair across years as one agency's.
	a, err := st.Analyze(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	paired := false
	for _, p := range a.Pairs {
		paired = paired || p.Prev.Year == 2023 && p.Next.Year == 2024 && p.Key == "淮安市洪泽区人民政府"
	}
	if !paired {
		t.Errorf("洪泽 2023–2024 not paired: %+v", a.Pairs)
	}
}

// The statistics of 2008–2018 reports reach the legacy view and measures:
// Pingtan county 2013 received 7 applications and answered 3, granting 2
// in full and 1 in part (its 统计表, 2013年度 column).
func TestLegacySeries(t *testing.T) {
	st := openCorpus(t)
	db := st.DB()
	got := map[string]float64{}
	rows, err := db.Query(`SELECT indicator, value FROM legacy WHERE year = 2013 AND comparable = 1`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var k string
		var v float64
		rows.Scan(&k, &v)
		got[k] = v
	}
	rows.Close()
	for k, v := range map[string]float64{"applications_received": 7, "replies_total": 3, "granted": 2, "partially_granted": 1, "denied": 0, "reviews": 0, "lawsuits": 0} {
		if x, ok := got[k]; !ok || x != v {
			t.Errorf("legacy 2013 %s = %v (%v), want %v", k, x, ok, v)
		}
	}
	var from string
	var received, processed, rate float64
	if err := db.QueryRow(`SELECT indicators_from, received, total_processed, grant_rate FROM measures WHERE year = 2013`).Scan(&from, &received, &processed, &rate); err != nil {
		t.Fatal(err)
	}
	if from != "legacy" || received != 7 || processed != 3 || rate != 1 {
		t.Errorf("measures 2013: from %s, received %v, processed %v, grant rate %v", from, received, processed, rate)
	}
}

// export --table cells writes every stored cell of every document (twins
// included), with its flags and where it was printed.
func TestExportCells(t *testing.T) {
	st := openCorpus(t)
	var buf bytes.Buffer
	n, err := st.Export(context.Background(), &buf, store.ExportOptions{Table: "cells", Format: "jsonl"})
	if err != nil {
		t.Fatal(err)
	}
	var cells int
	st.DB().QueryRow(`SELECT count(*) FROM cells`).Scan(&cells)
	if n != cells || cells == 0 {
		t.Fatalf("%d lines for %d cells", n, cells)
	}
	placed, flagged := 0, 0
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		for _, k := range []string{"doc_id", "report_id", "tbl", "row_key", "col_key", "value", "raw", "row_label", "flags", "page", "line", "x", "y"} {
			if _, ok := m[k]; !ok {
				t.Fatalf("no %s in %s", k, l)
			}
		}
		if strings.HasSuffix(m["source"].(string), ".pdf") && m["page"] != nil && m["x"] != nil {
			placed++
		}
		if m["flags"] != "" {
			flagged++
		}
	}
	if placed == 0 || flagged == 0 {
		t.Errorf("%d PDF cells with a page and x, %d flagged", placed, flagged)
	}
}

// Files that are not reports, imported beside one (notes, a spreadsheet's
// CSV, a file list renamed .txt), are stored as not_report: counted by
// Stats, left out of reports, the views and measures.
func TestNotReportsImported(t *testing.T) {
	dir := copyFiles(t, "2023_pingtan_1.html")
	st := openCorpus(t)
	var csvOut bytes.Buffer
	if _, err := st.Export(context.Background(), &csvOut, store.ExportOptions{Table: "t3"}); err != nil {
		t.Fatal(err)
	}
	for name, from := range map[string]string{"notes.txt": "../../../testdata/golden/README.md", "MANIFEST.txt": corpus + "/MANIFEST.tsv"} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "data.csv"), csvOut.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	st2 := openStore(t)
	ctx := context.Background()
	if _, err := ingest.Import(ctx, st2, []string{dir}, ingest.Options{Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for src, r := range rows(t, st2) {
		got[filepath.Base(src)] = r.status
	}
	for _, f := range []string{"notes.txt", "MANIFEST.txt", "data.csv"} {
		if got[f] != "not_report" {
			t.Errorf("%s: status %q, want not_report", f, got[f])
		}
	}
	s, err := st2.Stats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var inViews, inMeasures int
	st2.DB().QueryRow(`SELECT count(DISTINCT doc_id) FROM (SELECT doc_id FROM t2 UNION ALL SELECT doc_id FROM t3 UNION ALL SELECT doc_id FROM t4 UNION ALL SELECT doc_id FROM legacy)`).Scan(&inViews)
	st2.DB().QueryRow(`SELECT count(*) FROM measures`).Scan(&inMeasures)
	if s.NotReports != 3 || s.Reports != 1 || inViews != 1 || inMeasures != 1 {
		t.Errorf("%d not reports, %d reports, %d documents in the views, %d rows in measures; want 3, 1, 1, 1", s.NotReports, s.Reports, inViews, inMeasures)
	}
}

// The README's queries run on the bundled corpus; those that show agencies
// show where they are (province) and no row without an agency.
func TestReadmeQueries(t *testing.T) {
	readme, err := os.ReadFile("../../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	st := openCorpus(t)
	blocks := strings.Split(string(readme), "```sql\n")[1:]
	if len(blocks) < 5 {
		t.Fatalf("%d SQL blocks in the README", len(blocks))
	}
	for _, b := range blocks {
		q := strings.TrimSpace(b[:strings.Index(b, "```")])
		rows, err := st.DB().Query(q)
		if err != nil {
			t.Errorf("%v\n%s", err, q)
			continue
		}
		cols, _ := rows.Columns()
		agency := slices.Index(cols, "agency")
		if agency >= 0 && !slices.Contains(cols, "province") {
			t.Errorf("shows agencies without their province:\n%s", q)
		}
		n := 0
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			n++
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			if agency >= 0 && (vals[agency] == nil || fmt.Sprint(vals[agency]) == "") {
				t.Errorf("a row without an agency: %v\n%s", vals, q)
			}
		}
		rows.Close()
		t.Logf("%d rows: %s", n, strings.SplitN(q, "\n", 2)[0])
	}
}

// An agency whose name places it nowhere takes its region from the
// crawler's seed, else from the reports the database holds from the same
// site (the 2023 Pingtan page, as the crawler would store it).
func TestPublisherFromSeedAndHost(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	data, err := os.ReadFile(filepath.Join(corpus, "2023_pingtan_1.html"))
	if err != nil {
		t.Fatal(err)
	}
	page := parse.Bytes("https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm", data, extract.Options{})
	if err := ingest.SetPublisher(ctx, st, page, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(ctx, page, false); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		source, seed, from, name string
	}{
		{"https://www.pingtan.gov.cn/zwgk/czj/2024.htm", "平潭综合实验区管委会", "seed", "福州市平潭县财政金融局"},
		{"https://www.pingtan.gov.cn/zwgk/czj/2024.htm", "", "host", "福州市平潭县财政金融局"},
		{"https://other.example.cn/2024.htm", "", "", "财政金融局"},
	} {
		d := &govreport.Document{Source: c.source, Agency: "财政金融局"}
		if err := ingest.SetPublisher(ctx, st, d, c.seed); err != nil {
			t.Fatal(err)
		}
		if d.Publisher.RegionFrom != c.from || d.Publisher.Name != c.name || c.from != "" && d.Publisher.Region.CountyCode != "350128" {
			t.Errorf("%s, seed %q: %+v", c.source, c.seed, d.Publisher)
		}
	}
}
