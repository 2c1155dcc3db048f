package ingest_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/normalize"
	"govreport/store"
)

// legacyWords is normalize's legacy table printed in other words (its
// README.md): columns 本期 and 历年合计, 合计 marking the cumulative one.
const legacyWords = "../../../normalize/testdata/legacywords"

// The legacy view reads a row's value and cumulative value by the column
// words of the templates the store is opened from (StoreOptions): the
// report printed with 本期 and 历年合计 shows, as printed,
// 受理申请总数 12 this year and 150 in all, and the digits run together
// of 主动公开信息数 (3204100) as 320 and 4100.
func TestLegacyColumnWordsStored(t *testing.T) {
	set, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), os.DirFS(legacyWords+"/templates"))
	if err != nil {
		t.Fatal(err)
	}
	path := legacyWords + "/corpus/2016_example_bureau.txt"
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := extract.Bytes(path, data, extract.Options{})
	if err != nil {
		t.Fatal(err)
	}
	d := normalize.NormalizeWith(x, normalize.Options{Templates: set})
	d.Source, d.SHA256 = path, parse.SHA256(data)
	st, err := store.Open(filepath.Join(t.TempDir(), "w.db"), ingest.StoreOptions(set))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := st.Save(context.Background(), d, false); err != nil {
		t.Fatal(err)
	}
	for label, want := range map[string][2]float64{"受理申请总数": {12, 150}, "主动公开信息数": {320, 4100}} {
		var value, cumulative *float64
		if err := st.DB().QueryRow(`SELECT value, cumulative FROM legacy WHERE row_label = ?`, label).Scan(&value, &cumulative); err != nil {
			t.Fatalf("%s: %v", label, err)
		}
		if value == nil || cumulative == nil || *value != want[0] || *cumulative != want[1] {
			t.Errorf("%s: value %v cumulative %v, want %v", label, value, cumulative, want)
		}
	}
}
