package normalize

import (
	"os"
	"strings"
	"testing"

	"govreport"
	"govreport/extract/pdf"
	"govreport/normalize/internal/golden"
)

// ocrHuaian is 2024_huaian_szf_1.pdf as the PDF reader reads it, every
// cell given an OCR reading of confidence 96, then the readings set: a
// row (the label it starts with), the index of its value among the cells
// it prints, the text read, the confidence and the alternatives.
func ocrHuaian(t *testing.T, set []ocrSet) *govreport.Document {
	t.Helper()
	data, err := os.ReadFile("../testdata/corpus/2024_huaian_szf_1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	x, err := pdf.Extract(data, pdf.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range x.Lines {
		for i := range l.Cells {
			l.Cells[i].OCR = &govreport.OCRReading{Confidence: 96}
		}
	}
	for _, s := range set {
		found := false
		for _, l := range x.Lines {
			// the row's label, then its values
			var vals []int
			labelled := false
			for i, c := range l.Cells {
				switch {
				case c.Spanned:
				case labelled:
					vals = append(vals, i)
				case strings.HasPrefix(c.Text, s.row):
					labelled = true
				}
			}
			if l.Table == 0 || !labelled {
				continue
			}
			c := &l.Cells[vals[s.at]]
			c.Text, c.OCR = s.text, &govreport.OCRReading{Confidence: s.conf, Alternatives: s.alts}
			found = true
		}
		if !found {
			t.Fatalf("no table row starts with %q", s.row)
		}
	}
	return Normalize(x)
}

type ocrSet struct {
	row  string
	at   int
	text string
	conf float64
	alts []string
}

// TestOCRReadings: an OCR reading below ocrMinConfidence is stored NULL and
// uncertain, its text in raw, unless an identity fixes the cell at one of
// its readings; a value read with less than ocrSureConfidence that not
// every identity on it confirms is kept, flagged uncertain; every OCR value carries
// the flag ocr and its confidence. Printed values from
// testdata/golden/2024_huaian_szf_1.pdf.json.
func TestOCRReadings(t *testing.T) {
	t3 := huaianT3(t)
	g, err := golden.Read("../testdata", "2024_huaian_szf_1.pdf")
	if err != nil {
		t.Fatal(err)
	}
	t2 := g.Cells["t2"]
	d := ocrHuaian(t, []ocrSet{
		// 总计 3119 read unsurely: the row's total fixes it
		{"一、本年新收", 6, "3119", 30, nil},
		// 自然人 3001 read 3007, 3001 the other reading: the column's
		// identity (一 + 二 = （七）+ 四) fixes it at the other reading
		{"一、本年新收", 0, "3007", 30, []string{"3001"}},
		// 总计 34 read 35 unsurely: the row's total is 34, no reading
		{"二、上年结转", 6, "35", 20, nil},
		// table 二 has no identities
		{"规章", 0, "1", 40, nil},
		// 商业企业 21 misread 26 at 70: the row's total fails; 法律服务机构
		// 50 on the same row, read at 96, is not doubted
		{"（一）予以公开", 1, "26", 70, nil},
		// 现行有效件数 11 read at 80: table 二 has no identity to confirm it
		{"规章", 2, "11", 80, nil},
	})
	cell := func(table, row, col string) govreport.Cell {
		c, ok := cellsOf(d, table, row)[col]
		if !ok {
			t.Fatalf("%s.%s.%s not stored", table, row, col)
		}
		return c
	}
	for _, tc := range []struct {
		table, row, col string
		want            *float64 // nil: NULL
		flag            string   // besides ocr
		raw             string
		conf            float64
	}{
		{"t3", "new_received", "total", t3["new_received"]["total"], govreport.FlagInferred, "3119", 30},
		{"t3", "new_received", "natural_person", t3["new_received"]["natural_person"], govreport.FlagInferred, "3007", 30},
		{"t3", "carried_over", "total", nil, govreport.FlagUncertain, "35", 20},
		{"t2", "regulations", "issued", nil, govreport.FlagUncertain, "1", 40},
		{"t3", "new_received", "commercial", t3["new_received"]["commercial"], "", "53", 96},
		{"t3", "granted", "commercial", &twentySix, govreport.FlagUncertain, "26", 70},
		{"t3", "granted", "legal_service", t3["granted"]["legal_service"], "", "50", 96},
		{"t2", "regulations", "in_force", t2["regulations"]["in_force"], govreport.FlagUncertain, "11", 80},
	} {
		c := cell(tc.table, tc.row, tc.col)
		where := tc.table + "." + tc.row + "." + tc.col
		switch {
		case tc.want == nil && c.Value != nil, tc.want != nil && (c.Value == nil || *c.Value != *tc.want):
			t.Errorf("%s = %v, want %v", where, fmtVal(c.Value), fmtVal(tc.want))
		case !c.HasFlag(govreport.FlagOCR) || tc.flag != "" && !c.HasFlag(tc.flag) || tc.flag == "" && len(c.Flags) != 1:
			t.Errorf("%s flags %v, want ocr %s", where, c.Flags, tc.flag)
		case c.Raw != tc.raw || c.Confidence != tc.conf:
			t.Errorf("%s raw %q confidence %v, want %q %v", where, c.Raw, c.Confidence, tc.raw, tc.conf)
		}
	}
}

var twentySix = 26.0

func fmtVal(v *float64) string {
	if v == nil {
		return "NULL"
	}
	return fmtNum(*v)
}
