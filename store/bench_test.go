package store_test

import (
	"context"
	"fmt"
	"testing"
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
