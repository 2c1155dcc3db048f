package crawl

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// Link is a link found on a page.
type Link struct {
	URL  string
	Text string // the anchor's text, or its title when the text says nothing
	Year int    // the year the text names, 0 if none
	Date string // YYYY-MM-DD printed beside the link (its list item or table row), when any
}

// Page is what a listing or detail page links to.
type Page struct {
	Reports     []Link   // links that look like annual reports (listing pages)
	Pages       []string // further listing pages: pagination
	Attachments []Link   // links to report files (.pdf, .doc, .docx, .wps, .rtf, .xls, .xlsx, .mht, .mhtml, .odt, .ods, .et)
}

var (
	reportText = regexp.MustCompile(`政府信息公开.{0,8}年度?报|年度报告|年报`)
	yearRe     = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})(?:[^0-9]|$)`)
	dateRe     = regexp.MustCompile(`(?:^|[^0-9])((?:19|20)[0-9]{2})\s*[-./年]\s*([01]?[0-9])\s*[-./月]\s*([0-3]?[0-9])(?:[^0-9]|$)`)
)

// attachmentExts are the extensions of report files a detail page links.
var attachmentExts = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".rtf": true, ".xls": true, ".xlsx": true,
	".mht": true, ".mhtml": true, ".odt": true, ".ods": true, ".et": true}

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

// DateOf returns the first date s prints (2025-03-10, 2025/3/10,
// 2025年3月10日) as YYYY-MM-DD, or "".
func DateOf(s string) string {
	for _, m := range dateRe.FindAllStringSubmatch(s, -1) {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		d, _ := strconv.Atoi(m[3])
		if t := time.Date(y, time.Month(mo), d, 0, 0, 0, 0, time.UTC); t.Month() == time.Month(mo) && t.Day() == d {
			return t.Format("2006-01-02")
		}
	}
	return ""
}

// LooksLikeReport reports whether a link's text names an annual report of
// a given year.
func LooksLikeReport(text string) bool {
	return reportText.MatchString(text) && YearOf(text) > 0
}

// Discover reads a page's text (decoded: see Config.Decode) and returns
// the links a crawler follows: report links and pagination for listing
// pages, attachments for detail pages, as the built-in adapters links and
// trs read them. Links are absolute, without fragments, each once.
func Discover(text, pageURL string) (*Page, error) {
	doc, base, err := parsePage(text, pageURL)
	if err != nil {
		return nil, err
	}
	p := walkLinks(doc, base, builtinAdapter("links").Links)
	p.Pages = appendNew(p.Pages, pagerPages(doc, base, builtinAdapter("trs").Pager)...)
	return p, nil
}

// maxElements bounds the elements of a page whose tree is built to read
// its links (a listing has a few thousand), as the report readers bound
// theirs: a hostile page of 50 MB (the response cap) would otherwise take
// gigabytes in the crawl's own process.
const maxElements = 200_000

var errTooManyElements = fmt.Errorf("%w: more than %d elements, more than any listing holds", errTooLarge, maxElements)

// tooManyElements reports a page of more than maxElements elements (start
// tags), counted without building its tree when it has more '<' than that.
func tooManyElements(text string) bool {
	if strings.Count(text, "<") <= maxElements {
		return false
	}
	z := html.NewTokenizer(strings.NewReader(text))
	for n := 0; ; {
		switch z.Next() {
		case html.ErrorToken:
			return false
		case html.StartTagToken, html.SelfClosingTagToken:
			if n++; n > maxElements {
				return true
			}
		}
	}
}

// parsePage parses a page and returns its base URL (its <base href>, else
// its own URL).
func parsePage(text, pageURL string) (*goquery.Document, *url.URL, error) {
	if tooManyElements(text) {
		return nil, nil, errTooManyElements
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(text))
	if err != nil {
		return nil, nil, err
	}
	base, err := url.Parse(pageURL)
	if err != nil {
		return nil, nil, err
	}
	base.Fragment, base.RawFragment = "", ""
	if h, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(strings.TrimSpace(h)); err == nil {
			base = b
		}
	}
	return doc, base, nil
}

// walkLinks is the link walk: report links by their text, attachments by
// their extension, further listing pages by the rule.
func walkLinks(doc *goquery.Document, base *url.URL, rule *LinksRule) *Page {
	p := &Page{}
	seen := map[string]bool{}
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
				p.Reports = append(p.Reports, Link{URL: s, Text: label, Year: YearOf(label), Date: dateBeside(a)})
			}
		case LooksLikeReport(label):
			if !seen["r"+s] {
				seen["r"+s] = true
				p.Reports = append(p.Reports, Link{URL: s, Text: label, Year: YearOf(label), Date: dateBeside(a)})
			}
		case isNext(rule, label) || isPaged(rule, base, u):
			if u.Host == base.Host && !seen["p"+s] {
				seen["p"+s] = true
				p.Pages = append(p.Pages, s)
			}
		}
	})
	return p
}

func isNext(rule *LinksRule, label string) bool {
	for _, t := range rule.NextText {
		if label == t {
			return true
		}
	}
	return false
}

// dateBeside returns the date printed beside a link: in the nearest of its
// ancestors (up to three levels: a list item, a table row) that prints one
// outside the link and holds no other link.
func dateBeside(a *goquery.Selection) string {
	own := squash(a.Text())
	for n, s := 0, a.Parent(); n < 3 && s.Length() > 0; n, s = n+1, s.Parent() {
		if s.Find("a[href]").Length() > 1 {
			return ""
		}
		if d := DateOf(strings.Replace(squash(s.Text()), own, " ", 1)); d != "" {
			return d
		}
	}
	return ""
}

// pagerPages returns the pages a pager call names: first, then next for
// n = 1 … total-1 (at most 10000), resolved against base.
func pagerPages(doc *goquery.Document, base *url.URL, rule *PagerRule) []string {
	var out []string
	seen := map[string]bool{}
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		for _, m := range rule.call.FindAllStringSubmatch(s.Text(), -1) {
			total, _ := strconv.Atoi(m[rule.call.SubexpIndex("total")])
			total = min(total, 10000)
			vals := map[string]string{"name": m[rule.call.SubexpIndex("name")], "ext": m[rule.call.SubexpIndex("ext")]}
			for i := 0; i < total; i++ {
				t := rule.First
				if i > 0 {
					t, vals["n"] = rule.Next, strconv.Itoa(i)
				}
				if u := resolve(base, fill(t, func(k string) string { return vals[k] })); u != nil && !seen[u.String()] {
					seen[u.String()] = true
					out = append(out, u.String())
				}
			}
		}
	})
	return out
}

// appendNew appends the strings not yet in list.
func appendNew(list []string, more ...string) []string {
	seen := make(map[string]bool, len(list)+len(more))
	for _, s := range list {
		seen[s] = true
	}
	for _, s := range more {
		if !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	return list
}

// isPaged reports whether u is a numbered page (index_2.html) of the
// listing in base's folder.
func isPaged(rule *LinksRule, base, u *url.URL) bool {
	if u.Host != base.Host || path.Dir(u.Path) != path.Dir(base.Path) {
		return false
	}
	return rule.paged.MatchString(path.Base(u.Path))
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
