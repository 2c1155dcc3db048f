package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"github.com/spf13/pflag"

	"govreport/cmd/internal/ingest"
	"govreport/normalize"
	"govreport/store"
)

func init() {
	register(&command{
		name:    "import",
		summary: "import report files or folders into the database",
		usage:   "PATH...",
		args:    oneOrMore,
		help: `Imports report files (PDF, HTML, text), or every file under a folder,
into the database, each with its absolute path as source. Under a folder,
hidden files, database files and files that are not reports by their
extension (.tsv, .json, .md, …) are ignored and counted (--verbose lists
them); paths that hold nothing to import are an error. A file already
imported (same sha256) is skipped unless --reparse. Each document is
stored whole or not at all. A file that fails is reported with its path
and the reason and the run goes on; the exit status is 1 if any file
failed. A rerun reports the files an earlier run stored as failures and
exits with status 1 while there are any; --retry-failed parses them again.

Files are parsed by --jobs workers and written by one writer, 64 documents
per transaction. Progress goes to stderr: a bar on a terminal, a line every
5 seconds otherwise, nothing with --quiet. Ctrl-C writes the documents
being parsed and stops (a second Ctrl-C quits at once); after an
interruption, even kill -9, rerun the same command: it skips what is
already imported.

Files are parsed in child processes (govreport parse-worker, one per job):
a crash that Go cannot recover from, a parse past its 2-minute limit or
past its memory limit fails that one file and the child is replaced; a
child killed from outside (the kernel's OOM killer) is retried once, and
if it is killed again the file is not stored, so that the next run parses
it again. --isolate=false parses them in-process. A file larger than
--max-bytes (64 MiB) fails without being read.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			reparse := fs.Bool("reparse", false, "parse files already imported again and replace their rows")
			jobs := fs.Int("jobs", 0, "parse workers (default: the number of CPUs)")
			quiet := fs.Bool("quiet", false, "no progress display")
			retry := fs.Bool("retry-failed", false, "parse again the files an earlier run stored as failures, and replace them")
			verbose := fs.Bool("verbose", false, "list the files under the folders that are ignored (hidden, database, not reports), with why")
			lim := limitFlags(fs)
			return func(ctx context.Context, args []string) error {
				tuneGC()
				st, err := openStore(*db)
				if err != nil {
					return err
				}
				defer st.Close()
				opt := ingest.Options{Jobs: *jobs, Reparse: *reparse, RetryFailed: *retry, Verbose: *verbose, Log: stderr, MaxBytes: lim.maxBytes}
				if opt.Isolate, err = lim.isolator(); err != nil {
					return err
				}
				defer opt.Isolate.Close()
				msgs := stderr // messages: above the progress bar while it shows
				if !*quiet {
					p := newProgress(stderr)
					opt.Progress, opt.Log, msgs = p, p, p
				}
				finished := make(chan struct{})
				defer close(finished)
				go func() {
					// A first Ctrl-C finishes the documents in flight; a
					// second one quits at once (the database stays sound).
					select {
					case <-ctx.Done():
					case <-finished:
						return
					}
					signal.Reset(os.Interrupt, syscall.SIGTERM)
					if !*quiet {
						fmt.Fprintln(msgs, "interrupted: writing the documents in flight (Ctrl-C again to quit now)")
					}
				}()
				sum, err := ingest.Import(ctx, st, args, opt)
				if errors.Is(err, ingest.ErrNothing) {
					return err
				}
				fmt.Fprintln(stdout, sum.String())
				if err != nil {
					return err
				}
				if sum.Failed > 0 || sum.FailedBefore > 0 || sum.Interrupt {
					return exitError{1}
				}
				return nil
			}
		},
	})
}

// openStore opens the database with the parser's version and templates.
func openStore(path string) (*store.Store, error) {
	return store.Open(path, storeOptions())
}

// openDB opens the database of a command that reads one (stats, search,
// index, export, check). A missing file is an error that says how to make
// the database: such a command never creates an empty one. A command that
// only reads (write false) opens it read-only, so that a read-only file
// or a full disk can be read, unless its schema must be brought up to
// date first.
func openDB(path string, write bool) (*store.Store, error) {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("no database %s: import reports into it first (govreport import --db %s PATH...) or name another with --db", path, path)
	case err != nil:
		return nil, err
	case fi.IsDir():
		return nil, fmt.Errorf("%s is a folder, not a database", path)
	}
	if write {
		return openStore(path)
	}
	opt := storeOptions()
	opt.ReadOnly = true
	st, err := store.Open(path, opt)
	if errors.Is(err, store.ErrOutdated) {
		return openStore(path) // upgrades it, if it can be written
	}
	return st, err
}

// storeOptions are the database's options in this process.
func storeOptions() store.Options {
	return ingest.StoreOptions(normalize.DefaultTemplates())
}

// tuneGC trades memory for CPU during an import: the heap may grow to 5×
// the live data between collections (about 10% less CPU, measured), under
// a soft limit of 200 MB that keeps the process within its memory budget.
// GOGC or GOMEMLIMIT in the environment take precedence.
func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(200 << 20)
	}
}
