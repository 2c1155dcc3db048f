package ingest

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

// GenerateCorpus writes n distinct documents to dir for benchmarks and
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
func GenerateCorpus(src, dir string, n int, formats ...string) ([]string, error) {
	want := map[string]bool{}
	for _, f := range formats {
		want[strings.TrimPrefix(strings.ToLower(f), ".")] = true
	}
	entries, err := os.ReadDir(src)
	if err != nil {
		return nil, err
	}
	type source struct {
		name string
		ext  string
		data []byte
	}
	var srcs []source
	for _, e := range entries {
		ext := strings.TrimPrefix(strings.ToLower(filepath.Ext(e.Name())), ".")
		if e.IsDir() || (ext != "txt" && ext != "html" && ext != "pdf") || (len(want) > 0 && !want[ext]) {
			continue
		}
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			return nil, err
		}
		srcs = append(srcs, source{e.Name(), ext, data})
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
	for j := 0; len(paths) < n; j++ {
		s := srcs[j%len(srcs)]
		k := j / len(srcs)
		var out []byte
		switch s.ext {
		case "pdf":
			out = varyPDF(s.data, j)
		case "html":
			out = varyHTML(s.data, k)
		default:
			out = varyText(s.data, k)
		}
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

// varyPDF inserts a comment line before the last startxref keyword.
func varyPDF(data []byte, i int) []byte {
	at := bytes.LastIndex(data, []byte("startxref"))
	if at < 0 {
		at = len(data)
	}
	out := make([]byte, 0, len(data)+32)
	out = append(out, data[:at]...)
	out = fmt.Appendf(out, "%%govreport-bench %d\n", i)
	return append(out, data[at:]...)
}

var (
	tdRe    = regexp.MustCompile(`(?is)(<td\b[^>]*>)(.*?)(</td>)`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	digitRe = regexp.MustCompile(`[0-9]+`)
	titleRe = regexp.MustCompile(`(?is)<title>.*?</title>`)
	yearRe  = regexp.MustCompile(`(19|20)[0-9]{2}年`)
	tokenRe = regexp.MustCompile(`\S+`)
)

// varyHTML scales the integer <td> cells by k+2 and moves the title year.
func varyHTML(data []byte, k int) []byte {
	out := tdRe.ReplaceAllFunc(data, func(td []byte) []byte {
		m := tdRe.FindSubmatchIndex(td)
		inner := td[m[4]:m[5]]
		// Visible text: the inner HTML without tags, blanks and &nbsp;.
		text := tagRe.ReplaceAll(inner, nil)
		text = bytes.ReplaceAll(text, []byte("&nbsp;"), nil)
		text = bytes.TrimSpace(text)
		if len(text) == 0 || len(text) > 9 || !allDigits(text) {
			return td
		}
		// Exactly one digit run outside tags, so a number split across
		// spans is left alone.
		var runs [][]int
		last := 0
		for _, t := range append(tagRe.FindAllIndex(inner, -1), []int{len(inner), len(inner)}) {
			for _, r := range digitRe.FindAllIndex(inner[last:t[0]], -1) {
				runs = append(runs, []int{last + r[0], last + r[1]})
			}
			last = t[1]
		}
		if len(runs) != 1 {
			return td
		}
		r := runs[0]
		var b []byte
		b = append(b, td[:m[4]]...)
		b = append(b, inner[:r[0]]...)
		b = append(b, scale(inner[r[0]:r[1]], k)...)
		b = append(b, inner[r[1]:]...)
		return append(b, td[m[5]:]...)
	})
	return titleRe.ReplaceAllFunc(out, func(t []byte) []byte { return moveYear(t, k) })
}

// varyText scales the integer tokens by k+2 and moves the year of the
// first line that looks like the title.
func varyText(data []byte, k int) []byte {
	lines := bytes.SplitAfter(data, []byte("\n"))
	titled := false
	for i, l := range lines {
		if !titled && bytes.Contains(l, []byte("报告")) && yearRe.Match(l) {
			lines[i] = moveYear(l, k)
			titled = true
			continue
		}
		lines[i] = tokenRe.ReplaceAllFunc(l, func(t []byte) []byte {
			if len(t) > 9 || !allDigits(t) {
				return t
			}
			return scale(t, k)
		})
	}
	return bytes.Join(lines, nil)
}

func allDigits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

func scale(num []byte, k int) []byte {
	v, _ := strconv.Atoi(string(num))
	return strconv.AppendInt(nil, int64(v*(k+2)), 10)
}

// moveYear shifts the first "YYYY年" in b by k within its layout era.
func moveYear(b []byte, k int) []byte {
	loc := yearRe.FindIndex(b)
	if loc == nil {
		return b
	}
	y, _ := strconv.Atoi(string(b[loc[0] : loc[0]+4]))
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
	y = lo + (y-lo+k)%(hi-lo+1)
	out := append([]byte{}, b[:loc[0]]...)
	out = strconv.AppendInt(out, int64(y), 10)
	return append(out, b[loc[0]+4:]...)
}
