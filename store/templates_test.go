package store_test

import (
	"path/filepath"
	"testing"

	"govreport/store"
)

// openStore opens a new database with the layouts' templates.
func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"), store.Options{ParserVersion: "test", Templates: store.LayoutTemplates(t), LegacyColumns: store.LegacyColumnWords(t)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}
