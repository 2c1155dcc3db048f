// Package html extracts the text of an annual report published as a web
// page: it decodes the page (GBK and friends included), finds the element
// that holds the report, and turns its paragraphs into lines and its tables
// into grids of cells, with rowspan and colspan expanded. It also reads the
// page's metadata (索引号, 发布机构, dates, CMS <meta> tags) and the links to
// attached report files.
//
// Choices the normalizer can rely on:
//   - Text is NFKC-normalized; whitespace runs collapse to one space, and
//     vanish between two CJK characters or CJK and punctuation, so labels
//     broken by <br> or source line wraps read whole.
//   - A table is a data table unless it contains another table or is a
//     single cell; such layout tables are read as blocks of text, and the
//     tables nested in them become data tables of their own. Data tables are
//     numbered 1, 2, … in document order (Line.Table).
//   - A table row is one Line whose cells are the row's grid positions: a
//     cell spanning several positions gives its text to the first and a
//     copy marked Spanned to the others; blank and &nbsp; cells are "".
//   - Tables of page metadata (索引号, 发布机构 …) inside the content are
//     read into Meta, not into Lines.
//   - Meta keys: "title", "date" (YYYY-MM-DD, from 发文日期, 成文日期, …,
//     PubDate), the labels as printed (索引号, 发布机构, 文号, 来源, 时间 …)
//     and the CMS <meta> names (ArticleTitle, PubDate, ColumnName,
//     ContentSource).
//   - Attachments: links to .pdf .doc .docx .wps .rtf .xls .xlsx .mht .mhtml
//     .odt .ods .et in the content or in an attachment block (class or id
//     attach, fujian); on a wrapper page (little text, no such link)
//     anywhere on the page.
package html

import (
	"bytes"
	"fmt"
	"net/url"
	"strings"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"govreport"
	"govreport/extract/internal/limit"
)

// Options tells Extract what it knows about the page beyond its bytes.
type Options struct {
	BaseURL     string // the page's URL, to resolve relative links
	ContentType string // the HTTP Content-Type header, if known (charset)
}

// Extract reads an HTML page into lines of text, tables as rows of cells.
// A page that only wraps an attachment yields its Attachments and few or no
// lines, not an error. Input that is not text gives an error wrapping
// govreport.ErrUndecodable.
func Extract(data []byte, opt Options) (*govreport.Extracted, error) {
	text, _, err := decodeBytes(data, opt.ContentType)
	if err != nil {
		return nil, err
	}
	if n := elements(text, limit.Elements); n > limit.Elements {
		return nil, limit.Exceeded("HTML elements", limit.Elements)
	}
	root, err := nethtml.Parse(bytes.NewReader(text))
	if err != nil {
		// x/net/html refuses elements nested over 512 deep.
		return nil, fmt.Errorf("html: parse: %w", err)
	}
	ex := &govreport.Extracted{Format: "html", Meta: map[string]string{}}
	body := findBody(root)
	if body == nil {
		ex.Warnings = append(ex.Warnings, "no <body>")
		return ex, nil
	}
	content := mainContent(body)

	w := &walker{content: content, budget: maxGridCells}
	w.walk(body)
	w.flush()
	ex.Lines = w.lines
	for i := range ex.Lines {
		for j := range ex.Lines[i].Cells {
			ex.Lines[i].Cells[j].Pos.Line = i + 1
		}
	}
	ex.Warnings = append(ex.Warnings, w.warnings...)
	if len(ex.Lines) == 0 {
		ex.Warnings = append(ex.Warnings, "no text in the main content")
	}

	readMeta(root, w.all, ex.Meta)
	ex.Attachments = attachments(body, content, baseURL(root, opt.BaseURL), contentChars(ex.Lines, wrapperChars) < wrapperChars)
	return ex, nil
}

// elements counts a page's elements (start tags), up to more than max:
// the tree nethtml.Parse would build is bounded before it is built. A
// page with at most max '<' is not counted further.
func elements(page []byte, max int) int {
	if bytes.Count(page, []byte("<")) <= max {
		return 0
	}
	z := nethtml.NewTokenizer(bytes.NewReader(page))
	n := 0
	for n <= max {
		switch z.Next() {
		case nethtml.ErrorToken:
			return n
		case nethtml.StartTagToken, nethtml.SelfClosingTagToken:
			n++
		}
	}
	return n
}

// wrapperChars: a main content with fewer non-space characters than this
// (and no attachment link of its own) is a wrapper page; its attachments are
// looked for on the whole page.
const wrapperChars = 300

// contentChars counts the non-space characters of the lines, up to max
// at least: it stops counting there.
func contentChars(lines []govreport.Line, max int) int {
	n := 0
	for _, l := range lines {
		for _, c := range l.Cells {
			if !c.Spanned {
				n += nonSpace(c.Text)
			}
		}
		if n >= max {
			break
		}
	}
	return n
}

// findBody returns the <body> element.
func findBody(n *nethtml.Node) *nethtml.Node {
	if n.Type == nethtml.ElementNode && n.DataAtom == atom.Body {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if b := findBody(c); b != nil {
			return b
		}
	}
	return nil
}

// baseURL is the page URL, moved by a <base href> if the page has one.
func baseURL(root *nethtml.Node, page string) *url.URL {
	var base *url.URL
	if page != "" {
		if u, err := url.Parse(strings.TrimSpace(page)); err == nil {
			base = u
		}
	}
	if b := findBase(root); b != nil {
		if u, err := url.Parse(strings.TrimSpace(attr(b, "href"))); err == nil {
			if base != nil {
				base = base.ResolveReference(u)
			} else if u.IsAbs() {
				base = u
			}
		}
	}
	return base
}

// findBase returns the first <base href> element, in document order.
func findBase(n *nethtml.Node) *nethtml.Node {
	if n.Type == nethtml.ElementNode && n.DataAtom == atom.Base && attr(n, "href") != "" {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if m := findBase(c); m != nil {
			return m
		}
	}
	return nil
}

// attr returns the value of the attribute key, or "".
func attr(n *nethtml.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}
