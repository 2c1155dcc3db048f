package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// The Markdown reference checked in under doc/ is what `govreport docs`
// writes for the commands as they are (make docs writes it again).
func TestDocsUpToDate(t *testing.T) {
	dir := t.TempDir()
	if _, errs, code := runCLI(t, "docs", dir); code != 0 {
		t.Fatalf("docs: exit %d: %s", code, errs)
	}
	fresh, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	in, _ := filepath.Glob(filepath.Join("doc", "*.md"))
	if len(fresh) < 10 {
		t.Fatalf("docs wrote %d files", len(fresh))
	}
	checkedIn := map[string]bool{}
	for _, f := range in {
		checkedIn[filepath.Base(f)] = true
	}
	for _, f := range fresh {
		name := filepath.Base(f)
		want, _ := os.ReadFile(f)
		got, err := os.ReadFile(filepath.Join("doc", name))
		if err != nil || !bytes.Equal(got, want) {
			t.Errorf("doc/%s is not up to date: run make docs", name)
		}
		delete(checkedIn, name)
	}
	for name := range checkedIn {
		t.Errorf("doc/%s documents no command: run make docs", name)
	}
}
