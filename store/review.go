package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"govreport"
)

// What the review pages (govreport serve) read: reports filtered and
// sorted, one report with its documents, a document's sections, cells
// (corrections applied) and checks, an agency's figures over the years,
// and the queue of what is left to review.

// ErrNotFound is returned for a report, document or agency id the
// database does not hold.
var ErrNotFound = errors.New("not found")

// reviewFlags are the flags that ask a person to look at a cell, worst
// first: no value was placed (ambiguous_split, uncertain), a value given
// by where it stood (by_position), forced by the identities (not_printed),
// placed through them (inferred). They are the doubtful cells a document
// counts when saved (documents.doubtful_cells: by_position comes with
// uncertain), which the reports' list starts from.
var reviewFlags = []string{govreport.FlagAmbiguous, govreport.FlagUncertain, govreport.FlagByPosition, govreport.FlagNotPrinted, govreport.FlagInferred}

// doubtfulSQL is true for a cell (alias c of cells or cell_values) that
// carries a review flag.
func doubtfulSQL(c string) string {
	var or []string
	for _, f := range reviewFlags {
		or = append(or, fmt.Sprintf("(',' || %s.flags || ',') LIKE '%%,%s,%%'", c, f))
	}
	return "(" + strings.Join(or, " OR ") + ")"
}

// flaggedSQL is true for a cell (alias c of cell_values) that carries a
// review flag and no current correction.
func flaggedSQL(c string) string {
	return c + ".correction_id IS NULL AND " + doubtfulSQL(c)
}

// severitySQL ranks a flagged cell by its worst review flag (1 worst); a
// failed check ranks severityCheck.
func severitySQL(c string) string {
	var b strings.Builder
	b.WriteString("CASE")
	for i, f := range reviewFlags {
		fmt.Fprintf(&b, " WHEN (',' || %s.flags || ',') LIKE '%%,%s,%%' THEN %d", c, f, rankOfFlag(i))
	}
	b.WriteString(" END")
	return b.String()
}

// severityCheck is the rank of a failed check in the queue: after the
// cells without a value, before those whose value was placed.
const severityCheck = 3

// rankOfFlag is the queue rank of reviewFlags[i]; flagOfRank the flag of
// a rank.
func rankOfFlag(i int) int {
	if i+1 >= severityCheck {
		return i + 2
	}
	return i + 1
}

func flagOfRank(r int) string {
	for i, f := range reviewFlags {
		if rankOfFlag(i) == r {
			return f
		}
	}
	return ""
}

// ReportFilter selects and orders reports.
type ReportFilter struct {
	Year    int    // 0: any; -1: none named
	Agency  string // part of the agency's name, normalised or printed
	Region  string // part of the province's, city's or county's name, or the beginning of a region code
	Layout  string
	Format  string // of the representative document
	Status  string // of the representative document
	Flagged bool   // only reports with flagged cells not yet corrected
	Failing bool   // only reports with failing checks
	Sort    string // agency (default), year, region, layout, format, status, documents, flagged, failing, corrected, id
	Desc    bool
	Offset  int
	Limit   int // 0: 50
}

// ReportRow is a report in a list: its representative document's layout,
// format, status and counts.
type ReportRow struct {
	ID, DocID, AgencyID int64
	Agency              string
	Province            string
	City                string
	County              string
	Year                int
	Layout              string
	Format              string
	Status              string
	Title               string
	Documents           int
	Flagged             int // cells with a review flag (doubtful when saved), not corrected
	Failing             int // failed checks
	Corrected           int // cells with a current correction
}

// ReportList is a page of reports and what the filter matched.
type ReportList struct {
	Rows    []ReportRow
	Total   int // reports matching the filter
	Flagged int // of them, with flagged cells
	Failing int // of them, with failing checks
}

// reportSorts are the columns a list may be sorted by.
var reportSorts = map[string]string{
	"agency": "agency", "year": "year", "region": "province, city, county", "layout": "layout", "format": "format",
	"status": "status", "documents": "documents", "flagged": "flagged", "failing": "failing", "corrected": "corrected", "id": "id",
}

// ListReports returns the reports the filter selects, sorted and paged,
// with the counts of what it matched.
func (s *Store) ListReports(ctx context.Context, f ReportFilter) (ReportList, error) {
	var where []string
	var args []any
	switch {
	case f.Year > 0:
		where, args = append(where, "r.year = ?"), append(args, f.Year)
	case f.Year < 0:
		where = append(where, "r.year IS NULL")
	}
	if f.Agency != "" {
		where = append(where, "(instr(coalesce(a.name, ''), ?) > 0 OR instr(coalesce(d.agency, ''), ?) > 0)")
		args = append(args, f.Agency, f.Agency)
	}
	if f.Region != "" {
		where = append(where, `(instr(coalesce(a.province, ''), ?) > 0 OR instr(coalesce(a.city, ''), ?) > 0 OR instr(coalesce(a.county, ''), ?) > 0
			OR coalesce(a.township_code, a.county_code, a.city_code, a.province_code) LIKE ? || '%')`)
		args = append(args, f.Region, f.Region, f.Region, f.Region)
	}
	for _, eq := range []struct{ col, v string }{{"d.layout", f.Layout}, {"d.format", f.Format}, {"d.status", f.Status}} {
		if eq.v != "" {
			where, args = append(where, eq.col+" = ?"), append(args, eq.v)
		}
	}
	cond := "1"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	var outer []string
	if f.Flagged {
		outer = append(outer, "flagged > 0")
	}
	if f.Failing {
		outer = append(outer, "failing > 0")
	}
	outerCond := "1"
	if len(outer) > 0 {
		outerCond = strings.Join(outer, " AND ")
	}
	order, ok := reportSorts[f.Sort]
	if !ok {
		order = "agency"
	}
	dir := ""
	if f.Desc {
		dir = " DESC"
	}
	order = strings.ReplaceAll(order, ",", dir+",") + dir + ", agency, year, id"
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := `WITH base AS (
  SELECT r.id, d.id AS doc_id, coalesce(r.agency_id, 0) AS agency_id, coalesce(a.name, d.agency, '') AS agency,
    coalesce(a.province, '') AS province, coalesce(a.city, '') AS city, coalesce(a.county, '') AS county,
    coalesce(r.year, 0) AS year, coalesce(d.layout, '') AS layout, d.format, d.status, coalesce(d.title, '') AS title, r.documents,
    d.doubtful_cells - (SELECT count(*) FROM corrections k JOIN cells c ON c.doc_id = d.id AND c.tbl = k.tbl AND c.row_key = k.row_key AND c.col_key = k.col_key
      WHERE k.sha256 = d.sha256 AND k.current = 1 AND k.action <> 'revert' AND ` + doubtfulSQL("c") + `) AS flagged,
    (SELECT count(*) FROM checks k WHERE k.doc_id = d.id AND k.status = 'fail') AS failing,
    (SELECT count(*) FROM corrections k WHERE k.sha256 = d.sha256 AND k.current = 1 AND k.action <> 'revert'
      AND (EXISTS (SELECT 1 FROM cells c WHERE c.doc_id = d.id AND c.tbl = k.tbl AND c.row_key = k.row_key AND c.col_key = k.col_key)
        OR EXISTS (SELECT 1 FROM template_cells tc WHERE tc.layout = d.layout AND tc.tbl = k.tbl AND tc.row_key = k.row_key AND tc.col_key = k.col_key))) AS corrected
  FROM ` + reportFrom + `
  WHERE ` + cond + `
), sel AS (SELECT * FROM base WHERE ` + outerCond + `)
SELECT *, count(*) OVER (), sum(flagged > 0) OVER (), sum(failing > 0) OVER () FROM sel
ORDER BY ` + order + ` LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, append(args, limit, max(f.Offset, 0))...)
	if err != nil {
		return ReportList{}, err
	}
	defer rows.Close()
	var out ReportList
	for rows.Next() {
		var r ReportRow
		if err := rows.Scan(&r.ID, &r.DocID, &r.AgencyID, &r.Agency, &r.Province, &r.City, &r.County, &r.Year, &r.Layout, &r.Format, &r.Status, &r.Title,
			&r.Documents, &r.Flagged, &r.Failing, &r.Corrected, &out.Total, &out.Flagged, &out.Failing); err != nil {
			return ReportList{}, err
		}
		out.Rows = append(out.Rows, r)
	}
	if err := rows.Err(); err != nil {
		return ReportList{}, err
	}
	if len(out.Rows) == 0 && f.Offset > 0 {
		// past the last page: the counts still
		f.Offset, f.Limit = 0, 1
		all, err := s.ListReports(ctx, f)
		return ReportList{Total: all.Total, Flagged: all.Flagged, Failing: all.Failing}, err
	}
	return out, nil
}

// Facets are the values the reports' filters can take, with how many
// reports have each.
type Facets struct {
	Years, Layouts, Formats, Statuses []Count
}

// ReportFacets counts the reports by year, and their representative
// documents by layout, format and status.
func (s *Store) ReportFacets(ctx context.Context) (Facets, error) {
	var f Facets
	for _, g := range []struct {
		col string
		dst *[]Count
	}{{"coalesce(CAST(r.year AS TEXT), '')", &f.Years}, {"coalesce(d.layout, '')", &f.Layouts}, {"d.format", &f.Formats}, {"d.status", &f.Statuses}} {
		rows, err := s.db.QueryContext(ctx, `SELECT `+g.col+` AS k, count(*) FROM `+reportFrom+` GROUP BY k ORDER BY k`)
		if err != nil {
			return f, err
		}
		for rows.Next() {
			var c Count
			if err := rows.Scan(&c.Key, &c.N); err != nil {
				rows.Close()
				return f, err
			}
			*g.dst = append(*g.dst, c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, err
		}
	}
	return f, nil
}

// AgencyInfo is an agency as resolved, with the names it printed.
type AgencyInfo struct {
	ID         int64
	Name       string
	Level      string
	Kind       string
	Region     govreport.Region
	RegionFrom string
	Names      []string // as printed
}

// Agency returns an agency by id.
func (s *Store) Agency(ctx context.Context, id int64) (AgencyInfo, error) {
	a := AgencyInfo{ID: id}
	r := &a.Region
	err := s.db.QueryRowContext(ctx, `SELECT name, coalesce(level, ''), coalesce(kind, ''), coalesce(province_code, ''), coalesce(province, ''),
		coalesce(city_code, ''), coalesce(city, ''), coalesce(county_code, ''), coalesce(county, ''), coalesce(township_code, ''), coalesce(township, ''),
		coalesce(region_from, '') FROM agencies WHERE id = ?`, id).
		Scan(&a.Name, &a.Level, &a.Kind, &r.ProvinceCode, &r.Province, &r.CityCode, &r.City, &r.CountyCode, &r.County, &r.TownshipCode, &r.Township, &a.RegionFrom)
	if errors.Is(err, sql.ErrNoRows) {
		return a, fmt.Errorf("agency %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return a, err
	}
	a.Names, err = s.strings(ctx, `SELECT name FROM agency_names WHERE agency_id = ? ORDER BY name`, id)
	return a, err
}

// DocInfo is a stored document's row.
type DocInfo struct {
	ID            int64
	ReportID      int64 // 0: in no report
	SHA256        string
	Source        string
	Format        string
	Title         string
	Agency        string // as printed
	Year          int
	Layout        string
	Published     string
	PublishedFrom string
	Status        string
	Error         string
	Pages         int
	ParserVersion string
	ImportedAt    string
	Meta          map[string]string
	Warnings      []string
	Attachments   []string
}

const docInfoCols = `d.id, coalesce(d.report_id, 0), d.sha256, d.source, d.format, coalesce(d.title, ''), coalesce(d.agency, ''), coalesce(d.year, 0),
	coalesce(d.layout, ''), coalesce(d.published, ''), coalesce(d.published_from, ''), d.status, coalesce(d.error, ''), coalesce(d.pages, 0),
	d.parser_version, d.imported_at, coalesce(d.meta, ''), coalesce(d.warnings, ''), coalesce(d.attachments, '')`

func scanDocInfo(sc interface{ Scan(...any) error }) (DocInfo, error) {
	var d DocInfo
	var meta, warn, att string
	err := sc.Scan(&d.ID, &d.ReportID, &d.SHA256, &d.Source, &d.Format, &d.Title, &d.Agency, &d.Year, &d.Layout, &d.Published, &d.PublishedFrom,
		&d.Status, &d.Error, &d.Pages, &d.ParserVersion, &d.ImportedAt, &meta, &warn, &att)
	if err != nil {
		return d, err
	}
	// written by Save with encoding/json; an unreadable one stays empty
	json.Unmarshal([]byte(meta), &d.Meta)
	json.Unmarshal([]byte(warn), &d.Warnings)
	json.Unmarshal([]byte(att), &d.Attachments)
	return d, nil
}

// Document returns a stored document by id.
func (s *Store) Document(ctx context.Context, id int64) (DocInfo, error) {
	d, err := scanDocInfo(s.db.QueryRowContext(ctx, `SELECT `+docInfoCols+` FROM documents d WHERE d.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return d, fmt.Errorf("document %d: %w", id, ErrNotFound)
	}
	return d, err
}

// ReportInfo is a report with its documents, its representative first.
type ReportInfo struct {
	ID       int64
	AgencyID int64 // 0: names no agency
	Agency   string
	Year     int
	DocID    int64 // the representative document
	Docs     []DocInfo
}

// Report returns a report by id, with its documents.
func (s *Store) Report(ctx context.Context, id int64) (ReportInfo, error) {
	r := ReportInfo{ID: id}
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(r.agency_id, 0), coalesce(a.name, d.agency, ''), coalesce(r.year, 0), r.doc_id
		FROM `+reportFrom+` WHERE r.id = ?`, id).Scan(&r.AgencyID, &r.Agency, &r.Year, &r.DocID)
	if errors.Is(err, sql.ErrNoRows) {
		return r, fmt.Errorf("report %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return r, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT `+docInfoCols+` FROM documents d WHERE d.report_id = ? ORDER BY d.id = ? DESC, d.id`, id, r.DocID)
	if err != nil {
		return r, err
	}
	defer rows.Close()
	for rows.Next() {
		d, err := scanDocInfo(rows)
		if err != nil {
			return r, err
		}
		r.Docs = append(r.Docs, d)
	}
	return r, rows.Err()
}

// Sections returns a document's sections in printed order.
func (s *Store) Sections(ctx context.Context, docID int64) ([]govreport.Section, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT number, key, coalesce(heading, ''), missing, coalesce(line, 0), text FROM sections WHERE doc_id = ? ORDER BY rowid`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []govreport.Section
	for rows.Next() {
		var x govreport.Section
		if err := rows.Scan(&x.Number, &x.Key, &x.Heading, &x.Missing, &x.Line, &x.Text); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// StoredCell is a cell with the corrections applied: Value and Flags are
// the corrected ones (FlagCorrected added), Machine the reader's value
// and Correction the cell's current correction (nil: none). Filled: the
// reader stored no cell there, a person's correction fills in the
// template's cell.
type StoredCell struct {
	govreport.Cell
	Machine    *float64
	Correction *govreport.Correction
	Filled     bool
}

// Cells returns a document's cells with the corrections applied.
func (s *Store) Cells(ctx context.Context, docID int64) ([]StoredCell, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.tbl, c.row_key, c.col_key, c.value, coalesce(c.unit, ''), coalesce(c.raw, ''), coalesce(c.row_label, ''),
			coalesce(c.col_label, ''), c.flags, coalesce(c.page, 0), coalesce(c.line, 0), coalesce(c.x, 0), coalesce(c.y, 0), coalesce(c.confidence, 0), c.machine_value,
			k.id, coalesce(k.sha256, ''), coalesce(k.action, ''), k.value, coalesce(k.note, ''), coalesce(k.author, ''), coalesce(k.made_at, ''),
			NOT EXISTS (SELECT 1 FROM cells s WHERE s.doc_id = c.doc_id AND s.tbl = c.tbl AND s.row_key = c.row_key AND s.col_key = c.col_key)
		FROM cell_values c LEFT JOIN corrections k ON k.id = c.correction_id
		WHERE c.doc_id = ?`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredCell
	for rows.Next() {
		var c StoredCell
		var flags string
		var kid sql.NullInt64
		var k govreport.Correction
		if err := rows.Scan(&c.Table, &c.Row, &c.Col, &c.Value, &c.Unit, &c.Raw, &c.RowLabel, &c.ColLabel, &flags, &c.Pos.Page, &c.Pos.Line, &c.Pos.X, &c.Pos.Y, &c.Confidence,
			&c.Machine, &kid, &k.SHA256, &k.Action, &k.Value, &k.Note, &k.Author, &k.Time, &c.Filled); err != nil {
			return nil, err
		}
		c.Flags = splitFlags(flags)
		if kid.Valid {
			k.Table, k.Row, k.Col = c.Table, c.Row, c.Col
			c.Correction = &k
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// Checks returns a document's stored checks (run again on the corrected
// values for a corrected table).
func (s *Store) Checks(ctx context.Context, docID int64) ([]govreport.Check, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT rule, tbl, scope, status, left_value, right_value, coalesce(detail, '') FROM checks WHERE doc_id = ? ORDER BY rowid`, docID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []govreport.Check
	for rows.Next() {
		var c govreport.Check
		if err := rows.Scan(&c.Rule, &c.Table, &c.Scope, &c.Status, &c.Left, &c.Right, &c.Detail); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CorrectionRecord is a recorded correction: Machine is the reader's value
// when it was made, Current whether it is the cell's latest.
type CorrectionRecord struct {
	govreport.Correction
	ID      int64
	Machine *float64
	Current bool
}

// Corrections returns every correction of a document's file, newest first.
func (s *Store) Corrections(ctx context.Context, sha string) ([]CorrectionRecord, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, sha256, tbl, row_key, col_key, action, value, machine, note, author, made_at, current
		FROM corrections WHERE sha256 = ? ORDER BY made_at DESC, id DESC`, sha)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CorrectionRecord
	for rows.Next() {
		var k CorrectionRecord
		if err := rows.Scan(&k.ID, &k.SHA256, &k.Table, &k.Row, &k.Col, &k.Action, &k.Value, &k.Machine, &k.Note, &k.Author, &k.Time, &k.Current); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AgencyYear is one report of an agency: its key figures, from the
// measures view (corrections applied).
type AgencyYear struct {
	ReportID, DocID     int64
	Year                int
	IndicatorsFrom      string // t3, t4, legacy
	Received            *float64
	GrantRate           *float64
	CarriedOver         *float64 // 上年结转
	CarriedForward      *float64 // 结转下年度
	ReviewCorrected     *float64
	ReviewTotal         *float64
	LitigationCorrected *float64
	LitigationTotal     *float64
}

// AgencyYears returns an agency's reports in the views, by year.
func (s *Store) AgencyYears(ctx context.Context, agencyID int64) ([]AgencyYear, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT report_id, doc_id, year, coalesce(indicators_from, ''), received, grant_rate, carried_over, carried_forward,
			review_corrected, review_total, litigation_corrected, litigation_total
		FROM measures WHERE agency_id = ? ORDER BY year, report_id`, agencyID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []AgencyYear
	for rows.Next() {
		var y AgencyYear
		if err := rows.Scan(&y.ReportID, &y.DocID, &y.Year, &y.IndicatorsFrom, &y.Received, &y.GrantRate, &y.CarriedOver, &y.CarriedForward,
			&y.ReviewCorrected, &y.ReviewTotal, &y.LitigationCorrected, &y.LitigationTotal); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// QueueItem is one thing left to review: a row's flagged cells (Kind
// "cell": What is the worst flag, Cols the row's flagged columns) or a
// failed check (Kind "check": What is the rule, Cols its scope).
type QueueItem struct {
	Kind     string
	Severity int // 1 worst
	What     string
	ReportID int64
	DocID    int64
	Agency   string
	Year     int
	Format   string
	Layout   string
	Table    string
	Row      string
	RowLabel string
	Cols     []string
	Raw      string
	Left     *float64 // check: its sides
	Right    *float64
	Detail   string
}

// Queue returns what is left to review in the reports' representative
// documents, worst first: rows whose cells carry a review flag and are not
// corrected (a value not placed, then placed by position, forced, inferred)
// and failed checks, each ranked by its worst, then the documents with
// the most first. total is the number of items.
func (s *Store) Queue(ctx context.Context, offset, limit int) (items []QueueItem, total int, err error) {
	if limit <= 0 {
		limit = 50
	}
	q := `WITH reps AS (
  SELECT r.id AS report_id, d.id AS doc_id, coalesce(a.name, d.agency, '') AS agency, coalesce(r.year, 0) AS year, d.format, d.layout, d.doubtful_cells
  FROM ` + reportFrom + `
), items AS (
  SELECT 'cell' AS kind, min(` + severitySQL("c") + `) AS severity, reps.report_id, reps.doc_id, reps.agency, reps.year, reps.format, coalesce(reps.layout, '') AS layout,
    c.tbl, c.row_key, coalesce(max(c.row_label), '') AS row_label, group_concat(c.col_key, ',') AS cols, coalesce(max(c.raw), '') AS raw,
    NULL AS left_value, NULL AS right_value, '' AS detail, coalesce(tr.ord, 1 << 20) AS ord
  FROM reps JOIN (
    -- read by document (OFFSET 0: not merged into the grouping query, which would copy cell_values whole)
    SELECT c.* FROM reps JOIN cell_values c ON c.doc_id = reps.doc_id WHERE reps.doubtful_cells > 0 AND ` + flaggedSQL("c") + ` LIMIT -1 OFFSET 0
  ) c ON c.doc_id = reps.doc_id
  LEFT JOIN template_rows tr ON tr.layout = reps.layout AND tr.tbl = c.tbl AND tr.row_key = c.row_key
  GROUP BY reps.doc_id, c.tbl, c.row_key
  UNION ALL
  SELECT 'check', ` + fmt.Sprint(severityCheck) + `, reps.report_id, reps.doc_id, reps.agency, reps.year, reps.format, coalesce(reps.layout, ''),
    k.tbl, k.rule, '', k.scope, '', k.left_value, k.right_value, coalesce(k.detail, ''), 0
  FROM reps JOIN checks k ON k.doc_id = reps.doc_id WHERE k.status = 'fail'
)
SELECT kind, severity, report_id, doc_id, agency, year, format, layout, tbl, row_key, row_label, cols, raw, left_value, right_value, detail, count(*) OVER ()
FROM items
ORDER BY severity, count(*) OVER (PARTITION BY doc_id) DESC, doc_id, tbl, ord, row_key
LIMIT ? OFFSET ?`
	rows, err := s.db.QueryContext(ctx, q, limit, max(offset, 0))
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var it QueueItem
		var cols string
		if err := rows.Scan(&it.Kind, &it.Severity, &it.ReportID, &it.DocID, &it.Agency, &it.Year, &it.Format, &it.Layout, &it.Table, &it.Row, &it.RowLabel, &cols, &it.Raw,
			&it.Left, &it.Right, &it.Detail, &total); err != nil {
			return nil, 0, err
		}
		it.Cols = strings.Split(cols, ",")
		if it.Kind == "check" {
			it.What, it.Row = it.Row, ""
		} else {
			it.What = flagOfRank(it.Severity)
		}
		items = append(items, it)
	}
	return items, total, rows.Err()
}

// StoredPath returns where the crawler stored the file with this sha256,
// relative to its store directory ("" when it did not).
func (s *Store) StoredPath(ctx context.Context, sha string) (string, error) {
	var p string
	err := s.db.QueryRowContext(ctx, `SELECT path FROM crawl_fetches WHERE sha256 = ? AND path IS NOT NULL ORDER BY id DESC LIMIT 1`, sha).Scan(&p)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return p, err
}

// strings runs a query of one text column.
func (s *Store) strings(ctx context.Context, q string, args ...any) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var x string
		if err := rows.Scan(&x); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// Generation changes when a document is saved or a correction recorded:
// what is computed from the database (Analyze) stays valid while it does
// not.
func (s *Store) Generation(ctx context.Context) (string, error) {
	var g string
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT count(*) || '.' || coalesce(max(id), 0) || '.' || coalesce(max(imported_at), '') FROM documents)
		|| '/' || (SELECT count(*) || '.' || coalesce(max(id), 0) FROM corrections)`).Scan(&g)
	return g, err
}
