package pdf

import (
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"

	lpdf "github.com/ledongthuc/pdf"

	"govreport"
	"govreport/extract/internal/geometry"
)

// pageRuns is the text of one page.
type pageRuns struct {
	N      int
	Height float64
	Runs   []run
	Rules  []geometry.Rule
}

func readPages(data []byte, opt Options, deadline time.Time) (pages []pageRuns, n int, warn []string, meta map[string]string, err error) {
	r, err := open(data)
	if err != nil {
		return nil, 0, nil, nil, err
	}
	meta = fileDates(r)
	pr := &pageReader{fonts: map[string]*font{}, check: func() {
		if time.Now().After(deadline) {
			panic(timeoutPanic{})
		}
	}}
	all := pageList(r.Trailer().Key("Root").Key("Pages"), pr.check)
	var failed []string
	for i, p := range all {
		if i >= opt.MaxPages {
			break
		}
		pr.check()
		runs, rules, h, err := pr.readPageSafe(p)
		if err != nil {
			failed = append(failed, fmt.Sprintf("page %d: %v", i+1, err))
			continue
		}
		pages = append(pages, pageRuns{N: i + 1, Height: h, Runs: runs, Rules: rules})
	}
	if len(failed) > 0 && len(pages) == 0 {
		return nil, 0, nil, nil, fmt.Errorf("pdf: malformed: %s", failed[0])
	}
	return pages, len(all), failed, meta, nil
}

// pdfDate is a date of the document information dictionary:
// D:YYYYMMDDHHmmSS, the time and zone optional.
var pdfDate = regexp.MustCompile(`^(?:D:)?((?:19|20)\d\d)(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?:([01]\d|2[0-3])([0-5]\d)([0-5]\d))?`)

// fileDates reads the file's own ModDate and CreationDate (its document
// information dictionary) as Meta "modified" and "created", YYYY-MM-DD or
// YYYY-MM-DDTHH:MM:SS as printed (the producer's local time): when the
// file was made, which the normalizer takes as the publication date only
// when the text states none, flagged as the file's.
func fileDates(r *lpdf.Reader) (meta map[string]string) {
	defer func() {
		if recover() != nil {
			meta = nil // a malformed dictionary: no dates
		}
	}()
	info := r.Trailer().Key("Info")
	for k, name := range map[string]string{"modified": "ModDate", "created": "CreationDate"} {
		m := pdfDate.FindStringSubmatch(strings.TrimSpace(info.Key(name).Text()))
		if m == nil {
			continue
		}
		v := m[1] + "-" + m[2] + "-" + m[3]
		if m[4] != "" {
			v += "T" + m[4] + ":" + m[5] + ":" + m[6]
		}
		if meta == nil {
			meta = map[string]string{}
		}
		meta[k] = v
	}
	return meta
}

// readPageSafe reads one page, turning a panic of the library (a filter it
// does not know, a malformed stream) into an error for that page alone.
func (pr *pageReader) readPageSafe(p page) (runs []run, rules []geometry.Rule, h float64, err error) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(timeoutPanic); ok {
				panic(r)
			}
			err = fmt.Errorf("%v", r)
		}
	}()
	runs, rules, h = pr.readPage(p)
	return runs, rules, h, nil
}

// pageList walks the page tree once, in order. Unlike the library's
// Reader.Page it is bounded: a tree that refers to itself (a Kids entry
// pointing back at its parent) ends the walk instead of looping forever.
func pageList(root lpdf.Value, check func()) []page {
	var out []page
	nodes := 0
	var walk func(v lpdf.Value, depth int, inh inherited)
	walk = func(v lpdf.Value, depth int, inh inherited) {
		nodes++
		if depth > 32 || nodes > 100000 || v.Kind() != lpdf.Dict {
			return
		}
		if nodes%1024 == 0 {
			check()
		}
		inh = inh.update(v)
		kids := v.Key("Kids")
		if v.Key("Type").Name() == "Page" || kids.Kind() != lpdf.Array {
			out = append(out, page{v: v, res: inh.res, box: inh.box, rotate: inh.rotate})
			return
		}
		for i := 0; i < kids.Len(); i++ {
			walk(kids.Index(i), depth+1, inh)
		}
	}
	walk(root, 0, inherited{})
	return out
}

// page is a page dictionary with the attributes it inherits.
type page struct {
	v, res, box lpdf.Value
	rotate      int // /Rotate: 0, 90, 180 or 270
}

type inherited struct {
	res, box lpdf.Value
	rotate   int
}

func (h inherited) update(v lpdf.Value) inherited {
	if r := v.Key("Resources"); r.Kind() == lpdf.Dict {
		h.res = r
	}
	if r := v.Key("Rotate"); r.Kind() == lpdf.Integer {
		h.rotate = ((int(r.Int64())%360 + 360) % 360) / 90 * 90
	}
	if b := v.Key("MediaBox"); b.Kind() == lpdf.Array {
		h.box = b
	}
	return h
}

func extract(data []byte, opt Options, deadline time.Time) (*govreport.Extracted, error) {
	pages, n, warn, meta, err := readPages(data, opt, deadline)
	if err != nil {
		return nil, err
	}
	x := &govreport.Extracted{Format: "pdf", Pages: n, Warnings: warn, Meta: meta}
	if n > opt.MaxPages {
		x.Warnings = append(x.Warnings, fmt.Sprintf("read %d of %d pages", opt.MaxPages, n))
	}
	if err := checkText(pages, x); err != nil {
		return nil, err
	}
	gp := make([]geometry.Page, len(pages))
	for k, pg := range pages {
		gp[k] = geometry.Page{N: pg.N, Height: pg.Height, Rules: pg.Rules, Runs: make([]geometry.Run, len(pg.Runs))}
		for i, r := range pg.Runs {
			gp[k].Runs[i] = geometry.Run{X0: r.X0, X1: r.X1, Y: r.Y, Size: r.Size, Text: r.Text, Vert: r.Vert}
		}
	}
	lines, warn := geometry.Lines(gp, func() {
		if time.Now().After(deadline) {
			panic(timeoutPanic{})
		}
	})
	x.Lines = lines
	x.Warnings = append(x.Warnings, warn...)
	// Scans stamped with page numbers only: no text worth the name. A page
	// without any (besides its header and footer) is reported for OCR.
	chars, per := 0, map[int]int{}
	for _, l := range x.Lines {
		for _, c := range l.Cells {
			n := len([]rune(strings.ReplaceAll(c.Text, " ", "")))
			chars += n
			per[c.Pos.Page] += n
		}
	}
	if chars == 0 {
		return nil, fmt.Errorf("pdf: %w (%d characters besides page headers and footers)", govreport.ErrNoText, chars)
	}
	for _, pg := range pages {
		if per[pg.N] == 0 {
			x.NoTextPages = append(x.NoTextPages, pg.N)
		}
	}
	return x, nil
}

// checkText fails documents without usable text and drops undecodable
// glyphs from the others.
func checkText(pages []pageRuns, x *govreport.Extracted) error {
	total, bad := 0, 0
	for _, pg := range pages {
		for _, r := range pg.Runs {
			for _, c := range r.Text {
				if c == ' ' {
					continue
				}
				total++
				if garbage(c) {
					bad++
				}
			}
		}
	}
	if total == 0 {
		return fmt.Errorf("pdf: %w", govreport.ErrNoText)
	}
	if bad*10 > total*3 {
		return fmt.Errorf("pdf: %w: %d of %d characters unmapped", govreport.ErrUndecodable, bad, total)
	}
	if bad > 0 {
		x.Warnings = append(x.Warnings, fmt.Sprintf("dropped %d undecodable characters", bad))
		for p := range pages {
			for k := range pages[p].Runs {
				pages[p].Runs[k].Text = strings.Map(func(c rune) rune {
					if garbage(c) {
						return -1
					}
					return c
				}, pages[p].Runs[k].Text)
			}
		}
	}
	return nil
}

// garbage: replacement, control and private-use characters.
func garbage(c rune) bool {
	return c == unicode.ReplacementChar || c < 0x20 || c >= 0x7F && c < 0xA0 || c >= 0xE000 && c <= 0xF8FF || c >= 0xF0000
}
