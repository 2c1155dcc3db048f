package main

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"

	"govreport/store"
)

func init() {
	register(&command{
		words:   map[string]func() []string{"format": fixed("text", "csv")},
		name:    "check",
		summary: "check the identities across the database and across years",
		help: `Lists, grouped by rule and agency, with the documents and numbers involved:
  - the stored checks that failed (each table's identities);
  - report_twins: two documents of one report (a page and its PDF, a copy,
    an excerpt) that print a value differently, with each one's value;
  - t3_continuity: 上年结转 of year Y against 结转下年度 of year Y−1 for the
    same agency (one agency, or names compared without whitespace, with
    half-width brackets, without a trailing 办公室, or one name ending with
    the other), between the reports' representative documents;
  - t2_rolling (soft): 现行有效 of Y−1 + 制发 − 废止 of Y against 现行有效 of Y,
    for 规章 and 行政规范性文件;
  - narrative_t3 (soft): counts stated in sections 一 and 三 (收到申请N件,
    予以公开N件, …) against table 三's totals.
--format csv writes UTF-8 with a byte-order mark, as export does.
Exit status 1 when a finding that is not soft exists.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			format := fs.String("format", "text", "text or csv")
			pairs := fs.Bool("pairs", false, "text: list the documents paired across years")
			return func(ctx context.Context, args []string) error {
				st, err := openDB(*db, false)
				if err != nil {
					return err
				}
				defer st.Close()
				a, err := st.Analyze(ctx)
				if err != nil {
					return err
				}
				switch *format {
				case "text":
					printAnalysis(a, *pairs)
				case "csv":
					if err := writeAnalysisCSV(a); err != nil {
						return err
					}
				}
				if a.Failed() > 0 {
					return exitError{1}
				}
				return nil
			}
		},
	})
}

func printAnalysis(a store.Analysis, pairs bool) {
	w := stdout
	rule, agency := "", "\x00"
	for _, f := range a.Findings {
		if f.Rule != rule {
			rule, agency = f.Rule, "\x00"
			fmt.Fprintf(w, "%s (%s)\n", rule, f.Severity)
		}
		if f.Agency != agency {
			agency = f.Agency
			fmt.Fprintf(w, "  %s\n", dashIfEmpty(agency))
		}
		detail := f.Detail
		if !strings.Contains(detail, "≠") {
			detail = findingNum(f.Left) + " ≠ " + findingNum(f.Right) + "  " + detail
		}
		fmt.Fprintf(w, "    %d %s %s: %s  [%s]\n", f.Year, f.Table, f.Scope, strings.TrimSpace(detail), findingDocs(f.Docs))
	}
	fmt.Fprintf(w, "%d findings (%d failing, %d soft); %d pairs of documents across years\n", len(a.Findings), a.Failed(), len(a.Findings)-a.Failed(), len(a.Pairs))
	if pairs {
		for _, p := range a.Pairs {
			fmt.Fprintf(w, "  paired (%s): %s → %s\n", p.How, findingDocs([]store.DocRef{p.Prev}), findingDocs([]store.DocRef{p.Next}))
		}
	}
}

// writeAnalysisCSV writes the findings as export writes CSV: UTF-8 with a
// byte-order mark (so that Excel reads the Chinese), CRLF line ends.
func writeAnalysisCSV(a store.Analysis) error {
	if _, err := io.WriteString(stdout, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(stdout)
	cw.UseCRLF = true
	cw.Write([]string{"rule", "severity", "agency", "year", "table", "scope", "left", "right", "doc_ids", "sources", "detail"})
	for _, f := range a.Findings {
		var ids, srcs []string
		for _, d := range f.Docs {
			ids = append(ids, strconv.FormatInt(d.ID, 10))
			srcs = append(srcs, d.Source)
		}
		cw.Write([]string{f.Rule, f.Severity, f.Agency, strconv.Itoa(f.Year), f.Table, f.Scope, findingNum(f.Left), findingNum(f.Right),
			strings.Join(ids, " "), strings.Join(srcs, " "), f.Detail})
	}
	cw.Flush()
	return cw.Error()
}

func findingDocs(ds []store.DocRef) string {
	var s []string
	for _, d := range ds {
		s = append(s, fmt.Sprintf("doc %d %s %d %s", d.ID, dashIfEmpty(d.Agency), d.Year, d.Source))
	}
	return strings.Join(s, "; ")
}

func findingNum(v *float64) string {
	if v == nil {
		return ""
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}
