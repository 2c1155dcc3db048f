package main

import (
	"bytes"
	"context"
	"crypto/sha256"
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

// parse --json prints the whole document the parse reads, under the field
// names the README promises other tools (the cells' values are the
// accuracy test's, in normalize).
func TestParseJSON(t *testing.T) {
	out, errs, code := runCLI(t, "parse", "--json", seed)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	d, err := parseOne(context.Background(), seed, "", &limits{isolate: true})
	if err != nil {
		t.Fatal(err)
	}
	var want bytes.Buffer
	enc := json.NewEncoder(&want)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Errorf("parse --json does not print the parsed document:\n%.600s", out)
	}
	data, err := os.ReadFile(seed)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Source, SHA256 string
		Sections       []map[string]any
		Cells          []map[string]any
		Checks         []map[string]any
	}
	var top map[string]any
	if err := json.Unmarshal([]byte(out), &top); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Source != seed || doc.SHA256 != fmt.Sprintf("%x", sha256.Sum256(data)) {
		t.Errorf("source %q sha256 %s, want the path given and the file's sha256", doc.Source, doc.SHA256)
	}
	if len(doc.Sections) == 0 || len(doc.Cells) == 0 || len(doc.Checks) == 0 {
		t.Fatalf("%d sections, %d cells, %d checks", len(doc.Sections), len(doc.Cells), len(doc.Checks))
	}
	for what, fields := range map[string]struct {
		obj  map[string]any
		keys string
	}{
		"document": {top, "source sha256 format title agency year layout sections cells checks warnings"},
		"section":  {doc.Sections[0], "number key heading text"},
		"cell":     {doc.Cells[0], "table row col value raw row_label col_label flags pos"},
		"check":    {doc.Checks[0], "rule table scope status left right"},
	} {
		for _, k := range strings.Fields(fields.keys) {
			if _, ok := fields.obj[k]; !ok {
				t.Errorf("%s lacks the field %q", what, k)
			}
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
	out, errs, code := runCLI(t, "import", "-h")
	if code != 0 || !strings.Contains(out, "--reparse") || errs != "" {
		t.Fatalf("import -h: exit %d, stdout %q, stderr %q", code, out, errs)
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
