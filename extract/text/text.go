// Package text reads flattened text (UTF-8, or GB18030 when it is not valid
// UTF-8): one line per line, cells split by tabs, '|' or runs of two or more
// spaces.
package text

import (
	"bytes"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport"
)

var cellSep = regexp.MustCompile(`\t|\||｜| {2,}|\x{3000}{2,}`)

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
		parts := cellSep.Split(line, -1)
		l := govreport.Line{}
		for j, p := range parts {
			l.Cells = append(l.Cells, govreport.TextCell{Text: p, Pos: govreport.Pos{Line: i + 1, Col: j + 1}})
		}
		x.Lines = append(x.Lines, l)
	}
	return x, nil
}

var bareNumber = regexp.MustCompile(`^\s*\d{1,3}\s*$`)

// pageNumber reports whether line i is a bare page number printed beside a
// form feed (pdftotext marks page breaks with \f).
func pageNumber(lines []string, i int) bool {
	l := strings.TrimLeft(lines[i], "\f")
	if !bareNumber.MatchString(l) {
		return false
	}
	return strings.HasPrefix(lines[i], "\f") || (i+1 < len(lines) && strings.HasPrefix(lines[i+1], "\f")) ||
		(i+2 < len(lines) && strings.TrimSpace(lines[i+1]) == "" && strings.HasPrefix(lines[i+2], "\f"))
}
