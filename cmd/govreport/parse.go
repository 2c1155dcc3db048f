package main

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/pflag"

	"govreport"
	"govreport/cmd/internal/parse"
	"govreport/extract"
)

func init() {
	register(&command{
		name:    "parse",
		summary: "parse one report file and print it (JSON with --json); no database",
		usage:   "FILE",
		args:    oneArg,
		help: `Parses one report (PDF, HTML or flattened text) and prints what was read:
metadata, sections, table cells at their canonical keys, checks and warnings.
--json prints the whole report as JSON on stdout, with the stable top-level
fields source, sha256, format, title, agency, year, layout, sections, cells,
checks, warnings (and attachments for pages that link report files).`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			asJSON := fs.Bool("json", false, "print the report as JSON")
			base := fs.String("url", "", "the URL the file was fetched from (resolves an HTML page's links)")
			lim := limitFlags(fs)
			return func(ctx context.Context, args []string) error {
				d, err := parseOne(ctx, args[0], *base, lim)
				if err != nil {
					return err
				}
				if *asJSON {
					enc := json.NewEncoder(stdout)
					enc.SetIndent("", "  ")
					enc.SetEscapeHTML(false)
					if err := enc.Encode(d); err != nil {
						return err
					}
				} else {
					printSummary(d)
				}
				if parse.Failed(d) {
					return exitError{1}
				}
				return nil
			}
		},
	})
}

// parseOne reads and parses a file; a failure to parse is in the document.
func parseOne(ctx context.Context, path, baseURL string, lim *limits) (*govreport.Document, error) {
	data, err := parse.ReadFile(path, lim.maxBytes)
	if err != nil {
		return nil, err
	}
	iso, err := lim.isolator()
	if err != nil {
		return nil, err
	}
	defer iso.Close()
	d, err := iso.Parse(ctx, path, "", data, extract.Options{BaseURL: baseURL, MaxBytes: lim.maxBytes})
	if err != nil {
		return nil, err
	}
	if parse.Failed(d) {
		fmt.Fprintf(stderr, "%s: %s: %s\n", path, d.Status, d.Error)
	}
	return d, nil
}

// limits are the flags that bound the parse of one file, for parse,
// explain and import.
type limits struct {
	maxBytes int64
	isolate  bool
}

func limitFlags(fs *pflag.FlagSet) *limits {
	l := &limits{}
	fs.Int64Var(&l.maxBytes, "max-bytes", extract.DefaultMaxBytes, "the largest file read, in bytes; a larger one fails")
	fs.BoolVar(&l.isolate, "isolate", true, "parse in a child process, so that a parser crash, hang or runaway memory costs one file, not the run")
	return l
}

// isolator is the child processes that parse, nil (in-process) with
// --isolate=false.
func (l *limits) isolator() (*parse.Isolator, error) {
	if !l.isolate {
		return nil, nil
	}
	return isolator()
}

func printSummary(d *govreport.Document) {
	w := stdout
	fmt.Fprintf(w, "%s\n  format %s, status %s", d.Source, d.Format, d.Status)
	if d.Pages > 0 {
		fmt.Fprintf(w, ", %d pages", d.Pages)
	}
	fmt.Fprintf(w, "\n  title:  %s\n  agency: %s\n  year:   %d\n  layout: %s\n", d.Title, d.Agency, d.Year, d.Layout)
	if d.Error != "" {
		fmt.Fprintf(w, "  error:  %s\n", d.Error)
	}
	fmt.Fprintf(w, "  sections:")
	for _, s := range d.Sections {
		h := s.Heading
		if s.Missing {
			h = "(heading missing)"
		}
		fmt.Fprintf(w, "\n    %d %-18s %s", s.Number, s.Key, h)
	}
	fmt.Fprintln(w)
	counts := map[string][2]int{}
	for _, c := range d.Cells {
		n := counts[c.Table]
		n[0]++
		if len(c.Flags) > 0 && !(len(c.Flags) == 1 && c.Flags[0] == govreport.FlagNotReported) {
			n[1]++
		}
		counts[c.Table] = n
	}
	for _, t := range tableKeys(d) {
		if n, ok := counts[t]; ok {
			fmt.Fprintf(w, "  table %-6s %3d cells (%d flagged)\n", t, n[0], n[1])
		}
	}
	pass, fail, na := 0, 0, 0
	for _, c := range d.Checks {
		switch c.Status {
		case govreport.CheckPass:
			pass++
		case govreport.CheckFail:
			fail++
		default:
			na++
		}
	}
	fmt.Fprintf(w, "  checks: %d pass, %d fail, %d not assessable\n", pass, fail, na)
	for _, c := range d.Checks {
		if c.Status == govreport.CheckFail {
			fmt.Fprintf(w, "    FAIL %s %s.%s: %s\n", c.Rule, c.Table, c.Scope, c.Detail)
		}
	}
	for _, a := range d.Attachments {
		fmt.Fprintf(w, "  attachment: %s\n", a)
	}
	for _, x := range d.Warnings {
		fmt.Fprintf(w, "  warning: %s\n", x)
	}
}
