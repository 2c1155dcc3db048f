package pdf

import (
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	lpdf "github.com/ledongthuc/pdf"

	"govreport"
)

// pageRuns is the text of one page.
type pageRuns struct {
	N      int
	Height float64
	Runs   []run
	Rules  []rule
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
func (pr *pageReader) readPageSafe(p page) (runs []run, rules []rule, h float64, err error) {
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
	drop := repeatedMargins(pages)
	var items []item
	st := &docState{}
	for _, pg := range pages {
		if time.Now().After(deadline) {
			panic(timeoutPanic{})
		}
		if len(pg.Runs) > maxTableRuns {
			x.Warnings = append(x.Warnings, fmt.Sprintf("page %d: %d text runs, tables not rebuilt", pg.N, len(pg.Runs)))
		}
		items = append(items, layoutPage(pg, drop, st)...)
	}
	x.Lines = assemble(items)
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

// assemble numbers the lines, gives tables their ids (a table continued at
// the top of the next page keeps its id) and row indices, and puts row
// group labels on the rows they stand beside.
func assemble(items []item) []govreport.Line {
	nextID := 0
	rowN := map[int]int{}
	var prev *item // the last table line
	between := 0   // body text since it, in runes
	for k := range items {
		it := &items[k]
		if it.tab == nil {
			t := it.line.Text()
			n := len([]rune(t))
			if n > 20 || reHeading.MatchString(t) {
				n += 1000
			}
			between += n
			continue
		}
		if it.tab.id == 0 {
			if prev != nil && prev.page < it.page && between < 40 {
				it.tab.id = prev.tab.id
			} else {
				nextID++
				it.tab.id = nextID
			}
		}
		it.line.Table = it.tab.id
		prev = it
		between = 0
	}
	// Short lines between two parts of one table (a group heading left at
	// the foot of a page) belong to it.
	last := -1
	for k := range items {
		if items[k].line.Table == 0 {
			continue
		}
		if last >= 0 && items[last].line.Table == items[k].line.Table {
			for j := last + 1; j < k; j++ {
				items[j].line.Table = items[k].line.Table
			}
		}
		last = k
	}
	for k := range items {
		if id := items[k].line.Table; id > 0 {
			rowN[id]++
			items[k].line.Row = rowN[id]
		}
	}
	attachGroups(items)
	joinContinued(items)
	gridLines(items)
	lines := make([]govreport.Line, 0, len(items))
	for _, it := range items {
		n := len(lines) + 1
		for c := range it.line.Cells {
			it.line.Cells[c].Pos.Line = n
			if it.line.Table > 0 {
				it.line.Cells[c].Pos.Row = it.line.Row
				it.line.Cells[c].Pos.Col = c + 1
			}
		}
		lines = append(lines, it.line)
	}
	return lines
}

// prevRow returns the index of the data row before item k in its table.
func prevRow(items []item, k int) int {
	for j := k - 1; j >= 0; j-- {
		if items[j].row != nil && items[j].line.Table == items[k].line.Table {
			return j
		}
		if items[j].tab == nil && items[j].line.Table == 0 && items[j].page == items[k].page {
			return -1
		}
	}
	return -1
}

// attachGroups joins the group-label fragments of each table into labels
// (（三）不予公开, 三、本年度办理结果) and puts each, Spanned, at the start of
// the rows it stands beside.
func attachGroups(items []item) {
	type block struct {
		text     string
		x0, x1   float64
		lastY    float64
		lastPage int
		rows     []int
		size     float64
	}
	byTable := map[int][]*block{}
	for k, it := range items {
		if it.row == nil {
			continue
		}
		id := it.line.Table
		for _, f := range it.row.groups {
			var b *block
			for _, o := range byTable[id] {
				if f.x1 <= o.x0 || f.x0 >= o.x1 {
					continue
				}
				if o.lastPage == f.page && math.Abs(f.y-o.lastY) < 0.1 {
					b = o // the same fragment seen from another row
					break
				}
				// A fragment continues a label from this or the previous row.
				if last := o.rows[len(o.rows)-1]; prevRow(items, k) == last || last == k {
					if !reOrdinal.MatchString(f.text) {
						b = o
					}
				}
			}
			if b == nil {
				b = &block{x0: f.x0, x1: f.x1, lastY: f.y - 1, lastPage: f.page, rows: []int{k}}
				byTable[id] = append(byTable[id], b)
			}
			if b.lastPage != f.page || f.y != b.lastY {
				b.text += f.text
				b.lastY, b.lastPage = f.y, f.page
			}
			if len(b.rows) == 0 || b.rows[len(b.rows)-1] != k {
				b.rows = append(b.rows, k)
			}
		}
	}
	for _, blocks := range byTable {
		// Right to left, so that the leftmost label ends up first.
		sort.SliceStable(blocks, func(i, j int) bool { return blocks[i].x0 > blocks[j].x0 })
		for _, b := range blocks {
			if len(b.rows) == 0 {
				continue
			}
			for k := b.rows[0]; k <= b.rows[len(b.rows)-1]; k++ {
				if items[k].row == nil || items[k].line.Table != items[b.rows[0]].line.Table {
					continue
				}
				cell := govreport.TextCell{Text: joinCJK(b.text), Spanned: true, Pos: govreport.Pos{Page: items[k].page, X: round2(b.x0), Y: round2(items[k].y)}}
				items[k].line.Cells = append([]govreport.TextCell{cell}, items[k].line.Cells...)
			}
		}
	}
}
