// Package crawltest serves fixture government websites over loopback HTTP
// for the crawler's tests, in extract/crawl and in cmd. The main one is a
// county site: GBK listing pages with TRS pagination, report pages and
// files from the bundled corpus (and Word and Excel files from
// testdata/forms), robots.txt, a flaky page, a slow page, an oversized
// file, a redirect loop, and a second host serving one attachment. Two
// more hosts are the kinds of site the crawler reads by adapters: a Hanweb
// column (inline datastore, dataproxy pages) and a listing drawn by a
// script from a JSON API (see platforms.go). It records
// every request it answers.
package crawltest

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Hit is one request a fixture server answered.
type Hit struct {
	Method string
	Path   string
	Status int // 0: the client went away before the answer
	At     time.Time
	Cond   bool // carried If-None-Match or If-Modified-Since
	UA     string
}

// Site is the fixture website: hosts "main" and "other", and the sites
// "hanweb" and "drawn".
type Site struct {
	Main, Other   *httptest.Server
	Hanweb, Drawn *httptest.Server
	corpus        string
	mu            sync.Mutex
	hits          map[string][]Hit // by host
	failed        map[string]bool  // paths that answered 503 once already
	slow          time.Duration
	inflight      int // requests being answered
}

func (s *Site) file(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(s.corpus, name))
	if err != nil {
		t.Error(err) // from a handler's goroutine: no Fatal
	}
	return b
}

func gbk(t testing.TB, s string) []byte {
	t.Helper()
	b, err := simplifiedchinese.GBK.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Paths of the fixture site.
const (
	List0    = "/zwgk/nb/index.html" // the seed: a listing page
	List1    = "/zwgk/nb/index_1.html"
	List2    = "/zwgk/nb/index_2.html"
	R2021    = "/zwgk/nb/202202/t20220208_80613.htm"
	R2023    = "/zwgk/nb/202301/t20230130_1.htm"
	Wrap2024 = "/zwgk/nb/202401/t20240125_2.htm" // a page that only links the 2024 PDF (other host) and a .docx
	Word2013 = "/zwgk/nb/201401/t20140122_5.htm" // a page that only links the 2013 report as .docx and .doc, and its tables as .xlsx
	Docx2013 = "/files/2013nb.docx"
	Doc2013  = "/files/2013nb.doc"
	Xlsx2013 = "/files/2013tj.xlsx"
	R2017    = "/zwgk/nb/201802/t20180201_3.htm" // 503 once
	PDF2023  = "/files/2023hz.pdf"
	Docx     = "/files/template.docx"
	Slow     = "/zwgk/nb/slow/t2016.htm" // answers after SetSlow's delay (8 s)
	Big      = "/files/big.pdf"          // 4 MiB, chunked
	LoopA    = "/loop/a.htm"
	LoopB    = "/loop/b.htm"
	Missing  = "/zwgk/nb/201302/t2013.htm"
	Internal = "/internal/2020nb.htm"    // disallowed by robots.txt
	OtherRep = "/nb/2019.htm"            // on the other host: a report page, never fetched
	OtherPDF = "/upload/2024/hz2024.pdf" // on the other host: an attachment
)

// NewSite starts the two hosts; corpus is the folder of the bundled
// reports (testdata/corpus) the report files come from.
func NewSite(t testing.TB, corpus string) *Site {
	s := &Site{corpus: corpus, hits: map[string][]Hit{}, failed: map[string]bool{}, slow: 8 * time.Second}
	s.Other = httptest.NewServer(s.handler(t, "other"))
	s.Main = httptest.NewServer(s.handler(t, "main"))
	s.Hanweb = httptest.NewServer(s.handler(t, "hanweb"))
	s.Drawn = httptest.NewServer(s.handler(t, "drawn"))
	t.Cleanup(func() { s.Main.Close(); s.Other.Close(); s.Hanweb.Close(); s.Drawn.Close() })
	return s
}

// ReportURLs are the files the site's reports live in: three HTML report
// pages, two PDFs (one on the other host), the blank template as .docx, the
// 2013 report as .docx and .doc (from testdata/forms) and its tables as
// .xlsx.
func (s *Site) ReportURLs() []string {
	return []string{
		s.Main.URL + R2021, s.Main.URL + R2023, s.Main.URL + R2017,
		s.Main.URL + PDF2023, s.Main.URL + Docx, s.Other.URL + OtherPDF,
		s.Main.URL + Docx2013, s.Main.URL + Doc2013, s.Main.URL + Xlsx2013,
	}
}

// Wrappers are the detail pages that only link their report's files.
func (s *Site) Wrappers() []string {
	return []string{s.Main.URL + Wrap2024, s.Main.URL + Word2013}
}

// SetSlow sets how long the slow page takes to answer.
func (s *Site) SetSlow(d time.Duration) {
	s.mu.Lock()
	s.slow = d
	s.mu.Unlock()
}

// Mark adds a line to the main host's log (shown by String), e.g. where a
// crawl was killed.
func (s *Site) Mark(note string) {
	s.mu.Lock()
	s.hits["main"] = append(s.hits["main"], Hit{Path: note})
	s.mu.Unlock()
}

// Hits returns the requests a host ("main" or "other") answered.
func (s *Site) Hits(host string) []Hit {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Hit(nil), s.hits[host]...)
}

func (s *Site) handler(t testing.TB, name string) http.Handler {
	A := func() string { return s.Main.URL }
	B := func() string { return s.Other.URL }
	files := map[string]struct {
		body  func() []byte
		ctype string
	}{}
	add := func(host, path, ctype string, body func() []byte) {
		files[host+path] = struct {
			body  func() []byte
			ctype string
		}{body, ctype}
	}
	listHead := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>政府信息公开年报_某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/zwgk/">政务公开</a> <a href="/zwgk/nb/">政府信息公开年报</a> <a href="/zwgk/fdzdgknr/">法定主动公开内容</a></div>`
	add("main", List0, "text/html", func() []byte {
		return gbk(t, listHead+`<ul class="list">
<li><a href="./202202/t20220208_80613.htm" title="平潭综合实验区2021年度政府信息公开工作年度报告" target="_blank">平潭综合实验区2021年度政府信息公开工作年度...</a><span>2022-02-08</span></li>
<li><a href="`+A()+R2023+`">平潭综合实验区2023年政府信息公开工作年度报告</a><span>2024-01-30</span></li>
<li><a href="./202401/t20240125_2.htm">洪泽区人民政府2024年政府信息公开工作年度报告</a><span>2025-01-25</span></li>
<li><a href="/internal/2020nb.htm">2020年政府信息公开工作年度报告（内部稿）</a></li>
<li><a href="`+B()+OtherRep+`">某市2019年度报告（转载）</a></li>
<li><a href="./news/t1.htm">关于开展2024年政务公开培训的通知</a></li>
</ul>
<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div></body></html>`)
	})
	add("main", List1, "text/html; charset=GBK", func() []byte {
		return gbk(t, listHead+`<table class="list">
<tr><td><a href="../nb/201802/t20180201_3.htm">2017年度政府信息公开工作年度报告</a></td><td>2018-02-01</td></tr>
<tr><td><a href="/files/2023hz.pdf">洪泽区2023年政府信息公开工作年报.pdf</a></td><td>2024-01-20</td></tr>
<tr><td><a href="slow/t2016.htm">2016年政府信息公开年度报告</a></td><td>2017-03-01</td></tr>
<tr><td><a href="./201401/t20140122_5.htm">平潭县人民政府2013年政府信息公开工作年度报告</a></td><td>2014-01-22</td></tr>
</table>
<div class="page"><a href="index.html">上一页</a> <a href="index_2.html">下一页</a> <a href="index_2.html">尾页</a>
<script language="JavaScript">createPageHTML(3, 1, "index", "html");</script></div></body></html>`)
	})
	add("main", List2, "text/html", func() []byte {
		return gbk(t, listHead+`<ul>
<li><a href="/files/big.pdf">2015年政府信息公开工作年度报告</a></li>
<li><a href="/loop/a.htm">2014年政府信息公开工作年度报告</a></li>
<li><a href="./201302/t2013.htm">2012年政府信息公开工作年度报告</a></li>
</ul><script>createPageHTML(3, 2, "index", "html");</script></body></html>`)
	})
	add("main", R2021, "text/html; charset=utf-8", func() []byte { return s.file(t, "2021_pingtan_1.html") })
	add("main", R2023, "text/html; charset=utf-8", func() []byte { return s.file(t, "2023_pingtan_1.html") })
	add("main", R2017, "text/html; charset=utf-8", func() []byte { return s.file(t, "2017_pingtan_1.html") })
	add("main", Wrap2024, "text/html; charset=utf-8", func() []byte {
		return []byte(`<html><head><meta charset="utf-8"><title>洪泽区人民政府2024年政府信息公开工作年度报告</title></head><body>
<h1>洪泽区人民政府2024年政府信息公开工作年度报告</h1>
<p>附件：<a href="` + B() + OtherPDF + `">洪泽区人民政府2024年政府信息公开工作年度报告.pdf</a></p>
<p>附件：<a href="/files/template.docx">年度报告格式.docx</a></p></body></html>`)
	})
	add("main", Word2013, "text/html; charset=utf-8", func() []byte {
		return []byte(`<html><head><meta charset="utf-8"><title>平潭县人民政府2013年政府信息公开工作年度报告</title></head><body>
<h1>平潭县人民政府2013年政府信息公开工作年度报告</h1>
<p>附件：<a href="/files/2013nb.docx">平潭县人民政府2013年政府信息公开工作年度报告.docx</a></p>
<p>附件：<a href="/files/2013nb.doc">平潭县人民政府2013年政府信息公开工作年度报告.doc</a></p>
<p>附件：<a href="/files/2013tj.xlsx">平潭县人民政府2013年政府信息公开情况统计表.xlsx</a></p></body></html>`)
	})
	add("main", Docx2013, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", func() []byte {
		return s.file(t, "../forms/2013_pingtanxian_1.html__soffice.docx")
	})
	add("main", Doc2013, "application/msword", func() []byte { return s.file(t, "../forms/2013_pingtanxian_1.html__soffice.doc") })
	add("main", Xlsx2013, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", func() []byte {
		return s.file(t, "../forms/2013_pingtanxian_1.html__tables.xlsx")
	})
	add("main", PDF2023, "application/pdf", func() []byte { return s.file(t, "2023_hongze_qzf_1.pdf") })
	add("main", Docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", func() []byte { return s.file(t, "template_blank_guoban2021_1.docx") })
	add("other", OtherPDF, "application/pdf", func() []byte { return s.file(t, "2024_hongze_qzf_1.pdf") })
	add("other", OtherRep, "text/html; charset=utf-8", func() []byte { return s.file(t, "2021_pingtan_1.html") })
	s.platformFiles(t, add)

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now() // arrival, for the spacing check
		s.mu.Lock()
		s.inflight++
		s.mu.Unlock()
		status := s.serve(name, files, w, r)
		s.mu.Lock()
		s.inflight--
		s.hits[name] = append(s.hits[name], Hit{Method: r.Method, Path: r.URL.Path, Status: status, At: at,
			Cond: r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "", UA: r.UserAgent()})
		s.mu.Unlock()
	})
}

func (s *Site) serve(name string, files map[string]struct {
	body  func() []byte
	ctype string
}, w http.ResponseWriter, r *http.Request) int {
	p := r.URL.Path
	switch {
	case name == "hanweb" && p == HanwebProxy:
		return s.dataproxy(w, r)
	case name == "drawn" && p == DrawnAPI:
		return s.listAPI(w, r)
	case p == "/robots.txt" && name == "main":
		w.Write([]byte("# robots.txt of a county government site\nUser-agent: *\nDisallow: /\n\nUser-agent: Baiduspider\nUser-agent: govreport\nDisallow: /internal/\nAllow: /internal/public/\n"))
		return 200
	case p == R2017:
		s.mu.Lock()
		first := !s.failed[p]
		s.failed[p] = true
		s.mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return 503
		}
	case p == Slow:
		s.mu.Lock()
		slow := s.slow
		s.mu.Unlock()
		select {
		case <-time.After(slow):
		case <-r.Context().Done():
			return 0
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><h1>2016年政府信息公开年度报告</h1><p>一、概述</p></body></html>"))
		return 200
	case p == Big: // chunked, no Content-Length: the reader must stop itself
		w.Header().Set("Content-Type", "application/pdf")
		chunk := make([]byte, 64<<10)
		copy(chunk, "%PDF-1.4\n")
		for i := 0; i < 64; i++ { // 4 MiB
			if _, err := w.Write(chunk); err != nil {
				break
			}
			w.(http.Flusher).Flush()
		}
		return 200
	case p == LoopA:
		http.Redirect(w, r, LoopB, http.StatusFound)
		return 302
	case p == LoopB:
		http.Redirect(w, r, LoopA, http.StatusFound)
		return 302
	}
	f, ok := files[name+p]
	if !ok {
		http.NotFound(w, r)
		return 404
	}
	body := f.body()
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	w.Header().Set("ETag", etag)
	w.Header().Set("Last-Modified", "Mon, 03 Feb 2025 08:00:00 GMT")
	if r.Header.Get("If-None-Match") == etag {
		w.WriteHeader(http.StatusNotModified)
		return 304
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Write(body)
	return 200
}

// Count returns how many requests a host answered for path with status
// (any status when status is 0).
func (s *Site) Count(host, path string, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits[host] {
		if h.Path == path && (status == 0 || h.Status == status) {
			n++
		}
	}
	return n
}

// Span is the time between the first and the last request to a host.
func (s *Site) Span(host string) (time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hs := s.hits[host]
	if len(hs) < 2 {
		return 0, len(hs)
	}
	first, last := hs[0].At, hs[0].At
	for _, h := range hs {
		if h.At.Before(first) {
			first = h.At
		}
		if h.At.After(last) {
			last = h.At
		}
	}
	return last.Sub(first), len(hs)
}

// FileOKs counts, per path, the 200 answers to report files: everything
// but listing pages, robots.txt and the files the crawler cannot finish
// reading (the oversized one, whose read may also time out and be retried).
func (s *Site) FileOKs() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for host, hs := range s.hits {
		for _, h := range hs {
			if h.Status == 200 && !strings.Contains(h.Path, "/index") && h.Path != "/robots.txt" && h.Path != Big {
				m[host+h.Path]++
			}
		}
	}
	return m
}

// String lists the requests answered, a line each.
func (s *Site) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for host, hs := range s.hits {
		for _, h := range hs {
			fmt.Fprintf(&b, "%s %s %d cond=%v\n", host, h.Path, h.Status, h.Cond)
		}
	}
	return b.String()
}

// Answered counts the 200 answers other than robots.txt and the oversized
// file (whose read may time out and be retried); -1 while a request is
// being answered.
func (s *Site) Answered() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight > 0 {
		return -1
	}
	n := 0
	for _, hs := range s.hits {
		for _, h := range hs {
			if h.Status == 200 && h.Path != "/robots.txt" && h.Path != Big {
				n++
			}
		}
	}
	return n
}

// Total is the number, and the time of the latest, of requests both hosts have answered.
func (s *Site) Total() (int, time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, last := 0, time.Time{}
	for _, hs := range s.hits {
		n += len(hs)
		for _, h := range hs {
			if h.At.After(last) {
				last = h.At
			}
		}
	}
	return n, last
}
