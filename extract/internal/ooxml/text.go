package ooxml

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Clean gives a paragraph's or a cell's raw text the form extract/html
// gives its text (the normalizer relies on it): NFKC, zero-width and
// control characters dropped, whitespace runs (tabs and line breaks
// included) collapsed to one space, which vanishes between two CJK
// characters or CJK and ASCII punctuation (本年新⏎制作数量 → 本年新制作数量),
// trimmed.
func Clean(raw string) string {
	s := norm.NFKC.String(raw)
	var b strings.Builder
	b.Grow(len(s))
	var last rune
	pending := false
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsSpace(r):
			pending = b.Len() > 0
			continue
		}
		if pending && !joinable(last, r) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		last = r
	}
	return b.String()
}

// invisible reports characters dropped outright: zero-width spaces and
// joiners, the BOM, soft hyphens, and control characters other than spaces.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD', utf8.RuneError:
		return true
	}
	return (r < 0x20 || r >= 0x7F && r <= 0x9F) && !unicode.IsSpace(r)
}

// joinable reports whether a space between a and b vanishes: both CJK, or
// one CJK and the other ASCII punctuation.
func joinable(a, b rune) bool {
	ca, cb := cjk(a), cjk(b)
	switch {
	case ca && cb:
		return true
	case ca:
		return asciiPunct(b)
	case cb:
		return asciiPunct(a)
	}
	return false
}

// cjk reports Han, kana, CJK punctuation and full-width forms, and the
// general punctuation (quotes, dashes, ellipsis) Chinese text uses.
func cjk(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r), unicode.Is(unicode.Katakana, r):
		return true
	case r >= 0x3000 && r <= 0x303F, r >= 0xFF00 && r <= 0xFFEF, r >= 0x2010 && r <= 0x206F, r >= 0x3200 && r <= 0x33FF:
		return true
	}
	return false
}

func asciiPunct(r rune) bool {
	return r < 0x80 && (unicode.IsPunct(r) || unicode.IsSymbol(r))
}
