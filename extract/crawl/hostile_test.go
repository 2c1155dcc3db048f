package crawl

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// hostileSite is one loopback server answering for several host names
// (a.test, b.test, c.test on the same port, as one machine behind several
// names): the seed a.test lists report pages that redirect elsewhere, and
// c.test's robots.txt cannot be read.
func hostileSite(t *testing.T, reports int) (*httptest.Server, string, *http.Client) {
	var port string
	mux := http.NewServeMux()
	host := func(r *http.Request) string { h, _, _ := net.SplitHostPort(r.Host); return h }
	mux.HandleFunc("/robots.txt", func(w http.ResponseWriter, r *http.Request) {
		if host(r) == "c.test" {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, "User-agent: *\nAllow: /\n")
	})
	page := func(body string) string {
		return `<html><head><meta charset="utf-8"><title>政府信息公开年报</title></head><body>` + body + `</body></html>`
	}
	mux.HandleFunc("/list.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page(`<ul>
<li><a href="/d1.html">某县2023年政府信息公开工作年度报告</a></li>
<li><a href="http://b.test:`+port+`/direct.html">某县2022年政府信息公开工作年度报告</a></li>
<li><a href="/a1.pdf">某县2021年政府信息公开工作年度报告.pdf</a></li>
</ul>`))
	})
	mux.HandleFunc("/many.html", func(w http.ResponseWriter, r *http.Request) {
		var b strings.Builder
		for i := range reports {
			fmt.Fprintf(&b, `<li><a href="/r/%d.html">某县%d年政府信息公开工作年度报告</a></li>`, i, 2000+i%25)
		}
		fmt.Fprint(w, page("<ul>"+b.String()+"</ul>"))
	})
	mux.HandleFunc("/d1.html", func(w http.ResponseWriter, r *http.Request) {
		// Same port, another host name.
		http.Redirect(w, r, "http://b.test:"+port+"/evil.html", http.StatusFound)
	})
	mux.HandleFunc("/a1.pdf", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "http://c.test:"+port+"/x.pdf", http.StatusFound)
	})
	mux.HandleFunc("/evil.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("一、总体情况 another host's page"))
	})
	mux.HandleFunc("/direct.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("一、总体情况 another host's page"))
	})
	mux.HandleFunc("/r/", func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) })
	mux.HandleFunc("/dense.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page(strings.Repeat("<p>x</p>", maxElements+1)))
	})
	mux.HandleFunc("/one.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page(`<ul><li><a href="/ok.html">某县2023年政府信息公开工作年度报告</a></li></ul>`))
	})
	mux.HandleFunc("/ok.html", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, page("一、总体情况 the report"))
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	_, port, _ = net.SplitHostPort(srv.Listener.Addr().String())
	// The names resolve to the server, as a DNS would; nothing else is
	// reachable.
	d := &net.Dialer{Timeout: 2 * time.Second}
	client := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			h, p, _ := net.SplitHostPort(addr)
			if !strings.HasSuffix(h, ".test") || p != port {
				return nil, errors.New("test transport: only the .test names")
			}
			return d.DialContext(ctx, network, srv.Listener.Addr().String())
		},
	}}
	return srv, port, client
}

// The attack: a report page that redirected to another host name (same
// port) was followed and its content imported under the original URL,
// though a direct link to that host is refused. The redirect is now an
// error of its own kind; an attachment may still live on another host,
// but when that host's robots.txt cannot be read the error says so (it
// said "disallowed by robots.txt").
func TestRedirectStaysOnHost(t *testing.T) {
	_, port, client := hostileSite(t, 0)
	fr, dir := &memFrontier{}, t.TempDir()
	cfg := testConfig(fr, dir)
	cfg.Client = client
	var got files
	cfg.OnFile = got.onFile
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	seed := "http://a.test:" + port + "/list.html"
	sum, err := c.Run(context.Background(), []Seed{{URL: seed, Agency: "某县"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range got.got {
		t.Errorf("handed over %s", f.URL)
	}
	d1 := fr.find("http://a.test:" + port + "/d1.html")
	if d1 == nil || d1.ErrorKind != ErrKindOffsite || !strings.Contains(d1.Error, "redirect to another host: http://b.test:"+port+"/evil.html") {
		t.Errorf("the redirected page: %+v", d1)
	}
	if fr.find("http://b.test:"+port+"/direct.html") != nil || sum.Offsite != 1 {
		t.Errorf("the direct link to the other host: offsite %d, entry %v", sum.Offsite, fr.find("http://b.test:"+port+"/direct.html"))
	}
	a1 := fr.find("http://a.test:" + port + "/a1.pdf")
	if a1 == nil || a1.ErrorKind != ErrKindRobotsUnreachable || strings.Contains(a1.Error, "disallowed") {
		t.Errorf("the attachment redirected to a host whose robots.txt is down: %+v", a1)
	}
}

// Report links on one listing page were not bounded by --max-pages: a
// listing of thousands of links made the crawler fetch them all. A page
// now gives at most MaxReportsPerListing; the rest are counted filtered.
func TestReportsPerListingBounded(t *testing.T) {
	const n = MaxReportsPerListing + 300
	_, port, client := hostileSite(t, n)
	fr, dir := &memFrontier{}, t.TempDir()
	cfg := testConfig(fr, dir)
	cfg.Client, cfg.Rate, cfg.Concurrency, cfg.MaxPages = client, 2000, 8, 1
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.Run(context.Background(), []Seed{{URL: "http://a.test:" + port + "/many.html"}})
	if err != nil {
		t.Fatal(err)
	}
	details := 0
	fr.mu.Lock()
	for _, e := range fr.entries {
		if strings.Contains(e.URL, "/r/") {
			details++
		}
	}
	fr.mu.Unlock()
	if details != MaxReportsPerListing || sum.Filtered != n-MaxReportsPerListing {
		t.Errorf("%d report pages taken from a listing of %d, %d filtered; want %d and %d", details, n, sum.Filtered, MaxReportsPerListing, n-MaxReportsPerListing)
	}
}

// A file whose import failed for a reason outside it (its parser killed
// from outside: ErrImportLater) no longer ends the crawl: the entry fails
// with ErrKindImport and the next run imports it.
func TestImportLater(t *testing.T) {
	_, port, client := hostileSite(t, 0)
	fr, dir := &memFrontier{}, t.TempDir()
	cfg := testConfig(fr, dir)
	cfg.Client = client
	calls := 0
	cfg.OnFile = func(_ context.Context, f File) (Handled, error) {
		if calls++; calls == 1 {
			return Handled{}, fmt.Errorf("%w: parser process killed by signal killed", ErrImportLater)
		}
		return Handled{Outcome: OutcomeImported}, nil
	}
	seed := []Seed{{URL: "http://a.test:" + port + "/one.html"}}
	for run := 1; run <= 2; run++ {
		c, err := New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		sum, err := c.Run(context.Background(), seed)
		if err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
		e := fr.find("http://a.test:" + port + "/ok.html")
		switch {
		case run == 1 && (e == nil || e.ErrorKind != ErrKindImport || sum.Errors[ErrKindImport] != 1):
			t.Errorf("run 1: entry %+v, errors %v", e, sum.Errors)
		case run == 2 && (e == nil || e.State != "done" || sum.Imported != 1):
			t.Errorf("run 2: entry %+v, imported %d", e, sum.Imported)
		}
	}
}

// A listing page's tree was built whatever its size, in the crawl's own
// process: a page of hundreds of thousands of elements took gigabytes. It
// is now refused past maxElements, before its tree is built.
func TestDenseListingRefused(t *testing.T) {
	_, port, client := hostileSite(t, 0)
	fr, dir := &memFrontier{}, t.TempDir()
	cfg := testConfig(fr, dir)
	cfg.Client = client
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	seed := "http://a.test:" + port + "/dense.html"
	if _, err := c.Run(context.Background(), []Seed{{URL: seed}}); err != nil {
		t.Fatal(err)
	}
	if e := fr.find(seed); e == nil || e.ErrorKind != ErrKindTooLarge || !strings.Contains(e.Error, "more than 200000 elements") {
		t.Errorf("the dense listing: %+v", e)
	}
}
