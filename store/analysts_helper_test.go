package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"govreport/store"
	"govreport/store/ingest"
)

// openCorpus returns a new database holding testdata/corpus.
func openCorpus(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := ingest.Import(context.Background(), st, []string{"../testdata/corpus"}, ingest.Options{Jobs: 2}); err != nil {
		t.Fatal(err)
	}
	return st
}
