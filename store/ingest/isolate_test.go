package ingest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"govreport/extract"
	"govreport/store"
	"govreport/store/ingest"
)

// The test binary doubles as the isolator's child when this variable is set:
// a document named *crash* then overflows the stack (a fatal error Go cannot
// recover from) and one named *hang* never finishes.
const workerEnv = "GOVREPORT_TEST_PARSE_WORKER"

func TestMain(m *testing.M) {
	if os.Getenv(workerEnv) == "1" {
		ingest.SetParseHook(func(source string) {
			switch {
			case strings.Contains(source, "crash"):
				recurse(0)
			case strings.Contains(source, "hang"):
				time.Sleep(time.Hour)
			}
		})
		if err := ingest.ServeWorker(os.Stdin, os.Stdout); err != nil {
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

func testIsolator(t *testing.T) *ingest.Isolator {
	iso := &ingest.Isolator{Command: []string{os.Args[0]}, Env: []string{workerEnv + "=1"}}
	t.Cleanup(iso.Close)
	return iso
}

// A PDF parsed in a child is the document parsed in-process; other formats
// are parsed in-process (their trace kept).
func TestIsolatedParseSameDocument(t *testing.T) {
	iso := testIsolator(t)
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2020_zhongmou_commerce_seed.txt"} {
		path := filepath.Join(corpus, name)
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		want := ingest.Parse(path, data, extract.Options{})
		if strings.HasSuffix(name, ".pdf") {
			want.Trace = nil // not sent by a child: explain runs in-process
		}
		got := iso.Parse(path, data, extract.Options{}, time.Minute)
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
// each fail their own file; the run goes on with a fresh child.
func TestImportIsolatesCrashAndHang(t *testing.T) {
	dir := t.TempDir()
	real1, err := os.ReadFile(filepath.Join(corpus, "2024_huaian_szf_1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	real2, err := os.ReadFile(filepath.Join(corpus, "2023_hongze_qzf_1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	seedText, err := os.ReadFile(filepath.Join(corpus, "2020_zhongmou_commerce_seed.txt"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{
		"a_real.pdf":  real1,
		"b_crash.pdf": append(append([]byte{}, real1...), "\n%crash\n"...),
		"c_hang.pdf":  append(append([]byte{}, real1...), "\n%hang\n"...),
		"d_real.pdf":  real2,
		"e_seed.txt":  seedText,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	ingest.SetTimer(func(source string, limit time.Duration) <-chan time.Time {
		if strings.Contains(source, "hang") {
			return time.After(300 * time.Millisecond)
		}
		return nil
	})
	defer ingest.SetTimer(nil)

	st, err := store.Open(filepath.Join(t.TempDir(), "iso.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var log strings.Builder
	sum, err := ingest.Import(context.Background(), st, []string{dir}, ingest.Options{Jobs: 1, Isolate: testIsolator(t), Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != 3 || sum.Failed != 2 {
		t.Fatalf("%s\nlog:\n%s", sum, log.String())
	}
	rows, err := st.DB().Query(`SELECT source, status, coalesce(error, ''), (SELECT count(*) FROM cells WHERE doc_id = d.id) FROM documents d ORDER BY source`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	want := map[string]struct{ status, err string }{
		"a_real.pdf":  {"ok", ""},
		"b_crash.pdf": {"error", "parser crashed: fatal error: stack overflow (goroutine stack exceeds 268435456-byte limit)"},
		"c_hang.pdf":  {"error", "parse timed out after 2m0s (parser process killed)"},
		"d_real.pdf":  {"ok", ""},
		"e_seed.txt":  {"ok", ""},
	}
	n := 0
	for rows.Next() {
		var src, status, msg string
		var cells int
		if err := rows.Scan(&src, &status, &msg, &cells); err != nil {
			t.Fatal(err)
		}
		n++
		w := want[filepath.Base(src)]
		if status != w.status || msg != w.err {
			t.Errorf("%s: status %s, error %q; want %s, %q", filepath.Base(src), status, msg, w.status, w.err)
		}
		if (status == "ok") != (cells > 0) {
			t.Errorf("%s: status %s with %d cells", filepath.Base(src), status, cells)
		}
	}
	if n != len(want) {
		t.Errorf("%d documents stored, want %d", n, len(want))
	}
	for _, name := range []string{"b_crash.pdf", "c_hang.pdf"} {
		if !strings.Contains(log.String(), name) {
			t.Errorf("log does not name %s:\n%s", name, log.String())
		}
	}
}
