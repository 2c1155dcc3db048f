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
	parseHook.Store(&f)
}

// SetTimer replaces the timer of the parse time limit (tests decide which
// document times out); nil restores it.
func SetTimer(f func(source string, limit time.Duration) <-chan time.Time) {
	if f == nil {
		timerHook.Store(nil)
		return
	}
	timerHook.Store(&f)
}
