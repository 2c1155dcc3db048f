package main

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"govreport"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/normalize"
)

func init() {
	register(&command{
		words:   map[string]func() []string{"stage": stageNames},
		name:    "explain",
		summary: "show how one report was read: sections, tables as grids, inferences, checks",
		usage:   "FILE",
		args:    oneArg,
		help: `Parses one report and shows a maintainer how it was read: the layout and why,
the line that opened each section, each table as a grid with the template key
every printed row was matched to and why, the values placed by inference, every
flag, and the checks. --cells lists every cell with where it was printed (page
and position for PDFs, line for text, row and column for HTML tables).

--stage NAME prints one stage's output alone (normalize/doc.go describes them):
lines (the extracted lines, cell by cell), layout, meta, sections, structure
(lines → labelled rows), assemble (rows → template rows), place (the placements
of each row's numbers), solve (the values decided through the identities),
check.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			cells := fs.Bool("cells", false, "list every cell with its position in the source")
			stage := fs.String("stage", "", "print one stage's output: "+strings.Join(stageNames(), ", "))
			lim := limitFlags(fs)
			return func(ctx context.Context, args []string) error {
				x, d, events, err := explainOne(ctx, args[0], lim)
				if err != nil {
					return err
				}
				switch {
				case *stage == "lines":
					if x != nil {
						printLines(x)
					}
				case *stage != "":
					for _, e := range events {
						if e.Stage.String() == *stage {
							printEvent(e)
						}
					}
				default:
					explain(d, events, *cells)
				}
				return nil
			}
		},
	})
}

// stageNames are the values of --stage: the extracted lines, then the
// normalizer's stages.
func stageNames() []string {
	out := []string{"lines"}
	for _, s := range normalize.Stages() {
		out = append(out, s.String())
	}
	return out
}

// explainOne reads a file as parse does, recording how it was read. A
// file that cannot be extracted yields its failed document, no lines and
// no events.
func explainOne(ctx context.Context, path string, lim *limits) (*govreport.Extracted, *govreport.Document, []normalize.Event, error) {
	data, err := parse.ReadFile(path, lim.maxBytes)
	if err != nil {
		return nil, nil, nil, err
	}
	iso, err := lim.isolator()
	if err != nil {
		return nil, nil, nil, err
	}
	defer iso.Close()
	d, x, events, err := iso.Explain(ctx, path, data, extract.Options{MaxBytes: lim.maxBytes})
	if err != nil {
		return nil, nil, nil, err
	}
	if parse.Failed(d) {
		fmt.Fprintf(stderr, "%s: %s: %s\n", path, d.Status, d.Error)
	}
	return x, d, events, nil
}

func printEvent(e normalize.Event) {
	line := ""
	if e.Line > 0 {
		line = fmt.Sprintf("line %d", e.Line)
	}
	fmt.Fprintf(stdout, "%-10s %-10s %s\n", line, e.Kind, e)
}

// printLines prints the extracted lines: page, source table and row, then
// each cell (a spanned cell's copy in brackets).
func printLines(x *govreport.Extracted) {
	fmt.Fprintf(stdout, "format %s, %d pages, %d lines, warnings %v\n", x.Format, x.Pages, len(x.Lines), x.Warnings)
	for i, l := range x.Lines {
		page := 0
		if len(l.Cells) > 0 {
			page = l.Cells[0].Pos.Page
		}
		fmt.Fprintf(stdout, "%4d p%d t%d r%d |", i+1, page, l.Table, l.Row)
		for _, c := range l.Cells {
			if c.Spanned {
				fmt.Fprintf(stdout, " [%s] |", c.Text)
			} else {
				fmt.Fprintf(stdout, " %s |", c.Text)
			}
		}
		fmt.Fprintln(stdout)
	}
}

// shownWithTables are the stages whose events explain prints under each
// table's grid; the others go in the list before the tables.
var shownWithTables = map[normalize.Stage]bool{normalize.StageAssemble: true, normalize.StageSolve: true}

func explain(d *govreport.Document, events []normalize.Event, listCells bool) {
	w := stdout
	printSummary(d)
	fmt.Fprintf(w, "\nHow it was read:\n")
	for _, e := range events {
		switch {
		case e.Stage == normalize.StageStructure || e.Stage == normalize.StagePlace:
			continue // explain --stage shows them
		case e.Stage == normalize.StageCheck:
			continue // listed below when not passed
		case e.Table != "" && shownWithTables[e.Stage]:
			continue // shown with the table
		}
		fmt.Fprintf(w, "  %s\n", e)
	}
	for _, tk := range tableKeys(d) {
		var cs []govreport.Cell
		for _, c := range d.Cells {
			if c.Table == tk {
				cs = append(cs, c)
			}
		}
		if len(cs) == 0 {
			continue
		}
		fmt.Fprintf(w, "\nTable %s\n", tk)
		grid(d, tk, cs)
		for _, e := range events {
			if e.Table == tk && shownWithTables[e.Stage] && e.Kind != normalize.EventPrinted {
				fmt.Fprintf(w, "  · %s\n", e)
			}
		}
	}
	fmt.Fprintf(w, "\nChecks not passed:\n")
	n := 0
	for _, c := range d.Checks {
		if c.Status == govreport.CheckPass {
			continue
		}
		n++
		l, r := "?", "?"
		if c.Left != nil {
			l = fmt.Sprint(*c.Left)
		}
		if c.Right != nil {
			r = fmt.Sprint(*c.Right)
		}
		fmt.Fprintf(w, "  %-14s %-4s %-16s %-15s %s = %s  %s\n", c.Status, c.Table, c.Scope, c.Rule, l, r, c.Detail)
	}
	if n == 0 {
		fmt.Fprintf(w, "  none\n")
	}
	if listCells {
		fmt.Fprintf(w, "\nCells:\n")
		for _, c := range d.Cells {
			v := "NULL"
			if c.Value != nil {
				v = fmt.Sprint(*c.Value)
			}
			fmt.Fprintf(w, "  %s.%s.%s = %s  raw %q  %s  flags %s\n", c.Table, c.Row, c.Col, v, c.Raw, where(c.Pos), strings.Join(c.Flags, ","))
		}
	}
}

func where(p govreport.Pos) string {
	var parts []string
	if p.Page > 0 {
		parts = append(parts, fmt.Sprintf("page %d x=%.0f y=%.0f", p.Page, p.X, p.Y))
	}
	switch {
	case p.Table > 0: // a Word document's table or a workbook's sheet
		parts = append(parts, fmt.Sprintf("table %d row %d col %d", p.Table, p.Row, p.Col))
	case p.Row > 0:
		parts = append(parts, fmt.Sprintf("table row %d col %d", p.Row, p.Col))
	}
	if p.Para > 0 {
		parts = append(parts, fmt.Sprintf("paragraph %d", p.Para))
	}
	if p.Line > 0 {
		parts = append(parts, fmt.Sprintf("line %d", p.Line))
	}
	return strings.Join(parts, ", ")
}

// grid prints a table as rows × columns, with the printed label, the key
// matched, where the row was printed and its flags.
func grid(d *govreport.Document, tk string, cs []govreport.Cell) {
	w := stdout
	var cols []string
	colLabel := map[string]string{}
	var rows []string
	byRow := map[string]map[string]govreport.Cell{}
	for _, c := range cs {
		if _, ok := colLabel[c.Col]; !ok {
			cols = append(cols, c.Col)
			colLabel[c.Col] = c.ColLabel
		}
		if byRow[c.Row] == nil {
			byRow[c.Row] = map[string]govreport.Cell{}
			rows = append(rows, c.Row)
		}
		byRow[c.Row][c.Col] = c
	}
	if t := normalize.Template(d.Layout); t != nil {
		cols = orderCols(t, tk, cols)
	}
	fmt.Fprintf(w, "  %-26s %-24s", "row key", "printed label")
	for _, c := range cols {
		fmt.Fprintf(w, " %s", pad(short(colLabel[c], 3), 8))
	}
	fmt.Fprintf(w, "  where / flags\n")
	for _, r := range rows {
		first := govreport.Cell{}
		flags := map[string]bool{}
		for _, c := range cols {
			if x, ok := byRow[r][c]; ok {
				if first.Row == "" {
					first = x
				}
				for _, f := range x.Flags {
					flags[f] = true
				}
			}
		}
		fmt.Fprintf(w, "  %-26s %s", r, pad(short(first.RowLabel, 12), 24))
		for _, c := range cols {
			x, ok := byRow[r][c]
			s := ""
			switch {
			case !ok:
			case x.Value == nil && x.HasFlag(govreport.FlagNotReported):
				s = "—"
			case x.Value == nil:
				s = "?"
			default:
				s = fmt.Sprint(*x.Value)
				if x.HasFlag(govreport.FlagInferred) {
					s += "*"
				}
			}
			fmt.Fprintf(w, " %8s", s)
		}
		var fl []string
		for f := range flags {
			fl = append(fl, f)
		}
		fmt.Fprintf(w, "  %s %s\n", where(first.Pos), strings.Join(sorted(fl), ","))
	}
	fmt.Fprintf(w, "  (* inferred through the identities, — not reported, ? not placed)\n")
}

func orderCols(t *govreport.Template, tk string, have []string) []string {
	in := map[string]bool{}
	for _, c := range have {
		in[c] = true
	}
	var out []string
	for _, tb := range t.Tables {
		if tb.Key != tk {
			continue
		}
		for _, c := range tb.Columns {
			if in[c.Key] {
				out = append(out, c.Key)
				delete(in, c.Key)
			}
		}
	}
	for _, c := range have {
		if in[c] {
			out = append(out, c)
		}
	}
	return out
}

func short(s string, n int) string {
	r := []rune(s)
	if len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// pad pads to a display width, counting CJK characters as two columns.
func pad(s string, width int) string {
	wd := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || r >= 0x2e80) {
			wd += 2
		} else {
			wd++
		}
	}
	if wd >= width {
		return s
	}
	return s + strings.Repeat(" ", width-wd)
}

func sorted(s []string) []string {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
	return s
}
