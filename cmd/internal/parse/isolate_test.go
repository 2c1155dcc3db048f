package parse_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"govreport"
	"govreport/cmd/internal/parse"
	"govreport/extract"
)

const corpus = "../../../testdata/corpus"

// The test binary doubles as the isolator's child when this variable is set:
// a document named *crash* then overflows the stack (a fatal error Go cannot
// recover from) and one named *hang* never finishes.
const workerEnv = "GOVREPORT_TEST_PARSE_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		parse.SetHook(func(source string) {
			switch {
			case strings.Contains(source, "crash"):
				recurse(0)
			case strings.Contains(source, "hang"):
				time.Sleep(time.Hour)
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

// A PDF parsed in a child is the document parsed in-process; other formats
// are parsed in-process.
func TestIsolatedParseSameDocument(t *testing.T) {
	iso := testIsolator(t)
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2020_zhongmou_commerce_seed.txt"} {
		path := filepath.Join(corpus, name)
		data := read(t, name)
		want := parse.Bytes(path, data, extract.Options{})
		got := iso.Parse(path, "", data, extract.Options{})
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
		{"b_crash.pdf", append(append([]byte{}, real1...), "\n%crash\n"...), "error", "parser crashed: fatal error: stack overflow (goroutine stack exceeds 268435456-byte limit)"},
		{"c_real.pdf", real2, "ok", ""},
		{"d_hang.pdf", append(append([]byte{}, real1...), "\n%hang\n"...), "error", "parse timed out after 2m0s (parser process killed)"},
		{"e_real.pdf", real2, "ok", ""},
		{"f_seed.txt", read(t, "2020_zhongmou_commerce_seed.txt"), "ok", ""},
	} {
		d := iso.Parse(c.name, "", c.data, extract.Options{})
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
		d := iso.Parse(name, "", data, extract.Options{})
		if d.Status != govreport.StatusError || d.Error != want || !parse.Failed(d) {
			t.Errorf("%s: status %s, error %q; want error %q", name, d.Status, d.Error, want)
		}
	}
	if d := iso.Parse("seed.txt", "", data, extract.Options{}); d.Status != govreport.StatusOK || parse.Failed(d) {
		t.Errorf("seed.txt: status %s, error %q", d.Status, d.Error)
	}
}
