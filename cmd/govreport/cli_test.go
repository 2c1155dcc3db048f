package main

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"govreport/normalize"
)

// The tests here run the real command: this test binary as govreport (see
// TestMain), in a folder of its own, with stdout and stderr apart.

// gov runs govreport args in dir and returns its stdout, stderr and exit
// status.
func gov(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	cmd := self(context.Background(), args...)
	cmd.Dir = dir
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	err := cmd.Run()
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		t.Fatalf("govreport %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errw.String(), cmd.ProcessState.ExitCode()
}

// abs is a path of the repository, absolute (the commands run elsewhere).
func abs(t *testing.T, rel string) string {
	t.Helper()
	a, err := filepath.Abs(rel)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// A flag after the arguments is a flag: the command works on the database
// it names, and ./govreport.db is never created.
func TestFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := gov(t, dir, "import", abs(t, seed), "--db", "y.db", "--quiet")
	if code != 0 || !strings.Contains(out, "1 files: 1 imported") {
		t.Fatalf("import FILE --db y.db: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = gov(t, dir, "stats", "--db", "y.db")
	if code != 0 || !strings.HasPrefix(out, "y.db: 1 documents") {
		t.Errorf("stats --db y.db: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = gov(t, dir, "export", "--table", "documents", "--format", "jsonl", "--db", "y.db")
	if code != 0 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "中牟县商务局") {
		t.Errorf("export … --db y.db: exit %d\n%s%s", code, out, errs)
	}
	// The old single-dash form of a long flag still works.
	if out, errs, code = gov(t, dir, "stats", "-db", "y.db"); code != 0 || !strings.HasPrefix(out, "y.db: 1 documents") {
		t.Errorf("stats -db y.db: exit %d\n%s%s", code, out, errs)
	}
	if exists(filepath.Join(dir, "govreport.db")) {
		t.Error("./govreport.db was created")
	}
}

// A usage error is one line saying what is wrong and one saying how to get
// help, on stderr, with exit status 2: not the whole help text.
func TestUsageErrors(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--job", "2", "x"}, "govreport import: unknown flag: --job (did you mean --jobs?)"},
		{[]string{"stats", "extra-arg"}, `govreport stats: unexpected argument "extra-arg"`},
		{[]string{"stats", "rd.db", "--db", "y.db"}, `govreport stats: unexpected argument "rd.db"`},
		{[]string{"parse"}, "govreport parse: want one FILE, got 0 arguments"},
		{[]string{"import"}, "govreport import: no PATH given"},
		{[]string{"export", "--db", "y.db"}, `govreport export: required flag(s) "table" not set`},
		{[]string{"imprt", "x"}, `govreport: unknown command "imprt"`},
	} {
		out, errs, code := gov(t, dir, c.args...)
		line := strings.Join(c.args, " ")
		if code != 2 || out != "" {
			t.Errorf("%s: exit %d, stdout %q", line, code, out)
		}
		if !strings.HasPrefix(errs, c.want) || !strings.HasSuffix(errs, "--help' for usage.\n") {
			t.Errorf("%s: stderr\n%s\nwant %q … how to get help", line, errs, c.want)
		}
		if strings.Contains(errs, "Usage:") || strings.Count(errs, "\n") > 5 {
			t.Errorf("%s: stderr holds more than the error:\n%s", line, errs)
		}
	}
	// A mistyped command gets the closest one.
	if _, errs, _ := gov(t, dir, "imprt", "x"); !strings.Contains(errs, "Did you mean this?\n\timport") {
		t.Errorf("imprt: no suggestion:\n%s", errs)
	}
	if exists(filepath.Join(dir, "govreport.db")) || exists(filepath.Join(dir, "y.db")) {
		t.Error("a usage error created a database")
	}
}

// Help, asked for in any of its forms, goes to stdout with exit status 0.
func TestHelpOnStdout(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{{"help", "import"}, {"import", "-h"}, {"import", "--help"}, {"import", "x", "--help"}} {
		out, errs, code := gov(t, dir, args...)
		if code != 0 || errs != "" || !strings.Contains(out, "govreport import [flags] PATH...") || !strings.Contains(out, "--retry-failed") {
			t.Errorf("%s: exit %d, stderr %q, stdout\n%s", strings.Join(args, " "), code, errs, out)
		}
	}
	out, errs, code := gov(t, dir, "--help")
	if code != 0 || errs != "" || !strings.Contains(out, "import") || !strings.Contains(out, "completion") {
		t.Errorf("--help: exit %d, stderr %q, stdout\n%s", code, errs, out)
	}
	// With no command: the help too, on stdout, as a usage error.
	if out, _, code := gov(t, dir); code != 2 || !strings.Contains(out, "Available Commands:") {
		t.Errorf("no command: exit %d\n%s", code, out)
	}
}

func TestVersion(t *testing.T) {
	for _, flag := range []string{"--version", "-v"} {
		out, errs, code := gov(t, t.TempDir(), flag)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		if code != 0 || errs != "" || len(lines) != 2 || !strings.HasPrefix(lines[0], "govreport ") || lines[1] != "parser version "+normalize.Version {
			t.Errorf("%s: exit %d, stderr %q, stdout\n%s", flag, code, errs, out)
		}
	}
}

// The shell completion scripts are there for bash, zsh and fish.
func TestCompletion(t *testing.T) {
	for _, sh := range []string{"bash", "zsh", "fish"} {
		out, errs, code := gov(t, t.TempDir(), "completion", sh)
		if code != 0 || !strings.Contains(out, "govreport") || len(out) < 1000 {
			t.Errorf("completion %s: exit %d, %d bytes, stderr %q", sh, code, len(out), errs)
		}
	}
}

// A flag that takes one of a few words completes them, and only them.
func TestCompleteFlagValues(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"export", "--table", ""}, "t2 t3 t4 legacy measures documents sections checks cells corrections"},
		{[]string{"export", "--table", "c"}, "checks cells corrections"},
		{[]string{"export", "--format", ""}, "csv jsonl"},
		{[]string{"export", "--encoding", "g"}, "gbk"},
		{[]string{"search", "--format", "j"}, "json"},
		{[]string{"check", "--format", ""}, "text csv"},
		{[]string{"explain", "--stage", "re"}, "recover"},
	} {
		out, errs, code := gov(t, t.TempDir(), append([]string{"__complete"}, c.args...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		got := strings.Join(lines[:len(lines)-1], " ")
		if code != 0 || got != c.want || lines[len(lines)-1] != ":4" {
			t.Errorf("complete %q: exit %d, %q (stderr %q); want %q then :4 (no file completion)", c.args, code, out, errs, c.want)
		}
	}
}

// A command that reads a database does not create one: a missing file is
// an error that says how to make it.
func TestMissingDatabase(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"stats", "--db", "nope.db"},
		{"search", "依申请公开", "--db", "nope.db"},
		{"index", "--db", "nope.db"},
		{"export", "--table", "t3", "--db", "nope.db"},
		{"check", "--db", "nope.db"},
		{"serve", "--db", "nope.db"},
		{"stats"}, // ./govreport.db
	} {
		line := strings.Join(args, " ")
		out, errs, code := gov(t, dir, args...)
		want := "no database nope.db"
		if len(args) == 1 {
			want = "no database govreport.db"
		}
		if code != 1 || out != "" || !strings.Contains(errs, want) || !strings.Contains(errs, "govreport import --db") {
			t.Errorf("%s: exit %d\nstdout %q\nstderr %q", line, code, out, errs)
		}
		if exists(filepath.Join(dir, "nope.db")) || exists(filepath.Join(dir, "govreport.db")) {
			t.Fatalf("%s created the database", line)
		}
	}
}

// An import that finds nothing to import says so and fails; files that
// are not reports are counted by reason, and listed with --verbose.
func TestImportNothing(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "empty"), 0o755)
	notes := filepath.Join(dir, "notes")
	os.MkdirAll(filepath.Join(notes, ".git"), 0o755)
	for name, text := range map[string]string{"list.tsv": "a\tb\n", "README.md": "#\n", "old.db": "", ".git/HEAD": "ref\n"} {
		os.WriteFile(filepath.Join(notes, name), []byte(text), 0o644)
	}
	out, errs, code := gov(t, dir, "import", "--db", "g.db", "empty")
	if code != 1 || out != "" || errs != "govreport import: nothing to import: no file in empty\n" {
		t.Errorf("empty folder: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "notes")
	if code != 1 || out != "" || errs != "govreport import: nothing to import: no report file (ignored: .md 1, .tsv 1, database 1, hidden 1) in notes\n" {
		t.Errorf("folder of other files: exit %d\nstdout %q\nstderr %q", code, out, errs)
	}
	_, errs, _ = gov(t, dir, "import", "--db", "g.db", "--verbose", "notes")
	for _, name := range []string{"list.tsv: ignored: .tsv", "README.md: ignored: .md", "old.db: ignored: database", ".git: ignored: hidden"} {
		if !strings.Contains(errs, filepath.Join(dir, "notes", name)) {
			t.Errorf("--verbose does not list %s:\n%s", name, errs)
		}
	}
	// Beside a report, the summary counts them.
	data, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(notes, "seed.txt"), data, 0o644)
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "--quiet", "notes")
	if code != 0 || !strings.Contains(out, "1 files: 1 imported") || !strings.Contains(out, "ignored, not report files: .md 1, .tsv 1, database 1, hidden 1") {
		t.Errorf("folder with a report: exit %d\n%s%s", code, out, errs)
	}
}

// storedDocs reads the documents table of a database: source → status.
func storedDocs(t *testing.T, db string) map[string]string {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT source, status FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	m := map[string]string{}
	for rows.Next() {
		var src, status string
		rows.Scan(&src, &status)
		m[src] = status
	}
	return m
}

func execSQL(t *testing.T, db, q string) {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := conn.Exec(q); err != nil {
		t.Fatal(err)
	}
}

// A rerun reports the files that failed before and still are failures,
// and exits with status 1; --retry-failed parses them again.
func TestRerunAfterFailures(t *testing.T) {
	dir := t.TempDir()
	rd := filepath.Join(dir, "rd")
	os.MkdirAll(rd, 0o755)
	os.WriteFile(filepath.Join(rd, "broken.pdf"), []byte("%PDF-1.7\n1 0 obj << /Type /Catalog"), 0o644)
	data, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(rd, "seed.txt"), data, 0o644)

	out, errs, code := gov(t, dir, "import", "--db", "g.db", "--quiet", "rd")
	if code != 1 || !strings.Contains(out, "2 files: 1 imported, 0 already imported, 1 failed;") || !strings.Contains(errs, "broken.pdf: error:") {
		t.Fatalf("first run: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "--quiet", "rd")
	if code != 1 || !strings.Contains(out, "2 files: 0 imported, 1 already imported, 0 failed, 1 failed in an earlier run;") ||
		!strings.Contains(out, "--retry-failed") || !strings.Contains(errs, "broken.pdf: failed in an earlier run: error:") {
		t.Errorf("rerun: exit %d\n%s%s", code, out, errs)
	}
	// Retried, the broken file fails again and replaces its stored failure.
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "--quiet", "--retry-failed", "rd")
	if code != 1 || !strings.Contains(out, "2 files: 0 imported, 1 already imported, 1 failed;") || !strings.Contains(errs, "broken.pdf: error:") {
		t.Errorf("--retry-failed: exit %d\n%s%s", code, out, errs)
	}
	if d := storedDocs(t, filepath.Join(dir, "g.db")); len(d) != 2 {
		t.Errorf("documents after the retry: %v", d)
	}

	// A file a former parser failed on (its stored status set to error
	// here) is imported for real by --retry-failed.
	execSQL(t, filepath.Join(dir, "g.db"), `UPDATE documents SET status = 'error', error = 'parser crashed' WHERE source LIKE '%seed.txt'`)
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "--quiet", "rd/seed.txt")
	if code != 1 || !strings.Contains(out, "1 files: 0 imported, 0 already imported, 0 failed, 1 failed in an earlier run;") ||
		!strings.Contains(errs, "seed.txt: failed in an earlier run: error: parser crashed") {
		t.Errorf("rerun over a stored failure: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code = gov(t, dir, "import", "--db", "g.db", "--quiet", "--retry-failed", "rd/seed.txt")
	if code != 0 || !strings.Contains(out, "1 files: 1 imported, 0 already imported, 0 failed;") {
		t.Errorf("--retry-failed over a stored failure: exit %d\n%s%s", code, out, errs)
	}
	if d := storedDocs(t, filepath.Join(dir, "g.db")); len(d) != 2 || d[filepath.Join(rd, "seed.txt")] != "ok" {
		t.Errorf("documents after the retry: %v", d)
	}
}

// The source stored is the file's absolute path, whatever the path given;
// a database that holds a relative source (as earlier versions stored)
// still recognises the file by its sha256, and keeps its source.
func TestImportAbsoluteSource(t *testing.T) {
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "rd"), 0o755)
	data, _ := os.ReadFile(seed)
	os.WriteFile(filepath.Join(dir, "rd", "a.txt"), data, 0o644)
	if out, errs, code := gov(t, dir, "import", "--db", "g.db", "--quiet", "rd/a.txt"); code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	want := filepath.Join(dir, "rd", "a.txt")
	if d := storedDocs(t, filepath.Join(dir, "g.db")); d[want] != "ok" {
		t.Errorf("sources %v, want %s", d, want)
	}
	execSQL(t, filepath.Join(dir, "g.db"), `UPDATE documents SET source = 'rd/a.txt'`)
	other := t.TempDir()
	out, errs, code := gov(t, other, "import", "--db", filepath.Join(dir, "g.db"), "--quiet", want)
	if code != 0 || !strings.Contains(out, "1 files: 0 imported, 1 already imported, 0 failed") {
		t.Errorf("rerun from elsewhere: exit %d\n%s%s", code, out, errs)
	}
	if d := storedDocs(t, filepath.Join(dir, "g.db")); len(d) != 1 || d["rd/a.txt"] != "ok" {
		t.Errorf("sources after the rerun %v, want the relative one kept", d)
	}
}
