package crawl

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/extract/crawl/crawltest"
	"govreport/extract/html"
)

// handedListed returns the URLs handed to OnFile with their listing
// dates.
func (f *files) handedListed() map[string]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := map[string]string{}
	for _, x := range f.got {
		m[x.URL] = x.Listed
	}
	return m
}

func crawlOne(t *testing.T, cfg Config, seed string) (Summary, *files) {
	t.Helper()
	var got files
	cfg.OnFile = got.onFile
	cfg.Client, _ = localOnly()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(context.Background(), []Seed{{Agency: "某市人民政府", URL: seed}})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("summary:\n%s", sum)
	return sum, &got
}

// checkHanweb checks a crawl of the Hanweb column: the five reports'
// files and the two pages that only link theirs handed over once each,
// with the date beside their link (an attachment, its page's), nothing
// else fetched, the dataproxy asked twice by method.
func checkHanweb(t *testing.T, s *crawltest.Site, got *files, method string) {
	t.Helper()
	h := s.Hanweb.URL
	want := map[string]string{
		h + "/art/2025/1/20/art_4296_97791.html":                              "2025-01-20", // links its PDF
		h + "/picture/0/2501201530.pdf":                                       "2025-01-20",
		h + "/module/download/downfile.jsp?classid=0&filename=2501151000.pdf": "2025-01-15",
		h + "/art/2024/3/8/art_4296_88001.html":                               "2024-03-10",
		h + "/art/2024/1/20/art_4296_80002.html":                              "2024-01-20", // links its PDF
		h + "/picture/0/2401201100.pdf":                                       "2024-01-20",
		h + "/art/2022/2/8/art_4296_80613.html":                               "2022-02-08",
	}
	handed := got.handedListed()
	for u, d := range want {
		if n := len(got.byURL(u)); n != 1 {
			t.Errorf("%s handed over %d times, want 1", u, n)
		} else if handed[u] != d {
			t.Errorf("%s: listing date %q, want %q", u, handed[u], d)
		}
	}
	for u := range s.HanwebReports() {
		if _, ok := want[u]; !ok {
			t.Errorf("report %s missing from the expected files", u)
		}
	}
	if len(got.got) != len(want) {
		t.Errorf("%d files handed over, want %d: %v", len(got.got), len(want), handed)
	}
	for _, p := range []string{crawltest.HanwebNews, crawltest.HanwebPlan} {
		if n := s.Count("hanweb", p, 0); n != 0 {
			t.Errorf("%s (not a report) fetched %d times", p, n)
		}
	}
	n := 0
	for _, hit := range s.Hits("hanweb") {
		if hit.Path == crawltest.HanwebProxy {
			n++
			if hit.Method != method || hit.Status != 200 {
				t.Errorf("dataproxy: %s answered %d, want %s answered 200", hit.Method, hit.Status, method)
			}
		}
	}
	if n != 2 {
		t.Errorf("dataproxy asked %d times, want 2 (records 4–6, 7–9)\n%s", n, s)
	}
}

func TestCrawlHanweb(t *testing.T) {
	s := crawltest.NewSite(t, corpusDir)
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Chromium = NoChromium // the datastore needs no browser
	sum, got := crawlOne(t, cfg, s.Hanweb.URL+crawltest.HanwebCol)
	checkHanweb(t, s, got, "POST")
	if sum.ErrorCount() != 0 || sum.Listings != 3 {
		t.Errorf("summary: %+v", sum)
	}
	// The proxy's chunks are listing pages of the frontier, read by the
	// adapter that asked for them.
	var proxied []string
	for _, e := range fr.entries {
		if strings.Contains(e.URL, crawltest.HanwebProxy) {
			proxied = append(proxied, e.URL)
			if e.Adapter != "hanweb" || e.Kind != govreport.FrontierListing || e.State != govreport.FrontierDone {
				t.Errorf("%s: %+v", e.URL, e)
			}
		}
	}
	sort.Strings(proxied)
	if len(proxied) != 2 || !strings.Contains(proxied[0], "startrecord=4&endrecord=6&perpage=3#") || !strings.Contains(proxied[1], "startrecord=7&endrecord=9&perpage=3#") {
		t.Errorf("proxy requests %q", proxied)
	}
}

// The same column read by an adapter that asks the dataproxy by GET.
func TestCrawlHanwebGET(t *testing.T) {
	data, err := builtinFiles.ReadFile("adapters/hanweb.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "hanweb.json"), []byte(strings.Replace(string(data), `"method": "POST"`, `"method": "GET"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	as, err := LoadAdapters(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := crawltest.NewSite(t, corpusDir)
	cfg := testConfig(&memFrontier{}, t.TempDir())
	cfg.Adapters, cfg.Chromium = as, NoChromium
	_, got := crawlOne(t, cfg, s.Hanweb.URL+crawltest.HanwebCol)
	checkHanweb(t, s, got, "GET")
}

// checkDrawn checks a crawl of the script-drawn listing: its four reports
// handed over once each with the date beside their link, nothing else.
func checkDrawn(t *testing.T, s *crawltest.Site, got *files) {
	t.Helper()
	handed := got.handedListed()
	want := map[string]string{}
	for u, d := range s.DrawnReports() {
		want[u] = d // the listing's dates: the 2013 page states the same one
	}
	for u, d := range want {
		if n := len(got.byURL(u)); n != 1 {
			t.Errorf("%s handed over %d times, want 1", u, n)
		} else if handed[u] != d {
			t.Errorf("%s: listing date %q, want %q", u, handed[u], d)
		}
	}
	if len(got.got) != len(want) {
		t.Errorf("%d files handed over, want %d: %v", len(got.got), len(want), handed)
	}
	if n := s.Count("drawn", crawltest.DrawnNotice, 0); n != 0 {
		t.Errorf("the notice (not a report) fetched %d times", n)
	}
}

// A maintainer's adapter reads the drawn listing's JSON API directly.
func TestCrawlAPIAdapter(t *testing.T) {
	as, err := LoadAdapters("crawltest/adapters")
	if err != nil {
		t.Fatal(err)
	}
	s := crawltest.NewSite(t, corpusDir)
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Adapters, cfg.Chromium = as, NoChromium
	sum, got := crawlOne(t, cfg, s.Drawn.URL+crawltest.DrawnList)
	checkDrawn(t, s, got)
	if n := s.Count("drawn", crawltest.DrawnAPI, 200); n != 2 {
		t.Errorf("API asked %d times, want 2 (pages 1, 2)", n)
	}
	if n := s.Count("drawn", crawltest.DrawnScript, 0); n != 0 {
		t.Errorf("the script fetched without a browser")
	}
	if sum.ErrorCount() != 0 {
		t.Errorf("summary: %+v", sum)
	}
}

func chromiumOrSkip(t *testing.T) {
	t.Helper()
	for _, n := range chromiumNames {
		if _, err := exec.LookPath(n); err == nil {
			return
		}
	}
	t.Skip("no Chromium in PATH (.ci/run installs it): the browser fallback is not tested")
}

// The built-in adapters meet a listing with no links: the browser draws
// it, its links are read, 下一页 clicked until it is gone; every request
// of the page goes through the crawler, robots.txt included.
func TestCrawlRendered(t *testing.T) {
	chromiumOrSkip(t)
	s := crawltest.NewSite(t, corpusDir)
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.RenderTimeout = time.Minute
	sum, got := crawlOne(t, cfg, s.Drawn.URL+crawltest.DrawnList)
	checkDrawn(t, s, got)
	if n := s.Count("drawn", crawltest.DrawnAPI, 200); n != 2 {
		t.Errorf("API asked %d times, want 2 (pages 1, 2)\n%s", n, s)
	}
	if n := s.Count("drawn", crawltest.DrawnBeacon, 0); n != 0 {
		t.Errorf("the beacon robots.txt disallows was requested %d times", n)
	}
	if n := s.Count("drawn", "/static/css/list.css", 0); n != 0 {
		t.Errorf("a stylesheet was loaded")
	}
	if n := s.Count("drawn", crawltest.DrawnList, 0); n != 1 {
		t.Errorf("the listing fetched %d times, want 1 (the browser is given the crawler's copy)", n)
	}
	for _, h := range s.Hits("drawn") {
		if !strings.HasPrefix(h.UA, "govreport/1 (+research crawler") {
			t.Errorf("%s requested with User-Agent %q", h.Path, h.UA)
		}
	}
	if sum.ErrorCount() != 0 {
		t.Errorf("summary: %+v", sum)
	}
}

// Without a browser, a listing drawn by scripts is an error of its own
// kind, named in the summary, and the crawl goes on with the other seeds.
func TestCrawlNoBrowser(t *testing.T) {
	s := crawltest.NewSite(t, corpusDir)
	fr := &memFrontier{}
	cfg := testConfig(fr, t.TempDir())
	cfg.Chromium = filepath.Join(t.TempDir(), "no-chromium")
	var got files
	cfg.OnFile = got.onFile
	cfg.Client, _ = localOnly()
	c, _ := New(cfg)
	drawn := s.Drawn.URL + crawltest.DrawnList
	sum, err := c.Run(context.Background(), []Seed{{URL: drawn}, {URL: s.Hanweb.URL + crawltest.HanwebCol}})
	if err != nil {
		t.Fatal(err)
	}
	if sum.Errors[ErrKindNoBrowser] != 1 || len(sum.NotRendered) != 1 || !strings.Contains(sum.String(), "not rendered: "+drawn) {
		t.Errorf("summary:\n%s", sum)
	}
	if e, _ := fr.FrontierEntry(context.Background(), drawn); e == nil || e.ErrorKind != ErrKindNoBrowser {
		t.Errorf("listing: %+v", e)
	}
	if len(got.got) != 7 {
		t.Errorf("the Hanweb seed gave %d files, want 7", len(got.got))
	}
}

// Explain reads the column and the proxy's chunks, says which adapter
// found what, and stores nothing.
func TestExplain(t *testing.T) {
	s := crawltest.NewSite(t, corpusDir)
	cfg := Config{Format: extract.Format, Decode: html.Decode, Rate: testRate, Chromium: NoChromium}
	cfg.Client, _ = localOnly()
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	rs, err := c.Explain(context.Background(), s.Hanweb.URL+crawltest.HanwebCol, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 3 {
		t.Fatalf("%d pages explained, want the column and 2 proxy chunks", len(rs))
	}
	uses := map[string]AdapterUse{}
	for _, u := range rs[0].Adapters {
		uses[u.Name] = u
	}
	if h := uses["hanweb"]; !h.Matched || h.Reports != 2 || h.Pages != 2 || !strings.Contains(h.Note, "3 records inline of 7") {
		t.Errorf("hanweb on the column: %+v", h)
	}
	if l := uses["links"]; !l.Matched || l.Reports != 0 {
		t.Errorf("links on the column: %+v", l)
	}
	if r := uses["render"]; r.Matched || !strings.Contains(r.Why, "not needed") {
		t.Errorf("render on the column: %+v", r)
	}
	if tr := uses["trs"]; tr.Matched {
		t.Errorf("trs on the column: %+v", tr)
	}
	if n := len(rs[1].Reports) + len(rs[2].Reports); n != 3 {
		t.Errorf("%d reports in the proxy's chunks, want 3", n)
	}
	for _, p := range []string{crawltest.HanwebNews, "/art/2022/2/8/art_4296_80613.html"} {
		if n := s.Count("hanweb", p, 0); n != 0 {
			t.Errorf("explain fetched %s", p)
		}
	}
}
