package store_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"govreport"
	"govreport/store"
)

// The reports' list filters, sorts, pages and counts what it matched.
func TestListReports(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	hongze := govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市", CountyCode: "320813", County: "洪泽区"}
	for _, d := range []*govreport.Document{
		agencyYear("淮安市洪泽区商务局", 2022, 0, 1, 5, 1, 0, goodText),
		agencyYear("淮安市洪泽区商务局", 2023, 1, 0, 6, 0, 0, goodText),
		agencyYear("某县财政局", 2023, 0, 0, 1, 0, 0, goodText),
	} {
		if d.Agency == "淮安市洪泽区商务局" {
			d.Publisher = &govreport.Agency{Name: d.Agency, Printed: d.Agency, Region: hongze, RegionFrom: govreport.RegionFromName}
		}
		if d.Agency == "某县财政局" {
			d.Format = "pdf"
			d.Cells[0].Flags = []string{govreport.FlagUncertain}
			d.Checks = []govreport.Check{{Rule: "t3_balance", Table: "t3", Scope: "total", Status: govreport.CheckFail, Left: f(1), Right: f(2)}}
		}
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	names := func(l store.ReportList) []string {
		var out []string
		for _, r := range l.Rows {
			out = append(out, r.Agency+" "+string(rune('0'+r.Year%10)))
		}
		return out
	}
	for _, c := range []struct {
		name  string
		f     store.ReportFilter
		want  []string
		total int
	}{
		{"all, by agency then year", store.ReportFilter{}, []string{"某县财政局 3", "淮安市洪泽区商务局 2", "淮安市洪泽区商务局 3"}, 3},
		{"year", store.ReportFilter{Year: 2023}, []string{"某县财政局 3", "淮安市洪泽区商务局 3"}, 2},
		{"agency by part of its name", store.ReportFilter{Agency: "洪泽"}, []string{"淮安市洪泽区商务局 2", "淮安市洪泽区商务局 3"}, 2},
		{"region by name", store.ReportFilter{Region: "淮安"}, []string{"淮安市洪泽区商务局 2", "淮安市洪泽区商务局 3"}, 2},
		{"region by code", store.ReportFilter{Region: "3208"}, []string{"淮安市洪泽区商务局 2", "淮安市洪泽区商务局 3"}, 2},
		{"format", store.ReportFilter{Format: "pdf"}, []string{"某县财政局 3"}, 1},
		{"flagged", store.ReportFilter{Flagged: true}, []string{"某县财政局 3"}, 1},
		{"failing", store.ReportFilter{Failing: true}, []string{"某县财政局 3"}, 1},
		{"by year, newest first", store.ReportFilter{Sort: "year", Desc: true}, []string{"某县财政局 3", "淮安市洪泽区商务局 3", "淮安市洪泽区商务局 2"}, 3},
		{"second page", store.ReportFilter{Limit: 2, Offset: 2}, []string{"淮安市洪泽区商务局 3"}, 3},
		{"past the last page", store.ReportFilter{Limit: 2, Offset: 4}, nil, 3},
	} {
		t.Run(c.name, func(t *testing.T) {
			l, err := st.ListReports(ctx, c.f)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(l); !slices.Equal(got, c.want) || l.Total != c.total {
				t.Errorf("%q (total %d), want %q (total %d)", got, l.Total, c.want, c.total)
			}
		})
	}
	l, err := st.ListReports(ctx, store.ReportFilter{})
	if err != nil || l.Flagged != 1 || l.Failing != 1 || l.Rows[0].Flagged != 1 || l.Rows[0].Failing != 1 {
		t.Errorf("counts: %+v %v", l, err)
	}
	fc, err := st.ReportFacets(ctx)
	if err != nil || !slices.Equal(fc.Years, []store.Count{{Key: "2022", N: 1}, {Key: "2023", N: 2}}) || !slices.Equal(fc.Formats, []store.Count{{Key: "html", N: 2}, {Key: "pdf", N: 1}}) {
		t.Errorf("facets %+v %v", fc, err)
	}
	if _, err := st.Report(ctx, 99); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("report 99: %v, want ErrNotFound", err)
	}
	r, err := st.Report(ctx, l.Rows[1].ID)
	if err != nil || r.Agency != "淮安市洪泽区商务局" || r.Year != 2022 || len(r.Docs) != 1 || r.Docs[0].ID != r.DocID {
		t.Errorf("report: %+v %v", r, err)
	}
	ys, err := st.AgencyYears(ctx, l.Rows[1].AgencyID)
	if err != nil || len(ys) != 2 || ys[0].Year != 2022 || *ys[0].CarriedForward != 1 || *ys[1].CarriedOver != 1 || *ys[1].Received != 10 {
		t.Errorf("agency years: %+v %v", ys, err)
	}
	a, err := st.Agency(ctx, l.Rows[1].AgencyID)
	if err != nil || a.Region.County != "洪泽区" || !slices.Equal(a.Names, []string{"淮安市洪泽区商务局"}) {
		t.Errorf("agency: %+v %v", a, err)
	}
}
