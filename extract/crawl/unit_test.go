package crawl

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestRobots(t *testing.T) {
	const txt = `# comment
User-agent: *
Disallow: /

User-agent: Baiduspider
User-agent: govreport   # ours
Disallow: /zwgk/private/
Allow: /zwgk/private/nb/
Disallow: /*.jsp$
Disallow: /search?
Crawl-delay: 2.5

Sitemap: https://example.gov.cn/sitemap.xml
User-agent: other
Disallow:
`
	r := ParseRobots([]byte(txt), UserAgent)
	cases := map[string]bool{
		"/":                          true,
		"/zwgk/nb/index.html":        true,
		"/zwgk/private/a.html":       false,
		"/zwgk/private/nb/2021.html": true, // the longer Allow wins
		"/module/download.jsp":       false,
		"/module/download.jsp?id=1":  true, // $ anchors the end
		"/search?q=年报":               false,
		"/robots.txt":                true,
	}
	for p, want := range cases {
		if got := r.Allowed(p); got != want {
			t.Errorf("Allowed(%q) = %v, want %v", p, got, want)
		}
	}
	if r.CrawlDelay != 2500*time.Millisecond {
		t.Errorf("Crawl-delay %s", r.CrawlDelay)
	}
	// An agent without a group of its own gets "*".
	if ParseRobots([]byte(txt), "somebot").Allowed("/zwgk/nb/") {
		t.Error("the * group not applied")
	}
	// "Disallow:" with nothing allows everything.
	if !ParseRobots([]byte(txt), "other").Allowed("/anything") {
		t.Error("empty Disallow blocked")
	}
	// Equal lengths: Allow wins.
	if !ParseRobots([]byte("User-agent: *\nDisallow: /a\nAllow: /a\n"), UserAgent).Allowed("/a") {
		t.Error("tie not resolved to Allow")
	}
	if DisallowAll.Allowed("/x") || !AllowAll.Allowed("/x") {
		t.Error("AllowAll/DisallowAll")
	}
}

func TestDiscover(t *testing.T) {
	page := `<html><head><meta charset="gbk"><base href="http://www.example.gov.cn/zwgk/nb/"></head><body>
<a href="./202202/t1.htm" title="某县2021年度政府信息公开工作年度报告">某县2021年度政府信息公开工...</a>
<a href="../nb/t2.htm">2020年政府信息公开年报</a>
<a href="t3.htm">关于2020年度预算的公告</a>
<a href="/module/download/downfile.jsp?filename=abc.pdf">附件：年度报告.pdf</a>
<a href="http://files.example.gov.cn/2019.docx">2019年度报告</a>
<a href="javascript:void(0)">2018年度报告</a>
<a href="#top">2017年度报告</a>
<a href="index_5.html">5</a> <a href="http://other.gov.cn/index_1.html">下一页</a> <a href="list_2.html">尾页</a>
<script>createPageHTML(3, 0, "index", "shtml");</script>
</body></html>`
	p, err := Discover(page, "http://www.example.gov.cn/zwgk/nb/index.shtml")
	if err != nil {
		t.Fatal(err)
	}
	reports := map[string]int{}
	for _, l := range p.Reports {
		reports[l.URL] = l.Year
	}
	want := map[string]int{
		"http://www.example.gov.cn/zwgk/nb/202202/t1.htm": 2021,
		"http://www.example.gov.cn/zwgk/nb/t2.htm":        2020,
		"http://files.example.gov.cn/2019.docx":           2019,
	}
	for u, y := range want {
		if reports[u] != y {
			t.Errorf("report %s: year %d, want %d (got %v)", u, reports[u], y, reports)
		}
	}
	if len(reports) != len(want) {
		t.Errorf("reports: %v", reports)
	}
	if len(p.Attachments) != 2 {
		t.Errorf("attachments: %+v", p.Attachments)
	}
	pages := map[string]bool{}
	for _, u := range p.Pages {
		pages[u] = true
	}
	for _, u := range []string{"index.shtml", "index_1.shtml", "index_2.shtml", "index_5.html", "list_2.html"} {
		if !pages["http://www.example.gov.cn/zwgk/nb/"+u] {
			t.Errorf("page %s not found in %v", u, p.Pages)
		}
	}
	if pages["http://other.gov.cn/index_1.html"] {
		t.Error("pagination onto another host")
	}
}

func TestIsAttachmentAndYear(t *testing.T) {
	for s, want := range map[string]bool{
		"http://a/b/c.PDF": true, "http://a/x.wps": true, "http://a/f.jsp?filename=x.doc": true,
		"http://a/2013tj.xlsx": true, "http://a/d.jsp?name=tj.xls": true, "http://a/nb.rtf": true,
		"http://a/nb.mht": true, "http://a/nb.MHTML": true, "http://a/nb.odt": true, "http://a/tj.ods": true,
		"http://a/tj.et": true, "http://a/d.jsp?name=tj.et": true,
		"http://a/b.html": false, "http://a/b.pdf.html": false, "http://a/b.odp": false,
	} {
		u, _ := url.Parse(s)
		if IsAttachment(u) != want {
			t.Errorf("IsAttachment(%s) != %v", s, want)
		}
	}
	for s, want := range map[string]int{"2021年度报告": 2021, "第12023号": 0, "二〇二一年": 0, "平潭2019年年报": 2019} {
		if YearOf(s) != want {
			t.Errorf("YearOf(%q) = %d, want %d", s, YearOf(s), want)
		}
	}
}

func TestRetryAfter(t *testing.T) {
	if d := parseRetryAfter("3"); d != 3*time.Second {
		t.Error(d)
	}
	if d := parseRetryAfter(time.Now().Add(10 * time.Second).UTC().Format(http.TimeFormat)); d < 8*time.Second || d > 11*time.Second {
		t.Error(d)
	}
	if d := parseRetryAfter("soon"); d != 0 {
		t.Error(d)
	}
}

// The date beside a report link is its list item's or table row's, never
// one shared by several links.
func TestDateBeside(t *testing.T) {
	page := `<html><body><ul>
<li><a href="a.htm">某县2021年度政府信息公开工作年度报告</a><span>2022-02-08</span></li>
<li><span class="d">[2021/1/30]</span> <a href="b.htm">某县2020年度政府信息公开工作年度报告</a></li>
</ul><table><tr><td><a href="c.pdf">某县2019年政府信息公开年报.pdf</a></td><td>2020年1月20日</td></tr></table>
<div>2018-03-01 <a href="d.htm">2017年度报告</a> <a href="e.htm">2016年度报告</a></div>
<p><a href="f.htm">2015年度报告（2016-01-10修订）</a></p>
</body></html>`
	p, err := Discover(page, "http://x.gov.cn/nb/")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a.htm": "2022-02-08", "b.htm": "2021-01-30", "c.pdf": "2020-01-20", "d.htm": "", "e.htm": "", "f.htm": ""}
	if len(p.Reports) != len(want) {
		t.Fatalf("reports %+v", p.Reports)
	}
	for _, l := range p.Reports {
		if d := want[strings.TrimPrefix(l.URL, "http://x.gov.cn/nb/")]; l.Date != d {
			t.Errorf("%s: date %q, want %q", l.URL, l.Date, d)
		}
	}
}
