package normalize

import (
	"encoding/json"
	"strings"
	"testing"

	"govreport"
)

// Validate rejects a template the reader cannot honour; each case breaks
// a copy of the 2021 template in one way.
func TestValidateRejects(t *testing.T) {
	cases := map[string]struct {
		breakIt func(t *govreport.Template)
		want    string // in the error
	}{
		"unknown section":     {func(t *govreport.Template) { t.Tables[1].Section = "appendix" }, "unknown section"},
		"legacy-only section": {func(t *govreport.Template) { t.Tables[1].Section = "fees" }, "unknown section"},
		"tables out of order": {func(t *govreport.Template) {
			t.Tables[0], t.Tables[1] = t.Tables[1], t.Tables[0]
			t.Tables[0].Start = nil
		}, "out of order"},
		"one-line table first": {func(t *govreport.Template) {
			t.Tables[0], t.Tables[2] = t.Tables[2], t.Tables[0]
			t.Tables[0].Section = "active_disclosure"
		}, "out of order"},
		"start words on the first": {func(t *govreport.Template) { t.Tables[0].Start = []string{"信息内容"} }, "start words"},
		"subtotal not optional":    {func(t *govreport.Template) { t.Tables[1].Subtotal = "total" }, "not an optional column"},
		"subtotal unknown":         {func(t *govreport.Template) { t.Tables[1].Subtotal = "nope" }, "not an optional column"},
		"one-line with subtotal":   {func(t *govreport.Template) { t.Tables[2].Subtotal = "total" }, "one-line table"},
		"unknown alternative":      {func(t *govreport.Template) { t.Tables[1].Rows[0].Alternatives = []string{"nope"} }, "unknown alternative"},
		"unknown identity term": {func(t *govreport.Template) {
			t.Tables[1].Identities[0].Left = append(t.Tables[1].Identities[0].Left, "nope")
		}, "unknown term"},
		"identity per nothing":   {func(t *govreport.Template) { t.Tables[1].Identities[0].Per = "block" }, "per must be"},
		"identity side empty":    {func(t *govreport.Template) { t.Tables[2].Identities[0].Right = nil }, "without terms"},
		"reserved table key":     {func(t *govreport.Template) { t.Tables[2].Key = "legacy" }, "reserved"},
		"layout named legacy":    {func(t *govreport.Template) { t.Layout = govreport.LayoutLegacy }, "required"},
		"fallback without signs": {func(t *govreport.Template) { t.Fallback.Present = nil }, "fallback"},
		"table without rows":     {func(t *govreport.Template) { t.Tables[0].Rows = nil }, "no rows"},
		"print: unknown column":  {func(t *govreport.Template) { t.Tables[1].Print.ColumnGroups[0].Keys[0] = "nope" }, "unknown key nope"},
		"print: columns apart": {func(t *govreport.Template) {
			t.Tables[1].Print.ColumnGroups[0].Keys = []string{"natural_person", "research"}
		}, "not consecutive"},
		"print: row groups down":  {func(t *govreport.Template) { t.Tables[2].Print.Across = false }, "printed across"},
		"print: group unlabelled": {func(t *govreport.Template) { t.Tables[2].Print.RowGroups[0].Label = "" }, "without label"},
	}
	if err := Validate(copyTemplate(t, "2021")); err != nil {
		t.Fatalf("the 2021 template itself: %v", err)
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			tpl := copyTemplate(t, "2021")
			c.breakIt(tpl)
			if err := Validate(tpl); err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}

func copyTemplate(t *testing.T, layout string) *govreport.Template {
	t.Helper()
	b, err := json.Marshal(Template(layout))
	if err != nil {
		t.Fatal(err)
	}
	var c govreport.Template
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return &c
}
