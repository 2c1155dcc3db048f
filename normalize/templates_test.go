package normalize

import (
	"archive/zip"
	"encoding/xml"
	"io"
	"os"
	"strings"
	"testing"

	"govreport"
)

func TestTemplatesWellFormed(t *testing.T) {
	for _, tpl := range Templates() {
		if err := Validate(tpl); err != nil {
			t.Errorf("%s: %v", tpl.Layout, err)
		}
	}
	if len(Templates()) != 2 || Template("2019") == nil || Template("2021") == nil {
		t.Fatalf("layouts: %d", len(Templates()))
	}
	bad := &govreport.Template{Layout: "x", Markers: []string{"m"}, Tables: []govreport.TableTemplate{{Key: "t3",
		Columns: []govreport.ColumnTemplate{{Key: "a", Labels: []string{"甲"}}},
		Rows:    []govreport.RowTemplate{{Key: "r", Labels: []string{"乙"}, Columns: []string{"nope"}}}}}}
	if Validate(bad) == nil {
		t.Error("a row naming an unknown column must not validate")
	}
}

// Every printed label and variant of a row maps onto that row, in its own
// table, whatever ordinal or bracket width it is printed with.
func TestLabelVariantsMapToTheirRow(t *testing.T) {
	for _, tpl := range Templates() {
		for i := range tpl.Tables {
			tb := &tpl.Tables[i]
			for ri, r := range tb.Rows {
				for _, l := range r.Labels {
					for _, printed := range []string{l, clean(l), r.Group + l} {
						if got, _, _ := matchRow(tb, printed); got != ri {
							name := "none"
							if got >= 0 {
								name = tb.Rows[got].Key
							}
							t.Errorf("%s %s: %q → %s, want %s", tpl.Layout, tb.Key, printed, name, r.Key)
						}
					}
				}
			}
		}
	}
}

// The cells each layout prints, counted from what the repository holds:
// for 2021 the real blank form (testdata/corpus/template_blank_guoban2021_1.docx),
// every empty cell of its three tables being one an agency fills in; for
// 2019 (no blank form in testdata) table 二 from reports.md's description
// (normalize/testdata/layout2019.md: items × columns per group), tables 三
// and 四 from the 2021 form with （六）其他处理 one row instead of its
// sub-rows, as that description says.
func TestTemplateCells(t *testing.T) {
	tables := blankFormTables(t, "../testdata/corpus/template_blank_guoban2021_1.docx")
	if len(tables) != 3 {
		t.Fatalf("the blank form has %d tables, want 3 (二, 三, 四)", len(tables))
	}
	t2, t3, t4 := fillable(tables[0]), fillable(tables[1]), fillable(tables[2])
	if n := TemplateCells("2021"); n != t2+t3+t4 {
		t.Errorf("2021: %d cells, the blank form has %d (%d + %d + %d)", n, t2+t3+t4, t2, t3, t4)
	}

	// 2019: table 三 keeps one of the rows of group （六）
	var six, sixRows int
	group := ""
	for _, row := range tables[1] {
		for _, c := range row {
			if r := []rune(c.text); len(r) > 3 && r[0] == '（' && r[2] == '）' {
				group = string(r[:3])
			}
		}
		if group == "（六）" {
			six += fillable([][]formCell{row})
			sixRows++
		}
	}
	if sixRows < 2 {
		t.Fatalf("group （六） of the blank form's table 三 has %d rows, want its sub-rows", sixRows)
	}
	t3of2019 := t3 - six + six/sixRows
	md, err := os.ReadFile("testdata/layout2019.md")
	if err != nil {
		t.Fatal(err)
	}
	t2of2019 := 0
	for _, line := range strings.Split(string(md), "\n") {
		f := strings.Split(line, "|")
		if len(f) != 5 || !strings.HasPrefix(strings.TrimSpace(f[1]), "第二十条") {
			continue // not a row of the table
		}
		t2of2019 += len(strings.Split(f[2], ";")) * len(strings.Split(f[3], ","))
	}
	if t2of2019 == 0 {
		t.Fatal("no table 二 rows in testdata/layout2019.md")
	}
	if n := TemplateCells("2019"); n != t2of2019+t3of2019+t4 {
		t.Errorf("2019: %d cells, want %d (%d + %d + %d)", n, t2of2019+t3of2019+t4, t2of2019, t3of2019, t4)
	}
}

// formCell is a cell of a DOCX table: its text and whether it continues a
// vertical merge (the cell above it spans into it).
type formCell struct {
	text  string
	vcont bool
}

// blankFormTables reads the tables of a DOCX (word/document.xml) as rows of
// cells.
func blankFormTables(t *testing.T, path string) [][][]formCell {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	f, err := zr.Open("word/document.xml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var tables [][][]formCell
	var cell *formCell
	inText := false
	dec := xml.NewDecoder(f)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			switch e.Name.Local {
			case "tbl":
				tables = append(tables, nil)
			case "tr":
				tables[len(tables)-1] = append(tables[len(tables)-1], nil)
			case "tc":
				cell = &formCell{}
			case "vMerge": // val="restart" opens a merge; no val continues it
				cont := true
				for _, a := range e.Attr {
					if a.Name.Local == "val" && a.Value != "continue" {
						cont = false
					}
				}
				cell.vcont = cont
			case "t":
				inText = true
			}
		case xml.CharData:
			if inText && cell != nil {
				cell.text += string(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "t":
				inText = false
			case "tc":
				tb := tables[len(tables)-1]
				tb[len(tb)-1] = append(tb[len(tb)-1], *cell)
				cell = nil
			}
		}
	}
	return tables
}

// fillable counts the cells of rows an agency fills in: empty (spaces
// aside) and not the continuation of a merged cell above.
func fillable(rows [][]formCell) int {
	n := 0
	for _, row := range rows {
		for _, c := range row {
			if !c.vcont && strings.TrimSpace(c.text) == "" {
				n++
			}
		}
	}
	return n
}
