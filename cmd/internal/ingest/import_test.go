package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"govreport"
	"govreport/cmd/internal/benchcorpus"
	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/normalize"
	"govreport/store"
)

const corpus = "../../../testdata/corpus"

// storeOptions are the database's options as govreport opens it.
var storeOptions = ingest.StoreOptions(normalize.DefaultTemplates())

// copyFiles copies corpus files into a fresh folder.
func copyFiles(t *testing.T, names ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range names {
		data, err := os.ReadFile(filepath.Join(corpus, n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "t.db"), storeOptions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

type docRow struct{ status, err string }

func rows(t *testing.T, st *store.Store) map[string]docRow {
	t.Helper()
	r, err := st.DB().Query(`SELECT source, status, coalesce(error, '') FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	out := map[string]docRow{}
	for r.Next() {
		var src string
		var d docRow
		if err := r.Scan(&src, &d.status, &d.err); err != nil {
			t.Fatal(err)
		}
		out[filepath.Base(src)] = d
	}
	return out
}

// A panic and a stall in one document are that document's error; the
// others are imported.
func TestImportIsolatesPanicAndTimeout(t *testing.T) {
	dir := copyFiles(t, "2024_huaian_szf_2.txt", "2023_pingtan_1.html", "2024_hongze_qzf_1.pdf")
	for _, n := range []string{"panic.txt", "stall.txt"} {
		data, _ := os.ReadFile(filepath.Join(corpus, "2024_huaian_szf_2.txt"))
		if err := os.WriteFile(filepath.Join(dir, n), append(data, n...), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	release := make(chan struct{})
	defer close(release)
	parse.SetHook(func(src string) {
		switch filepath.Base(src) {
		case "panic.txt":
			panic("boom")
		case "stall.txt":
			<-release
		}
	})
	defer parse.SetHook(nil)
	// Only stall.txt's timer fires, at once: no race with the clock.
	parse.SetTimer(func(src string, _ time.Duration) <-chan time.Time {
		if filepath.Base(src) != "stall.txt" {
			return nil
		}
		c := make(chan time.Time, 1)
		c <- time.Now()
		return c
	})
	defer parse.SetTimer(nil)
	st := openStore(t)
	var log strings.Builder
	sum, err := ingest.Import(context.Background(), st, []string{dir}, ingest.Options{Jobs: 2, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range []string{"panic.txt: error: parser failed: boom", "stall.txt: error: parse timed out"} {
		if !strings.Contains(log.String(), n) {
			t.Errorf("log does not say %q:\n%s", n, log.String())
		}
	}
	if sum.Files != 5 || sum.Imported != 3 || sum.Failed != 2 || sum.Interrupt {
		t.Errorf("summary: %+v", sum)
	}
	got := rows(t, st)
	if len(got) != 5 {
		t.Fatalf("%d documents stored, want 5: %v", len(got), got)
	}
	if d := got["panic.txt"]; d.status != govreport.StatusError || !strings.Contains(d.err, "boom") {
		t.Errorf("panic.txt: %+v", d)
	}
	if d := got["stall.txt"]; d.status != govreport.StatusError || !strings.Contains(d.err, "timed out") {
		t.Errorf("stall.txt: %+v", d)
	}
	for _, n := range []string{"2024_huaian_szf_2.txt", "2023_pingtan_1.html", "2024_hongze_qzf_1.pdf"} {
		if d := got[n]; parse.Failed(&govreport.Document{Status: d.status}) {
			t.Errorf("%s: %+v", n, d)
		}
	}
}

// Cancelling an import writes the documents being parsed, starts no
// other, and says so; the rerun imports the rest.
func TestImportCancelFinishesInFlight(t *testing.T) {
	dir := t.TempDir()
	if _, err := benchcorpus.Generate(corpus, dir, 10, "txt"); err != nil {
		t.Fatal(err)
	}
	const jobs = 2
	entered := make(chan string, 10)
	release := make(chan struct{})
	parse.SetHook(func(src string) {
		entered <- src
		<-release
	})
	ctx, cancel := context.WithCancel(context.Background())
	st := openStore(t)
	var sum ingest.Summary
	var err error
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		sum, err = ingest.Import(ctx, st, []string{dir}, ingest.Options{Jobs: jobs})
	}()
	inFlight := map[string]bool{}
	for len(inFlight) < jobs {
		inFlight[filepath.Base(<-entered)] = true
	}
	cancel()
	close(release)
	wg.Wait()
	parse.SetHook(nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Imported != jobs || sum.Pending != 10-jobs || !sum.Interrupt || !strings.Contains(sum.String(), "interrupted") {
		t.Errorf("summary: %+v", sum)
	}
	got := rows(t, st)
	if len(got) != jobs {
		t.Errorf("stored %v, want the %d in flight %v", got, jobs, inFlight)
	}
	for n := range inFlight {
		if _, ok := got[n]; !ok {
			t.Errorf("%s was being parsed and is not stored", n)
		}
	}
	sum, err = ingest.Import(context.Background(), st, []string{dir}, ingest.Options{Jobs: jobs})
	if err != nil || sum.Imported != 10-jobs || sum.Skipped != jobs || sum.Interrupt {
		t.Errorf("rerun: %+v, %v", sum, err)
	}
}

// Symbolic links under a folder were skipped as "not a regular file",
// named only with --verbose: a link to a file is now read as the file, a
// link to a folder (not followed: it could lead back) and a broken link
// are ignored with a reason that says so.
func TestWalkSymlinks(t *testing.T) {
	src := copyFiles(t, "2020_zhongmou_commerce_seed.txt")
	dir := t.TempDir()
	for name, target := range map[string]string{
		"report.txt": filepath.Join(src, "2020_zhongmou_commerce_seed.txt"),
		"folder":     src,
		"broken.txt": filepath.Join(src, "missing.txt"),
	} {
		if err := os.Symlink(target, filepath.Join(dir, name)); err != nil {
			t.Skip("no symbolic links:", err)
		}
	}
	files, ignored, err := ingest.Walk([]string{dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 || filepath.Base(files[0]) != "report.txt" {
		t.Errorf("files %v, want the link to a file", files)
	}
	want := map[string]string{"folder": "symbolic link to a folder", "broken.txt": "broken symbolic link"}
	for _, ig := range ignored {
		if want[filepath.Base(ig.Path)] != ig.Reason {
			t.Errorf("%s ignored: %s, want %q", ig.Path, ig.Reason, want[filepath.Base(ig.Path)])
		}
		delete(want, filepath.Base(ig.Path))
	}
	if len(want) > 0 {
		t.Errorf("not listed as ignored: %v", want)
	}
}
