// Package normalize turns extracted lines into a report: metadata, the six
// sections, the statistics tables mapped onto the layout's template, and the
// checks of the tables' arithmetic. It knows nothing of file formats.
package normalize

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport"
)

// Version is the parser version stored with every document; bump it when
// the output for the same input changes.
const Version = "2"

type parser struct {
	set       *TemplateSet
	x         *govreport.Extracted
	lines     []ln
	doc       *govreport.Document
	tpl       *govreport.Template
	legacy    bool
	hs        []heading
	tables    map[string]*tableData
	trace     []string
	layoutWhy string
	full      string                // the lines' spaceless texts joined (detectLayout)
	cores     map[string]string     // core of labels seen, memoized
	matches   map[matchKey]matchRes // matchRow results, memoized
}

type matchKey struct {
	tb *tableT
	cl string
}

type matchRes struct {
	idx, score int
	exact      bool
}

// core is core(s), computed once per label and document.
func (p *parser) core(s string) string {
	c, ok := p.cores[s]
	if !ok {
		c = core(s)
		p.cores[s] = c
	}
	return c
}

// matchRow is matchRow(tb, label), computed once per label and document.
func (p *parser) matchRow(tb *tableT, label string) (idx int, score int, exact bool) {
	k := matchKey{tb, p.core(label)}
	m, ok := p.matches[k]
	if !ok {
		m.idx, m.score, m.exact = matchRowCore(p.set.indexOf(tb), k.cl)
		p.matches[k] = m
	}
	return m.idx, m.score, m.exact
}

// Normalize reads an extracted document with the built-in templates. It
// never fails: what it cannot read is recorded in the document's
// warnings, flags and status.
func Normalize(x *govreport.Extracted) *govreport.Document {
	return NormalizeWith(x, Options{})
}

// Options adjust a normalization.
type Options struct {
	Templates *TemplateSet // the layouts to read with; nil: DefaultTemplates()
}

// NormalizeWith is Normalize with options.
func NormalizeWith(x *govreport.Extracted, opt Options) *govreport.Document {
	set := opt.Templates
	if set == nil {
		set = defaultSet
	}
	p := &parser{set: set, x: x, tables: map[string]*tableData{}, cores: map[string]string{}, matches: map[matchKey]matchRes{}}
	p.doc = &govreport.Document{Format: x.Format, Pages: x.Pages, Meta: x.Meta, Attachments: x.Attachments,
		Sections: []govreport.Section{}, Cells: []govreport.Cell{}, Checks: []govreport.Check{}, Warnings: append([]string{}, x.Warnings...)}
	p.lines = prepare(x)
	p.doc.Layout = p.detectLayout()
	p.legacy = p.doc.Layout == govreport.LayoutLegacy
	p.tpl = set.layouts[p.doc.Layout]
	p.trace = append(p.trace, fmt.Sprintf("layout %s (%s)", p.doc.Layout, p.layoutWhy))
	p.metadata()
	p.hs = findHeadings(set, p.lines, p.isRowLabel, p.legacy)
	for _, h := range p.hs {
		p.trace = append(p.trace, fmt.Sprintf("section %d %s opened at line %d: %s", h.number, h.key, p.lines[h.at].pos.Line, quote(p.lines[h.at].text)))
	}
	if p.legacy {
		p.legacyTables()
	} else {
		p.modernTables()
	}
	p.sections()
	p.emitCells()
	p.checks()
	p.status()
	p.doc.Trace = p.trace
	return p.doc
}

var layoutWhyDefault = "no table headers of a known layout"

func (p *parser) detectLayout() string {
	var b strings.Builder
	n := 0
	for _, l := range p.lines {
		n += len(l.flat)
	}
	b.Grow(n)
	for _, l := range p.lines {
		b.WriteString(l.flat)
	}
	full := b.String()
	p.full = full
	best, bestN := govreport.LayoutLegacy, 0
	p.layoutWhy = layoutWhyDefault
	for _, t := range p.set.sorted {
		n := 0
		var hit []string
		for _, m := range t.Markers {
			if strings.Contains(full, compact(m)) {
				n++
				hit = append(hit, m)
			}
		}
		if n > bestN {
			best, bestN = t.Layout, n
			p.layoutWhy = "prints " + strings.Join(hit, ", ")
		}
	}
	if bestN == 0 {
		best = p.fallbackLayout(full, best)
	}
	return best
}

// fallbackLayout tells the layout of a report that prints no layout's
// markers by the templates' fallback signs; else it returns def.
func (p *parser) fallbackLayout(full, def string) string {
	var dflt *govreport.Template
	for _, t := range p.set.sorted {
		fb := t.Fallback
		if fb == nil || !containsAny(full, fb.Present) {
			continue
		}
		if len(fb.Markers) == 0 {
			if dflt == nil {
				dflt = t
			}
			continue
		}
		if containsAny(full, fb.Markers) {
			p.layoutWhy = fb.Why
			return t.Layout
		}
	}
	if dflt != nil {
		p.layoutWhy = dflt.Fallback.Why
		return dflt.Layout
	}
	return def
}

// containsAny reports whether s contains one of the words (compacted).
func containsAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, compact(w)) {
			return true
		}
	}
	return false
}

// isRowLabel reports whether a would-be heading is a table row label
// (四、结转下年度继续办理) or a row group label (三、本年度办理结果): a row
// or group of a table numbered like section headings. A legacy document
// is checked against every layout's such tables.
func (p *parser) isRowLabel(s string) bool {
	c := p.core(s)
	tpls := []*govreport.Template{p.tpl}
	if p.tpl == nil {
		tpls = p.set.sorted
	}
	for _, t := range tpls {
		for _, tb := range p.set.headingTables[t] {
			for _, g := range p.set.index[tb].headingGroups {
				if strings.Contains(c, g) || utf8.RuneCountInString(c) >= minGroupPart && strings.Contains(g, c) {
					return true
				}
			}
			if _, score, exact := p.matchRow(tb, s); exact && score >= minHeadingRowMatch {
				return true
			}
		}
	}
	return false
}

func (p *parser) headingAt() map[int]heading {
	m := map[int]heading{}
	for _, h := range p.hs {
		m[h.at] = h
	}
	return m
}

func (p *parser) headingLine(key string) int {
	for _, h := range p.hs {
		if h.key == key {
			return h.at
		}
	}
	return -1
}

// modernTables rebuilds the tables of the 2019 and 2021 layouts: the
// tables read row by row, in order, from the first one's section on, then
// each table printed on one line in its own section.
func (p *parser) modernTables() {
	var rowTables []*tableData
	for i := range p.tpl.Tables {
		tb := &p.tpl.Tables[i]
		if !tb.OneLine {
			td := newTable(p.set.index[tb])
			p.tables[tb.Key] = td
			rowTables = append(rowTables, td)
		}
	}
	end := 0
	if len(rowTables) > 0 {
		first := p.set.sectionNumber(rowTables[0].tb.Section)
		last := p.set.sectionNumber(rowTables[len(rowTables)-1].tb.Section)
		start := 0
		for _, h := range p.hs {
			if h.number <= first {
				start = h.at
			}
		}
		end = p.sectionEnd(start, last)
		p.readRows(rowTables, start, end)
	}
	for i := range p.tpl.Tables {
		if tb := &p.tpl.Tables[i]; tb.OneLine {
			end = p.oneLine(tb, end)
		}
	}
}

// sectionEnd is the line of the first heading after start of a section
// numbered after n, or the end of the document.
func (p *parser) sectionEnd(start, n int) int {
	for _, h := range p.hs {
		if h.at > start && h.number > n {
			return h.at
		}
	}
	return len(p.lines)
}

// readRows reads the tables printed row by row in lines [start, end).
func (p *parser) readRows(tables []*tableData, start, end int) {
	hat := p.headingAt()
	for _, td := range tables {
		sub := td.tb.Subtotal
		if sub == "" {
			continue
		}
		words := colOf(td.tb, sub).Labels
		for i := start; i < end; i++ {
			if lab := p.lines[i].labelText(false); containsAny(p.core(lab), words) && !p.lines[i].hasValues() {
				td.subtotal = true
			}
		}
	}
	ci := 0 // the open table
	cur := tables[0]
	open := func(j, at int, always bool) {
		ci, cur = j, tables[j]
		if always || cur.start < 0 {
			cur.start = at
		}
	}
	nextOf := func(j int) *tableData {
		if j+1 < len(tables) {
			return tables[j+1]
		}
		return nil
	}
	pending, pendingPos := "", govreport.Pos{}
	var lastRow *rowData
	var curCols []string
	hdrOpen := false      // the last label-only lines were column headers
	var groups []tokGroup // per line, reused
	// row takes a printed row: a row of the next table opens it, a table
	// with group headers gives it the header's columns
	row := func(label, own string, vals []tok, pos govreport.Pos, at int) {
		if next := nextOf(ci); next != nil {
			in, sn, en := p.matchRow(next.tb, label)
			_, sc, ec := p.matchRow(cur.tb, label)
			if in >= 0 && en && sn >= minSwitchMatch && (!ec || sn > sc) {
				open(ci+1, at, false)
			}
		}
		var cols []string
		if cur.tb.GroupHeaders {
			cols = curCols
		}
		if r := p.addRow(cur, label, own, vals, pos, cols); r != nil {
			lastRow = r
		}
	}
	for i := start; i < end; i++ {
		if h, ok := hat[i]; ok {
			for j := ci; j < len(tables); j++ {
				if tables[j].tb.Section == h.key {
					open(j, i, true)
					break
				}
			}
			pending = ""
			i += h.span - 1
			continue
		}
		l := &p.lines[i]
		// a line may hold several rows run together (an archiver's text):
		// each group is values before any label, a label, values after
		groups = groupTokens(groups[:0], l.toks)
		for _, g := range groups {
			lead, vals, lab, seen := g.lead, g.vals, g.label, g.seen
			if !seen && len(lead) > 0 {
				vals, lead = lead, nil
			}
			if len(lead) > 0 {
				if pending != "" {
					row(pending, "", lead, pendingPos, i)
					pending = ""
				} else if lastRow != nil && len(lastRow.toks) < len(lastRow.cols) {
					lastRow.toks = append(lastRow.toks, lead...)
				}
			}
			if len(vals) == 0 {
				if lab == "" {
					continue
				}
				if l.table == 0 && isNarrative(lab) {
					pending = ""
					continue
				}
				c := p.core(lab)
				if next := nextOf(ci); next != nil && containsAny(c, next.tb.Start) {
					open(ci+1, i, false)
					pending = ""
					l.used = true
					continue
				}
				if cols := headerCols(cur.ix, c); len(cols) >= 2 || (cur.tb.GroupHeaders && len(cols) == 1) {
					if cur.tb.GroupHeaders && hdrOpen {
						curCols = append(curCols, cols...) // a header printed one cell a line
					} else if cur.tb.GroupHeaders {
						curCols = cols
					}
					hdrOpen = true
					pending = ""
					l.used = true
					continue
				}
				hdrOpen = false
				if containsAny(c, cur.tb.HeaderWords) {
					pending = ""
					l.used = true
					continue
				}
				if pending == "" {
					pendingPos = l.pos
				}
				pending += lab
				l.used = true
				continue
			}
			hdrOpen = false
			full := pending + lab
			if pending == "" {
				pendingPos = l.pos
			}
			if lab == "" && pending == "" {
				if lastRow != nil && len(lastRow.toks) < len(lastRow.cols) {
					lastRow.toks = append(lastRow.toks, vals...)
					l.used = true
				}
				continue
			}
			row(full, pending+g.own, vals, pendingPos, i)
			l.used = true
			pending = ""
		}
	}
}

// addRow matches a printed row onto the template and records it.
// own is the label without the context carried from spanned cells (a row
// group's label): when it names a row by itself, it wins.
func (p *parser) addRow(td *tableData, label, own string, vals []tok, pos govreport.Pos, hdrCols []string) *rowData {
	if td.tb == nil {
		return nil
	}
	ri, score, exact := p.matchRow(td.tb, label)
	if own != "" && own != label {
		if oi, os, oe := p.matchRow(td.tb, own); oi >= 0 && oe {
			ri, score, exact = oi, os, oe
		}
	}
	var cols []string
	if ri >= 0 {
		cols = rowCols(td.ix, ri, td.subtotal)
		if len(hdrCols) > 0 && len(hdrCols) == len(vals) && len(hdrCols) != len(cols) {
			cols = hdrCols
		}
		how := "contains the label"
		if !exact {
			how = "closest label"
		}
		p.trace = append(p.trace, td.tb.Key+"."+td.tb.Rows[ri].Key+" ← "+quote(label)+" ("+how+", "+strconv.Itoa(score)+" chars matched) "+strconv.Itoa(len(vals))+" numbers")
	} else {
		if isNarrative(label) || p.core(label) == "" || (len(vals) < 2 && len(hdrCols) == 0) {
			return nil
		}
		cols = hdrCols
		if len(cols) == 0 {
			cols = rowCols(td.ix, 0, td.subtotal)
			if td.tb.GroupHeaders {
				return nil // a row group's own row needs the group's header
			}
		}
		p.trace = append(p.trace, fmt.Sprintf("%s: %s matches no template row: kept outside the template", td.tb.Key, quote(label)))
	}
	before := len(td.rows)
	td.addRow(ri, clean(label), vals, pos, cols)
	if len(td.rows) == before {
		p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf("line %d: %s row %s printed twice; the first kept", pos.Line, td.tb.Key, quote(label)))
		return nil
	}
	return td.rows[len(td.rows)-1]
}

// sections builds the document's sections from the headings, adding the
// ones whose heading is missing but whose table was found.
func (p *parser) sections() {
	type bound struct {
		at int
		h  heading
	}
	var bs []bound
	have := map[string]bool{}
	for _, h := range p.hs {
		bs = append(bs, bound{h.at, h})
		have[h.key] = true
	}
	if !p.legacy {
		add := func(key string, num int, td *tableData) {
			if have[key] || td == nil || len(td.rows) == 0 {
				return
			}
			at := td.start
			if at < 0 {
				at = td.rows[0].pos.Line - 1
				for i, l := range p.lines {
					if l.pos.Line >= td.rows[0].pos.Line {
						at = i
						break
					}
				}
			}
			bs = append(bs, bound{at, heading{at: at, number: num, key: key, span: 0}})
			p.trace = append(p.trace, fmt.Sprintf("section %d %s: heading missing; placed where its table starts (line %d)", num, key, p.lines[at].pos.Line))
			have[key] = true
		}
		for _, tb := range p.tpl.Tables {
			add(tb.Section, p.set.sectionNumber(tb.Section), p.tables[tb.Key])
		}
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].at < bs[j].at })
	for k, b := range bs {
		end := len(p.lines)
		if k+1 < len(bs) {
			end = bs[k+1].at
		}
		var text strings.Builder
		prev := ""
		for i := b.at + b.h.span; i < end; i++ {
			if p.lines[i].used || (p.lines[i].table > 0 && p.lines[i].hasValues()) {
				continue
			}
			t := p.lines[i].text
			switch {
			case prev == "":
			case wrapped(prev, t):
				if isASCIIWord(lastRune(prev)) && isASCIIWord(firstRune(t)) {
					text.WriteByte(' ')
				}
			default:
				text.WriteByte('\n')
			}
			text.WriteString(t)
			prev = t
		}
		s := govreport.Section{Number: b.h.number, Key: b.h.key, Heading: b.h.text, Text: text.String(), Missing: b.h.span == 0}
		if b.at < len(p.lines) {
			s.Line = p.lines[b.at].pos.Line
		}
		p.doc.Sections = append(p.doc.Sections, s)
	}
	if !p.legacy {
		for _, st := range p.set.sections {
			if st.Number >= 1 && st.Number <= 6 && !have[st.Key] {
				p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf("section %d (%s) not found", st.Number, st.Labels[0]))
			}
		}
	}
}

func (p *parser) status() {
	p.doc.Status = govreport.StatusOK
	for _, c := range p.doc.Cells {
		if c.HasFlag(govreport.FlagUncertain) || c.HasFlag(govreport.FlagAmbiguous) {
			p.doc.Status = govreport.StatusPartial
		}
	}
	if !p.legacy && len(p.doc.Sections) < 6 {
		p.doc.Status = govreport.StatusPartial
	}
	if len(p.lines) == 0 {
		p.doc.Status = govreport.StatusPartial
		p.doc.Warnings = append(p.doc.Warnings, "no text")
	}
	if p.doc.Year == 0 {
		p.doc.Warnings = append(p.doc.Warnings, "report year not found in the title or the statistics period")
	}
}

// tokGroup is one row's worth of a line's tokens.
type tokGroup struct {
	lead, vals []tok
	label, own string // own: without spanned context
	seen       bool   // a label of the line's own
}

// groupTokens splits a line's tokens into rows: a label that follows
// values starts a new row. The groups are appended to out.
func groupTokens(out []tokGroup, ts []tok) []tokGroup {
	var cur tokGroup
	left := 0 // values not yet grouped: room for a group's values
	for i := range ts {
		if ts[i].isVal {
			left++
		}
	}
	for _, t := range ts {
		if t.isVal {
			left--
		}
		switch {
		case !t.isVal:
			if cur.seen && len(cur.vals) > 0 && !t.spanned {
				out = append(out, cur)
				cur = tokGroup{}
			}
			cur.label += t.label
			if !t.spanned {
				cur.own += t.label
				cur.seen = true
			}
		case cur.seen:
			if cur.vals == nil {
				cur.vals = make([]tok, 0, left+1)
			}
			cur.vals = append(cur.vals, t)
		default:
			cur.lead = append(cur.lead, t)
		}
	}
	return append(out, cur)
}

// wrapped reports whether line next continues line prev: a long line that
// does not end a sentence was wrapped by the page, not ended by its author
// (PDF text, and text copied from PDFs, breaks lines mid-sentence).
func wrapped(prev, next string) bool {
	if runesUpTo(prev, 15) < 15 || next == "" {
		return false
	}
	if strings.ContainsRune("。！？；：:;!?）)”》", lastRune(prev)) {
		return false
	}
	if strings.ContainsAny(next[:min(len(next), 12)], "、.．") && isHeadingNumber(compact(next)) {
		return false // the next line opens a numbered item
	}
	return !strings.HasPrefix(next, "(") && !strings.HasPrefix(next, "（")
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCIIWord(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}
