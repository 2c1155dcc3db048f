package ingest

// SetParseHook makes every Parse call f first (tests inject panics and
// stalls with it); nil removes it.
func SetParseHook(f func(source string)) { parseHook = f }
