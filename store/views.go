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

// viewSQL is the CREATE VIEW statement of one table.
func viewSQL(table string, cols []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `CREATE VIEW %[1]s AS
SELECT %[2]s, c.row_key,
  (SELECT ord FROM template_rows tr WHERE tr.layout = d.layout AND tr.tbl = '%[1]s' AND tr.row_key = c.row_key) AS row_order,
  MAX(c.row_label) AS row_label,
`, table, reportCols)
	for _, c := range cols {
		fmt.Fprintf(&b, "  MAX(CASE WHEN c.col_key = '%[1]s' THEN c.value END) AS %[1]s,\n", c)
	}
	fmt.Fprintf(&b, `  GROUP_CONCAT(DISTINCT NULLIF(c.flags, '')) AS flags,
  GROUP_CONCAT(CASE WHEN c.correction_id IS NOT NULL THEN c.col_key || '=' || coalesce(c.machine_value, '') END, ';') AS machine_values
FROM %s JOIN cell_values c ON c.doc_id = r.doc_id AND c.tbl = '%s'
WHERE `+attributed+`
GROUP BY r.id, c.row_key
ORDER BY r.id, row_order`, reportFrom, table)
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

// templatesDigest is the hash of what writeTemplates writes for ts and
// the indicators ins: the template rows, the legacy indicators and the
// views' statements. Open rewrites them only when it differs from the
// digest the database holds.
func templatesDigest(ts []*govreport.Template, ins []govreport.Indicator) (string, error) {
	tables, cols := tableColumns(ts)
	if err := checkKeys(tables, cols); err != nil {
		return "", err
	}
	h := sha256.New()
	for _, t := range ts {
		for _, tb := range t.Tables {
			for i, r := range tb.Rows {
				fmt.Fprintf(h, "row %q %q %q %d %q\n", t.Layout, tb.Key, r.Key, i+1, firstLabel(r))
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
	fmt.Fprintf(h, "%s\n%s\n%s\n", cellValuesView, legacyView, measuresView)
	for _, t := range tables {
		fmt.Fprintf(h, "%s\n", viewSQL(t, cols[t]))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func firstLabel(r govreport.RowTemplate) string {
	if len(r.Labels) > 0 {
		return r.Labels[0]
	}
	return ""
}

// writeTemplates writes the templates' rows to template_rows and the
// legacy indicators to legacy_indicators, and (re)creates the views, in
// conn's transaction.
func (s *Store) writeTemplates(ctx context.Context, conn *sql.Conn, ts []*govreport.Template) error {
	tables, cols := tableColumns(ts)
	if err := checkKeys(tables, cols); err != nil {
		return err
	}
	if _, err := conn.ExecContext(ctx, `DELETE FROM template_rows`); err != nil {
		return err
	}
	for _, t := range ts {
		for _, tb := range t.Tables {
			for i, r := range tb.Rows {
				if _, err := conn.ExecContext(ctx, `INSERT INTO template_rows (layout, tbl, row_key, ord, label) VALUES (?,?,?,?,?)`,
					t.Layout, tb.Key, r.Key, i+1, firstLabel(r)); err != nil {
					return fmt.Errorf("layout %s table %s row %s: %w", t.Layout, tb.Key, r.Key, err)
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
	for _, v := range []struct{ name, sql string }{{"legacy", legacyView}, {"measures", measuresView}} {
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
