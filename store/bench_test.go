package store_test

import (
	"context"
	"fmt"
	"testing"

	"govreport"
	"govreport/store"
)

// BenchmarkInsertCellRow is the floor under BenchmarkSaveBatch: one
// prepared INSERT of a typical cell row into the real cells table, 7,680
// rows to a transaction, with nothing else done. Its ns/row times the rows
// of a document (a 2021 report stores about 180 cells, 40 checks and 6
// sections) bounds what the single writer can reach.
func BenchmarkInsertCellRow(b *testing.B) {
	st := openStore(b)
	db := st.DB()
	ctx := context.Background()
	rowKeys := make([]string, 32)
	for i := range rowKeys {
		rowKeys[i] = fmt.Sprintf("row_%02d", i)
	}
	cols := []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "org_subtotal", "total"}
	doc, rows := 0, 0
	for b.Loop() {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		ins, err := tx.PrepareContext(ctx, `INSERT INTO cells (doc_id, tbl, row_key, col_key, value, unit, raw, row_label, col_label, flags, page, line, x, y) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`)
		if err != nil {
			b.Fatal(err)
		}
		for range 30 {
			doc++
			if _, err := tx.ExecContext(ctx, `INSERT INTO documents (id, sha256, source, format, status, parser_version, imported_at) VALUES (?, ?, 'x', 'txt', 'ok', 'bench', '')`, doc, fmt.Sprint(doc)); err != nil {
				b.Fatal(err)
			}
			for _, r := range rowKeys {
				for _, c := range cols {
					if _, err := ins.ExecContext(ctx, doc, "t3", r, c, int64(rows%97), nil, "12", "（三）不予公开 1.属于国家秘密", "自然人", "", nil, int64(40), nil, nil); err != nil {
						b.Fatal(err)
					}
					rows++
				}
			}
		}
		ins.Close()
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(rows), "ns/row")
}

// reviewStore is a database of n reports of 2021-layout shape: table 三's
// 26 rows × 7 columns and table 四's 15 cells each, one report in ten with
// a row flagged uncertain and a failed check, as govreport serve lists
// them.
func reviewStore(b *testing.B, n int) *store.Store {
	st := openStore(b)
	ctx := context.Background()
	t3Rows := []string{"new_received", "carried_over", "granted", "partially_granted", "denied_state_secret", "denied_law_forbidden", "denied_three_safeties",
		"denied_third_party", "denied_internal_affairs", "denied_process_info", "denied_enforcement_file", "denied_admin_query", "unable_not_held",
		"unable_needs_creation", "unable_unclear", "rejected_petition", "rejected_repeat", "rejected_publication", "rejected_massive", "rejected_confirm",
		"other_no_correction", "other_no_fee", "other_other", "total_processed", "carried_forward"}
	cols := []string{"natural_person", "commercial", "research", "social_welfare", "legal_service", "other_org", "total"}
	docs := make([]*govreport.Document, 0, 64)
	flush := func() {
		if errs, err := st.SaveBatch(ctx, docs, false); err != nil {
			b.Fatal(err)
		} else {
			for _, e := range errs {
				if e != nil {
					b.Fatal(e)
				}
			}
		}
		docs = docs[:0]
	}
	for i := range n {
		d := &govreport.Document{Source: fmt.Sprintf("r/%d.html", i), SHA256: fmt.Sprintf("%064x", i), Format: "html", Agency: fmt.Sprintf("某县第%d局", i/5),
			Year: 2019 + i%5, Layout: "2021", Status: govreport.StatusOK}
		for r, row := range t3Rows {
			for c, col := range cols {
				cell := govreport.Cell{Table: "t3", Row: row, Col: col, Value: f(float64((i + r + c) % 7))}
				if i%10 == 0 && r == 3 {
					cell.Value, cell.Flags = nil, []string{govreport.FlagUncertain}
				}
				d.Cells = append(d.Cells, cell)
			}
		}
		for _, row := range []string{"review", "litigation_direct", "litigation_after_review"} {
			for _, col := range []string{"upheld", "corrected", "other", "pending", "total"} {
				d.Cells = append(d.Cells, govreport.Cell{Table: "t4", Row: row, Col: col, Value: f(1)})
			}
		}
		if i%10 == 0 {
			d.Checks = []govreport.Check{{Rule: "t4_row_total", Table: "t4", Scope: "review", Status: govreport.CheckFail, Left: f(1), Right: f(4)}}
		}
		if docs = append(docs, d); len(docs) == cap(docs) {
			flush()
		}
	}
	flush()
	return st
}

// BenchmarkListReports is the reports page's query over 1,000 reports:
// the first page sorted by agency, and sorted by flagged cells (which
// counts them for every report).
func BenchmarkListReports(b *testing.B) {
	st := reviewStore(b, 1000)
	ctx := context.Background()
	for _, sort := range []string{"agency", "flagged"} {
		b.Run(sort, func(b *testing.B) {
			for b.Loop() {
				l, err := st.ListReports(ctx, store.ReportFilter{Sort: sort, Desc: true})
				if err != nil || l.Total != 1000 || l.Flagged != 100 {
					b.Fatalf("%d reports, %d flagged, %v", l.Total, l.Flagged, err)
				}
			}
		})
	}
}

// BenchmarkQueue is the review queue's first page over the same 1,000
// reports (200 items).
func BenchmarkQueue(b *testing.B) {
	st := reviewStore(b, 1000)
	ctx := context.Background()
	for b.Loop() {
		if _, n, err := st.Queue(ctx, 0, 50); err != nil || n != 200 {
			b.Fatalf("%d items, %v", n, err)
		}
	}
}

// BenchmarkViews reads the views over the same 1,000 reports whole (what
// export does), and one document's cells (a report's page), through
// cell_values with its rows of filled-in cells.
func BenchmarkViews(b *testing.B) {
	st := reviewStore(b, 1000)
	ctx := context.Background()
	for _, q := range []struct{ name, sql string }{
		{"t3", `SELECT count(*) FROM t3`},
		{"measures", `SELECT count(*) FROM measures`},
		{"cells", `SELECT count(*) FROM cell_values c JOIN documents d ON d.id = c.doc_id`},
		{"document", `SELECT count(*) FROM cell_values WHERE doc_id = 500`},
	} {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				var n int
				if err := st.DB().QueryRowContext(ctx, q.sql).Scan(&n); err != nil || n == 0 {
					b.Fatalf("%d rows, %v", n, err)
				}
			}
		})
	}
}
