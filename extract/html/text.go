package html

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// textBuf assembles the text of one block (a paragraph or a table cell) from
// the pieces of its text nodes. Whitespace runs and breaks (<br>, <p> inside
// a cell) collapse to one pending separator, written as a space unless both
// sides are CJK (本年新<br>制作数量 → 本年新制作数量). Pieces with no
// whitespace between them join as they are (2<span>1</span>22 → 2122).
type textBuf struct {
	b       strings.Builder
	last    rune
	pending bool
}

// add appends a piece of text, NFKC-normalized.
func (t *textBuf) add(s string) {
	if s == "" {
		return
	}
	s = norm.NFKC.String(s)
	for _, r := range s {
		switch {
		case invisible(r):
			continue
		case unicode.IsSpace(r):
			t.brk()
			continue
		}
		if t.pending {
			if !joinable(t.last, r) {
				t.b.WriteByte(' ')
			}
			t.pending = false
		}
		t.b.WriteRune(r)
		t.last = r
	}
}

// brk marks a soft break: a separator if more text follows.
func (t *textBuf) brk() {
	if t.b.Len() > 0 {
		t.pending = true
	}
}

// take returns the text so far and empties the buffer.
func (t *textBuf) take() string {
	s := t.b.String()
	t.b.Reset()
	t.pending = false
	t.last = 0
	return s
}

// invisible reports characters dropped outright: zero-width spaces and
// joiners, the BOM and soft hyphens. They would otherwise split numbers.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	return unicode.Is(unicode.Cc, r) && !unicode.IsSpace(r)
}

// joinable reports whether a break between a and b vanishes: both CJK, or
// one CJK and the other punctuation ((一)<br>予以公开 → (一)予以公开).
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

// asciiPunct reports ASCII punctuation (not letters or digits).
func asciiPunct(r rune) bool {
	return r < 0x80 && unicode.IsPunct(r) || r < 0x80 && unicode.IsSymbol(r)
}
