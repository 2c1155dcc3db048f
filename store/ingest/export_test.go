package ingest

import "time"

// SetParseHook makes every Parse call f first (tests inject panics and
// stalls with it); nil removes it.
func SetParseHook(f func(source string)) {
	if f == nil {
		parseHook.Store(nil)
		return
	}
	parseHook.Store(&f)
}

// SetTimer replaces ParseTimeout's timer (tests decide which document
// times out); nil restores it.
func SetTimer(f func(source string, limit time.Duration) <-chan time.Time) {
	if f == nil {
		timerHook.Store(nil)
		return
	}
	timerHook.Store(&f)
}
