package crawltest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// Paths of the Hanweb site (host "hanweb"): a jpage column whose first
// three records are inline and the other four come from the dataproxy,
// three a request (perPage 3, groupSize 1).
const (
	HanwebCol   = "/col/col4296/index.html"
	HanwebProxy = "/module/web/jpage/dataproxy.jsp"
	HanwebNews  = "/art/2025/1/10/art_4296_97700.html" // a notice, not a report
	HanwebPlan  = "/art/2024/2/1/art_4296_85000.html"  // a work plan, not a report
)

// hanwebForm is the form the column's jpage call declares; the dataproxy
// answers only requests that carry it.
var hanwebForm = map[string]string{"col": "1", "appid": "1", "webid": "2653", "path": "/", "columnid": "4296",
	"sourceContentType": "1", "unitid": "33519", "webname": "某市人民政府", "permissiontype": "0"}

type record struct{ title, href, date string }

// hanwebRecords are the column's records, newest first, as a Hanweb
// column lists them: five reports (two behind article pages that only
// link their PDF, one PDF linked directly, two report pages) and two
// other articles.
var hanwebRecords = []record{
	{"淮安市人民政府2024年政府信息公开工作年度报告", "/art/2025/1/20/art_4296_97791.html", "2025-01-20"},
	{"关于2025年春节假期安排的通知", HanwebNews, "2025-01-10"},
	{"洪泽区人民政府2024年政府信息公开工作年度报告", "/module/download/downfile.jsp?classid=0&filename=2501151000.pdf", "2025-01-15"},
	{"平潭综合实验区2023年度政府信息公开工作年度报告", "/art/2024/3/8/art_4296_88001.html", "2024-03-10"},
	{"关于印发2024年政务公开工作要点的通知", HanwebPlan, "2024-02-01"},
	{"洪泽区人民政府2023年政府信息公开工作年度报告", "/art/2024/1/20/art_4296_80002.html", "2024-01-20"},
	{"平潭综合实验区2021年度政府信息公开工作年度报告", "/art/2022/2/8/art_4296_80613.html", "2022-02-08"},
}

const hanwebInline = 3

func (r record) li() string {
	return fmt.Sprintf(`<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>`, r.href, r.title, r.title, r.date)
}

// HanwebReports are the URLs of the files the Hanweb column's reports live
// in, and the publication date each has in the database: its own when it
// states one, else the date beside its link on the listing.
func (s *Site) HanwebReports() map[string]string {
	h := s.Hanweb.URL
	return map[string]string{
		h + "/picture/0/2501201530.pdf": "2025-01-20",
		h + hanwebRecords[2].href:       "2025-01-15",
		h + hanwebRecords[3].href:       "2024-03-08", // the page's own date, not the listing's 2024-03-10
		h + "/picture/0/2401201100.pdf": "2024-01-20",
		h + hanwebRecords[6].href:       "2022-02-08",
	}
}

// Paths of the script-drawn site (host "drawn"): a listing page with no
// links, whose script draws three items a page from a JSON API and a 下一页
// button; robots.txt disallows the statistics beacon the script calls.
const (
	DrawnList   = "/xxgk/ndbg/index.html"
	DrawnAPI    = "/api/xxgk/list"
	DrawnScript = "/static/js/list.js"
	DrawnBeacon = "/stats/pv"
	DrawnNotice = "/xxgk/ndbg/202501/t20250105_9.html" // not a report
)

type apiItem struct {
	Title       string `json:"title"`
	URL         string `json:"url"`
	PublishDate string `json:"publishDate"`
}

var drawnItems = []apiItem{
	{"淮安市洪泽区人民政府2024年政府信息公开工作年度报告", "/xxgk/ndbg/202501/P020250125.pdf", "2025-01-25 09:30:00"},
	{"关于公布2024年度行政许可事项的公告", DrawnNotice, "2025-01-05 10:00:00"},
	{"平潭综合实验区2023年度政府信息公开工作年度报告", "/xxgk/ndbg/202403/P020240308.pdf", "2024-03-08 10:00:00"},
	{"平潭县人民政府2013年政府信息公开工作年度报告", "/xxgk/ndbg/201401/t20140122_1.html", "2014-01-22 16:00:00"},
	{"2024年第四季度政务公开工作情况", "/xxgk/ndbg/202412/t20241230_8.html", "2024-12-30 09:00:00"},
	{"淮安市人民政府2024年政府信息公开工作年度报告", "/xxgk/ndbg/202501/P020250120.pdf", "2025-01-20 08:00:00"},
}

const drawnPerPage = 3

// DrawnReports are the URLs of the drawn listing's four reports, and the
// publication date each has in the database.
func (s *Site) DrawnReports() map[string]string {
	d := s.Drawn.URL
	return map[string]string{
		d + drawnItems[0].URL: "2025-01-25",
		d + drawnItems[2].URL: "2024-03-08",
		d + drawnItems[3].URL: "2014-01-22", // the page's own date
		d + drawnItems[5].URL: "2025-01-20",
	}
}

func (s *Site) platformFiles(t testing.TB, add func(host, path, ctype string, body func() []byte)) {
	var inline strings.Builder
	for _, r := range hanwebRecords[:hanwebInline] {
		inline.WriteString("<record><![CDATA[\n" + r.li() + "\n]]></record>\n")
	}
	add("hanweb", HanwebCol, "text/html; charset=utf-8", func() []byte {
		return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年报 某市人民政府</title>
<script type="text/javascript" src="/module/jslib/jquery/jquery.js"></script></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/col/col4290/index.html">政府信息公开</a> &gt; <a href="/col/col4296/index.html">政府信息公开年报</a></div>
<div class="list"><div id="33519"><script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&appid=1&webid=2653&path=/&columnid=4296&unitid=33519&webname=%E6%9F%90%E5%B8%82%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C&permissiontype=0"></a>]]></nextgroup>
<recordset>
` + inline.String() + `</recordset>
</datastore></script></div></div>
<script language="javascript" src="/module/web/jpage/jpage.js"></script>
<script>$(function () {
  $('#33519').jpage({
    dataStore: $('#33519 script[type="text/xml"]').text(),
    themeName: 'default', openCookies: false, showMode: 'full',
    proxyUrl: '/module/web/jpage/dataproxy.jsp', perPage: 3, totalRecord: 7, groupSize: 1,
    ajaxParam: {col: 1, appid: 1, webid: 2653, path: '/', columnid: 4296, sourceContentType: 1, unitid: 33519, webname: '某市人民政府', permissiontype: 0}
  });
});</script>
<div class="foot">主办：某市人民政府办公室</div></body></html>`)
	})
	wrapper := func(title, pdf string) func() []byte {
		return func() []byte {
			return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body>
<h1>` + title + `</h1><div class="zoom"><p>附件：<a href="` + pdf + `">` + title + `.pdf</a></p></div></body></html>`)
		}
	}
	page := func(title string) func() []byte {
		return func() []byte {
			return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>` + title + `</title></head><body><h1>` + title + `</h1><p>……</p></body></html>`)
		}
	}
	add("hanweb", hanwebRecords[0].href, "text/html; charset=utf-8", wrapper(hanwebRecords[0].title, "/picture/0/2501201530.pdf"))
	add("hanweb", "/picture/0/2501201530.pdf", "application/pdf", func() []byte { return s.file(t, "2024_huaian_szf_1.pdf") })
	add("hanweb", HanwebNews, "text/html; charset=utf-8", page(hanwebRecords[1].title))
	add("hanweb", "/module/download/downfile.jsp", "application/pdf", func() []byte { return s.file(t, "2024_hongze_qzf_1.pdf") })
	add("hanweb", hanwebRecords[3].href, "text/html; charset=utf-8", func() []byte { return s.file(t, "2023_pingtan_1.html") })
	add("hanweb", HanwebPlan, "text/html; charset=utf-8", page(hanwebRecords[4].title))
	add("hanweb", hanwebRecords[5].href, "text/html; charset=utf-8", wrapper(hanwebRecords[5].title, "/picture/0/2401201100.pdf"))
	add("hanweb", "/picture/0/2401201100.pdf", "application/pdf", func() []byte { return s.file(t, "2023_hongze_qzf_1.pdf") })
	add("hanweb", hanwebRecords[6].href, "text/html; charset=utf-8", func() []byte { return s.file(t, "2021_pingtan_1.html") })

	add("drawn", "/robots.txt", "text/plain", func() []byte { return []byte("User-agent: *\nDisallow: /stats/\n") })
	add("drawn", DrawnList, "text/html; charset=utf-8", func() []byte {
		return []byte(`<!DOCTYPE html><html><head><meta charset="utf-8"><title>政府信息公开年度报告_某区人民政府</title>
<link rel="stylesheet" href="/static/css/list.css"></head><body>
<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; 政府信息公开年度报告</div>
<ul id="list"></ul><div id="pager"></div>
<script src="` + DrawnScript + `"></script>
<script>drawList('ndbg', 1);</script>
</body></html>`)
	})
	add("drawn", DrawnScript, "application/javascript; charset=utf-8", func() []byte {
		return []byte(`function drawList(channel, page) {
  fetch('` + DrawnBeacon + `?page=' + page).catch(function () {});
  var xhr = new XMLHttpRequest();
  xhr.open('GET', '` + DrawnAPI + `?channel=' + channel + '&page=' + page + '&size=` + strconv.Itoa(drawnPerPage) + `');
  xhr.setRequestHeader('X-Requested-With', 'XMLHttpRequest');
  xhr.onload = function () {
    var d = JSON.parse(xhr.responseText).data;
    var ul = document.getElementById('list');
    ul.innerHTML = '';
    d.list.forEach(function (it) {
      var li = document.createElement('li'), a = document.createElement('a'), span = document.createElement('span');
      a.href = it.url; a.textContent = it.title; a.target = '_blank';
      span.textContent = it.publishDate.substring(0, 10);
      li.appendChild(a); li.appendChild(span); ul.appendChild(li);
    });
    var pager = document.getElementById('pager');
    pager.innerHTML = '<span>第' + page + '页/共' + d.pages + '页</span> ';
    if (page < d.pages) {
      var next = document.createElement('a');
      next.href = 'javascript:;'; next.textContent = '下一页';
      next.onclick = function () { drawList(channel, page + 1); };
      pager.appendChild(next);
    }
  };
  xhr.send();
}
`)
	})
	add("drawn", drawnItems[0].URL, "application/pdf", func() []byte { return s.file(t, "2024_hongze_qzf_1.pdf") })
	add("drawn", DrawnNotice, "text/html; charset=utf-8", page(drawnItems[1].Title))
	add("drawn", drawnItems[2].URL, "application/pdf", func() []byte { return s.file(t, "2023_pingtan_1_chromium.pdf") })
	add("drawn", drawnItems[3].URL, "text/html; charset=utf-8", func() []byte { return s.file(t, "2013_pingtanxian_1.html") })
	add("drawn", drawnItems[4].URL, "text/html; charset=utf-8", page(drawnItems[4].Title))
	add("drawn", drawnItems[5].URL, "application/pdf", func() []byte { return s.file(t, "2024_huaian_szf_1.pdf") })
}

// dataproxy answers Hanweb's record requests, GET or POST: records
// startrecord … endrecord, with the total; 400 without the column's form.
func (s *Site) dataproxy(w http.ResponseWriter, r *http.Request) int {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return 400
	}
	for k, v := range hanwebForm {
		if r.Form.Get(k) != v {
			http.Error(w, "missing or wrong "+k, http.StatusBadRequest)
			return 400
		}
	}
	start, err1 := strconv.Atoi(r.Form.Get("startrecord"))
	end, err2 := strconv.Atoi(r.Form.Get("endrecord"))
	per, err3 := strconv.Atoi(r.Form.Get("perpage"))
	if err1 != nil || err2 != nil || err3 != nil || start < 1 || end < start || per < 1 {
		http.Error(w, "bad record range", http.StatusBadRequest)
		return 400
	}
	total := len(hanwebRecords)
	var b strings.Builder
	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<datastore>\n<totalrecord>%d</totalrecord>\n<totalpage>%d</totalpage>\n<recordset>\n", total, (total+per-1)/per)
	for i := start; i <= end && i <= total; i++ {
		b.WriteString("<record><![CDATA[\n" + hanwebRecords[i-1].li() + "\n]]></record>\n")
	}
	b.WriteString("</recordset>\n</datastore>\n")
	w.Header().Set("Content-Type", "text/xml;charset=UTF-8")
	w.Write([]byte(b.String()))
	return 200
}

// listAPI answers the drawn listing's JSON API: a page of items, with the
// number of pages.
func (s *Site) listAPI(w http.ResponseWriter, r *http.Request) int {
	q := r.URL.Query()
	page, err1 := strconv.Atoi(q.Get("page"))
	size, err2 := strconv.Atoi(q.Get("size"))
	if q.Get("channel") != "ndbg" || err1 != nil || err2 != nil || page < 1 || size < 1 {
		http.Error(w, `{"code":400,"msg":"bad request"}`, http.StatusBadRequest)
		return 400
	}
	total := len(drawnItems)
	var items []apiItem
	for i := (page - 1) * size; i < page*size && i < total; i++ {
		items = append(items, drawnItems[i])
	}
	body, _ := json.Marshal(map[string]any{"code": 0, "msg": "ok", "data": map[string]any{
		"total": total, "pages": (total + size - 1) / size, "page": page, "list": items}})
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.Write(body)
	return 200
}
