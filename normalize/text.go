package normalize

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// clean applies NFKC (full-width digits and brackets, Kangxi radicals) and
// trims spaces, including U+3000 and NBSP.
func clean(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.TrimSpace(s) // NFKC leaves ASCII as it is
	}
	s = norm.NFKC.String(s)
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\u200b', '\u200c', '\u200d', '\ufeff':
			return -1
		case '\u00a0', '\u3000':
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// core reduces a label to what identifies it: no ordinals ((三), 三、, 1.,
// 1、, (1)), spaces or punctuation. "（三）不予公 开" and "(三) 不予公开" both
// become "不予公开".
func core(s string) string {
	rs := []rune(clean(s))
	var b strings.Builder
	b.Grow(len(rs) * 3)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '(':
			j := i + 1
			for j < len(rs) && j-i <= 3 && (cnDigits[rs[j]] > 0 || isDigit(rs[j])) {
				j++
			}
			if j > i+1 && j < len(rs) && rs[j] == ')' {
				i = j
				continue
			}
		case cnDigits[r] > 0:
			j := i
			for j < len(rs) && cnDigits[rs[j]] > 0 {
				j++
			}
			if j < len(rs) && (rs[j] == '、' || rs[j] == '.') {
				i = j
				continue
			}
			for ; i < j; i++ {
				b.WriteRune(rs[i])
			}
			i--
			continue
		case isDigit(r):
			j := i
			for j < len(rs) && isDigit(rs[j]) {
				j++
			}
			if j-i <= 2 && j < len(rs) && (rs[j] == '.' || rs[j] == '、') && (j+1 == len(rs) || !isDigit(rs[j+1])) {
				i = j
				continue
			}
			for ; i < j; i++ {
				b.WriteRune(rs[i])
			}
			i--
			continue
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// compact removes all spaces (labels broken by spaces: 不予公 开).
func compact(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

var cnDigits = map[rune]int{'一': 1, '二': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9, '十': 10}

// cnNumber parses 一 … 十九.
func cnNumber(s string) int {
	r := []rune(s)
	switch len(r) {
	case 1:
		return cnDigits[r[0]]
	case 2:
		if r[0] == '十' {
			return 10 + cnDigits[r[1]]
		}
		if r[1] == '十' {
			return cnDigits[r[0]] * 10
		}
	}
	return 0
}

// lcs returns the length of the longest common subsequence of a and b.
func lcs(a, b []rune) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			if a[i-1] == b[j-1] {
				cur[j] = prev[j-1] + 1
			} else if prev[j] > cur[j-1] {
				cur[j] = prev[j]
			} else {
				cur[j] = cur[j-1]
			}
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
