package textnorm

import "testing"

// Each fast path against its plain code on the lines of the bundled text
// documents; ns/line is per line of input.
//
//	go test -run '^$' -bench . -count 6 ./normalize/textnorm/

var sink string

func benchLines(b *testing.B, f func(string) string) {
	lines := textLines(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, l := range lines {
			sink = f(l)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(lines)), "ns/line")
}

func BenchmarkClean(b *testing.B) {
	b.Run("fast", func(b *testing.B) { benchLines(b, Clean) })
	b.Run("plain", func(b *testing.B) { benchLines(b, cleanPlain) })
}

func BenchmarkCompact(b *testing.B) {
	b.Run("fast", func(b *testing.B) { benchLines(b, Compact) })
	b.Run("plain", func(b *testing.B) { benchLines(b, compactPlain) })
}

// BenchmarkCore's plain code cleans with the fast Clean: it measures Core's
// own fast path.
func BenchmarkCore(b *testing.B) {
	b.Run("fast", func(b *testing.B) { benchLines(b, Core) })
	b.Run("plain", func(b *testing.B) { benchLines(b, func(s string) string { return coreOf([]rune(Clean(s))) }) })
}

// BenchmarkJoiner adds each line as one piece.
func BenchmarkJoiner(b *testing.B) {
	var j Joiner
	b.Run("fast", func(b *testing.B) {
		benchLines(b, func(s string) string { j.Add(s); return j.Take() })
	})
	b.Run("plain", func(b *testing.B) {
		benchLines(b, func(s string) string { j.addPlain(s); return j.Take() })
	})
}
