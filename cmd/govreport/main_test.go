package main

import (
	"bytes"
	"database/sql"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/mattn/go-sqlite3"

	"govreport"
)

const seed = "../../testdata/corpus/2020_zhongmou_commerce_seed.txt"

func runCLI(t *testing.T, args ...string) (string, string, int) {
	t.Helper()
	var out, errw bytes.Buffer
	code := run(args, &out, &errw)
	return out.String(), errw.String(), code
}

// golden is the hand-read golden of a real report (testdata/golden).
type golden struct {
	Year     int    `json:"year"`
	Agency   string `json:"agency"`
	Layout   string `json:"layout"`
	Sections []struct {
		Number       int
		Key, Heading string
	} `json:"sections"`
	Cells map[string]map[string]map[string]*float64 `json:"cells"`
	Short map[string][]float64                      `json:"short_rows"`
}

func readGolden(t *testing.T, name string) golden {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("../../testdata/golden", name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var g golden
	if err := json.Unmarshal(data, &g); err != nil {
		t.Fatal(err)
	}
	return g
}

// TestParseSeedGolden checks `parse --json` on the seed against the values
// read off the seed by hand (testdata/golden/2020_zhongmou_commerce_seed.txt.json).
func TestParseSeedGolden(t *testing.T) {
	out, errs, code := runCLI(t, "parse", "--json", seed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var d govreport.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	g := readGolden(t, "2020_zhongmou_commerce_seed.txt")
	if d.Year != 2020 || d.Agency != "中牟县商务局" || d.Layout != "2019" {
		t.Errorf("year %d agency %q layout %q, want 2020 中牟县商务局 2019", d.Year, d.Agency, d.Layout)
	}
	if len(d.Sections) != 6 {
		t.Fatalf("%d sections, want 6", len(d.Sections))
	}
	for i, s := range d.Sections {
		if s.Number != i+1 || s.Key != g.Sections[i].Key {
			t.Errorf("section %d: %d %s, want %d %s", i, s.Number, s.Key, i+1, g.Sections[i].Key)
		}
	}
	if !d.Sections[2].Missing || d.Sections[2].Heading != "" {
		t.Errorf("section 三 should be found with its heading missing: %+v", d.Sections[2])
	}
	if strings.Contains(d.Sections[3].Heading, "结转") {
		t.Errorf("四、结转下年度继续办理 read as section 四: %q", d.Sections[3].Heading)
	}
	got := map[string]govreport.Cell{}
	for _, c := range d.Cells {
		got[c.Table+"."+c.Row+"."+c.Col] = c
	}
	n := 0
	for tb, rows := range g.Cells {
		for row, cols := range rows {
			for col, want := range cols {
				n++
				c, ok := got[tb+"."+row+"."+col]
				switch {
				case !ok:
					t.Errorf("%s.%s.%s missing", tb, row, col)
				case want == nil && c.Value != nil, want != nil && (c.Value == nil || *c.Value != *want):
					t.Errorf("%s.%s.%s = %v, want %v (raw %q)", tb, row, col, c.Value, want, c.Raw)
				case len(c.Flags) > 0:
					t.Errorf("%s.%s.%s flagged %v though printed in full", tb, row, col, c.Flags)
				}
			}
		}
	}
	if n < 160 {
		t.Fatalf("golden has only %d cells", n)
	}
	// the short row prints six zeros for seven columns: every placement
	// leaves the unprinted cell forced to 0 by the identities, so the row is
	// stored, flagged inferred.
	if len(g.Short["t3.unable_not_held"]) != 6 {
		t.Fatalf("golden short row: %v", g.Short)
	}
	for _, col := range []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"} {
		c := got["t3.unable_not_held."+col]
		if c.Value == nil || *c.Value != 0 || !c.HasFlag(govreport.FlagInferred) {
			t.Errorf("t3.unable_not_held.%s = %v flags %v, want 0 inferred", col, c.Value, c.Flags)
		}
	}
}

func TestImportIdempotent(t *testing.T) {
	db := filepath.Join(t.TempDir(), "g.db")
	out, errs, code := runCLI(t, "import", "--db", db, "--quiet", seed, "../../testdata/corpus/2024_huaian_szf_1.pdf")
	if code != 0 {
		t.Fatalf("import exit %d: %s %s", code, out, errs)
	}
	out, _, code = runCLI(t, "import", "--db", db, "--quiet", seed, "../../testdata/corpus/2024_huaian_szf_1.pdf")
	if code != 0 || !strings.Contains(out, "0 imported, 2 already imported") {
		t.Fatalf("second import: exit %d: %s", code, out)
	}
	conn, err := sql.Open("sqlite3", db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var docs, cells int
	conn.QueryRow(`SELECT count(*) FROM documents`).Scan(&docs)
	conn.QueryRow(`SELECT count(*) FROM cells`).Scan(&cells)
	if docs != 2 {
		t.Fatalf("%d documents, want 2", docs)
	}
	// the t3 view reads like the printed table: 淮安 2024, row 一 (read off page 4)
	var np, com, tot int
	err = conn.QueryRow(`SELECT natural_person, commercial, total FROM t3 WHERE agency = '淮安市人民政府' AND row_key = 'new_received'`).Scan(&np, &com, &tot)
	if err != nil || np != 3001 || com != 53 || tot != 3119 {
		t.Fatalf("t3 view new_received: %d %d %d (%v), want 3001 53 3119", np, com, tot, err)
	}
	// row_order sorts the view as the table prints
	var first, last string
	conn.QueryRow(`SELECT row_key FROM t3 WHERE agency = '淮安市人民政府' ORDER BY row_order LIMIT 1`).Scan(&first)
	conn.QueryRow(`SELECT row_key FROM t3 WHERE agency = '淮安市人民政府' ORDER BY row_order DESC LIMIT 1`).Scan(&last)
	if first != "new_received" || last != "carried_forward" {
		t.Errorf("t3 by row_order runs %s … %s, want new_received … carried_forward", first, last)
	}
	// --reparse replaces, never duplicates
	runCLI(t, "import", "--db", db, "--quiet", "--reparse", seed)
	var docs2, cells2 int
	conn.QueryRow(`SELECT count(*) FROM documents`).Scan(&docs2)
	conn.QueryRow(`SELECT count(*) FROM cells`).Scan(&cells2)
	if docs2 != docs || cells2 != cells {
		t.Fatalf("reparse changed counts: docs %d→%d cells %d→%d", docs, docs2, cells, cells2)
	}
}

func TestImportBadFileGoesOn(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "broken.pdf")
	os.WriteFile(bad, []byte("%PDF-1.7\n1 0 obj << /Type /Catalog"), 0o644)
	data, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(dir, "seed.txt"), data, 0o644)
	db := filepath.Join(dir, "g.db")
	out, errs, code := runCLI(t, "import", "--db", db, "--quiet", dir)
	if code == 0 {
		t.Fatalf("exit 0 with a broken file: %s", out)
	}
	if !strings.Contains(errs, "broken.pdf") {
		t.Fatalf("error does not name the file: %q", errs)
	}
	if !strings.Contains(out, "1 imported") || !strings.Contains(out, "1 failed") {
		t.Fatalf("summary: %s", out)
	}
}

func TestHelp(t *testing.T) {
	out, _, code := runCLI(t, "--help")
	if code != 0 || !strings.Contains(out, "import") || !strings.Contains(out, "parse") {
		t.Fatalf("help: %d %s", code, out)
	}
	_, errs, code := runCLI(t, "import", "-h")
	if code != 0 || !strings.Contains(errs, "--reparse") && !strings.Contains(errs, "-reparse") {
		t.Fatalf("import -h: %d %s", code, errs)
	}
}

// A page printed to PDF by headless Chromium (fonts-wqy-zenhei) reads to
// the same cells as the HTML page it was printed from.
func TestBrowserPrintedPDFMatchesHTML(t *testing.T) {
	h, err := parseOne("../../testdata/corpus/2023_pingtan_1.html", "")
	if err != nil {
		t.Fatal(err)
	}
	p, err := parseOne("../../testdata/corpus/2023_pingtan_1_chromium.pdf", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Format != "pdf" || p.Year != h.Year || p.Agency != h.Agency || p.Layout != h.Layout {
		t.Errorf("pdf %s %d %q %s, html %d %q %s", p.Format, p.Year, p.Agency, p.Layout, h.Year, h.Agency, h.Layout)
	}
	val := func(c govreport.Cell) string {
		if c.Value == nil {
			return "NULL"
		}
		return fmt.Sprint(*c.Value)
	}
	want := map[string]string{}
	for _, c := range h.Cells {
		want[c.Table+"."+c.Row+"."+c.Col] = val(c)
	}
	if len(want) < 190 || len(p.Cells) != len(h.Cells) {
		t.Fatalf("html %d cells, pdf %d", len(h.Cells), len(p.Cells))
	}
	for _, c := range p.Cells {
		if k := c.Table + "." + c.Row + "." + c.Col; want[k] != val(c) {
			t.Errorf("%s: pdf %s, html %s", k, val(c), want[k])
		}
	}
}

// A page that only wraps a PDF: parse --json lists the attachment, resolved
// against the page URL. (No real wrapper page is in the corpus: this one is
// written here, in the shape such pages take.)
func TestParseWrapperPageAttachments(t *testing.T) {
	page := filepath.Join(t.TempDir(), "wrapper.html")
	os.WriteFile(page, []byte(`<html><head><meta charset="utf-8"><title>洪泽区2024年政府信息公开工作年度报告</title></head>
<body><div class="nav"><a href="/">首页</a></div><div class="article"><h1>洪泽区2024年政府信息公开工作年度报告</h1>
<p>详见附件：<a href="../../files/hzq2024.pdf">洪泽区2024年政府信息公开工作年度报告.pdf</a></p></div></body></html>`), 0o644)
	out, errs, _ := runCLI(t, "parse", "--json", "--url", "http://www.hongze.gov.cn/zwgk/nb/2025/t1.html", page)
	var d govreport.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatalf("%v: %s %s", err, out, errs)
	}
	if len(d.Attachments) != 1 || d.Attachments[0] != "http://www.hongze.gov.cn/zwgk/files/hzq2024.pdf" {
		t.Fatalf("attachments %v", d.Attachments)
	}
	if d.Status != govreport.StatusAttachment {
		t.Errorf("status %s, want %s", d.Status, govreport.StatusAttachment)
	}
}

// explain shows the inference made on glued digits (an archiver's text of
// 平潭 2023, testdata/variants).
func TestExplainShowsInference(t *testing.T) {
	out, errs, code := runCLI(t, "explain", "../../testdata/variants/2023_pingtan_1.html__archiver.txt")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"one placement satisfies the identities", "inferred", "Table t3", "section 3 applications"} {
		if !strings.Contains(out, want) {
			t.Errorf("explain output lacks %q", want)
		}
	}
}
