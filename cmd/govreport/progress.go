package main

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/schollz/progressbar/v3"

	"govreport"
	"govreport/cmd/internal/ingest"
)

// progress shows an import's progress, and is where the import's messages
// go while it shows: a message is a line above the bar, never glued to it.
type progress interface {
	ingest.Progress
	io.Writer
}

// newProgress shows an import's progress on w: a bar when w is a
// terminal, a log line every few seconds otherwise.
func newProgress(w io.Writer) progress {
	if isTerminal(w) {
		return &barProgress{w: w, now: time.Now}
	}
	return &logProgress{w: w, every: 5 * time.Second}
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

// barEvery is how often the bar is redrawn at most while documents are
// done (a message, the last document and the end always redraw it).
const barEvery = 100 * time.Millisecond

// barProgress is a terminal bar: done/total, elapsed time, docs/s, ETA,
// failures so far. progressbar draws the line sized to the terminal; the
// rate and ETA are computed here from the time since the first frame
// (progressbar's own rate reads "0 docs/hr" until it has samples), and
// the bar is redrawn here, not on progressbar's throttle, so that the
// last frame drawn is the true count, on Ctrl-C too.
type barProgress struct {
	w   io.Writer
	now func() time.Time

	mu                  sync.Mutex
	bar                 *progressbar.ProgressBar
	total, done, failed int
	start, drawn        time.Time
	ended               bool
}

func (p *barProgress) Total(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total, p.start = n, p.now()
	if n == 0 {
		return
	}
	p.bar = progressbar.NewOptions(n,
		progressbar.OptionSetWriter(p.w),
		progressbar.OptionSetDescription(p.describe()),
		progressbar.OptionShowCount(),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(false), // its ETA is from its own rate
		progressbar.OptionThrottle(0),
		progressbar.OptionFullWidth(),
		progressbar.OptionSetRenderBlankState(true),
		progressbar.OptionOnCompletion(func() { fmt.Fprintln(p.w) }),
	)
	p.drawn = p.start
}

func (p *barProgress) Done(_ *govreport.Document, o ingest.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	if o == ingest.OutcomeFailed {
		p.failed++
	}
	if p.bar == nil || p.done < p.total && p.now().Sub(p.drawn) < barEvery {
		return
	}
	p.draw()
}

// draw redraws the bar with the current count; p.mu is held.
func (p *barProgress) draw() {
	p.bar.Describe(p.describe())
	p.bar.Set(p.done)
	p.drawn = p.now()
}

// describe is the text before the bar: the rate since the first frame,
// the ETA at that rate, the failures so far.
func (p *barProgress) describe() string {
	s := "importing"
	if el := p.now().Sub(p.start).Seconds(); p.done > 0 && el > 0 {
		rate := float64(p.done) / el
		s += ", " + formatRate(rate) + " docs/s"
		if p.done < p.total {
			eta := time.Duration(float64(p.total-p.done) / rate * float64(time.Second))
			s += ", ETA " + eta.Round(time.Second).String()
		}
	}
	if p.failed > 0 {
		s += fmt.Sprintf(", %d failed", p.failed)
	}
	return s
}

// formatRate prints two significant digits below 10 (0.52, 3.1), whole
// numbers above.
func formatRate(r float64) string {
	if r < 10 {
		return strconv.FormatFloat(r, 'g', 2, 64)
	}
	return strconv.FormatFloat(r, 'f', 0, 64)
}

// Write prints a message above the bar: the bar's line is cleared, the
// message written on it, and the bar drawn again below.
func (p *barProgress) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.ended || p.bar.IsFinished() {
		return p.w.Write(b)
	}
	p.bar.Clear()
	n, err := p.w.Write(b)
	if !bytes.HasSuffix(b, []byte("\n")) {
		p.w.Write([]byte("\n"))
	}
	p.draw()
	return n, err
}

// Finish draws the last frame with the true count when the run stopped
// before the end (Ctrl-C), and ends its line.
func (p *barProgress) Finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar == nil || p.ended {
		return
	}
	p.ended = true
	if !p.bar.IsFinished() {
		p.draw()
		p.bar.Exit() // ends the line
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

func (p *logProgress) Write(b []byte) (int, error) { return p.w.Write(b) }

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
	fmt.Fprintf(p.w, "import: %d/%d documents (%.0f%%), %s docs/s, ETA %s, %d failed\n",
		p.done, p.total, 100*float64(p.done)/float64(max(p.total, 1)), formatRate(rate), eta, p.failed)
}

func (p *logProgress) Finish() {}
