package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"govreport"
	"govreport/store"
)

func layoutOptions(t testing.TB) store.Options {
	return store.Options{ParserVersion: "test", Templates: store.LayoutTemplates(t), LegacyColumns: store.LegacyColumnWords(t)}
}

// holdWriteLock opens a connection of its own that takes the database's
// write lock (BEGIN IMMEDIATE) and keeps it until the test ends, as
// another process's import would.
func holdWriteLock(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(context.Background(), `BEGIN IMMEDIATE`); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		conn.ExecContext(context.Background(), `ROLLBACK`)
		conn.Close()
		db.Close()
	})
}

// Opening a current database writes nothing: it opens, and reads, while
// another connection holds the write lock (each open used to drop and
// recreate the views, failing with "view t3 already exists" or "database
// is locked" beside a running import).
func TestOpenWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(path, layoutOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Save(context.Background(), doc("one", 1), false); err != nil {
		t.Fatal(err)
	}
	st.Close()
	holdWriteLock(t, path)
	for _, ro := range []bool{false, true} {
		opt := layoutOptions(t)
		opt.ReadOnly = ro
		st, err := store.Open(path, opt)
		if err != nil {
			t.Fatalf("open (read-only %v) beside a writer: %v", ro, err)
		}
		if s, err := st.Stats(context.Background()); err != nil || s.Documents != 1 {
			t.Errorf("stats beside a writer: %+v, %v", s, err)
		}
		st.Close()
	}
}

// The views and template_rows are written again when the templates
// change, not otherwise; a read-only open of an outdated schema says so.
func TestOpenRewritesOnlyOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.db")
	st, err := store.Open(path, layoutOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	// A marker in template_rows survives an open with the same templates…
	if _, err := st.DB().Exec(`INSERT INTO template_rows (layout, tbl, row_key, ord, label) VALUES ('mark', 't3', 'x', 1, 'x')`); err != nil {
		t.Fatal(err)
	}
	st.Close()
	st, err = store.Open(path, layoutOptions(t))
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, st.DB(), `SELECT count(*) FROM template_rows WHERE layout = 'mark'`); n != 1 {
		t.Error("an open with the same templates rewrote template_rows")
	}
	st.Close()
	// …and not one with other templates.
	opt := layoutOptions(t)
	opt.Templates = opt.Templates[:1]
	st, err = store.Open(path, opt)
	if err != nil {
		t.Fatal(err)
	}
	if n := count(t, st.DB(), `SELECT count(*) FROM template_rows WHERE layout = 'mark'`); n != 0 {
		t.Error("an open with other templates kept the old template_rows")
	}
	st.Close()

	// A database of an older schema (here, none yet), opened read-only.
	path = filepath.Join(t.TempDir(), "old.db")
	if _, err := sqlExec(path, `CREATE TABLE other (x)`); err != nil {
		t.Fatal(err)
	}
	ro := layoutOptions(t)
	ro.ReadOnly = true
	if _, err := store.Open(path, ro); !errors.Is(err, store.ErrOutdated) {
		t.Errorf("read-only open of an old schema: %v, want ErrOutdated", err)
	}
	st, err = store.Open(path, layoutOptions(t))
	if err != nil {
		t.Fatalf("writable open of an old schema: %v", err)
	}
	st.Close()
	if st, err = store.Open(path, ro); err != nil {
		t.Fatalf("read-only open once upgraded: %v", err)
	}
	st.Close()
}

func sqlExec(path, q string) (sql.Result, error) {
	db, err := sql.Open("sqlite3", "file:"+path)
	if err != nil {
		return nil, err
	}
	defer db.Close()
	return db.Exec(q)
}

func count(t *testing.T, db *sql.DB, q string) int {
	t.Helper()
	var n int
	if err := db.QueryRow(q).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// doc is a small document with a table row of cells.
func doc(name string, year int) *govreport.Document {
	v := func(f float64) *float64 { return &f }
	return &govreport.Document{
		SHA256: name, Source: name + ".txt", Format: "txt", Status: "ok", Agency: "某局", Year: year, Layout: "2021",
		Sections: []govreport.Section{{Number: 1, Key: "overview", Heading: "一、总体情况", Text: "依申请公开 " + name}},
		Cells:    cells(v),
		Checks:   []govreport.Check{{Rule: "t3_row_total", Table: "t3", Scope: "new_received", Status: "pass", Left: v(3), Right: v(3)}},
	}
}

// cells are a table of 20 rows of 8 values.
func cells(v func(float64) *float64) []govreport.Cell {
	var out []govreport.Cell
	for r := range 20 {
		for c := range 8 {
			out = append(out, govreport.Cell{Table: "t3", Row: fmt.Sprintf("r%d", r), Col: fmt.Sprintf("c%d", c), Value: v(float64(r * c))})
		}
	}
	return out
}

// The bounded stress test: two writers (each its own connections, as two
// import processes have) save batches while a reader searches (indexing
// what is new, a writer too) and reads stats; every document is stored
// and no operation fails.
func TestTwoWritersAndAReader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "s.db")
	const writers, batches, per = 2, 12, 32
	open := func() *store.Store {
		st, err := store.Open(path, layoutOptions(t))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	first := open()
	defer first.Close()
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 1000)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := open()
			defer st.Close()
			for b := range batches {
				docs := make([]*govreport.Document, per)
				for i := range docs {
					docs[i] = doc(fmt.Sprintf("w%d-b%d-d%d", w, b, i), 2020+i%4)
				}
				res, err := st.SaveBatch(ctx, docs, false)
				if err != nil {
					errs <- fmt.Errorf("writer %d batch %d: %w", w, b, err)
					continue
				}
				for i, e := range res {
					if e != nil {
						errs <- fmt.Errorf("writer %d batch %d doc %d: %w", w, b, i, e)
					}
				}
			}
		}()
	}
	writing := make(chan struct{})
	done := make(chan struct{})
	reads := 0
	go func() {
		defer close(done)
		st := open()
		defer st.Close()
		for {
			select {
			case <-writing:
				return
			case <-time.After(20 * time.Millisecond):
			}
			if _, err := st.IndexPending(ctx, nil); err != nil {
				errs <- fmt.Errorf("index: %w", err)
			}
			if _, err := st.Search(ctx, store.SearchQuery{Query: "依申请公开"}); err != nil {
				errs <- fmt.Errorf("search: %w", err)
			}
			if _, err := st.Stats(ctx); err != nil {
				errs <- fmt.Errorf("stats: %w", err)
			}
			reads++
		}
	}()
	wg.Wait()
	close(writing)
	<-done
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := count(t, first.DB(), `SELECT count(*) FROM documents`); n != writers*batches*per {
		t.Errorf("%d documents stored, want %d", n, writers*batches*per)
	}
	if reads == 0 {
		t.Error("the reader never ran")
	}
	t.Logf("%d rounds of reads", reads)
}
