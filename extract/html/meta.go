package html

import (
	"fmt"
	"net/url"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/text/unicode/norm"

	"govreport"
	"govreport/normalize/textnorm"
)

// cmsMeta are the <meta name> tags of common CMSs (TRS WCM and others)
// kept in Meta, under these spellings.
var cmsMeta = []string{"ArticleTitle", "PubDate", "ColumnName", "ContentSource"}

// labelWords are the printed metadata labels, longer ones first.
var labelWords = []string{"索引号", "发布机构", "发文机关", "发文单位", "发文机构", "成文日期", "发文日期", "发布日期", "公开日期", "生效日期", "发布时间", "发文字号", "文号", "主题分类", "信息来源", "来源", "时间"}

// labelRe finds the printed metadata labels, colon included (NFKC has
// already turned ： into :).
var labelRe = regexp.MustCompile(`(` + strings.Join(labelWords, "|") + `)\s*:`)

// findLabels is labelRe.FindAllStringSubmatchIndex(s, -1), the regexp run
// only when a colon follows a label (most lines have none).
func findLabels(s string) [][]int {
	if !labelColon(s) {
		return nil
	}
	return labelRe.FindAllStringSubmatchIndex(s, -1)
}

// labelColon reports whether labelRe matches s: some colon is preceded,
// after the blanks \s skips, by a label (labels end in no blank).
func labelColon(s string) bool {
	for c := 0; c < len(s); c++ {
		k := strings.IndexByte(s[c:], ':')
		if k < 0 {
			return false
		}
		c += k
		b := c
		for b > 0 && (s[b-1] == ' ' || s[b-1] == '\t' || s[b-1] == '\n' || s[b-1] == '\f' || s[b-1] == '\r') {
			b--
		}
		for _, w := range labelWords {
			if strings.HasSuffix(s[:b], w) {
				return true
			}
		}
	}
	return false
}

// bareLabels are the labels a table cell may hold alone, its value in the
// next cell.
var bareLabels = map[string]bool{"索引号": true, "发布机构": true, "发文机关": true, "发文单位": true, "成文日期": true, "发文日期": true, "发布日期": true, "发文字号": true, "文号": true, "主题分类": true}

// dateKeys are the labels Meta["date"] is taken from, by preference.
var dateKeys = []string{"发文日期", "成文日期", "发布日期", "公开日期", "PubDate", "发布时间", "时间"}

// metaTable reports a table holding page metadata: two labels or more.
func metaTable(lines []govreport.Line) bool {
	seen := map[string]bool{}
	for _, l := range lines {
		for _, c := range l.Cells {
			if c.Spanned {
				continue
			}
			for _, loc := range findLabels(c.Text) {
				seen[c.Text[loc[2]:loc[3]]] = true
			}
			if bareLabels[c.Text] {
				seen[c.Text] = true
			}
		}
	}
	n := 0
	for k := range seen {
		if k != "时间" && k != "来源" {
			n++
		}
	}
	return n >= 2
}

// readMeta fills m from the CMS <meta> tags, the printed labels anywhere on
// the page (all: every line of the body), and the <title>.
func readMeta(root *nethtml.Node, all []govreport.Line, m map[string]string) {
	// One walk for what CSS selectors meta[name], title and h1 would find
	// (elements by tag name, in document order).
	var metas []*nethtml.Node
	var title, h1 *nethtml.Node
	var walk func(n *nethtml.Node)
	walk = func(n *nethtml.Node) {
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != nethtml.ElementNode {
				continue
			}
			switch c.Data {
			case "meta":
				if _, ok := attrKey(c, "name"); ok {
					metas = append(metas, c)
				}
			case "title":
				if title == nil {
					title = c
				}
			case "h1":
				if h1 == nil {
					h1 = c
				}
			}
			walk(c)
		}
	}
	walk(root)
	for _, n := range metas {
		name, _ := attrKey(n, "name")
		content, _ := attrKey(n, "content")
		content = clean(content)
		for _, k := range cmsMeta {
			if strings.EqualFold(strings.TrimSpace(name), k) && content != "" && m[k] == "" {
				m[k] = content
			}
		}
	}
	for _, l := range all {
		labels(l, m)
	}
	switch {
	case m["ArticleTitle"] != "":
		m["title"] = m["ArticleTitle"]
	default:
		if t := titleOf(textOrEmpty(title)); t != "" {
			m["title"] = t
		} else if h := clean(textOrEmpty(h1)); h != "" {
			m["title"] = h
		}
	}
	for _, k := range dateKeys {
		if d := normDate(m[k]); d != "" {
			m["date"] = d
			break
		}
	}
}

// attrKey returns the value of n's first attribute named key exactly (any
// namespace), as goquery's Attr does.
func attrKey(n *nethtml.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// textOrEmpty is textOf(n), "" for no node.
func textOrEmpty(n *nethtml.Node) string {
	if n == nil {
		return ""
	}
	return textOf(n)
}

// clean NFKC-normalizes s and collapses its whitespace.
func clean(s string) string {
	var t textBuf
	t.Add(s)
	return strings.TrimSpace(t.Take())
}

// titleOf strips the column and site names CMSs append to a <title>
// (报告_政府信息公开年报_某某政府).
func titleOf(s string) string {
	s = clean(s)
	for _, sep := range []string{"_", " - ", " | ", "|", "——", " — "} {
		if i := strings.Index(s, sep); i > 0 && utf8.RuneCountInString(s[:i]) >= 6 {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// labels reads "label: value" pairs from a line: several may share a cell
// (索引号:… 发布机构:…), and a label alone in its cell takes the next
// cell's text.
func labels(l govreport.Line, m map[string]string) {
	for i, c := range l.Cells {
		if c.Spanned || len(c.Text) > 900 || !strings.Contains(c.Text, ":") && len(c.Text) > 12 {
			continue // no label: a colon, or a bare label of four characters at most
		}
		next := func() string {
			for _, d := range l.Cells[i+1:] {
				if !d.Spanned && d.Text != "" {
					if labelColon(d.Text) || bareLabels[d.Text] {
						return ""
					}
					return d.Text
				}
			}
			return ""
		}
		if bareLabels[c.Text] {
			setMeta(m, c.Text, next())
			continue
		}
		locs := findLabels(c.Text)
		var ok [][]int
		for _, loc := range locs {
			// The first label must start the cell or follow a separator; the
			// next ones may follow a value directly, CJK text having lost the
			// space between spans (来源:某某办公室时间:2024-03-08).
			if len(ok) > 0 || loc[0] == 0 || precedes(c.Text[:loc[0]]) {
				ok = append(ok, loc)
			}
		}
		for j, loc := range ok {
			end := len(c.Text)
			if j+1 < len(ok) {
				end = ok[j+1][0]
			}
			v := strings.TrimSpace(c.Text[loc[1]:end])
			if v == "" && j+1 == len(ok) {
				v = next()
			}
			setMeta(m, c.Text[loc[2]:loc[3]], v)
		}
	}
}

// precedes reports whether a label may follow text ending so: a separator,
// not the middle of a sentence.
func precedes(before string) bool {
	r, _ := utf8.DecodeLastRuneInString(before)
	return strings.ContainsRune(" \t|/][()】【", r)
}

// setMeta records a label's value once, if it is plausible: short, and a
// date for the date labels.
func setMeta(m map[string]string, key, v string) {
	if v == "" || m[key] != "" || utf8.RuneCountInString(v) > 80 {
		return
	}
	if (strings.Contains(key, "日期") || strings.Contains(key, "时间")) && normDate(v) == "" {
		return
	}
	m[key] = v
}

var dateRe = regexp.MustCompile(`(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})`)

// cnDateRe matches a date in Chinese numerals (二〇二四年三月八日).
var cnDateRe = regexp.MustCompile(`([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)

// normDate returns the first date in s as YYYY-MM-DD, or "".
func normDate(s string) string {
	var y, mo, da int
	if d := dateRe.FindStringSubmatch(s); d != nil {
		y, _ = strconv.Atoi(d[1])
		mo, _ = strconv.Atoi(d[2])
		da, _ = strconv.Atoi(d[3])
	} else if d := cnDateRe.FindStringSubmatch(s); d != nil {
		for _, r := range d[1] {
			y = y*10 + textnorm.CNDigit(r) // 〇 ○ 零: 0
		}
		mo, da = textnorm.CNNumber(d[2]), textnorm.CNNumber(d[3])
	} else {
		return ""
	}
	if y < 1990 || y > 2100 || mo < 1 || mo > 12 || da < 1 || da > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, da)
}

// attachExt are the extensions of report files worth fetching.
var attachExt = map[string]bool{".pdf": true, ".doc": true, ".docx": true, ".wps": true, ".rtf": true, ".xls": true, ".xlsx": true,
	".mht": true, ".mhtml": true, ".odt": true, ".ods": true, ".et": true}

// attachBlock matches the class or id of the attachment list CMSs print
// beside (not inside) the article body.
var attachBlock = []string{"attach", "fujian", "xgfj", "appendix"}

// attachments lists the attachment links of the main content and of the
// page's attachment blocks; on a wrapper page (short content, no link of
// its own) those of the whole page. URLs are absolute when a base is known,
// in document order, without duplicates.
func attachments(body, content *nethtml.Node, base *url.URL, short bool) []string {
	var out []string
	seen := map[string]bool{}
	collect := func(scope *nethtml.Node, inBlock bool) {
		var walk func(n *nethtml.Node, in bool)
		walk = func(n *nethtml.Node, in bool) {
			if n.Type == nethtml.ElementNode {
				if !in && named(n, attachBlock) {
					in = true
				}
				if in {
					if u := attachURL(n, base); u != "" && !seen[u] {
						seen[u] = true
						out = append(out, u)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c, in)
			}
		}
		walk(scope, inBlock)
	}
	collect(content, true)
	collect(body, false)
	if len(out) == 0 && short {
		collect(body, true)
	}
	return out
}

// attachURL returns the resolved URL of an element linking an attachment:
// <a href> to a file with an attachment extension (or whose text names
// one), a viewer link or frame whose query names such a file (?file=x.pdf).
func attachURL(n *nethtml.Node, base *url.URL) string {
	var ref string
	switch n.DataAtom {
	case atom.A, atom.Area:
		ref = attr(n, "href")
	case atom.Iframe, atom.Embed, atom.Frame:
		ref = attr(n, "src")
	case atom.Object:
		ref = attr(n, "data")
	default:
		return ""
	}
	ref = strings.TrimSpace(ref)
	low := strings.ToLower(ref)
	if ref == "" || strings.HasPrefix(low, "javascript:") || strings.HasPrefix(low, "mailto:") || strings.HasPrefix(ref, "#") {
		return ""
	}
	u, err := url.Parse(ref)
	if err != nil {
		return ""
	}
	switch {
	case attachExt[strings.ToLower(path.Ext(u.Path))]:
	case n.DataAtom == atom.A && attachExt[strings.ToLower(path.Ext(norm.NFKC.String(strings.TrimSpace(textOf(n)))))]:
	default:
		q := fileParam(u)
		if q == nil {
			return ""
		}
		u = q
	}
	u.Fragment = ""
	if base != nil {
		u = base.ResolveReference(u)
	}
	return u.String()
}

// fileParam returns the first query value (in key order) naming a file
// with an attachment extension.
func fileParam(u *url.URL) *url.URL {
	query := u.Query()
	keys := make([]string, 0, len(query))
	for k := range query {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range query[k] {
			if q, err := url.Parse(strings.TrimSpace(v)); err == nil && attachExt[strings.ToLower(path.Ext(q.Path))] {
				return q
			}
		}
	}
	return nil
}

// textOf is the raw text of n's subtree.
func textOf(n *nethtml.Node) string {
	var b strings.Builder
	var walk func(*nethtml.Node)
	walk = func(n *nethtml.Node) {
		if n.Type == nethtml.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}
