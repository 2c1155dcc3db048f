package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"govreport/store"
)

func init() {
	register(&command{
		name:    "search",
		summary: "full-text search of the reports' sections (Chinese word segmentation)",
		usage:   "QUERY",
		args:    oneOrMore,
		help: `Finds the sections that contain every word of QUERY, best first (bm25),
with the agency, year, section and a snippet, the matched words in 【】.
The query is cut into words by the same segmenter as the index, whose
dictionary keeps the domain's terms whole (依申请公开, 三安全一稳定, …).

Documents imported since the last search are indexed first (the segmenter's
dictionaries load then, about a second): import stays fast, and the index
follows reparses.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			years := fs.String("year", "", "year or range of years reported on: 2023 or 2021-2023")
			section := fs.Int("section", 0, "only this section number (1–6)")
			agency := fs.String("agency", "", "only agencies whose name contains TEXT")
			limit := fs.Int("limit", 20, "at most this many results")
			return func(ctx context.Context, args []string) error {
				from, to, err := yearRange(*years)
				if err != nil {
					return err
				}
				st, err := openDB(*db)
				if err != nil {
					return err
				}
				defer st.Close()
				if err := indexPending(ctx, st); err != nil {
					return err
				}
				hits, err := st.Search(ctx, store.SearchQuery{Query: strings.Join(args, " "), YearFrom: from, YearTo: to, Section: *section, Agency: *agency, Limit: *limit})
				if err != nil {
					return err
				}
				for i, h := range hits {
					fmt.Fprintf(stdout, "%d. %s %d §%d %s  [doc %d, %s]\n   %s\n", i+1, dashIfEmpty(h.Agency), h.Year, h.Section, h.Heading, h.DocID, h.Source, h.Snippet)
				}
				if len(hits) == 0 {
					fmt.Fprintln(stderr, "no match")
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "index",
		summary: "build the search index and keywords for documents not yet indexed",
		help: `Segments the sections of every document imported or reparsed since the
last indexing, for 'govreport search', and stores each section's keywords
(TF-IDF) in the table section_keywords. 'govreport search' does this by
itself; run it after a large import to pay the cost once.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			return func(ctx context.Context, args []string) error {
				st, err := openDB(*db)
				if err != nil {
					return err
				}
				defer st.Close()
				return indexPending(ctx, st)
			}
		},
	})
}

func indexPending(ctx context.Context, st *store.Store) error {
	n, err := st.IndexPending(ctx, func(done, total int) {
		fmt.Fprintf(stderr, "\rindexing: %d/%d documents", done, total)
	})
	if n > 0 {
		fmt.Fprintln(stderr)
	}
	return err
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
