// Package ingest imports report files into the store: it walks paths,
// hashes each file, parses it (cmd/internal/parse) in parallel workers and
// hands the documents to a single writer that batches transactions.
package ingest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"govreport"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/store"
)

// Options control an import run.
type Options struct {
	Jobs      int             // parse workers; 0: the number of CPUs
	Reparse   bool            // replace documents already imported
	BatchSize int             // documents per transaction; 0: 64
	Progress  Progress        // nil: no progress
	Log       io.Writer       // failures, one line each; nil: discarded
	Isolate   *parse.Isolator // when set, files are parsed in its child processes; nil: in-process
	MaxBytes  int64           // the largest file read (0: extract.DefaultMaxBytes); a larger one fails, not stored
	// RetryFailed parses again the files an earlier run stored as failures
	// (parse.FailedStatus) and replaces them; otherwise they are skipped
	// and counted as FailedBefore.
	RetryFailed bool
	Verbose     bool // list on Log each file under a folder that is ignored, with why
}

// Outcome is what became of one file.
type Outcome int

// The outcomes of a file.
const (
	OutcomeImported     Outcome = iota // stored, readable (status ok, partial, unsupported, …)
	OutcomeSkipped                     // already imported (same sha256)
	OutcomeFailed                      // unreadable (stored with its error), or not stored
	OutcomeFailedBefore                // not parsed: an earlier run stored it as a failure
)

// Progress receives the run's events (a terminal bar, log lines). Total is
// called once before any Done; Done once per file, from the writer
// goroutine only; Finish once at the end.
type Progress interface {
	Total(n int)
	Done(d *govreport.Document, o Outcome)
	Finish()
}

// Summary is what an import run did.
type Summary struct {
	Files    int
	Imported int
	Skipped  int // already imported
	Failed   int
	// FailedBefore counts the files skipped because an earlier run stored
	// them as failures (see Options.RetryFailed).
	FailedBefore int
	// Ignored counts the files under the folders given that were not
	// read, by reason: "hidden", "database", or their extension (".tsv").
	Ignored   map[string]int
	Pending   int   // not reached: the run was interrupted or the writer failed
	Bytes     int64 // of the files parsed and stored
	Pages     int   // of the PDFs parsed and stored
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
	sec := max(s.Elapsed.Seconds(), 1e-9)
	fmt.Fprintf(&b, "%d files: %d imported, %d already imported, %d failed", s.Files, s.Imported, s.Skipped, s.Failed)
	if s.FailedBefore > 0 {
		fmt.Fprintf(&b, ", %d failed in an earlier run", s.FailedBefore)
	}
	if s.Pending > 0 {
		fmt.Fprintf(&b, ", %d not reached", s.Pending)
	}
	fmt.Fprintf(&b, "; %d checks failed\n  %.1fs: %.0f docs/s, %.1f MB/s", s.Checks, s.Elapsed.Seconds(),
		float64(s.Files-s.Pending)/sec, float64(s.Bytes)/1e6/sec)
	if s.Pages > 0 {
		fmt.Fprintf(&b, ", %d PDF pages, %.0f pages/s", s.Pages, float64(s.Pages)/sec)
	}
	for _, g := range []struct {
		name string
		m    map[string]int
	}{{"format", s.ByFormat}, {"layout", s.ByLayout}, {"status", s.ByStatus}} {
		if len(g.m) > 0 {
			fmt.Fprintf(&b, "\n  by %s: %s", g.name, counts(g.m))
		}
	}
	if len(s.Ignored) > 0 {
		fmt.Fprintf(&b, "\n  ignored, not report files: %s (--verbose lists them)", counts(s.Ignored))
	}
	if s.FailedBefore > 0 {
		fmt.Fprintf(&b, "\n  stored as failures by an earlier run, not parsed again: %d (--retry-failed parses them again)", s.FailedBefore)
	}
	if s.Interrupt {
		b.WriteString("\n  interrupted: rerun the same command to import the rest")
	}
	return b.String()
}

// counts renders a count per key, keys sorted: "a 2, b 1".
func counts(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

// Ignored is a file (or a hidden folder) under a folder given to Walk
// that is not read, and why.
type Ignored struct{ Path, Reason string }

// Walk lists the files under paths (recursively), sorted. Under a folder
// it ignores hidden files and folders, the database's own files, files
// that are not reports by their extension (.tsv, .json, …), symbolic links
// to folders (not followed) and broken ones, and lists them with the
// reason; a symbolic link to a file is listed as the file. A file named on
// its own is always listed.
func Walk(paths []string) (files []string, ignored []Ignored, err error) {
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			name := d.Name()
			if strings.HasPrefix(name, ".") && path != p {
				ignored = append(ignored, Ignored{path, "hidden"})
				if d.IsDir() {
					return filepath.SkipDir
				}
				return nil
			}
			if d.IsDir() {
				return nil
			}
			ext := strings.ToLower(filepath.Ext(name))
			kind := d.Type()
			if kind&fs.ModeSymlink != 0 {
				// A link to a file is read as the file; a link to a
				// folder is not followed (it could lead back).
				switch st, err := os.Stat(path); {
				case err != nil:
					ignored = append(ignored, Ignored{path, "broken symbolic link"})
					return nil
				case st.IsDir():
					ignored = append(ignored, Ignored{path, "symbolic link to a folder"})
					return nil
				default:
					kind = st.Mode().Type()
				}
			}
			switch {
			case !kind.IsRegular():
				ignored = append(ignored, Ignored{path, "not a regular file"})
			case dbExt[ext]:
				ignored = append(ignored, Ignored{path, "database"})
			case otherExt[ext]:
				ignored = append(ignored, Ignored{path, ext})
			default:
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			return nil, nil, err
		}
	}
	sort.Strings(files)
	return files, ignored, nil
}

var (
	dbExt    = map[string]bool{".db": true, ".db-wal": true, ".db-shm": true}
	otherExt = map[string]bool{".json": true, ".tsv": true, ".md": true, ".py": true, ".go": true, ".png": true, ".jpg": true}
)

// ErrNothing is Import's error when the paths hold no file to import.
var ErrNothing = errors.New("nothing to import")

type job struct {
	path  string
	doc   *govreport.Document
	skip  bool // stored already: doc holds the stored status and error
	retry bool // stored as a failure, parsed again to replace it
	size  int64
	err   error
}

// Import parses the files under paths and stores them, each with its
// absolute path as source. A file that fails is stored with its status and
// error and reported on opt.Log; the run goes on. A file already stored is
// skipped unparsed (by sha256, whatever source it was stored with); one
// stored as a failure is reported and counted as FailedBefore unless
// opt.RetryFailed. Paths that hold no file to import are ErrNothing. Cancelling ctx stops handing out files; the documents being parsed
// are finished and written before Import returns.
//
// Memory is bounded: workers parse one document each, at most Jobs parsed
// documents wait for the writer and at most BatchSize are in the writer's
// transaction, whatever the number of files.
func Import(ctx context.Context, st *store.Store, paths []string, opt Options) (Summary, error) {
	start := time.Now()
	sum := Summary{ByFormat: map[string]int{}, ByLayout: map[string]int{}, ByStatus: map[string]int{}}
	abs := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			return sum, err
		}
		abs[i] = a
	}
	// the documents saved from here on are this run's (a reparse keeps
	// its documents' ids: then every one)
	var before int64
	if !opt.Reparse {
		var err error
		if before, err = st.LastDocument(ctx); err != nil {
			return sum, err
		}
	}
	files, ignored, err := Walk(abs)
	if err != nil {
		return sum, err
	}
	var logw io.Writer = io.Discard
	if opt.Log != nil {
		logw = oneLine{opt.Log}
	}
	if len(ignored) > 0 {
		sum.Ignored = map[string]int{}
	}
	for _, ig := range ignored {
		sum.Ignored[ig.Reason]++
		if opt.Verbose {
			fmt.Fprintf(logw, "%s: ignored: %s\n", ig.Path, ig.Reason)
		}
	}
	if len(files) == 0 {
		what := "no file"
		if len(ignored) > 0 {
			what = fmt.Sprintf("no report file (ignored: %s)", counts(sum.Ignored))
		}
		return sum, fmt.Errorf("%w: %s in %s", ErrNothing, what, strings.Join(paths, ", "))
	}
	sum.Files = len(files)
	progress := opt.Progress
	if progress == nil {
		progress = nopProgress{}
	}
	progress.Total(len(files))
	jobs := opt.Jobs
	if jobs <= 0 {
		jobs = runtime.NumCPU()
	}
	if opt.BatchSize <= 0 {
		opt.BatchSize = 64
	}
	// stop ends the feeding of files: on ctx's cancellation, or when the
	// writer fails. Work in flight never sees it; its results are written
	// with a context that is not cancelled.
	feed, stop := context.WithCancel(ctx)
	defer stop()
	bg := context.WithoutCancel(ctx)
	in := make(chan string)
	out := make(chan job, opt.BatchSize)
	go func() {
		defer close(in)
		for _, f := range files {
			if feed.Err() != nil {
				return
			}
			select {
			case in <- f:
			case <-feed.Done():
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
				if feed.Err() != nil {
					continue // handed out as the run stopped: not started
				}
				out <- parseFile(bg, st, path, opt)
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()

	done := func(d *govreport.Document, o Outcome) {
		switch o {
		case OutcomeImported:
			sum.Imported++
		case OutcomeSkipped:
			sum.Skipped++
		case OutcomeFailedBefore:
			sum.FailedBefore++
		default:
			sum.Failed++
		}
		progress.Done(d, o)
	}
	batch := make([]job, 0, opt.BatchSize)
	docs := make([]*govreport.Document, 0, opt.BatchSize)
	var group []job
	// save stores the documents of batch that replace what is stored
	// (reparsed, retried), or those that do not, in one transaction.
	save := func(replace bool) error {
		docs, group = docs[:0], group[:0]
		for _, j := range batch {
			if opt.Reparse || j.retry == replace {
				docs = append(docs, j.doc)
				group = append(group, j)
			}
		}
		if len(docs) == 0 {
			return nil
		}
		errs, err := st.SaveBatch(bg, docs, replace)
		if err != nil {
			return err
		}
		for i, j := range group {
			switch {
			case errs[i] == store.ErrExists:
				done(j.doc, OutcomeSkipped)
			case errs[i] != nil:
				fmt.Fprintf(logw, "%s: store: %v\n", j.path, errs[i])
				done(j.doc, OutcomeFailed)
			case parse.Failed(j.doc):
				sum.account(j)
				fmt.Fprintf(logw, "%s: %s: %s\n", j.path, j.doc.Status, j.doc.Error)
				done(j.doc, OutcomeFailed)
			default:
				sum.account(j)
				done(j.doc, OutcomeImported)
			}
			group[i] = job{} // let the document go
		}
		return nil
	}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := save(opt.Reparse)
		if err == nil && !opt.Reparse {
			err = save(true)
		}
		clear(batch)
		batch = batch[:0]
		return err
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
			switch {
			case j.err != nil:
				fmt.Fprintf(logw, "%s: %v\n", j.path, j.err)
				done(&govreport.Document{Source: j.path, Status: govreport.StatusError, Error: j.err.Error()}, OutcomeFailed)
			case j.skip && parse.Failed(j.doc):
				fmt.Fprintf(logw, "%s: failed in an earlier run: %s: %s\n", j.path, j.doc.Status, j.doc.Error)
				done(j.doc, OutcomeFailedBefore)
			case j.skip:
				done(j.doc, OutcomeSkipped)
			default:
				batch = append(batch, j)
				if len(batch) >= opt.BatchSize {
					werr = flush()
				}
			}
		case <-tick.C:
			werr = flush()
		}
		if werr != nil {
			// Stop feeding and let the workers finish into a drain.
			stop()
			go func() {
				for range out {
				}
			}()
			break loop
		}
	}
	if werr == nil {
		werr = flush()
	}
	if werr == nil && sum.Imported > 0 {
		// excerpts join their reports, whichever came first
		_, werr = st.GroupExcerpts(bg, before)
	}
	progress.Finish()
	sum.Pending = sum.Files - sum.Imported - sum.Skipped - sum.Failed - sum.FailedBefore
	sum.Interrupt = ctx.Err() != nil && sum.Pending > 0
	sum.Elapsed = time.Since(start)
	return sum, werr
}

// oneLine writes each message (one Write, as fmt.Fprintf makes) as one
// line: control characters inside it are escaped, so that a file name
// holding a newline cannot forge lines of the log.
type oneLine struct{ w io.Writer }

func (o oneLine) Write(p []byte) (int, error) {
	body := bytes.TrimSuffix(p, []byte("\n"))
	if bytes.IndexFunc(body, unicode.IsControl) < 0 {
		return o.w.Write(p)
	}
	var b bytes.Buffer
	for _, r := range string(body) {
		if unicode.IsControl(r) {
			q := strconv.QuoteRune(r) // '\n', '\x1b'
			b.WriteString(q[1 : len(q)-1])
		} else {
			b.WriteRune(r)
		}
	}
	b.WriteByte('\n')
	if _, err := o.w.Write(b.Bytes()); err != nil {
		return 0, err
	}
	return len(p), nil
}

type nopProgress struct{}

func (nopProgress) Total(int)                         {}
func (nopProgress) Done(*govreport.Document, Outcome) {}
func (nopProgress) Finish()                           {}

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

// parseFile reads, hashes and parses one file. A file already stored is
// not parsed (unless Reparse). A file that cannot be read, is over the
// size limit or whose parse failed for a reason outside it
// (parse.ErrTransient) is not stored: j.err says why.
func parseFile(ctx context.Context, st *store.Store, path string, opt Options) job {
	data, err := parse.ReadFile(path, opt.MaxBytes)
	if err != nil {
		return job{path: path, err: err}
	}
	j := job{path: path, size: int64(len(data))}
	sha := parse.SHA256(data)
	if !opt.Reparse {
		status, reason, err := st.Stored(ctx, sha)
		switch {
		case err != nil || status == "":
		case opt.RetryFailed && parse.FailedStatus(status):
			j.retry = true
		default:
			j.skip = true
			j.doc = &govreport.Document{Source: path, SHA256: sha, Status: status, Error: reason}
			return j
		}
	}
	if j.doc, j.err = opt.Isolate.Parse(ctx, path, sha, data, extract.Options{MaxBytes: opt.MaxBytes}); j.err == nil {
		j.err = SetPublisher(ctx, st, j.doc, "")
	}
	return j
}
