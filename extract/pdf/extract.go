// Package pdf extracts the text of a PDF report with positions; its
// paragraphs and tables are rebuilt from the geometry of the glyphs by
// extract/internal/geometry.
//
// It reads the file with github.com/ledongthuc/pdf but interprets the page
// content streams itself: glyph widths (CID W arrays), the full text and
// graphics matrices (so flipped or scaled pages come out right), ToUnicode,
// GBK-EUC-H and UniGB-UCS2-H decoding, vertical (-V) fonts, form XObjects
// and the ruling lines drawn. Its glyph runs (digits standing apart are
// two runs, never one number) and rules are the pages geometry.Lines
// reads: a table drawn with rules as a grid, a table without from where
// its numbers and header words stand.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"time"

	lpdf "github.com/ledongthuc/pdf"

	"govreport"
)

// Options bound the work on one document.
type Options struct {
	MaxPages int           // pages read at most; 0: 200
	Timeout  time.Duration // time allowed per document; 0: 60s
}

var errTimeout = errors.New("timeout")

type timeoutPanic struct{}

// Extract reads a PDF and returns its text as lines in reading order: a
// paragraph line is one cell; a table row is one cell per printed cell
// ([group labels, Spanned] [row label] [values in column order], a blank
// value between printed ones as ""), with Line.Table and Line.Row set.
// Every cell carries its page and position (points, Y from the page top).
//
// Errors: govreport.ErrEncrypted when the empty password does not open
// the file, govreport.ErrNoText for pages without a text layer,
// govreport.ErrUndecodable when most characters cannot be mapped to
// Unicode, "timeout" past opt.Timeout, and "malformed" for files the
// library cannot parse (its panics are recovered; a page it fails on is
// skipped with a warning when other pages read). On a timeout inside a
// library call that never returns, the call is abandoned, not stopped.
func Extract(data []byte, opt Options) (*govreport.Extracted, error) {
	if opt.MaxPages <= 0 {
		opt.MaxPages = 200
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 60 * time.Second
	}
	type result struct {
		x   *govreport.Extracted
		err error
	}
	deadline := time.Now().Add(opt.Timeout)
	done := make(chan result, 1)
	go func() {
		var res result
		defer func() {
			if r := recover(); r != nil {
				if _, ok := r.(timeoutPanic); ok {
					res = result{nil, fmt.Errorf("pdf: %w after %v", errTimeout, opt.Timeout)}
				} else {
					res = result{nil, fmt.Errorf("pdf: malformed: %v", r)}
				}
			}
			done <- res
		}()
		x, err := extract(data, opt, deadline)
		res = result{x, err}
	}()
	timer := time.NewTimer(opt.Timeout + time.Second)
	defer timer.Stop()
	select {
	case r := <-done:
		return r.x, r.err
	case <-timer.C:
		// The goroutine checks the deadline itself; this only guards
		// against a library call that never returns.
		return nil, fmt.Errorf("pdf: %w after %v", errTimeout, opt.Timeout)
	}
}

// open opens the file with the empty password.
func open(data []byte) (*lpdf.Reader, error) {
	data, err := checkXref(tidy(data))
	if err != nil {
		return nil, err
	}
	r, err := lpdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err == nil {
		return r, nil
	}
	msg := err.Error()
	if errors.Is(err, lpdf.ErrInvalidPassword) || strings.Contains(msg, "encrypt") || strings.Contains(msg, "password") {
		return nil, fmt.Errorf("pdf: %w: %v", govreport.ErrEncrypted, err)
	}
	return nil, fmt.Errorf("pdf: %v", err)
}

// tidy works around what the library refuses in files viewers open: bytes
// before the %PDF header (offsets then count from the header), a PDF 2.0
// header, and trailing bytes after the last %%EOF.
func tidy(data []byte) []byte {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	if i := bytes.Index(head, []byte("%PDF-")); i > 0 {
		data = data[i:]
	}
	if bytes.HasPrefix(data, []byte("%PDF-2.")) && len(data) > 8 {
		data = append([]byte("%PDF-1.7"), data[8:]...)
	}
	// The library wants %%EOF at the very end (white space aside) and
	// startxref in the last 100 bytes: downloads often carry bytes after
	// it (a server's padding, an HTML error page).
	if i := bytes.LastIndex(data, []byte("%%EOF")); i > 0 && len(bytes.TrimRight(data[i+5:], "\r\n\t ")) > 0 {
		data = data[:i+5]
	}
	return data
}
