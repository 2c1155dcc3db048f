package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"govreport"
	"govreport/cmd/internal/ingest"
)

// newProgress shows an import's progress on w: a bar when w is a
// terminal, a log line every few seconds otherwise.
func newProgress(w io.Writer) ingest.Progress {
	if f, ok := w.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
		return &barProgress{w: w}
	}
	return &logProgress{w: w, every: 5 * time.Second}
}

// barProgress is a terminal bar: done/total, docs/s, elapsed and ETA,
// failures so far. progressbar keeps the line redrawn, throttled and sized
// to the terminal, which hand-drawn ANSI would have to redo.
type barProgress struct {
	w      io.Writer
	bar    *progressbar.ProgressBar
	failed int
}

func (p *barProgress) Total(n int) {
	p.bar = progressbar.NewOptions(n,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription("importing"),
		progressbar.OptionShowCount(),
		progressbar.OptionShowIts(),
		progressbar.OptionSetItsString("docs"),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionFullWidth(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	)
}

func (p *barProgress) Done(_ *govreport.Document, o ingest.Outcome) {
	if o == ingest.OutcomeFailed {
		p.failed++
		p.bar.Describe(fmt.Sprintf("importing, %d failed", p.failed))
	}
	p.bar.Add(1)
}

func (p *barProgress) Finish() {
	if !p.bar.IsFinished() {
		// Interrupted: leave the bar where it stopped (Exit ends the line);
		// the summary gives the exact counts.
		p.bar.Exit()
	}
}

// logProgress prints a line every few seconds: done/total, rate, ETA,
// failures so far.
type logProgress struct {
	w                   io.Writer
	every               time.Duration
	total, done, failed int
	start, last         time.Time
}

func (p *logProgress) Total(n int) {
	p.total = n
	p.start, p.last = time.Now(), time.Now()
}

func (p *logProgress) Done(_ *govreport.Document, o ingest.Outcome) {
	p.done++
	if o == ingest.OutcomeFailed {
		p.failed++
	}
	if time.Since(p.last) < p.every || p.done == p.total {
		return
	}
	p.last = time.Now()
	el := time.Since(p.start)
	rate := float64(p.done) / el.Seconds()
	eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second)).Round(time.Second)
	fmt.Fprintf(p.w, "import: %d/%d documents (%.0f%%), %.0f docs/s, ETA %s, %d failed\n",
		p.done, p.total, 100*float64(p.done)/float64(max(p.total, 1)), rate, eta, p.failed)
}

func (p *logProgress) Finish() {}
