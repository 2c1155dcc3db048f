package normalize_test

import (
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"govreport"
	"govreport/extract/text"
	"govreport/normalize"
	"govreport/normalize/internal/golden"
)

const legacyWords = "testdata/legacywords" // README.md there

// The words a legacy statistics table is printed with are data: a report
// printed with other header words, column names, sub-item word and
// attachment heading (testdata/legacywords) is read to its golden with a
// legacy.json that says them, on lines and on one line, and not with the
// built-in one; with the built-in sub-item word the sub-items no longer
// decide how the digits run together split.
func TestLegacyWords(t *testing.T) {
	words, err := os.ReadFile(legacyWords + "/templates/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	set, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), os.DirFS(legacyWords+"/templates"))
	if err != nil {
		t.Fatal(err)
	}
	if set.Legacy().SubItem != "包括" || normalize.DefaultTemplates().Legacy().SubItem != "其中" {
		t.Fatalf("sub-item words %s and built in %s", set.Legacy().SubItem, normalize.DefaultTemplates().Legacy().SubItem)
	}
	g, err := golden.Read(legacyWords, "2016_example_bureau.txt")
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range []string{g.File, "2016_example_bureau_oneline.txt"} {
		t.Run(file, func(t *testing.T) {
			data, err := os.ReadFile(legacyWords + "/corpus/" + file)
			if err != nil {
				t.Fatal(err)
			}
			x, err := text.Extract(data)
			if err != nil {
				t.Fatal(err)
			}
			d := normalize.NormalizeWith(x, normalize.Options{Templates: set})
			if d.Layout != g.Layout || d.Year != g.Year || d.Agency != g.Agency || d.Status != govreport.StatusOK {
				t.Errorf("layout %s year %d agency %s status %s, want %s %d %s ok", d.Layout, d.Year, d.Agency, d.Status, g.Layout, g.Year, g.Agency)
			}
			var secs []golden.Section
			for _, s := range d.Sections {
				secs = append(secs, golden.Section{Number: s.Number, Key: s.Key, Heading: s.Heading})
			}
			if !slices.Equal(secs, g.Sections) {
				t.Errorf("sections %v, want %v", secs, g.Sections)
			}
			rows := legacyRows(d)
			if len(rows) != len(g.Legacy) {
				t.Errorf("%d rows, want %d", len(rows), len(g.Legacy))
			}
			for i, want := range g.Legacy {
				if i >= len(rows) {
					break
				}
				r := rows[i]
				if squash(r.label) != squash(want.Label) || r.unit != want.Unit || len(r.values) != len(want.Values) {
					t.Errorf("row %d: %s %s %v, want %s %s %v", i+1, r.label, r.unit, r.values, want.Label, want.Unit, want.Values)
					continue
				}
				for col, v := range want.Values {
					if got, ok := r.values[col]; !ok || got == nil || *got != v {
						t.Errorf("%s %s = %v, want %v", want.Label, col, got, v)
					}
				}
			}
			// the glued row is split by its sub-items, and flagged so
			if c := cellOf(d, "主动公开信息数", "本期"); c == nil || !c.HasFlag(govreport.FlagInferred) {
				t.Errorf("主动公开信息数 本期: %v, want a value inferred", c)
			}
			// the indicators read a sub-item's row key with its word
			for _, in := range set.Indicators() {
				if in.Key == "active_published_website" {
					if c := cellOf(d, "包括:1、网站公开数", "本期"); c == nil || !slices.Contains(in.RowKeys, c.Row) {
						t.Errorf("row %v not among the indicator's keys %v", c, in.RowKeys)
					}
				}
			}

			if d := normalize.Normalize(x); len(d.Cells) != 0 || slices.ContainsFunc(d.Sections, func(s govreport.Section) bool { return s.Key == "statistics" }) {
				t.Errorf("the built-in words read %d cells and sections %v", len(d.Cells), d.Sections)
			}
			// the same words but the built-in sub-item: the sub-items no
			// longer add up to the glued row, which stays ambiguous
			other, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), fstest.MapFS{"legacy.json": {
				Data: []byte(strings.Replace(string(words), `"sub_item": "包括"`, `"sub_item": "其中"`, 1))}})
			if err != nil {
				t.Fatal(err)
			}
			d = normalize.NormalizeWith(x, normalize.Options{Templates: other})
			if c := cellOf(d, "主动公开信息数", "本期"); c == nil || c.Value != nil || !c.HasFlag(govreport.FlagAmbiguous) {
				t.Errorf("with sub-item 其中, 主动公开信息数 本期: %v, want ambiguous", c)
			}
		})
	}
}

type legacyRow struct {
	label, unit string
	values      map[string]*float64
}

// legacyRows are a document's legacy rows in printed order.
func legacyRows(d *govreport.Document) []*legacyRow {
	var rows []*legacyRow
	byKey := map[string]*legacyRow{}
	for _, c := range d.Cells {
		if c.Table != govreport.LayoutLegacy {
			continue
		}
		r := byKey[c.Row]
		if r == nil {
			r = &legacyRow{label: c.RowLabel, unit: c.Unit, values: map[string]*float64{}}
			byKey[c.Row] = r
			rows = append(rows, r)
		}
		r.values[c.Col] = c.Value
	}
	return rows
}

func cellOf(d *govreport.Document, label, col string) *govreport.Cell {
	for i, c := range d.Cells {
		if c.RowLabel == label && c.Col == col {
			return &d.Cells[i]
		}
	}
	return nil
}
