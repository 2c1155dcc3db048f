package store

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/transform"

	"govreport"
)

// ExportTables are the tables Export can write from a database opened
// with the templates ts: the view of each of their tables (t2, t3, t4),
// then legacy, measures, documents, sections, checks, cells and
// corrections.
func ExportTables(ts []*govreport.Template) []string {
	tables, _ := tableColumns(ts)
	return append(tables, "legacy", "measures", "documents", "sections", "checks", "cells", "corrections")
}

// ExportOptions say what Export writes and how.
type ExportOptions struct {
	Table    string // one of ExportTables
	Format   string // csv (default) or jsonl
	Encoding string // csv only: utf-8 (default, with a BOM so Excel reads it) or gbk
	YearFrom int    // 0: no lower bound
	YearTo   int    // 0: no upper bound
}

// docCols begin every line of an export: the document's id, agency, year,
// layout and source.
const docCols = `d.id AS doc_id, d.agency, d.year, d.layout, d.source`

// regionCols are an agency's region, from agencies a.
const regionCols = `a.level, a.kind, a.province, a.city, a.county, coalesce(a.township_code, a.county_code, a.city_code, a.province_code) AS region_code`

// exportQuery returns the SELECT for a table, with a %s where the
// conditions go, and the expression of the year they filter on. The views
// (one line per report) begin with the report's representative document,
// agency and year, then the source; the tables (one line per document)
// with the document's.
func (s *Store) exportQuery(ctx context.Context, table string) (q, year string, err error) {
	views, _ := tableColumns(s.opt.Templates)
	switch {
	case table == "measures" || table == "legacy" || slices.Contains(views, table):
		rows, err := s.db.QueryContext(ctx, `SELECT name FROM pragma_table_info(?)`, table)
		if err != nil {
			return "", "", err
		}
		var cols []string
		for rows.Next() {
			var c string
			if err := rows.Scan(&c); err != nil {
				rows.Close()
				return "", "", err
			}
			switch c {
			case "doc_id", "agency", "year", "layout", "source":
			default:
				cols = append(cols, "v."+c)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return "", "", err
		}
		order := "v.agency, v.year, v.report_id"
		if table != "measures" {
			order += ", v.row_order IS NULL, v.row_order, v.row_key" // as the table prints, added rows last
		}
		return `SELECT v.doc_id, v.agency, v.year, v.layout, d.source, ` + strings.Join(cols, ", ") + ` FROM ` + table + ` v JOIN documents d ON d.id = v.doc_id WHERE %s ORDER BY ` + order, "v.year", nil
	case table == "documents":
		return `SELECT ` + docCols + `, d.report_id, d.agency_id, a.name AS agency_name, ` + regionCols + `,
				d.format, d.title, d.published, d.published_from, d.status, d.error, d.pages, d.sha256, d.parser_version, d.imported_at, d.meta, d.warnings, d.attachments
			FROM documents d LEFT JOIN agencies a ON a.id = d.agency_id WHERE %s ORDER BY d.agency, d.year, d.id`, "d.year", nil
	case table == "sections":
		return `SELECT ` + docCols + `, d.report_id, s.number, s.key, s.heading, s.missing, s.text
			FROM sections s JOIN documents d ON d.id = s.doc_id WHERE %s ORDER BY d.agency, d.year, d.id, s.rowid`, "d.year", nil
	case table == "checks":
		return `SELECT ` + docCols + `, d.report_id, c.rule, c.tbl, c.scope, c.status, c.left_value, c.right_value, c.detail
			FROM checks c JOIN documents d ON d.id = c.doc_id WHERE %s ORDER BY d.agency, d.year, d.id, c.rowid`, "d.year", nil
	case table == "cells":
		// every cell of every document as stored: value and raw text,
		// flags, and where it was printed; a corrected cell's value is the
		// person's, the machine's beside it
		return `SELECT ` + docCols + `, d.report_id, c.tbl, c.row_key, c.col_key, c.value, c.unit, c.raw, c.row_label, c.col_label, c.flags, c.page, c.line, c.x, c.y, c.confidence, c.machine_value
			FROM cell_values c JOIN documents d ON d.id = c.doc_id
			LEFT JOIN template_rows tr ON tr.layout = d.layout AND tr.tbl = c.tbl AND tr.row_key = c.row_key
			WHERE %s ORDER BY d.agency, d.year, d.id, c.tbl, tr.ord IS NULL, tr.ord, c.line, c.row_key, c.col_key`, "d.year", nil
	case table == "corrections":
		// every correction, the superseded ones too (current 0): the
		// audit trail, and what ImportCorrections reads back
		return `SELECT d.id AS doc_id, d.agency, d.year, d.layout, d.source, k.sha256, k.tbl, k.row_key, k.col_key, k.action, k.value, k.machine, k.note, k.author, k.made_at, k.current
			FROM corrections k LEFT JOIN documents d ON d.sha256 = k.sha256 WHERE %s ORDER BY k.made_at, k.id`, "d.year", nil
	}
	return "", "", fmt.Errorf("unknown table %q (want one of %s)", table, strings.Join(ExportTables(s.opt.Templates), ", "))
}

// Export writes a table as CSV (with a header line) or JSON Lines, one
// line per report (views) or document (tables) and row, and returns the
// number of rows written.
func (s *Store) Export(ctx context.Context, w io.Writer, opt ExportOptions) (int, error) {
	q, year, err := s.exportQuery(ctx, opt.Table)
	if err != nil {
		return 0, err
	}
	where, args := []string{"1"}, []any{}
	if opt.YearFrom > 0 {
		where, args = append(where, year+" >= ?"), append(args, opt.YearFrom)
	}
	if opt.YearTo > 0 {
		where, args = append(where, year+" <= ?"), append(args, opt.YearTo)
	}
	rows, err := s.db.QueryContext(ctx, fmt.Sprintf(q, strings.Join(where, " AND ")), args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	var enc rowEncoder
	switch opt.Format {
	case "", "csv":
		enc, err = newCSVEncoder(w, opt.Encoding, cols)
	case "jsonl":
		if opt.Encoding != "" && !strings.EqualFold(opt.Encoding, "utf-8") && !strings.EqualFold(opt.Encoding, "utf8") {
			return 0, fmt.Errorf("jsonl is always UTF-8")
		}
		enc = &jsonlEncoder{w: w, cols: cols}
	default:
		return 0, fmt.Errorf("unknown format %q (want csv or jsonl)", opt.Format)
	}
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		if err := enc.row(vals); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, enc.close()
}

type rowEncoder interface {
	row(vals []any) error
	close() error
}

type csvEncoder struct {
	cw  *csv.Writer
	tw  io.WriteCloser // the GBK transformer, if any
	rec []string
}

func newCSVEncoder(w io.Writer, encName string, cols []string) (*csvEncoder, error) {
	e := &csvEncoder{rec: make([]string, len(cols))}
	switch strings.ToLower(encName) {
	case "", "utf-8", "utf8":
		if _, err := io.WriteString(w, "\ufeff"); err != nil {
			return nil, err
		}
	case "gbk", "gb2312", "cp936":
		// Characters GBK lacks become its replacement, not an error.
		e.tw = transform.NewWriter(w, encoding.ReplaceUnsupported(simplifiedchinese.GBK.NewEncoder()))
		w = e.tw
	default:
		return nil, fmt.Errorf("unknown encoding %q (want utf-8 or gbk)", encName)
	}
	e.cw = csv.NewWriter(w)
	e.cw.UseCRLF = true // what Excel writes and expects
	return e, e.cw.Write(cols)
}

func (e *csvEncoder) row(vals []any) error {
	for i, v := range vals {
		e.rec[i] = text(v)
	}
	return e.cw.Write(e.rec)
}

func (e *csvEncoder) close() error {
	e.cw.Flush()
	if err := e.cw.Error(); err != nil {
		return err
	}
	if e.tw != nil {
		return e.tw.Close()
	}
	return nil
}

type jsonlEncoder struct {
	w    io.Writer
	cols []string
	buf  []byte
}

func (e *jsonlEncoder) row(vals []any) error {
	b := append(e.buf[:0], '{')
	for i, v := range vals {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(e.cols[i])
		b = append(b, k...)
		b = append(b, ':')
		if s, ok := v.([]byte); ok {
			v = string(s)
		}
		j, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(b, j...)
	}
	b = append(b, '}', '\n')
	e.buf = b
	_, err := e.w.Write(b)
	return err
}

func (e *jsonlEncoder) close() error { return nil }

// text renders a column value for CSV: NULL as an empty cell, numbers
// without a trailing .0.
func text(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case []byte:
		return string(x)
	case string:
		return x
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "1"
		}
		return "0"
	}
	return fmt.Sprint(v)
}
