// Package ingest imports report files into the store: it walks paths,
// hashes each file, parses it (extract, then normalize) in parallel workers
// and hands the documents to a single writer that batches transactions.
// The crawler feeds fetched files through the same path.
package ingest

import (
	"crypto/sha256"
	"encoding/hex"

	"fmt"
	"sync/atomic"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// Parse reads one file into a document. It never returns nil and never
// panics: a file that cannot be read yields a document whose status and
// error say why.
func Parse(source string, data []byte, opt extract.Options) *govreport.Document {
	return parse(source, hash(data), data, opt)
}

func hash(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// parse is Parse with the file's sha256 already computed.
func parse(source, sha string, data []byte, opt extract.Options) (d *govreport.Document) {
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
		(*h)(source)
	}
	x, err := extract.Bytes(source, data, opt)
	if err != nil {
		d = &govreport.Document{Format: extract.Format(source, data, opt.ContentType), Status: govreport.StatusOf(err), Error: err.Error()}
		if x != nil {
			d.Pages = x.Pages
		}
		return d
	}
	d = normalize.Normalize(x)
	if len(d.Sections) == 0 && len(d.Cells) == 0 && len(x.Attachments) > 0 {
		d.Status = govreport.StatusAttachment
	}
	return d
}

// parseHook, when set by a test, runs at the start of every Parse, inside
// its panic isolation.
var parseHook atomic.Pointer[func(source string)]

// timerHook, when set by a test, replaces the timeout's timer.
var timerHook atomic.Pointer[func(source string, limit time.Duration) <-chan time.Time]

func after(source string, limit time.Duration) <-chan time.Time {
	if h := timerHook.Load(); h != nil {
		return (*h)(source, limit)
	}
	return time.After(limit)
}

// ParseTimeout is Parse bounded in time: past the limit the document is
// recorded as an error and the parse is abandoned.
func ParseTimeout(source string, data []byte, opt extract.Options, limit time.Duration) *govreport.Document {
	return parseTimeout(source, hash(data), data, opt, limit)
}

func parseTimeout(source, sha string, data []byte, opt extract.Options, limit time.Duration) *govreport.Document {
	if limit <= 0 {
		return parse(source, sha, data, opt)
	}
	done := make(chan *govreport.Document, 1)
	go func() { done <- parse(source, sha, data, opt) }()
	select {
	case d := <-done:
		return d
	case <-after(source, limit):
		return failedDoc(source, sha, data, opt, fmt.Sprintf("parse timed out after %s", limit))
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
func Failed(d *govreport.Document) bool {
	switch d.Status {
	case govreport.StatusError, govreport.StatusNoText, govreport.StatusUndecodable:
		return true
	}
	return false
}
