package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"govreport"
)

// LayoutTemplates reads the layouts' templates (normalize/templates) as
// the data they are: store's tests do not import normalize.
func LayoutTemplates(t testing.TB) []*govreport.Template {
	t.Helper()
	files, err := filepath.Glob("../normalize/templates/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates: %v", err)
	}
	var out []*govreport.Template
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var tm govreport.Template
		if err := json.Unmarshal(data, &tm); err != nil {
			continue // sections.json is a list
		}
		if tm.Layout != "" && len(tm.Tables) > 0 {
			out = append(out, &tm)
		}
	}
	if len(out) < 2 {
		t.Fatalf("%d layout templates in normalize/templates", len(out))
	}
	return out
}

// LegacyColumnWords reads the legacy table's column words
// (normalize/templates/legacy.json's "table") as the data they are.
func LegacyColumnWords(t testing.TB) govreport.LegacyColumns {
	t.Helper()
	data, err := os.ReadFile("../normalize/templates/legacy.json")
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Table struct {
			ThisYear     []string `json:"this_year"`
			Cumulative   []string `json:"cumulative"`
			PreviousYear []string `json:"previous_year"`
		} `json:"table"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatal(err)
	}
	return govreport.LegacyColumns{ThisYear: f.Table.ThisYear, Cumulative: f.Table.Cumulative, PreviousYear: f.Table.PreviousYear}
}

// The terms Analyze finds in the real templates are the keys it compared
// when they were written out in the code.
func TestTermsOfTheLayouts(t *testing.T) {
	s := &Store{opt: Options{Templates: LayoutTemplates(t)}}
	tm, err := s.terms()
	if err != nil {
		t.Fatal(err)
	}
	eq := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	eq("t3 columns", tm.t3Cols, []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "org_subtotal", "total"})
	eq("total, issued, repealed, in force", []string{tm.total, tm.issued, tm.repealed, tm.inForce}, []string{"total", "issued", "repealed", "in_force"})
	eq("上年结转", tm.carriedOver, []string{"carried_over"})
	eq("结转下年度", tm.carriedForward, []string{"carried_forward"})
	eq("rolling rows", tm.rolling, []string{"regulations", "normative_documents"})
	// Each statement's rows: the keys it named, prefixes standing for a group.
	named := [][]string{{"new_received"}, {"carried_over"}, {"granted", "partially_granted"}, {"granted"}, {"partially_granted"}, {"denied_"}, {"unable_"}, {"rejected_"}, {"carried_forward"}}
	var all []string
	for _, tp := range LayoutTemplates(t) {
		for _, tb := range tp.Tables {
			if tb.Key == "t3" {
				for _, r := range tb.Rows {
					if !slices.Contains(all, r.Key) {
						all = append(all, r.Key)
					}
				}
			}
		}
	}
	for i, keys := range named {
		var want []string
		for _, r := range all {
			for _, k := range keys {
				if r == k || strings.HasSuffix(k, "_") && strings.HasPrefix(r, k) {
					want = append(want, r)
				}
			}
		}
		got := slices.Clone(tm.stated[i])
		slices.Sort(got)
		slices.Sort(want)
		eq(statements[i].what, got, want)
	}
}
