package pdf

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// clean normalizes a run's text: NFKC (Kangxi radicals, compatibility forms
// and full-width digits to ordinary characters) except for full-width
// punctuation such as （）：, which Chinese labels are printed and matched
// with; whitespace collapsed.
func clean(s string) string {
	if !norm.NFKC.IsNormalString(s) {
		var b strings.Builder
		for _, r := range s {
			if keepFullwidth(r) {
				b.WriteRune(r)
				continue
			}
			b.WriteString(norm.NFKC.String(string(r)))
		}
		s = b.String()
	}
	if strings.ContainsAny(s, "\t\n\r\u00a0") {
		s = strings.Map(func(r rune) rune {
			switch r {
			case '\t', '\n', '\r', '\u00a0':
				return ' '
			}
			return r
		}, s)
	}
	return strings.Join(strings.Fields(s), " ")
}

func keepFullwidth(r rune) bool {
	return r >= 0xFF01 && r <= 0xFF0F || r >= 0xFF1A && r <= 0xFF20 || r >= 0xFF3B && r <= 0xFF40 || r >= 0xFF5B && r <= 0xFF65
}
