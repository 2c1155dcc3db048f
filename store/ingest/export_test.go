package ingest

// SetParseHook makes every Parse call f first (tests inject panics and
// stalls with it); nil removes it.
func SetParseHook(f func(source string)) {
	if f == nil {
		parseHook.Store(nil)
		return
	}
	parseHook.Store(&f)
}
