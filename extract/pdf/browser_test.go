package pdf_test

import (
	"os"
	"testing"

	"govreport/extract/html"
	"govreport/extract/pdf"
	"govreport/normalize"
)

// The PDF Chromium prints from 2023_pingtan_1.html (wqy-zenhei font) must
// normalize to the same metadata and cells as the HTML page itself.
func TestChromiumPrintMatchesHTML(t *testing.T) {
	hb, err := os.ReadFile("../../testdata/corpus/2023_pingtan_1.html")
	if err != nil {
		t.Fatal(err)
	}
	pb, err := os.ReadFile("../../testdata/corpus/2023_pingtan_1_chromium.pdf")
	if err != nil {
		t.Fatal(err)
	}
	hx, err := html.Extract(hb, html.Options{})
	if err != nil {
		t.Fatal(err)
	}
	px, err := pdf.Extract(pb, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	hd, pd := normalize.Normalize(hx), normalize.Normalize(px)
	if pd.Year != hd.Year || pd.Agency != hd.Agency || pd.Layout != hd.Layout {
		t.Errorf("pdf %d %q %s, html %d %q %s", pd.Year, pd.Agency, pd.Layout, hd.Year, hd.Agency, hd.Layout)
	}
	want := map[string]string{}
	for _, c := range hd.Cells {
		want[c.Table+"."+c.Row+"."+c.Col] = c.Raw
	}
	if len(want) < 150 {
		t.Fatalf("the HTML gave only %d cells", len(want))
	}
	got := map[string]string{}
	for _, c := range pd.Cells {
		got[c.Table+"."+c.Row+"."+c.Col] = c.Raw
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: pdf %q, html %q", k, got[k], v)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: in the pdf only (%q)", k, got[k])
		}
	}
	if len(pd.Sections) != len(hd.Sections) {
		t.Errorf("sections: pdf %d, html %d", len(pd.Sections), len(hd.Sections))
	}
}
