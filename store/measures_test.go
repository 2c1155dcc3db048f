package store_test

import (
	"context"
	"database/sql"
	"testing"

	"govreport"
)

func TestMeasures(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	doc := func(sha, agency, title string, year int, published string, cells map[[3]string]float64) {
		d := &govreport.Document{Source: sha, SHA256: sha, Format: "html", Agency: agency, Title: title, Year: year, Layout: "2021", Status: govreport.StatusOK, Published: published}
		for k, v := range cells {
			d.Cells = append(d.Cells, govreport.Cell{Table: k[0], Row: k[1], Col: k[2], Value: f(v)})
		}
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	doc("a", "某县商务局", "某县商务局2023年政府信息公开工作年度报告", 2023, "2024-02-05", map[[3]string]float64{
		{"t3", "total_processed", "total"}: 20, {"t3", "granted", "total"}: 8, {"t3", "partially_granted", "total"}: 2,
		{"t3", "denied_state_secret", "total"}: 1, {"t3", "denied_third_party", "total"}: 3,
		{"t3", "unable_not_held", "total"}: 5, {"t3", "granted", "natural_person"}: 7,
		{"t4", "review", "corrected"}: 1, {"t4", "review", "total"}: 4,
		{"t4", "litigation_direct", "corrected"}: 0, {"t4", "litigation_direct", "total"}: 2,
		{"t4", "litigation_after_review", "corrected"}: 1, {"t4", "litigation_after_review", "total"}: 2,
	})
	doc("b", "某县人民政府", "", 2023, "2024-03-20", nil)
	doc("c", "某县", "某县2022年政府信息公开工作年度报告", 2022, "2023-04-02", nil)
	doc("d", "某镇人民政府", "", 2023, "2024-01-31", nil)
	doc("e", "某县商务局", "", 2017, "2018-03-01", map[[3]string]float64{{"t3", "total_processed", "total"}: 0})

	type row struct {
		grant, refusal, unable, review, litigation sql.NullFloat64
		summary                                    int
		deadline                                   sql.NullString
		late, onTime                               sql.NullInt64
	}
	get := func(sha string) row {
		var r row
		err := st.DB().QueryRow(`SELECT grant_rate, refusal_share, cannot_provide_share, review_correction_rate, litigation_correction_rate, summary, deadline, days_late, on_time
			FROM measures m JOIN documents d ON d.id = m.doc_id WHERE d.sha256 = ?`, sha).
			Scan(&r.grant, &r.refusal, &r.unable, &r.review, &r.litigation, &r.summary, &r.deadline, &r.late, &r.onTime)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	a := get("a")
	if a.grant.Float64 != 0.5 || a.refusal.Float64 != 0.2 || a.unable.Float64 != 0.25 || a.review.Float64 != 0.25 || a.litigation.Float64 != 0.25 {
		t.Errorf("rates: %+v", a)
	}
	if a.summary != 0 || a.deadline.String != "2024-01-31" || a.late.Int64 != 5 || a.onTime.Int64 != 0 {
		t.Errorf("department report's timeliness: %+v", a)
	}
	if b := get("b"); b.summary != 1 || b.deadline.String != "2024-03-31" || b.late.Int64 != -11 || b.onTime.Int64 != 1 || b.grant.Valid {
		t.Errorf("government's summary report: %+v", b)
	}
	if c := get("c"); c.summary != 1 || c.late.Int64 != 2 || c.onTime.Int64 != 0 {
		t.Errorf("summary by title: %+v", c)
	}
	if d := get("d"); d.summary != 0 || d.late.Int64 != 0 || d.onTime.Int64 != 1 {
		t.Errorf("township report: %+v", d)
	}
	if e := get("e"); e.deadline.String != "2018-03-31" || e.onTime.Int64 != 1 || e.grant.Valid {
		t.Errorf("2007-regulation report: %+v", e)
	}
	var n, docs int
	st.DB().QueryRow(`SELECT count(*) FROM measures`).Scan(&n)
	st.DB().QueryRow(`SELECT count(*) FROM documents`).Scan(&docs)
	if n != docs {
		t.Errorf("measures has %d rows for %d documents", n, docs)
	}
}
