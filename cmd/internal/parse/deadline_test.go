package parse

import (
	"testing"
	"time"
)

// A parse's deadline: Timeout after its start, or after its last progress,
// never past MaxTimeout after its start.
func TestDeadline(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	d := newDeadline(t0)
	if left := d.left(t0); left != Timeout {
		t.Errorf("at the start: %v left, want %v", left, Timeout)
	}
	if got, want := d.timedOut(), "parse timed out after 2m0s"; got != want {
		t.Errorf("without progress: %q, want %q", got, want)
	}
	// A scan of 1 page a minute, each within Timeout of the last: the
	// deadline moves with them.
	for m := 1; m <= 9; m++ {
		d.progress(at(time.Duration(m) * time.Minute))
		if left := d.left(at(time.Duration(m) * time.Minute)); left != Timeout {
			t.Fatalf("after a page at %dm: %v left, want %v", m, left, Timeout)
		}
	}
	// Progress stops: the parse is stuck, killed Timeout after the last.
	if left := d.left(at(10 * time.Minute)); left != time.Minute {
		t.Errorf("a minute after the last page: %v left, want 1m", left)
	}
	if got, want := d.timedOut(), "parse timed out: no progress for 2m0s after 9 pages read by OCR"; got != want {
		t.Errorf("stuck after progress: %q, want %q", got, want)
	}
	// Progress goes on: the cap holds.
	d.progress(at(10*time.Minute + 30*time.Second))
	if left := d.left(at(10*time.Minute + 30*time.Second)); left != 90*time.Second {
		t.Errorf("at 10m30s: %v left, want 1m30s (the cap, 12m)", left)
	}
	d.progress(at(11 * time.Minute))
	if d.left(t0) != MaxTimeout || MaxTimeout != 12*time.Minute {
		t.Errorf("the deadline is %v after the start, want MaxTimeout %v = 12m", d.left(t0), MaxTimeout)
	}
	if got, want := d.timedOut(), "parse timed out after 12m0s, the limit however long it makes progress (11 pages read by OCR)"; got != want {
		t.Errorf("at the cap: %q, want %q", got, want)
	}
	// Progress reported late (a stale message) never pulls it back.
	d.progress(at(time.Minute))
	if d.left(t0) != MaxTimeout {
		t.Errorf("a late progress moved the deadline to %v", d.left(t0))
	}
}
