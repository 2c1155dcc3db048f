package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"

	"govreport"
)

// The views that read like the printed tables are written from the
// templates when the database is opened with templates (or indicators)
// other than those it was written from (Options.Templates): one
// view per table key (t2, t3, t4), one row per report and row key, the
// values of the report's representative document,
//
//	report_id, doc_id, agency_id, agency, year, layout, status,
//	level, kind, province, city, county, region_code,
//	row_key, row_order, row_label,
//	a column per column key of the table in any layout, flags, machine_values
//
// where agency is the agency's normalised name, region_code the most
// specific code of its region, row_order the row's place in its layout's
// printed table (from template_rows; NULL for rows an agency added),
// flags gathers the row's cell flags and machine_values, for a row with
// corrected cells, the machine's values of those cells (col=value;…;
// NULL: none corrected). The values are the cells' with the corrections
// applied (cell_values). Columns come in printed order, the
// newest layout's first (layouts sorted by name, last first): a column
// only an older layout prints comes after. The views legacy and measures
// are written with them. They show the attributed reports (see
// attributed).

// reportCols are the columns of a report every view begins with, from
// reportFrom.
const reportCols = `r.id AS report_id, d.id AS doc_id, r.agency_id, coalesce(a.name, d.agency) AS agency, r.year, d.layout, d.status,
  a.level, a.kind, a.province, a.city, a.county, coalesce(a.township_code, a.county_code, a.city_code, a.province_code) AS region_code`

// attributed are the reports the views show: those that name their
// agency and year (an excerpt that matched no report, or a blank form,
// names neither), not documents found not to be reports.
const attributed = `r.agency_id IS NOT NULL AND r.year IS NOT NULL AND d.status <> 'not_report'`

// reportFrom joins a report to its representative document and agency.
const reportFrom = `reports r JOIN documents d ON d.id = r.doc_id LEFT JOIN agencies a ON a.id = r.agency_id`

// viewFixed are the columns every table view has besides its value columns.
var viewFixed = []string{"report_id", "doc_id", "agency_id", "agency", "year", "layout", "status", "level", "kind", "province", "city", "county", "region_code", "row_key", "row_order", "row_label", "flags", "machine_values"}

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

// viewSQL is the CREATE VIEW statement of one table. The cells of the
// reports' documents are read in a subquery of their own (OFFSET 0 keeps
// SQLite from merging it into the grouping query, where it would first
// copy cell_values, stored and filled-in cells, whole), grouped by row,
// and only then joined to their report.
func viewSQL(table string, cols []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE VIEW %[1]s AS
SELECT %[2]s, g.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = '%[1]s' AND tr.row_key = g.row_key) AS row_order,
  g.row_label,
`, table, reportCols)
	for _, c := range cols {
		fmt.Fprintf(&b, "  g.%[1]s,\n", c)
	}
	b.WriteString(`  g.flags, g.machine_values
FROM (SELECT x.report_id, x.row_key, MAX(x.row_label) AS row_label,
`)
	for _, c := range cols {
		fmt.Fprintf(&b, "  MAX(CASE WHEN x.col_key = '%[1]s' THEN x.value END) AS %[1]s,\n", c)
	}
	fmt.Fprintf(&b, `  GROUP_CONCAT(DISTINCT NULLIF(x.flags, '')) AS flags,
  GROUP_CONCAT(CASE WHEN x.correction_id IS NOT NULL THEN x.col_key || '=' || coalesce(x.machine_value, '') END, ';') AS machine_values
  FROM (SELECT r.id AS report_id, c.row_key, c.col_key, c.value, c.row_label, c.flags, c.correction_id, c.machine_value
    FROM reports r JOIN cell_values c ON c.doc_id = r.doc_id AND c.tbl = '%[1]s' LIMIT -1 OFFSET 0) x
  GROUP BY x.report_id, x.row_key) g
JOIN reports r ON r.id = g.report_id JOIN documents d ON d.id = r.doc_id LEFT JOIN agencies a ON a.id = r.agency_id
WHERE `+attributed+`
ORDER BY r.id, row_order`, table)
	return b.String()
}

// checkKeys refuses table and column keys that cannot name a view or a
// column: they are written into SQL as they are.
func checkKeys(tables []string, cols map[string][]string) error {
	for _, t := range tables {
		if t == "legacy" || t == "measures" {
			return fmt.Errorf("table key %q is the name of the view of legacy indicators or measures", t)
		}
		if !ident.MatchString(t) {
			return fmt.Errorf("table key %q cannot name a view (want %s)", t, ident)
		}
		for _, c := range cols[t] {
			if !ident.MatchString(c) || slices.Contains(viewFixed, c) {
				return fmt.Errorf("table %s: column key %q cannot name a column of its view (want %s, not one of %s)", t, c, ident, strings.Join(viewFixed, ", "))
			}
		}
	}
	return nil
}

// templatesDigest is the hash of what writeTemplates writes for opt's
// templates, indicators and legacy column words: the template rows, the
// legacy indicators and the views' statements (the legacy view's holds
// the column words). Open rewrites them only when it differs from the
// digest the database holds.
func templatesDigest(opt Options) (string, error) {
	ts, ins := opt.Templates, opt.Indicators
	tables, cols := tableColumns(ts)
	if err := checkKeys(tables, cols); err != nil {
		return "", err
	}
	if err := checkLegacyColumns(opt.LegacyColumns); err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range ts {
		for _, tb := range t.Tables {
			for i, r := range tb.Rows {
				fmt.Fprintf(h, "row %q %q %q %d %q\n", t.Layout, tb.Key, r.Key, i+1, firstLabel(r))
				for _, c := range rowCells(&tb, r) {
					fmt.Fprintf(h, "cell %q %q %q %q %q %q %q\n", t.Layout, tb.Key, r.Key, c.Key, firstLabel(r), firstOf(c.Labels), c.Unit)
				}
			}
		}
	}
	if ins != nil {
		fmt.Fprintf(h, "indicators %d\n", len(ins))
		for _, in := range ins {
			for _, k := range in.RowKeys {
				fmt.Fprintf(h, "indicator %q %q %q %v\n", k, in.Key, in.Modern, in.Comparable)
			}
		}
	}
	fmt.Fprintf(h, "%s\n%s\n%s\n", cellValuesView, legacyView(opt.LegacyColumns), measuresView)
	for _, t := range tables {
		fmt.Fprintf(h, "%s\n", viewSQL(t, cols[t]))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func firstLabel(r govreport.RowTemplate) string { return firstOf(r.Labels) }

func firstOf(ss []string) string {
	if len(ss) > 0 {
		return ss[0]
	}
	return ""
}

// rowCells are the columns a template row has: its own (Columns), else
// every column of its table, optional ones too (a report may print them).
func rowCells(tb *govreport.TableTemplate, r govreport.RowTemplate) []govreport.ColumnTemplate {
	if len(r.Columns) == 0 {
		return tb.Columns
	}
	var out []govreport.ColumnTemplate
	for _, k := range r.Columns {
		if i := slices.IndexFunc(tb.Columns, func(c govreport.ColumnTemplate) bool { return c.Key == k }); i >= 0 {
			out = append(out, tb.Columns[i])
		}
	}
	return out
}

// writeTemplates writes the templates' rows to template_rows and the
// legacy indicators to legacy_indicators, and (re)creates the views (the
// legacy view with the legacy column words), in conn's transaction.
func (s *Store) writeTemplates(ctx context.Context, conn *sql.Conn, ts []*govreport.Template) error {
	tables, cols := tableColumns(ts)
	if err := checkKeys(tables, cols); err != nil {
		return err
	}
	if err := checkLegacyColumns(s.opt.LegacyColumns); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM template_rows; DELETE FROM template_cells;`); err != nil {
		return err
	}
	for _, t := range ts {
		for _, tb := range t.Tables {
			for i, r := range tb.Rows {
				if _, err := conn.ExecContext(ctx, `INSERT INTO template_rows (layout, tbl, row_key, ord, label) VALUES (?,?,?,?,?)`,
					t.Layout, tb.Key, r.Key, i+1, firstLabel(r)); err != nil {
					return fmt.Errorf("layout %s table %s row %s: %w", t.Layout, tb.Key, r.Key, err)
				}
				for _, c := range rowCells(&tb, r) {
					if _, err := conn.ExecContext(ctx, `INSERT INTO template_cells (layout, tbl, row_key, col_key, row_label, col_label, unit) VALUES (?,?,?,?,?,?,?)`,
						t.Layout, tb.Key, r.Key, c.Key, firstLabel(r), firstOf(c.Labels), nullStr(c.Unit)); err != nil {
						return fmt.Errorf("layout %s table %s row %s column %s: %w", t.Layout, tb.Key, r.Key, c.Key, err)
					}
				}
			}
		}
	}
	if s.opt.Indicators != nil {
		if _, err := conn.ExecContext(ctx, `DELETE FROM legacy_indicators`); err != nil {
			return err
		}
		for _, in := range s.opt.Indicators {
			for _, k := range in.RowKeys {
				if _, err := conn.ExecContext(ctx, `INSERT INTO legacy_indicators (row_key, indicator, modern, comparable) VALUES (?,?,?,?)`,
					k, in.Key, nullStr(in.Modern), in.Comparable); err != nil {
					return fmt.Errorf("legacy indicator %s: %w", in.Key, err)
				}
			}
		}
	}
	if _, err := conn.ExecContext(ctx, cellValuesView); err != nil {
		return fmt.Errorf("view cell_values: %w", err)
	}
	for _, v := range []struct{ name, sql string }{{"legacy", legacyView(s.opt.LegacyColumns)}, {"measures", measuresView}} {
		if _, err := conn.ExecContext(ctx, `DROP VIEW IF EXISTS `+v.name); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, v.sql); err != nil {
			return fmt.Errorf("view %s: %w", v.name, err)
		}
	}
	for _, t := range tables {
		var kind string
		err := conn.QueryRowContext(ctx, `SELECT type FROM sqlite_master WHERE name = ?`, t).Scan(&kind)
		switch {
		case err == nil && kind != "view":
			return fmt.Errorf("table key %q is the name of the database's %s %s", t, kind, t)
		case err != nil && err != sql.ErrNoRows:
			return err
		}
		if _, err := conn.ExecContext(ctx, `DROP VIEW IF EXISTS `+t); err != nil {
			return err
		}
		if _, err := conn.ExecContext(ctx, viewSQL(t, cols[t])); err != nil {
			return fmt.Errorf("view %s: %w", t, err)
		}
	}
	return nil
}
