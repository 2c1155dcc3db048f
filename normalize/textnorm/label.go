package textnorm

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Compact is s without white space (unicode.IsSpace): the form that finds
// labels broken by spaces (不予公 开). Invalid UTF-8 becomes U+FFFD, as
// strings.Map makes it.
//
// Fast path: Han runes are stepped over without decoding, the text between
// spaces is copied in runs, and s itself is returned when it has no space
// (compactPlain is the reference). BenchmarkCompact: 2.2× fewer
// instructions than compactPlain; BenchmarkNormalize runs 8.6% more
// without.
func Compact(s string) string {
	var b strings.Builder
	start := 0 // s[start:i] is still to copy
	for i := 0; i < len(s); {
		c, n, space := s[i], 1, false
		switch {
		case c < utf8.RuneSelf:
			space = c == ' ' || c >= '\t' && c <= '\r'
		case han(s[i:]):
			n = 3
		default:
			var r rune
			if r, n = utf8.DecodeRuneInString(s[i:]); n == 1 {
				return compactPlain(s) // invalid UTF-8
			}
			space = unicode.IsSpace(r)
		}
		if space {
			if b.Cap() == 0 {
				b.Grow(len(s))
			}
			b.WriteString(s[start:i])
			start = i + n
		}
		i += n
	}
	if start == 0 {
		return s // no space
	}
	b.WriteString(s[start:])
	return b.String()
}

// compactPlain is Compact through strings.Map.
func compactPlain(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Core reduces a label to what identifies it: Clean, then no ordinals
// ((三), 三、, 1., 1、, (1)), white space or punctuation, only letters and
// digits. "（三）不予公 开" and "(三) 不予公开" both become "不予公开".
//
// Fast path: a label's runes and bytes in buffers on the stack, Han
// counted a letter without a table search (corePlain, in the tests, is the
// reference). BenchmarkCore: 1.9× fewer instructions than corePlain;
// BenchmarkNormalize runs 5% more without.
func Core(s string) string {
	var rbuf [64]rune
	rs := rbuf[:0]
	for _, r := range Clean(s) {
		rs = append(rs, r)
	}
	var bbuf [192]byte
	b := bbuf[:0]
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '(':
			// (三), (1): up to three numerals in brackets
			j := i + 1
			for j < len(rs) && j-i <= 3 && (CNDigit(rs[j]) > 0 || IsDigit(rs[j])) {
				j++
			}
			if j > i+1 && j < len(rs) && rs[j] == ')' {
				i = j
				continue
			}
		case CNDigit(r) > 0:
			// 三、 三. go; 三 in a word stays
			j := i
			for j < len(rs) && CNDigit(rs[j]) > 0 {
				j++
			}
			if j < len(rs) && (rs[j] == '、' || rs[j] == '.') {
				i = j
				continue
			}
			for ; i < j; i++ {
				b = utf8.AppendRune(b, rs[i])
			}
			i--
			continue
		case IsDigit(r):
			// 1. 12、 go unless a number follows (1.5 stays)
			j := i
			for j < len(rs) && IsDigit(rs[j]) {
				j++
			}
			if j-i <= 2 && j < len(rs) && (rs[j] == '.' || rs[j] == '、') && (j+1 == len(rs) || !IsDigit(rs[j+1])) {
				i = j
				continue
			}
			for ; i < j; i++ {
				b = utf8.AppendRune(b, rs[i])
			}
			i--
			continue
		}
		if r >= 0x4E00 && r <= 0x9FFF || unicode.IsLetter(r) || unicode.IsDigit(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

// IsDigit reports an ASCII digit.
func IsDigit(r rune) bool { return r >= '0' && r <= '9' }
