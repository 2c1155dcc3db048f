package normalize_test

import (
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"govreport/extract"
	"govreport/normalize"
	"govreport/normalize/internal/golden"
)

// Every row of the legacy statistics tables of the real reports maps onto
// an indicator, with the value printed in the report's year (read off the
// documents, in their goldens).
func TestLegacyIndicators(t *testing.T) {
	owner := map[string]string{}
	for _, in := range normalize.LegacyIndicators() {
		for _, k := range in.RowKeys {
			owner[k] = in.Key
		}
	}
	for _, c := range []struct {
		file string
		want map[string]string // indicator → the golden label it is printed as
	}{
		{"2013_pingtanxian_1.html", map[string]string{"active_published": "主动公开信息数", "applications_received": "受理依申请公开信息总数",
			"replies_total": "对申请的答复数", "granted": "其中：1.同意公开答复数", "partially_granted": "2.同意部分公开答复数", "denied": "3.否决公开答复数",
			"reviews": "行政复议数", "lawsuits": "行政诉讼数", "complaints": "行政申诉数"}},
		{"2017_pingtan_1.html", map[string]string{"active_published": "主动公开文件数", "applications_received": "受理政府信息依申请公开总数",
			"replies_total": "对申请的答复总数", "granted": "其中：1、同意公开答复数", "denied": "3、不予公开答复数", "complaints": "接受行政诉讼、举报数"}},
	} {
		t.Run(c.file, func(t *testing.T) {
			g, err := golden.Read(testdata, c.file)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(testdata, "corpus", c.file)
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			x, err := extract.Bytes(path, data, extract.Options{})
			if err != nil {
				t.Fatal(err)
			}
			d := normalize.Normalize(x)
			yearCol := strconv.Itoa(g.Year) + "年度" // the column of the report's year
			got := map[string]float64{}            // indicator → value of the year's column
			n := 0
			for _, cell := range d.Cells {
				if cell.Table != "legacy" {
					continue
				}
				n++
				in, ok := owner[cell.Row]
				if !ok {
					t.Errorf("row %s (printed %s) maps onto no indicator", cell.Row, cell.RowLabel)
					continue
				}
				if cell.Value != nil && cell.Col == yearCol {
					got[in] = *cell.Value
				}
			}
			if n == 0 {
				t.Fatal("no legacy cells")
			}
			for in, label := range c.want {
				var printed *float64
				for _, r := range g.Legacy {
					if r.Label == label {
						v := r.Values[yearCol]
						printed = &v
					}
				}
				if printed == nil {
					t.Fatalf("golden has no row %s", label)
				}
				if v, ok := got[in]; !ok || v != *printed {
					t.Errorf("%s = %v (found %v), printed %v as %s", in, v, ok, *printed, label)
				}
			}
		})
	}
}
