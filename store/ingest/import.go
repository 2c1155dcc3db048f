package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/store"
)

// Options control an import run.
type Options struct {
	Jobs      int           // parse workers; 0: the number of CPUs
	Reparse   bool          // replace documents already imported
	Timeout   time.Duration // per document; 0: 2 minutes
	BatchSize int           // documents per transaction; 0: 64
	Progress  Progress      // nil: no progress
	Log       io.Writer     // failures, one line each; nil: discarded
}

// Progress receives the run's events (a terminal bar, log lines).
type Progress interface {
	Total(n int)
	Done(d *govreport.Document, skipped bool)
	Finish()
}

// Summary is what an import run did.
type Summary struct {
	Files     int
	Imported  int
	Skipped   int // already imported
	Failed    int
	Bytes     int64
	Pages     int
	ByFormat  map[string]int
	ByLayout  map[string]int
	ByStatus  map[string]int
	Checks    int // checks failed
	Elapsed   time.Duration
	Interrupt bool
}

// String renders the summary as a few lines for the terminal.
func (s Summary) String() string {
	var b strings.Builder
	rate := 0.0
	if s.Elapsed > 0 {
		rate = float64(s.Imported+s.Skipped+s.Failed) / s.Elapsed.Seconds()
	}
	fmt.Fprintf(&b, "%d files: %d imported, %d already imported, %d failed; %d checks failed; %.1fs (%.0f docs/s, %.1f MB/s)",
		s.Files, s.Imported, s.Skipped, s.Failed, s.Checks, s.Elapsed.Seconds(), rate, float64(s.Bytes)/1e6/max(s.Elapsed.Seconds(), 1e-9))
	for _, g := range []struct {
		name string
		m    map[string]int
	}{{"format", s.ByFormat}, {"layout", s.ByLayout}, {"status", s.ByStatus}} {
		if len(g.m) == 0 {
			continue
		}
		keys := make([]string, 0, len(g.m))
		for k := range g.m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		fmt.Fprintf(&b, "\n  by %s:", g.name)
		for _, k := range keys {
			fmt.Fprintf(&b, " %s %d", k, g.m[k])
		}
	}
	if s.Interrupt {
		b.WriteString("\n  interrupted: rerun the same command to import the rest")
	}
	return b.String()
}

// Walk lists the files under paths (recursively), sorted, skipping hidden
// files and the database's own files.
func Walk(paths []string) ([]string, error) {
	var out []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") && path != p {
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() || !d.Type().IsRegular() || skipExt[strings.ToLower(filepath.Ext(name))] {
				return nil
			}
			out = append(out, path)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

var skipExt = map[string]bool{".db": true, ".db-wal": true, ".db-shm": true, ".json": true, ".tsv": true, ".md": true, ".py": true, ".go": true, ".png": true, ".jpg": true}

type job struct {
	path string
	doc  *govreport.Document
	skip bool
	size int64
	err  error
}

// Import parses the files under paths and stores them. A file that fails
// is stored with its status and error and reported on opt.Log; the run goes
// on. Cancelling ctx finishes the documents in flight and stops.
func Import(ctx context.Context, st *store.Store, paths []string, opt Options) (Summary, error) {
	start := time.Now()
	sum := Summary{ByFormat: map[string]int{}, ByLayout: map[string]int{}, ByStatus: map[string]int{}}
	files, err := Walk(paths)
	if err != nil {
		return sum, err
	}
	sum.Files = len(files)
	if opt.Progress != nil {
		opt.Progress.Total(len(files))
	}
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 2 * time.Minute
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	logw := opt.Log
	if logw == nil {
		logw = io.Discard
	}
	in := make(chan string)
	out := make(chan job, jobs*2)
	go func() {
		defer close(in)
		for _, f := range files {
			select {
			case in <- f:
			case <-ctx.Done():
				return
			}
		}
	}()
	var wg sync.WaitGroup
	for w := 0; w < jobs; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for path := range in {
				out <- parseFile(ctx, st, path, opt)
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()

	var batch []job
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		docs := make([]*govreport.Document, len(batch))
		for i, j := range batch {
			docs[i] = j.doc
		}
		errs, err := st.SaveBatch(context.WithoutCancel(ctx), docs, opt.Reparse)
		if err != nil {
			return err
		}
		for i, j := range batch {
			if errs[i] == store.ErrExists {
				sum.Skipped++
			} else if errs[i] != nil {
				sum.Failed++
				fmt.Fprintf(logw, "%s: store: %v\n", j.path, errs[i])
			} else {
				sum.account(j)
				if Failed(j.doc) {
					sum.Failed++
					fmt.Fprintf(logw, "%s: %s: %s\n", j.path, j.doc.Status, j.doc.Error)
				} else {
					sum.Imported++
				}
			}
			if opt.Progress != nil {
				opt.Progress.Done(j.doc, errs[i] == store.ErrExists)
			}
		}
		batch = batch[:0]
		return nil
	}
	tick := time.NewTicker(250 * time.Millisecond)
	defer tick.Stop()
	var werr error
loop:
	for {
		select {
		case j, ok := <-out:
			if !ok {
				break loop
			}
			if j.err != nil {
				sum.Failed++
				fmt.Fprintf(logw, "%s: %v\n", j.path, j.err)
				if opt.Progress != nil {
					opt.Progress.Done(&govreport.Document{Source: j.path, Status: govreport.StatusError}, false)
				}
				continue
			}
			if j.skip {
				sum.Skipped++
				if opt.Progress != nil {
					opt.Progress.Done(j.doc, true)
				}
				continue
			}
			batch = append(batch, j)
			if len(batch) >= opt.BatchSize {
				if werr = flush(); werr != nil {
					break loop
				}
			}
		case <-tick.C:
			if werr = flush(); werr != nil {
				break loop
			}
		}
	}
	if werr == nil {
		werr = flush()
	}
	if opt.Progress != nil {
		opt.Progress.Finish()
	}
	sum.Interrupt = ctx.Err() != nil
	sum.Elapsed = time.Since(start)
	return sum, werr
}

func (s *Summary) account(j job) {
	d := j.doc
	s.Bytes += j.size
	s.Pages += d.Pages
	s.ByFormat[d.Format]++
	if d.Layout != "" {
		s.ByLayout[d.Layout]++
	}
	s.ByStatus[d.Status]++
	for _, c := range d.Checks {
		if c.Status == govreport.CheckFail {
			s.Checks++
		}
	}
}

func parseFile(ctx context.Context, st *store.Store, path string, opt Options) job {
	data, err := os.ReadFile(path)
	if err != nil {
		return job{path: path, err: err}
	}
	j := job{path: path, size: int64(len(data))}
	if !opt.Reparse {
		h := sha256.Sum256(data)
		has, err := st.Has(ctx, hex.EncodeToString(h[:]))
		if err == nil && has {
			j.skip = true
			j.doc = &govreport.Document{Source: path}
			return j
		}
	}
	j.doc = ParseTimeout(path, data, extract.Options{}, opt.Timeout)
	return j
}
