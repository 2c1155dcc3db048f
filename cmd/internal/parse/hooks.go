package parse

import "time"

// Test hooks, for the tests of this package and of the import writer
// (cmd/internal/ingest), which make a parse panic, stall or time out on
// cue. Nothing else sets them.

// SetHook makes every parse call f first, inside its panic isolation; nil
// removes it.
func SetHook(f func(source string)) {
	if f == nil {
		parseHook.Store(nil)
		return
	}
	h := func(source string, _ func(int)) { f(source) }
	parseHook.Store(&h)
}

// SetProgressHook is SetHook given the parse's progress callback too, to
// report pages done as OCR does; nil removes it.
func SetProgressHook(f func(source string, progress func(page int))) {
	if f == nil {
		parseHook.Store(nil)
		return
	}
	parseHook.Store(&f)
}

// SetTimer replaces the timer of the parse time limit (tests decide which
// document times out): f is called with the time left at the start of a
// parse and again at each progress it reports; nil restores it.
func SetTimer(f func(source string, limit time.Duration) <-chan time.Time) {
	if f == nil {
		timerHook.Store(nil)
		return
	}
	timerHook.Store(&f)
}
