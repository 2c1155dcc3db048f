package normalize

import (
	"regexp"
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

var (
	numRE  = regexp.MustCompile(`^([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\s*(万元|亿元|元|件|条|个|项|次|人次|份|家|人|篇|期|场)?\s*(?:[(（](.*)[)）])?$`)
	blanks = map[string]bool{"": true, "-": true, "—": true, "－": true, "–": true, "―": true, "--": true, "——": true, "/": true, "／": true, "无": true, "\\": true, "—-": true, "-—": true}
)

// ParseValue reads one printed cell. ok is false when the text is not a
// value at all (a label). A blank, dash, slash or 无 is a value that was not
// reported: ok with a nil Num, never 0.
func ParseValue(raw string) (v Value, ok bool) {
	s := clean(raw)
	v.Raw = raw
	if blanks[compact(s)] {
		return v, true
	}
	if c := s[0]; c != '+' && c != '-' && (c < '0' || c > '9') {
		return v, false // labels, the common case, without the regexp
	}
	m := numRE.FindStringSubmatch(s)
	if m == nil {
		return v, false
	}
	digits := strings.ReplaceAll(m[2], ",", "") + m[3]
	f, err := strconv.ParseFloat(digits, 64)
	if err != nil {
		return v, false
	}
	if m[1] == "-" {
		f = -f
	}
	v.Num = &f
	v.Signed = m[1] != ""
	v.Integer = m[3] == ""
	v.Unit = m[4]
	v.Note = m[5]
	return v, true
}
