package main

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"govreport/extract/crawl/crawltest"
)

// TestKillResume kills a crawl with SIGKILL twice in the middle and reruns
// it to completion: every report ends up stored and imported once, no
// report file is fetched twice, the database is intact.
func TestKillResume(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls at 4 requests/s, three times")
	}
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL")
	}
	t.Parallel()
	tmp := t.TempDir()
	s := crawltest.NewSite(t, corpus)
	s.SetSlow(0) // its timeouts are the crawler's tests' business; here they would only cost time
	db, dir := filepath.Join(tmp, "crawl.db"), filepath.Join(tmp, "store")
	seeds := filepath.Join(tmp, "seeds.tsv")
	if err := os.WriteFile(seeds, []byte("# agency\tlisting URL\n某县人民政府\t"+s.Main.URL+crawltest.List0+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"crawl", "--db", db, "--store", dir, "--rate", "4", "--concurrency", "3",
		"--timeout", "3s", "--retries", "1", "--max-bytes", "2097152", "--seeds", seeds}
	var logs bytes.Buffer
	defer func() {
		if t.Failed() || testing.Verbose() {
			t.Logf("crawler output:\n%s\nrequests:\n%s", logs.String(), s)
		}
	}()

	// Kill it twice after the n-th request, at a moment when no request is
	// being answered and every file the crawler has been sent is stored
	// and recorded: between fetches, or while a file is parsed or imported.
	// (A kill between receiving a body and recording it cannot avoid
	// fetching that file again.)
	ro, err := sql.Open("sqlite3", "file:"+db+"?mode=ro&_busy_timeout=5000")
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	settled := func() bool {
		var recorded int
		if err := ro.QueryRow(`SELECT count(*) FROM crawl_fetches WHERE status = 200 AND url NOT LIKE '%` + crawltest.Big + `'`).Scan(&recorded); err != nil {
			return false // not created yet, or busy
		}
		return recorded == s.Answered()
	}
	for _, n := range []int{7, 14} {
		cmd := self(context.Background(), args...)
		cmd.Stdout, cmd.Stderr = &logs, &logs
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		deadline := time.After(60 * time.Second)
	wait:
		for {
			select {
			case err := <-exited:
				t.Fatalf("crawl ended before it was killed: %v", err)
			case <-deadline:
				cmd.Process.Kill()
				t.Fatalf("fewer than %d requests in 60 s", n)
			case <-time.After(2 * time.Millisecond):
				if k, _ := s.Total(); k >= n && settled() {
					break wait
				}
			}
		}
		if err := cmd.Process.Kill(); err != nil {
			t.Fatal(err)
		}
		<-exited
		logs.WriteString("--- killed\n")
		s.Mark("--- killed")
	}

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := self(ctx, args...)
	cmd.Stdout, cmd.Stderr = &logs, &logs
	// Exit status 1: the fixture site's deliberate failures (404, redirect
	// loop, oversized file).
	if err := cmd.Run(); cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 1 {
		t.Fatalf("rerun: %v", err)
	}

	st, err := sql.Open("sqlite3", "file:"+db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if ok := query[string](t, st, `PRAGMA integrity_check`); ok != "ok" {
		t.Errorf("integrity_check: %s", ok)
	}
	reports := append(s.ReportURLs(), s.Main.URL+crawltest.Slow)
	if n := query[int](t, st, `SELECT count(*) FROM documents`); n != len(reports) {
		t.Errorf("documents: %d, want %d", n, len(reports))
	}
	for _, u := range reports {
		if n := query[int](t, st, `SELECT count(*) FROM documents WHERE source = ?`, u); n != 1 {
			t.Errorf("%s imported %d times, want 1", u, n)
		}
	}
	if n := query[int](t, st, `SELECT count(*) FROM documents WHERE agency = '某县人民政府'`); n == 0 {
		t.Errorf("the seeds file's agency not recorded")
	}
	for u, n := range s.FileOKs() {
		if n > 1 {
			t.Errorf("%s fetched %d times", u, n)
		}
	}
	if n := query[int](t, st, `SELECT count(*) FROM crawl_frontier WHERE state IN ('pending', 'active')`); n != 0 {
		t.Errorf("%d frontier entries left unfinished", n)
	}
	if n := s.Count("main", crawltest.Internal, 0); n != 0 {
		t.Errorf("disallowed path requested")
	}
}
