// Package pdf extracts the text of a PDF report with positions and rebuilds
// its paragraphs and tables from the geometry of the glyphs.
package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"runtime/debug"
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

// Extract reads a PDF and returns its text as lines in reading order: one
// cell per paragraph line, one cell per printed cell for table rows.
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
					_ = debug.Stack
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

func open(data []byte) (*lpdf.Reader, error) {
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
