package main

// The PDF forms: every real HTML page printed by headless Chromium, as
// printed and with the zero cells of its statistics tables blanked;
// pdftotext -layout and raw of every PDF (the corpus's and the browser's
// prints); each page of every multi-page corpus PDF alone, a fragment.

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/net/html"

	"govreport"
)

func init() {
	forms = append(forms,
		form{name: "chromium", tools: []string{"chromium"}, docs: htmlPages, make: printed(false, false)},
		form{name: "chromium_blank", tools: []string{"chromium"}, docs: templatePages, make: printed(true, false)},
		form{name: "chromium_noborder", tools: []string{"chromium"}, docs: htmlPages, make: printed(false, true)},
		form{name: "chromium_noborder_blank", tools: []string{"chromium"}, docs: templatePages, make: printed(true, true)},
		form{name: "pdftotext_layout", tools: []string{"pdftotext"}, docs: corpusPDFs, make: pdftotext("", true)},
		form{name: "pdftotext_raw", tools: []string{"pdftotext"}, docs: corpusPDFs, make: pdftotext("", false)},
		form{name: "chromium_pdftotext_layout", tools: []string{"pdftotext"}, docs: htmlPages, make: pdftotext("chromium", true)},
		form{name: "chromium_pdftotext_raw", tools: []string{"pdftotext"}, docs: htmlPages, make: pdftotext("chromium", false)},
		form{name: "chromium_blank_pdftotext_layout", tools: []string{"pdftotext"}, docs: templatePages, make: pdftotext("chromium_blank", true)},
		form{name: "chromium_blank_pdftotext_raw", tools: []string{"pdftotext"}, docs: templatePages, make: pdftotext("chromium_blank", false)},
		form{name: "pageN", tools: []string{"pdfseparate"}, docs: corpusPDFs, make: pages},
	)
}

func htmlPages(g *gen) ([]string, error)  { return corpusFiles(g, ".html") }
func corpusPDFs(g *gen) ([]string, error) { return corpusFiles(g, ".pdf") }

// templatePages are the HTML pages whose golden has a template layout:
// their tables 二, 三 and 四 have cells the blank form can empty (a
// legacy table's golden cannot say "not reported").
func templatePages(g *gen) ([]string, error) {
	all, err := htmlPages(g)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, d := range all {
		b, err := os.ReadFile(filepath.Join(g.testdata, "golden", d+".json"))
		if os.IsNotExist(err) {
			continue
		} else if err != nil {
			return nil, err
		}
		var gd struct{ Layout string }
		if err := json.Unmarshal(b, &gd); err != nil {
			return nil, fmt.Errorf("golden of %s: %v", d, err)
		}
		if gd.Layout != "" && gd.Layout != govreport.LayoutLegacy {
			out = append(out, d)
		}
	}
	return out, nil
}

// printed prints an HTML page with headless Chromium to
// <page>__chromium[_noborder][_blank].pdf; blank: its zero cells emptied
// first; noborder: its tables drawn without borders (no ruling lines).
func printed(blank, noborder bool) func(g *gen, doc string) (map[string][]byte, error) {
	return func(g *gen, doc string) (map[string][]byte, error) {
		src := g.corpus(doc)
		name := doc + "__chromium"
		if blank || noborder {
			b, err := os.ReadFile(src)
			if err != nil {
				return nil, err
			}
			if noborder {
				if b, err = noBorders(b); err != nil {
					return nil, err
				}
				name += "_noborder"
			}
			if blank {
				var n int
				if b, n, err = blankZeros(b); err != nil {
					return nil, err
				}
				if n == 0 {
					return nil, fmt.Errorf("no zero cell to blank")
				}
				name += "_blank"
			}
			src = filepath.Join(g.tmp, doc)
			if err := os.WriteFile(src, b, 0o644); err != nil {
				return nil, err
			}
		}
		name += ".pdf"
		pdf, err := chromium(g, src)
		if err != nil {
			return nil, err
		}
		return map[string][]byte{name: pdf}, nil
	}
}

// chromium prints a page to PDF with the flags of
// testdata/variants/README.md and sets the file's dates to a constant.
func chromium(g *gen, page string) ([]byte, error) {
	abs, err := filepath.Abs(page)
	if err != nil {
		return nil, err
	}
	profile, err := os.MkdirTemp(g.tmp, "profile")
	if err != nil {
		return nil, err
	}
	out := filepath.Join(g.tmp, "print.pdf")
	os.Remove(out)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "chromium", "--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
		"--user-data-dir="+profile, "--print-to-pdf="+out, "--no-pdf-header-footer", "file://"+abs)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("chromium: %v: %s", err, tail(stderr.String()))
	}
	b, err := os.ReadFile(out)
	if err != nil {
		return nil, fmt.Errorf("chromium wrote no PDF: %v: %s", err, tail(stderr.String()))
	}
	return fixDates(b), nil
}

// noBorderCSS draws every table without borders, so that the print has
// no ruling lines: columns then stand only where the text does.
const noBorderCSS = `<style>table,tr,td,th{border:none !important;border-collapse:collapse !important}</style>`

// noBorders adds noBorderCSS at the end of the page's head.
func noBorders(src []byte) ([]byte, error) {
	i := bytes.LastIndex(bytes.ToLower(src), []byte("</head>"))
	if i < 0 {
		return nil, fmt.Errorf("no </head> to add the style to")
	}
	out := append([]byte{}, src[:i]...)
	out = append(out, noBorderCSS...)
	return append(out, src[i:]...), nil
}

var pdfDate = regexp.MustCompile(`/(CreationDate|ModDate) ?\(D:[0-9]{14}`)

// fixDates replaces the print's creation and modification times (the only
// bytes that differ between two prints) by a constant of the same length,
// so that the cross-reference offsets stay right.
func fixDates(b []byte) []byte {
	return pdfDate.ReplaceAllFunc(b, func(m []byte) []byte {
		out := append([]byte{}, m...)
		copy(out[len(out)-14:], "20000101000000")
		return out
	})
}

// blankZeros empties every table cell of an HTML page whose whole text is
// 0, as agencies print a zero cell blank: the 0 characters of its text
// are removed, every other byte of the page is kept. It returns the page
// and the number of cells emptied.
func blankZeros(src []byte) ([]byte, int, error) {
	type span struct{ from, to int }
	type cell struct {
		text  strings.Builder
		spans []span // its text tokens
		inner bool   // holds a cell of a nested table
	}
	z := html.NewTokenizer(bytes.NewReader(src))
	var open []*cell
	var blank []span
	n, off := 0, 0
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if z.Err() != io.EOF {
				return nil, 0, z.Err()
			}
			break
		}
		raw := len(z.Raw())
		switch tt {
		case html.StartTagToken, html.EndTagToken:
			name, _ := z.TagName()
			if s := string(name); s == "td" || s == "th" {
				if tt == html.StartTagToken {
					for _, c := range open {
						c.inner = true
					}
					open = append(open, &cell{})
				} else if len(open) > 0 {
					c := open[len(open)-1]
					open = open[:len(open)-1]
					if !c.inner && strings.TrimSpace(strings.ReplaceAll(c.text.String(), "\u00a0", " ")) == "0" {
						blank = append(blank, c.spans...)
						n++
					}
				}
			}
		case html.TextToken:
			if len(open) > 0 {
				c := open[len(open)-1]
				c.text.WriteString(html.UnescapeString(string(z.Raw())))
				c.spans = append(c.spans, span{off, off + raw})
			}
		}
		off += raw
	}
	if off != len(src) {
		return nil, 0, fmt.Errorf("tokenizer read %d of %d bytes", off, len(src))
	}
	out := append([]byte{}, src...)
	sort.Slice(blank, func(i, j int) bool { return blank[i].from > blank[j].from })
	for _, s := range blank {
		out = append(out[:s.from], append(bytes.ReplaceAll(src[s.from:s.to], []byte("0"), nil), out[s.to:]...)...)
	}
	return out, n, nil
}

// pdftotext runs pdftotext (-layout or raw) on a corpus PDF (via "") or on
// the browser's print of a page (via the print's form name).
func pdftotext(via string, layout bool) func(g *gen, doc string) (map[string][]byte, error) {
	return func(g *gen, doc string) (map[string][]byte, error) {
		src, name := g.corpus(doc), doc+"__"
		if via != "" {
			src = g.variants(doc + "__" + via + ".pdf")
			name += via + "_"
		}
		args := []string{"-enc", "UTF-8", src, "-"}
		if layout {
			args = append([]string{"-layout"}, args...)
			name += "pdftotext_layout.txt"
		} else {
			name += "pdftotext_raw.txt"
		}
		out, err := run("pdftotext", args...)
		if err != nil {
			return nil, err
		}
		return map[string][]byte{name: out}, nil
	}
}

// pages writes each page of a multi-page PDF alone (pdfseparate), as a
// fragment: <document>__pageN.pdf.
func pages(g *gen, doc string) (map[string][]byte, error) {
	dir, err := os.MkdirTemp(g.tmp, "pages")
	if err != nil {
		return nil, err
	}
	if _, err := run("pdfseparate", g.corpus(doc), filepath.Join(dir, "p-%d.pdf")); err != nil {
		return nil, err
	}
	files, err := filepath.Glob(filepath.Join(dir, "p-*.pdf"))
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	if len(files) < 2 {
		return out, nil
	}
	for _, f := range files {
		n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimPrefix(filepath.Base(f), "p-"), ".pdf"))
		if err != nil {
			return nil, err
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		name := fmt.Sprintf("%s__page%d.pdf", doc, n)
		b, err = fixID(b, name)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", name, err)
		}
		out[name] = b
	}
	return out, nil
}

var (
	trailerID = regexp.MustCompile(`/ID ?\[`)
	startXref = regexp.MustCompile(`startxref\s+([0-9]+)\s+%%EOF\s*$`)
)

// fixID replaces the file identifier pdfseparate draws at random (two
// strings, written with escapes, so of varying length) by two hex strings
// derived from the file's name. The trailer holding it follows the
// cross-reference table, so no offset moves.
func fixID(b []byte, name string) ([]byte, error) {
	m := startXref.FindSubmatch(b)
	if m == nil {
		return nil, fmt.Errorf("no startxref at the end")
	}
	xref, err := strconv.Atoi(string(m[1]))
	if err != nil {
		return nil, err
	}
	locs := trailerID.FindAllIndex(b, -1)
	if len(locs) != 1 {
		return nil, fmt.Errorf("%d /ID entries, want 1", len(locs))
	}
	from := locs[0][0]
	if from < xref {
		return nil, fmt.Errorf("/ID before the cross-reference table")
	}
	i := locs[0][1]
	for k := 0; k < 2; k++ {
		for i < len(b) && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r') {
			i++
		}
		if i >= len(b) {
			return nil, fmt.Errorf("truncated /ID")
		}
		switch b[i] {
		case '<':
			j := bytes.IndexByte(b[i:], '>')
			if j < 0 {
				return nil, fmt.Errorf("unterminated /ID string")
			}
			i += j + 1
		case '(': // a literal string: escapes, nested parentheses
			depth := 1
			for i++; i < len(b) && depth > 0; i++ {
				switch b[i] {
				case '\\':
					i++
				case '(':
					depth++
				case ')':
					depth--
				}
			}
			if depth != 0 {
				return nil, fmt.Errorf("unterminated /ID string")
			}
		default:
			return nil, fmt.Errorf("unexpected /ID entry %q", b[i])
		}
	}
	for i < len(b) && b[i] == ' ' {
		i++
	}
	if i >= len(b) || b[i] != ']' {
		return nil, fmt.Errorf("/ID array not closed")
	}
	sum := sha256.Sum256([]byte(name))
	id := hex.EncodeToString(sum[:16])
	out := append([]byte{}, b[:from]...)
	out = append(out, "/ID [<"+id+"> <"+id+">]"...)
	return append(out, b[i+1:]...), nil
}

func run(name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: %v: %s", name, err, tail(stderr.String()))
	}
	return out, nil
}

// tail is the end of a tool's error output.
func tail(s string) string {
	s = strings.TrimSpace(s)
	if len(s) > 400 {
		s = "…" + s[len(s)-400:]
	}
	return s
}
