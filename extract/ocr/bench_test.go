package ocr

import (
	"context"
	"path/filepath"
	"testing"
)

// benchPage is a table page of the 300 dpi scan of the Huai'an report: the
// end of table 二 and the first rows of table 三.
const benchFile, benchPage = "2024_huaian_szf_1.pdf__scan300.pdf", 4

// BenchmarkScan measures the stages before Tesseract: pdftoppm at 300
// dpi, deskew, grid.
func BenchmarkScan(b *testing.B) {
	file, _ := filepath.Abs(filepath.Join(scans, benchFile))
	ctx := context.Background()
	sizes, _, err := pageSizes(ctx, file, benchPage)
	if err != nil {
		b.Skipf("skipped: %v", err)
	}
	for b.Loop() {
		if _, err := scan(ctx, file, benchPage, sizes[benchPage-1], Default); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPage measures a whole page, Tesseract included (its CPU time is
// not the benchmark's: see make bench for CPU and memory per page).
func BenchmarkPage(b *testing.B) {
	if err := Available(); err != nil {
		b.Skipf("skipped: %v", err)
	}
	file, _ := filepath.Abs(filepath.Join(scans, benchFile))
	ctx := context.Background()
	sizes, _, err := pageSizes(ctx, file, benchPage)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := readPage(ctx, b.TempDir(), file, benchPage, sizes[benchPage-1], Default); err != nil {
			b.Fatal(err)
		}
	}
}
