// Package parse turns one report file into a document, safely: read
// within a size limit, extract, then normalize, with panics recovered, a
// time limit, and files parsed in child processes (Isolator) bounded in
// time and memory, so that a crash Go cannot recover from costs one file.
// It opens no database: `govreport parse` and `explain` use it alone,
// import and crawl hand its documents to the store.
package parse

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sync/atomic"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// Timeout bounds the parse of one document in import and crawl: past it the
// document is stored with status error and the reason, and the run goes on.
// A parse that reports progress (a page read by OCR, through
// extract.Options.Progress) is long, not stuck: it is bounded by Timeout
// from its last progress instead, and by MaxTimeout from its start.
const Timeout = 2 * time.Minute

// MaxTimeout bounds a parse however long it reports progress: Timeout
// plus extract.ScanTimeout (ocr.MaxPages pages at 6 s), 12 minutes, so
// that a scan's OCR stops at its own bound first, keeping the pages it
// read, and the document is normalized within the rest.
const MaxTimeout = Timeout + extract.ScanTimeout

// deadline is the time limit of one parse: Timeout after its start or its
// last progress, whichever is later, and never past MaxTimeout after its
// start.
type deadline struct {
	start, at time.Time
	pages     int // progress reported
}

func newDeadline(start time.Time) *deadline {
	return &deadline{start: start, at: start.Add(Timeout)}
}

// progress records a page done at now and pushes the deadline.
func (d *deadline) progress(now time.Time) {
	d.pages++
	at := now.Add(Timeout)
	if limit := d.start.Add(MaxTimeout); at.After(limit) {
		at = limit
	}
	if at.After(d.at) {
		d.at = at
	}
}

// left is the time from now to the deadline.
func (d *deadline) left(now time.Time) time.Duration { return d.at.Sub(now) }

// timedOut is the error of a parse stopped at the deadline.
func (d *deadline) timedOut() string {
	switch {
	case d.pages == 0:
		return fmt.Sprintf("parse timed out after %s", Timeout)
	case d.at.Equal(d.start.Add(MaxTimeout)):
		return fmt.Sprintf("parse timed out after %s, the limit however long it makes progress (%d pages read by OCR)", MaxTimeout, d.pages)
	}
	return fmt.Sprintf("parse timed out: no progress for %s after %d pages read by OCR", Timeout, d.pages)
}

// Bytes parses one file in-process, without a time limit. It never returns
// nil and never panics: a file that cannot be read yields a document whose
// status and error say why.
func Bytes(source string, data []byte, opt extract.Options) *govreport.Document {
	return parse(source, SHA256(data), data, opt)
}

// ReadFile reads a file of at most max bytes (extract.DefaultMaxBytes when
// max is 0): a larger one is extract.ErrTooLarge, read no further than
// the limit (a 2 GB file, or /dev/zero, costs nothing).
func ReadFile(path string, max int64) ([]byte, error) {
	if max <= 0 {
		max = extract.DefaultMaxBytes
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.Mode().IsRegular() && fi.Size() > max {
		return nil, extract.TooLarge(fi.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > max {
		return nil, extract.TooLarge(-1, max)
	}
	return data, nil
}

// SHA256 is the hex sha256 of a file's bytes, the document's identity.
func SHA256(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// parse is Bytes with the file's sha256 already computed.
func parse(source, sha string, data []byte, opt extract.Options) *govreport.Document {
	d, _, _ := read(source, sha, data, opt, false)
	return d
}

// read is parse, recording the lines and events when explain is set.
func read(source, sha string, data []byte, opt extract.Options, explain bool) (d *govreport.Document, x *govreport.Extracted, events []normalize.Event) {
	defer func() {
		if r := recover(); r != nil {
			d = failedDoc(source, sha, data, opt, fmt.Sprintf("parser failed: %v", r))
		}
		d.Source, d.SHA256 = source, sha
		if d.Sections == nil {
			d.Sections = []govreport.Section{}
		}
		if d.Cells == nil {
			d.Cells = []govreport.Cell{}
		}
		if d.Checks == nil {
			d.Checks = []govreport.Check{}
		}
		if d.Warnings == nil {
			d.Warnings = []string{}
		}
	}()
	if h := parseHook.Load(); h != nil {
		progress := opt.Progress
		if progress == nil {
			progress = func(int) {}
		}
		(*h)(source, progress)
	}
	x, err := extract.Bytes(source, data, opt)
	if err != nil {
		d = &govreport.Document{Format: extract.Format(source, data, opt.ContentType), Status: govreport.StatusOf(err), Error: err.Error()}
		if x != nil {
			d.Pages = x.Pages
		}
		return d, nil, nil
	}
	if explain {
		d, events = normalize.Explain(x, normalize.Options{})
	} else {
		d = normalize.Normalize(x)
	}
	if len(d.Sections) == 0 && len(d.Cells) == 0 && len(x.Attachments) > 0 {
		d.Status = govreport.StatusAttachment
	}
	return d, x, events
}

// parseHook, when set by a test, runs at the start of every parse, inside
// its panic isolation, given the parse's progress callback.
var parseHook atomic.Pointer[func(source string, progress func(page int))]

// timerHook, when set by a test, replaces the timeout's timer: it is
// called with the time left at the start of a parse and at each progress.
var timerHook atomic.Pointer[func(source string, limit time.Duration) <-chan time.Time]

func after(source string, limit time.Duration) <-chan time.Time {
	if h := timerHook.Load(); h != nil {
		return (*h)(source, limit)
	}
	return time.After(limit)
}

// readTimeout is read bounded by Timeout and ctx, the limit pushed by the
// parse's progress (deadline): past it the document is recorded as an
// error and the parse is abandoned (it runs on in-process: only a child
// process, Isolator, can be stopped); a cancelled ctx is an error, no
// document. opt.Progress, when set, is called on the caller's goroutine.
func readTimeout(ctx context.Context, source, sha string, data []byte, opt extract.Options, explain bool) (*govreport.Document, *govreport.Extracted, []normalize.Event, error) {
	type result struct {
		d      *govreport.Document
		x      *govreport.Extracted
		events []normalize.Event
	}
	done := make(chan result, 1)
	progress, stop := make(chan int), make(chan struct{})
	defer close(stop) // an abandoned parse's progress goes nowhere
	relay := opt.Progress
	opt.Progress = func(page int) {
		select {
		case progress <- page:
		case <-stop:
		}
	}
	go func() {
		var r result
		r.d, r.x, r.events = read(source, sha, data, opt, explain)
		done <- r
	}()
	dl := newDeadline(time.Now())
	timeout := after(source, Timeout)
	for {
		select {
		case r := <-done:
			return r.d, r.x, r.events, nil
		case page := <-progress:
			dl.progress(time.Now())
			timeout = after(source, dl.left(time.Now()))
			if relay != nil {
				relay(page)
			}
		case <-timeout:
			return failedDoc(source, sha, data, opt, dl.timedOut()), nil, nil, nil
		case <-ctx.Done():
			return nil, nil, nil, fmt.Errorf("interrupted: %w", ctx.Err())
		}
	}
}

// failedDoc is the document of a file its parser failed on: status error,
// msg the reason.
func failedDoc(source, sha string, data []byte, opt extract.Options, msg string) *govreport.Document {
	return &govreport.Document{Source: source, SHA256: sha, Format: extract.Format(source, data, opt.ContentType),
		Status: govreport.StatusError, Error: msg,
		Sections: []govreport.Section{}, Cells: []govreport.Cell{}, Checks: []govreport.Check{}, Warnings: []string{}}
}

// Failed reports whether a document's status is a failure to read it.
func Failed(d *govreport.Document) bool { return FailedStatus(d.Status) }

// FailedStatus reports whether a document status is a failure to read it
// (error, no_text, undecodable): an import counts such a file as failed.
func FailedStatus(status string) bool {
	switch status {
	case govreport.StatusError, govreport.StatusNoText, govreport.StatusUndecodable:
		return true
	}
	return false
}
