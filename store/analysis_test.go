package store_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

func f(v float64) *float64 { return &v }

// agencyYear is a synthetic 2021-layout report: table 三 with 上年结转,
// 结转下年度 and a few outcomes; table 二 for 规范性文件.
func agencyYear(agency string, year int, carriedOver, carriedForward, inForceWas, issued, repealed float64, text string) *govreport.Document {
	d := &govreport.Document{
		Source: fmt.Sprintf("synthetic/%s/%d.html", agency, year), SHA256: fmt.Sprintf("%s-%d", agency, year),
		Format: "html", Title: fmt.Sprintf("%s%d年政府信息公开工作年度报告", agency, year), Agency: agency, Year: year,
		Layout: "2021", Status: govreport.StatusOK,
		Sections: []govreport.Section{{Number: 1, Key: "overview", Heading: "一、总体情况", Text: text}},
	}
	cell := func(tbl, row, col string, v float64) {
		d.Cells = append(d.Cells, govreport.Cell{Table: tbl, Row: row, Col: col, Value: f(v)})
	}
	cell("t3", "carried_over", "natural_person", carriedOver)
	cell("t3", "carried_over", "total", carriedOver)
	cell("t3", "carried_forward", "natural_person", carriedForward)
	cell("t3", "carried_forward", "total", carriedForward)
	cell("t3", "new_received", "total", 10)
	cell("t3", "granted", "total", 6)
	cell("t3", "denied_state_secret", "total", 1)
	cell("t3", "denied_third_party", "total", 2)
	cell("t2", "normative_documents", "issued", issued)
	cell("t2", "normative_documents", "repealed", repealed)
	cell("t2", "normative_documents", "in_force", inForceWas+issued-repealed)
	return d
}

func analyze(t *testing.T, docs ...*govreport.Document) store.Analysis {
	t.Helper()
	ctx := context.Background()
	st := openStore(t)
	for _, d := range docs {
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	a, err := st.Analyze(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

const goodText = "全年共收到政府信息公开申请10件，予以公开6件，不予公开3件。"

func TestContinuityConsistent(t *testing.T) {
	a := analyze(t,
		agencyYear("某市 商务局", 2021, 0, 2, 40, 5, 1, goodText),
		agencyYear("某市商务局", 2022, 2, 3, 44, 3, 0, goodText),
		agencyYear("某市商务局办公室", 2023, 3, 0, 47, 2, 2, goodText),
	)
	if len(a.Findings) != 0 {
		t.Errorf("findings on a consistent agency: %+v", a.Findings)
	}
	if len(a.Pairs) != 2 {
		t.Errorf("pairs: %+v", a.Pairs)
	}
}

func TestContinuityPlanted(t *testing.T) {
	// 2022 carries 3 forward, 2023 says it carried over 5 (planted); table
	// 二 of 2023 does not roll forward; its text says 予以公开7件.
	d23 := agencyYear("某市（高新区） 商务局", 2023, 5, 0, 47, 2, 2, "全年共收到政府信息公开申请10件，予以公开7件。")
	d23.Cells[len(d23.Cells)-1].Value = f(50)
	a := analyze(t,
		agencyYear("某市（高新区）商务局", 2021, 0, 2, 40, 5, 1, goodText),
		agencyYear("某市(高新区)商务局", 2022, 2, 3, 44, 3, 0, goodText),
		d23,
	)
	byRule := map[string][]store.Finding{}
	for _, x := range a.Findings {
		byRule[x.Rule] = append(byRule[x.Rule], x)
	}
	c := byRule[store.RuleContinuity]
	if len(c) != 2 { // natural_person and total
		t.Fatalf("continuity findings: %+v", c)
	}
	for _, x := range c {
		if x.Year != 2023 || len(x.Docs) != 2 || x.Docs[0].Year != 2022 || x.Docs[1].Year != 2023 ||
			!strings.HasSuffix(x.Docs[0].Source, "/2022.html") || *x.Left != 3 || *x.Right != 5 || x.Severity != store.SeverityFail {
			t.Errorf("continuity finding: %+v", x)
		}
	}
	r := byRule[store.RuleRolling]
	if len(r) != 1 || *r[0].Left != 47 || *r[0].Right != 50 || r[0].Severity != store.SeveritySoft {
		t.Errorf("rolling findings: %+v", r)
	}
	n := byRule[store.RuleNarrative]
	if len(n) != 1 || n[0].Scope != "予以公开" || *n[0].Left != 7 || *n[0].Right != 6 {
		t.Errorf("narrative findings: %+v", n)
	}
	if a.Failed() != 2 {
		t.Errorf("Failed() = %d", a.Failed())
	}
}

// Names no region resolved pair when one ends with the other.
func TestPairBySuffix(t *testing.T) {
	a := analyze(t,
		agencyYear("洪泽区人民政府", 2023, 0, 2, 40, 5, 1, goodText),
		agencyYear("淮安市洪泽区人民政府", 2024, 2, 0, 44, 0, 0, goodText),
		agencyYear("淮安市人民政府", 2024, 2, 0, 44, 0, 0, goodText),
	)
	if len(a.Pairs) != 1 || a.Pairs[0].How != "suffix" || a.Pairs[0].Next.Agency != "淮安市洪泽区人民政府" {
		t.Errorf("pairs: %+v", a.Pairs)
	}
}

func TestNormalizeAgency(t *testing.T) {
	for in, want := range map[string]string{
		"某市 人民政府办公室": "某市人民政府",
		"某县（区）商务局":   "某县(区)商务局",
		"某县〔区〕商务局":   "某县(区)商务局",
		"办公室":        "办公室",
	} {
		if got := store.NormalizeAgency(in); got != want {
			t.Errorf("NormalizeAgency(%s) = %s, want %s", in, got, want)
		}
	}
}
