package crawl

import (
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"

	"github.com/PuerkitoBio/goquery"
)

// Link is a link found on a page.
type Link struct {
	URL  string
	Text string // the anchor's text, or its title when the text says nothing
	Year int    // the year the text names, 0 if none
}

// Page is what a listing or detail page links to.
type Page struct {
	Reports     []Link   // links that look like annual reports (listing pages)
	Pages       []string // further listing pages: pagination
	Attachments []Link   // links to report files (.pdf, .doc, .docx, .wps, .rtf, .xls, .xlsx)
}

var (
	reportText = regexp.MustCompile(`政府信息公开.{0,8}年度?报|年度报告|年报`)
	yearRe     = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)
	// createPageHTML(total, current, "index", "html") of the TRS CMS.
	trsPager = regexp.MustCompile(`createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([^'"]+)['"]\s*,\s*['"]([^'"]+)['"]`)
	// index_3.html, list_2.shtml: numbered pages of a listing.
	pagedName = regexp.MustCompile(`^(index|list|default)(_\d+)?\.s?html?$`)
	pagerText = map[string]bool{"下一页": true, "下页": true, "尾页": true, "末页": true, "最后一页": true, "后一页": true}
)

// attachmentExts are the extensions of report files a detail page links.
var attachmentExts = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".rtf": true, ".xls": true, ".xlsx": true}

// IsAttachment reports whether a URL names a report file by its extension,
// in its path or in a query parameter (download scripts: ?filename=x.pdf).
func IsAttachment(u *url.URL) bool {
	if attachmentExts[strings.ToLower(path.Ext(u.Path))] {
		return true
	}
	for _, vs := range u.Query() {
		for _, v := range vs {
			if attachmentExts[strings.ToLower(path.Ext(v))] {
				return true
			}
		}
	}
	return false
}

// YearOf returns the year a link's text names (the first 19xx or 20xx
// standing alone), or 0.
func YearOf(s string) int {
	m := yearRe.FindStringSubmatch(s)
	if m == nil {
		return 0
	}
	y, _ := strconv.Atoi(m[1])
	return y
}

// LooksLikeReport reports whether a link's text names an annual report of
// a given year.
func LooksLikeReport(text string) bool {
	return reportText.MatchString(text) && YearOf(text) > 0
}

// Discover reads a page's text (decoded: see Config.Decode) and returns
// the links a crawler follows: report links and pagination for listing
// pages, attachments for detail pages. Links are absolute, without
// fragments, each once.
func Discover(text, pageURL string) (*Page, error) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, err
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, err
	}
	if h, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(h)); err == nil {
			base = b
		}
	}
	p := &Page{}
	seen := map[string]bool{}
	addPage := func(u *url.URL) {
		s := u.String()
		if !seen["p"+s] {
			seen["p"+s] = true
			p.Pages = append(p.Pages, s)
		}
	}
	doc.Find("a[href], area[href]").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		u := resolve(base, href)
		if u == nil {
			return
		}
		s := u.String()
		label := squash(a.Text())
		title := squash(a.AttrOr("title", ""))
		if title != "" && !LooksLikeReport(label) && (LooksLikeReport(title) || label == "" || strings.HasSuffix(label, "...") || strings.HasSuffix(label, "…")) {
			label = title
		}
		switch {
		case IsAttachment(u) || attachmentExts[strings.ToLower(path.Ext(label))]:
			if !seen["a"+s] {
				seen["a"+s] = true
				p.Attachments = append(p.Attachments, Link{URL: s, Text: label, Year: YearOf(label)})
			}
			if LooksLikeReport(label) && !seen["r"+s] {
				seen["r"+s] = true
				p.Reports = append(p.Reports, Link{URL: s, Text: label, Year: YearOf(label)})
			}
		case LooksLikeReport(label):
			if !seen["r"+s] {
				seen["r"+s] = true
				p.Reports = append(p.Reports, Link{URL: s, Text: label, Year: YearOf(label)})
			}
		case pagerText[label] || isPaged(base, u):
			if u.Host == base.Host {
				addPage(u)
			}
		}
	})
	// TRS pagination: createPageHTML(total, current, "index", "html") writes
	// index.html, index_1.html … index_{total-1}.html in the page's folder.
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		for _, m := range trsPager.FindAllStringSubmatch(s.Text(), -1) {
			total, _ := strconv.Atoi(m[1])
			if total > 10000 {
				total = 10000
			}
			for i := 0; i < total; i++ {
				name := m[3] + "." + m[4]
				if i > 0 {
					name = m[3] + "_" + strconv.Itoa(i) + "." + m[4]
				}
				if u := resolve(base, name); u != nil {
					addPage(u)
				}
			}
		}
	})
	return p, nil
}

// isPaged reports whether u is a numbered page (index_2.html) of the
// listing in base's folder.
func isPaged(base, u *url.URL) bool {
	if u.Host != base.Host || path.Dir(u.Path) != path.Dir(base.Path) {
		return false
	}
	return pagedName.MatchString(path.Base(u.Path))
}

// resolve makes href absolute against base; nil for links a crawler does
// not follow (scripts, mail, anchors on the same page, other schemes).
func resolve(base *url.URL, href string) *url.URL {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return nil
	}
	u, err := base.Parse(href)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	u.Fragment, u.RawFragment = "", ""
	return u
}

func squash(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
