package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations are the steps of the schema, in order: step i+1 brings a
// database at PRAGMA user_version i to i+1. Each is applied once, in a
// transaction that also sets user_version. A step, once released, never
// changes: a change to the schema is a new step at the end.
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
}

// migrate applies the steps the database has not had.
func (s *Store) migrate(ctx context.Context) error {
	for {
		done, err := s.immediate(ctx, func(conn *sql.Conn) (bool, error) {
			var v int
			if err := conn.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
				return false, err
			}
			if v >= len(migrations) {
				return true, nil
			}
			m := migrations[v]
			if _, err := conn.ExecContext(ctx, m.sql); err != nil {
				return false, fmt.Errorf("step %d (%s): %w", v+1, m.name, err)
			}
			if m.fn != nil {
				if err := m.fn(ctx, conn); err != nil {
					return false, fmt.Errorf("step %d (%s): %w", v+1, m.name, err)
				}
			}
			// PRAGMA takes no parameters; v+1 is an int.
			_, err := conn.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, v+1))
			return false, err
		})
		if err != nil || done {
			return err
		}
	}
}

// immediate runs f in a transaction that holds SQLite's write lock from
// its start (BEGIN IMMEDIATE), so that what f reads is still true when it
// writes, whatever other processes do: two processes opening a new
// database at once apply each step once.
func (s *Store) immediate(ctx context.Context, f func(conn *sql.Conn) (bool, error)) (bool, error) {
	defer s.writing()()
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return false, err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN IMMEDIATE`); err != nil {
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
