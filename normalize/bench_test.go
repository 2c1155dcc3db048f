package normalize_test

import (
	"os"
	"testing"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// BenchmarkNormalize measures normalization alone (extraction done
// beforehand), per document, over the bundled reports.
func BenchmarkNormalize(b *testing.B) {
	var xs []*govreport.Extracted
	for _, f := range []string{"2020_zhongmou_commerce_seed.txt", "2023_pingtan_1.html", "2021_pingtan_1.html", "2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf"} {
		data, err := os.ReadFile("../testdata/corpus/" + f)
		if err != nil {
			b.Fatal(err)
		}
		x, err := extract.Bytes(f, data, extract.Options{})
		if err != nil {
			b.Fatal(err)
		}
		xs = append(xs, x)
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		normalize.Normalize(xs[i%len(xs)])
	}
}
