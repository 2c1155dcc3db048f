package html

import (
	"strings"
	"syscall"
	"testing"
	"time"

	nethtml "golang.org/x/net/html"
)

// cpuTime is the process's user+system CPU time. On a shared machine wall
// time per op swings with the load; CPU time much less.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkExtractPage reads the four real pages; ns/page and cpu-ns/page
// (process CPU time, GC included).
func BenchmarkExtractPage(b *testing.B) {
	var pages [][]byte
	for _, name := range corpus {
		pages = append(pages, load(b, name))
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Extract(p, Options{BaseURL: "https://www.pingtan.gov.cn/a/b.htm"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/page")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/n, "cpu-ns/page")
}

// BenchmarkParsePage is the floor Extract stands on: decoding aside,
// x/net/html.Parse of the same pages.
func BenchmarkParsePage(b *testing.B) {
	var pages []string
	for _, name := range corpus {
		pages = append(pages, string(load(b, name)))
	}
	b.ReportAllocs()
	b.ResetTimer()
	c0 := cpuTime()
	for b.Loop() {
		for _, p := range pages {
			if _, err := nethtml.Parse(strings.NewReader(p)); err != nil {
				b.Fatal(err)
			}
		}
	}
	n := float64(b.N * len(pages))
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/n, "ns/page")
	b.ReportMetric(float64((cpuTime()-c0).Nanoseconds())/n, "cpu-ns/page")
}
