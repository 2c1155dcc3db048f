package main

// The text forms: every real HTML page and PDF of testdata/corpus that has
// a golden, flattened as tools and people flatten reports, mechanically
// (no value typed, moved or dropped by hand):
//   - oneline: a web archiver's page text: its header (标题, 发布时间, 文号,
//     发布机构, 栏目, 原文链接, a ==== 正文 ==== rule), then the page's whole
//     visible text on ONE line, breadcrumbs and share buttons first, cells
//     separated by a space;
//   - oneline_glued: the same with nothing between cells and paragraphs:
//     headings glued to the words around them, numbers of adjacent cells
//     run together (as 2015_pingtan_1.txt prints its statistics table);
//   - cells: one cell a line, a blank cell an empty line;
//   - markdown: what PDF-to-Markdown converters write: paragraphs, tables
//     as | a | b | rows with a |---| rule under each table's first row,
//     long row labels wrapped over several rows, some of the wrapped parts
//     outside the table (a plain line breaking it) and numbers on a row of
//     their own between the parts of their label.
//
// An HTML page's lines and cells are its extracted grid (extract/html:
// rowspan and colspan expanded, a spanned copy left blank); a PDF's are its
// text layer as pdftotext -layout prints it, cells split at runs of two or
// more spaces, never the parser's reading of it.

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport/extract/html"
)

func init() {
	forms = append(forms,
		form{name: "oneline", tools: []string{"pdftotext"}, docs: goldenDocs, make: textForm("oneline", oneline(" "))},
		form{name: "oneline_glued", tools: []string{"pdftotext"}, docs: goldenDocs, make: textForm("oneline_glued", oneline(""))},
		form{name: "cells", tools: []string{"pdftotext"}, docs: goldenDocs, make: textForm("cells", cellLines)},
		form{name: "markdown", tools: []string{"pdftotext"}, docs: goldenDocs, make: textForm("markdown", markdown)},
		form{name: "t4page", tools: []string{"pdftotext"}, docs: goldenPDFs, make: t4page},
	)
}

// goldenPDFs are the corpus PDFs that have a golden.
func goldenPDFs(g *gen) ([]string, error) {
	docs, err := goldenDocs(g)
	var out []string
	for _, d := range docs {
		if strings.HasSuffix(d, ".pdf") {
			out = append(out, d)
		}
	}
	return out, err
}

// t4page is a fragment, as a flip-book shows one page: the text layer
// (pdftotext -layout) of the page that prints table 四 (its header's
// 复议后起诉), alone: the end of table 三 and table 四, no table header of
// table 三, no title.
func t4page(g *gen, doc string) (map[string][]byte, error) {
	for p := 1; ; p++ {
		n := strconv.Itoa(p)
		out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", "-f", n, "-l", n, g.corpus(doc), "-").Output()
		if err != nil {
			return nil, fmt.Errorf("no page prints table 四 (pdftotext -f %d: %v)", p, err)
		}
		if strings.Contains(strings.Join(strings.Fields(string(out)), ""), "复议后起诉") {
			return map[string][]byte{doc + "__t4page.txt": out}, nil
		}
	}
}

// goldenDocs are the corpus HTML pages and PDFs that have a golden.
func goldenDocs(g *gen) ([]string, error) {
	all, err := corpusFiles(g, ".html", ".pdf")
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range all {
		if _, err := os.Stat(filepath.Join(g.testdata, "golden", d+".json")); err == nil {
			out = append(out, d)
		}
	}
	return out, nil
}

// srcLine is a line of a source document: a paragraph (one cell) or a
// table row (its cells, a blank or spanned one "").
type srcLine struct {
	cells []string
	table int // the table it belongs to, 0 for text
}

// source is a document's text as the forms start from it.
type source struct {
	title, date string
	lines       []srcLine
}

func textForm(name string, render func(*source) []byte) func(*gen, string) (map[string][]byte, error) {
	return func(g *gen, doc string) (map[string][]byte, error) {
		src, err := readSource(g, doc)
		if err != nil {
			return nil, err
		}
		return map[string][]byte{doc + "__" + name + ".txt": render(src)}, nil
	}
}

func readSource(g *gen, doc string) (*source, error) {
	path := g.corpus(doc)
	if strings.HasSuffix(doc, ".pdf") {
		out, err := exec.Command("pdftotext", "-layout", "-enc", "UTF-8", path, "-").Output()
		if err != nil {
			return nil, fmt.Errorf("pdftotext: %v", err)
		}
		return pdfSource(string(out)), nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	x, err := html.Extract(data, html.Options{})
	if err != nil {
		return nil, err
	}
	src := &source{title: x.Meta["ArticleTitle"], date: x.Meta["date"]}
	if src.title == "" {
		src.title = x.Meta["title"]
	}
	if src.title != "" {
		// the article's title, printed above the text the extractor reads
		src.lines = append(src.lines, srcLine{cells: []string{src.title}})
	}
	// the source and time lines the page prints under the title
	for _, k := range []string{"来源", "时间"} {
		if v := strings.TrimSpace(x.Meta[k]); v != "" {
			src.lines = append(src.lines, srcLine{cells: []string{k + "：" + v}})
		}
	}
	for _, l := range x.Lines {
		var cells []string
		for _, c := range l.Cells {
			t := strings.TrimSpace(c.Text)
			if c.Spanned {
				t = ""
			}
			cells = append(cells, t)
		}
		if l.Table == 0 {
			cells = []string{strings.Join(cells, " ")}
		}
		src.lines = append(src.lines, srcLine{cells: cells, table: l.Table})
	}
	return src, nil
}

var cellSep = regexp.MustCompile(`\s{2,}|\x{3000}{2,}`)

// pdfSource reads pdftotext -layout's text: a line of two cells or more
// is a table row; the title is the first short line naming a report.
func pdfSource(text string) *source {
	src := &source{}
	table := 0
	for _, l := range strings.Split(strings.ReplaceAll(text, "\f", "\n"), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		cells := cellSep.Split(l, -1)
		if src.title == "" && len(src.lines) < 3 && strings.Contains(l, "报告") && utf8.RuneCountInString(l) < 60 {
			// the title block: the lines from the first to this one
			for _, t := range src.lines {
				src.title += t.cells[0]
			}
			src.title += strings.Join(cells, "")
		}
		if len(cells) >= 2 {
			if table == 0 || len(src.lines) > 0 && src.lines[len(src.lines)-1].table == 0 {
				table++
			}
			src.lines = append(src.lines, srcLine{cells: cells, table: table})
			continue
		}
		src.lines = append(src.lines, srcLine{cells: cells})
	}
	return src
}

// archiverHeader is the header a web archiver writes above a page's text.
func archiverHeader(src *source) string {
	date := src.date
	if date != "" {
		date += " 00:00"
	}
	return "标题: " + src.title + "\n发布时间: " + date + "\n文号: \n发布机构: \n栏目: 政府信息公开年报\n原文链接: \n" +
		"==================== 正文 ====================\n"
}

// breadcrumbs are the page chrome an archiver's text opens with.
const breadcrumbs = "首页 > 政务公开 > 政府信息公开 > 政府信息公开年报 > 正文 字号：大 中 小 分享到："

func oneline(sep string) func(*source) []byte {
	return func(src *source) []byte {
		var parts []string
		parts = append(parts, breadcrumbs)
		for _, l := range src.lines {
			for _, c := range l.cells {
				if c != "" {
					parts = append(parts, c)
				}
			}
		}
		return []byte(archiverHeader(src) + strings.Join(parts, sep) + "\n")
	}
}

func cellLines(src *source) []byte {
	var b bytes.Buffer
	for _, l := range src.lines {
		for _, c := range l.cells {
			b.WriteString(c + "\n")
		}
	}
	return b.Bytes()
}

// wrapWidth is the width, in characters, a converter's narrow label column
// wraps a row label at.
const wrapWidth = 10

// markdown writes a converter's Markdown. Each wrapped row label takes in
// turn one of three shapes:
//   - 0: its first part beside the numbers, the rest on label-only rows
//     after them;
//   - 1: the numbers on a row of their own between the first parts of the
//     label and the last;
//   - 2: its first part outside the table, a plain line that breaks the
//     table, which starts again (header rule and all) with the rest.
func markdown(src *source) []byte {
	var b bytes.Buffer
	inTable, wrapped := 0, 0
	row := func(cells []string) {
		b.WriteString("| " + strings.Join(cells, " | ") + " |\n")
	}
	rule := func(n int) {
		b.WriteString(strings.Repeat("|---", n) + "|\n")
	}
	open := func(cells []string) {
		row(cells)
		rule(len(cells))
		inTable = 1
	}
	for _, l := range src.lines {
		if l.table == 0 {
			if inTable > 0 {
				b.WriteString("\n")
				inTable = 0
			}
			if b.Len() == 0 {
				b.WriteString("# ") // the first line, the title, as a heading
			}
			b.WriteString(l.cells[0] + "\n\n")
			continue
		}
		if inTable == 0 {
			open(l.cells)
			continue
		}
		li := labelCell(l.cells)
		if li < 0 || utf8.RuneCountInString(l.cells[li]) <= wrapWidth {
			row(l.cells)
			continue
		}
		parts := chunks(l.cells[li], wrapWidth)
		first := true // group labels before the row's, printed on its first row only
		with := func(label string, keepNums bool) []string {
			out := make([]string, len(l.cells))
			for i, c := range l.cells {
				switch {
				case i == li:
					out[i] = label
				case i > li && keepNums || i < li && first:
					out[i] = c
				}
			}
			first = false
			return out
		}
		switch wrapped % 3 {
		case 0:
			row(with(parts[0], true))
			for _, p := range parts[1:] {
				row(with(p, false))
			}
		case 1:
			half := (len(parts) + 1) / 2
			for _, p := range parts[:half] {
				row(with(p, false))
			}
			row(with("", true))
			for _, p := range parts[half:] {
				row(with(p, false))
			}
		case 2:
			b.WriteString("\n" + parts[0] + "\n\n")
			rest := strings.Join(parts[1:], "")
			open(with(rest, true))
		}
		wrapped++
	}
	return b.Bytes()
}

// labelCell is the index of a row's label: its last cell that holds text
// other than a number, before its first number; -1 if none.
func labelCell(cells []string) int {
	li := -1
	for i, c := range cells {
		if c == "" {
			continue
		}
		if isNumber(c) {
			break
		}
		li = i
	}
	return li
}

var numberRE = regexp.MustCompile(`^[-+]?[\d,]+(\.\d+)?$`)

func isNumber(s string) bool { return numberRE.MatchString(s) }

// chunks cuts s into pieces of n characters, the last one shorter.
func chunks(s string, n int) []string {
	r := []rune(s)
	var out []string
	for len(r) > n {
		out = append(out, string(r[:n]))
		r = r[n:]
	}
	return append(out, string(r))
}
