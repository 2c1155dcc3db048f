// Package store owns the SQLite database: its schema and every SQL
// statement that reads or writes documents, sections, cells and checks.
package store

import (
	"context"
	"database/sql"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-sqlite3" // the SQLite driver (cgo)

	"govreport"
	"govreport/store/segment"
)

//go:embed schema.sql
var schema string

// Options configure an open database.
type Options struct {
	// ParserVersion is recorded with every document saved ("unknown" when
	// empty): normalize.Version.
	ParserVersion string
	// Templates are the layouts whose tables the database holds: Open
	// writes their rows in printed order to template_rows and creates a
	// view per table (t2, t3, t4) with a column per column key, when the
	// database holds other templates' (a digest says); stats, export and
	// the checks across documents follow them. nil leaves template_rows
	// and the views as an earlier Open wrote them.
	Templates []*govreport.Template
	// Indicators map the rows of legacy statistics tables onto canonical
	// indicators (normalize.LegacyIndicators): Open writes them to
	// legacy_indicators, which the views legacy and measures read. nil
	// leaves them as an earlier Open wrote them.
	Indicators []govreport.Indicator
	// LegacyColumns are the words that tell a legacy table's this-year,
	// cumulative and previous-year columns (legacy.json's "table"): the
	// view legacy is written with them, with Templates, which need them.
	LegacyColumns govreport.LegacyColumns
	// IndexOnSave indexes every document saved for search (index and
	// keywords) in the document's transaction; otherwise IndexPending
	// does, later.
	IndexOnSave bool
	// Recheck evaluates the identities of a layout's tables on cells
	// (normalize.Check): the checks of a table a person corrected are run
	// again with it, when the correction is made and when the document is
	// saved again. nil: corrections cannot be made, and saving a document
	// that has some is an error.
	Recheck func(layout string, cells []govreport.Cell) []govreport.Check
	// ReadOnly opens the database for reading only (stats, export,
	// check, search on a read-only file): nothing is written, the file
	// must exist and its schema be current (ErrOutdated otherwise).
	ReadOnly bool
}

// Store is an open govreport database. It is safe for concurrent use:
// its writes go one at a time (a transaction that reads before it writes
// would otherwise fail when another commits in between).
type Store struct {
	db  *sql.DB
	opt Options
	wmu sync.Mutex // held by every write
}

// writing holds the write lock; call the function it returns to release it.
func (s *Store) writing() func() {
	s.wmu.Lock()
	return s.wmu.Unlock
}

// Open opens (creating if needed) the database at path, in WAL mode with
// foreign keys on. It brings the schema up to date and writes the
// templates' rows and views only when they differ from the database's
// (see setup): opening a current database writes nothing. With
// opt.ReadOnly the file is opened read-only and never created.
func Open(path string, opt Options) (*Store, error) {
	if opt.ParserVersion == "" {
		opt.ParserVersion = "unknown"
	}
	// Writers start with BEGIN IMMEDIATE (_txlock): a transaction that
	// read first and then wrote would fail at once with "database is
	// locked" when another process had committed in between, whatever
	// the busy timeout.
	dsn := "file:" + uriPath(path) + "?_foreign_keys=on&_busy_timeout=" + fmt.Sprint(busyTimeout.Milliseconds()) + "&_synchronous=NORMAL&_cache_size=-65536&_stmt_cache_size=64"
	if opt.ReadOnly {
		dsn += "&mode=ro"
	} else {
		dsn += "&_journal_mode=WAL&_txlock=immediate"
	}
	db, err := sql.Open("sqlite3", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	s := &Store{db: db, opt: opt}
	err = s.setup(context.Background())
	if err != nil && opt.ReadOnly && isReadOnly(err) && !walHolds(path) {
		// A WAL database in a folder we cannot write, its shared-memory
		// file gone: SQLite cannot set up its locks. With no write-ahead
		// log the file holds every commit; read it as it is.
		db.Close()
		if db, err = sql.Open("sqlite3", dsn+"&immutable=1"); err != nil {
			return nil, fmt.Errorf("open %s: %w", path, err)
		}
		s.db = db
		err = s.setup(context.Background())
	}
	if err == nil && !opt.ReadOnly {
		// Documents saved before their grouping into reports existed.
		if err = s.regroup(context.Background()); err != nil {
			err = fmt.Errorf("reports: %w", err)
		}
	}
	if err != nil {
		db.Close()
		if oserr := whyCannotOpen(path, opt.ReadOnly); oserr != nil && isReadOnly(err) {
			// SQLite says "unable to open database file: no such file or
			// directory" for a folder it may not write: say what is wrong.
			return nil, fmt.Errorf("open %s: %w", path, oserr)
		}
		if isReadOnly(err) {
			return nil, fmt.Errorf("open %s: %w (%v)", path, ErrReadOnly, err)
		}
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return s, nil
}

// whyCannotOpen asks the system why the database cannot be opened (for
// writing, unless readOnly): the file, or the folder where it or its
// write-ahead log would be created. nil when the system sees no reason.
func whyCannotOpen(path string, readOnly bool) error {
	flag := os.O_RDWR
	if readOnly {
		flag = os.O_RDONLY
	}
	bare := func(err error) error { // the path is said once, by the caller
		var pe *os.PathError
		if errors.As(err, &pe) {
			return pe.Err
		}
		return err
	}
	f, err := os.OpenFile(path, flag, 0)
	switch {
	case errors.Is(err, os.ErrNotExist) && !readOnly:
		f, err = os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o666)
		if err != nil {
			return fmt.Errorf("cannot create the database: %w", bare(err))
		}
		f.Close()
		os.Remove(path) // created here only to ask
		return nil
	case err != nil:
		return bare(err)
	}
	f.Close()
	if readOnly {
		return nil
	}
	// The write-ahead log lives beside the database.
	wal := path + "-wal"
	_, statErr := os.Stat(wal)
	f, err = os.OpenFile(wal, os.O_RDWR|os.O_CREATE, 0o666)
	if err != nil {
		return fmt.Errorf("its folder must be writable, for the write-ahead log: %w", bare(err))
	}
	f.Close()
	if errors.Is(statErr, os.ErrNotExist) {
		os.Remove(wal)
	}
	return nil
}

// IsReadOnly reports an error of a database that cannot be written: the
// file or its folder is read-only.
func IsReadOnly(err error) bool { return errors.Is(err, ErrReadOnly) || isReadOnly(err) }

// isReadOnly reports a write refused by SQLite because the file or its
// folder is read-only.
func isReadOnly(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen)
}

// walHolds reports whether the database's write-ahead log exists and is
// not empty: commits not yet in the database file.
func walHolds(path string) bool {
	fi, err := os.Stat(path + "-wal")
	return err == nil && fi.Size() > 0
}

// uriPath escapes what would end the path of a file: URI (?, #) and the
// escape character itself.
func uriPath(p string) string {
	return strings.NewReplacer("%", "%25", "?", "%3f", "#", "%23").Replace(p)
}

// busyTimeout is how long SQLite itself waits for another connection's
// lock before a statement fails with "database is locked"; writers then
// wait longer (retryBusy).
const busyTimeout = 30 * time.Second

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// DB gives read access for queries the package does not name (tests,
// analysts' tools).
func (s *Store) DB() *sql.DB { return s.db }

// Has reports whether a file with this sha256 is already stored.
func (s *Store) Has(ctx context.Context, sha string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE sha256 = ?`, sha).Scan(&n)
	return n > 0, err
}

// Stored returns the status and error of the document stored with this
// sha256; status is "" when there is none.
func (s *Store) Stored(ctx context.Context, sha string) (status, reason string, err error) {
	err = s.db.QueryRowContext(ctx, `SELECT status, coalesce(error, '') FROM documents WHERE sha256 = ?`, sha).Scan(&status, &reason)
	if errors.Is(err, sql.ErrNoRows) {
		return "", "", nil
	}
	return status, reason, err
}

// ErrExists is returned by Save for a document already stored when
// replace is false.
var ErrExists = errors.New("already imported")

// Save stores one document in one transaction: its row and all its
// sections (indexed for search), cells and checks, replacing an earlier
// import of the same file when replace is true.
func (s *Store) Save(ctx context.Context, d *govreport.Document, replace bool) (int64, error) {
	defer s.writing()()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	st, err := prepareSave(ctx, tx)
	if err != nil {
		return 0, err
	}
	defer st.close()
	id, err := s.save(ctx, tx, st, d, replace)
	if err != nil {
		return 0, err
	}
	if err := st.indexSections(ctx, tx); err != nil {
		return 0, err
	}
	return id, tx.Commit()
}

// SaveBatch stores several documents in one transaction, each one whole or
// not at all (a savepoint per document). errs[i] is document i's error;
// err is an error of the transaction itself, when nothing was stored.
// The insert statements are prepared once for the whole batch.
func (s *Store) SaveBatch(ctx context.Context, docs []*govreport.Document, replace bool) (errs []error, err error) {
	defer s.writing()()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	st, err := prepareSave(ctx, tx)
	if err != nil {
		return nil, err
	}
	defer st.close()
	errs = make([]error, len(docs))
	for i, d := range docs {
		if _, err := tx.ExecContext(ctx, `SAVEPOINT doc`); err != nil {
			return nil, err
		}
		unindexed := slices.Clone(st.unindexed)
		if _, errs[i] = s.save(ctx, tx, st, d, replace); errs[i] != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO doc`); err != nil {
				return nil, err
			}
			st.unindexed = unindexed // an indexing in the savepoint was undone too
		}
		if _, err := tx.ExecContext(ctx, `RELEASE doc`); err != nil {
			return nil, err
		}
	}
	if err := st.indexSections(ctx, tx); err != nil {
		return nil, err
	}
	return errs, tx.Commit()
}

// saveStmts are the statements of a save, prepared once per transaction,
// and the documents saved in it whose sections are not yet indexed.
type saveStmts struct {
	find, insert, update, section, cell, check *sql.Stmt
	unindexed                                  []int64
}

// indexSections puts the sections of the documents saved so far in the
// transaction into the trigram index (see sectionTextBatchSchema).
func (st *saveStmts) indexSections(ctx context.Context, tx *sql.Tx) error {
	err := indexSections(ctx, tx, st.unindexed)
	st.unindexed = st.unindexed[:0]
	return err
}

func prepareSave(ctx context.Context, tx *sql.Tx) (*saveStmts, error) {
	st := &saveStmts{}
	for _, p := range []struct {
		s   **sql.Stmt
		sql string
	}{
		{&st.find, `SELECT id FROM documents WHERE sha256 = ?`},
		{&st.insert, `INSERT INTO documents (sha256, source, format, title, agency, year, layout, published, status, error, pages, parser_version, imported_at, meta, warnings, attachments, agency_id, published_from, values_found, sections_found, doubtful_cells, checks_failed, signature)
			VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`},
		{&st.update, `UPDATE documents SET sha256=?, source=?, format=?, title=?, agency=?, year=?, layout=?, published=?, status=?, error=?, pages=?, parser_version=?, imported_at=?, meta=?, warnings=?, attachments=?, agency_id=?, published_from=?, values_found=?, sections_found=?, doubtful_cells=?, checks_failed=?, signature=? WHERE id=?`},
		{&st.section, `INSERT INTO sections (doc_id, number, key, heading, missing, line, text) VALUES (?,?,?,?,?,?,?)`},
		{&st.cell, `INSERT INTO cells (doc_id, tbl, row_key, col_key, value, unit, raw, row_label, col_label, flags, page, line, x, y, confidence) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`},
		{&st.check, `INSERT INTO checks (doc_id, rule, tbl, scope, status, left_value, right_value, detail) VALUES (?,?,?,?,?,?,?,?)`},
	} {
		var err error
		if *p.s, err = tx.PrepareContext(ctx, p.sql); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

func (st *saveStmts) close() {
	for _, s := range []*sql.Stmt{st.find, st.insert, st.update, st.section, st.cell, st.check} {
		if s != nil {
			s.Close()
		}
	}
}

// save writes one document with the statements st of transaction tx.
func (s *Store) save(ctx context.Context, tx *sql.Tx, st *saveStmts, d *govreport.Document, replace bool) (int64, error) {
	var id int64
	err := st.find.QueryRowContext(ctx, d.SHA256).Scan(&id)
	switch {
	case err == nil && !replace:
		return id, ErrExists
	case err == nil:
		if slices.Contains(st.unindexed, id) {
			// saved earlier in this transaction (the same file twice):
			// the trigger that takes its sections out of the index
			// needs them in it.
			if err := st.indexSections(ctx, tx); err != nil {
				return 0, err
			}
		}
		for _, t := range []string{"sections", "cells", "checks"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+t+` WHERE doc_id = ?`, id); err != nil {
				return 0, err
			}
		}
		if err := deleteIndex(ctx, tx, id); err != nil {
			return 0, err
		}
	case errors.Is(err, sql.ErrNoRows):
		id = 0
	default:
		return 0, err
	}
	meta, _ := json.Marshal(d.Meta)
	warn, _ := json.Marshal(d.Warnings)
	att, _ := json.Marshal(d.Attachments)
	now := time.Now().UTC().Format(time.RFC3339)
	agencyID, err := saveAgency(ctx, tx, d)
	if err != nil {
		return 0, fmt.Errorf("agency: %w", err)
	}
	args := []any{d.SHA256, d.Source, d.Format, d.Title, d.Agency, nullInt(d.Year), nullStr(d.Layout), nullStr(d.Published), d.Status, nullStr(d.Error), nullInt(d.Pages), s.opt.ParserVersion, now, string(meta), string(warn), string(att),
		nullID(agencyID), nullStr(d.PublishedFrom)}
	values, sections, doubtful, failed := completeness(d)
	args = append(args, values, sections, doubtful, failed, signature(d))
	if id == 0 {
		res, err := st.insert.ExecContext(ctx, args...)
		if err != nil {
			return 0, err
		}
		id, _ = res.LastInsertId()
	} else if _, err := st.update.ExecContext(ctx, append(args, id)...); err != nil {
		return 0, err
	}
	for _, x := range d.Sections {
		if _, err := st.section.ExecContext(ctx, id, x.Number, x.Key, x.Heading, x.Missing, nullInt(x.Line), x.Text); err != nil {
			return 0, fmt.Errorf("section %d: %w", x.Number, err)
		}
	}
	for _, c := range d.Cells {
		if _, err := st.cell.ExecContext(ctx, id, c.Table, c.Row, c.Col, number(c.Value), nullStr(c.Unit), c.Raw, c.RowLabel, c.ColLabel, strings.Join(c.Flags, ","),
			nullInt(c.Pos.Page), nullInt(c.Pos.Line), nullFloat(c.Pos.X), nullFloat(c.Pos.Y), confidence(c)); err != nil {
			return 0, fmt.Errorf("cell %s.%s.%s: %w", c.Table, c.Row, c.Col, err)
		}
	}
	for _, c := range d.Checks {
		if _, err := st.check.ExecContext(ctx, id, c.Rule, c.Table, c.Scope, c.Status, number(c.Left), number(c.Right), nullStr(c.Detail)); err != nil {
			return 0, err
		}
	}
	if err := s.applyCorrections(ctx, tx, id, d); err != nil {
		return 0, err
	}
	if err := group(ctx, tx, id, agencyID, d.Year, d.Status); err != nil {
		return 0, fmt.Errorf("report: %w", err)
	}
	if s.opt.IndexOnSave {
		seg, err := segment.Default()
		if err != nil {
			return 0, err
		}
		if err := indexDoc(ctx, tx, seg, id); err != nil {
			return 0, err
		}
	}
	st.unindexed = append(st.unindexed, id)
	return id, nil
}

// number stores counts as INTEGER and amounts as REAL.
func number(v *float64) any {
	if v == nil {
		return nil
	}
	if *v == math.Trunc(*v) && math.Abs(*v) < 1<<53 {
		return int64(*v)
	}
	return *v
}

func nullInt(n int) any {
	if n == 0 {
		return nil
	}
	return n
}

func nullFloat(f float64) any {
	if f == 0 {
		return nil
	}
	return f
}

// confidence is an OCR cell's confidence, NULL for a cell not read by OCR.
func confidence(c govreport.Cell) any {
	if !c.HasFlag(govreport.FlagOCR) {
		return nil
	}
	return c.Confidence
}

func nullStr(s string) any {
	if s == "" {
		return nil
	}
	return s
}
