package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"govreport"
)

// Corrections: a person's value for a cell, made in review (govreport
// serve) or imported from a colleague's CSV. They are keyed by what a
// reparse and a new database keep, the document's sha256 and the cell's
// table, row and column, and never deleted: a later correction of the
// same cell supersedes the one before (current = 0), so the table is the
// audit trail. The current correction of a cell, unless it is a revert,
// applies: the view cell_values gives its value with the flag corrected
// and the machine's value beside it, and every view, export and
// cross-document check reads cell_values. The checks of a corrected
// table are run again (Options.Recheck) when the correction is made and
// each time its document is saved again.
//
// Migration 8.
const correctionsSchema = `CREATE TABLE corrections (
  id       INTEGER PRIMARY KEY,
  sha256   TEXT NOT NULL,            -- the document's file
  tbl      TEXT NOT NULL,
  row_key  TEXT NOT NULL,
  col_key  TEXT NOT NULL,
  action   TEXT NOT NULL,            -- set, confirm, revert
  value    NUMERIC,                  -- set, confirm: the value; NULL: not reported
  machine  NUMERIC,                  -- the machine's value when the correction was made
  note     TEXT NOT NULL DEFAULT '',
  author   TEXT NOT NULL DEFAULT '',
  made_at  TEXT NOT NULL,            -- UTC, RFC 3339
  current  INTEGER NOT NULL DEFAULT 1 -- 0: superseded by a later correction of the cell
);
CREATE UNIQUE INDEX corrections_current ON corrections(sha256, tbl, row_key, col_key) WHERE current = 1;
CREATE INDEX corrections_cell ON corrections(sha256, tbl, row_key, col_key, made_at);
` + cellValuesView8

// cellValuesView is cells with the corrections applied: value is the
// person's where a current correction (not a revert) exists, with
// corrected added to the flags, machine_value the reader's and
// correction_id the correction's id (NULL: none). A current correction of
// a cell the reader did not store, one the template of the document's
// layout defines (template_cells), is a row of its own: flags corrected,
// machine_value NULL, raw empty, no position, the template's labels and
// unit.
const cellValuesView = `DROP VIEW IF EXISTS cell_values;
CREATE VIEW cell_values AS
SELECT c.doc_id, c.tbl, c.row_key, c.col_key,
  CASE WHEN k.id IS NULL THEN c.value ELSE k.value END AS value,
  c.unit, c.raw, c.row_label, c.col_label,
  CASE WHEN k.id IS NULL THEN c.flags WHEN c.flags = '' THEN 'corrected' ELSE c.flags || ',corrected' END AS flags,
  c.page, c.line, c.x, c.y, c.confidence, c.value AS machine_value, k.id AS correction_id
FROM cells c JOIN documents d ON d.id = c.doc_id
LEFT JOIN corrections k ON k.current = 1 AND k.action <> 'revert'
  AND k.sha256 = d.sha256 AND k.tbl = c.tbl AND k.row_key = c.row_key AND k.col_key = c.col_key
UNION ALL
SELECT d.id, k.tbl, k.row_key, k.col_key, +k.value, tc.unit, CAST('' AS TEXT), tc.row_label, tc.col_label, 'corrected',
  CAST(NULL AS INTEGER), CAST(NULL AS INTEGER), CAST(NULL AS REAL), CAST(NULL AS REAL), CAST(NULL AS REAL), CAST(NULL AS NUMERIC), k.id
FROM corrections k JOIN documents d ON d.sha256 = k.sha256
JOIN template_cells tc ON tc.layout = d.layout AND tc.tbl = k.tbl AND tc.row_key = k.row_key AND tc.col_key = k.col_key
WHERE k.current = 1 AND k.action <> 'revert'
  AND NOT EXISTS (SELECT 1 FROM cells c WHERE c.doc_id = d.id AND c.tbl = k.tbl AND c.row_key = k.row_key AND c.col_key = k.col_key);
`

// cellValuesView10 is cell_values as step 10 (OCR confidence) wrote it,
// before corrections of cells the reader did not store applied: a
// released step never changes.
const cellValuesView10 = `DROP VIEW IF EXISTS cell_values;
CREATE VIEW cell_values AS
SELECT c.doc_id, c.tbl, c.row_key, c.col_key,
  CASE WHEN k.id IS NULL THEN c.value ELSE k.value END AS value,
  c.unit, c.raw, c.row_label, c.col_label,
  CASE WHEN k.id IS NULL THEN c.flags WHEN c.flags = '' THEN 'corrected' ELSE c.flags || ',corrected' END AS flags,
  c.page, c.line, c.x, c.y, c.confidence, c.value AS machine_value, k.id AS correction_id
FROM cells c JOIN documents d ON d.id = c.doc_id
LEFT JOIN corrections k ON k.current = 1 AND k.action <> 'revert'
  AND k.sha256 = d.sha256 AND k.tbl = c.tbl AND k.row_key = c.row_key AND k.col_key = c.col_key;
`

// templateCellsSchema lists the cells the layouts' templates define (a
// row's own columns, else every column of its table), written from the
// templates with template_rows: a correction may fill in one of them
// that the reader did not store. Legacy tables have no template: their
// rows are free text.
//
// Migration 12.
const templateCellsSchema = `CREATE TABLE IF NOT EXISTS template_cells (
  layout    TEXT NOT NULL,
  tbl       TEXT NOT NULL,
  row_key   TEXT NOT NULL,
  col_key   TEXT NOT NULL,
  row_label TEXT NOT NULL,                 -- the canonical printed labels
  col_label TEXT NOT NULL,
  unit      TEXT,                          -- the column's (万元), NULL for counts
  PRIMARY KEY (layout, tbl, row_key, col_key)
) WITHOUT ROWID;
` + cellValuesView

// cellValuesView8 is cell_values as step 8 (corrections) wrote it, before
// cells had a confidence: a released step never changes.
const cellValuesView8 = `DROP VIEW IF EXISTS cell_values;
CREATE VIEW cell_values AS
SELECT c.doc_id, c.tbl, c.row_key, c.col_key,
  CASE WHEN k.id IS NULL THEN c.value ELSE k.value END AS value,
  c.unit, c.raw, c.row_label, c.col_label,
  CASE WHEN k.id IS NULL THEN c.flags WHEN c.flags = '' THEN 'corrected' ELSE c.flags || ',corrected' END AS flags,
  c.page, c.line, c.x, c.y, c.value AS machine_value, k.id AS correction_id
FROM cells c JOIN documents d ON d.id = c.doc_id
LEFT JOIN corrections k ON k.current = 1 AND k.action <> 'revert'
  AND k.sha256 = d.sha256 AND k.tbl = c.tbl AND k.row_key = c.row_key AND k.col_key = c.col_key;
`

// ErrNoCell is returned by Correct for a cell the database does not hold
// and the template of its document's layout does not define (a row of a
// legacy table the reader did not store, a document not imported).
var ErrNoCell = errors.New("no such cell")

// ErrNoRecheck is returned when a correction would need the checks of its
// table run again and the store was opened without Options.Recheck.
var ErrNoRecheck = errors.New("the store was opened without Options.Recheck: the checks of a corrected table cannot be run again")

// target is what the database holds of the cell a correction names.
type target struct {
	docID    int64    // 0: the document is not in the database
	layout   string   // the document's
	machine  *float64 // the reader's value
	stored   bool     // the reader stored the cell
	template bool     // the template of the document's layout defines it
}

// applies reports whether a correction of the cell shows in cell_values.
func (t target) applies() bool { return t.docID != 0 && (t.stored || t.template) }

func findTarget(ctx context.Context, q querier, c govreport.Correction) (target, error) {
	var t target
	var layout sql.NullString
	var machine sql.NullFloat64
	err := q.QueryRowContext(ctx, `SELECT d.id, d.layout, c.value, c.doc_id IS NOT NULL,
			EXISTS (SELECT 1 FROM template_cells tc WHERE tc.layout = d.layout AND tc.tbl = ?1 AND tc.row_key = ?2 AND tc.col_key = ?3)
		FROM documents d LEFT JOIN cells c ON c.doc_id = d.id AND c.tbl = ?1 AND c.row_key = ?2 AND c.col_key = ?3
		WHERE d.sha256 = ?4`, c.Table, c.Row, c.Col, c.SHA256).Scan(&t.docID, &layout, &machine, &t.stored, &t.template)
	if errors.Is(err, sql.ErrNoRows) {
		return target{}, nil
	}
	t.layout, t.machine = layout.String, nullableFloat(machine)
	return t, err
}

// Correct records a person's correction of a cell of the document with
// sha256 c.SHA256, one the reader stored or one the template of the
// document's layout defines that it did not (a row it did not place:
// set it), and runs the checks of the cell's table again with the
// corrections applied, in one transaction. Time defaults to now; a
// confirmation takes the machine's value; Value of a revert is ignored.
func (s *Store) Correct(ctx context.Context, c govreport.Correction) error {
	if s.opt.Recheck == nil {
		return ErrNoRecheck
	}
	if err := validCorrection(&c); err != nil {
		return err
	}
	_, err := s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		t, err := findTarget(ctx, conn, c)
		switch {
		case err != nil:
			return false, err
		case t.docID == 0:
			return false, fmt.Errorf("%w: document %s is not in the database", ErrNoCell, short(c.SHA256))
		case !t.applies():
			why := "the template of layout " + orNone(t.layout) + " has no such cell"
			if t.layout == "legacy" {
				why = "a legacy table's rows are free text: only the cells the reader stored can be corrected"
			}
			return false, fmt.Errorf("%w: %s.%s.%s of document %s: the reader stored none and %s", ErrNoCell, c.Table, c.Row, c.Col, short(c.SHA256), why)
		}
		switch c.Action {
		case govreport.CorrectionConfirm:
			if !t.stored {
				return false, invalidf("%s.%s.%s: the reader stored no value to confirm: set one", c.Table, c.Row, c.Col)
			}
			c.Value = t.machine
		case govreport.CorrectionRevert:
			c.Value = nil
		}
		if _, err := addCorrection(ctx, conn, c, t.machine); err != nil {
			return false, err
		}
		return true, s.recheck(ctx, conn, t.docID, c.Table)
	})
	return err
}

func orNone(s string) string {
	if s == "" {
		return "(none)"
	}
	return s
}

// ImportCorrections records corrections made elsewhere (a colleague's
// export), each once: one already recorded (same cell, time, action and
// value) is skipped. A correction older than the cell's current one is
// kept as history. Corrections of documents this database does not hold,
// or of cells it neither stores nor finds in the template of the
// document's layout, are recorded too (they apply when the document is
// imported, or read so that the cell exists): absent counts them. The
// checks of every table touched are run again.
func (s *Store) ImportCorrections(ctx context.Context, cs []govreport.Correction) (added, skipped, absent int, err error) {
	if s.opt.Recheck == nil {
		return 0, 0, 0, ErrNoRecheck
	}
	for i := range cs {
		if err := validCorrection(&cs[i]); err != nil {
			return 0, 0, 0, &CorrectionError{Index: i, Err: err}
		}
	}
	_, err = s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		type table struct {
			doc int64
			tbl string
		}
		touched := map[table]bool{}
		var order []table
		for i, c := range cs {
			t, err := findTarget(ctx, conn, c)
			if err != nil {
				return false, err
			}
			if !t.applies() {
				absent++
			}
			if c.Action == govreport.CorrectionConfirm && c.Value == nil {
				if !t.stored {
					return false, &CorrectionError{Index: i, Err: invalidf("a confirmation of a cell this database does not hold needs its value")}
				}
				c.Value = t.machine
			}
			ok, err := addCorrection(ctx, conn, c, t.machine)
			if err != nil {
				return false, err
			}
			if !ok {
				skipped++
				continue
			}
			added++
			if tb := (table{t.docID, c.Table}); t.applies() && !touched[tb] {
				touched[tb] = true
				order = append(order, tb)
			}
		}
		for _, t := range order {
			if err := s.recheck(ctx, conn, t.doc, t.tbl); err != nil {
				return false, err
			}
		}
		return true, nil
	})
	if err != nil {
		return 0, 0, 0, err
	}
	return added, skipped, absent, nil
}

// CorrectionError is a correction ImportCorrections refused: the one at
// Index of those given.
type CorrectionError struct {
	Index int
	Err   error
}

func (e *CorrectionError) Error() string { return fmt.Sprintf("correction %d: %v", e.Index+1, e.Err) }
func (e *CorrectionError) Unwrap() error { return e.Err }

// ErrInvalid is wrapped by the error of a correction whose fields are
// wrong (a sha256 that is not one, an unknown action, a bad time).
var ErrInvalid = errors.New("invalid correction")

// invalid is an error of a correction's fields: its message is its own,
// it is ErrInvalid.
type invalid struct{ msg string }

func (e invalid) Error() string        { return e.msg }
func (e invalid) Is(target error) bool { return target == ErrInvalid }

func invalidf(format string, args ...any) error { return invalid{fmt.Sprintf(format, args...)} }

// validCorrection checks a correction's fields and fills its action and
// time when empty.
func validCorrection(c *govreport.Correction) error {
	if c.Action == "" {
		c.Action = govreport.CorrectionSet
	}
	switch {
	case len(c.SHA256) != 64 || strings.Trim(strings.ToLower(c.SHA256), "0123456789abcdef") != "":
		return invalidf("sha256 %q: want 64 hexadecimal digits", c.SHA256)
	case c.Table == "" || c.Row == "" || c.Col == "":
		return invalidf("table, row and column are required (got %q, %q, %q)", c.Table, c.Row, c.Col)
	case c.Action != govreport.CorrectionSet && c.Action != govreport.CorrectionConfirm && c.Action != govreport.CorrectionRevert:
		return invalidf("action %q: want set, confirm or revert", c.Action)
	}
	c.SHA256 = strings.ToLower(c.SHA256)
	if c.Time == "" {
		c.Time = time.Now().UTC().Format(time.RFC3339)
	} else if t, err := time.Parse(time.RFC3339, c.Time); err != nil {
		return invalidf("time %q: want RFC 3339 (2025-03-08T15:34:00Z)", c.Time)
	} else {
		c.Time = t.UTC().Format(time.RFC3339)
	}
	return nil
}

// addCorrection records c (machine: the cell's value now, nil when absent)
// and makes it the cell's current correction unless a later one exists.
// It reports false when the same correction was already recorded.
func addCorrection(ctx context.Context, q querier, c govreport.Correction, machine *float64) (bool, error) {
	var n int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM corrections WHERE sha256 = ? AND tbl = ? AND row_key = ? AND col_key = ?
		AND made_at = ? AND action = ? AND value IS ?`, c.SHA256, c.Table, c.Row, c.Col, c.Time, c.Action, numberPtr(c.Value)).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	var later int
	if err := q.QueryRowContext(ctx, `SELECT count(*) FROM corrections WHERE sha256 = ? AND tbl = ? AND row_key = ? AND col_key = ?
		AND current = 1 AND made_at > ?`, c.SHA256, c.Table, c.Row, c.Col, c.Time).Scan(&later); err != nil {
		return false, err
	}
	current := 1
	if later > 0 {
		current = 0
	} else if _, err := q.ExecContext(ctx, `UPDATE corrections SET current = 0 WHERE sha256 = ? AND tbl = ? AND row_key = ? AND col_key = ? AND current = 1`,
		c.SHA256, c.Table, c.Row, c.Col); err != nil {
		return false, err
	}
	_, err := q.ExecContext(ctx, `INSERT INTO corrections (sha256, tbl, row_key, col_key, action, value, machine, note, author, made_at, current)
		VALUES (?,?,?,?,?,?,?,?,?,?,?)`, c.SHA256, c.Table, c.Row, c.Col, c.Action, numberPtr(c.Value), numberPtr(machine), c.Note, c.Author, c.Time, current)
	return true, err
}

// recheck runs the checks of table tbl of a document again on its cells
// with the corrections applied, replacing the stored ones.
func (s *Store) recheck(ctx context.Context, q querier, docID int64, tbl string) error {
	if s.opt.Recheck == nil {
		return ErrNoRecheck
	}
	var layout sql.NullString
	if err := q.QueryRowContext(ctx, `SELECT layout FROM documents WHERE id = ?`, docID).Scan(&layout); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT row_key, col_key, value, flags FROM cell_values WHERE doc_id = ? AND tbl = ?`, docID, tbl)
	if err != nil {
		return err
	}
	var cells []govreport.Cell
	for rows.Next() {
		c := govreport.Cell{Table: tbl}
		var flags string
		if err := rows.Scan(&c.Row, &c.Col, &c.Value, &flags); err != nil {
			rows.Close()
			return err
		}
		c.Flags = splitFlags(flags)
		cells = append(cells, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if err := replaceChecks(ctx, q, docID, tbl, s.opt.Recheck(layout.String, cells)); err != nil {
		return err
	}
	// documents.checks_failed ranks a report's documents (rankDocs): keep it
	// true to the checks just stored.
	_, err = q.ExecContext(ctx, `UPDATE documents SET checks_failed = (SELECT count(*) FROM checks k WHERE k.doc_id = documents.id AND k.status = 'fail') WHERE id = ?`, docID)
	return err
}

// replaceChecks stores the checks of table tbl of a document.
func replaceChecks(ctx context.Context, q querier, docID int64, tbl string, checks []govreport.Check) error {
	if _, err := q.ExecContext(ctx, `DELETE FROM checks WHERE doc_id = ? AND tbl = ?`, docID, tbl); err != nil {
		return err
	}
	for _, c := range checks {
		if c.Table != tbl {
			continue
		}
		if _, err := q.ExecContext(ctx, `INSERT INTO checks (doc_id, rule, tbl, scope, status, left_value, right_value, detail) VALUES (?,?,?,?,?,?,?,?)`,
			docID, c.Rule, c.Table, c.Scope, c.Status, number(c.Left), number(c.Right), nullStr(c.Detail)); err != nil {
			return err
		}
	}
	return nil
}

// applyCorrections runs again, with the current corrections of the
// document's file applied, the checks of the tables they touch: Save
// calls it after writing a document's own cells and checks, so that a
// reparse keeps what a person corrected.
func (s *Store) applyCorrections(ctx context.Context, q querier, docID int64, d *govreport.Document) error {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT tbl FROM corrections WHERE sha256 = ? AND current = 1`, d.SHA256)
	if err != nil {
		return err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return err
		}
		tables = append(tables, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, t := range tables {
		if err := s.recheck(ctx, q, docID, t); err != nil {
			return fmt.Errorf("checks of corrected table %s: %w", t, err)
		}
	}
	return nil
}

func splitFlags(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

func nullableFloat(v sql.NullFloat64) *float64 {
	if !v.Valid {
		return nil
	}
	return &v.Float64
}

// numberPtr stores a value as number does (INTEGER for whole numbers).
func numberPtr(v *float64) any { return number(v) }

// short is the beginning of a sha256, to name a document in a message.
func short(sha string) string { return sha[:min(len(sha), 12)] }
