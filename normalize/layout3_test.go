package normalize_test

import (
	"os"
	"slices"
	"testing"

	"govreport"
	"govreport/extract/text"
	"govreport/normalize"
	"govreport/normalize/internal/golden"
)

const layout3 = "testdata/layout3" // README.md there

// A layout that no Go code names, added to the built-in templates and read
// end to end through normalize: the layout told by its markers, its
// sections, every cell of its golden (a row printed short completed
// through the identities, a table printed on one line with each block's
// total first), and every identity of its template checked.
func TestThirdLayout(t *testing.T) {
	set, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), os.DirFS(layout3+"/templates"))
	if err != nil {
		t.Fatal(err)
	}
	g, err := golden.Read(layout3, "2030_example_survey.txt")
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(layout3 + "/corpus/" + g.File)
	if err != nil {
		t.Fatal(err)
	}
	x, err := text.Extract(data)
	if err != nil {
		t.Fatal(err)
	}
	tpl := set.Layout(g.Layout)
	if tpl == nil || normalize.Template(g.Layout) != nil {
		t.Fatalf("layout %s: in the set %v, built in %v; want only in the set", g.Layout, tpl != nil, normalize.Template(g.Layout) != nil)
	}
	if d := normalize.Normalize(x); d.Layout == g.Layout {
		t.Errorf("the built-in templates read it as %s", d.Layout)
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

	got := map[[3]string]govreport.Cell{}
	for _, c := range d.Cells {
		got[[3]string{c.Table, c.Row, c.Col}] = c
	}
	n := 0
	for tk, rows := range g.Cells {
		for rk, cols := range rows {
			for ck, want := range cols {
				n++
				c, ok := got[[3]string{tk, rk, ck}]
				if !ok || c.Value == nil || *c.Value != *want {
					t.Errorf("%s.%s.%s = %v (flags %v), want %v", tk, rk, ck, c.Value, c.Flags, *want)
				}
			}
		}
	}
	// a short row: every cell placed through the identities, the printed
	// numbers in their order among them
	for name, printed := range g.ShortRows {
		var vals []float64
		for _, c := range d.Cells {
			if c.Table+"."+c.Row != name {
				continue
			}
			n++
			if c.Value == nil || !c.HasFlag(govreport.FlagInferred) {
				t.Errorf("%s.%s = %v %v, want a value inferred", name, c.Col, c.Value, c.Flags)
				continue
			}
			vals = append(vals, *c.Value)
		}
		if !subsequence(printed, vals) {
			t.Errorf("%s: %v stored, %v printed", name, vals, printed)
		}
	}
	if n != len(d.Cells) {
		t.Errorf("%d cells, the golden has %d", len(d.Cells), n)
	}

	var rules []string
	for _, c := range d.Checks {
		if c.Status != govreport.CheckPass {
			t.Errorf("check %s %s.%s: %s %s", c.Rule, c.Table, c.Scope, c.Status, c.Detail)
		}
		rules = append(rules, c.Rule)
	}
	for _, tb := range tpl.Tables {
		for _, id := range tb.Identities {
			if !slices.Contains(rules, id.Rule) {
				t.Errorf("identity %s never checked", id.Rule)
			}
		}
	}
}
