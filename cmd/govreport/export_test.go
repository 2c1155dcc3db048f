package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// importedDB is a database holding the seed report, in a folder of its own.
func importedDB(t *testing.T) (dir, db string) {
	t.Helper()
	dir = t.TempDir()
	db = filepath.Join(dir, "x.db")
	if _, errs, code := runCLI(t, "import", "--quiet", "--db", db, seed); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	return dir, db
}

// leftovers lists the files of dir besides the database and the names in keep.
func leftovers(t *testing.T, dir string, keep ...string) []string {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range ents {
		n := e.Name()
		if !strings.HasPrefix(n, "x.db") && !contains(keep, n) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// The attack: a mistyped --table truncated, then removed, the user's file
// (as root, a device node). A failed export now leaves every target as it
// was, and a successful one replaces a file whole.
func TestExportFailureKeepsTarget(t *testing.T) {
	dir, db := importedDB(t)
	out := filepath.Join(dir, "mine.csv")
	if err := os.WriteFile(out, []byte("precious\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	_, errs, code := runCLI(t, "export", "--db", db, "--table", "t33", "--out", out)
	if code != 1 || !strings.Contains(errs, `unknown table "t33"`) {
		t.Fatalf("export --table t33: exit %d, %q", code, errs)
	}
	if b, err := os.ReadFile(out); err != nil || string(b) != "precious\n" {
		t.Fatalf("a failed export changed the file: %q, %v", b, err)
	}
	if l := leftovers(t, dir, "mine.csv"); len(l) > 0 {
		t.Errorf("a failed export left %v", l)
	}

	// Success replaces the file, with its permissions.
	if _, errs, code := runCLI(t, "export", "--db", db, "--table", "t3", "--out", out); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	b, _ := os.ReadFile(out)
	if !strings.HasPrefix(string(b), "\ufeffdoc_id,") {
		t.Errorf("export wrote %.40q", b)
	}
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o640 {
		t.Errorf("the replaced file's mode: %v, %v", fi.Mode(), err)
	}
	if l := leftovers(t, dir, "mine.csv"); len(l) > 0 {
		t.Errorf("export left %v", l)
	}

	// Through a symbolic link: the file it names is replaced, the link stays.
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink("mine.csv", link); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runCLI(t, "export", "--db", db, "--table", "documents", "--out", link); code != 0 {
		t.Fatalf("export --out link: exit %d: %s", code, errs)
	}
	if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", fi.Mode(), err)
	}
	if b, _ := os.ReadFile(out); !strings.Contains(string(b), "sha256") {
		t.Errorf("export through a link did not write the file it names: %.60q", b)
	}
}

// A target that is not a regular file (a named pipe here, a device node
// for the attack) is written in place and never removed, even on failure.
func TestExportToPipe(t *testing.T) {
	dir, db := importedDB(t)
	fifo := filepath.Join(dir, "pipe")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no named pipes:", err)
	}
	read := func() chan string {
		ch := make(chan string, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				ch <- err.Error()
				return
			}
			b, _ := io.ReadAll(f)
			f.Close()
			ch <- string(b)
		}()
		return ch
	}
	got := read()
	if _, errs, code := runCLI(t, "export", "--db", db, "--table", "t33", "--out", fifo); code != 1 {
		t.Fatalf("export --table t33: exit %d: %s", code, errs)
	}
	<-got
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Fatalf("a failed export removed or replaced the pipe: %v", err)
	}
	got = read()
	if _, errs, code := runCLI(t, "export", "--db", db, "--table", "t3", "--out", fifo); code != 0 {
		t.Fatalf("export: exit %d: %s", code, errs)
	}
	if s := <-got; !strings.HasPrefix(s, "\ufeffdoc_id,") {
		t.Errorf("through the pipe: %.40q", s)
	}
	if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("export replaced the pipe: %v", err)
	}
}
