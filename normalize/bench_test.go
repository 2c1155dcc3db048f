package normalize_test

import (
	"os"
	"syscall"
	"testing"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

func extracted(b *testing.B, files ...string) []*govreport.Extracted {
	var xs []*govreport.Extracted
	for _, f := range files {
		data, err := os.ReadFile("../testdata/corpus/" + f)
		if err != nil {
			b.Fatal(err)
		}
		x, err := extract.Bytes(f, data, extract.Options{})
		if err != nil {
			b.Fatal(err)
		}
		xs = append(xs, x)
	}
	return xs
}

// BenchmarkNormalize measures normalization alone (extraction done
// beforehand), per document, over the bundled reports.
func BenchmarkNormalize(b *testing.B) {
	xs := extracted(b, "2020_zhongmou_commerce_seed.txt", "2023_pingtan_1.html", "2021_pingtan_1.html", "2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf")
	b.ResetTimer()
	defer cpuPerOp(b)()
	for i := 0; i < b.N; i++ {
		normalize.Normalize(xs[i%len(xs)])
	}
}

// BenchmarkNormalizeFragment measures a 1.2 KB text fragment: the costs
// every document pays whatever its length.
func BenchmarkNormalizeFragment(b *testing.B) {
	xs := extracted(b, "2024_huaian_szf_2.txt")
	b.ResetTimer()
	defer cpuPerOp(b)()
	for i := 0; i < b.N; i++ {
		normalize.Normalize(xs[0])
	}
}

// cpuPerOp reports the process's CPU time per op (GC included), steadier
// than ns/op on a busy machine; call the result when the loop ends.
func cpuPerOp(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64((cpuTime()-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
