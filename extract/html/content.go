package html

import (
	"strings"
	"sync"
	"unicode"

	nethtml "golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// ignored reports elements whose text is never page text.
func ignored(n *nethtml.Node) bool {
	switch n.DataAtom {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Iframe, atom.Object, atom.Embed,
		atom.Button, atom.Input, atom.Select, atom.Option, atom.Textarea, atom.Svg, atom.Canvas,
		atom.Head, atom.Title, atom.Meta, atom.Link, atom.Map, atom.Audio, atom.Video, atom.Frameset:
		return true
	}
	switch n.Data {
	case "svg", "math":
		return true
	}
	return false
}

// hidden reports elements the page does not show (display:none, hidden, and
// Word's mso-hide:all).
func hidden(n *nethtml.Node) bool {
	for _, a := range n.Attr {
		if a.Key == "hidden" {
			return true
		}
	}
	st := attr(n, "style")
	if !strings.Contains(st, "none") && !strings.Contains(st, "hid") && !strings.Contains(st, "NONE") && !strings.Contains(st, "HID") {
		return false // most styles, Word's long ones included
	}
	st = strings.ToLower(strings.ReplaceAll(st, " ", ""))
	return strings.Contains(st, "display:none") || strings.Contains(st, "visibility:hidden") || strings.Contains(st, "mso-hide:all")
}

// chromeClass matches the class or id of page furniture: share and print
// buttons, breadcrumbs, QR codes, related-article lists, site headers,
// footers and menus.
var chromeClass = []string{"share", "print", "fenxiang", "dayin", "crumb", "xglj", "relnews", "related", "qrcode", "ewm", "jiathis", "footer", "header", "copyright", "menu", "nav"}

// named reports whether n's class or id contains one of the words
// (case-insensitive). A plain loop: a regexp on every element is slow.
func named(n *nethtml.Node, words []string) bool {
	for _, a := range n.Attr {
		if a.Namespace != "" || a.Key != "class" && a.Key != "id" || a.Val == "" {
			continue
		}
		v := strings.ToLower(a.Val)
		for _, w := range words {
			if strings.Contains(v, w) {
				return true
			}
		}
	}
	return false
}

// chrome reports an element inside the main content that is furniture, not
// report text: a <nav>, or a short, table-less element that is hidden, or
// whose class or id names furniture, or whose text is nearly all links (a
// menu: three links or more).
func chrome(n *nethtml.Node) bool {
	if n.DataAtom == atom.Nav {
		return true
	}
	if n.DataAtom == atom.Table || n.DataAtom == atom.Td || n.DataAtom == atom.Tr {
		return false
	}
	hide := hidden(n)
	furniture := n.DataAtom != atom.A && named(n, chromeClass)
	if !hide && !furniture && (n.DataAtom == atom.A || n.FirstChild == nil || !menuLike(n)) {
		return false
	}
	text, links, anchors := 0, 0, 0
	hasTable := false
	var walk func(m *nethtml.Node, inLink bool)
	walk = func(m *nethtml.Node, inLink bool) {
		switch m.Type {
		case nethtml.TextNode:
			k := nonSpace(m.Data)
			text += k
			if inLink {
				links += k
			}
			return
		case nethtml.ElementNode:
			if ignored(m) {
				return
			}
			switch m.DataAtom {
			case atom.Table:
				hasTable = true
			case atom.A:
				inLink = true
				anchors++
			}
		}
		for c := m.FirstChild; c != nil && !hasTable && text <= 500; c = c.NextSibling {
			walk(c, inLink)
		}
	}
	walk(n, false)
	if hasTable {
		return false
	}
	if hide {
		// Hidden and short: Word's mso-hide text, a collapsed widget. A
		// long hidden block is the report behind a JS tab (文字版): kept.
		return text <= 500
	}
	return furniture && text <= 200 || anchors >= 3 && text <= 500 && links*10 >= text*8
}

// menuLike reports whether n's subtree, ignored elements left out, holds
// three links or more and no table: else chrome's count below cannot call
// it a menu, and its text need not be counted.
func menuLike(n *nethtml.Node) bool {
	anchors := 0
	var walk func(m *nethtml.Node) bool
	walk = func(m *nethtml.Node) bool {
		for c := m.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != nethtml.ElementNode || ignored(c) {
				continue
			}
			switch c.DataAtom {
			case atom.Table:
				return false
			case atom.A:
				anchors++
			}
			if !walk(c) {
				return false
			}
		}
		return true
	}
	return walk(n) && anchors >= 3
}

// nonSpace counts the non-space runes of s.
func nonSpace(s string) int {
	n := 0
	for _, r := range s {
		if !unicode.IsSpace(r) {
			n++
		}
	}
	return n
}

// counts are mainContent's per-node counts.
type counts struct{ score, tables, size int32 }

// countsPool keeps mainContent's slices: one entry per node of a page.
var countsPool = sync.Pool{New: func() any { return new([]counts) }}

// mainContent finds the element that holds the report. Starting from
// <body>, it moves into the child element that holds at least 80% of the
// current element's text outside links, and keeps every statistics table of
// it, until no child does; it never moves into a data table. Navigation is
// mostly link text and weighs nothing; headers and footers are small beside
// a report.
func mainContent(body *nethtml.Node) *nethtml.Node {
	// The counts of the nodes, in document order (preorder); a node's
	// children start after it, each sibling size entries after the last.
	pooled := countsPool.Get().(*[]counts)
	at := (*pooled)[:0]
	defer func() {
		*pooled = at
		countsPool.Put(pooled)
	}()
	var count func(n *nethtml.Node, inLink bool) (int, int)
	count = func(n *nethtml.Node, inLink bool) (int, int) {
		i := len(at)
		at = append(at, counts{size: 1})
		switch n.Type {
		case nethtml.TextNode:
			if inLink {
				return 0, 0
			}
			return nonSpace(n.Data), 0
		case nethtml.ElementNode:
			if ignored(n) {
				return 0, 0
			}
			if n.DataAtom == atom.A {
				inLink = true
			}
		}
		s, t := 0, 0
		if n.DataAtom == atom.Table && !layoutTable(n) && len(tableRows(n)) >= 2 {
			t = 1
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			cs, ct := count(c, inLink)
			s += cs
			t += ct
		}
		at[i] = counts{int32(s), int32(t), int32(len(at) - i)}
		return s, t
	}
	count(body, false)
	cur, ci := body, 0
	for {
		var best *nethtml.Node
		bi, bs := 0, 0
		for c, i := cur.FirstChild, ci+1; c != nil; c, i = c.NextSibling, i+int(at[i].size) {
			if c.Type == nethtml.ElementNode && int(at[i].score) > bs {
				best, bi, bs = c, i, int(at[i].score)
			}
		}
		if best == nil || bs*10 < int(at[ci].score)*8 {
			break
		}
		if best.DataAtom == atom.Table && !layoutTable(best) {
			break
		}
		// Moving in must not lose a statistics table, unless what is left
		// behind is next to nothing.
		if at[bi].tables < at[ci].tables && bs*100 < int(at[ci].score)*97 {
			break
		}
		cur, ci = best, bi
	}
	return cur
}
