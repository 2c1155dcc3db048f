package normalize

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"govreport"
)

// Version is the parser version stored with every document; bump it when
// the output for the same input changes.
const Version = "26"

// parser is one normalization: the document being read and what the
// stages have found so far.
type parser struct {
	set       *TemplateSet
	x         *govreport.Extracted
	lines     []ln
	doc       *govreport.Document
	tpl       *govreport.Template // the layout's; nil for legacy
	legacy    bool
	hs        []heading    // section headings found, in order
	tables    []*tableData // the tables rebuilt, in template order
	tr        *tracer      // nil unless explaining
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
	return read(x, opt, nil)
}

// Explain is NormalizeWith recording how the document was read: the
// events of every stage, in order. Normalize does not record them.
func Explain(x *govreport.Extracted, opt Options) (*govreport.Document, []Event) {
	tr := &tracer{}
	d := read(x, opt, tr)
	return d, tr.events
}

// read runs the stages; tr records their events unless nil.
func read(x *govreport.Extracted, opt Options, tr *tracer) *govreport.Document {
	set := opt.Templates
	if set == nil {
		set = defaultSet
	}
	p := &parser{set: set, x: x, tr: tr, cores: map[string]string{}, matches: map[matchKey]matchRes{}}
	p.doc = &govreport.Document{Format: x.Format, Pages: x.Pages, Meta: x.Meta, Attachments: x.Attachments,
		Sections: []govreport.Section{}, Cells: []govreport.Cell{}, Checks: []govreport.Check{}, Warnings: append([]string{}, x.Warnings...)}
	if lines := p.recoverLines(x.Lines); len(lines) != len(x.Lines) {
		rx := *x
		rx.Lines = lines
		p.lines = prepare(&rx)
	} else {
		p.lines = prepare(x)
	}
	p.doc.Layout = p.detectLayout()
	p.legacy = p.doc.Layout == govreport.LayoutLegacy
	p.tpl = set.layouts[p.doc.Layout]
	if tr := p.tr; tr.on() {
		tr.add(Event{Stage: StageLayout, Kind: EventLayout, Detail: fmt.Sprintf("layout %s (%s)", p.doc.Layout, p.layoutWhy)})
	}
	p.metadata()
	p.hs = findHeadings(set, p.lines, p.isRowLabel, p.legacy)
	if tr := p.tr; tr.on() {
		for _, h := range p.hs {
			tr.add(Event{Stage: StageSections, Kind: EventHeading, Line: p.lines[h.at].pos.Line,
				Detail: fmt.Sprintf("section %d %s opened at line %d: %s", h.number, h.key, p.lines[h.at].pos.Line, quote(p.lines[h.at].text))})
		}
	}
	if p.legacy {
		p.legacyTables() // stages 1 and 2 for a legacy statistics table
	} else {
		p.readTables() // stages 1 and 2: structure, assembly
		for _, td := range p.tables {
			td.placeRows(p.tr) // stage 3
		}
		p.placeBlanks(p.tr) // stage 3, tables that leave zeros blank
		for _, td := range p.tables {
			td.solveRows(p.tr) // stage 4
			td.decideOCR(p.tr) // stage 4, the values OCR read unsurely
			p.rereadBlocks(td) // stage 4, a table read by the order of its numbers
			p.rereadGroups(td) // stage 4, a row group read by its count
		}
	}
	if x.Meta["content"] == "tables" { // a workbook: no narrative to cut into sections
		p.doc.Warnings = append(p.doc.Warnings, "tables without narrative: the file holds statistics tables only, no sections")
	} else {
		p.sections()
	}
	p.emitCells()
	p.checks() // stage 5
	p.byPosition()
	p.doubtOCR()
	p.status()
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
	return p.fragmentLayout(full, def)
}

// fragmentLayout tells the layout of a fragment that prints neither
// markers nor fallback signs (a page of a flip-book: the end of table 三
// and table 四) by the rows of its tables it prints: the layout printing
// most of them, fragmentRows at least, its fallback markers deciding a
// tie, else the layout whose fallback has none; def when too few.
func (p *parser) fragmentLayout(full, def string) string {
	best, bestN, tie := (*govreport.Template)(nil), 0, false
	for _, t := range p.set.sorted {
		n := 0
		for _, tb := range t.Tables {
			for _, r := range tb.Rows {
				for _, l := range r.Labels {
					if c := core(l); utf8.RuneCountInString(c) >= fragmentLabelLen && strings.Contains(full, c) {
						n++
						break
					}
				}
			}
		}
		switch {
		case n > bestN:
			best, bestN, tie = t, n, false
		case n == bestN && n > 0:
			tie = true
		}
	}
	if bestN < fragmentRows {
		return def
	}
	if tie {
		var dflt *govreport.Template
		for _, t := range p.set.sorted {
			if fb := t.Fallback; fb != nil && len(fb.Markers) > 0 && containsAny(full, fb.Markers) {
				best, dflt = t, nil
				break
			} else if fb != nil && len(fb.Markers) == 0 && dflt == nil {
				dflt = t
			}
		}
		if dflt != nil {
			best = dflt
		}
	}
	p.layoutWhy = fmt.Sprintf("a fragment: prints %d rows of its tables", bestN)
	return best.Layout
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
	if len(p.lines) > 0 && !p.reportLike() {
		p.doc.Status = govreport.StatusNotReport
		p.doc.Warnings = append(p.doc.Warnings, "not an annual report: no title, no section heading, no statistics table")
	}
}

// reportLike reports whether the text shows any sign of an annual report:
// a title naming one (政府信息公开工作年度报告, 年报; see metadata), a
// section, or a cell of a statistics table. A text without any (notes, a
// spreadsheet's export, a file list) is not one.
func (p *parser) reportLike() bool {
	return p.doc.Title != "" || len(p.doc.Sections) > 0 || len(p.doc.Cells) > 0
}
