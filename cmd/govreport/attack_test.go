package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The attacks of an adversarial trial (issue 19), each run against the
// command as a user runs it.

// copyCorpus copies files of testdata/corpus into a new folder.
func copyCorpus(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		if err := copyFile(filepath.Join(corpus, n), filepath.Join(dir, n)); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// govEnv is gov with variables added to the environment.
func govEnv(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	cmd := self(context.Background(), args...)
	cmd.Env = append(cmd.Env, env...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	cmd.Run()
	return out.String(), errw.String(), cmd.ProcessState.ExitCode()
}

// A parse worker killed from outside (the OOM killer) made a valid PDF a
// stored failure ("write |1: broken pipe") that reruns never retried.
// Now the file is parsed again in a fresh worker; killed again, it is
// reported and not stored, and the next run imports it.
func TestWorkerKilledFromOutside(t *testing.T) {
	dir := copyCorpus(t, "2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2020_zhongmou_commerce_seed.txt")
	db := filepath.Join(t.TempDir(), "x.db")
	out, errs, code := govEnv(t, []string{killEnv + "=2023_hongze_qzf_1.pdf"}, "import", "--quiet", "--db", db, dir)
	if code != 1 || !strings.Contains(out, "3 files: 2 imported, 0 already imported, 1 failed") {
		t.Fatalf("import with a worker killed on one file: exit %d\n%s%s", code, out, errs)
	}
	want := "2023_hongze_qzf_1.pdf: parser process killed by signal killed (out of memory?); not stored: the next run parses it again"
	if !strings.Contains(errs, want) {
		t.Errorf("the log says %q, want %q", errs, want)
	}
	if n := count(t, db, `SELECT count(*) FROM documents`); n != 2 {
		t.Errorf("%d documents stored, want the 2 not killed", n)
	}
	out, errs, code = gov(t, dir, "import", "--quiet", "--db", db, dir)
	if code != 0 || !strings.Contains(out, "3 files: 1 imported, 2 already imported, 0 failed") {
		t.Errorf("rerun: exit %d\n%s%s", code, out, errs)
	}
	if n := count(t, db, `SELECT count(*) FROM documents WHERE status = 'ok'`); n != 3 {
		t.Errorf("%d documents ok after the rerun, want 3", n)
	}
}

// parse and explain read a file through the same child process as
// import: a parser killed, crashed or hung costs the command, not the
// shell's terminal state, and --isolate=false parses in-process.
func TestParseInChild(t *testing.T) {
	pdf := abs(t, filepath.Join(corpus, "2024_huaian_szf_1.pdf"))
	_, errs, code := govEnv(t, []string{killEnv + "=2024_huaian_szf_1.pdf"}, "parse", pdf)
	if code != 1 || !strings.Contains(errs, "parser process killed by signal killed") {
		t.Errorf("parse with its worker killed: exit %d, %s", code, errs)
	}
	out, errs, code := govEnv(t, []string{killEnv + "=2024_huaian_szf_1.pdf"}, "parse", "--isolate=false", pdf)
	if code != 0 || !strings.Contains(out, "status ok") {
		t.Errorf("parse --isolate=false: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = gov(t, t.TempDir(), "explain", "--stage", "lines", pdf)
	if code != 0 || !strings.Contains(out, "format pdf") {
		t.Errorf("explain --stage lines: exit %d\n%.300s%s", code, out, errs)
	}
}

// A file over --max-bytes fails without being read whole (a 2 GB sparse
// file reached 6.3 GB of memory across processes).
func TestMaxBytes(t *testing.T) {
	dir := t.TempDir()
	big := filepath.Join(dir, "big.txt")
	f, err := os.Create(big)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil { // sparse: no disk used
		t.Fatal(err)
	}
	f.Close()
	_, errs, code := gov(t, dir, "parse", big)
	if code != 1 || !strings.Contains(errs, "file too large: 2147483648 bytes, more than the limit of 67108864 (--max-bytes)") {
		t.Errorf("parse of a 2 GB file: exit %d, %s", code, errs)
	}
	seed := abs(t, seed)
	_, errs, code = gov(t, dir, "parse", "--max-bytes", "1000", seed)
	if code != 1 || !strings.Contains(errs, "more than the limit of 1000 (--max-bytes)") {
		t.Errorf("parse --max-bytes 1000: exit %d, %s", code, errs)
	}
	if err := copyFile(seed, filepath.Join(dir, "seed.txt")); err != nil {
		t.Fatal(err)
	}
	out, errs, code := gov(t, dir, "import", "--quiet", "--db", "x.db", dir)
	if code != 1 || !strings.Contains(out, "2 files: 1 imported, 0 already imported, 1 failed") || !strings.Contains(errs, "big.txt: file too large") {
		t.Errorf("import beside a 2 GB file: exit %d\n%s%s", code, out, errs)
	}
	// A device that never ends is read no further than the limit.
	_, errs, code = gov(t, dir, "parse", "--max-bytes", "1000000", "/dev/zero")
	if code != 1 || !strings.Contains(errs, "more than 1000000 bytes, the limit (--max-bytes)") {
		t.Errorf("parse /dev/zero: exit %d, %s", code, errs)
	}
}

// Flag values out of range were accepted (--section 99, --year 0-0,
// --limit -1): each is now a usage error (exit status 2) naming the flag
// and what it wants, before any database is opened.
func TestFlagValuesOutOfRange(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"search", "--section", "0", "公开"}, "--section 0: want a section number from 1 to 6"},
		{[]string{"search", "--section", "99", "公开"}, "--section 99: want"},
		{[]string{"search", "--limit", "-1", "公开"}, "--limit -1: want at least 1"},
		{[]string{"search", "--year", "0-0", "公开"}, `--year "0-0": want YEAR or FROM-TO, years from 1990 to 2100`},
		{[]string{"export", "--table", "t3", "--year", "0-0"}, `--year "0-0": want`},
		{[]string{"export", "--table", "t3", "--year", "2023-99999"}, `--year "2023-99999": want`},
		{[]string{"crawl", "--years", "0-0", "http://127.0.0.1:1/"}, `--years "0-0": want A-B`},
		{[]string{"crawl"}, "no URL or --seeds given"},
		{[]string{"explain", "--stage", "nope", "x.txt"}, `--stage "nope": want one of`},
		{[]string{"check", "--format", "xml"}, `--format "xml": want text or csv`},
	} {
		_, errs, code := gov(t, dir, c.args...)
		if code != 2 || !strings.Contains(errs, c.want) || !strings.Contains(errs, "--help' for usage") {
			t.Errorf("%s: exit %d, %q; want a usage error saying %s", strings.Join(c.args, " "), code, errs, c.want)
		}
	}
	if exists(filepath.Join(dir, "govreport.db")) {
		t.Error("a refused flag value created the database")
	}
}

// A newline in a file name injected lines into import's log: a name
// "x.txt\nreport.pdf: imported" forged a line of its own. Control
// characters in a log line are now escaped.
func TestLogLineInjection(t *testing.T) {
	dir := t.TempDir()
	name := "x.txt\nforged.pdf: error: forged line"
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Skip("file names with a newline:", err)
	}
	_, errs, code := gov(t, dir, "import", "--quiet", "--db", "x.db", dir)
	if code != 1 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	for _, l := range strings.Split(strings.TrimSpace(errs), "\n") {
		if strings.HasPrefix(l, "forged.pdf") {
			t.Errorf("a file name forged a line of the log:\n%s", errs)
		}
	}
	if !strings.Contains(errs, `x.txt\nforged.pdf: error: forged line: no_text: txt: the file holds no text`) {
		t.Errorf("the log does not show the name escaped:\n%s", errs)
	}
}
