package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"govreport/store"
)

// sendLog records when the crawler sends each request, by host.
type sendLog struct {
	mu    sync.Mutex
	sends map[string][]time.Time
	next  http.RoundTripper
}

func (l *sendLog) RoundTrip(r *http.Request) (*http.Response, error) {
	l.mu.Lock()
	l.sends[r.URL.Host] = append(l.sends[r.URL.Host], time.Now())
	if os.Getenv("CRAWL_DEBUG") != "" {
		fmt.Println(time.Now().Format("05.000000"), r.URL)
	}
	l.mu.Unlock()
	return l.next.RoundTrip(r)
}

// minGap is the shortest time between two requests sent to one host.
func (l *sendLog) minGap() (time.Duration, string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	best, where := time.Duration(1<<62), ""
	for host, ts := range l.sends {
		for i := 1; i < len(ts); i++ {
			if d := ts[i].Sub(ts[i-1]); d < best {
				best, where = d, host
			}
		}
	}
	return best, where
}

// localOnly is a transport that refuses anything but the loopback
// fixture servers (no test reaches the internet) and logs when each
// request is sent.
func localOnly() (*http.Client, *sendLog) {
	d := &net.Dialer{Timeout: 2 * time.Second}
	l := &sendLog{sends: map[string][]time.Time{}, next: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, _ := net.SplitHostPort(addr)
			if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
				return nil, errors.New("test transport: only loopback hosts")
			}
			return d.DialContext(ctx, network, addr)
		},
	}}
	return &http.Client{Transport: l}, l
}

const testRate = 20 // requests per second per host

func testConfig(t *testing.T, st *store.Store, dir string) Config {
	return Config{
		Store: st, Dir: dir, Rate: testRate, Concurrency: 4,
		Timeout: 3 * time.Second, Retries: 1, Backoff: 20 * time.Millisecond,
		MaxBytes: 2 << 20, Revisit: true,
	}
}

func openTestStore(t *testing.T) (*store.Store, string) {
	t.Helper()
	tmp := t.TempDir()
	st, err := store.Open(filepath.Join(tmp, "crawl.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st, filepath.Join(tmp, "store")
}

func query[T any](t *testing.T, st *store.Store, q string, args ...any) T {
	t.Helper()
	var v T
	if err := st.DB().QueryRow(q, args...).Scan(&v); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return v
}

// reportURLs are the files the fixture site's reports live in: three HTML
// report pages, two PDFs (one on the other host) and a .docx that is
// stored but not parsed.
func reportURLs(s *site) []string {
	return []string{
		s.main.URL + pR2021, s.main.URL + pR2023, s.main.URL + pR2017,
		s.main.URL + pPDF2023, s.main.URL + pDocx, s.other.URL + pOtherPDF,
	}
}

func TestCrawlSite(t *testing.T) {
	s := newSite(t)
	st, dir := openTestStore(t)
	cfg := testConfig(t, st, dir)
	var sends *sendLog
	cfg.Client, sends = localOnly()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	turns := &sendLog{sends: map[string][]time.Time{}}
	c.fetch.limits.onTurn = func(host string, at time.Time) { turns.sends[host] = append(turns.sends[host], at) }
	ctx := context.Background()
	sum, err := c.Run(ctx, []Seed{{Agency: "某县人民政府", URL: s.main.URL + pList0}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary:\n%s", sum)

	// Every report stored and imported exactly once, with its source URL.
	if n := query[int](t, st, `SELECT count(*) FROM documents`); n != len(reportURLs(s)) {
		rows, _ := st.DB().Query(`SELECT source, status FROM documents`)
		for rows.Next() {
			var a, b string
			rows.Scan(&a, &b)
			t.Logf("document %s %s", a, b)
		}
		rows.Close()
		t.Errorf("documents: %d, want %d", n, len(reportURLs(s)))
	}
	for _, u := range reportURLs(s) {
		if n := query[int](t, st, `SELECT count(*) FROM documents WHERE source = ?`, u); n != 1 {
			t.Errorf("%s imported %d times, want 1", u, n)
		}
		sha := query[string](t, st, `SELECT sha256 FROM crawl_fetches WHERE url = ? AND path IS NOT NULL`, u)
		path := query[string](t, st, `SELECT path FROM crawl_fetches WHERE url = ? AND path IS NOT NULL`, u)
		if !strings.HasPrefix(path, sha[:2]+string(filepath.Separator)+sha[2:]) {
			t.Errorf("%s stored as %s, not by its sha256 %s", u, path, sha)
		}
		if _, err := readStored(dir, path, sha); err != nil {
			t.Errorf("%s: %v", u, err)
		}
	}
	if got := query[string](t, st, `SELECT status FROM documents WHERE source = ?`, s.main.URL+pDocx); got != "unsupported" {
		t.Errorf("docx status %q, want unsupported", got)
	}
	if got := query[string](t, st, `SELECT agency FROM documents WHERE source = ?`, s.main.URL+pDocx); got != "某县人民政府" {
		t.Errorf("docx agency %q, want the seed's", got)
	}
	// The page that only links the 2024 PDF is not a report of its own.
	if n := query[int](t, st, `SELECT count(*) FROM documents WHERE source = ?`, s.main.URL+pWrap2024); n != 0 {
		t.Errorf("attachment-only page imported")
	}

	// Politeness: robots.txt honored (our group, not "*"), other hosts' pages
	// not fetched, the User-Agent says who we are.
	if n := s.count("main", pInternal, 0); n != 0 {
		t.Errorf("%d requests to the disallowed %s", n, pInternal)
	}
	if n := s.count("other", pOtherRep, 0); n != 0 {
		t.Errorf("%d requests to the other host's report page", n)
	}
	if n := s.count("main", "/zwgk/nb/news/t1.htm", 0); n != 0 {
		t.Errorf("a non-report link was followed")
	}
	for _, hs := range s.hits {
		for _, h := range hs {
			if !strings.HasPrefix(h.ua, "govreport/1 (+research crawler") {
				t.Fatalf("User-Agent %q", h.ua)
			}
		}
	}
	// Per-host rate: the crawler takes its turns to send at least 1/rate
	// apart per host, and the server sees no more than the rate on average.
	// (Pairs of send or arrival times are not compared: on a loaded machine
	// the scheduler can hold one request back tens of milliseconds after
	// its turn, bringing it next to the following one.)
	interval := time.Second / testRate
	if gap, host := turns.minGap(); gap < interval-time.Millisecond {
		t.Errorf("%s: two turns taken %s apart, want ≥ %s", host, gap, interval)
	}
	for host, ts := range sends.sends {
		if n := len(ts); n > 4 && ts[n-1].Sub(ts[0]) < time.Duration(n-1)*interval-interval/2 {
			t.Errorf("%s: %d requests sent in %s, more than %d/s", host, n, ts[n-1].Sub(ts[0]), testRate)
		}
	}
	for _, host := range []string{"main", "other"} {
		span, n := s.span(host)
		if n > 4 && span < time.Duration(n-1)*interval-interval/2 {
			t.Errorf("%s: %d requests in %s, more than %d/s", host, n, span, testRate)
		}
	}
	// All three listing pages read (TRS pagination), the flaky page retried.
	for _, p := range []string{pList0, pList1, pList2} {
		if n := s.count("main", p, 200); n != 1 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
	if n := s.count("main", pR2017, 503); n != 1 {
		t.Errorf("%s: %d 503s", pR2017, n)
	}
	if a := query[int](t, st, `SELECT attempts FROM crawl_fetches WHERE url = ?`, s.main.URL+pR2017); a != 2 {
		t.Errorf("%s: %d attempts recorded, want 2", pR2017, a)
	}

	// Failures recorded with their kind.
	want := map[string]string{
		s.main.URL + pBig:      ErrKindTooLarge,
		s.main.URL + pLoopA:    ErrKindRedirectLoop,
		s.main.URL + pSlow:     ErrKindTimeout,
		s.main.URL + pMissing:  "http_404",
		s.main.URL + pInternal: ErrKindRobots,
	}
	for u, kind := range want {
		e, err := st.FrontierEntry(ctx, u)
		if err != nil || e == nil {
			t.Errorf("%s not in the frontier (%v)", u, err)
			continue
		}
		if e.ErrorKind != kind {
			t.Errorf("%s: state %s, error kind %q, want %q", u, e.State, e.ErrorKind, kind)
		}
	}
	if n := s.count("main", pLoopA, 0) + s.count("main", pLoopB, 0); n > 2*(1+1) {
		t.Errorf("redirect loop followed %d times", n)
	}
	if sum.Robots != 1 || sum.Errors[ErrKindTooLarge] != 1 || sum.Errors[ErrKindRedirectLoop] != 1 || sum.Errors[ErrKindTimeout] != 1 {
		t.Errorf("summary: %+v", sum)
	}
	for u, n := range s.fileOKs() {
		if n > 1 {
			t.Errorf("%s fetched %d times", u, n)
		}
	}

	// A second run asks for the listing pages again, conditionally, and
	// fetches no report again.
	before := s.fileOKs()
	s.slow = 0
	cfg.Client, _ = localOnly()
	c2, _ := New(cfg)
	sum2, err := c2.Run(ctx, []Seed{{Agency: "某县人民政府", URL: s.main.URL + pList0}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second run:\n%s", sum2)
	for _, p := range []string{pList0, pList1, pList2} {
		if n := s.count("main", p, 304); n != 1 {
			t.Errorf("%s: %d 304s on the second run, want 1", p, n)
		}
	}
	after := s.fileOKs()
	for _, u := range reportURLs(s) {
		key := "main" + strings.TrimPrefix(u, s.main.URL)
		if strings.HasPrefix(u, s.other.URL) {
			key = "other" + strings.TrimPrefix(u, s.other.URL)
		}
		if after[key] != before[key] {
			t.Errorf("%s fetched again on the second run", u)
		}
	}
	// The slow page, a timeout, is retried on the second run and now answers.
	if e, _ := st.FrontierEntry(ctx, s.main.URL+pSlow); e == nil || e.State != store.FrontierDone {
		t.Errorf("slow page after the second run: %+v", e)
	}
	if n := query[int](t, st, `SELECT count(*) FROM documents`); n != len(reportURLs(s))+1 {
		t.Errorf("documents after the second run: %d, want %d", n, len(reportURLs(s))+1)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

func TestYearsAndMaxPages(t *testing.T) {
	s := newSite(t)
	st, dir := openTestStore(t)
	cfg := testConfig(t, st, dir)
	cfg.Years = [2]int{2021, 2023}
	cfg.MaxPages = 2
	cfg.NoImport = true
	cfg.Client, _ = localOnly()
	c, _ := New(cfg)
	if _, err := c.Run(context.Background(), []Seed{{URL: s.main.URL + pList0}}); err != nil {
		t.Fatal(err)
	}
	if n := s.count("main", pList2, 0); n != 0 {
		t.Errorf("third listing page fetched despite --max-pages 2")
	}
	if n := s.count("main", pR2017, 0); n != 0 {
		t.Errorf("2017 report fetched despite --years 2021-2023")
	}
	for _, p := range []string{pR2021, pR2023, pPDF2023} {
		if n := s.count("main", p, 200); n != 1 {
			t.Errorf("%s: %d fetches, want 1", p, n)
		}
	}
	if n := query[int](t, st, `SELECT count(*) FROM documents`); n != 0 {
		t.Errorf("--no-import imported %d documents", n)
	}
}

// A host whose robots.txt cannot be read is not crawled, and is tried
// again on the next run.
func TestRobotsUnreachable(t *testing.T) {
	broken := true
	var mu sync.Mutex
	var paths []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		paths = append(paths, r.URL.Path)
		b := broken
		mu.Unlock()
		switch {
		case r.URL.Path == "/robots.txt" && b:
			http.Error(w, "oops", http.StatusInternalServerError)
		case r.URL.Path == "/robots.txt":
			http.NotFound(w, r)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<html><body><a href="/r.pdf">2022年度报告</a></body></html>`))
		}
	}))
	defer srv.Close()
	st, dir := openTestStore(t)
	cfg := testConfig(t, st, dir)
	cfg.Client, _ = localOnly()
	cfg.NoImport = true
	c, _ := New(cfg)
	sum, err := c.Run(context.Background(), []Seed{{URL: srv.URL + "/nb/"}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors[ErrKindRobotsUnreachable] != 1 {
		t.Errorf("summary %+v", sum)
	}
	for _, p := range paths {
		if p != "/robots.txt" {
			t.Errorf("%s fetched without a readable robots.txt", p)
		}
	}
	mu.Lock()
	broken = false
	mu.Unlock()
	c, _ = New(cfg)
	if _, err := c.Run(context.Background(), []Seed{{URL: srv.URL + "/nb/"}}); err != nil {
		t.Fatal(err)
	}
	if e, _ := st.FrontierEntry(context.Background(), srv.URL+"/r.pdf"); e == nil || e.State != store.FrontierDone {
		t.Errorf("second run: %+v", e)
	}
}
