package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"govreport/cmd/internal/ingest"
)

// The rate is the documents done over the time since the first frame,
// from the first document on; the first frame, with none done, shows none.
func TestBarRate(t *testing.T) {
	var out bytes.Buffer
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	p := &barProgress{w: &out, now: func() time.Time { return now }}
	p.Total(10)
	if first := out.String(); !strings.Contains(first, "importing") || strings.Contains(first, "docs/") {
		t.Errorf("first frame %q: want no rate yet", first)
	}
	now = now.Add(4 * time.Second)
	p.Done(nil, ingest.OutcomeImported)
	p.Done(nil, ingest.OutcomeFailed)
	now = now.Add(time.Second)
	p.Done(nil, ingest.OutcomeImported) // 3 in 5 s
	frame := lastFrame(out.String())
	for _, want := range []string{"importing, 0.6 docs/s, ETA 12s, 1 failed", "(3/10"} {
		if !strings.Contains(frame, want) {
			t.Errorf("frame %q lacks %q", frame, want)
		}
	}
	if strings.Contains(out.String(), "docs/hr") || strings.Contains(out.String(), "docs/min") {
		t.Errorf("a frame shows progressbar's own rate:\n%q", out.String())
	}
}

// lastFrame is the last bar drawn in a terminal's output: what follows the
// last carriage return that is not just before a newline.
func lastFrame(s string) string {
	s = strings.TrimRight(strings.ReplaceAll(s, "\r\n", "\n"), "\n ")
	if i := strings.LastIndexAny(s, "\r\n"); i >= 0 {
		s = s[i+1:]
	}
	return s
}
