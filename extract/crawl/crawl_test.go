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
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/extract/crawl/crawltest"
	"govreport/extract/html"
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

const corpusDir = "../../testdata/corpus"

func testConfig(fr *memFrontier, dir string) Config {
	return Config{
		Frontier: fr, Dir: dir, Format: extract.Format, Decode: html.Decode,
		Rate: testRate, Concurrency: 4,
		Timeout: 3 * time.Second, Retries: 1, Backoff: 20 * time.Millisecond,
		MaxBytes: 2 << 20, Revisit: true,
	}
}

// files records what the crawler hands to OnFile; each URL is "imported"
// the first time, "exists" after.
type files struct {
	mu   sync.Mutex
	got  []File
	seen map[string]int
}

func (f *files) onFile(_ context.Context, file File) (Handled, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.seen == nil {
		f.seen = map[string]int{}
	}
	f.got = append(f.got, file)
	f.seen[file.URL]++
	if f.seen[file.URL] > 1 {
		return Handled{Outcome: OutcomeExists}, nil
	}
	return Handled{Outcome: OutcomeImported}, nil
}

// byURL returns the files handed for u.
func (f *files) byURL(u string) []File {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []File
	for _, x := range f.got {
		if x.URL == u {
			out = append(out, x)
		}
	}
	return out
}

// TestCrawlSite crawls the fixture site: every report file is handed over
// once, stored by its sha256, with the seed's agency; the crawler is
// polite; failures are recorded by kind; a second run asks for listing
// pages conditionally and fetches no report again. (What the files become
// in the database: cmd/govreport's crawl tests.)
func TestCrawlSite(t *testing.T) {
	s := crawltest.NewSite(t, corpusDir)
	fr, dir := &memFrontier{}, t.TempDir()
	cfg := testConfig(fr, dir)
	var got files
	cfg.OnFile = got.onFile
	var sends *sendLog
	cfg.Client, sends = localOnly()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	turns := &sendLog{sends: map[string][]time.Time{}}
	c.fetch.limits.onTurn = func(host string, at time.Time) { turns.sends[host] = append(turns.sends[host], at) }
	ctx := context.Background()
	sum, err := c.Run(ctx, []Seed{{Agency: "某县人民政府", URL: s.Main.URL + crawltest.List0}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary:\n%s", sum)

	// Every report file handed over exactly once, with its URL, the seed's
	// agency, and the bytes stored under its sha256; the pages that only
	// link their report's files too, with their links (the callback decides
	// they are no reports of their own).
	wrapper := s.Main.URL + crawltest.Wrap2024
	if n := len(got.got); n != len(s.ReportURLs())+len(s.Wrappers()) {
		for _, f := range got.got {
			t.Logf("handed %s", f.URL)
		}
		t.Errorf("%d files handed over, want %d", n, len(s.ReportURLs())+len(s.Wrappers()))
	}
	for _, u := range append(s.ReportURLs(), s.Wrappers()...) {
		fs := got.byURL(u)
		if len(fs) != 1 {
			t.Errorf("%s handed over %d times, want 1", u, len(fs))
			continue
		}
		if fs[0].Agency != "某县人民政府" {
			t.Errorf("%s: agency %q, want the seed's", u, fs[0].Agency)
		}
		f := fr.stored(u)
		if f == nil {
			t.Errorf("%s: no stored fetch", u)
			continue
		}
		if !strings.HasPrefix(f.Path, f.SHA256[:2]+string(filepath.Separator)+f.SHA256[2:]) {
			t.Errorf("%s stored as %s, not by its sha256 %s", u, f.Path, f.SHA256)
		}
		data, err := readStored(dir, f.Path, f.SHA256)
		if err != nil {
			t.Errorf("%s: %v", u, err)
		} else if string(data) != string(fs[0].Data) {
			t.Errorf("%s: the bytes handed over are not the stored file's", u)
		}
	}
	if fs := got.byURL(wrapper); len(fs) == 1 {
		if w := []string{s.Other.URL + crawltest.OtherPDF, s.Main.URL + crawltest.Docx}; !slices.Equal(fs[0].Links, w) {
			t.Errorf("wrapper page's links %q, want %q", fs[0].Links, w)
		}
	}
	// an attachment knows the page that linked it and the year its link named
	if fs := got.byURL(s.Main.URL + crawltest.Xlsx2013); len(fs) == 1 && (fs[0].Parent != s.Main.URL+crawltest.Word2013 || fs[0].Year != 2013) {
		t.Errorf("workbook handed over with parent %q, year %d", fs[0].Parent, fs[0].Year)
	}
	if sum.Imported != len(s.ReportURLs())+len(s.Wrappers()) || sum.Existing != 0 {
		t.Errorf("summary counts %d imported, %d existing", sum.Imported, sum.Existing)
	}

	// Politeness: robots.txt honored (our group, not "*"), other hosts' pages
	// not fetched, the User-Agent says who we are.
	if n := s.Count("main", crawltest.Internal, 0); n != 0 {
		t.Errorf("%d requests to the disallowed %s", n, crawltest.Internal)
	}
	if n := s.Count("other", crawltest.OtherRep, 0); n != 0 {
		t.Errorf("%d requests to the other host's report page", n)
	}
	if n := s.Count("main", "/zwgk/nb/news/t1.htm", 0); n != 0 {
		t.Errorf("a non-report link was followed")
	}
	for _, host := range []string{"main", "other"} {
		for _, h := range s.Hits(host) {
			if !strings.HasPrefix(h.UA, "govreport/1 (+research crawler") {
				t.Fatalf("User-Agent %q", h.UA)
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
		span, n := s.Span(host)
		if n > 4 && span < time.Duration(n-1)*interval-interval/2 {
			t.Errorf("%s: %d requests in %s, more than %d/s", host, n, span, testRate)
		}
	}
	// All three listing pages read (TRS pagination), the flaky page retried.
	for _, p := range []string{crawltest.List0, crawltest.List1, crawltest.List2} {
		if n := s.Count("main", p, 200); n != 1 {
			t.Errorf("%s fetched %d times", p, n)
		}
	}
	if n := s.Count("main", crawltest.R2017, 503); n != 1 {
		t.Errorf("%s: %d 503s", crawltest.R2017, n)
	}
	if a := fr.attempts(s.Main.URL + crawltest.R2017); a != 2 {
		t.Errorf("%s: %d attempts recorded, want 2", crawltest.R2017, a)
	}

	// Failures recorded with their kind.
	want := map[string]string{
		s.Main.URL + crawltest.Big:      ErrKindTooLarge,
		s.Main.URL + crawltest.LoopA:    ErrKindRedirectLoop,
		s.Main.URL + crawltest.Slow:     ErrKindTimeout,
		s.Main.URL + crawltest.Missing:  "http_404",
		s.Main.URL + crawltest.Internal: ErrKindRobots,
	}
	for u, kind := range want {
		e, err := fr.FrontierEntry(ctx, u)
		if err != nil || e == nil {
			t.Errorf("%s not in the frontier (%v)", u, err)
			continue
		}
		if e.ErrorKind != kind {
			t.Errorf("%s: state %s, error kind %q, want %q", u, e.State, e.ErrorKind, kind)
		}
	}
	if n := s.Count("main", crawltest.LoopA, 0) + s.Count("main", crawltest.LoopB, 0); n > 2*(1+1) {
		t.Errorf("redirect loop followed %d times", n)
	}
	if sum.Robots != 1 || sum.Errors[ErrKindTooLarge] != 1 || sum.Errors[ErrKindRedirectLoop] != 1 || sum.Errors[ErrKindTimeout] != 1 {
		t.Errorf("summary: %+v", sum)
	}
	for u, n := range s.FileOKs() {
		if n > 1 {
			t.Errorf("%s fetched %d times", u, n)
		}
	}

	// A second run asks for the listing pages again, conditionally, and
	// fetches no report again.
	before := s.FileOKs()
	s.SetSlow(0)
	cfg.Client, _ = localOnly()
	c2, _ := New(cfg)
	sum2, err := c2.Run(ctx, []Seed{{Agency: "某县人民政府", URL: s.Main.URL + crawltest.List0}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("second run:\n%s", sum2)
	for _, p := range []string{crawltest.List0, crawltest.List1, crawltest.List2} {
		if n := s.Count("main", p, 304); n != 1 {
			t.Errorf("%s: %d 304s on the second run, want 1", p, n)
		}
	}
	after := s.FileOKs()
	for _, u := range s.ReportURLs() {
		key := "main" + strings.TrimPrefix(u, s.Main.URL)
		if strings.HasPrefix(u, s.Other.URL) {
			key = "other" + strings.TrimPrefix(u, s.Other.URL)
		}
		if after[key] != before[key] {
			t.Errorf("%s fetched again on the second run", u)
		}
	}
	// The slow page, a timeout, is retried on the second run and now
	// answers: it alone is handed over.
	if e, _ := fr.FrontierEntry(ctx, s.Main.URL+crawltest.Slow); e == nil || e.State != govreport.FrontierDone {
		t.Errorf("slow page after the second run: %+v", e)
	}
	if n := len(got.byURL(s.Main.URL + crawltest.Slow)); n != 1 || sum2.Imported != 1 || len(got.got) != len(s.ReportURLs())+len(s.Wrappers())+1 {
		t.Errorf("second run: slow page handed over %d times, %d files in all, summary %d imported", n, len(got.got), sum2.Imported)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Fatal(err)
	}
}

func TestYearsAndMaxPages(t *testing.T) {
	s := crawltest.NewSite(t, corpusDir)
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Years = [2]int{2021, 2023}
	cfg.MaxPages = 2
	cfg.Client, _ = localOnly()
	c, _ := New(cfg)
	sum, err := c.Run(context.Background(), []Seed{{URL: s.Main.URL + crawltest.List0}})
	if err != nil {
		t.Fatal(err)
	}
	if n := s.Count("main", crawltest.List2, 0); n != 0 {
		t.Errorf("third listing page fetched despite --max-pages 2")
	}
	if n := s.Count("main", crawltest.R2017, 0); n != 0 {
		t.Errorf("2017 report fetched despite --years 2021-2023")
	}
	for _, p := range []string{crawltest.R2021, crawltest.R2023, crawltest.PDF2023} {
		if n := s.Count("main", p, 200); n != 1 {
			t.Errorf("%s: %d fetches, want 1", p, n)
		}
		if fr.stored(s.Main.URL+p) == nil {
			t.Errorf("%s not stored", p)
		}
	}
	if sum.Imported != 0 || sum.Existing != 0 {
		t.Errorf("no OnFile, yet %d imported, %d existing", sum.Imported, sum.Existing)
	}
}

// Files an OnFile finds linked from a report (attachments its parser saw
// and the crawler's link reader did not) are fetched and handed over too.
func TestOnFileLinks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			http.NotFound(w, r)
		case "/nb/":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<html><body><a href="/nb/2022.htm">2022年度报告</a></body></html>`))
		case "/nb/2022.htm":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Write([]byte(`<html><body><p>见附件</p></body></html>`))
		case "/nb/2022.xlsx":
			w.Write([]byte("PK\x03\x04 a spreadsheet"))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Client, _ = localOnly()
	var got []File
	var mu sync.Mutex
	cfg.OnFile = func(_ context.Context, f File) (Handled, error) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, f)
		if strings.HasSuffix(f.URL, ".htm") {
			return Handled{Links: []string{srv.URL + "/nb/2022.xlsx"}}, nil // not a report of its own
		}
		return Handled{Outcome: OutcomeImported}, nil
	}
	c, _ := New(cfg)
	sum, err := c.Run(context.Background(), []Seed{{URL: srv.URL + "/nb/"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[1].URL != srv.URL+"/nb/2022.xlsx" || got[1].Kind != govreport.FrontierAttachment {
		t.Fatalf("handed over %+v", got)
	}
	if sum.Imported != 1 {
		t.Errorf("summary: %+v", sum)
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
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Client, _ = localOnly()
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
	if e, _ := fr.FrontierEntry(context.Background(), srv.URL+"/r.pdf"); e == nil || e.State != govreport.FrontierDone {
		t.Errorf("second run: %+v", e)
	}
}
