package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"govreport/store"
)

// The attack: search time grew with the square of the query (one word
// repeated 300 times took 58 s; a 1 MB query did not end in 120 s). A
// term repeated is now searched once, and a query longer than
// MaxQueryChars or of more than MaxQueryTerms distinct terms is refused
// before it is run.
func TestQueryBounds(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for i := range 3 {
		if _, err := st.Save(ctx, doc(fmt.Sprint("d", i), 2021), false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := st.IndexPending(ctx, nil); err != nil {
		t.Fatal(err)
	}
	one, err := st.Search(ctx, store.SearchQuery{Query: "公开"})
	if err != nil || one.Total != 3 {
		t.Fatalf("one word: %d hits, %v", one.Total, err)
	}
	many, err := st.Search(ctx, store.SearchQuery{Query: strings.Repeat("公开 ", 300)})
	if err != nil || many.Total != one.Total || len(many.Hits) != len(one.Hits) || many.Hits[0].Score != one.Hits[0].Score {
		t.Errorf("the word 300 times: %+v, %v; want what the word once finds", many, err)
	}
	if _, err := st.Search(ctx, store.SearchQuery{Query: strings.Repeat("公开", 500000)}); err == nil || !strings.Contains(err.Error(), "query of 1000000 characters: at most 1000") {
		t.Errorf("a 1 MB query: %v", err)
	}
	var words []string
	for i := range store.MaxQueryTerms + 1 {
		words = append(words, fmt.Sprint("w", i))
	}
	if _, err := st.Search(ctx, store.SearchQuery{Query: strings.Join(words, " ")}); err == nil || !strings.Contains(err.Error(), "distinct terms: at most") {
		t.Errorf("%d distinct words: %v", len(words), err)
	}
}
