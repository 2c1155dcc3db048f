package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"govreport/cmd/internal/benchcorpus"
)

// Two imports and a reader (search, keywords, which writes them, and stats) on one
// database at once, each its own process: every document is stored and
// every command succeeds. Before, each open rewrote the views ("view t3
// already exists") and a writer's transaction, read then written, failed
// with "database is locked" whatever the busy timeout, losing whole
// batches of an import.
func TestConcurrentImportsAndSearch(t *testing.T) {
	if testing.Short() {
		t.Skip("imports two corpora at once")
	}
	tmp := t.TempDir()
	files, err := benchcorpus.Generate(corpus, filepath.Join(tmp, "a"), 300, "txt", "html")
	if err != nil {
		t.Fatal(err)
	}
	total := len(files)
	// Half the files to each import.
	dirs := []string{filepath.Join(tmp, "a"), filepath.Join(tmp, "b")}
	if err := os.Mkdir(dirs[1], 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range files[:total/2] {
		if err := os.Rename(f, filepath.Join(dirs[1], filepath.Base(f))); err != nil {
			t.Fatal(err)
		}
	}
	db := filepath.Join(tmp, "x.db")
	type result struct {
		args []string
		out  string
		err  error
	}
	var mu sync.Mutex
	var results []result
	runCmd := func(args ...string) {
		cmd := self(context.Background(), args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		mu.Lock()
		results = append(results, result{args, out.String(), err})
		mu.Unlock()
	}
	var wg sync.WaitGroup
	for _, dir := range dirs {
		wg.Add(1)
		go func() { defer wg.Done(); runCmd("import", "--quiet", "--jobs", "1", "--db", db, dir) }()
	}
	importing := make(chan struct{})
	readers := sync.WaitGroup{}
	readers.Add(1)
	go func() {
		defer readers.Done()
		for i := 0; ; i++ {
			select {
			case <-importing:
				return
			default:
			}
			if _, err := os.Stat(db); err != nil {
				continue
			}
			runCmd("stats", "--db", db)
			if i%3 == 0 {
				runCmd("search", "--db", db, "依申请公开")
				runCmd("keywords", "--db", db)
			}
		}
	}()
	wg.Wait()
	close(importing)
	readers.Wait()
	for _, r := range results {
		if r.err != nil {
			t.Errorf("govreport %s: %v\n%s", strings.Join(r.args, " "), r.err, r.out)
		}
	}
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var n int
	if err := conn.QueryRow(`SELECT count(*) FROM documents`).Scan(&n); err != nil || n != total {
		t.Errorf("%d documents stored (%v), want %d", n, err, total)
	}
	t.Logf("%d commands beside the two imports", len(results)-2)
}

// A database the user cannot write (read-only file and folder) can be
// read: stats, export, check and search work, keywords saying what it
// could not extract; index says the database is read-only. They used to fail with
// "attempt to write a readonly database" because opening wrote the schema.
func TestReadOnlyDatabase(t *testing.T) {
	dir, err := os.MkdirTemp("", "readonly")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		filepath.Walk(dir, func(p string, _ os.FileInfo, _ error) error { return os.Chmod(p, 0o755) })
		os.RemoveAll(dir)
	})
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "x.db")
	if _, errs, code := runCLI(t, "import", "--quiet", "--db", db, seed); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	if _, errs, code := runCLI(t, "index", "--db", db); code != 0 {
		t.Fatalf("index: exit %d: %s", code, errs)
	}
	// A second document, imported without keywords.
	if _, errs, code := runCLI(t, "import", "--quiet", "--db", db, abs(t, "../../testdata/corpus/2024_huaian_szf_2.txt")); code != 0 {
		t.Fatalf("import: exit %d: %s", code, errs)
	}
	cache := filepath.Join(dir, "cache")
	if err := os.Mkdir(cache, 0o777); err != nil {
		t.Fatal(err)
	}
	os.Chmod(cache, 0o777)
	asUser := func(args ...string) (string, string, int) {
		t.Helper()
		return asUnprivileged(t, dir, []string{"HOME=" + cache, "XDG_CACHE_HOME=" + cache}, args...)
	}
	if err := os.Chmod(db, 0o444); err != nil {
		t.Fatal(err)
	}
	for _, folder := range []os.FileMode{0o777, 0o555} {
		// Writable folder, read-only file; then both read-only.
		t.Run(fmt.Sprintf("folder %o", folder), func(t *testing.T) {
			if err := os.Chmod(dir, folder); err != nil {
				t.Fatal(err)
			}
			defer os.Chmod(dir, 0o755)
			for _, args := range [][]string{{"stats"}, {"export", "--table", "t3"}, {"check"}} {
				out, errs, code := asUser(append(args, "--db", db)...)
				if code != 0 || out == "" {
					t.Errorf("%s on a read-only database: exit %d\n%s%s", args[0], code, out, errs)
				}
			}
			out, errs, code := asUser("search", "--db", db, "依申请公开")
			if code != 0 || !strings.Contains(out, "【依申请公开】") {
				t.Errorf("search on a read-only database: exit %d\n%s%s", code, out, errs)
			}
			out, errs, code = asUser("keywords", "--db", db)
			if code != 0 || out == "" || !strings.Contains(errs, "read-only: the 1 documents imported since keywords were last extracted have none") {
				t.Errorf("keywords on a read-only database: exit %d\n%s%s", code, out, errs)
			}
			_, errs, code = asUser("index", "--db", db)
			if code != 1 || !strings.Contains(errs, "read-only") {
				t.Errorf("index on a read-only database: exit %d, %s", code, errs)
			}
		})
	}
}

// asUnprivileged runs govreport args as a user who cannot write what its
// permissions forbid: root can write anything, so the test runs the
// command as nobody then (through a copy of the test binary in dir, which
// must be reachable by all).
func asUnprivileged(t *testing.T, dir string, env []string, args ...string) (string, string, int) {
	t.Helper()
	var cmd *exec.Cmd
	if os.Geteuid() == 0 {
		setpriv, err := exec.LookPath("setpriv")
		if err != nil {
			t.Skip("running as root without setpriv: cannot run as a user who cannot write")
		}
		exe := filepath.Join(dir, "govreport")
		if !exists(exe) {
			if err := copyFile(os.Args[0], exe); err != nil {
				t.Fatal(err)
			}
			os.Chmod(exe, 0o755)
		}
		cmd = exec.Command(setpriv, append([]string{"--reuid=65534", "--regid=65534", "--clear-groups", exe}, args...)...)
	} else {
		cmd = exec.Command(os.Args[0], args...)
	}
	cmd.Env = append(append(os.Environ(), mainEnv+"=1"), env...)
	var out, errw bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errw
	cmd.Run()
	return out.String(), errw.String(), cmd.ProcessState.ExitCode()
}

// A folder the user may not write made SQLite say "unable to open
// database file: no such file or directory": the error now says what is
// wrong, from the system.
func TestPermissionMessages(t *testing.T) {
	dir, err := os.MkdirTemp("", "perm")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o755); os.RemoveAll(dir) })
	seedCopy := filepath.Join(dir, "seed.txt")
	if err := copyFile(seed, seedCopy); err != nil {
		t.Fatal(err)
	}
	os.Chmod(seedCopy, 0o644)
	// An existing database, writable, in a folder that is not.
	existing := filepath.Join(dir, "x.db")
	if _, errs, code := runCLI(t, "import", "--quiet", "--db", existing, seedCopy); code != 0 {
		t.Fatalf("import: %s", errs)
	}
	os.Chmod(existing, 0o666)
	asUnprivileged(t, dir, nil, "--version") // copies the binary while the folder is writable
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		db, want string
	}{
		{filepath.Join(dir, "new.db"), "new.db: cannot create the database: permission denied"},
		{existing, "x.db: its folder must be writable, for the write-ahead log: permission denied"},
	} {
		_, errs, code := asUnprivileged(t, dir, nil, "import", "--quiet", "--db", c.db, seedCopy)
		if code != 1 || !strings.Contains(errs, c.want) || strings.Contains(errs, "no such file") {
			t.Errorf("import --db %s: exit %d, %q; want %q", c.db, code, errs, c.want)
		}
	}
	// Reading needs none of that.
	if out, errs, code := asUnprivileged(t, dir, nil, "stats", "--db", existing); code != 0 || !strings.Contains(out, "1 documents") {
		t.Errorf("stats: exit %d\n%s%s", code, out, errs)
	}
}
