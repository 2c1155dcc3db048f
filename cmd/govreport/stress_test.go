package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
	"unicode/utf16"

	"govreport/cmd/internal/benchcorpus"
)

// TestStress is `make stress`: the kill -9 and concurrency trials of issue
// 19 at scale. Skipped unless GOVREPORT_STRESS is set; STRESS_DOCS (1000)
// and STRESS_KILLS (16) set its size. It generates STRESS_DOCS documents
// from testdata/corpus (text, HTML, PDF), a quarter as many damaged copies
// (truncated, bytes flipped, chunks repeated, junk appended) and the
// crafted attacks, then:
//   - kills `import` (every other time with --reparse) with SIGKILL at
//     STRESS_KILLS random moments, then reruns it, on one database;
//   - runs two imports of half the files each, with search, stats and
//     export in a loop, on another;
//
// and reports the inputs tried, the commands that crashed (an exit status
// other than 0 or 1, or a Go panic or fatal error of their own), the
// parses that crashed or hung inside their child (contained: each cost its
// file, stored as an error), the commands that hung, and the documents
// lost (a file not in the database after the runs). Crashes, hangs and
// losses must be 0.
func TestStress(t *testing.T) {
	if os.Getenv("GOVREPORT_STRESS") == "" {
		t.Skip("make stress runs it (GOVREPORT_STRESS=1)")
	}
	docs, kills := envInt("STRESS_DOCS", 1000), envInt("STRESS_KILLS", 16)
	tmp := t.TempDir()
	dirs := []string{filepath.Join(tmp, "a"), filepath.Join(tmp, "b")}
	files, err := benchcorpus.Generate(corpus, dirs[0], docs, "txt", "html", "pdf")
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(19))
	for i := range docs / 4 {
		src, err := os.ReadFile(files[rng.Intn(len(files))])
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dirs[0], fmt.Sprintf("damaged_%05d%s", i, filepath.Ext(files[i%len(files)])))
		if err := os.WriteFile(path, damage(rng, src), 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	for name, data := range attackFiles() {
		path := filepath.Join(dirs[0], name)
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		files = append(files, path)
	}
	want := map[string]bool{} // the distinct files, by sha256
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		want[hex.EncodeToString(sum[:])] = true
	}
	var res stressResult
	res.inputs = len(files)

	// Trial 1: import killed at random moments, then rerun.
	db1 := filepath.Join(tmp, "kill.db")
	for k := range kills {
		// Every other trial reparses, so that later kills still land in
		// writes once most files are stored.
		args := []string{"import", "--quiet", "--db", db1, dirs[0]}
		if k%2 == 1 {
			args = append(args, "--reparse")
		}
		cmd := self(context.Background(), args...)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan struct{})
		go func() { cmd.Wait(); close(exited) }()
		select {
		case <-exited: // done before its moment: the next trials start later
		case <-time.After(time.Duration(50+rng.Intn(3000)) * time.Millisecond):
			cmd.Process.Signal(syscall.SIGKILL)
			<-exited
			res.kills++
		}
		res.check(t, fmt.Sprintf("import killed (trial %d)", k+1), cmd, out.String(), true)
	}
	res.run(t, "rerun after the kills", 20*time.Minute, "import", "--quiet", "--db", db1, dirs[0])
	res.lost += lost(t, db1, want)

	// Trial 2: two imports and readers at once.
	if err := os.MkdirAll(dirs[1], 0o755); err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		if i%2 == 1 {
			if err := os.Rename(f, filepath.Join(dirs[1], filepath.Base(f))); err != nil {
				t.Fatal(err)
			}
		}
	}
	db2 := filepath.Join(tmp, "concurrent.db")
	var wg sync.WaitGroup
	for _, dir := range dirs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res.run(t, "import "+filepath.Base(dir), 20*time.Minute, "import", "--quiet", "--jobs", "1", "--db", db2, dir)
		}()
	}
	importing := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(1)
	go func() {
		defer readers.Done()
		for i := 0; ; i++ {
			select {
			case <-importing:
				return
			case <-time.After(200 * time.Millisecond):
			}
			if _, err := os.Stat(db2); err != nil {
				continue
			}
			switch i % 3 {
			case 0:
				res.run(t, "search", 5*time.Minute, "search", "--db", db2, "依申请公开")
			case 1:
				res.run(t, "stats", 5*time.Minute, "stats", "--db", db2)
			default:
				res.run(t, "export", 5*time.Minute, "export", "--db", db2, "--table", "t3", "--out", filepath.Join(tmp, "t3.csv"))
			}
		}
	}()
	wg.Wait()
	close(importing)
	readers.Wait()
	res.lost += lost(t, db2, want)

	for _, db := range []string{db1, db2} {
		conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
		if err != nil {
			t.Fatal(err)
		}
		var check string
		if err := conn.QueryRow(`PRAGMA integrity_check`).Scan(&check); err != nil || check != "ok" {
			t.Errorf("%s: integrity_check %q, %v", filepath.Base(db), check, err)
		}
		var crashed, hung int
		conn.QueryRow(`SELECT count(*) FROM documents WHERE error LIKE 'parser crashed%' OR error LIKE 'parser used more than%'`).Scan(&crashed)
		conn.QueryRow(`SELECT count(*) FROM documents WHERE error LIKE '%timed out%'`).Scan(&hung)
		res.parserCrashes += crashed
		res.parserHangs += hung
		conn.Close()
	}
	t.Logf("stress: %d inputs (%d distinct), %d kills, %d commands run: %d crashed, %d hung; documents lost %d; parses contained in their child: %d crashed or past their memory, %d timed out",
		res.inputs, len(want), res.kills, res.commands, res.crashes, res.hangs, res.lost, res.parserCrashes, res.parserHangs)
	if res.crashes+res.hangs+res.lost > 0 {
		t.Errorf("crashes %d, hangs %d, documents lost %d: want 0", res.crashes, res.hangs, res.lost)
	}
}

type stressResult struct {
	mu                                      sync.Mutex
	inputs, kills, commands, crashes, hangs int
	lost, parserCrashes, parserHangs        int
}

// run runs one command with a deadline and checks how it ended.
func (r *stressResult) run(t *testing.T, what string, limit time.Duration, args ...string) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := self(ctx, args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.Run()
	if ctx.Err() != nil {
		r.mu.Lock()
		r.hangs++
		r.mu.Unlock()
		t.Errorf("%s: did not end within %s", what, limit)
	}
	r.check(t, what, cmd, out.String(), false)
}

// check counts a command that ended: a crash is an exit status other than
// 0 or 1 (unless killed on purpose) or a panic or fatal error of its own.
func (r *stressResult) check(t *testing.T, what string, cmd *exec.Cmd, out string, killed bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.commands++
	code := cmd.ProcessState.ExitCode()
	if strings.Contains(out, "panic:") || strings.Contains(out, "fatal error:") && !strings.Contains(out, "parser crashed: fatal error:") ||
		!killed && code != 0 && code != 1 {
		r.crashes++
		t.Errorf("%s: exit %d\n%.2000s", what, code, out)
	}
}

// lost counts the files of want that are not in the database.
func lost(t *testing.T, db string, want map[string]bool) int {
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	rows, err := conn.Query(`SELECT sha256 FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	got := map[string]bool{}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		got[s] = true
	}
	n := 0
	for s := range want {
		if !got[s] {
			n++
		}
	}
	if n > 0 {
		t.Errorf("%s: %d of %d files not stored", filepath.Base(db), n, len(want))
	}
	return n
}

// damage returns a damaged copy of a file: truncated, bytes flipped, a
// chunk repeated, or junk appended.
func damage(rng *rand.Rand, src []byte) []byte {
	b := bytes.Clone(src)
	switch rng.Intn(4) {
	case 0:
		return b[:rng.Intn(len(b)+1)]
	case 1:
		for range 1 + rng.Intn(32) {
			b[rng.Intn(len(b))] ^= byte(1 + rng.Intn(255))
		}
		return b
	case 2:
		i := rng.Intn(len(b))
		j := min(len(b), i+rng.Intn(4096))
		return append(b[:j:j], b[i:]...)
	}
	return append(b, bytes.Repeat([]byte{byte(rng.Intn(256))}, rng.Intn(200))...)
}

// attackFiles are small crafted attacks of the trial, by file name.
func attackFiles() map[string][]byte {
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	content := "BT /F1 12 Tf 72 700 Td (Annual report) Tj ET"
	var pdf bytes.Buffer
	pdf.WriteString("%PDF-1.4\n")
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content),
		helv,
	}
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = pdf.Len()
		fmt.Fprintf(&pdf, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := pdf.Len()
	fmt.Fprintf(&pdf, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&pdf, "%010d 00000 n \n", o)
	}
	good := pdf.Bytes()
	withTrailer := func(extra string) []byte {
		return append(bytes.Clone(good), fmt.Sprintf("trailer\n<< /Size 6 /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", extra, x)...)
	}
	return map[string][]byte{
		"attack_prev_loop.pdf":     withTrailer(fmt.Sprintf("/Prev %d", x)),
		"attack_size_negative.pdf": bytes.Replace(withTrailer(""), []byte("/Size 6"), []byte("/Size -5"), 1),
		"attack_size_huge.pdf":     bytes.Replace(withTrailer(""), []byte("/Size 6"), []byte("/Size 99999999999"), 1),
		"attack_trailing.pdf":      append(withTrailer(""), "junk after the end"...),
		"attack_numbers.txt":       []byte("一、总体情况\n" + strings.Repeat("1 ", 300000)),
		"attack_lines.txt":         []byte("一、总体情况\n" + strings.Repeat("1\n", 150000)),
		"attack_cells.txt":         []byte("一、总体情况\n" + strings.Repeat("|", 300000)),
		"attack_paragraphs.html":   []byte("<html><body>" + strings.Repeat("<p>1</p>", 250000) + "</body></html>"),
		"attack_empty.txt":         nil,
		"attack_utf16.txt":         utf16LE("一、总体情况\n依申请公开"),
	}
}

// utf16LE is s in UTF-16, little-endian, with a byte-order mark.
func utf16LE(s string) []byte {
	b := []byte{0xff, 0xfe}
	for _, u := range utf16.Encode([]rune(s)) {
		b = append(b, byte(u), byte(u>>8))
	}
	return b
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}
