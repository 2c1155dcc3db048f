package parse_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"govreport"
	"govreport/cmd/internal/parse"
	"govreport/extract"
)

const corpus = "../../../testdata/corpus"

// The test binary doubles as the isolator's child when this variable is set:
// a document named *crash* then overflows the stack (a fatal error Go cannot
// recover from), one named *hang* never finishes, and *progress* and
// *stall* report pages as OCR does (progressHook).
const workerEnv = "GOVREPORT_TEST_PARSE_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		parse.SetProgressHook(func(source string, progress func(int)) {
			progressHook(source, progress, nil)
			if strings.HasSuffix(source, ".pid.txt") {
				os.WriteFile(source+".pid", []byte(fmt.Sprint(os.Getpid())), 0o600)
			}
			switch {
			case strings.Contains(source, "crash"):
				recurse(0)
			case strings.Contains(source, "hang"):
				time.Sleep(time.Hour)
			case strings.Contains(source, "leak"):
				go time.Sleep(time.Hour) // work left running, as an abandoned reader call
			case strings.Contains(source, "balloon"):
				balloon = make([]byte, 0, 1<<30)
				for len(balloon) < cap(balloon) {
					balloon = append(balloon, make([]byte, 1<<20)...)
					time.Sleep(time.Millisecond)
				}
			case strings.Contains(source, "oomonce"):
				// Killed from outside the first time only.
				if f, err := os.OpenFile(source+".killed", os.O_CREATE|os.O_EXCL, 0o600); err == nil {
					f.Close()
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
			case strings.Contains(source, "oom"):
				syscall.Kill(os.Getpid(), syscall.SIGKILL) // as the kernel's OOM killer
			}
		})
		if err := parse.ServeWorker(os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

var balloon []byte

// Pages are reported every pageEvery; a parse's time limit in the tests of
// progress is progressLimit from its start or its last page.
const pageEvery, progressLimit = 200 * time.Millisecond, time.Second

// progressHook makes a document named *progress* report 8 pages, one every
// pageEvery (1.6 s, past progressLimit), then read the file, and one named
// *stall* report 3 pages, then hang until release is closed (for ever in a
// child).
func progressHook(source string, progress func(int), release chan struct{}) {
	pages := 0
	switch {
	case strings.Contains(source, "progress"):
		pages = 8
	case strings.Contains(source, "stall"):
		pages = 3
	}
	for p := 1; p <= pages; p++ {
		time.Sleep(pageEvery)
		progress(p)
	}
	if strings.Contains(source, "stall") {
		if release == nil {
			time.Sleep(time.Hour)
		}
		<-release
	}
}

//go:noinline
func recurse(n int) int {
	var pad [256]byte
	pad[n%256] = byte(n)
	return recurse(n+1) + int(pad[n%7])
}

func testIsolator(t *testing.T) *parse.Isolator {
	iso := &parse.Isolator{Command: []string{os.Args[0]}, Env: []string{workerEnv + "=1"}}
	t.Cleanup(iso.Close)
	return iso
}

func read(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// A file parsed in a child is the document parsed in-process.
func TestIsolatedParseSameDocument(t *testing.T) {
	iso := testIsolator(t)
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2020_zhongmou_commerce_seed.txt"} {
		path := filepath.Join(corpus, name)
		data := read(t, name)
		want := parse.Bytes(path, data, extract.Options{})
		got, err := iso.Parse(context.Background(), path, "", data, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(want.Cells) == 0 || want.Status != "ok" {
			t.Fatalf("%s: in-process parse has %d cells, status %s", name, len(want.Cells), want.Status)
		}
		if !reflect.DeepEqual(got, want) {
			g, _ := json.Marshal(got)
			w, _ := json.Marshal(want)
			t.Errorf("%s: isolated parse differs:\n got %.300s\nwant %.300s", name, g, w)
		}
	}
}

// A parser crash that Go cannot recover from, and a parse that never ends,
// each fail their own file; the next file is parsed by a fresh child.
func TestIsolatorCrashAndHang(t *testing.T) {
	real1, real2 := read(t, "2024_huaian_szf_1.pdf"), read(t, "2023_hongze_qzf_1.pdf")
	parse.SetTimer(func(source string, limit time.Duration) <-chan time.Time {
		if strings.Contains(source, "hang") {
			return time.After(300 * time.Millisecond)
		}
		return nil
	})
	defer parse.SetTimer(nil)
	iso := testIsolator(t)
	for _, c := range []struct {
		name   string
		data   []byte
		status string
		err    string
	}{
		{"a_real.pdf", real1, "ok", ""},
		{"b_crash.pdf", append(append([]byte{}, real1...), "\n%crash\n"...), "error", "parser crashed: fatal error: stack overflow (goroutine stack exceeds 67108864-byte limit)"},
		{"c_real.pdf", real2, "ok", ""},
		{"d_hang.pdf", append(append([]byte{}, real1...), "\n%hang\n"...), "error", "parse timed out after 2m0s (parser process killed)"},
		{"e_real.pdf", real2, "ok", ""},
		{"f_seed.txt", read(t, "2020_zhongmou_commerce_seed.txt"), "ok", ""},
	} {
		d, err := iso.Parse(context.Background(), c.name, "", c.data, extract.Options{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if d.Status != c.status || d.Error != c.err {
			t.Errorf("%s: status %s, error %q; want %s, %q", c.name, d.Status, d.Error, c.status, c.err)
		}
		if (d.Status == "ok") != (len(d.Cells) > 0) {
			t.Errorf("%s: status %s with %d cells", c.name, d.Status, len(d.Cells))
		}
		if d.Source != c.name || d.SHA256 != parse.SHA256(c.data) {
			t.Errorf("%s: source %q sha256 %s", c.name, d.Source, d.SHA256)
		}
	}
}

// In-process, a panic is the document's error, and so is a parse past the
// time limit; neither reaches the caller.
func TestPanicAndTimeout(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	parse.SetHook(func(src string) {
		switch src {
		case "panic.txt":
			panic("boom")
		case "stall.txt":
			<-release
		}
	})
	defer parse.SetHook(nil)
	parse.SetTimer(func(src string, _ time.Duration) <-chan time.Time {
		if src != "stall.txt" {
			return nil
		}
		c := make(chan time.Time, 1)
		c <- time.Now()
		return c
	})
	defer parse.SetTimer(nil)
	data := read(t, "2020_zhongmou_commerce_seed.txt")
	var iso *parse.Isolator // in-process
	for name, want := range map[string]string{"panic.txt": "parser failed: boom", "stall.txt": "parse timed out after 2m0s"} {
		d, _ := iso.Parse(context.Background(), name, "", data, extract.Options{})
		if d.Status != govreport.StatusError || d.Error != want || !parse.Failed(d) {
			t.Errorf("%s: status %s, error %q; want error %q", name, d.Status, d.Error, want)
		}
	}
	if d, _ := iso.Parse(context.Background(), "seed.txt", "", data, extract.Options{}); d.Status != govreport.StatusOK || parse.Failed(d) {
		t.Errorf("seed.txt: status %s, error %q", d.Status, d.Error)
	}
}

// A parse that leaves work running (a reader call abandoned past its own
// time limit: an xref /Prev chain that loops) retires its child, which
// would otherwise burn a core for the rest of the run: the child answers,
// then exits, and the next file gets a fresh one.
func TestWorkerRetiresAfterAbandonedWork(t *testing.T) {
	iso := testIsolator(t)
	seed := read(t, "2020_zhongmou_commerce_seed.txt")
	ctx := context.Background()
	dir := t.TempDir()
	pids := map[string]string{}
	for _, name := range []string{"a_leak", "b", "c_leak", "d"} {
		path := filepath.Join(dir, name+".pid.txt")
		d, err := iso.Parse(ctx, path, "", seed, extract.Options{})
		if err != nil || d.Status != "ok" {
			t.Errorf("%s: %v, status %s %s", name, err, d.Status, d.Error)
		}
		pid, _ := os.ReadFile(path + ".pid")
		pids[name] = string(pid)
	}
	// b's child is fresh, reused for c, which retires it.
	if pids["a_leak"] == pids["b"] || pids["b"] != pids["c_leak"] || pids["c_leak"] == pids["d"] {
		t.Errorf("the children's process ids: %v; want a fresh child after each leak, the same one otherwise", pids)
	}

	// The worker's side: it answers, asks to be retired, and returns.
	var req bytes.Buffer
	for _, name := range []string{"leak.txt", "never.txt"} {
		head, _ := json.Marshal(map[string]any{"source": name, "size": len(seed)})
		req.Write(append(head, '\n'))
		req.Write(seed)
	}
	parse.SetHook(func(source string) {
		if source == "leak.txt" {
			go time.Sleep(time.Hour)
		}
	})
	defer parse.SetHook(nil)
	// ServeWorker counts the goroutines it starts with as idle, as in a
	// fresh child; here the parent's goroutines of the parses above may
	// still be ending (under load: a stray one ending offset the leak).
	settle()
	var out bytes.Buffer
	if err := parse.ServeWorker(&req, &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 1 || !strings.Contains(lines[0], `"retire":true`) {
		t.Errorf("the worker answered %d documents after abandoned work, want 1 asking to retire", len(lines))
	}
}

// settle waits, up to 2 s, until the number of goroutines has not changed
// for 100 ms.
func settle() {
	n, same := runtime.NumGoroutine(), 0
	for i := 0; i < 200 && same < 10; i++ {
		time.Sleep(10 * time.Millisecond)
		if m := runtime.NumGoroutine(); m == n {
			same++
		} else {
			n, same = m, 0
		}
	}
}

// A child past its memory limit is killed: the file fails, saying so, and
// the next file is parsed by a fresh child.
func TestIsolatorMemoryLimit(t *testing.T) {
	iso := testIsolator(t)
	iso.MemoryLimit, iso.MemoryPerByte = 200<<20, 1
	seed := read(t, "2020_zhongmou_commerce_seed.txt")
	ctx := context.Background()
	d, err := iso.Parse(ctx, "balloon.txt", "", seed, extract.Options{})
	if err != nil || d.Status != "error" || !strings.HasPrefix(d.Error, "parser used more than 200 MB of memory") {
		t.Errorf("balloon.txt: %v, status %s, error %q", err, d.Status, d.Error)
	}
	if d, err := iso.Parse(ctx, "seed.txt", "", seed, extract.Options{}); err != nil || d.Status != "ok" {
		t.Errorf("after a child killed for its memory: %v, %s %s", err, d.Status, d.Error)
	}
}

// A child killed from outside (as the kernel's OOM killer does) is not the
// file's fault: the file is parsed again in a fresh child, and if that one
// is killed too, Parse returns ErrTransient and no document, so that the
// file is not stored as a failure (it was stored as "write |1: broken
// pipe", never retried).
func TestIsolatorKilledFromOutside(t *testing.T) {
	iso := testIsolator(t)
	seed := read(t, "2020_zhongmou_commerce_seed.txt")
	ctx := context.Background()
	d, err := iso.Parse(ctx, "oom.txt", "", seed, extract.Options{})
	if !errors.Is(err, parse.ErrTransient) || d != nil || !strings.Contains(err.Error(), "killed by signal killed") {
		t.Errorf("oom.txt: %v, %v", err, d)
	}
	once := filepath.Join(t.TempDir(), "oomonce.txt")
	d, err = iso.Parse(ctx, once, "", seed, extract.Options{})
	if err != nil || d.Status != "ok" {
		t.Errorf("oomonce.txt: %v, %+v", err, d)
	}
}

// Cancelling the context (Ctrl-C in parse or explain) ends a parse at
// once, its child killed.
func TestIsolatorCancel(t *testing.T) {
	iso := testIsolator(t)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	d, err := iso.Parse(ctx, "hang.txt", "", read(t, "2020_zhongmou_commerce_seed.txt"), extract.Options{})
	if err == nil || d != nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a cancelled parse: %v, %v", err, d)
	}
}

// A parse that reports progress (a page read by OCR) past the time limit
// is not stopped: each page gives it the limit again. One that stops
// reporting is stopped at the limit after its last page, in a child
// (killed) as in-process (abandoned). The caller is told of each page.
func TestProgressPushesTheLimit(t *testing.T) {
	seed := read(t, "2020_zhongmou_commerce_seed.txt")
	var armed []time.Duration // the time left each time the timer was set
	parse.SetTimer(func(source string, left time.Duration) <-chan time.Time {
		armed = append(armed, left)
		return time.After(progressLimit)
	})
	defer parse.SetTimer(nil)
	release := make(chan struct{})
	defer close(release)
	parse.SetProgressHook(func(source string, progress func(int)) { progressHook(source, progress, release) })
	defer parse.SetProgressHook(nil)
	for _, iso := range []*parse.Isolator{nil, testIsolator(t)} {
		how, killed := "in-process", ""
		if iso != nil {
			how, killed = "in a child", " (parser process killed)"
		}
		for _, c := range []struct {
			name, status, err string
			pages             string
		}{
			{"progress.txt", "ok", "", "[1 2 3 4 5 6 7 8]"},
			{"stall.txt", "error", "parse timed out: no progress for 2m0s after 3 pages read by OCR" + killed, "[1 2 3]"},
		} {
			armed = nil
			var pages []int
			start := time.Now()
			d, err := iso.Parse(context.Background(), c.name, "", seed, extract.Options{Progress: func(p int) { pages = append(pages, p) }})
			took := time.Since(start)
			if err != nil {
				t.Fatalf("%s %s: %v", how, c.name, err)
			}
			if d.Status != c.status || d.Error != c.err || fmt.Sprint(pages) != c.pages {
				t.Errorf("%s %s: status %s, error %q, pages %v; want %s, %q, %s", how, c.name, d.Status, d.Error, pages, c.status, c.err, c.pages)
			}
			if c.status == "error" && took < 3*pageEvery+progressLimit {
				t.Errorf("%s %s: stopped after %v, before the limit after its last page", how, c.name, took)
			}
			// The timer is set at the start and at each page, each time to
			// Timeout (the pages come long before MaxTimeout).
			if len(armed) != len(pages)+1 {
				t.Errorf("%s %s: the timer was set %d times for %d pages", how, c.name, len(armed), len(pages))
			}
			for _, left := range armed {
				if left > parse.Timeout || left < parse.Timeout-10*time.Second {
					t.Errorf("%s %s: the timer was set to %v, want about %v", how, c.name, left, parse.Timeout)
				}
			}
		}
	}
}
