package normalize_test

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// checkKey renders a check for comparison: rule, table, scope, status and
// both sides.
func checkKey(c govreport.Check) string {
	side := func(v *float64) string {
		if v == nil {
			return "nil"
		}
		return fmt.Sprint(*v)
	}
	return strings.Join([]string{c.Rule, c.Table, c.Scope, c.Status, side(c.Left), side(c.Right), c.Detail}, "|")
}

// TestCheckFromCells: the checks run again from a document's stored cells
// are the checks the reader gave it, for every document of testdata (the
// reader's checks are the reference: Check is their second
// implementation, from cells alone).
func TestCheckFromCells(t *testing.T) {
	n := 0
	for _, dir := range []string{"corpus", "variants"} {
		entries, err := os.ReadDir(filepath.Join(testdata, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".tsv") || strings.HasSuffix(name, ".py") {
				continue
			}
			data, err := os.ReadFile(filepath.Join(testdata, dir, name))
			if err != nil {
				t.Fatal(err)
			}
			x, err := extract.Bytes(name, data, extract.Options{})
			if err != nil {
				continue // not readable here (LibreOffice missing): no cells
			}
			d := normalize.Normalize(x)
			var want, got []string
			for _, c := range d.Checks {
				want = append(want, checkKey(c))
			}
			for _, c := range normalize.Check(d.Layout, d.Cells) {
				got = append(got, checkKey(c))
			}
			slices.Sort(want)
			slices.Sort(got)
			if !slices.Equal(got, want) {
				t.Errorf("%s/%s: checks from cells differ from the reader's:\n got %q\nwant %q", dir, name, got, want)
			}
			n += len(want)
		}
	}
	if n < 100 {
		t.Fatalf("only %d checks compared: testdata not found?", n)
	}
}

// TestCheckAfterCorrection: a value changed in a real report's table 三
// breaks the identities through it, and only those.
func TestCheckAfterCorrection(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(testdata, "corpus", "2023_pingtan_1.html"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := extract.Bytes("2023_pingtan_1.html", data, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := normalize.Normalize(x)
	var t3 []govreport.Cell
	for _, c := range d.Cells {
		if c.Table == "t3" {
			t3 = append(t3, c)
		}
	}
	before := normalize.Check(d.Layout, t3)
	for _, c := range before {
		if c.Status != govreport.CheckPass && c.Status != govreport.CheckNA {
			t.Fatalf("before the change: %s", checkKey(c))
		}
	}
	// 总计 of （一）予以公开 is printed 22 (the page's table 三); a reviewer sets 23
	i := slices.IndexFunc(t3, func(c govreport.Cell) bool { return c.Row == "granted" && c.Col == "total" })
	if i < 0 || t3[i].Value == nil || *t3[i].Value != 22 {
		t.Fatalf("t3.granted.total: %+v, want 22 as printed", t3[i])
	}
	v := 23.0
	t3[i].Value = &v
	after := normalize.Check(d.Layout, t3)
	if len(after) != len(before) {
		t.Fatalf("%d checks after, %d before", len(after), len(before))
	}
	var failed []string
	for _, c := range after {
		if c.Status == govreport.CheckFail {
			failed = append(failed, c.Rule+" "+c.Scope)
		}
	}
	want := []string{"t3_outcomes total", "t3_row_total granted"}
	if !slices.Equal(failed, want) {
		t.Errorf("failed after 22 → 23: %q, want %q", failed, want)
	}
}
