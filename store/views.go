package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"govreport"
)

// The views that read like the printed tables are written from the
// templates each time the database is opened (Options.Templates): one
// view per table key (t2, t3, t4), one row per document and row key,
//
//	doc_id, agency, year, layout, row_key, row_order, row_label,
//	a column per column key of the table in any layout, flags
//
// where row_order is the row's place in its layout's printed table (from
// template_rows; NULL for rows an agency added) and flags gathers the
// row's cell flags. Columns come in printed order, the newest layout's
// first (layouts sorted by name, last first): a column only an older
// layout prints comes after.

// viewFixed are the columns every table view has besides its value columns.
var viewFixed = []string{"doc_id", "agency", "year", "layout", "row_key", "row_order", "row_label", "flags"}

// ident is what a table or column key must look like to name a view or a
// column: it is written into SQL as it is.
var ident = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// tableColumns lists the templates' table keys and each table's column
// keys, in the views' order.
func tableColumns(ts []*govreport.Template) (tables []string, cols map[string][]string) {
	byName := slices.Clone(ts)
	sort.SliceStable(byName, func(i, j int) bool { return byName[i].Layout > byName[j].Layout })
	cols = map[string][]string{}
	for _, t := range byName {
		for _, tb := range t.Tables {
			if _, ok := cols[tb.Key]; !ok {
				tables = append(tables, tb.Key)
				cols[tb.Key] = nil
			}
			for _, c := range tb.Columns {
				if !slices.Contains(cols[tb.Key], c.Key) {
					cols[tb.Key] = append(cols[tb.Key], c.Key)
				}
			}
		}
	}
	return tables, cols
}

// viewSQL is the CREATE VIEW statement of one table.
func viewSQL(table string, cols []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE VIEW %[1]s AS
SELECT d.id AS doc_id, d.agency, d.year, d.layout, c.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = '%[1]s' AND tr.row_key = c.row_key) AS row_order,
  MAX(c.row_label) AS row_label,
`, table)
	for _, c := range cols {
		fmt.Fprintf(&b, "  MAX(CASE WHEN c.col_key = '%[1]s' THEN c.value END) AS %[1]s,\n", c)
	}
	fmt.Fprintf(&b, `  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags
FROM cells c JOIN documents d ON d.id = c.doc_id
WHERE c.tbl = '%s'
GROUP BY c.doc_id, c.row_key
ORDER BY c.doc_id, row_order`, table)
	return b.String()
}

// writeTemplates writes the templates' rows to template_rows and
// (re)creates the table views, in one transaction.
func (s *Store) writeTemplates(ctx context.Context, ts []*govreport.Template) error {
	tables, cols := tableColumns(ts)
	for _, t := range tables {
		if !ident.MatchString(t) {
			return fmt.Errorf("table key %q cannot name a view (want %s)", t, ident)
		}
		for _, c := range cols[t] {
			if !ident.MatchString(c) || slices.Contains(viewFixed, c) {
				return fmt.Errorf("table %s: column key %q cannot name a column of its view (want %s, not one of %s)", t, c, ident, strings.Join(viewFixed, ", "))
			}
		}
	}
	_, err := s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		if _, err := conn.ExecContext(ctx, `DELETE FROM template_rows`); err != nil {
			return false, err
		}
		for _, t := range ts {
			for _, tb := range t.Tables {
				for i, r := range tb.Rows {
					label := ""
					if len(r.Labels) > 0 {
						label = r.Labels[0]
					}
					if _, err := conn.ExecContext(ctx, `INSERT INTO template_rows (layout, tbl, row_key, ord, label) VALUES (?,?,?,?,?)`,
						t.Layout, tb.Key, r.Key, i+1, label); err != nil {
						return false, fmt.Errorf("layout %s table %s row %s: %w", t.Layout, tb.Key, r.Key, err)
					}
				}
			}
		}
		for _, t := range tables {
			var kind string
			err := conn.QueryRowContext(ctx, `SELECT type FROM sqlite_master WHERE name = ?`, t).Scan(&kind)
			switch {
			case err == nil && kind != "view":
				return false, fmt.Errorf("table key %q is the name of the database's %s %s", t, kind, t)
			case err != nil && err != sql.ErrNoRows:
				return false, err
			}
			if _, err := conn.ExecContext(ctx, `DROP VIEW IF EXISTS `+t); err != nil {
				return false, err
			}
			if _, err := conn.ExecContext(ctx, viewSQL(t, cols[t])); err != nil {
				return false, fmt.Errorf("view %s: %w", t, err)
			}
		}
		return true, nil
	})
	return err
}
