package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"time"

	"govreport"
)

// Store implements the crawler's frontier.
var _ govreport.Frontier = (*Store)(nil)

// crawlSchema keeps the crawler's state beside the documents: the
// frontier (every URL it means to fetch, with its state) and a log of
// every fetch it made. Migration 2.
const crawlSchema = `CREATE TABLE IF NOT EXISTS crawl_frontier (
  id          INTEGER PRIMARY KEY,
  url         TEXT NOT NULL UNIQUE,
  kind        TEXT NOT NULL,               -- listing, detail, attachment
  agency      TEXT,                        -- from the seeds file
  seed        TEXT NOT NULL,               -- the listing URL it descends from
  depth       INTEGER NOT NULL DEFAULT 0,  -- links followed from the seed
  year        INTEGER,                     -- the year named by the link, when any
  parent      TEXT,                        -- the page that linked it
  state       TEXT NOT NULL DEFAULT 'pending', -- pending, active, done, error, skipped
  error_kind  TEXT,                        -- robots, timeout, too_large, redirect, http, network, …
  error       TEXT,
  added_at    TEXT NOT NULL,               -- UTC, RFC 3339
  updated_at  TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS crawl_frontier_state ON crawl_frontier(state);
CREATE TABLE IF NOT EXISTS crawl_fetches (
  id            INTEGER PRIMARY KEY,
  url           TEXT NOT NULL,
  final_url     TEXT,                      -- after redirects
  status        INTEGER,                   -- HTTP status; NULL when no response
  attempts      INTEGER NOT NULL DEFAULT 1,
  bytes         INTEGER,
  sha256        TEXT,
  path          TEXT,                      -- stored file, relative to the store directory
  content_type  TEXT,
  etag          TEXT,
  last_modified TEXT,
  fetched_at    TEXT NOT NULL,             -- UTC, RFC 3339
  error_kind    TEXT,
  error         TEXT
);
CREATE INDEX IF NOT EXISTS crawl_fetches_url ON crawl_fetches(url);`

// crawlListedSchema keeps, per frontier entry, the date printed beside
// its link on the listing page (offered to the import as the publication
// date when the report states none) and the site adapter that reads a
// listing page only it can read. Migration 5.
const crawlListedSchema = `ALTER TABLE crawl_frontier ADD COLUMN listed TEXT;   -- YYYY-MM-DD beside the link on the listing page
ALTER TABLE crawl_frontier ADD COLUMN adapter TEXT;                              -- the site adapter reading this listing page`

func crawlNow() string { return time.Now().UTC().Format(time.RFC3339) }

const frontierCols = `url, kind, coalesce(agency,''), seed, depth, coalesce(year,0), coalesce(parent,''), coalesce(listed,''), coalesce(adapter,''), state, coalesce(error_kind,''), coalesce(error,'')`

func scanFrontier(row interface{ Scan(...any) error }) (*govreport.FrontierEntry, error) {
	var e govreport.FrontierEntry
	if err := row.Scan(&e.URL, &e.Kind, &e.Agency, &e.Seed, &e.Depth, &e.Year, &e.Parent, &e.Listed, &e.Adapter, &e.State, &e.ErrorKind, &e.Error); err != nil {
		return nil, err
	}
	return &e, nil
}

// AddFrontier adds entries not yet known (by URL) as pending and reports
// how many were new.
func (s *Store) AddFrontier(ctx context.Context, es ...govreport.FrontierEntry) (int, error) {
	defer s.writing()()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	n, err := addFrontierTx(ctx, tx, es)
	if err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

func addFrontierTx(ctx context.Context, tx *sql.Tx, es []govreport.FrontierEntry) (int, error) {
	n := 0
	t := crawlNow()
	for _, e := range es {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO crawl_frontier (url, kind, agency, seed, depth, year, parent, listed, adapter, state, added_at, updated_at)
			VALUES (?,?,?,?,?,?,?,?,?,'pending',?,?)`, e.URL, e.Kind, nullStr(e.Agency), e.Seed, e.Depth, nullInt(e.Year), nullStr(e.Parent), nullStr(e.Listed), nullStr(e.Adapter), t, t)
		if err != nil {
			return n, err
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	return n, nil
}

// ResumeFrontier prepares a new run over the entries descending from
// seeds: entries left active by a run that died go back to pending, as do
// entries that failed with one of the retryable error kinds, and, when
// revisit is true, listing pages already done (to find reports published
// since).
func (s *Store) ResumeFrontier(ctx context.Context, seeds []string, revisit bool, retryKinds ...string) error {
	defer s.writing()()
	js, _ := json.Marshal(seeds)
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	t := crawlNow()
	if _, err := tx.ExecContext(ctx, `UPDATE crawl_frontier SET state='pending', updated_at=? WHERE state='active' AND `+inSeeds, t, string(js)); err != nil {
		return err
	}
	for _, k := range retryKinds {
		if _, err := tx.ExecContext(ctx, `UPDATE crawl_frontier SET state='pending', error_kind=NULL, error=NULL, updated_at=? WHERE state='error' AND error_kind=? AND `+inSeeds, t, k, string(js)); err != nil {
			return err
		}
	}
	if revisit {
		if _, err := tx.ExecContext(ctx, `UPDATE crawl_frontier SET state='pending', updated_at=? WHERE state='done' AND kind='listing' AND `+inSeeds, t, string(js)); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// inSeeds restricts a statement to the entries of the seeds given as a
// JSON array.
const inSeeds = `seed IN (SELECT value FROM json_each(?))`

// ClaimFrontier marks the next pending entry descending from one of seeds
// active and returns it, or nil when none is pending. Listing pages come
// first, then detail pages, then attachments, each in the order found.
func (s *Store) ClaimFrontier(ctx context.Context, seeds []string) (*govreport.FrontierEntry, error) {
	defer s.writing()()
	js, _ := json.Marshal(seeds)
	row := s.db.QueryRowContext(ctx, `UPDATE crawl_frontier SET state='active', updated_at=?
		WHERE id = (SELECT id FROM crawl_frontier WHERE state='pending' AND `+inSeeds+`
			ORDER BY CASE kind WHEN 'listing' THEN 0 WHEN 'detail' THEN 1 ELSE 2 END, id LIMIT 1)
		RETURNING `+frontierCols, crawlNow(), string(js))
	e, err := scanFrontier(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// FinishFrontier sets an entry's final state for this run (done, error,
// skipped) and adds the entries found on it, in one transaction: a crawl
// killed before it commits does the entry again.
func (s *Store) FinishFrontier(ctx context.Context, url, state, errKind, errMsg string, found []govreport.FrontierEntry) error {
	defer s.writing()()
	tx, err := s.beginWrite(ctx)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := addFrontierTx(ctx, tx, found); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE crawl_frontier SET state=?, error_kind=?, error=?, updated_at=? WHERE url=?`,
		state, nullStr(errKind), nullStr(errMsg), crawlNow(), url); err != nil {
		return err
	}
	return tx.Commit()
}

// FrontierEntry returns the entry for url, or nil.
func (s *Store) FrontierEntry(ctx context.Context, url string) (*govreport.FrontierEntry, error) {
	e, err := scanFrontier(s.db.QueryRowContext(ctx, `SELECT `+frontierCols+` FROM crawl_frontier WHERE url=?`, url))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return e, err
}

// CountFrontier counts a seed's entries of one kind (all kinds when kind
// is empty).
func (s *Store) CountFrontier(ctx context.Context, seed, kind string) (int, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM crawl_frontier WHERE seed=? AND (?='' OR kind=?)`, seed, kind, kind).Scan(&n)
	return n, err
}

// FrontierStates counts entries by state.
func (s *Store) FrontierStates(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT state, count(*) FROM crawl_frontier GROUP BY state`)
}

// RecordFetch logs one fetch.
func (s *Store) RecordFetch(ctx context.Context, f govreport.Fetch) error {
	defer s.writing()()
	if f.FetchedAt.IsZero() {
		f.FetchedAt = time.Now()
	}
	if f.Attempts == 0 {
		f.Attempts = 1
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO crawl_fetches (url, final_url, status, attempts, bytes, sha256, path, content_type, etag, last_modified, fetched_at, error_kind, error)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`,
		f.URL, nullStr(f.FinalURL), nullInt(f.Status), f.Attempts, crawlNullInt64(f.Bytes, f.SHA256 != ""), nullStr(f.SHA256), nullStr(f.Path), nullStr(f.ContentType),
		nullStr(f.ETag), nullStr(f.LastModified), f.FetchedAt.UTC().Format(time.RFC3339Nano), nullStr(f.ErrorKind), nullStr(f.Error))
	return err
}

// LastStored returns the latest fetch of url whose body was stored, or nil:
// the file to reuse and the validators for a conditional request.
func (s *Store) LastStored(ctx context.Context, url string) (*govreport.Fetch, error) {
	var f govreport.Fetch
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT url, coalesce(final_url,''), coalesce(status,0), attempts, coalesce(bytes,0), sha256, path, coalesce(content_type,''),
			coalesce(etag,''), coalesce(last_modified,''), fetched_at
		FROM crawl_fetches WHERE url=? AND path IS NOT NULL ORDER BY id DESC LIMIT 1`, url).
		Scan(&f.URL, &f.FinalURL, &f.Status, &f.Attempts, &f.Bytes, &f.SHA256, &f.Path, &f.ContentType, &f.ETag, &f.LastModified, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	f.FetchedAt, _ = time.Parse(time.RFC3339Nano, at)
	return &f, nil
}

// FetchErrors counts the fetches that failed, by error kind.
func (s *Store) FetchErrors(ctx context.Context) (map[string]int, error) {
	return s.countBy(ctx, `SELECT error_kind, count(*) FROM crawl_fetches WHERE error_kind IS NOT NULL GROUP BY error_kind`)
}

func crawlNullInt64(n int64, valid bool) any {
	if !valid && n == 0 {
		return nil
	}
	return n
}
