// Package text reads flattened text (UTF-8, or GB18030 when it is not valid
// UTF-8): one line per line, cells split by tabs, '|' or runs of two or more
// spaces.
package text

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport"
)

// Extract splits text into lines of cells.
func Extract(data []byte) (*govreport.Extracted, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	x := &govreport.Extracted{Format: "txt"}
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
	lines := strings.Split(s, "\n")
	for i, line := range lines {
		if pageNumber(lines, i) {
			continue
		}
		l := govreport.Line{}
		for j, p := range splitCells(line) {
			l.Cells = append(l.Cells, govreport.TextCell{Text: p, Pos: govreport.Pos{Line: i + 1, Col: j + 1}})
		}
		x.Lines = append(x.Lines, l)
	}
	return x, nil
}

// splitCells splits a line at each cell separator: a tab, '|', '｜', or a
// run of two or more spaces or ideographic spaces (U+3000). Pieces around
// a leading or trailing separator are kept, empty. A plain loop: this was
// the regexp \t|\||｜| {2,}|\x{3000}{2,}, which took a tenth of a text
// import (TestSplitCellsMatchesRegexp keeps them equal).
func splitCells(line string) []string {
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
	}
	return append(parts, line[beg:])
}

// bareNumber reports a line of one to three digits between blanks
// (\s: tab, newline, form feed, return, space).
func bareNumber(l string) bool {
	l = strings.Trim(l, "\t\n\f\r ")
	if len(l) == 0 || len(l) > 3 {
		return false
	}
	for i := 0; i < len(l); i++ {
		if l[i] < '0' || l[i] > '9' {
			return false
		}
	}
	return true
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
