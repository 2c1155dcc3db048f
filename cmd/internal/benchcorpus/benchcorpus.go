// Package benchcorpus derives many distinct report files from a few real
// ones, for benchmarks and for tests that need a corpus of some size.
package benchcorpus

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Generate writes n distinct documents to dir for benchmarks and
// tests, derived from the report files (.txt, .html, .pdf) in src whose
// format is in formats (all three when formats is empty). Copy i of a
// source keeps its real layout but gets its own sha256:
//   - text and HTML: every integer table value is multiplied by the copy's
//     factor (2, 3, …), so row and column totals still add up, and the year
//     in the title moves within its layout era (≤2018, 2019–2020, ≥2021);
//     in text a value is a whitespace-delimited integer token, in HTML a
//     <td> whose visible text is one integer;
//   - PDF: content streams are left alone; a comment line
//     "%govreport-bench i" is inserted just before the final startxref.
//     Object offsets are unchanged and readers skip comments, so the file
//     parses exactly as the original. (Appending after %%EOF is not safe:
//     the PDF library requires %%EOF at the end of the file.)
//
// A variant whose sha256 was already written (a source whose values are
// all zero only varies by its year) is skipped. It returns the paths
// written.
func Generate(src, dir string, n int, formats ...string) ([]string, error) {
	want := map[string]bool{}
	for _, f := range formats {
		want[strings.TrimPrefix(strings.ToLower(f), ".")] = true
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return nil, err
	}
	var srcs []*variant
	for _, e := range entries {
		ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(e.Name())), ".")
		if e.IsDir() || (ext != "txt" && ext != "html" && ext != "pdf") || (len(want) > 0 && !want[ext]) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, newVariant(e.Name(), ext, data))
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("generate corpus: no source documents in %s", src)
	}
	sort.Slice(srcs, func(i, j int) bool { return srcs[i].name < srcs[j].name })
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	seen := map[[32]byte]bool{}
	paths := make([]string, 0, n)
	misses := 0
	var out []byte
	for j := 0; len(paths) < n; j++ {
		s := srcs[j%len(srcs)]
		out = s.render(out[:0], j/len(srcs), j)
		h := sha256.Sum256(out)
		if seen[h] {
			// A source with no nonzero value has few variants (its years):
			// skip it once they are used up.
			if misses++; misses > 100*len(srcs) {
				return nil, fmt.Errorf("generate corpus: cannot derive %d distinct documents from %s", n, src)
			}
			continue
		}
		misses = 0
		seen[h] = true
		path := filepath.Join(dir, fmt.Sprintf("%06d_%s", len(paths), s.name))
		if err := os.WriteFile(path, out, 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, path)
	}
	return paths, nil
}

// variant is a source document cut at the places a copy changes, so that
// each copy is written without parsing the source again.
type variant struct {
	name  string
	data  []byte
	slots []slot // in order of position
}

type slotKind int

const (
	slotNumber slotKind = iota // an integer value, scaled by k+2
	slotYear                   // the title's year, moved by k in its era
	slotMark                   // a PDF comment with the copy's index
)

type slot struct {
	start, end int // the bytes replaced
	kind       slotKind
	value      int
}

func newVariant(name, ext string, data []byte) *variant {
	v := &variant{name: name, data: data}
	switch ext {
	case "pdf":
		at := bytes.LastIndex(data, []byte("startxref"))
		if at < 0 {
			at = len(data)
		}
		v.slots = append(v.slots, slot{at, at, slotMark, 0})
	case "html":
		v.slots = htmlSlots(data)
	default:
		v.slots = textSlots(data)
	}
	sort.Slice(v.slots, func(i, j int) bool { return v.slots[i].start < v.slots[j].start })
	return v
}

// render appends copy k (the index-th document written) to out.
func (v *variant) render(out []byte, k, index int) []byte {
	last := 0
	for _, s := range v.slots {
		out = append(out, v.data[last:s.start]...)
		switch s.kind {
		case slotNumber:
			out = strconv.AppendInt(out, int64(s.value*(k+2)), 10)
		case slotYear:
			out = strconv.AppendInt(out, int64(moveYear(s.value, k)), 10)
		case slotMark:
			out = fmt.Appendf(out, "%%govreport-bench %d\n", index)
		}
		last = s.end
	}
	return append(out, v.data[last:]...)
}

var (
	tdRe    = regexp.MustCompile(`(?is)<td\b[^>]*>(.*?)</td>`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	digitRe = regexp.MustCompile(`[0-9]+`)
	titleRe = regexp.MustCompile(`(?is)<title>.*?</title>`)
	yearRe  = regexp.MustCompile(`(19|20)[0-9]{2}年`)
	tokenRe = regexp.MustCompile(`\S+`)
)

// htmlSlots: the <td> cells whose visible text is one integer written as
// one run of digits (a number split across spans is left alone), and the
// year in <title>.
func htmlSlots(data []byte) []slot {
	var out []slot
	for _, m := range tdRe.FindAllSubmatchIndex(data, -1) {
		inner := data[m[2]:m[3]]
		text := tagRe.ReplaceAll(inner, nil)
		text = bytes.ReplaceAll(text, []byte("&nbsp;"), nil)
		text = bytes.TrimSpace(text)
		if len(text) == 0 || len(text) > 9 || !allDigits(text) {
			continue
		}
		var runs [][]int
		last := 0
		for _, t := range append(tagRe.FindAllIndex(inner, -1), []int{len(inner), len(inner)}) {
			for _, r := range digitRe.FindAllIndex(inner[last:t[0]], -1) {
				runs = append(runs, []int{m[2] + last + r[0], m[2] + last + r[1]})
			}
			last = t[1]
		}
		if len(runs) == 1 {
			out = append(out, numberSlot(data, runs[0][0], runs[0][1]))
		}
	}
	if t := titleRe.FindIndex(data); t != nil {
		if y := yearRe.FindIndex(data[t[0]:t[1]]); y != nil {
			out = append(out, yearSlot(data, t[0]+y[0]))
		}
	}
	return out
}

// textSlots: whitespace-delimited integer tokens, and the year of the
// first line that looks like the title.
func textSlots(data []byte) []slot {
	var out []slot
	titled := false
	for off := 0; off < len(data); {
		end := bytes.IndexByte(data[off:], '\n')
		if end < 0 {
			end = len(data)
		} else {
			end += off + 1
		}
		line := data[off:end]
		if y := yearRe.FindIndex(line); !titled && y != nil && bytes.Contains(line, []byte("报告")) {
			out = append(out, yearSlot(data, off+y[0]))
			titled = true
		} else {
			for _, t := range tokenRe.FindAllIndex(line, -1) {
				if tok := line[t[0]:t[1]]; len(tok) <= 9 && allDigits(tok) {
					out = append(out, numberSlot(data, off+t[0], off+t[1]))
				}
			}
		}
		off = end
	}
	return out
}

func numberSlot(data []byte, start, end int) slot {
	v, _ := strconv.Atoi(string(data[start:end]))
	return slot{start, end, slotNumber, v}
}

func yearSlot(data []byte, at int) slot {
	y, _ := strconv.Atoi(string(data[at : at+4]))
	return slot{at, at + 4, slotYear, y}
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// moveYear shifts year y by k within its layout era.
func moveYear(y, k int) int {
	lo, hi := 2008, 2018
	switch {
	case y >= 2021:
		lo, hi = 2021, 2025
	case y >= 2019:
		lo, hi = 2019, 2020
	}
	if y < lo {
		lo = y
	}
	return lo + (y-lo+k)%(hi-lo+1)
}
