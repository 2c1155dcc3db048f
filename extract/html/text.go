package html

import (
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// textBuf assembles the text of one block (a paragraph or a table cell) from
// the pieces of its text nodes. Whitespace runs and breaks (<br>, <p> inside
// a cell) collapse to one pending separator, written as a space unless both
// sides are CJK (本年新<br>制作数量 → 本年新制作数量). Pieces with no
// whitespace between them join as they are (2<span>1</span>22 → 2122).
type textBuf struct {
	b       []byte
	last    rune
	pending bool
}

// add appends a piece of text, NFKC-normalized.
//
// A piece whose runes are all ASCII, Han (U+4E00-9FFF) or in nfkcTable
// normalizes rune by rune: NFKC(s) is the runes' own mappings in turn, so
// it is appended in one pass. At the first other rune that pass is undone
// and the piece goes through norm.
func (t *textBuf) add(s string) {
	if s == "" {
		return
	}
	// The state lives in locals while the piece is read (no write barrier
	// per byte on the heap-held buffer).
	b, last, pending := t.b, t.last, t.pending
	n0, last0, pending0 := len(b), last, pending
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			switch {
			case asciiSpace[c] != 0:
				pending = pending || len(b) > 0 // brk
				continue
			case c < 0x20 || c == 0x7F: // invisible
				continue
			}
			if pending {
				if !joinable(last, rune(c)) {
					b = append(b, ' ')
				}
				pending = false
			}
			b = append(b, c)
			last = rune(c)
			continue
		}
		// Han U+4E00-9FFF is E4 B8 80 to E9 BF BF: neither invisible nor a
		// space, and NFKC keeps it.
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); r >= 0x4E00 {
				if pending {
					if !joinable(last, r) {
						b = append(b, ' ')
					}
					pending = false
				}
				b = append(b, s[i:i+3]...)
				last = r
				i += 3
				continue
			}
		}
		r, k := utf8.DecodeRuneInString(s[i:])
		m, ok := nfkcLookup(r)
		if !ok || r == utf8.RuneError {
			t.b, t.last, t.pending = b[:n0], last0, pending0
			for _, r := range norm.NFKC.String(s) {
				t.addRune(r)
			}
			return
		}
		t.b, t.last, t.pending = b, last, pending
		if m == "" {
			t.addRune(r)
		} else {
			for _, r := range m {
				t.addRune(r)
			}
		}
		b, last, pending = t.b, t.last, t.pending
		i += k
	}
	t.b, t.last, t.pending = b, last, pending
}

// addRune appends a rune of normalized text.
func (t *textBuf) addRune(r rune) {
	switch {
	case invisible(r):
		return
	case isSpace(r):
		t.brk()
		return
	}
	if t.pending {
		if !joinable(t.last, r) {
			t.b = append(t.b, ' ')
		}
		t.pending = false
	}
	t.b = utf8.AppendRune(t.b, r)
	t.last = r
}

// nfkcRanges are the blocks of nfkcTable: Latin-1, general punctuation,
// CJK symbols and punctuation, half- and full-width forms.
var nfkcRanges = [...][2]rune{{0x80, 0x100}, {0x2000, 0x2070}, {0x3000, 0x3040}, {0xFF00, 0xFFF0}}

// nfkcTable holds, per rune of nfkcRanges, its NFKC mapping if the rune
// starts a normalization segment, combines with no neighbour and maps to
// such runes (the rune itself when NFKC keeps it); "" otherwise.
var nfkcTable = func() (t [len(nfkcRanges)][]string) {
	inert := func(r rune) bool {
		p := norm.NFKC.PropertiesString(string(r))
		return p.BoundaryBefore() && p.CCC() == 0 && p.LeadCCC() == 0 && p.TrailCCC() == 0
	}
	for b, rg := range nfkcRanges {
		t[b] = make([]string, rg[1]-rg[0])
		for r := rg[0]; r < rg[1]; r++ {
			m := norm.NFKC.String(string(r))
			ok := inert(r) && m != ""
			for _, q := range m {
				ok = ok && q != utf8.RuneError && inert(q) && norm.NFKC.IsNormalString(string(q))
			}
			if ok {
				t[b][r-rg[0]] = m
			}
		}
	}
	return t
}()

// nfkcLookup reports whether r is in nfkcTable and returns its mapping if
// NFKC changes r, else "".
func nfkcLookup(r rune) (string, bool) {
	for b, rg := range nfkcRanges {
		if r >= rg[0] && r < rg[1] {
			m := nfkcTable[b][r-rg[0]]
			if m == "" {
				return "", false
			}
			if m2, k := utf8.DecodeRuneInString(m); k == len(m) && m2 == r {
				return "", true
			}
			return m, true
		}
	}
	return "", false
}

// brk marks a soft break: a separator if more text follows.
func (t *textBuf) brk() {
	if len(t.b) > 0 {
		t.pending = true
	}
}

// take returns the text so far and empties the buffer.
func (t *textBuf) take() string {
	s := string(t.b)
	t.b = t.b[:0]
	t.pending = false
	t.last = 0
	return s
}

// invisible reports characters dropped outright: zero-width spaces and
// joiners, the BOM and soft hyphens. They would otherwise split numbers.
// Control characters (Cc) other than spaces go too.
func invisible(r rune) bool {
	switch r {
	case '\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u00AD':
		return true
	}
	if r >= 0 && r < 0x20 || r >= 0x7F && r <= 0x9F {
		return !isSpace(r)
	}
	return false
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
