package main

import (
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const forms = "../../testdata/forms/"

// copyAs copies files into a new folder under the given names.
func copyAs(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, src := range files {
		b, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// docRow is what the documents table says of one imported file.
func docRow(t *testing.T, conn *sql.DB, dir, name string) (status, format, errText, meta string, cells int) {
	t.Helper()
	var id int
	err := conn.QueryRow(`SELECT id, status, format, coalesce(error, ''), coalesce(meta, '') FROM documents WHERE source = ?`, filepath.Join(dir, name)).
		Scan(&id, &status, &format, &errText, &meta)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	conn.QueryRow(`SELECT count(*) FROM cells WHERE doc_id = ? AND (value IS NOT NULL OR flags LIKE '%not_reported%')`, id).Scan(&cells)
	return
}

// Without LibreOffice the binary formats are stored unsupported, with the
// package to install, and stats counts them by reason; .docx and .xlsx are
// read all the same, and a password-protected or disguised file gets its
// own clear status.
func TestImportFormatsWithoutLibreOffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := copyAs(t, map[string]string{
		"2013.docx":        forms + "2013_pingtanxian_1.html__soffice.docx",
		"2013.doc":         forms + "2013_pingtanxian_1.html__soffice.doc",
		"template.wps":     forms + "template_blank_guoban2021_1.docx__soffice.doc",
		"2013tj.xlsx":      forms + "2013_pingtanxian_1.html__tables.xlsx",
		"2013tj.xls":       forms + "2013_pingtanxian_1.html__tables.xls",
		"page.docx":        "../../testdata/corpus/2023_pingtan_1.html",
		"secret.docx":      "../../extract/testdata/encrypted/template_blank_guoban2021_1_password.docx",
		"template.rtf.doc": forms + "template_blank_guoban2021_1.docx__soffice.rtf",
	})
	db := filepath.Join(t.TempDir(), "f.db")
	out, errs, code := runCLI(t, "import", "--db", db, "--quiet", "--isolate=false", dir)
	if code != 1 || !strings.Contains(errs, "secret.docx: error: docx: encrypted: the package is protected by a password") {
		t.Errorf("import: exit %d (want 1: the encrypted file failed)\n%s%s", code, out, errs)
	}
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, tc := range []struct {
		name, status, format, err string
		cells                     int
	}{
		{"2013.docx", "ok", "docx", "", 34},
		{"2013tj.xlsx", "ok", "xlsx", "", 34},
		{"page.docx", "ok", "html", "", 200},
		{"2013.doc", "unsupported", "doc", "reading doc needs LibreOffice, which is not installed (no soffice in PATH): install the Debian package libreoffice-writer-nogui", 0},
		{"template.wps", "unsupported", "wps", "install the Debian package libreoffice-writer-nogui", 0},
		{"template.rtf.doc", "unsupported", "rtf", "install the Debian package libreoffice-writer-nogui", 0},
		{"2013tj.xls", "unsupported", "xls", "install the Debian package libreoffice-calc-nogui", 0},
		{"secret.docx", "error", "docx", "protected by a password", 0},
	} {
		status, format, e, meta, cells := docRow(t, conn, dir, tc.name)
		if status != tc.status || format != tc.format || !strings.Contains(e, tc.err) || cells != tc.cells {
			t.Errorf("%s: %s %s %q, %d cells; want %s %s %q, %d cells", tc.name, status, format, e, cells, tc.status, tc.format, tc.err, tc.cells)
		}
		if tc.name == "2013tj.xlsx" && !strings.Contains(meta, `"content":"tables"`) {
			t.Errorf("%s: meta %s", tc.name, meta)
		}
	}
	out, errs, code = runCLI(t, "stats", "--db", db)
	for _, want := range []string{
		"not read: 1 × xls: unsupported format: reading xls needs LibreOffice, which is not installed (no soffice in PATH): install the Debian package libreoffice-calc-nogui\n",
		"not read: 1 × doc: unsupported format: reading doc needs LibreOffice, which is not installed (no soffice in PATH): install the Debian package libreoffice-writer-nogui\n",
		"not read: 1 × wps: unsupported format: reading wps needs LibreOffice",
		"not read: 1 × rtf: unsupported format: reading rtf needs LibreOffice",
	} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("stats: exit %d, want %q in\n%s%s", code, want, out, errs)
		}
	}
}

// Without Tesseract a scanned PDF is stored no_text, with the packages to
// install, and stats lists it with the reason.
func TestImportScanWithoutOCR(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	dir := copyAs(t, map[string]string{"scan.pdf": "../../testdata/scans/2024_hongze_qzf_1.pdf__scan150.pdf"})
	db := filepath.Join(t.TempDir(), "s.db")
	if out, errs, code := runCLI(t, "import", "--db", db, "--quiet", "--isolate=false", dir); code != 1 {
		t.Errorf("import: exit %d (want 1: the scan was not read)\n%s%s", code, out, errs)
	}
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	const install = "install tesseract-ocr tesseract-ocr-chi-sim poppler-utils"
	if status, format, e, _, _ := docRow(t, conn, dir, "scan.pdf"); status != "no_text" || format != "pdf" || !strings.Contains(e, install) {
		t.Errorf("scan.pdf: %s %s %q, want no_text pdf naming the packages", status, format, e)
	}
	out, errs, code := runCLI(t, "stats", "--db", db)
	if want := "not read: 1 × pdf: pdf: no text layer; OCR unavailable: " + install; code != 0 || !strings.Contains(out, want) {
		t.Errorf("stats: exit %d, want %q in\n%s%s", code, want, out, errs)
	}
}

// With LibreOffice, .doc and .xls read as the .docx and .xlsx saved from
// the same page do, keep their format and record the conversion.
func TestImportConvertedFormats(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed: Debian packages libreoffice-writer-nogui, libreoffice-calc-nogui")
	}
	dir := copyAs(t, map[string]string{
		"2013.docx":   forms + "2013_pingtanxian_1.html__soffice.docx",
		"2013.doc":    forms + "2013_pingtanxian_1.html__soffice.doc",
		"2013tj.xlsx": forms + "2013_pingtanxian_1.html__tables.xlsx",
		"2013tj.xls":  forms + "2013_pingtanxian_1.html__tables.xls",
	})
	db := filepath.Join(t.TempDir(), "f.db")
	if out, errs, code := runCLI(t, "import", "--db", db, "--quiet", "--isolate=false", dir); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	cellsOf := func(name string) string {
		rows, err := conn.Query(`SELECT c.row_label || '|' || c.col_key || '|' || coalesce(c.value, 'null') FROM cells c JOIN documents d ON d.id = c.doc_id
			WHERE d.source = ? ORDER BY c.row_key, c.col_key`, filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var out []string
		for rows.Next() {
			var s string
			rows.Scan(&s)
			out = append(out, s)
		}
		return strings.Join(out, "\n")
	}
	for _, pair := range [][2]string{{"2013.doc", "2013.docx"}, {"2013tj.xls", "2013tj.xlsx"}} {
		status, format, e, meta, n := docRow(t, conn, dir, pair[0])
		if status != "ok" || format != strings.TrimPrefix(filepath.Ext(pair[0]), ".") || e != "" || n != 34 || !strings.Contains(meta, "by LibreOffice") {
			t.Errorf("%s: %s %s %q, %d cells, meta %s", pair[0], status, format, e, n, meta)
		}
		if a, b := cellsOf(pair[0]), cellsOf(pair[1]); a != b || a == "" {
			t.Errorf("%s and %s read different cells:\n%s\n--\n%s", pair[0], pair[1], a, b)
		}
	}
}
