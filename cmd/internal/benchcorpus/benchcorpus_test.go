package benchcorpus_test

import (
	"bytes"
	"crypto/sha256"
	"os"
	"path/filepath"
	"testing"

	"govreport"
	"govreport/cmd/internal/benchcorpus"
	"govreport/cmd/internal/parse"
	"govreport/extract"
)

const corpus = "../../../testdata/corpus"

// Generated documents are distinct and keep the source's layout; a PDF
// variant parses exactly as its source.
func TestGenerateCorpus(t *testing.T) {
	dir := t.TempDir()
	paths, err := benchcorpus.Generate(corpus, dir, 24)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 24 {
		t.Fatalf("%d paths", len(paths))
	}
	seen := map[[32]byte]bool{}
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		h := sha256.Sum256(data)
		if seen[h] {
			t.Errorf("%s duplicates another file", p)
		}
		seen[h] = true
	}
	for _, p := range paths[12:] { // second copies: values scaled ×3
		name := filepath.Base(p)[7:]
		orig, _ := os.ReadFile(filepath.Join(corpus, name))
		data, _ := os.ReadFile(p)
		if bytes.Equal(orig, data) {
			t.Errorf("%s: same bytes as its source", p)
		}
		a := parse.Bytes(name, orig, extract.Options{})
		b := parse.Bytes(name, data, extract.Options{})
		if a.Layout != b.Layout || a.Format != b.Format || len(a.Cells) != len(b.Cells) || a.Status != b.Status {
			t.Errorf("%s: layout %q/%q format %q/%q status %q/%q, %d/%d cells", p, a.Layout, b.Layout, a.Format, b.Format, a.Status, b.Status, len(a.Cells), len(b.Cells))
			continue
		}
		if fa, fb := failedChecks(a), failedChecks(b); fa != fb {
			t.Errorf("%s: %d checks fail, %d in the source: values not scaled consistently", p, fb, fa)
		}
		if a.Format != "pdf" {
			continue
		}
		for i := range a.Cells {
			x, y := a.Cells[i], b.Cells[i]
			if x.Table != y.Table || x.Row != y.Row || x.Col != y.Col || x.Raw != y.Raw {
				t.Errorf("%s: cell %d %s.%s.%s=%q, source %s.%s.%s=%q", p, i, y.Table, y.Row, y.Col, y.Raw, x.Table, x.Row, x.Col, x.Raw)
				break
			}
		}
	}
}

func failedChecks(d *govreport.Document) int {
	n := 0
	for _, c := range d.Checks {
		if c.Status == govreport.CheckFail {
			n++
		}
	}
	return n
}
