package normalize_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// Files that are not annual reports (a file list, a table of links, notes)
// show no title, no section heading and no table: not_report. Every real
// report, whole or an excerpt, shows one.
func TestNotReport(t *testing.T) {
	read := func(path string) *govreport.Document {
		t.Helper()
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		// read as text, as a file named .txt would be
		x, err := extract.Bytes(strings.TrimSuffix(path, filepath.Ext(path))+".txt", data, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		return normalize.Normalize(x)
	}
	for _, f := range []string{"corpus/MANIFEST.tsv", "corpus/2021_pingtan_1_links.tsv", "golden/README.md"} {
		if d := read(filepath.Join(testdata, f)); d.Status != govreport.StatusNotReport {
			t.Errorf("%s: status %s (title %q, %d sections, %d cells)", f, d.Status, d.Title, len(d.Sections), len(d.Cells))
		}
	}
	reports, _ := filepath.Glob(filepath.Join(testdata, "corpus", "20*"))
	variants, _ := filepath.Glob(filepath.Join(testdata, "variants", "*.txt"))
	for _, f := range append(reports, variants...) {
		if strings.HasSuffix(f, ".tsv") {
			continue
		}
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		x, err := extract.Bytes(f, data, extract.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if d := normalize.Normalize(x); d.Status == govreport.StatusNotReport {
			t.Errorf("%s: a report read as not_report", filepath.Base(f))
		}
	}
}
