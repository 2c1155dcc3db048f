package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

const hongze = "../../testdata/corpus/2023_hongze_qzf_1.pdf"

// t4Total is table 四's 行政复议 总计 in a database's view, and its flags.
func t4Total(t *testing.T, db string) (string, string) {
	t.Helper()
	st, err := store.Open(db, storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var total, flags string
	st.DB().QueryRow(`SELECT coalesce(total, ''), coalesce(flags, '') FROM t4 WHERE row_key = 'review'`).Scan(&total, &flags)
	return total, flags
}

// Corrections made in one database are exported, imported into another
// (once), and apply there, also when the document comes after them.
func TestCorrectionsImport(t *testing.T) {
	dir := t.TempDir()
	pdf := abs(t, hongze)
	if _, errs, code := gov(t, dir, "import", "--quiet", "--db", "a.db", pdf); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	// 行政复议 prints 10 1 0 0 and 总计 0: a reviewer sets 11
	st, err := store.Open(filepath.Join(dir, "a.db"), storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	var sha string
	st.DB().QueryRow(`SELECT sha256 FROM documents`).Scan(&sha)
	v := 11.0
	if err := st.Correct(context.Background(), govreport.Correction{SHA256: sha, Table: "t4", Row: "review", Col: "total", Value: &v, Note: "10 + 1", Author: "a"}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	if _, errs, code := gov(t, dir, "export", "--db", "a.db", "--table", "corrections", "--out", "c.csv"); code != 0 {
		t.Fatalf("export: %s", errs)
	}

	// into a database that holds the document
	gov(t, dir, "import", "--quiet", "--db", "b.db", pdf)
	if total, _ := t4Total(t, filepath.Join(dir, "b.db")); total != "0" {
		t.Fatalf("b.db before: 总计 %s, want 0 as printed", total)
	}
	out, errs, code := gov(t, dir, "corrections", "import", "--db", "b.db", "c.csv")
	if code != 0 || out != "c.csv: 1 corrections recorded, 0 already recorded\n" {
		t.Errorf("corrections import: exit %d\n%s%s", code, out, errs)
	}
	if total, flags := t4Total(t, filepath.Join(dir, "b.db")); total != "11" || !strings.Contains(flags, "corrected") {
		t.Errorf("b.db after: 总计 %s flags %q, want 11 corrected", total, flags)
	}
	if out, _, _ := gov(t, dir, "corrections", "import", "--db", "b.db", "c.csv"); out != "c.csv: 0 corrections recorded, 1 already recorded\n" {
		t.Errorf("again: %q", out)
	}

	// into a new database, before the document: it applies once imported
	out, _, _ = gov(t, dir, "corrections", "import", "--db", "c.db", "c.csv")
	if !strings.Contains(out, "1 of documents or cells this database does not hold (they apply when the documents are imported)") {
		t.Errorf("before the document: %q", out)
	}
	gov(t, dir, "import", "--quiet", "--db", "c.db", pdf)
	if total, _ := t4Total(t, filepath.Join(dir, "c.db")); total != "11" {
		t.Errorf("c.db: 总计 %s, want the correction's 11", total)
	}

	// a cell the reader did not store, of a row the template defines: 平潭's
	// 2021 report printed with its zeros blank leaves row （三）2
	// (其他法律行政法规禁止公开) blank, its pdftotext raw print is read
	// without it; the report as published prints 总计 0
	blank := abs(t, "../../testdata/variants/2021_pingtan_1.html__chromium_blank_pdftotext_raw.txt")
	gov(t, dir, "import", "--quiet", "--db", "b.db", blank)
	data, err := os.ReadFile(blank)
	if err != nil {
		t.Fatal(err)
	}
	blankSHA := fmt.Sprintf("%x", sha256.Sum256(data))
	os.WriteFile(filepath.Join(dir, "fill.csv"), []byte("sha256,tbl,row_key,col_key,value,note\n"+blankSHA+",t3,denied_law_forbidden,total,0,printed blank\n"), 0o644)
	if out, errs, code := gov(t, dir, "corrections", "import", "--db", "b.db", "fill.csv"); code != 0 || out != "fill.csv: 1 corrections recorded, 0 already recorded\n" {
		t.Errorf("a filled-in cell: exit %d\n%s%s", code, out, errs)
	}
	st, err = store.Open(filepath.Join(dir, "b.db"), storeOptions())
	if err != nil {
		t.Fatal(err)
	}
	var carried, fflags string
	st.DB().QueryRow(`SELECT coalesce(total, ''), coalesce(flags, '') FROM t3 WHERE row_key = 'denied_law_forbidden' AND doc_id = (SELECT id FROM documents WHERE sha256 = ?)`, blankSHA).Scan(&carried, &fflags)
	st.Close()
	if carried != "0" || fflags != "corrected" {
		t.Errorf("b.db t3 denied_law_forbidden: total %q flags %q, want 0 corrected", carried, fflags)
	}

	// a malformed file names its line, and nothing is imported
	os.WriteFile(filepath.Join(dir, "bad.csv"), []byte("sha256,tbl,row_key,col_key,value\n"+sha+",t4,review,total,11\n"+sha+",t4,review,upheld,ten\n"), 0o644)
	if _, errs, code := gov(t, dir, "corrections", "import", "--db", "b.db", "bad.csv"); code != 1 || !strings.Contains(errs, `bad.csv:3: value "ten": want a number`) {
		t.Errorf("bad.csv: exit %d %q", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "nosha.csv"), []byte("tbl,row_key,col_key,value\nt4,review,total,11\n"), 0o644)
	if _, errs, code := gov(t, dir, "corrections", "import", "--db", "b.db", "nosha.csv"); code != 1 || !strings.Contains(errs, "nosha.csv:1: no column sha256") {
		t.Errorf("nosha.csv: exit %d %q", code, errs)
	}
	os.WriteFile(filepath.Join(dir, "badsha.csv"), []byte("sha256,tbl,row_key,col_key,value\nabc,t4,review,total,11\n"), 0o644)
	if _, errs, code := gov(t, dir, "corrections", "import", "--db", "b.db", "badsha.csv"); code != 1 || !strings.Contains(errs, `badsha.csv:2: sha256 "abc": want 64 hexadecimal digits`) {
		t.Errorf("badsha.csv: exit %d %q", code, errs)
	}
}
