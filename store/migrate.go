package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/mattn/go-sqlite3"
)

// migrations are the steps of the schema, in order: step i+1 brings a
// database at PRAGMA user_version i to i+1. Each is applied once (Open
// applies the missing ones in one transaction, with user_version). A
// step, once released, never changes: a change to the schema is a new
// step at the end.
//
// Steps 1–4 are idempotent (IF NOT EXISTS, DROP VIEW IF EXISTS): databases
// written before the steps were numbered are at user_version 0 and hold
// some of their tables already.
var migrations = [...]struct {
	name, sql string
	fn        func(ctx context.Context, q querier) error // after sql, in its transaction; nil: none
}{
	{"documents, sections, cells, checks, template_rows", schema, nil},
	{"crawl frontier and fetch log", crawlSchema, nil},
	{"search index and keywords", searchSchema, nil},
	{"measures view", measuresStep4, nil},
	{"listing date and adapter of frontier entries", crawlListedSchema, nil},
	{"agencies, reports, legacy indicators", reportsSchema, groupAll},
	{"trigram index of section texts", sectionTextSchema, nil},
	{"corrections", correctionsSchema, nil},
	{"settings (the templates' digest)", settingsSchema, nil},
	{"OCR confidence of cells", confidenceSchema, nil},
	{"trigram index written once per transaction", sectionTextBatchSchema, nil},
	{"template cells: corrections of cells the reader did not store", templateCellsSchema, nil},
}

// confidenceSchema keeps Tesseract's confidence (0–100) of the cells read
// by OCR (flag ocr); NULL for every other cell.
const confidenceSchema = `ALTER TABLE cells ADD COLUMN confidence REAL;
` + cellValuesView10

// settingsSchema keeps what Open must know to leave the database alone:
// the digest of the templates and indicators the views, template_rows and
// legacy_indicators were written from (key 'templates').
const settingsSchema = `CREATE TABLE IF NOT EXISTS settings (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);`

// settingsStep is the step that creates the settings table.
const settingsStep = 9

// ErrOutdated is Open's error for a database opened read-only whose schema
// is older than this version's: it must be opened writable once to be
// brought up to date.
var ErrOutdated = errors.New("the database's schema is older than this govreport's")

// setup brings the schema up to date and writes the templates' rows, the
// legacy indicators and the views, only when the schema version or their
// digest differ from the database's: an open that finds them current
// writes nothing, so that any number of processes can open the database
// at once, and a read-only one can be read. The changes go in one
// transaction that holds the write lock from its start (BEGIN IMMEDIATE):
// two processes opening an old database at once apply each change once.
func (s *Store) setup(ctx context.Context) error {
	want := ""
	if s.opt.Templates != nil {
		var err error
		if want, err = templatesDigest(s.opt); err != nil {
			return err
		}
	}
	current := func(q queryRower) (bool, error) {
		v, digest, err := schemaState(ctx, q)
		switch {
		case err != nil:
			return false, err
		case v > len(migrations):
			return false, fmt.Errorf("schema version %d: written by a newer govreport (this one knows %d)", v, len(migrations))
		case v < len(migrations) && s.opt.ReadOnly:
			return false, fmt.Errorf("%w (version %d, want %d) and it is opened read-only: open it once with a command that writes (import, index) to upgrade it", ErrOutdated, v, len(migrations))
		}
		return v == len(migrations) && (want == "" || digest == want || s.opt.ReadOnly), nil
	}
	if ok, err := current(s.db); ok || err != nil {
		return err
	}
	_, err := s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
		if ok, err := current(conn); ok || err != nil {
			return true, err
		}
		var v int
		if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
			return false, err
		}
		for ; v < len(migrations); v++ {
			m := migrations[v]
			if _, err := conn.ExecContext(ctx, m.sql); err != nil {
				return false, fmt.Errorf("schema: step %d (%s): %w", v+1, m.name, err)
			}
			if m.fn != nil {
				if err := m.fn(ctx, conn); err != nil {
					return false, fmt.Errorf("schema: step %d (%s): %w", v+1, m.name, err)
				}
			}
			// PRAGMA takes no parameters; v+1 is an int.
			if _, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1)); err != nil {
				return false, err
			}
		}
		if want == "" {
			return true, nil
		}
		if err := s.writeTemplates(ctx, conn, s.opt.Templates); err != nil {
			return false, fmt.Errorf("templates: %w", err)
		}
		_, err := conn.ExecContext(ctx, `INSERT OR REPLACE INTO settings (key, value) VALUES ('templates', ?)`, want)
		return true, err
	})
	return err
}

type queryRower interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// schemaState reads the database's schema version and the digest of the
// templates its views were written from ("" when none).
func schemaState(ctx context.Context, q queryRower) (version int, digest string, err error) {
	if err := q.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return 0, "", err
	}
	if version < settingsStep {
		return version, "", nil // no settings table yet
	}
	err = q.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = 'templates'`).Scan(&digest)
	if errors.Is(err, sql.ErrNoRows) {
		err = nil
	}
	return version, digest, err
}

// immediate runs f in a transaction that holds SQLite's write lock from
// its start (BEGIN IMMEDIATE), so that what f reads is still true when it
// writes, whatever other processes do; it waits for other processes'
// writes (retryBusy).
func (s *Store) immediate(ctx context.Context, f func(conn *sql.Conn) (bool, error)) (bool, error) {
	defer s.writing()()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if err := retryBusy(ctx, func() error {
		_, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`)
		return err
	}); err != nil {
		return false, err
	}
	done, err := f(conn)
	if err != nil {
		conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
		return false, err
	}
	_, err = conn.ExecContext(ctx, `COMMIT`)
	return done, err
}

// busyWait bounds how long a writer waits for another process's write
// transaction, beyond SQLite's own busy timeout (busyTimeout in the DSN),
// before it gives up: long enough for any transaction of govreport (a
// batch of documents, a batch of the search index) to end.
const busyWait = 10 * time.Minute

// isBusy reports a write refused because another connection holds the
// database's write lock.
func isBusy(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && (se.Code == sqlite3.ErrBusy || se.Code == sqlite3.ErrLocked)
}

// retryBusy runs begin, the start of a write transaction, again while it
// fails because another process writes, for up to busyWait. Only the
// start is retried: once a transaction holds the write lock (BEGIN
// IMMEDIATE), its statements and commit do not wait for anyone.
func retryBusy(ctx context.Context, begin func() error) error {
	deadline := time.Now().Add(busyWait)
	for pause := 50 * time.Millisecond; ; pause = min(2*pause, 2*time.Second) {
		err := begin()
		if err == nil || !isBusy(err) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// beginWrite starts a write transaction (BEGIN IMMEDIATE: the connections
// of a writable Store are opened with _txlock=immediate), waiting for
// other processes' writes.
func (s *Store) beginWrite(ctx context.Context) (*sql.Tx, error) {
	var tx *sql.Tx
	err := retryBusy(ctx, func() error {
		var err error
		tx, err = s.db.BeginTx(ctx, nil)
		return err
	})
	return tx, err
}
