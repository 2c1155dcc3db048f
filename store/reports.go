package store

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
	"strings"

	"govreport"
)

// Reports, not files. The documents of one report (an HTML page and its
// PDF attachment, a Word twin, a republished copy, an excerpt) are
// grouped as one report:
//   - a document that names its agency and year joins the report of the
//     same agency and year, unless their tables contradict each other
//     (more values differ than non-zero values agree);
//   - a document without an agency or a year (an excerpt) makes a report
//     of its own, which GroupExcerpts (at the end of an import or a crawl)
//     puts into the report whose representative agrees with it on the
//     most non-zero values, when at least minShared do, no other report
//     agrees on half as many and none contradicts. Candidates are found by
//     a document's signature, its distinctive values (the largest of each
//     table, of at least minDistinct), so the cost does not grow with the
//     database.
//
// Only readable documents (status ok or partial) make reports. Each report
// has a representative document, the most complete (most values, then
// most sections) with the fewest doubtful cells and failed checks (then
// the agency's page before its PDF, a Word file and a text copy, and the
// smallest sha256, so that the order of import does not matter); the
// views show its values, one row per report.
//
// Migration 6.
const reportsSchema = `CREATE TABLE agencies (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,  -- normalised: 淮安市洪泽区人民政府 for 洪泽区人民政府 too
  level         TEXT,                  -- province, city, county, township
  kind          TEXT,                  -- government, government_office, department, township
  province_code TEXT, province TEXT,   -- GB/T 2260: 320000 江苏省
  city_code     TEXT, city TEXT,       -- 320800 淮安市
  county_code   TEXT, county TEXT,     -- 320813 洪泽区
  township_code TEXT, township TEXT,   -- the National Bureau of Statistics' nine digits
  region_from   TEXT                   -- name, seed, host; NULL: no region found
);
CREATE TABLE agency_names (
  agency_id INTEGER NOT NULL REFERENCES agencies(id) ON DELETE CASCADE,
  name      TEXT NOT NULL,             -- as printed
  PRIMARY KEY (name, agency_id)
) WITHOUT ROWID;
CREATE TABLE reports (
  id        INTEGER PRIMARY KEY,
  agency_id INTEGER REFERENCES agencies(id),
  year      INTEGER,
  doc_id    INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,  -- the representative document
  documents INTEGER NOT NULL                            -- documents of the report
);
CREATE INDEX reports_agency_year ON reports(agency_id, year);
ALTER TABLE documents ADD COLUMN agency_id INTEGER REFERENCES agencies(id);
ALTER TABLE documents ADD COLUMN report_id INTEGER REFERENCES reports(id) ON DELETE SET NULL;
ALTER TABLE documents ADD COLUMN published_from TEXT;  -- page, text, pdf_file, listing
-- how complete the document is, to choose a report's representative
ALTER TABLE documents ADD COLUMN values_found INTEGER NOT NULL DEFAULT 0;    -- cells with a value
ALTER TABLE documents ADD COLUMN sections_found INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN doubtful_cells INTEGER NOT NULL DEFAULT 0;  -- inferred, not_printed, uncertain, ambiguous_split
ALTER TABLE documents ADD COLUMN checks_failed INTEGER NOT NULL DEFAULT 0;
-- the document's distinctive values (see signature)
ALTER TABLE documents ADD COLUMN signature TEXT NOT NULL DEFAULT '';
UPDATE documents SET signature = coalesce((SELECT group_concat(k, ';') FROM (
    SELECT tbl || '.' || row_key || '.' || col_key || '=' || value AS k FROM (
      SELECT tbl, row_key, col_key, value, row_number() OVER (PARTITION BY tbl ORDER BY value DESC, row_key, col_key) AS n
      FROM cells WHERE doc_id = documents.id AND value >= 10)
    WHERE n <= 5 ORDER BY k)), ''),
  values_found = (SELECT count(*) FROM cells c WHERE c.doc_id = documents.id AND c.value IS NOT NULL),
  sections_found = (SELECT count(*) FROM sections s WHERE s.doc_id = documents.id),
  doubtful_cells = (SELECT count(*) FROM cells c WHERE c.doc_id = documents.id AND (c.flags LIKE '%inferred%' OR c.flags LIKE '%not_printed%' OR c.flags LIKE '%uncertain%' OR c.flags LIKE '%ambiguous%')),
  checks_failed = (SELECT count(*) FROM checks k WHERE k.doc_id = documents.id AND k.status = 'fail');
CREATE INDEX documents_report ON documents(report_id);
CREATE INDEX documents_source ON documents(source);  -- the reports of a site (HostRegion)
-- the distinctive values an excerpt is matched by
CREATE INDEX cells_value ON cells(tbl, row_key, col_key, value) WHERE value >= 10;
CREATE INDEX reports_orphan ON reports(id) WHERE agency_id IS NULL OR year IS NULL;
CREATE TABLE legacy_indicators (
  row_key    TEXT PRIMARY KEY,         -- cells.row_key of a legacy table
  indicator  TEXT NOT NULL,            -- applications_received, granted, …
  modern     TEXT,                     -- the 2019 tables' cells it corresponds to: t3.new_received.total
  comparable INTEGER NOT NULL          -- 1: the same quantity before and after 2019
) WITHOUT ROWID;
DROP VIEW IF EXISTS measures;  -- written at Open, by report
`

// minShared is how many non-zero values an excerpt must share with a
// report to join it; minDistinct the smallest value candidates are looked
// up by (the index cells_value), perDistinct how many per table.
const (
	minShared   = 5
	minDistinct = 10
	perDistinct = 5
	maxSharing  = 50 // documents that print a value for it to be distinctive
	maxSameName = 16 // reports of an agency and year compared without a shared value
)

// readable is whether documents of a status make reports.
func readable(status string) bool {
	return status == govreport.StatusOK || status == govreport.StatusPartial
}

// querier is a transaction or a connection.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// saveAgency stores the agency of a document (its Publisher, or its
// printed name when the pipeline resolved none) and the name it printed,
// and returns its id; 0 when the document names no agency.
func saveAgency(ctx context.Context, q querier, d *govreport.Document) (int64, error) {
	a := d.Publisher
	if a == nil {
		a = &govreport.Agency{Name: strings.Join(strings.Fields(d.Agency), ""), Printed: d.Agency}
	}
	if a.Name == "" {
		return 0, nil
	}
	r := a.Region
	if _, err := q.ExecContext(ctx, `INSERT INTO agencies (name, level, kind, province_code, province, city_code, city, county_code, county, township_code, township, region_from)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
		ON CONFLICT(name) DO UPDATE SET level = coalesce(level, excluded.level), kind = coalesce(kind, excluded.kind)`,
		a.Name, nullStr(a.Level), nullStr(a.Kind), nullStr(r.ProvinceCode), nullStr(r.Province), nullStr(r.CityCode), nullStr(r.City),
		nullStr(r.CountyCode), nullStr(r.County), nullStr(r.TownshipCode), nullStr(r.Township), nullStr(a.RegionFrom)); err != nil {
		return 0, err
	}
	var id int64
	if err := q.QueryRowContext(ctx, `SELECT id FROM agencies WHERE name = ?`, a.Name).Scan(&id); err != nil {
		return 0, err
	}
	if printed := strings.TrimSpace(a.Printed); printed != "" {
		if _, err := q.ExecContext(ctx, `INSERT OR IGNORE INTO agency_names (agency_id, name) VALUES (?, ?)`, id, printed); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// group puts a saved document into its report (see above), taking it out
// of the one it was in before.
func group(ctx context.Context, q querier, docID, agencyID int64, year int, status string) error {
	var old sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT report_id FROM documents WHERE id = ?`, docID).Scan(&old); err != nil {
		return err
	}
	if old.Valid {
		if _, err := q.ExecContext(ctx, `UPDATE documents SET report_id = NULL WHERE id = ?`, docID); err != nil {
			return err
		}
	}
	var target int64
	if readable(status) {
		if agencyID != 0 && year != 0 {
			var err error
			if target, err = sameAgencyYear(ctx, q, docID, agencyID, year); err != nil {
				return err
			}
		}
		if target == 0 {
			res, err := q.ExecContext(ctx, `INSERT INTO reports (agency_id, year, doc_id, documents) VALUES (?, ?, ?, 0)`, nullID(agencyID), nullInt(year), docID)
			if err != nil {
				return err
			}
			target, _ = res.LastInsertId()
		}
		if err := join(ctx, q, target, docID, `id = ?`, docID); err != nil {
			return err
		}
	}
	if old.Valid && old.Int64 != target {
		return refreshReport(ctx, q, old.Int64)
	}
	return nil
}

// sameAgencyYear returns the report of the agency and year the document
// belongs to, or 0: the one that agrees with it on the most values without
// contradicting it (the first when none shares a value), among the
// agency's reports of the year; when there are more than maxSameName (a
// name shared by agencies no region told apart), among those that print
// one of its distinctive values (sharing) or whose representative has
// none (a page without tables beside its PDF), or all of them when the
// document has none (at most maxSameName of those).
func sameAgencyYear(ctx context.Context, q querier, docID, agencyID int64, year int) (int64, error) {
	ids := func(query string, args ...any) ([]int64, error) {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	cands, err := ids(`SELECT id FROM reports WHERE agency_id = ? AND year = ? ORDER BY id LIMIT ?`, agencyID, year, maxSameName+1)
	if err != nil || len(cands) <= maxSameName {
		if err != nil {
			return 0, err
		}
		id, _, err := mostAgreeing(ctx, q, docID, cands)
		return id, err
	}
	var sig string
	if err := q.QueryRowContext(ctx, `SELECT signature FROM documents WHERE id = ?`, docID).Scan(&sig); err != nil {
		return 0, err
	}
	plain := `AND d.signature = ''`
	if sig == "" {
		plain = ""
	}
	if cands, err = ids(`SELECT r.id FROM reports r JOIN documents d ON d.id = r.doc_id
		WHERE r.agency_id = ? AND r.year = ? `+plain+` ORDER BY r.id LIMIT ?`, agencyID, year, maxSameName); err != nil {
		return 0, err
	}
	if sig != "" {
		shared, err := sharing(ctx, q, docID)
		if err != nil {
			return 0, err
		}
		for id := range shared {
			var a, y sql.NullInt64
			if err := q.QueryRowContext(ctx, `SELECT agency_id, year FROM reports WHERE id = ?`, id).Scan(&a, &y); err != nil {
				return 0, err
			}
			if a.Int64 == agencyID && int(y.Int64) == year && !slices.Contains(cands, id) {
				cands = append(cands, id)
			}
		}
		slices.Sort(cands)
	}
	id, _, err := mostAgreeing(ctx, q, docID, cands)
	return id, err
}

// signature is a document's distinctive values: the largest perDistinct
// of each of its tables, of minDistinct or more, as
// table.row.column=value, sorted and joined by semicolons. Two documents
// of one report share most.
func signature(d *govreport.Document) string {
	byTable := map[string][]govreport.Cell{}
	for _, c := range d.Cells {
		if c.Value != nil && *c.Value >= minDistinct {
			byTable[c.Table] = append(byTable[c.Table], c)
		}
	}
	var out []string
	for _, cs := range byTable {
		slices.SortFunc(cs, func(a, b govreport.Cell) int {
			switch {
			case *a.Value != *b.Value:
				if *a.Value > *b.Value {
					return -1
				}
				return 1
			case a.Row != b.Row:
				return strings.Compare(a.Row, b.Row)
			}
			return strings.Compare(a.Col, b.Col)
		})
		for _, c := range cs[:min(len(cs), perDistinct)] {
			out = append(out, c.Table+"."+c.Row+"."+c.Col+"="+strconv.FormatFloat(*c.Value, 'f', -1, 64))
		}
	}
	slices.Sort(out)
	return strings.Join(out, ";")
}

// signed is a signature's values.
type signed struct {
	tbl, row, col string
	value         float64
}

// parseSignature reads a signature back.
func parseSignature(sig string) []signed {
	var out []signed
	for _, e := range strings.Split(sig, ";") {
		k, v, ok := strings.Cut(e, "=")
		parts := strings.SplitN(k, ".", 3)
		x, err := strconv.ParseFloat(v, 64)
		if !ok || len(parts) != 3 || err != nil {
			continue
		}
		out = append(out, signed{parts[0], parts[1], parts[2], x})
	}
	return out
}

// sharing returns the reports of other documents that print one of the
// document's distinctive values (its signature) at the same place, each
// value printed by at most maxSharing documents (a value many print
// tells nothing).
func sharing(ctx context.Context, q querier, docID int64) (map[int64]bool, error) {
	var sig string
	if err := q.QueryRowContext(ctx, `SELECT signature FROM documents WHERE id = ?`, docID).Scan(&sig); err != nil {
		return nil, err
	}
	out := map[int64]bool{}
	for _, v := range parseSignature(sig) {
		rows, err := q.QueryContext(ctx, `SELECT d.report_id FROM cells c JOIN documents d ON d.id = c.doc_id
			WHERE c.tbl = ? AND c.row_key = ? AND c.col_key = ? AND c.value = ? AND c.value >= ? AND c.doc_id <> ?
			LIMIT ?`, v.tbl, v.row, v.col, v.value, minDistinct, docID, maxSharing+1)
		if err != nil {
			return nil, err
		}
		var ids []int64
		for rows.Next() {
			var id sql.NullInt64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return nil, err
			}
			if id.Valid {
				ids = append(ids, id.Int64)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if len(ids) > maxSharing {
			continue
		}
		for _, id := range ids {
			out[id] = true
		}
	}
	return out, nil
}

// agreement counts the values two documents print alike (non-zero) and
// differently at the same table, row and column.
func agreement(ctx context.Context, q querier, a, b int64) (agree, differ int, err error) {
	err = q.QueryRowContext(ctx, `SELECT count(CASE WHEN x.value = y.value AND x.value <> 0 THEN 1 END), count(CASE WHEN x.value <> y.value THEN 1 END)
		FROM cells x JOIN cells y ON y.doc_id = ? AND y.tbl = x.tbl AND y.row_key = x.row_key AND y.col_key = x.col_key
		WHERE x.doc_id = ? AND x.value IS NOT NULL AND y.value IS NOT NULL`, b, a).Scan(&agree, &differ)
	return agree, differ, err
}

// sameContent returns the report (other than except) whose representative
// agrees with the document on the most non-zero values, among those that
// print one of its distinctive values: at least minShared, twice as many
// as any other candidate's, and not contradicting it. 0: none.
func sameContent(ctx context.Context, q querier, docID, except int64) (int64, error) {
	shared, err := sharing(ctx, q, docID)
	if err != nil {
		return 0, err
	}
	delete(shared, except)
	var cands []int64
	for id := range shared {
		cands = append(cands, id)
	}
	slices.Sort(cands)
	id, second, err := mostAgreeing(ctx, q, docID, cands)
	if err != nil || id == 0 {
		return 0, err
	}
	agree, _, err := agreement(ctx, q, docID, repOf(ctx, q, id))
	if err != nil || agree < minShared || agree < 2*second {
		return 0, err
	}
	return id, nil
}

// mostAgreeing returns, among reports, the one whose representative
// agrees with the document on the most non-zero values without
// contradicting it (0: none), and the agreement of the runner-up.
func mostAgreeing(ctx context.Context, q querier, docID int64, reports []int64) (best int64, second int, err error) {
	most := -1
	for _, id := range reports {
		agree, differ, err := agreement(ctx, q, docID, repOf(ctx, q, id))
		if err != nil {
			return 0, 0, err
		}
		if differ > 0 && differ > agree {
			continue // contradicts
		}
		switch {
		case agree > most:
			if most > second {
				second = most
			}
			best, most = id, agree
		case agree > second:
			second = agree
		}
	}
	return best, second, nil
}

// repOf is a report's representative document (0 when it cannot be read:
// the queries that follow find nothing).
func repOf(ctx context.Context, q querier, report int64) int64 {
	var rep int64
	q.QueryRowContext(ctx, `SELECT doc_id FROM reports WHERE id = ?`, report).Scan(&rep)
	return rep
}

// consistent returns report when what the document names (its agency,
// its year; 0: nothing) is the report's, or 0.
func consistent(ctx context.Context, q querier, report, agencyID int64, year int) (int64, error) {
	var a sql.NullInt64
	var y sql.NullInt64
	if err := q.QueryRowContext(ctx, `SELECT agency_id, year FROM reports WHERE id = ?`, report).Scan(&a, &y); err != nil {
		return 0, err
	}
	if agencyID != 0 && a.Valid && a.Int64 != agencyID || year != 0 && y.Valid && int(y.Int64) != year {
		return 0, nil
	}
	return report, nil
}

// GroupExcerpts puts each report that names no agency or no year (an
// excerpt) into the report whose representative agrees with it on the
// most non-zero values (see sameContent), when that report names no other
// agency or year. Import and crawl run it at the end of a run: Save
// groups documents by agency and year only.
func (s *Store) GroupExcerpts(ctx context.Context, since int64) (int, error) {
	var merged int
	_, err := s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		var err error
		merged, err = groupExcerpts(ctx, conn, since)
		return true, err
	})
	return merged, err
}

// LastDocument is the id of the last document saved (0: none), the since
// of a GroupExcerpts after a run.
func (s *Store) LastDocument(ctx context.Context) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) FROM documents`).Scan(&id)
	return id, err
}

// groupExcerpts is GroupExcerpts in a transaction or connection q. The
// reports it looks at are the excerpts saved after document since, and
// those that print a distinctive value of a document saved after it that
// names its agency and year: a run costs what it saved.
func groupExcerpts(ctx context.Context, q querier, since int64) (int, error) {
	merged := 0
	todo := map[int64]bool{}
	rows, err := q.QueryContext(ctx, `SELECT r.id, d.id, r.agency_id IS NULL OR r.year IS NULL
		FROM documents d JOIN reports r ON r.id = d.report_id WHERE d.id > ?`, since)
	if err != nil {
		return merged, err
	}
	var named []int64
	for rows.Next() {
		var report, doc int64
		var orphan bool
		if err := rows.Scan(&report, &doc, &orphan); err != nil {
			rows.Close()
			return merged, err
		}
		if orphan {
			todo[report] = true
		} else {
			named = append(named, doc)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return merged, err
	}
	var orphans int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM reports WHERE agency_id IS NULL OR year IS NULL LIMIT 1)`).Scan(&orphans); err != nil {
		return merged, err
	}
	for _, doc := range named {
		if orphans == 0 {
			break
		}
		shared, err := sharing(ctx, q, doc)
		if err != nil {
			return merged, err
		}
		for id := range shared {
			var orphan bool
			if err := q.QueryRowContext(ctx, `SELECT agency_id IS NULL OR year IS NULL FROM reports WHERE id = ?`, id).Scan(&orphan); err != nil {
				return merged, err
			}
			if orphan {
				todo[id] = true
			}
		}
	}
	ids := make([]int64, 0, len(todo))
	for id := range todo {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		type orphan struct {
			id, rep, agency int64
			year            int
		}
		o := orphan{id: id}
		err := q.QueryRowContext(ctx, `SELECT doc_id, coalesce(agency_id, 0), coalesce(year, 0) FROM reports WHERE id = ?`, id).Scan(&o.rep, &o.agency, &o.year)
		if errors.Is(err, sql.ErrNoRows) {
			continue // merged into an earlier one
		}
		if err != nil {
			return merged, err
		}
		best, err := sameContent(ctx, q, o.rep, o.id)
		if err == nil && best != 0 {
			best, err = consistent(ctx, q, best, o.agency, o.year)
		}
		if err != nil {
			return merged, err
		}
		if best == 0 {
			continue
		}
		if err := join(ctx, q, best, o.rep, `report_id = ?`, o.id); err != nil {
			return merged, err
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM reports WHERE id = ?`, o.id); err != nil {
			return merged, err
		}
		merged++
	}
	return merged, nil
}

// rankDocs orders a report's documents, its representative first.
const rankDocs = `d.values_found DESC, d.sections_found DESC, d.doubtful_cells, d.checks_failed,
	CASE d.format WHEN 'html' THEN 0 WHEN 'pdf' THEN 1 WHEN 'txt' THEN 3 ELSE 2 END, d.sha256`

// join moves the documents that match where (with args) into report; best
// is the best ranked of them. The report's representative becomes best
// when it ranks before the current one; its agency and year are filled
// when it had none.
func join(ctx context.Context, q querier, report, best int64, where string, args ...any) error {
	res, err := q.ExecContext(ctx, `UPDATE documents SET report_id = ? WHERE `+where, append([]any{report}, args...)...)
	if err != nil {
		return err
	}
	n, _ := res.RowsAffected()
	_, err = q.ExecContext(ctx, `UPDATE reports SET
		doc_id = (SELECT d.id FROM documents d WHERE d.id IN (reports.doc_id, ?2) ORDER BY `+rankDocs+` LIMIT 1),
		agency_id = coalesce(agency_id, (SELECT agency_id FROM documents WHERE id = ?2)),
		year = coalesce(year, (SELECT year FROM documents WHERE id = ?2)),
		documents = documents + ?3
		WHERE id = ?1`, report, best, n)
	return err
}

// refreshReport chooses a report's representative anew and takes its
// agency and year from its documents (when a document left it); a report
// left without documents is deleted.
func refreshReport(ctx context.Context, q querier, id int64) error {
	var rep int64
	err := q.QueryRowContext(ctx, `SELECT d.id FROM documents d WHERE d.report_id = ?
		ORDER BY `+rankDocs+` LIMIT 1`, id).Scan(&rep)
	if errors.Is(err, sql.ErrNoRows) {
		_, err = q.ExecContext(ctx, `DELETE FROM reports WHERE id = ?`, id)
		return err
	}
	if err != nil {
		return err
	}
	_, err = q.ExecContext(ctx, `UPDATE reports SET doc_id = ?1,
		agency_id = (SELECT agency_id FROM documents WHERE report_id = ?2 AND agency_id IS NOT NULL ORDER BY id = ?1 DESC, id LIMIT 1),
		year = (SELECT year FROM documents WHERE report_id = ?2 AND year IS NOT NULL ORDER BY id = ?1 DESC, id LIMIT 1),
		documents = (SELECT count(*) FROM documents WHERE report_id = ?2)
		WHERE id = ?2`, rep, id)
	return err
}

// groupUngrouped groups the readable documents that are in no report,
// oldest first: those saved before reports existed (migration 6), and
// those whose report went with its representative, deleted by hand.
func groupUngrouped(ctx context.Context, q querier) error {
	rows, err := q.QueryContext(ctx, `SELECT id, coalesce(agency_id, 0), coalesce(agency, ''), coalesce(year, 0), status
		FROM documents WHERE report_id IS NULL AND status IN ('ok', 'partial') ORDER BY id`)
	if err != nil {
		return err
	}
	type doc struct {
		id, agencyID int64
		agency       string
		year         int
		status       string
	}
	var docs []doc
	for rows.Next() {
		var d doc
		if err := rows.Scan(&d.id, &d.agencyID, &d.agency, &d.year, &d.status); err != nil {
			rows.Close()
			return err
		}
		docs = append(docs, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, d := range docs {
		if d.agencyID == 0 {
			// saved before agencies existed: keyed by its printed name
			if d.agencyID, err = saveAgency(ctx, q, &govreport.Document{Agency: d.agency}); err != nil {
				return err
			}
			if _, err := q.ExecContext(ctx, `UPDATE documents SET agency_id = ? WHERE id = ?`, nullID(d.agencyID), d.id); err != nil {
				return err
			}
		}
		if err := group(ctx, q, d.id, d.agencyID, d.year, d.status); err != nil {
			return err
		}
	}
	return nil
}

// groupAll groups the documents in no report, then the excerpts.
func groupAll(ctx context.Context, q querier) error {
	if err := groupUngrouped(ctx, q); err != nil {
		return err
	}
	_, err := groupExcerpts(ctx, q, 0)
	return err
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// HostRegion returns the region the agencies placed by name or seed share
// among the reports fetched from host (http or https): the fields all
// their regions agree on (their city when they lie in several counties of
// one city); an empty region when there are none or they share nothing.
func (s *Store) HostRegion(ctx context.Context, host string) (govreport.Region, error) {
	var common govreport.Region
	first := true
	for _, scheme := range []string{"http://", "https://"} {
		from := scheme + host + "/"
		rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT coalesce(a.province_code, ''), coalesce(a.province, ''), coalesce(a.city_code, ''), coalesce(a.city, ''),
				coalesce(a.county_code, ''), coalesce(a.county, ''), coalesce(a.township_code, ''), coalesce(a.township, '')
			FROM documents d JOIN agencies a ON a.id = d.agency_id
			WHERE d.source >= ? AND d.source < ? AND a.region_from IN ('name', 'seed')`, from, scheme+host+"0")
		if err != nil {
			return govreport.Region{}, err
		}
		for rows.Next() {
			var r govreport.Region
			if err := rows.Scan(&r.ProvinceCode, &r.Province, &r.CityCode, &r.City, &r.CountyCode, &r.County, &r.TownshipCode, &r.Township); err != nil {
				rows.Close()
				return govreport.Region{}, err
			}
			if first {
				common, first = r, false
				continue
			}
			common = shared(common, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return govreport.Region{}, err
		}
	}
	return common, nil
}

// shared is the part of two regions they agree on, from the province
// down.
func shared(a, b govreport.Region) govreport.Region {
	var r govreport.Region
	if a.ProvinceCode != b.ProvinceCode {
		return r
	}
	r.ProvinceCode, r.Province = a.ProvinceCode, a.Province
	if a.CityCode != b.CityCode {
		return r
	}
	r.CityCode, r.City = a.CityCode, a.City
	if a.CountyCode != b.CountyCode {
		return r
	}
	r.CountyCode, r.County = a.CountyCode, a.County
	if a.TownshipCode != b.TownshipCode {
		return r
	}
	r.TownshipCode, r.Township = a.TownshipCode, a.Township
	return r
}

// regroup runs groupUngrouped when a readable document is in no report.
func (s *Store) regroup(ctx context.Context) error {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE report_id IS NULL AND status IN ('ok', 'partial')`).Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	_, err = s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		return true, groupAll(ctx, conn)
	})
	return err
}

// completeness is what chooses a report's representative: the document's
// cells with a value, sections, doubtful cells and failed checks.
func completeness(d *govreport.Document) (values, sections, doubtful, failed int) {
	for _, c := range d.Cells {
		if c.Value != nil {
			values++
		}
		for _, f := range c.Flags {
			if f == govreport.FlagInferred || f == govreport.FlagNotPrinted || f == govreport.FlagUncertain || f == govreport.FlagAmbiguous {
				doubtful++
				break
			}
		}
	}
	for _, c := range d.Checks {
		if c.Status == govreport.CheckFail {
			failed++
		}
	}
	return values, len(d.Sections), doubtful, failed
}
