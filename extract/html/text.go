package html

import (
	"strings"
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
	b       strings.Builder
	last    rune
	pending bool
}

// add appends a piece of text, NFKC-normalized.
func (t *textBuf) add(s string) {
	if s == "" {
		return
	}
	if !nfkcFast(s) {
		s = norm.NFKC.String(s)
		for _, r := range s {
			t.addRune(r)
		}
		return
	}
	// Every rune normalizes on its own: NFKC(s) is their mappings in turn.
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			t.addRune(rune(c))
			i++
			continue
		}
		r, k := utf8.DecodeRuneInString(s[i:])
		if r >= 0x4E00 && r <= 0x9FFF {
			// A Han character: neither invisible nor a space.
			if t.pending {
				if !joinable(t.last, r) {
					t.b.WriteByte(' ')
				}
				t.pending = false
			}
			t.b.WriteString(s[i : i+k])
			t.last = r
			i += k
			continue
		}
		i += k
		if m := nfkcMap(r); m != "" {
			for _, r := range m {
				t.addRune(r)
			}
			continue
		}
		t.addRune(r)
	}
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
			t.b.WriteByte(' ')
		}
		t.pending = false
	}
	if r < utf8.RuneSelf {
		t.b.WriteByte(byte(r))
	} else {
		t.b.WriteRune(r)
	}
	t.last = r
}

// nfkcFast reports whether every rune of s is ASCII, a CJK unified
// ideograph, or in nfkcTable: runes that start a normalization segment,
// combine with no neighbour, and map to such runes. NFKC(s) is then the
// runes' own mappings one after the other.
func nfkcFast(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			i++
			continue
		}
		r, k := utf8.DecodeRuneInString(s[i:])
		if r >= 0x4E00 && r <= 0x9FFF {
			i += k
			continue
		}
		if r == utf8.RuneError || !nfkcKnown(r) {
			return false
		}
		i += k
	}
	return true
}

// nfkcRanges are the blocks of nfkcTable: Latin-1, general punctuation,
// CJK symbols and punctuation, half- and full-width forms.
var nfkcRanges = [...][2]rune{{0x80, 0x100}, {0x2000, 0x2070}, {0x3000, 0x3040}, {0xFF00, 0xFFF0}}

// nfkcTable holds, per rune of nfkcRanges, its NFKC mapping if it is safe
// for nfkcFast (the rune itself when NFKC keeps it), "" otherwise.
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

// nfkcKnown reports whether r is in nfkcTable.
func nfkcKnown(r rune) bool {
	for b, rg := range nfkcRanges {
		if r >= rg[0] && r < rg[1] {
			return nfkcTable[b][r-rg[0]] != ""
		}
	}
	return false
}

// nfkcMap returns the mapping of r in nfkcTable if NFKC changes r, else "".
func nfkcMap(r rune) string {
	for b, rg := range nfkcRanges {
		if r >= rg[0] && r < rg[1] {
			if m := nfkcTable[b][r-rg[0]]; m != string(r) {
				return m
			}
			return ""
		}
	}
	return ""
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
