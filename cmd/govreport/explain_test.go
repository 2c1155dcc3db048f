package main

import (
	"encoding/json"
	"strings"
	"testing"

	"govreport"
)

const huaianPDF = "../../testdata/corpus/2024_huaian_szf_1.pdf"

// parsed is parse --json of a file.
func parsed(t *testing.T, path string) govreport.Document {
	t.Helper()
	out, errs, code := runCLI(t, "parse", "--json", path)
	if code != 0 {
		t.Fatalf("parse exit %d: %s", code, errs)
	}
	var d govreport.Document
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	return d
}

// printedRow is a row as parse stored it: its label and the printed text
// of each of its cells.
func printedRow(t *testing.T, d govreport.Document, table, row string) (label string, raws []string) {
	t.Helper()
	for _, c := range d.Cells {
		if c.Table == table && c.Row == row {
			label, raws = c.RowLabel, append(raws, c.Raw)
		}
	}
	if len(raws) == 0 {
		t.Fatalf("no cells %s.%s", table, row)
	}
	return label, raws
}

// Each stage's output alone: the structure stage shows a labelled row with
// the numbers printed for it, before any template matching; assemble shows
// the row it was matched to.
func TestExplainStages(t *testing.T) {
	label, raws := printedRow(t, parsed(t, huaianPDF), "t3", "new_received")
	nums := strings.Join(raws, " ")
	for stage, want := range map[string]string{
		"structure": `"` + label + `" ` + nums,
		"assemble":  "t3.new_received ← ",
		"place":     "t3.new_received \"" + nums + "\": direct",
		"layout":    "layout 2021",
	} {
		out, errs, code := runCLI(t, "explain", "--stage", stage, huaianPDF)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", stage, code, errs)
		}
		if !strings.Contains(out, want) {
			t.Errorf("--stage %s lacks %q:\n%.600s", stage, want, out)
		}
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if strings.Contains(l, "How it was read") || strings.HasPrefix(l, "Table ") {
				t.Errorf("--stage %s prints more than the stage: %q", stage, l)
			}
		}
	}
}

// --stage check lists every check parse --json reports, one a line.
func TestExplainStageCheckListsEveryCheck(t *testing.T) {
	d := parsed(t, huaianPDF)
	out, errs, code := runCLI(t, "explain", "--stage", "check", huaianPDF)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(d.Checks) || len(d.Checks) == 0 {
		t.Fatalf("%d lines for %d checks", len(lines), len(d.Checks))
	}
	for i, c := range d.Checks {
		if !strings.Contains(lines[i], c.Rule+" "+c.Scope) {
			t.Errorf("line %d %q, want check %s %s", i+1, lines[i], c.Rule, c.Scope)
		}
	}
}

// --stage lines prints the extractor's lines, page and cells: the PDF's
// table 三 row 一 as one line of its label and seven numbers.
func TestExplainStageLines(t *testing.T) {
	out, errs, code := runCLI(t, "explain", "--stage", "lines", huaianPDF)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	// The row's line: its label, then its numbers (a cell spanning the
	// label's columns printed in brackets between them).
	label, raws := printedRow(t, parsed(t, huaianPDF), "t3", "new_received")
	want := "| " + strings.Join(raws, " | ") + " |"
	found := false
	for _, l := range strings.Split(out, "\n") {
		found = found || strings.Contains(l, "| "+label+" |") && strings.HasSuffix(l, want)
	}
	if !found || !strings.HasPrefix(out, "format pdf, 6 pages") {
		t.Errorf("--stage lines lacks a line with %q ending %q:\n%.400s", label, want, out)
	}
}

func TestExplainUnknownStage(t *testing.T) {
	_, errs, code := runCLI(t, "explain", "--stage", "tables", huaianPDF)
	if code == 0 || !strings.Contains(errs, "structure") {
		t.Errorf("exit %d, stderr %q: want an error listing the stages", code, errs)
	}
}
