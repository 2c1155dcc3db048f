package normalize_test

import (
	"os"
	"strings"
	"testing"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

func readForm(t *testing.T, path string) *govreport.Document {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := extract.Bytes(path, data, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return normalize.Normalize(x)
}

// The blank 2021 template reads as a 2021 report whose every cell is not
// reported, table 四 included (its one data row prints fifteen blank cells).
func TestBlankTemplate(t *testing.T) {
	d := readForm(t, "../testdata/corpus/template_blank_guoban2021_1.docx")
	if d.Layout != "2021" || len(d.Sections) != 6 {
		t.Errorf("layout %s, %d sections", d.Layout, len(d.Sections))
	}
	n := map[string]int{}
	for _, c := range d.Cells {
		if c.Value != nil || !c.HasFlag(govreport.FlagNotReported) {
			t.Errorf("%s.%s.%s = %v %v", c.Table, c.Row, c.Col, c.Value, c.Flags)
		}
		n[c.Table]++
	}
	if n["t2"] != 10 || n["t3"] != 175 || n["t4"] != 15 {
		t.Errorf("cells per table %v", n)
	}
	// no date in the text: the file's last save (docProps/core.xml)
	if d.Published != "2025-12-08" {
		t.Errorf("published %q, want the file's modified date 2025-12-08", d.Published)
	}
}

// A workbook of the tables alone: no sections, a warning saying why, and
// table 四 found by its header though no heading 四 precedes it.
func TestTablesOnly(t *testing.T) {
	d := readForm(t, "../testdata/forms/2023_pingtan_1.html__tables.xlsx")
	if len(d.Sections) != 0 || d.Meta["content"] != "tables" {
		t.Errorf("%d sections, meta %v", len(d.Sections), d.Meta)
	}
	if !strings.Contains(strings.Join(d.Warnings, "\n"), "tables without narrative") {
		t.Errorf("warnings %q", d.Warnings)
	}
	n := 0
	for _, c := range d.Cells {
		if c.Table == "t4" && c.Value != nil {
			n++
		}
	}
	if n != 15 {
		t.Errorf("%d t4 values", n)
	}
}
