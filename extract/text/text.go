// Package text reads flattened text (UTF-8, UTF-16 with a byte-order mark,
// or GB18030 when it is not valid UTF-8): one line per line, cells split by
// tabs, '|' or runs of two or more spaces; text whose table rows are
// aligned by spaces is read from where its words stand (grid.go).
// Markdown's table rules (|---|---|) and heading marks (# ) are not text. A
// web archiver's header (标题:, 发布时间:, 原文链接: … lines closed by a
// ==== 正文 ==== rule) is read into Meta, not into Lines: "title", "date"
// (YYYY-MM-DD), "url", and each header label as printed.
package text

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"govreport"
	"govreport/extract/internal/limit"
)

// Extract splits text into lines of cells.
func Extract(data []byte) (*govreport.Extracted, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	x := &govreport.Extracted{Format: "txt"}
	// UTF-16 says so by its byte-order mark (Windows Notepad's "Unicode").
	for _, bom := range []struct {
		mark   string
		endian unicode.Endianness
		name   string
	}{{"\xff\xfe", unicode.LittleEndian, "UTF-16LE"}, {"\xfe\xff", unicode.BigEndian, "UTF-16BE"}} {
		if bytes.HasPrefix(data, []byte(bom.mark)) {
			dec, err := unicode.UTF16(bom.endian, unicode.ExpectBOM).NewDecoder().Bytes(data)
			if err != nil {
				return nil, fmt.Errorf("text: %s: %v: %w", bom.name, err, govreport.ErrUndecodable)
			}
			data = dec
			x.Warnings = append(x.Warnings, "text is "+bom.name+"; read as such")
		}
	}
	if !utf8.Valid(data) {
		dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(dec) {
			return nil, govreport.ErrUndecodable
		}
		data = dec
		x.Warnings = append(x.Warnings, "text is not UTF-8; read as GB18030")
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return nil, govreport.ErrUndecodable
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	// Bounded before anything is built of the lines.
	if n := strings.Count(s, "\n") + 1; n > limit.Lines {
		return nil, limit.Exceeded("lines", limit.Lines)
	}
	lines := strings.Split(s, "\n")
	body := archiverHeader(lines, x)
	if spaceAligned(lines[body:]) {
		gl, err := gridLines(lines, body)
		if err != nil {
			return nil, err
		}
		x.Lines = gl
		return x, nil
	}
	x.Lines = make([]govreport.Line, 0, len(lines))
	cells := 0
	pages := pageNumbers(lines)
	for i, line := range lines {
		if i < body || pages[i] || markdownRule(line) {
			continue
		}
		line = markdownHeading(line)
		parts := splitCells(line, limit.Cells-cells)
		if cells += len(parts); cells > limit.Cells {
			return nil, limit.Exceeded("cells", limit.Cells)
		}
		l := govreport.Line{Cells: make([]govreport.TextCell, len(parts))}
		for j, p := range parts {
			l.Cells[j] = govreport.TextCell{Text: p, Pos: govreport.Pos{Line: i + 1, Col: j + 1}}
		}
		x.Lines = append(x.Lines, l)
	}
	return x, nil
}

// markdownRule reports a Markdown table's rule line: |---|:--:|---|.
func markdownRule(l string) bool {
	l = strings.TrimSpace(l)
	if !strings.Contains(l, "---") {
		return false
	}
	for _, r := range l {
		if r != '|' && r != '-' && r != ':' && r != ' ' {
			return false
		}
	}
	return true
}

// markdownHeading strips a Markdown heading's marks (# Title → Title).
func markdownHeading(l string) string {
	t := strings.TrimLeft(l, "#")
	if len(t) < len(l) && len(l)-len(t) <= 6 && strings.HasPrefix(t, " ") {
		return strings.TrimLeft(t, " ")
	}
	return l
}

// archiverLabels are the labels of an archiver's header lines.
var archiverLabels = map[string]bool{"标题": true, "发布时间": true, "文号": true, "发布机构": true, "栏目": true, "原文链接": true, "本地目录": true, "来源": true, "索引号": true}

// archiverHeaderLines bounds the search for the rule closing the header.
const archiverHeaderLines = 20

// archiverHeader reads a web archiver's header into x.Meta: label: value
// lines at the top (two of them at least), closed by a rule of '=' around
// 正文. It returns the index of the first body line, 0 if there is none.
func archiverHeader(lines []string, x *govreport.Extracted) int {
	meta := map[string]string{}
	for i := 0; i < len(lines) && i < archiverHeaderLines; i++ {
		l := strings.TrimSpace(lines[i])
		if strings.HasPrefix(l, "==") && strings.Contains(l, "正文") {
			if len(meta) < 2 {
				return 0
			}
			if x.Meta == nil {
				x.Meta = map[string]string{}
			}
			for k, v := range meta {
				x.Meta[k] = v
			}
			if t := meta["标题"]; t != "" {
				x.Meta["title"] = t
			}
			if d := isoDate(meta["发布时间"]); d != "" {
				x.Meta["date"] = d
			}
			if u := meta["原文链接"]; u != "" {
				x.Meta["url"] = u
			}
			return i + 1
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			k, v, ok = strings.Cut(l, "：")
		}
		if ok && archiverLabels[strings.TrimSpace(k)] {
			if v = strings.TrimSpace(v); v != "" {
				meta[strings.TrimSpace(k)] = v
			}
		}
	}
	return 0
}

// isoDate reads the date at the start of s (2016-01-12 16:08, 2016年1月12日)
// as YYYY-MM-DD, or "".
func isoDate(s string) string {
	var y, m, d int
	n := 0
	num := func() int {
		v, k := 0, 0
		for n < len(s) && s[n] >= '0' && s[n] <= '9' {
			v = v*10 + int(s[n]-'0')
			n++
			k++
		}
		if k == 0 {
			return -1
		}
		return v
	}
	sep := func() {
		for _, p := range []string{"-", "/", ".", "年", "月"} {
			if strings.HasPrefix(s[n:], p) {
				n += len(p)
				return
			}
		}
	}
	s = strings.TrimSpace(s)
	if y = num(); y < 1990 || y > 2100 {
		return ""
	}
	sep()
	if m = num(); m < 1 || m > 12 {
		return ""
	}
	sep()
	if d = num(); d < 1 || d > 31 {
		return ""
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// splitCells splits a line at each cell separator: a tab, '|', '｜', or a
// run of two or more spaces or ideographic spaces (U+3000). Pieces around
// a leading or trailing separator are kept, empty. It stops once it has
// more than max cells (a bound the caller refuses). A plain loop: this was
// the regexp \t|\||｜| {2,}|\x{3000}{2,}, which took a tenth of a text
// import (TestSplitCellsMatchesRegexp keeps them equal).
func splitCells(line string, max int) []string {
	parts := make([]string, 0, 4)
	beg := 0
	for i := 0; i < len(line); {
		n := 0 // the separator's length at i
		switch c := line[i]; {
		case c == '\t' || c == '|':
			n = 1
		case c == ' ':
			for i+n < len(line) && line[i+n] == ' ' {
				n++
			}
			if n < 2 {
				n = 0
			}
		case strings.HasPrefix(line[i:], "｜"):
			n = len("｜")
		case strings.HasPrefix(line[i:], "\u3000\u3000"):
			for strings.HasPrefix(line[i+n:], "\u3000") {
				n += len("\u3000")
			}
		}
		if n == 0 {
			i++
			continue
		}
		parts = append(parts, line[beg:i])
		i += n
		beg = i
		if len(parts) > max {
			return parts // over the caller's bound: the rest does not matter
		}
	}
	return append(parts, line[beg:])
}

// bareNumber reports a line of one to three digits between blanks
// (\s: tab, newline, form feed, return, space) that may number a page:
// not 0, no leading zero.
func bareNumber(l string) bool {
	l = strings.Trim(l, "\t\n\f\r ")
	if len(l) == 0 || len(l) > 3 || l[0] == '0' {
		return false
	}
	for i := 0; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
}

// pageNumbers are the lines that number their page: bare numbers beside a
// form feed (pageNumber) that agree with their page's place, n on the k-th
// page: two of them at least with the same n-k (a report numbered from
// its cover or from its text), or a lone one with n ≤ k. A table's cell
// printed a line each at a page's foot (pdftotext raw: 70 on page 4, 25
// on page 5) is no page number.
func pageNumbers(lines []string) map[int]bool {
	type cand struct{ line, off int }
	var cands []cand
	offs := map[int]int{}
	page := 1
	for i, l := range lines {
		if strings.HasPrefix(l, "\f") {
			page++
		}
		if !pageNumber(lines, i) {
			continue
		}
		n, _ := strconv.Atoi(strings.Trim(l, "\t\n\f\r "))
		cands = append(cands, cand{i, n - page})
		offs[n-page]++
	}
	out := map[int]bool{}
	for _, c := range cands {
		if offs[c.off] >= 2 || len(cands) == 1 && c.off <= 0 {
			out[c.line] = true
		}
	}
	return out
}

// pageNumber reports whether line i is a bare page number printed beside a
// form feed (pdftotext marks page breaks with \f).
func pageNumber(lines []string, i int) bool {
	l := strings.TrimLeft(lines[i], "\f")
	if !bareNumber(l) {
		return false
	}
	return strings.HasPrefix(lines[i], "\f") || (i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\f")) ||
		(i+2 < len(lines) && strings.TrimSpace(lines[i+1]) == "" && strings.HasPrefix(lines[i+2], "\f"))
}
