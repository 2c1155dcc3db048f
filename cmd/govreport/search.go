package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"govreport/store"
)

func init() {
	register(&command{
		name:    "search",
		words:   map[string]func() []string{"format": fixed("text", "json")},
		summary: "full-text search of the reports' sections",
		usage:   "QUERY",
		args:    oneOrMore,
		help: `Finds every section whose text contains QUERY, best first (BM25 over the
occurrences of its terms), with the agency, year, section and a snippet, the
terms in 【】; then how many sections matched and how many more the limit
left out.

A term matches wherever its characters occur, inside words too:
  依申请 公开              both (AND may be written between them)
  行政复议 OR 行政诉讼      either
  依申请 -复议              the first without the second (or: NOT 复议)
  "依申请 公开"             a phrase, spaces included (“…” works too)
  公开*                    a prefix: the same as 公开
  (行政复议 OR 行政诉讼) 纠正   parentheses group; AND binds tighter than OR
ASCII letters match in any case. A malformed query is an error saying
where. Terms of three characters or more are looked up in the index; a
query made only of shorter ones reads every section. No dictionary is
loaded: the index is kept up to date as documents are imported.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			years := fs.String("year", "", "year or range of years reported on: 2023 or 2021-2023")
			section := fs.Int("section", 0, "only this section number (1–6; a legacy report's as printed, up to 20)")
			agency := fs.String("agency", "", "only agencies whose name contains TEXT")
			limit := fs.Int("limit", 20, "at most this many results")
			format := fs.String("format", "text", "text, or json: {\"total\", \"hits\": [{doc_id, report_id, agency, year, section, heading, snippet, score, …}]}")
			return func(ctx context.Context, args []string) error {
				from, to, err := yearRange(*years)
				if err != nil {
					return err
				}
				if fs.Changed("section") && (*section < 1 || *section > 20) {
					return usagef("--section %d: want a section number from 1 to 6 (a legacy report's as printed, up to 20)", *section)
				}
				if *limit < 1 {
					return usagef("--limit %d: want at least 1", *limit)
				}
				st, err := openDB(*db, false)
				if err != nil {
					return err
				}
				defer st.Close()
				res, err := st.Search(ctx, store.SearchQuery{Query: strings.Join(args, " "), YearFrom: from, YearTo: to, Section: *section, Agency: *agency, Limit: *limit})
				if err != nil {
					return err
				}
				if *format == "json" {
					if res.Hits == nil {
						res.Hits = []store.Hit{}
					}
					enc := json.NewEncoder(stdout)
					enc.SetEscapeHTML(false)
					enc.SetIndent("", "  ")
					return enc.Encode(res)
				}
				for i, h := range res.Hits {
					fmt.Fprintf(stdout, "%d. %s %d §%d %s  [doc %d, %s]\n   %s\n", i+1, dashIfEmpty(h.Agency), h.Year, h.Section, h.Heading, h.DocID, h.Source, h.Snippet)
				}
				switch {
				case res.Total == 0:
					fmt.Fprintln(stderr, "no match")
				case res.More() > 0:
					fmt.Fprintf(stdout, "%d sections match; %d more (--limit)\n", res.Total, res.More())
				default:
					fmt.Fprintf(stdout, "%d sections match\n", res.Total)
				}
				return nil
			}
		},
	})
	register(&command{
		name:    "index",
		summary: "extract the keywords of documents that have none yet",
		help: `Stores each section's keywords (TF-IDF, by the jieba segmenter, whose
dictionaries load then: about a second and 150 MB) in the table
section_keywords, for the documents imported or reparsed since. 'govreport
keywords' does this by itself; search does not need it.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			return func(ctx context.Context, args []string) error {
				st, err := openDB(*db, true)
				if err != nil {
					return err
				}
				defer st.Close()
				return indexPending(ctx, st)
			}
		},
	})
	register(&command{
		name:    "keywords",
		words:   map[string]func() []string{"format": fixed("text", "json")},
		summary: "the stored keywords of the reports' sections, ranked",
		help: `Ranks the keywords stored for the sections selected (every report's
representative document, or --doc) by their TF-IDF weights summed, with
the number of sections they are a keyword of. Keywords are extracted
first for documents that have none (see 'govreport index').`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			years := fs.String("year", "", "year or range of years reported on: 2023 or 2021-2023")
			section := fs.Int("section", 0, "only this section number (1–6)")
			agency := fs.String("agency", "", "only agencies whose name contains TEXT")
			doc := fs.Int64("doc", 0, "only this document (its id)")
			limit := fs.Int("limit", 30, "at most this many keywords")
			format := fs.String("format", "text", "text or json")
			return func(ctx context.Context, args []string) error {
				from, to, err := yearRange(*years)
				if err != nil {
					return err
				}
				st, err := openDB(*db, true)
				if store.IsReadOnly(err) {
					st, err = openDB(*db, false) // the keywords stored
				}
				if err != nil {
					return err
				}
				defer st.Close()
				if err := indexPending(ctx, st); errors.Is(err, store.ErrReadOnly) {
					fmt.Fprintf(stderr, "note: %v\n", err)
				} else if err != nil {
					return err
				}
				ks, err := st.KeywordTotals(ctx, store.KeywordQuery{DocID: *doc, YearFrom: from, YearTo: to, Section: *section, Agency: *agency, Limit: *limit})
				if err != nil {
					return err
				}
				if *format == "json" {
					if ks == nil {
						ks = []store.KeywordCount{}
					}
					enc := json.NewEncoder(stdout)
					enc.SetEscapeHTML(false)
					return enc.Encode(ks)
				}
				for i, k := range ks {
					fmt.Fprintf(stdout, "%3d. %s  %d sections, weight %.2f\n", i+1, k.Keyword, k.Sections, k.Weight)
				}
				if len(ks) == 0 {
					fmt.Fprintln(stderr, "no keywords")
				}
				return nil
			}
		},
	})
}

// indexPending extracts the keywords of the documents imported since the
// last extraction, with a progress line. On a read-only database the
// error (ErrReadOnly) says how many documents have none.
func indexPending(ctx context.Context, st *store.Store) error {
	shown := false
	n, err := st.IndexPending(ctx, func(done, total int) {
		fmt.Fprintf(stderr, "\rkeywords: %d/%d documents", done, total)
		shown = true
	})
	if shown {
		fmt.Fprintln(stderr)
	}
	if errors.Is(err, store.ErrReadOnly) {
		return fmt.Errorf("%w: the %d documents imported since keywords were last extracted have none", err, n)
	}
	return err
}

func dashIfEmpty(s string) string {
	if s == "" {
		return "—"
	}
	return s
}
