package textnorm

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

// The inputs every differential test compares fast and plain code on.

var dirs = []string{"../../testdata/corpus", "../../testdata/variants"}

// corpusLines is every line of every bundled document, the PDF, HTML and
// DOCX files' raw bytes included (invalid UTF-8 for free).
func corpusLines(tb testing.TB) []string {
	var lines []string
	for _, dir := range dirs {
		files, err := os.ReadDir(dir)
		if err != nil {
			tb.Fatal(err)
		}
		for _, f := range files {
			if f.IsDir() {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				tb.Fatal(err)
			}
			lines = append(lines, strings.Split(string(data), "\n")...)
		}
	}
	if len(lines) < 20000 {
		tb.Fatalf("only %d lines in the bundled documents", len(lines))
	}
	return lines
}

// textLines is the lines of the bundled text documents (the reports as
// flattened text, pdftotext output among them): realistic input for the
// benchmarks.
func textLines(tb testing.TB) []string {
	var lines []string
	for _, dir := range dirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				tb.Fatal(err)
			}
			for _, l := range strings.Split(string(data), "\n") {
				if l != "" {
					lines = append(lines, l)
				}
			}
		}
	}
	if len(lines) < 3000 {
		tb.Fatalf("only %d lines of text", len(lines))
	}
	return lines
}

// hard are the pieces the fast paths treat apart, and their neighbours:
// ASCII spaces and controls, Unicode spaces, zero-width and invisible
// characters, Latin-1, combining marks and what they compose with, Hangul
// jamo, full- and half-width forms (kept or mapped), the edges of the Han
// range, Kangxi radicals and compatibility ideographs (mapped), 4-byte
// runes, U+FFFD, and invalid UTF-8 (stray continuation bytes, truncated,
// overlong and surrogate sequences).
var hard = []string{
	"a", "Z", "e", "0", "9", ".", "、", "(", ")", "-", "\"", "\\", "'",
	" ", "  ", "\t", "\n", "\r", "\v", "\f", "\x00", "\x01", "\x1f", "\x7f",
	"\u0085", "\u00a0", "\u00ad", "\u00b2", "é", "×", "\u0301", "\u0308", "\u0327",
	"\u1100", "\u1161", "\u11a8", "가", "\u1680", "\u2002", "\u200a", "\u200b", "\u200c", "\u200d",
	"\u2028", "\u202f", "\u205f", "\u2060", "\u2026", "“", "”", "—", "\u2474", "①", "Ⅳ", "\u2f00", "\u2f08",
	"\u3000", "。", "〇", "「", "\u3099", "\u309a", "か", "カ", "\u3131", "㈠", "㎡", "\u3400", "\u4dff",
	"\u4e00", "一", "二", "三", "十", "不予公开", "\u9fff", "\ua000", "\uac00", "\uf900", "\ufa10",
	"\ufeff", "（", "）", "：", "，", "％", "．", "－", "０", "９", "Ａ", "ｚ", "｡", "･", "ｶ", "\uff9e", "\uffa0",
	"\uffe0", "\uffe8", "\ufffd", "\U0001F600", "\U00020000", "\U0002F800", "\U000E0001",
	"\xff", "\x80", "\xbf", "\xc0\x80", "\xc2", "\xe4\xb8", "\xe4", "\xb8\x80", "\xed\xa0\x80", "\xef\xbf\xbf", "\xf0\x9f\x98", "\xf4\x90\x80\x80",
}

// randomText is a short text of hard pieces, random runes of any plane and
// random bytes.
func randomText(r *rand.Rand) string {
	var b []byte
	for range r.Intn(14) {
		switch k := r.Intn(10); {
		case k < 7:
			b = append(b, hard[r.Intn(len(hard))]...)
		case k == 7:
			b = utf8.AppendRune(b, rune(r.Intn(0x10000)))
		case k == 8:
			b = utf8.AppendRune(b, rune(r.Intn(utf8.MaxRune+1)))
		default:
			b = append(b, byte(r.Intn(256)))
		}
	}
	return string(b)
}

var (
	inputsOnce sync.Once
	inputsAll  []string
)

// inputs is corpusLines and 300,000 random texts.
func inputs(tb testing.TB) []string {
	inputsOnce.Do(func() {
		inputsAll = corpusLines(tb)
		r := rand.New(rand.NewSource(1))
		for range 300000 {
			inputsAll = append(inputsAll, randomText(r))
		}
	})
	return inputsAll
}

// seed adds the hard pieces, pairs of them and a few corpus lines to a
// fuzz target's corpus.
func seed(f *testing.F) {
	for i, p := range hard {
		f.Add(p)
		f.Add(p + hard[(i*7+3)%len(hard)] + " " + hard[(i*13+5)%len(hard)])
	}
	for i, l := range textLines(f) {
		if i%200 == 0 {
			f.Add(l)
		}
	}
}
