package ingest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/normalize"
	"govreport/store"
)

// layout3 is normalize's test-only third layout: a template no Go code
// names and a report written for it (its README.md).
const layout3 = "../../../normalize/testdata/layout3"

// The third layout stored: the templates given to store.Open make a view
// per table with a column per column key, rows in printed order, holding
// the document's cells; each table exports its rows.
func TestThirdLayoutStored(t *testing.T) {
	set, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), os.DirFS(layout3+"/templates"))
	if err != nil {
		t.Fatal(err)
	}
	path := layout3 + "/corpus/2030_example_survey.txt"
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
	tpl := set.Layout(d.Layout)
	if tpl == nil || normalize.Template(d.Layout) != nil {
		t.Fatalf("layout %q: want the test-only one", d.Layout)
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "l3.db"), ingest.StoreOptions(set))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if _, err := st.Save(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	exportable := store.ExportTables(set.Layouts())
	for _, tb := range tpl.Tables {
		// the document's rows of this table, in printed order, each row's
		// values as "key col=value …"
		var want []string
		byRow := map[string][]string{}
		for _, c := range d.Cells {
			if c.Table != tb.Key {
				continue
			}
			if _, ok := byRow[c.Row]; !ok {
				want = append(want, c.Row)
			}
			byRow[c.Row] = append(byRow[c.Row], c.Col+"="+value(c.Value))
		}
		for i, k := range want {
			slices.Sort(byRow[k])
			want[i] = k + " " + strings.Join(byRow[k], " ")
		}
		var cols []string
		for _, c := range tb.Columns {
			cols = append(cols, c.Key)
		}
		rows, err := st.DB().QueryContext(ctx, `SELECT row_key, `+strings.Join(cols, ", ")+` FROM `+tb.Key+
			` WHERE layout = ? ORDER BY row_order IS NULL, row_order`, d.Layout)
		if err != nil {
			t.Errorf("view %s: %v", tb.Key, err)
			continue
		}
		var got []string
		for rows.Next() {
			var key string
			vals := make([]*float64, len(cols))
			dest := []any{&key}
			for i := range vals {
				dest = append(dest, &vals[i])
			}
			if err := rows.Scan(dest...); err != nil {
				t.Fatal(err)
			}
			var parts []string
			for i, v := range vals {
				if v != nil || slices.Contains(byRow[key], cols[i]+"=NULL") {
					parts = append(parts, cols[i]+"="+value(v))
				}
			}
			slices.Sort(parts)
			got = append(got, key+" "+strings.Join(parts, " "))
		}
		rows.Close()
		if !slices.Equal(got, want) {
			t.Errorf("view %s:\n got %q\nwant %q", tb.Key, got, want)
		}

		if !slices.Contains(exportable, tb.Key) {
			t.Errorf("ExportTables %v lacks %s", exportable, tb.Key)
			continue
		}
		var buf bytes.Buffer
		n, err := st.Export(ctx, &buf, store.ExportOptions{Table: tb.Key, Format: "jsonl"})
		if err != nil || n != len(want) {
			t.Errorf("export %s: %d rows (%v), want %d", tb.Key, n, err, len(want))
			continue
		}
		first, _, _ := strings.Cut(buf.String(), "\n")
		var rec map[string]any
		if err := json.Unmarshal([]byte(first), &rec); err != nil || rec["row_key"] != strings.Fields(want[0])[0] {
			t.Errorf("export %s, first record %s (%v): want row %s", tb.Key, first, err, strings.Fields(want[0])[0])
		}
	}
}

func value(v *float64) string {
	if v == nil {
		return "NULL"
	}
	b, _ := json.Marshal(*v)
	return string(b)
}
