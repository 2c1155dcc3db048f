package store_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

// The legacy view tells a row's value for the report's year and its
// cumulative value by the column words it is given, not by words of its
// own: a table printed with 本期, 历年合计 and 上期 is read with those
// words, not with the built-in 本年, 累计 and 上年; a word holding a quote
// is a word like another; and opening the database with other words
// rewrites the view.
func TestLegacyColumnWords(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "l.db")
	other := govreport.LegacyColumns{ThisYear: []string{"本期"}, Cumulative: []string{"合计", "年'计"}, PreviousYear: []string{"上期"}}
	open := func(w govreport.LegacyColumns) *store.Store {
		t.Helper()
		st, err := store.Open(path, store.Options{ParserVersion: "test", Templates: store.LayoutTemplates(t), LegacyColumns: w})
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	st := open(other)
	for _, d := range []*govreport.Document{
		{SHA256: "a", Agency: "某县商务局", Year: 2016, Cells: []govreport.Cell{
			{Table: "legacy", Row: "受理申请总数", Col: "本期", Value: f(5)},
			{Table: "legacy", Row: "受理申请总数", Col: "历年合计", Value: f(40)},
			{Table: "legacy", Row: "受理申请总数", Col: "上期", Value: f(3)}}},
		// the one column that is neither cumulative nor the year before's
		{SHA256: "b", Agency: "某县财政局", Year: 2016, Cells: []govreport.Cell{
			{Table: "legacy", Row: "受理申请总数", Col: "数量", Value: f(7)},
			{Table: "legacy", Row: "受理申请总数", Col: "上期数量", Value: f(2)},
			{Table: "legacy", Row: "受理申请总数", Col: "年'计数", Value: f(9)}}},
	} {
		d.Source, d.Format, d.Layout, d.Status = d.SHA256, "txt", "legacy", govreport.StatusOK
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	type vc struct{ value, cumulative sql.NullFloat64 }
	read := func(st *store.Store, sha string) vc {
		t.Helper()
		var r vc
		if err := st.DB().QueryRow(`SELECT l.value, l.cumulative FROM legacy l JOIN documents d ON d.id = l.doc_id WHERE d.sha256 = ? AND l.row_key = '受理申请总数'`, sha).
			Scan(&r.value, &r.cumulative); err != nil {
			t.Fatal(err)
		}
		return r
	}
	n := func(v float64) sql.NullFloat64 { return sql.NullFloat64{Float64: v, Valid: true} }
	want := map[string]vc{"a": {n(5), n(40)}, "b": {n(7), n(9)}}
	for sha, w := range want {
		if got := read(st, sha); got != w {
			t.Errorf("%s with 本期/合计/上期: value, cumulative %v, want %v", sha, got, w)
		}
	}
	st.Close()

	// The built-in words name none of these columns: no value is told.
	st = open(store.LegacyColumnWords(t))
	for sha := range want {
		if got := read(st, sha); got.value.Valid || got.cumulative.Valid {
			t.Errorf("%s with the built-in words: value, cumulative %v, want NULL", sha, got)
		}
	}
	st.Close()
	st = open(other)
	defer st.Close()
	if got := read(st, "a"); got != want["a"] {
		t.Errorf("a opened with 本期/合计/上期 again: %v, want %v", got, want["a"])
	}
}

// Open refuses column words the legacy view cannot be written with.
func TestLegacyColumnWordsRefused(t *testing.T) {
	good := store.LegacyColumnWords(t)
	for name, c := range map[string]struct {
		w    govreport.LegacyColumns
		want string
	}{
		"none":          {govreport.LegacyColumns{}, "no this-year word"},
		"no cumulative": {govreport.LegacyColumns{ThisYear: good.ThisYear, PreviousYear: good.PreviousYear}, "no cumulative word"},
		"empty word":    {govreport.LegacyColumns{ThisYear: good.ThisYear, Cumulative: good.Cumulative, PreviousYear: []string{""}}, `previous-year word ""`},
		"NUL":           {govreport.LegacyColumns{ThisYear: []string{"本\x00年"}, Cumulative: good.Cumulative, PreviousYear: good.PreviousYear}, "this-year word"},
	} {
		_, err := store.Open(filepath.Join(t.TempDir(), "r.db"), store.Options{Templates: store.LayoutTemplates(t), LegacyColumns: c.w})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want one saying %s", name, err, c.want)
		}
	}
}
