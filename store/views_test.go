package store_test

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"govreport"
	"govreport/store"
)

// columns lists a table's or view's columns.
func columns(t *testing.T, db *sql.DB, name string) []string {
	t.Helper()
	rows, err := db.Query(`SELECT name FROM pragma_table_info(?)`, name)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var c string
		rows.Scan(&c)
		out = append(out, c)
	}
	return out
}

// The views of the real templates have the columns the README documents.
func TestViewsOfTheLayouts(t *testing.T) {
	st := openStore(t)
	for view, want := range map[string]string{
		"t2": "report_id doc_id agency_id agency year layout status level kind province city county region_code row_key row_order row_label issued repealed in_force decisions fee_amount new_made new_published total_published previous_items change procurement_items procurement_amount flags machine_values",
		"t3": "report_id doc_id agency_id agency year layout status level kind province city county region_code row_key row_order row_label natural_person commercial research social_welfare legal_service other_org org_subtotal total flags machine_values",
		"t4": "report_id doc_id agency_id agency year layout status level kind province city county region_code row_key row_order row_label upheld corrected other pending total flags machine_values",
	} {
		if got := strings.Join(columns(t, st.DB(), view), " "); got != want {
			t.Errorf("view %s:\n got %s\nwant %s", view, got, want)
		}
	}
}

// A layout with a table and a column no other layout has gets its view and
// its column, rows in its printed order; the views of the other layouts
// keep their columns.
func TestViewsFollowTheTemplates(t *testing.T) {
	extra := &govreport.Template{Layout: "2099", Name: "test-only", Tables: []govreport.TableTemplate{
		{Key: "t3", Columns: []govreport.ColumnTemplate{{Key: "natural_person"}, {Key: "ai_agent"}, {Key: "total"}},
			Rows: []govreport.RowTemplate{{Key: "new_received", Labels: []string{"一、新收"}}}},
		{Key: "t5", Columns: []govreport.ColumnTemplate{{Key: "alpha"}, {Key: "beta"}},
			Rows: []govreport.RowTemplate{{Key: "second_printed", Labels: []string{"甲"}}, {Key: "first_key", Labels: []string{"乙"}}}},
	}}
	path := filepath.Join(t.TempDir(), "x.db")
	st, err := store.Open(path, store.Options{Templates: append(store.LayoutTemplates(t), extra), LegacyColumns: store.LegacyColumnWords(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	d := &govreport.Document{Source: "x", SHA256: "x", Format: "txt", Agency: "某县商务局", Year: 2099, Layout: "2099", Status: govreport.StatusOK, Cells: []govreport.Cell{
		{Table: "t3", Row: "new_received", Col: "ai_agent", Value: f(7)},
		{Table: "t3", Row: "new_received", Col: "total", Value: f(9)},
		{Table: "t5", Row: "first_key", Col: "beta", Value: f(2), Flags: []string{govreport.FlagInferred}},
		{Table: "t5", Row: "second_printed", Col: "alpha", Value: f(1)},
		{Table: "t5", Row: "x_added", Col: "alpha", Value: f(3), Flags: []string{govreport.FlagOutsideTemplate}},
	}}
	if _, err := st.Save(ctx, d, false); err != nil {
		t.Fatal(err)
	}
	t3 := columns(t, st.DB(), "t3")
	if got := strings.Join(t3[16:], " "); got != "natural_person ai_agent total commercial research social_welfare legal_service other_org org_subtotal flags machine_values" {
		t.Errorf("t3 columns %v: want the newest layout's in its order, then the others'", t3)
	}
	var agent, total int
	if err := st.DB().QueryRow(`SELECT ai_agent, total FROM t3 WHERE layout = '2099'`).Scan(&agent, &total); err != nil || agent != 7 || total != 9 {
		t.Errorf("t3 of the new layout: %d %d %v", agent, total, err)
	}
	if got := strings.Join(columns(t, st.DB(), "t5"), " "); got != "report_id doc_id agency_id agency year layout status level kind province city county region_code row_key row_order row_label alpha beta flags machine_values" {
		t.Errorf("t5 columns: %s", got)
	}
	rows, err := st.DB().Query(`SELECT row_key, coalesce(row_order, 0), coalesce(alpha, -1), coalesce(beta, -1), coalesce(flags, '') FROM t5 ORDER BY row_order IS NULL, row_order`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var got []string
	for rows.Next() {
		var k, fl string
		var o, a, b int
		rows.Scan(&k, &o, &a, &b, &fl)
		got = append(got, strings.Join([]string{k, strconv.Itoa(o), strconv.Itoa(a), strconv.Itoa(b), fl}, " "))
	}
	want := []string{"second_printed 1 1 -1 ", "first_key 2 -1 2 inferred", "x_added 0 3 -1 outside_template"}
	if !slices.Equal(got, want) {
		t.Errorf("t5 rows:\n got %q\nwant %q", got, want)
	}

	// Export, stats and the checks across documents follow the templates.
	tables := store.ExportTables(append(store.LayoutTemplates(t), extra))
	if !slices.Contains(tables, "t5") {
		t.Errorf("ExportTables: %v, no t5", tables)
	}
	var buf bytes.Buffer
	if n, err := st.Export(ctx, &buf, store.ExportOptions{Table: "t5", Format: "jsonl"}); err != nil || n != 3 {
		t.Errorf("export t5: %d rows, %v", n, err)
	} else if first, _, _ := strings.Cut(buf.String(), "\n"); !strings.Contains(first, `"row_key":"second_printed","row_order":1,`) || !strings.Contains(first, `"alpha":1,"beta":null`) {
		t.Errorf("export t5, first line: %s", first)
	}
	stats, err := st.Stats(ctx)
	if err != nil || stats.CellsFound != 5 {
		t.Errorf("stats: %d cells found, want 5 (%v)", stats.CellsFound, err)
	}
	docs, found, err := st.FoundByLayout(ctx)
	if err != nil || docs["2099"] != 1 || found["2099"] != 4 {
		t.Errorf("found by layout: %v %v %v, want 1 document of 2099 with 4 template cells (x_added is not)", docs, found, err)
	}
	if _, err := st.Analyze(ctx); err != nil {
		t.Errorf("analyze: %v", err)
	}

	// Opened again without the extra layout: its view of t3 loses the
	// column; rows are those of the layouts given.
	st.Close()
	st2, err := store.Open(path, store.Options{Templates: store.LayoutTemplates(t), LegacyColumns: store.LegacyColumnWords(t)})
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	if slices.Contains(columns(t, st2.DB(), "t3"), "ai_agent") {
		t.Error("t3 keeps the column of a layout no longer given")
	}
	var n int
	st2.DB().QueryRow(`SELECT count(*) FROM template_rows WHERE layout = '2099'`).Scan(&n)
	if n != 0 {
		t.Errorf("template_rows keeps %d rows of a layout no longer given", n)
	}
}

// Keys that cannot name a view or a column, or that would shadow a table
// of the database, are refused with the key in the error.
func TestViewsRefuseBadKeys(t *testing.T) {
	for _, c := range []struct {
		table, col, want string
	}{
		{"t3", "flags", `column key "flags"`},
		{"t3", "total; DROP TABLE cells", `column key "total; DROP TABLE cells"`},
		{"documents", "x", `table key "documents" is the name of the database's table`},
		{"T9", "x", `table key "T9"`},
	} {
		tm := &govreport.Template{Layout: "bad", Tables: []govreport.TableTemplate{{Key: c.table, Columns: []govreport.ColumnTemplate{{Key: c.col}}}}}
		_, err := store.Open(filepath.Join(t.TempDir(), "b.db"), store.Options{Templates: []*govreport.Template{tm}, LegacyColumns: store.LegacyColumnWords(t)})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s.%s: error %v, want one saying %s", c.table, c.col, err, c.want)
		}
	}
}

// A report that names no agency or no year (an excerpt that matched
// nothing, a blank form) is stored as a report but left out of the views.
func TestUnattributedReports(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	for _, d := range []*govreport.Document{
		{Source: "a", SHA256: "a", Format: "txt", Agency: "某县商务局", Year: 2023, Layout: "2021", Status: govreport.StatusOK},
		{Source: "b", SHA256: "b", Format: "txt", Year: 2023, Layout: "2021", Status: govreport.StatusOK},
		{Source: "c", SHA256: "c", Format: "txt", Agency: "某县财政局", Layout: "2021", Status: govreport.StatusOK},
	} {
		d.Cells = []govreport.Cell{{Table: "t3", Row: "new_received", Col: "total", Value: f(3)}}
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	var reports, rows, measures int
	st.DB().QueryRow(`SELECT count(*) FROM reports`).Scan(&reports)
	st.DB().QueryRow(`SELECT count(*) FROM t3`).Scan(&rows)
	st.DB().QueryRow(`SELECT count(*) FROM measures`).Scan(&measures)
	if reports != 3 || rows != 1 || measures != 1 {
		t.Errorf("%d reports, %d rows in t3, %d in measures; want 3, 1, 1", reports, rows, measures)
	}
}

// The region a site's reports share: the county when they all lie in one,
// the city when they lie in several of its counties; nothing for a site
// the database holds no placed report of.
func TestHostRegion(t *testing.T) {
	st := openStore(t)
	ctx := context.Background()
	hongze := govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市", CountyCode: "320813", County: "洪泽区"}
	huaiyin := govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市", CountyCode: "320804", County: "淮阴区"}
	for i, c := range []struct {
		source, agency string
		r              govreport.Region
	}{
		{"https://www.hongze.gov.cn/a/1.html", "淮安市洪泽区人民政府", hongze},
		{"http://www.hongze.gov.cn/b/2.pdf", "淮安市洪泽区财政局", hongze},
		{"https://www.huaian.gov.cn/c/3.html", "淮安市洪泽区人民政府办公室", hongze},
		{"https://www.huaian.gov.cn/c/4.html", "淮安市淮阴区人民政府", huaiyin},
	} {
		d := &govreport.Document{Source: c.source, SHA256: strconv.Itoa(i), Format: "html", Agency: c.agency, Year: 2024, Status: govreport.StatusOK,
			Publisher: &govreport.Agency{Name: c.agency, Printed: c.agency, Region: c.r, RegionFrom: govreport.RegionFromName}}
		if _, err := st.Save(ctx, d, false); err != nil {
			t.Fatal(err)
		}
	}
	for host, want := range map[string]govreport.Region{
		"www.hongze.gov.cn": hongze,
		"www.huaian.gov.cn": {ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市"},
		"www.hongze.gov":    {},
	} {
		if got, err := st.HostRegion(ctx, host); err != nil || got != want {
			t.Errorf("HostRegion(%s) = %+v, %v; want %+v", host, got, err, want)
		}
	}
}
