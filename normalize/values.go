package normalize

import (
	"strconv"
	"strings"
)

// Value is a parsed table cell.
type Value struct {
	Num     *float64 // nil: not reported (blank, dash, 无)
	Unit    string   // unit printed inside the cell (元, 万元, 件)
	Note    string   // footnote printed beside the number: 22（其中修订16件）
	Raw     string
	Signed  bool // printed with an explicit + or -
	Integer bool
}

// isBlank reports whether a cell, spaces removed, prints no value: blank,
// a dash, a slash or 无.
func isBlank(s string) bool {
	switch s {
	case "", "-", "—", "－", "–", "―", "--", "——", "/", "／", "无", "\\", "—-", "-—":
		return true
	}
	return false
}

// ParseValue reads one printed cell. ok is false when the text is not a
// value at all (a label). A blank, dash, slash or 无 is a value that was not
// reported: ok with a nil Num, never 0.
func ParseValue(raw string) (v Value, ok bool) {
	s := clean(raw)
	v.Raw = raw
	if isBlank(compact(s)) {
		return v, true
	}
	if c := s[0]; c != '+' && c != '-' && (c < '0' || c > '9') {
		return v, false // labels, the common case, without the regexp
	}
	sign, num, frac, unit, note, ok := numParts(s)
	if !ok {
		return v, false
	}
	var f float64
	if frac == "" && len(num) <= 15 && strings.IndexByte(num, ',') < 0 {
		// an integer below 2^53: exact, as ParseFloat would return it
		for i := 0; i < len(num); i++ {
			f = f*10 + float64(num[i]-'0')
		}
	} else {
		var err error
		if f, err = strconv.ParseFloat(strings.ReplaceAll(num, ",", "")+frac, 64); err != nil {
			return v, false
		}
	}
	if sign == "-" {
		f = -f
	}
	v.Num = &f
	v.Signed = sign != ""
	v.Integer = frac == ""
	v.Unit = unit
	v.Note = note
	return v, true
}

// numParts splits a printed number as the regexp
//
//	^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(cellUnits…)?\s*(?:[(（](.*)[)）])?$
//
// would, without its backtracking: every part but the note is fixed by the
// next byte, the note runs from the bracket to the last rune. ok is false
// where the regexp does not match.
func numParts(s string) (sign, num, frac, unit, note string, ok bool) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		sign, i = s[:1], 1
	}
	start := i
	for i < len(s) && isDigit(rune(s[i])) {
		i++
	}
	if i == start {
		return
	}
	if i-start <= 3 { // thousands separators: ,ddd groups, as many as printed
		for i+3 < len(s) && s[i] == ',' && isDigit(rune(s[i+1])) && isDigit(rune(s[i+2])) && isDigit(rune(s[i+3])) {
			i += 4
		}
	}
	num = s[start:i]
	if i+1 < len(s) && s[i] == '.' && isDigit(rune(s[i+1])) {
		j := i + 1
		for j < len(s) && isDigit(rune(s[j])) {
			j++
		}
		frac, i = s[i:j], j
	}
	i = skipRESpace(s, i)
	for _, u := range cellUnits {
		if strings.HasPrefix(s[i:], u) {
			unit = u
			i += len(u)
			break
		}
	}
	i = skipRESpace(s, i)
	if i == len(s) {
		return sign, num, frac, unit, "", true
	}
	rest := s[i:]
	var body string
	switch {
	case strings.HasPrefix(rest, "("):
		body = rest[1:]
	case strings.HasPrefix(rest, "（"):
		body = rest[len("（"):]
	default:
		return "", "", "", "", "", false
	}
	switch {
	case strings.HasSuffix(body, ")"):
		note = body[:len(body)-1]
	case strings.HasSuffix(body, "）"):
		note = body[:len(body)-len("）")]
	default:
		return "", "", "", "", "", false
	}
	if strings.IndexByte(note, '\n') >= 0 {
		return "", "", "", "", "", false
	}
	return sign, num, frac, unit, note, true
}

// skipRESpace skips what the regexp \s matches: tab, newline, form feed,
// carriage return and space.
func skipRESpace(s string, i int) int {
	for i < len(s) {
		switch s[i] {
		case '\t', '\n', '\f', '\r', ' ':
			i++
		default:
			return i
		}
	}
	return i
}
