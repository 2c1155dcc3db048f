package store_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"govreport"
	"govreport/store"
)

// layoutTemplates reads the layouts' templates (normalize/templates) as
// the data they are: store's tests do not import normalize.
func layoutTemplates(t testing.TB) []*govreport.Template {
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

// openStore opens a new database with the layouts' templates.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"), store.Options{ParserVersion: "test", Templates: layoutTemplates(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
