package parse_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"govreport/cmd/internal/parse"
	"govreport/extract"
)

// benchParse parses each bundled document of one format in turn.
func benchParse(b *testing.B, ext string) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*."+ext))
	if len(files) == 0 {
		b.Skip("no ." + ext + " documents")
	}
	var data [][]byte
	var size int64
	for _, f := range files {
		d, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		data = append(data, d)
		size += int64(len(d))
	}
	b.SetBytes(size / int64(len(files)))
	b.ResetTimer()
	pages, n := 0, 0
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		d := parse.Bytes(files[i%len(files)], data[i%len(files)], extract.Options{})
		pages += d.Pages
		n++
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(n), "cpu-ms/doc")
	if ext == "pdf" {
		b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
		b.ReportMetric(float64(pages)/cpu.Seconds(), "pages/cpu-s")
	}
}

// cpuTime is the process's user and system time: on a shared machine it
// measures the work where wall time measures the load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkParseTXT is extract and normalize of a text report.
func BenchmarkParseTXT(b *testing.B) { benchParse(b, "txt") }

// BenchmarkParseHTML is extract and normalize of an HTML report page.
func BenchmarkParseHTML(b *testing.B) { benchParse(b, "html") }

// BenchmarkParsePDF is extract and normalize of a PDF report.
func BenchmarkParsePDF(b *testing.B) { benchParse(b, "pdf") }
