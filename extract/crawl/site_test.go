package crawl

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

// hit is one request a fixture server answered.
type hit struct {
	path   string
	status int
	at     time.Time
	cond   bool // carried If-None-Match or If-Modified-Since
	ua     string
}

// site is a fixture county government website: GBK listing pages with TRS
// pagination, report pages, a PDF-only page, robots.txt, a flaky page, a
// slow page, an oversized file, a redirect loop, and links to a second
// host that serves one attachment.
type site struct {
	main, other *httptest.Server
	mu          sync.Mutex
	hits        map[string][]hit // by host
	failed      map[string]bool  // paths that answered 503 once already
	slow        time.Duration
	inflight    int // requests being answered
}

func corpus(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
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
	pList0    = "/zwgk/nb/index.html"
	pList1    = "/zwgk/nb/index_1.html"
	pList2    = "/zwgk/nb/index_2.html"
	pR2021    = "/zwgk/nb/202202/t20220208_80613.htm"
	pR2023    = "/zwgk/nb/202301/t20230130_1.htm"
	pWrap2024 = "/zwgk/nb/202401/t20240125_2.htm"
	pR2017    = "/zwgk/nb/201802/t20180201_3.htm" // 503 once
	pPDF2023  = "/files/2023hz.pdf"
	pDocx     = "/files/template.docx"
	pSlow     = "/zwgk/nb/slow/t2016.htm"
	pBig      = "/files/big.pdf"
	pLoopA    = "/loop/a.htm"
	pLoopB    = "/loop/b.htm"
	pMissing  = "/zwgk/nb/201302/t2013.htm"
	pInternal = "/internal/2020nb.htm"
	pOtherRep = "/nb/2019.htm"            // on the other host: a report page, never fetched
	pOtherPDF = "/upload/2024/hz2024.pdf" // on the other host: an attachment
)

func newSite(t testing.TB) *site {
	s := &site{hits: map[string][]hit{}, failed: map[string]bool{}, slow: 8 * time.Second}
	s.other = httptest.NewServer(s.handler(t, "other"))
	s.main = httptest.NewServer(s.handler(t, "main"))
	t.Cleanup(func() { s.main.Close(); s.other.Close() })
	return s
}

func (s *site) handler(t testing.TB, name string) http.Handler {
	A := func() string { return s.main.URL }
	B := func() string { return s.other.URL }
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
	add("main", pList0, "text/html", func() []byte {
		return gbk(t, listHead+`<ul class="list">
<li><a href="./202202/t20220208_80613.htm" title="平潭综合实验区2021年度政府信息公开工作年度报告" target="_blank">平潭综合实验区2021年度政府信息公开工作年度...</a><span>2022-02-08</span></li>
<li><a href="`+A()+pR2023+`">平潭综合实验区2023年政府信息公开工作年度报告</a><span>2024-01-30</span></li>
<li><a href="./202401/t20240125_2.htm">洪泽区人民政府2024年政府信息公开工作年度报告</a><span>2025-01-25</span></li>
<li><a href="/internal/2020nb.htm">2020年政府信息公开工作年度报告（内部稿）</a></li>
<li><a href="`+B()+pOtherRep+`">某市2019年度报告（转载）</a></li>
<li><a href="./news/t1.htm">关于开展2024年政务公开培训的通知</a></li>
</ul>
<div class="page"><script>createPageHTML(3, 0, "index", "html");</script></div></body></html>`)
	})
	add("main", pList1, "text/html; charset=GBK", func() []byte {
		return gbk(t, listHead+`<table class="list">
<tr><td><a href="../nb/201802/t20180201_3.htm">2017年度政府信息公开工作年度报告</a></td><td>2018-02-01</td></tr>
<tr><td><a href="/files/2023hz.pdf">洪泽区2023年政府信息公开工作年报.pdf</a></td><td>2024-01-20</td></tr>
<tr><td><a href="slow/t2016.htm">2016年政府信息公开年度报告</a></td><td>2017-03-01</td></tr>
</table>
<div class="page"><a href="index.html">上一页</a> <a href="index_2.html">下一页</a> <a href="index_2.html">尾页</a>
<script language="JavaScript">createPageHTML(3, 1, "index", "html");</script></div></body></html>`)
	})
	add("main", pList2, "text/html", func() []byte {
		return gbk(t, listHead+`<ul>
<li><a href="/files/big.pdf">2015年政府信息公开工作年度报告</a></li>
<li><a href="/loop/a.htm">2014年政府信息公开工作年度报告</a></li>
<li><a href="./201302/t2013.htm">2012年政府信息公开工作年度报告</a></li>
</ul><script>createPageHTML(3, 2, "index", "html");</script></body></html>`)
	})
	add("main", pR2021, "text/html; charset=utf-8", func() []byte { return corpus(t, "2021_pingtan_1.html") })
	add("main", pR2023, "text/html; charset=utf-8", func() []byte { return corpus(t, "2023_pingtan_1.html") })
	add("main", pR2017, "text/html; charset=utf-8", func() []byte { return corpus(t, "2017_pingtan_1.html") })
	add("main", pWrap2024, "text/html; charset=utf-8", func() []byte {
		return []byte(`<html><head><meta charset="utf-8"><title>洪泽区人民政府2024年政府信息公开工作年度报告</title></head><body>
<h1>洪泽区人民政府2024年政府信息公开工作年度报告</h1>
<p>附件：<a href="` + B() + pOtherPDF + `">洪泽区人民政府2024年政府信息公开工作年度报告.pdf</a></p>
<p>附件：<a href="/files/template.docx">年度报告格式.docx</a></p></body></html>`)
	})
	add("main", pPDF2023, "application/pdf", func() []byte { return corpus(t, "2023_hongze_qzf_1.pdf") })
	add("main", pDocx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", func() []byte { return corpus(t, "template_blank_guoban2021_1.docx") })
	add("other", pOtherPDF, "application/pdf", func() []byte { return corpus(t, "2024_hongze_qzf_1.pdf") })
	add("other", pOtherRep, "text/html; charset=utf-8", func() []byte { return corpus(t, "2021_pingtan_1.html") })

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		at := time.Now() // arrival, for the spacing check
		s.mu.Lock()
		s.inflight++
		s.mu.Unlock()
		status := s.serve(name, files, w, r)
		s.mu.Lock()
		s.inflight--
		s.hits[name] = append(s.hits[name], hit{path: r.URL.Path, status: status, at: at,
			cond: r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "", ua: r.UserAgent()})
		s.mu.Unlock()
	})
}

func (s *site) serve(name string, files map[string]struct {
	body  func() []byte
	ctype string
}, w http.ResponseWriter, r *http.Request) int {
	p := r.URL.Path
	switch {
	case p == "/robots.txt" && name == "main":
		w.Write([]byte("# robots.txt of a county government site\nUser-agent: *\nDisallow: /\n\nUser-agent: Baiduspider\nUser-agent: govreport\nDisallow: /internal/\nAllow: /internal/public/\n"))
		return 200
	case p == pR2017:
		s.mu.Lock()
		first := !s.failed[p]
		s.failed[p] = true
		s.mu.Unlock()
		if first {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return 503
		}
	case p == pSlow:
		select {
		case <-time.After(s.slow):
		case <-r.Context().Done():
			return 0
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write([]byte("<html><body><h1>2016年政府信息公开年度报告</h1><p>一、概述</p></body></html>"))
		return 200
	case p == pBig: // chunked, no Content-Length: the reader must stop itself
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
	case p == pLoopA:
		http.Redirect(w, r, pLoopB, http.StatusFound)
		return 302
	case p == pLoopB:
		http.Redirect(w, r, pLoopA, http.StatusFound)
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

// count returns how many requests a host answered for path with status
// (any status when status is 0).
func (s *site) count(host, path string, status int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, h := range s.hits[host] {
		if h.path == path && (status == 0 || h.status == status) {
			n++
		}
	}
	return n
}

// span is the time between the first and the last request to a host.
func (s *site) span(host string) (time.Duration, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	hs := s.hits[host]
	if len(hs) < 2 {
		return 0, len(hs)
	}
	first, last := hs[0].at, hs[0].at
	for _, h := range hs {
		if h.at.Before(first) {
			first = h.at
		}
		if h.at.After(last) {
			last = h.at
		}
	}
	return last.Sub(first), len(hs)
}

// fileOKs counts, per path, the 200 answers to report files: everything
// but listing pages, robots.txt and the files the crawler cannot finish
// reading (the oversized one, whose read may also time out and be retried).
func (s *site) fileOKs() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	m := map[string]int{}
	for host, hs := range s.hits {
		for _, h := range hs {
			if h.status == 200 && !strings.Contains(h.path, "/index") && h.path != "/robots.txt" && h.path != pBig {
				m[host+h.path]++
			}
		}
	}
	return m
}

func (s *site) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var b strings.Builder
	for host, hs := range s.hits {
		for _, h := range hs {
			fmt.Fprintf(&b, "%s %s %d cond=%v\n", host, h.path, h.status, h.cond)
		}
	}
	return b.String()
}
