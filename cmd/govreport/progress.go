package main

import (
	"fmt"
	"io"
	"time"

	"govreport"
)

// logProgress prints a line every few seconds: done / total, rate, failures.
type logProgress struct {
	w                   io.Writer
	total, done, failed int
	start, last         time.Time
}

func newProgress(w io.Writer) *logProgress {
	return &logProgress{w: w, start: time.Now(), last: time.Now()}
}

func (p *logProgress) Total(n int) { p.total = n }

func (p *logProgress) Done(d *govreport.Document, skipped bool) {
	p.done++
	if d != nil && !skipped && (d.Status == govreport.StatusError || d.Status == govreport.StatusNoText || d.Status == govreport.StatusUndecodable) {
		p.failed++
	}
	if time.Since(p.last) > 2*time.Second {
		p.last = time.Now()
		rate := float64(p.done) / time.Since(p.start).Seconds()
		fmt.Fprintf(p.w, "%d/%d documents, %.0f/s, %d failed\n", p.done, p.total, rate, p.failed)
	}
}

func (p *logProgress) Finish() {}
