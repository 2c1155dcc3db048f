package normalize

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"govreport"
	"govreport/extract/text"
	"govreport/normalize/internal/golden"
)

// Numbers printed before a row's label belong to the label left pending
// on the lines above. In table 三 they take table 三's columns, even when
// table 二's last group header named as many columns as they are.
func TestLeadNumbersTakeTheirTablesColumns(t *testing.T) {
	d := parseText(t, "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n"+
		"三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n"+
		"3\t0\t3\t二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n四、政府信息公开行政复议、行政诉讼情况\n")
	t3 := tableOf(Template(d.Layout), "t3")
	n := 0
	for _, c := range d.Cells {
		if c.Table != "t3" || c.Row != "new_received" {
			continue
		}
		n++
		if colOf(t3, c.Col) == nil {
			t.Errorf("t3.new_received has column %s (raw %q), not one of table 三's", c.Col, c.Raw)
		}
	}
	if n != 7 {
		t.Errorf("t3.new_received: %d cells, want 7", n)
	}
}

// Table 四 printed as one line with a number missing is placed through
// its identities by the same engine as every row: 平潭 2023 (golden
// 2023_pingtan_1.html) prints 行政复议 1 1 0 0 2; without its second 1
// only one completion satisfies 总计 = the sum of the four results.
func TestOneLineTableMissingNumberThroughIdentities(t *testing.T) {
	g, err := golden.Read("../testdata", "2023_pingtan_1.html")
	if err != nil {
		t.Fatal(err)
	}
	cols := []string{"upheld", "corrected", "other", "pending", "total"}
	var printed []string
	for _, row := range []string{"review", "litigation_direct", "litigation_after_review"} {
		for _, c := range cols {
			printed = append(printed, fmtNum(*g.Cells["t4"][row][c]))
		}
	}
	if printed[1] != "1" {
		t.Fatalf("golden review.corrected = %s, the test expects 1", printed[1])
	}
	printed = append(printed[:1], printed[2:]...) // the second 1 not printed
	d := parseText(t, t3Row+"四、政府信息公开行政复议、行政诉讼情况\n"+strings.Join(printed, " ")+"\n五、存在的主要问题及改进情况\n")
	for row, want := range g.Cells["t4"] {
		got := cellsOf(d, "t4", row)
		for _, c := range cols {
			x := got[c]
			if x.Value == nil || *x.Value != *want[c] || !x.HasFlag(govreport.FlagInferred) {
				t.Errorf("t4.%s.%s = %v %v, want %v inferred", row, c, x.Value, x.Flags, *want[c])
			}
		}
	}
}

// Explaining a document records its events and changes nothing else: the
// document is the one Normalize makes, and every stage says something
// (of a legacy report, which has no template tables, the stages before
// the tables').
func TestExplainSameDocument(t *testing.T) {
	files, _ := filepath.Glob("../testdata/variants/*.txt")
	if len(files) == 0 {
		t.Fatal("no variants")
	}
	for _, f := range files {
		x := extractFile(t, f)
		want, _ := json.Marshal(Normalize(x))
		d, events := Explain(x, Options{})
		got, _ := json.Marshal(d)
		if string(got) != string(want) {
			t.Errorf("%s: the explained document differs from the normalized one", filepath.Base(f))
		}
		seen := map[Stage]bool{}
		for _, e := range events {
			seen[e.Stage] = true
		}
		for _, s := range Stages() {
			if d.Layout == govreport.LayoutLegacy && s >= StageStructure {
				continue
			}
			if !seen[s] {
				t.Errorf("%s: no event of stage %s", filepath.Base(f), s)
			}
		}
	}
}

// extractFile reads a text document of testdata as extract/text does.
func extractFile(t testing.TB, path string) *govreport.Extracted {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := text.Extract(data)
	if err != nil {
		t.Fatal(err)
	}
	return x
}
