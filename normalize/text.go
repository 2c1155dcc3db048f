package normalize

import (
	"strconv"
	"strings"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

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
	if t, ok := cleanFast(s); ok {
		return t
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

// cleanFast is clean without the normalizer for the common text: ASCII,
// runes NFKC keeps whatever surrounds them (starters with NFKC_QC=Yes, such
// as Han ideographs), and full-width ASCII and U+3000, which NFKC maps one
// for one to ASCII. Such a string, mapped, is compatibility-equivalent to
// the input and already in NFKC, so it is the input's NFKC. ok is false for
// anything else.
func cleanFast(s string) (string, bool) {
	mapped := false
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			i++
			continue
		}
		if c >= 0xe4 && c <= 0xee && c != 0xed && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			// U+4000–U+EFFF (Han): neither mapped nor invalid; the table,
			// read inline once filled, decides
			r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			if b := r >> 6; !stableRunes.done[b].Load() || stableRunes.bits[b].Load()&(1<<(r&63)) == 0 {
				if !stableRune(r) {
					return "", false
				}
			}
			i += 3
			continue
		}
		r, n := decodeRune(s[i:])
		switch {
		case n == 1: // invalid UTF-8
			return "", false
		case r >= 0xff01 && r <= 0xff5e || r == '\u3000':
			if !wideOK {
				return "", false
			}
			mapped = true
		case !stableRune(r):
			return "", false
		}
		i += n
	}
	if !mapped {
		return strings.TrimSpace(s), true
	}
	b := make([]byte, 0, len(s))
	for _, r := range s {
		switch {
		case r >= 0xff01 && r <= 0xff5e:
			b = append(b, byte(r-0xfee0))
		case r == '\u3000':
			b = append(b, ' ')
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return strings.TrimSpace(string(b)), true
}

// decodeRune is utf8.DecodeRuneInString for a non-ASCII s, the three-byte
// sequences of CJK text (U+1000–U+FFFF but surrogates) decoded inline.
func decodeRune(s string) (rune, int) {
	if len(s) >= 3 {
		if b0 := s[0]; b0 >= 0xe1 && b0 <= 0xef && b0 != 0xed && s[1]&0xc0 == 0x80 && s[2]&0xc0 == 0x80 {
			return rune(b0&0x0f)<<12 | rune(s[1]&0x3f)<<6 | rune(s[2]&0x3f), 3
		}
	}
	return utf8.DecodeRuneInString(s)
}

// wideOK confirms that NFKC maps U+FF01–U+FF5E to U+0021–U+007E and
// U+3000 to a space, as cleanFast assumes.
var wideOK = func() bool {
	for r := rune(0xff01); r <= 0xff5e; r++ {
		if norm.NFKC.String(string(r)) != string(r-0xfee0) {
			return false
		}
	}
	return norm.NFKC.String("\u3000") == " "
}()

// runeTable answers a property of BMP runes from a bit set filled one
// 64-rune block at a time, on first use, by calling in: bits[b] is valid
// once done[b] is set. Concurrent fills of a block store the same bits.
type runeTable struct {
	bits [0x10000 / 64]atomic.Uint64
	done [0x10000 / 64]atomic.Bool
	in   func(rune) bool
}

// has is in(r) for r < 0x10000.
func (t *runeTable) has(r rune) bool {
	b := r >> 6 & 0x3ff
	if !t.done[b].Load() {
		t.fill(b)
	}
	return t.bits[b].Load()&(1<<(r&63)) != 0
}

func (t *runeTable) fill(b rune) {
	var bits uint64
	for i := rune(0); i < 64; i++ {
		if t.in(b<<6 | i) {
			bits |= 1 << i
		}
	}
	t.bits[b].Store(bits)
	t.done[b].Store(true)
}

// stableRunes are the non-ASCII runes NFKC keeps in any context (starters
// with NFKC_QC=Yes) and clean does not map or trim.
var stableRunes = runeTable{in: func(c rune) bool {
	if c < 0x80 || c >= 0xd800 && c < 0xe000 || unicode.IsSpace(c) {
		return false
	}
	switch c {
	case '\u200b', '\u200c', '\u200d', '\ufeff', '\u00a0', '\u3000':
		return false
	}
	cs := string(c)
	return norm.NFKC.PropertiesString(cs).BoundaryBefore() && norm.NFKC.IsNormalString(cs)
}}

func stableRune(r rune) bool {
	return r < 0x10000 && stableRunes.has(r)
}

// wordRunes are the letters and digits (unicode.IsLetter, unicode.IsDigit).
var wordRunes = runeTable{in: func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }}

func isWordRune(r rune) bool {
	if r < 0x10000 {
		return wordRunes.has(r)
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r)
}

// core reduces a label to what identifies it: no ordinals ((三), 三、, 1.,
// 1、, (1)), spaces or punctuation. "（三）不予公 开" and "(三) 不予公开" both
// become "不予公开".
func core(s string) string {
	var rbuf [64]rune // labels: on the stack
	rs := rbuf[:0]
	for _, r := range clean(s) {
		rs = append(rs, r)
	}
	var bbuf [192]byte
	b := bbuf[:0]
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '(':
			j := i + 1
			for j < len(rs) && j-i <= 3 && (cnDigit(rs[j]) > 0 || isDigit(rs[j])) {
				j++
			}
			if j > i+1 && j < len(rs) && rs[j] == ')' {
				i = j
				continue
			}
		case cnDigit(r) > 0:
			j := i
			for j < len(rs) && cnDigit(rs[j]) > 0 {
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
				b = utf8.AppendRune(b, rs[i])
			}
			i--
			continue
		}
		if isWordRune(r) {
			b = utf8.AppendRune(b, r)
		}
	}
	return string(b)
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

// compact removes all spaces (labels broken by spaces: 不予公 开).
func compact(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c < 0x80 {
			if c == ' ' || c >= '\t' && c <= '\r' {
				return compactMap(s)
			}
			i++
			continue
		}
		if c := s[i]; c >= 0xe4 && c <= 0xef && c != 0xed && i+2 < len(s) && s[i+1]&0xc0 == 0x80 && s[i+2]&0xc0 == 0x80 {
			i += 3 // U+4000–U+FFFF: valid, no space
			continue
		}
		r, n := decodeRune(s[i:])
		if n == 1 || r <= 0x3000 && unicode.IsSpace(r) { // invalid UTF-8: Map rewrites it
			return compactMap(s)
		}
		i += n
	}
	return s // nothing to remove: what strings.Map returns too
}

// compactMap is strings.Map dropping unicode.IsSpace runes (invalid UTF-8
// becomes U+FFFD), without a call per rune.
func compactMap(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c != ' ' && (c < '\t' || c > '\r') {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, n := decodeRune(s[i:])
		if n == 1 {
			b.WriteString("\ufffd")
		} else if r > 0x3000 || !unicode.IsSpace(r) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// cnDigit is the value of 一 … 十, 0 for any other rune.
func cnDigit(r rune) int {
	switch r {
	case '一':
		return 1
	case '二':
		return 2
	case '三':
		return 3
	case '四':
		return 4
	case '五':
		return 5
	case '六':
		return 6
	case '七':
		return 7
	case '八':
		return 8
	case '九':
		return 9
	case '十':
		return 10
	}
	return 0
}

// cnNumber parses 一 … 十九.
func cnNumber(s string) int {
	r := []rune(s)
	switch len(r) {
	case 1:
		return cnDigit(r[0])
	case 2:
		if r[0] == '十' {
			return 10 + cnDigit(r[1])
		}
		if r[1] == '十' {
			return cnDigit(r[0]) * 10
		}
	}
	return 0
}

// lcs returns the length of the longest common subsequence of a and b.
func lcs(a, b []rune) int {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	const small = 64 // template labels: rows on the stack
	var buf [2 * small]int
	var prev, cur []int
	if len(b) < small {
		prev, cur = buf[:len(b)+1], buf[small:small+len(b)+1]
	} else {
		prev, cur = make([]int, len(b)+1), make([]int, len(b)+1)
	}
	for i := 1; i <= len(a); i++ {
		ai := a[i-1]
		for j := 1; j <= len(b); j++ {
			if ai == b[j-1] {
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

// runeSig is a 64-bit set of a text's runes (rune mod 64): a text holds
// another only if its signature covers the other's.
func runeSig(s string) uint64 {
	var sig uint64
	for _, r := range s {
		sig |= 1 << (uint(r) & 63)
	}
	return sig
}

// sigCount is how many runes of rs (with repeats) fall in sig: a bound on
// the longest common subsequence of rs and any text of that signature.
func sigCount(rs []rune, sig uint64) int {
	n := 0
	for _, r := range rs {
		if sig&(1<<(uint(r)&63)) != 0 {
			n++
		}
	}
	return n
}

// quote is strconv.Quote (fmt's %q), without its per-rune table searches
// when every rune is printable and needs no escape.
func quote(s string) string {
	for i := 0; i < len(s); {
		c := s[i]
		if c < 0x80 {
			if c < 0x20 || c == 0x7f || c == '"' || c == '\\' {
				return strconv.Quote(s)
			}
			i++
			continue
		}
		r, n := decodeRune(s[i:])
		if n == 1 || r >= 0x10000 || !printRunes.has(r) {
			return strconv.Quote(s)
		}
		i += n
	}
	return `"` + s + `"`
}

// printRunes are the runes strconv.Quote prints as they are.
var printRunes = runeTable{in: strconv.IsPrint}

// runesUpTo is min(utf8.RuneCountInString(s), max), without counting past max.
func runesUpTo(s string, max int) int {
	n := 0
	for i := 0; i < len(s) && n < max; n++ {
		if s[i] < 0x80 {
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	return n
}

// fields is strings.Fields appending to dst.
func fields(dst []string, s string) []string {
	start := -1
	for i := 0; i < len(s); {
		r, n := rune(s[i]), 1
		if r >= 0x80 {
			r, n = utf8.DecodeRuneInString(s[i:])
		}
		if unicode.IsSpace(r) {
			if start >= 0 {
				dst = append(dst, s[start:i])
				start = -1
			}
		} else if start < 0 {
			start = i
		}
		i += n
	}
	if start >= 0 {
		dst = append(dst, s[start:])
	}
	return dst
}
