package normalize

import (
	"testing"

	"govreport"
)

func TestTemplatesWellFormed(t *testing.T) {
	for _, tpl := range Templates() {
		if err := Validate(tpl); err != nil {
			t.Errorf("%s: %v", tpl.Layout, err)
		}
	}
	if len(Templates()) != 2 || Template("2019") == nil || Template("2021") == nil {
		t.Fatalf("layouts: %d", len(Templates()))
	}
	bad := &govreport.Template{Layout: "x", Markers: []string{"m"}, Tables: []govreport.TableTemplate{{Key: "t3",
		Columns: []govreport.ColumnTemplate{{Key: "a", Labels: []string{"甲"}}},
		Rows:    []govreport.RowTemplate{{Key: "r", Labels: []string{"乙"}, Columns: []string{"nope"}}}}}}
	if Validate(bad) == nil {
		t.Error("a row naming an unknown column must not validate")
	}
}

// Every printed label and variant of a row maps onto that row, in its own
// table, whatever ordinal or bracket width it is printed with.
func TestLabelVariantsMapToTheirRow(t *testing.T) {
	for _, tpl := range Templates() {
		for i := range tpl.Tables {
			tb := &tpl.Tables[i]
			for ri, r := range tb.Rows {
				for _, l := range r.Labels {
					for _, printed := range []string{l, clean(l), r.Group + l} {
						if got, _, _ := matchRow(tb, printed); got != ri {
							name := "none"
							if got >= 0 {
								name = tb.Rows[got].Key
							}
							t.Errorf("%s %s: %q → %s, want %s", tpl.Layout, tb.Key, printed, name, r.Key)
						}
					}
				}
			}
		}
	}
}

// The cells each layout prints, counted from reports.md: 2021 has 10 in
// table 二, 25 rows × 7 in table 三 and 15 in table 四; 2019 has 22, 23 × 7
// and 15.
func TestTemplateCells(t *testing.T) {
	if n := TemplateCells("2021"); n != 200 {
		t.Errorf("2021: %d cells, want 200", n)
	}
	if n := TemplateCells("2019"); n != 198 {
		t.Errorf("2019: %d cells, want 198", n)
	}
}
