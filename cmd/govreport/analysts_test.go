package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const corpus = "../../testdata/corpus"

func TestAnalystCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "a.db")
	if _, errs, code := runCLI(t, "import", "--quiet", "--db", db, corpus); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}

	out, errs, code := runCLI(t, "search", "--db", db, "--section", "1", "依申请公开")
	if code != 0 || !strings.Contains(out, "【依申请公开】") || !strings.Contains(out, "§1") {
		t.Fatalf("search: exit %d\n%s%s", code, out, errs)
	}
	if strings.Contains(out, "§2") || strings.Contains(out, "§3") {
		t.Errorf("search --section 1 shows other sections:\n%s", out)
	}

	csvPath := filepath.Join(t.TempDir(), "t3.csv")
	if _, errs, code := runCLI(t, "export", "--db", db, "--table", "t3", "--year", "2023-2024", "--out", csvPath); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(csvPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(b, []byte("\xEF\xBB\xBF")) {
		t.Error("export: no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(b[3:])).ReadAll()
	if err != nil || len(recs) < 2 {
		t.Fatalf("export: %d records, %v", len(recs), err)
	}
	for _, r := range recs[1:] {
		if r[2] != "2023" && r[2] != "2024" {
			t.Errorf("export --year 2023-2024 wrote year %s", r[2])
		}
	}
	if _, _, code := runCLI(t, "export", "--db", db, "--table", "t3", "--year", "2024-2023"); code == 0 {
		t.Error("export accepted a reversed year range")
	}

	// The corpus has stored failures (洪泽 2023, table 四): check fails.
	out, _, code = runCLI(t, "check", "--db", db, "--pairs")
	if code != 1 || !strings.Contains(out, "t4_row_total") || !strings.Contains(out, "paired (same name)") {
		t.Errorf("check: exit %d\n%s", code, out)
	}
	out, _, _ = runCLI(t, "check", "--db", db, "--format", "csv")
	if !strings.HasPrefix(out, "\ufeff") {
		t.Error("check --format csv: no BOM")
	}
	if recs, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\ufeff"))).ReadAll(); err != nil || len(recs) < 2 || recs[0][0] != "rule" {
		t.Errorf("check --format csv: %v\n%s", err, out)
	}

	// Search says how many sections matched and how many the limit cut.
	out, _, code = runCLI(t, "search", "--db", db, "--limit", "2", "依申请")
	if code != 0 || !strings.Contains(out, "\n2. ") || strings.Contains(out, "\n3. ") || !strings.Contains(out, "【依申请】") || !strings.Contains(out, " more (--limit)") {
		t.Errorf("search --limit 2: exit %d\n%s", code, out)
	}
	out, _, code = runCLI(t, "search", "--db", db, "--format", "json", "行政复议 OR 行政诉讼")
	var res struct {
		Total int
		Hits  []struct {
			DocID   int64 `json:"doc_id"`
			Snippet string
		}
	}
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Total == 0 || len(res.Hits) != min(res.Total, 20) || res.Hits[0].DocID == 0 {
		t.Errorf("search --format json: exit %d, %v\n%s", code, err, out)
	}
	if _, errs, code := runCLI(t, "search", "--db", db, `"依申请`); code != 1 || !strings.Contains(errs, "quote is not closed") {
		t.Errorf("a malformed query: exit %d: %s", code, errs)
	}
	out, _, code = runCLI(t, "keywords", "--db", db, "--year", "2023", "--limit", "5")
	if code != 0 || !strings.Contains(out, "  1. ") || !strings.Contains(out, "sections, weight") {
		t.Errorf("keywords: exit %d\n%s", code, out)
	}
}

// TestInstalledBinary copies the command (this test binary, which runs as
// govreport: see TestMain) elsewhere and runs it with an empty home, cache
// and module cache: the segmenter's dictionaries come from the binary, are
// written to the user cache directory, and only when keywords are
// extracted (not by import, not by search).
func TestInstalledBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("imports the corpus and loads the segmenter")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "bin", "govreport")
	if err := copyFile(os.Args[0], bin); err != nil {
		t.Fatal(err)
	}
	corpusAbs, _ := filepath.Abs(corpus)
	home, cache, work := filepath.Join(tmp, "home"), filepath.Join(tmp, "cache"), filepath.Join(tmp, "work")
	for _, d := range []string{home, cache, work, filepath.Join(tmp, "gomod")} {
		os.MkdirAll(d, 0o755)
	}
	env := append(os.Environ(), mainEnv+"=1", "HOME="+home, "XDG_CACHE_HOME="+cache, "GOMODCACHE="+filepath.Join(tmp, "gomod"), "GOPATH="+filepath.Join(tmp, "gopath"))
	runBin := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir, cmd.Env = work, env
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("govreport %s: %v\n%s", strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	runBin("import", "--quiet", "--db", "r.db", corpusAbs)
	if m, _ := filepath.Glob(filepath.Join(cache, "govreport", "jieba-*")); len(m) != 0 {
		t.Errorf("import wrote the segmenter's dictionaries: %v", m)
	}
	out := runBin("search", "--db", "r.db", "行政复议")
	if !strings.Contains(out, "【行政复议】") {
		t.Errorf("search 行政复议:\n%s", out)
	}
	if m, _ := filepath.Glob(filepath.Join(cache, "govreport", "jieba-*")); len(m) != 0 {
		t.Errorf("search wrote the segmenter's dictionaries: %v", m)
	}
	runBin("keywords", "--db", "r.db")
	m, _ := filepath.Glob(filepath.Join(cache, "govreport", "jieba-*", "jieba.dict.utf8"))
	if len(m) != 1 {
		t.Fatalf("dictionaries not written under XDG_CACHE_HOME: %v", m)
	}
	// A second run reuses them.
	runBin("index", "--db", "r.db")
	if m2, _ := filepath.Glob(filepath.Join(cache, "govreport", "*")); len(m2) != 1 {
		t.Errorf("cache holds %v", m2)
	}
}

// copyFile copies an executable file.
func copyFile(from, to string) error {
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	return os.WriteFile(to, data, 0o755)
}
