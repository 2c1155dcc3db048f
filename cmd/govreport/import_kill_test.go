package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"govreport/cmd/internal/benchcorpus"
)

// An import killed with SIGKILL leaves a sound database; rerunning the
// same command imports exactly the missing files.
func TestImportKilledAndRerun(t *testing.T) {
	if testing.Short() {
		t.Skip("imports a corpus twice")
	}
	t.Parallel()
	tmp := t.TempDir()
	dir := filepath.Join(tmp, "corpus")
	files, err := benchcorpus.Generate(corpus, dir, 240, "txt", "html")
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(tmp, "x.db")
	args := []string{"import", "--db", db, "--quiet", dir}

	first := self(context.Background(), args...)
	var firstOut bytes.Buffer
	first.Stdout, first.Stderr = &firstOut, &firstOut
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- first.Wait() }()
	ro, err := sql.Open("sqlite3", "file:"+db+"?mode=ro&_busy_timeout=10000")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	killed := false
wait:
	for {
		select {
		case err := <-exited:
			t.Logf("import ended before it could be killed (%v): the rerun checks only skipping", err)
			break wait
		case <-time.After(20 * time.Millisecond):
		}
		var n int
		if ro.QueryRow(`SELECT count(*) FROM documents`).Scan(&n) == nil && n >= 10 {
			if err := first.Process.Signal(syscall.SIGKILL); err != nil {
				t.Fatal(err)
			}
			<-exited
			killed = true
			break
		}
	}
	ro.Close()
	before := count(t, db, `SELECT count(*) FROM documents`)
	if killed {
		t.Logf("killed with %d of %d files committed", before, len(files))
	}

	var out bytes.Buffer
	rerun := self(context.Background(), args...)
	rerun.Stdout, rerun.Stderr = &out, &out
	if err := rerun.Run(); err != nil {
		t.Fatalf("rerun: %v\n%s", err, out.String())
	}
	want := fmt.Sprintf("%d files: %d imported, %d already imported, 0 failed", len(files), len(files)-before, before)
	if !strings.Contains(out.String(), want) {
		t.Errorf("rerun says\n%s\nwant %q", out.String(), want)
	}
	if n := count(t, db, `SELECT count(*) FROM documents`); n != len(files) {
		t.Errorf("%d documents, want %d", n, len(files))
	}
	if n := count(t, db, `SELECT count(DISTINCT sha256) FROM documents`); n != len(files) {
		t.Errorf("%d distinct sha256, want %d", n, len(files))
	}
	if n := count(t, db, `SELECT count(DISTINCT source) FROM documents`); n != len(files) {
		t.Errorf("%d distinct sources, want %d", n, len(files))
	}
	var check string
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
		t.Errorf("integrity_check: %q, %v", check, err)
	}
}

func count(t *testing.T, db, q string) int {
	t.Helper()
	conn, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}
