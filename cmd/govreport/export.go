package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"govreport/normalize"
	"govreport/store"
)

func init() {
	register(&command{
		name: "export",
		values: map[string]func() []string{
			"table":    func() []string { return store.ExportTables(normalize.Templates()) },
			"format":   fixed("csv", "jsonl"),
			"encoding": fixed("utf-8", "gbk"),
		},
		summary: "export a table as CSV (for Excel) or JSON Lines",
		help: `Writes one table of the database, each line beginning with the
document's id, agency, year, layout and source. Tables:
t2, t3, t4 (the statistics tables as printed), legacy (the rows of
2008–2018 tables with their indicators) and measures (derived rates and
timeliness): one line per report and row, with the report's id, status
and the agency's level, kind and region (province, city, county,
region_code); documents, sections and checks: one line per document and
row; cells: every stored cell of every document, with its raw text,
flags and where it was printed (page, line, x, y); corrections: every
correction made in review, superseded ones too (current 0), which
govreport corrections import reads back.

Values are the corrected ones where a person corrected a cell (govreport
serve --allow-edit): flag corrected, the machine's value beside it
(machine_values in t2, t3, t4; machine_value in cells).

CSV is UTF-8 with a byte-order mark, so Excel shows the Chinese correctly;
--encoding gbk writes GBK for older Excel on Chinese Windows. JSON Lines
(--format jsonl) is for scripts.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			table := fs.String("table", "", "table to export: "+strings.Join(store.ExportTables(normalize.Templates()), ", "))
			format := fs.String("format", "csv", "csv or jsonl")
			enc := fs.String("encoding", "utf-8", "CSV encoding: utf-8 (with BOM) or gbk")
			out := fs.String("out", "", "output file (default: standard output), replaced only when the export succeeds")
			cobra.MarkFlagRequired(fs, "table")
			years := fs.String("year", "", "year or range of years reported on: 2023 or 2021-2023")
			return func(ctx context.Context, args []string) error {
				from, to, err := yearRange(*years)
				if err != nil {
					return err
				}
				st, err := openDB(*db, false)
				if err != nil {
					return err
				}
				defer st.Close()
				var w io.Writer = stdout
				var f *outFile
				if *out != "" {
					// Written beside the target and renamed over it at the
					// end: a failure leaves what the user had untouched.
					if f, err = createOut(*out); err != nil {
						return err
					}
					w = f
				}
				n, err := st.Export(ctx, w, store.ExportOptions{Table: *table, Format: *format, Encoding: *enc, YearFrom: from, YearTo: to})
				if f != nil {
					if err != nil {
						f.Abort()
					} else {
						err = f.Commit()
					}
				}
				if err != nil {
					return err
				}
				if *out != "" {
					fmt.Fprintf(stderr, "%d rows written to %s\n", n, *out)
				}
				return nil
			}
		},
	})
}

// yearRange reads "2023" or "2021-2023"; "" means all years (0, 0).
// Years run from minYear to maxYear.
func yearRange(s string) (from, to int, err error) {
	if s == "" {
		return 0, 0, nil
	}
	bad := usagef("--year %q: want YEAR or FROM-TO, years from %d to %d", s, minYear, maxYear)
	a, b, rng := strings.Cut(s, "-")
	if from, err = strconv.Atoi(strings.TrimSpace(a)); err != nil {
		return 0, 0, bad
	}
	to = from
	if rng {
		if to, err = strconv.Atoi(strings.TrimSpace(b)); err != nil || to < from {
			return 0, 0, bad
		}
	}
	if from < minYear || to > maxYear {
		return 0, 0, bad
	}
	return from, to, nil
}

// The years a report can be on: the regulation on open government
// information dates from 2007; a year outside these is a typo.
const minYear, maxYear = 1990, 2100
