package main

import (
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"govreport/normalize"
	"govreport/store"
)

func init() {
	register(&command{
		name:    "stats",
		summary: "summarize the database: documents, cells found, checks failed",
		help:    `Prints documents by year, layout, format and status, the reports they make (those that name their agency and year are the rows of the views) and the documents that are not reports, the agencies and how many are placed in a region, the share of table cells read, the checks failed by rule, and the files stored but not read (status unsupported, or no_text: a scan, without OCR or where it read nothing) with the reason, such as a converter or OCR to install.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			return func(ctx context.Context, args []string) error {
				st, err := openDB(*db, false)
				if err != nil {
					return err
				}
				defer st.Close()
				s, err := st.Stats(ctx)
				if err != nil {
					return err
				}
				w := stdout
				fmt.Fprintf(w, "%s: %d documents\n", *db, s.Documents)
				for _, g := range []struct {
					name string
					c    []store.Count
				}{{"year", s.ByYear}, {"layout", s.ByLayout}, {"format", s.ByFormat}, {"status", s.ByStatus}} {
					fmt.Fprintf(w, "  by %-7s", g.name)
					for _, c := range g.c {
						fmt.Fprintf(w, " %s:%d", c.Key, c.N)
					}
					fmt.Fprintln(w)
				}
				fmt.Fprintf(w, "  reports: %d (%d name their agency and year: the rows of the views); %d documents not reports\n", s.Reports, s.Attributed, s.NotReports)
				fmt.Fprintf(w, "  agencies: %d (%d placed in a region)\n", s.Agencies, s.Placed)
				share := 0.0
				if s.CellsFound+s.CellsFlagged > 0 {
					share = 100 * float64(s.CellsFound) / float64(s.CellsFound+s.CellsFlagged)
				}
				fmt.Fprintf(w, "  table cells: %d read (%.1f%%), %d flagged uncertain or ambiguous\n", s.CellsFound, share, s.CellsFlagged)
				docs, found, err := st.FoundByLayout(ctx)
				if err != nil {
					return err
				}
				for _, t := range normalize.Templates() {
					l := t.Layout
					if want := normalize.TemplateCells(l); docs[l] > 0 && want > 0 {
						fmt.Fprintf(w, "  layout %s: %d of %d template cells found (%.1f%%) in %d documents\n", l, found[l], want*docs[l], 100*float64(found[l])/float64(want*docs[l]), docs[l])
					}
				}
				failed := 0
				for _, c := range s.ChecksFailed {
					failed += c.N
				}
				fmt.Fprintf(w, "  checks: %d run, %d failed", s.ChecksRun, failed)
				for _, c := range s.ChecksFailed {
					fmt.Fprintf(w, " %s:%d", c.Key, c.N)
				}
				fmt.Fprintln(w)
				// files stored without their content, and why (a reader or OCR to install)
				for _, c := range s.Unsupported {
					fmt.Fprintf(w, "  not read: %d × %s\n", c.N, c.Key)
				}
				// the crawler's state, when the database was filled by crawl
				states, err := st.FrontierStates(ctx)
				if err != nil {
					return err
				}
				errs, err := st.FetchErrors(ctx)
				if err != nil {
					return err
				}
				for _, g := range []struct {
					name string
					m    map[string]int
				}{{"crawl frontier", states}, {"fetch errors", errs}} {
					if len(g.m) == 0 {
						continue
					}
					fmt.Fprintf(w, "  %s:", g.name)
					for _, k := range sortedKeys(g.m) {
						fmt.Fprintf(w, " %s:%d", k, g.m[k])
					}
					fmt.Fprintln(w)
				}
				return nil
			}
		},
	})
}

func sortedKeys(m map[string]int) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	return sorted(ks)
}
