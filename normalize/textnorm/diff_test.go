package textnorm

import (
	"math/rand"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Each fast path against the plain code it replaces, on every line of the
// bundled documents and random texts made of the hard cases (inputs), and
// under go test -fuzz.

// corePlain is Core as first written: the label's runes in a slice, a
// strings.Builder, unicode's tables for letters and digits.
func corePlain(s string) string { return coreOf([]rune(cleanPlain(s))) }

// coreOf is corePlain of cleaned text.
func coreOf(rs []rune) string {
	var b strings.Builder
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r == '(':
			j := i + 1
			for j < len(rs) && j-i <= 3 && (CNDigit(rs[j]) > 0 || IsDigit(rs[j])) {
				j++
			}
			if j > i+1 && j < len(rs) && rs[j] == ')' {
				i = j
				continue
			}
		case CNDigit(r) > 0:
			j := i
			for j < len(rs) && CNDigit(rs[j]) > 0 {
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
		case IsDigit(r):
			j := i
			for j < len(rs) && IsDigit(rs[j]) {
				j++
			}
			if j-i <= 2 && j < len(rs) && (rs[j] == '.' || rs[j] == '、') && (j+1 == len(rs) || !IsDigit(rs[j+1])) {
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

func checkClean(t *testing.T, s string) {
	if got, want := Clean(s), cleanPlain(s); got != want {
		t.Fatalf("Clean(%q) = %q, the normalizer gives %q", s, got, want)
	}
}

func checkCompact(t *testing.T, s string) {
	if got, want := Compact(s), compactPlain(s); got != want {
		t.Fatalf("Compact(%q) = %q, strings.Map gives %q", s, got, want)
	}
}

func checkCore(t *testing.T, s string) {
	if got, want := Core(s), corePlain(s); got != want {
		t.Fatalf("Core(%q) = %q, the plain code gives %q", s, got, want)
	}
}

func TestCleanMatchesPlain(t *testing.T) {
	for _, s := range inputs(t) {
		checkClean(t, s)
	}
}

func TestCompactMatchesPlain(t *testing.T) {
	for _, s := range inputs(t) {
		checkCompact(t, s)
	}
}

func TestCoreMatchesPlain(t *testing.T) {
	for _, s := range inputs(t) {
		checkCore(t, s)
	}
}

// joinScript feeds s to a Joiner in pieces: each byte of cuts is a piece
// length (low 6 bits, 0 for the rest of s), a Break before the piece if
// its high bit is set. Cuts fall inside runes too.
func joinScript(s string, cuts []byte, add func(string), brk func()) {
	for _, c := range cuts {
		if s == "" {
			break
		}
		if c&0x80 != 0 {
			brk()
		}
		n := int(c & 0x3F)
		if n == 0 || n > len(s) {
			n = len(s)
		}
		add(s[:n])
		s = s[n:]
	}
	add(s)
}

// checkJoiner runs the script on a fast and a plain Joiner, each used
// before (state left over from prev must not leak through Take).
func checkJoiner(t *testing.T, prev, s string, cuts []byte) {
	var fast, plain Joiner
	fast.Add(prev)
	fast.Break()
	fast.Take()
	plain.addPlain(prev)
	plain.Break()
	plain.Take()
	joinScript(s, cuts, fast.Add, fast.Break)
	joinScript(s, cuts, plain.addPlain, plain.Break)
	if got, want := fast.Take(), plain.Take(); got != want {
		t.Fatalf("Joiner on %q cut %v = %q, the normalizer gives %q", s, cuts, got, want)
	}
}

func TestJoinerMatchesPlain(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	prev := ""
	for _, s := range inputs(t) {
		cuts := make([]byte, r.Intn(5))
		r.Read(cuts)
		checkJoiner(t, prev, s, cuts)
		prev = s
	}
}

// TestFoldEveryRune checks fold's claim over all of Unicode: a rune it maps
// is mapped as NFKC maps it alone, and next to any other rune it maps (all
// but most of ASCII and Han) as NFKC maps the pair. han is exactly
// U+4E00–9FFF, runes NFKC keeps, neither spaces nor invisible, which Clean,
// Compact and Joiner step over and Core counts letters.
func TestFoldEveryRune(t *testing.T) {
	var folded []string // for the pairs
	for r := rune(0); r <= utf8.MaxRune; r++ {
		if r >= 0xD800 && r < 0xE000 {
			continue
		}
		s := string(r)
		if got, want := han(s), r >= 0x4E00 && r <= 0x9FFF; got != want {
			t.Fatalf("han(%U) = %v", r, got)
		}
		if han(s) && (!unicode.IsLetter(r) || unicode.IsSpace(r) || Invisible(r) || norm.NFKC.String(s) != s) {
			t.Fatalf("%U is not a Han letter NFKC keeps", r)
		}
		fr, m, n, ok := fold(s)
		if fr != r || n != len(s) {
			t.Fatalf("fold(%U) read %U, %d bytes", r, fr, n)
		}
		if !ok {
			continue
		}
		if want := norm.NFKC.String(s); m != want {
			t.Fatalf("fold(%U) = %q, NFKC gives %q", r, m, want)
		}
		if m == s && r >= 0x3040 && (unicode.IsSpace(r) || Invisible(r)) {
			t.Fatalf("Joiner appends %U as it is, but it is a space or invisible", r)
		}
		if !han(s) && (r >= 0x80 || r%16 == 0) {
			folded = append(folded, s)
		}
	}
	folded = append(folded, "一", "\u9fff")
	for _, a := range folded {
		_, ma, _, _ := fold(a)
		for _, b := range folded {
			_, mb, _, _ := fold(b)
			if got := norm.NFKC.String(a + b); got != ma+mb {
				t.Fatalf("NFKC(%q) = %q, fold gives %q", a+b, got, ma+mb)
			}
		}
	}
}

// TestSigCountBoundsLCS checks what the label matcher's pruning relies on:
// SigCount(a, RuneSig(b)) is never below LCS(a, b).
func TestSigCountBoundsLCS(t *testing.T) {
	lines := textLines(t)
	r := rand.New(rand.NewSource(3))
	for range 20000 {
		a, b := []rune(lines[r.Intn(len(lines))]), lines[r.Intn(len(lines))]
		if len(a) > 60 {
			a = a[:60]
		}
		if rb := []rune(b); len(rb) > 60 {
			b = string(rb[:60])
		}
		if lcs, bound := LCS(a, []rune(b)), SigCount(a, RuneSig(b)); bound < lcs {
			t.Fatalf("SigCount(%q, RuneSig(%q)) = %d < LCS %d", string(a), b, bound, lcs)
		}
	}
}

func FuzzClean(f *testing.F) {
	seed(f)
	f.Fuzz(checkClean)
}

func FuzzCompact(f *testing.F) {
	seed(f)
	f.Fuzz(checkCompact)
}

func FuzzCore(f *testing.F) {
	seed(f)
	f.Fuzz(checkCore)
}

func FuzzJoiner(f *testing.F) {
	for i, p := range hard {
		f.Add(p, hard[(i*7+3)%len(hard)]+" "+p, []byte{byte(i % 5), 0x81})
	}
	f.Add("", "本年新 制作数量", []byte{0x83})
	f.Fuzz(checkJoiner)
}
