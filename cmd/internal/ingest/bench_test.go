package ingest_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"govreport"
	"govreport/cmd/internal/benchcorpus"
	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/store"
)

// cpuTime is the process's user and system time: on a shared machine it
// measures the work where wall time measures the load.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSaveBatch stores parsed documents 64 to a transaction, as the
// import writer does; cells/s and ns/cell measure the insert path.
func BenchmarkSaveBatch(b *testing.B) {
	files, _ := filepath.Glob(filepath.Join(corpus, "*.html"))
	var docs []*govreport.Document
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		docs = append(docs, parse.Bytes(f, data, extract.Options{}))
	}
	st, err := store.Open(filepath.Join(b.TempDir(), "bench.db"), storeOptions)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	cells := 0
	batch := make([]*govreport.Document, 64)
	cpu0 := cpuTime()
	for n := 0; b.Loop(); n++ {
		for i := range batch {
			d := *docs[i%len(docs)]
			d.SHA256 = fmt.Sprintf("%064d", n*len(batch)+i)
			batch[i] = &d
			cells += len(d.Cells)
		}
		if _, err := st.SaveBatch(ctx, batch, false); err != nil {
			b.Fatal(err)
		}
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(cells)/b.Elapsed().Seconds(), "cells/s")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(cells), "ns/cell")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(cells), "cpu-ns/cell")
}

// BenchmarkImport is the whole pipeline (walk, hash, parse, store) over
// 200 generated text and HTML documents; profile it with -cpuprofile.
func BenchmarkImport(b *testing.B) { benchImport(b, 200, "txt", "html") }

// BenchmarkImportPDF is the whole pipeline over 40 generated PDFs.
func BenchmarkImportPDF(b *testing.B) { benchImport(b, 40, "pdf") }

func benchImport(b *testing.B, n int, formats ...string) {
	dir := b.TempDir()
	if _, err := benchcorpus.Generate(corpus, dir, n, formats...); err != nil {
		b.Fatal(err)
	}
	docs, pages := 0, 0
	cpu0 := cpuTime()
	for i := 0; b.Loop(); i++ {
		st, err := store.Open(filepath.Join(b.TempDir(), fmt.Sprintf("%d.db", i)), storeOptions)
		if err != nil {
			b.Fatal(err)
		}
		sum, err := ingest.Import(context.Background(), st, []string{dir}, ingest.Options{})
		st.Close()
		if err != nil || sum.Imported != n {
			b.Fatalf("%v: %s", err, sum)
		}
		docs += sum.Imported
		pages += sum.Pages
	}
	cpu := cpuTime() - cpu0
	b.ReportMetric(float64(docs)/b.Elapsed().Seconds(), "docs/s")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(docs), "cpu-ms/doc")
	if pages > 0 {
		b.ReportMetric(float64(pages)/b.Elapsed().Seconds(), "pages/s")
	}
}

// BenchmarkSearch opens a database of 1,000 generated text and HTML
// documents and runs a first and a second search, as one `govreport
// search` process would and as a program that keeps the store open does:
// first-ms and second-ms are their times (three-character terms, found
// through the trigram index), short-ms a query of two characters (every
// section read).
func BenchmarkSearch(b *testing.B) {
	dir := b.TempDir()
	if _, err := benchcorpus.Generate(corpus, dir, 1000, "txt", "html"); err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(b.TempDir(), "s.db")
	st, err := store.Open(path, storeOptions)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ingest.Import(context.Background(), st, []string{dir}, ingest.Options{}); err != nil {
		b.Fatal(err)
	}
	st.Close()
	ctx := context.Background()
	var first, second, short time.Duration
	n := 0
	for b.Loop() {
		st, err := store.Open(path, storeOptions)
		if err != nil {
			b.Fatal(err)
		}
		for i, q := range []string{"依申请", "行政复议 OR 行政诉讼", "申请"} {
			t0 := time.Now()
			res, err := st.Search(ctx, store.SearchQuery{Query: q})
			if err != nil || res.Total == 0 {
				b.Fatalf("%s: %d, %v", q, res.Total, err)
			}
			switch i {
			case 0:
				first += time.Since(t0)
			case 1:
				second += time.Since(t0)
			default:
				short += time.Since(t0)
			}
		}
		st.Close()
		n++
	}
	b.ReportMetric(float64(first.Microseconds())/1000/float64(n), "first-ms")
	b.ReportMetric(float64(second.Microseconds())/1000/float64(n), "second-ms")
	b.ReportMetric(float64(short.Microseconds())/1000/float64(n), "short-ms")
}
