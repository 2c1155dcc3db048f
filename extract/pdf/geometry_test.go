package pdf

import (
	"fmt"
	"strings"
	"testing"

	"govreport"
)

const helv = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

// show draws text at (x, y) in PDF coordinates.
func show(x, y float64, text string) string {
	return fmt.Sprintf("1 0 0 1 %g %g Tm (%s) Tj ", x, y, text)
}

// drawLine draws a line from (x0, y0) to (x1, y1).
func drawLine(x0, y0, x1, y1 float64) string {
	return fmt.Sprintf("%g %g m %g %g l S ", x0, y0, x1, y1)
}

// cells prints a line's cells, Spanned ones in brackets.
func cells(l govreport.Line) string {
	var s []string
	for _, c := range l.Cells {
		if c.Spanned {
			s = append(s, "["+c.Text+"]")
		} else {
			s = append(s, c.Text)
		}
	}
	return strings.Join(s, "|")
}

// A ruled table is read from its rules: a column is where its rules
// stand, a blank cell is an empty cell of its row, a cell spanning
// columns is Spanned in all but its first, a label wrapped in its cell is
// one label, and its numbers are printed apart.
func TestRuledTable(t *testing.T) {
	var c strings.Builder
	c.WriteString("0 0 0 RG 0.5 w ")
	for _, y := range []float64{700, 680, 660, 620} {
		c.WriteString(drawLine(50, y, 300, y))
	}
	for _, x := range []float64{50, 150, 300} {
		c.WriteString(drawLine(x, 620, x, 700))
	}
	for _, x := range []float64{200, 250} { // the header's second cell spans three columns
		c.WriteString(drawLine(x, 620, x, 680))
	}
	c.WriteString("BT /F1 10 Tf ")
	c.WriteString(show(55, 686, "label") + show(155, 686, "values"))
	c.WriteString(show(55, 666, "alpha") + show(155, 666, "1") + show(255, 666, "3"))
	c.WriteString(show(55, 646, "beta") + show(55, 632, "gamma") + show(155, 639, "4") + show(205, 639, "5"))
	c.WriteString("ET")
	x, err := Extract(onePage(c.String(), helv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range x.Lines {
		if l.Table != 1 {
			t.Errorf("line %q: table %d", cells(l), l.Table)
		}
		got = append(got, cells(l))
	}
	want := []string{"label|values|[values]|[values]", "alpha|1||3", "beta gamma|4|5|"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if len(x.Lines) == 3 && (!x.Lines[1].Cells[1].Apart || x.Lines[1].Cells[0].Apart) {
		t.Errorf("numbers are printed apart, labels not: %+v", x.Lines[1].Cells)
	}
}

// A table without rules takes its columns from its header's words as well
// as its numbers: a column blank in a row is an empty cell. Numbers whose
// glyphs stand apart, even closer than a label's words, stay apart.
func TestUnruledColumnsFromHeader(t *testing.T) {
	var c strings.Builder
	c.WriteString("BT /F1 12 Tf ")
	c.WriteString(show(20, 700, "name") + show(100, 700, "a") + show(123.5, 700, "b") + show(140.5, 700, "c") + show(160, 700, "d"))
	c.WriteString(show(20, 680, "alpha") + show(100, 680, "252") + show(123.5, 680, "12") + show(140.5, 680, "1"))
	c.WriteString(show(20, 660, "beta") + show(100, 660, "5") + show(123.5, 660, "6") + show(140.5, 660, "7") + show(160, 660, "8"))
	c.WriteString("ET")
	x, err := Extract(onePage(c.String(), helv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	for _, l := range x.Lines {
		if l.Table > 0 && len(l.Cells) > 0 && (l.Cells[0].Text == "alpha" || l.Cells[0].Text == "beta") {
			rows = append(rows, cells(l))
			for _, c := range l.Cells[1:] {
				if !c.Apart {
					t.Errorf("value %q not marked apart", c.Text)
				}
			}
		}
	}
	if strings.Join(rows, "\n") != "alpha|252|12|1|\nbeta|5|6|7|8" {
		t.Errorf("rows\n%s", strings.Join(rows, "\n"))
	}
}
