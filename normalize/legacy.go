package normalize

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport"
)

// legacyKey is the row key of a legacy table's row printed with label.
func legacyKey(label string) string {
	key := core(label)
	if utf8.RuneCountInString(key) > 40 {
		key = string([]rune(key)[:40])
	}
	return key
}

// legacyTables keeps the statistics tables of pre-2019 reports (指标名称 /
// 计量单位 / 数量 …, as legacy.json's "table" says) as rows of a "legacy"
// table: the printed label, its unit, and one cell per printed value
// column.
func (p *parser) legacyTables() {
	lay := p.set.legacy
	td := newTable(lay.ix)
	var header []string
	collecting := false // a header line named no columns: they follow, a line each
	// a row printed a cell a line: its label, unit and numbers so far
	var pLabel, pUnit string
	var pVals []tok
	var pPos govreport.Pos
	var pLines []*ln
	var pIdx []int // pLines' indices
	lr := &legacyRun{end: -1}
	flush := func() {
		if len(pVals) > 0 && core(pLabel) != "" {
			p.legacyRow(td, header, pLabel, pUnit, pVals, pPos)
			lr.rowRead(td.rows[len(td.rows)-1], pIdx[len(pIdx)-1])
			for _, l := range pLines {
				l.used = true
			}
		} else if len(pVals) == 0 && core(pLabel) != "" {
			p.labelsRead(lr, pIdx)
		}
		pLabel, pUnit, pVals, pLines, pIdx = "", "", nil, nil, nil
	}
	for i := 0; i < len(p.lines); i++ {
		l := &p.lines[i]
		lab := core(l.labelText(false))
		vals := l.values()
		if len(vals) == 0 && lay.headerStart(l.flat) {
			if cols, n := lay.wrappedHeader(p.lines[i:]); n > 0 {
				// a header printed a word-piece a line (pdftotext raw)
				flush()
				header, collecting = cols, false
				for j := i; j < i+n; j++ {
					p.lines[j].used = true
				}
				i += n - 1
				continue
			}
		}
		if len(vals) == 0 {
			if lay.headerLine(lab) {
				flush()
				if !collecting || len(header) > 0 {
					header = nil
				}
				unitSeen := false
				for _, c := range l.toks {
					t := compact(c.label)
					if t == "" {
						continue
					}
					if unitSeen {
						header = append(header, t)
					}
					if strings.Contains(t, lay.UnitCell) {
						unitSeen = true
					}
				}
				collecting = len(header) == 0
				l.used = true
				continue
			}
			t := compact(l.labelText(false))
			if collecting && lay.colRE.FindString(t) == t && t != "" {
				header = append(header, t)
				l.used = true
				continue
			}
			collecting = false
			if header == nil || t == "" {
				continue
			}
			if unitWord(t) && pLabel != "" && len(pVals) == 0 {
				pUnit = t
				pLines, pIdx = append(pLines, l), append(pIdx, i)
				continue
			}
			if l.table == 0 && isNarrative(l.labelText(false)) {
				flush()
				continue
			}
			if len(pVals) > 0 {
				flush()
			}
			if pLabel == "" {
				pPos = l.pos
			}
			pLabel += l.labelText(false)
			pLines, pIdx = append(pLines, l), append(pIdx, i)
			continue
		}
		if header == nil || l.table == 0 && isNarrative(l.labelText(false)) {
			continue
		}
		// label cells, then the unit, then values
		var label, unit string
		for _, t := range l.toks {
			if t.isVal || t.spanned {
				continue
			}
			if unitWord(compact(t.label)) {
				unit = compact(t.label)
				continue
			}
			label += t.label
		}
		if core(label) == "" {
			// numbers on a line of their own: the row printed a cell a line
			if pLabel != "" {
				pVals = append(pVals, vals...)
				pLines, pIdx = append(pLines, l), append(pIdx, i)
				if len(pVals) >= len(header) {
					flush()
				}
			}
			continue
		}
		flush()
		p.legacyRow(td, header, label, unit, vals, l.pos)
		lr.rowRead(td.rows[len(td.rows)-1], i)
		l.used = true
	}
	flush()
	if len(td.rows) > 0 {
		paired := p.pairLegacyLabels(td, lr)
		p.splitLegacy(td)
		p.flagPaired(td, paired)
		p.tables = append(p.tables, td)
		if tr := p.tr; tr.on() {
			for _, r := range td.rows {
				tr.add(Event{Stage: StageStructure, Kind: EventRow, Table: td.tb.Key, Line: r.pos.Line, Detail: quote(r.label) + " " + r.unit + " " + rawOf(r.toks)})
			}
			tr.add(Event{Stage: StageAssemble, Kind: EventOpen, Table: td.tb.Key, Line: td.rows[0].pos.Line,
				Detail: fmt.Sprintf("legacy statistics table: %d rows", len(td.rows))})
			tr.add(Event{Stage: StagePlace, Kind: EventPlace, Table: td.tb.Key, Detail: "each row's numbers in the header's columns, in printed order"})
			tr.add(Event{Stage: StageSolve, Kind: EventPrinted, Table: td.tb.Key, Detail: "values stored as printed, but for digits run together (splitLegacy)"})
		}
	}
}

// splitLegacy places the digit runs of legacy rows printed glued over
// several value columns (条294981916 for 2015年度 | 历年累计). A cut is kept
// only where the columns allow it: no part opens with a zero unless it is
// 0, a cumulative column (历年累计) is not below this year's, and a row's
// sub-rows (其中：1、… 2、…) add up to it in every column. Where no split
// of a group adds up, the report breaks its own sum, which then decides
// nothing: the group's rows keep the splits the columns allow, and what
// they are read to is flagged uncertain too. A row left with one split is
// stored inferred. Among several, a split whose this year's value the
// report's text states for the row (主动公开政府信息2949条) is kept; else
// the row is ambiguous, its digits in raw.
func (p *parser) splitLegacy(td *tableData) {
	var glued []*rowData
	for _, r := range td.rows {
		if r.glue {
			glued = append(glued, r)
		}
	}
	if len(glued) == 0 {
		return
	}
	cands := map[*rowData][]vec{}
	for _, r := range glued {
		cands[r] = p.set.legacy.splits(clean(r.toks[0].val.Raw), r.cols)
	}
	// sub-row groups: a parent, then its sub-item (其中) and numbered followers
	var groups [][]*rowData
	for i := 0; i+1 < len(td.rows); i++ {
		if !strings.HasPrefix(compact(td.rows[i+1].label), p.set.legacy.SubItem) {
			continue
		}
		group := []*rowData{td.rows[i], td.rows[i+1]}
		for j := i + 2; j < len(td.rows) && ordinalAt(compact(td.rows[j].label)); j++ {
			group = append(group, td.rows[j])
		}
		groups = append(groups, group)
	}
	broken := map[*rowData]bool{}
	for _, g := range groups {
		if !filterLegacyGroup(g, cands) {
			for _, r := range g {
				broken[r] = true
			}
		}
	}
	year := -1
	for j, c := range glued[0].cols {
		if p.set.legacy.yearCol(c) {
			year = j
			break
		}
	}
	why := map[*rowData]string{}
	narrowed := false
	for _, r := range glued {
		cs := cands[r]
		if len(cs) > 1 && year >= 0 {
			var stated []vec
			for _, c := range cs {
				if c[year] != nil && p.textStates(*c[year], r.unit, r.label) {
					stated = append(stated, c)
				}
			}
			if len(stated) == 1 {
				cands[r] = stated
				why[r] = ": the text states this year's value"
				narrowed = true
			}
		}
	}
	if narrowed {
		for _, g := range groups {
			if !filterLegacyGroup(g, cands) {
				for _, r := range g {
					broken[r] = true
				}
			}
		}
	}
	for _, r := range glued {
		cs := cands[r]
		switch len(cs) {
		case 1:
			r.mode, r.final, r.flags = modeInferred, cs[0], []string{govreport.FlagInferred}
			if broken[r] {
				r.flags = append(r.flags, govreport.FlagUncertain)
				why[r] += "; its group's sub-rows do not add up under any split"
			}
		case 0:
			r.mode, r.final = modeUncertain, nil
		default:
			r.mode, r.final = modeAmbiguous, nil
		}
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageSolve, Kind: EventInferred, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
				Detail: fmt.Sprintf("%s: digits run together, %d split(s) left by the columns and sub-row sums%s", quote(r.toks[0].val.Raw), len(cs), why[r])})
		}
	}
}

// legacyRow adds a row of a legacy statistics table: its label, unit and
// numbers, a column each by the header, or the whole run of digits over
// the header's columns (splitLegacy).
func (p *parser) legacyRow(td *tableData, header []string, label, unit string, vals []tok, pos govreport.Pos) {
	cols := header
	if len(cols) != len(vals) {
		cols = nil
		for j := range vals {
			if j < len(header) {
				cols = append(cols, header[j])
			} else {
				cols = append(cols, fmt.Sprintf("col%d", j+1))
			}
		}
	}
	key := legacyKey(label)
	r := &rowData{key: key, label: clean(label), cols: cols, toks: vals, pos: pos, mode: modeDirect, unit: unit}
	if len(vals) == 1 && vals[0].glued && len(header) > 1 {
		// digits run together over the value columns: splitLegacy
		r.cols, r.glue = header, true
	}
	r.final = make(vec, len(vals))
	for j, v := range vals {
		r.final[j] = v.val.Num
	}
	if _, dup := td.byKey[key]; dup {
		r.key = fmt.Sprintf("%s_%d", key, len(td.rows)+1)
	}
	td.rows = append(td.rows, r)
	td.byKey[r.key] = r
}

// headerStart reports whether t, a line's whole text, may open a legacy
// header printed a piece a line: a label header or unit header word, or
// the start of one.
func (lay *legacyLayout) headerStart(t string) bool {
	if t == "" {
		return false
	}
	for _, w := range append([]string{lay.UnitHeader}, lay.LabelHeader...) {
		if strings.HasPrefix(w, t) {
			return true
		}
	}
	return false
}

// wrappedHeader reads a legacy header printed a piece a line from the
// first of lines, its cells' wrapped words interleaved as a reading
// order by rows gives them (计量 / 2013 / 单位 / 年度 / 历年累计): each
// piece continues the first cell not yet a whole header word that it
// extends towards one, or opens a cell. It returns the value columns
// named after the unit header and the number of lines read, or 0 unless
// every cell is a whole header word, one of them the unit header, and
// at least one column follows it.
func (lay *legacyLayout) wrappedHeader(lines []ln) (cols []string, n int) {
	var cells []string
	read := 0
	for read < len(lines) && read < legacyHeaderPieces {
		t := lines[read].flat
		if t == "" || lines[read].hasValues() && legacyYearRE.FindString(t) != t {
			break
		}
		at := -1
		for c, cell := range cells {
			if !lay.headerWord(cell) && (lay.headerWord(cell+t) || lay.headerPrefix(cell+t)) {
				at = c
				break
			}
		}
		if at >= 0 {
			cells[at] += t
		} else if lay.headerWord(t) || lay.headerPrefix(t) {
			cells = append(cells, t)
		} else {
			break
		}
		read++
	}
	unit := -1
	for c, cell := range cells {
		if !lay.headerWord(cell) {
			return nil, 0
		}
		if cell == lay.UnitHeader && unit < 0 {
			unit = c
		}
	}
	if unit < 0 || unit == len(cells)-1 {
		return nil, 0
	}
	for _, c := range cells[unit+1:] {
		if lay.colRE.FindString(c) != c {
			return nil, 0
		}
	}
	return cells[unit+1:], read
}

// headerWord reports whether t is a whole word of a legacy header: a
// label header, the unit header or a value column's name.
func (lay *legacyLayout) headerWord(t string) bool {
	return t == lay.UnitHeader || slices.Contains(lay.LabelHeader, t) || lay.colRE.FindString(t) == t
}

// headerPrefix reports whether t is the start of a header word and not a
// whole one: 计量, 2013 (before 年度).
func (lay *legacyLayout) headerPrefix(t string) bool {
	words := append(append([]string{lay.UnitHeader}, lay.LabelHeader...), lay.Columns...)
	if y := legacyYearRE.FindString(t); y != "" {
		for _, w := range lay.YearColumn {
			words = append(words, y+w)
		}
	}
	for _, w := range words {
		if len(t) < len(w) && strings.HasPrefix(w, t) {
			return true
		}
	}
	return false
}

// legacyYearRE is a year opening a column's name (2013年度).
var legacyYearRE = regexp.MustCompile(`^(?:19|20)\d{2}`)

// headerLine reports whether a line's label text (a line without
// values) is a header: it holds a header word (指标名称, 计量单位).
func (lay *legacyLayout) headerLine(lab string) bool {
	return strings.Contains(lab, lay.UnitHeader) || containsAny(lab, lay.LabelHeader)
}

// cumulativeCol reports a cumulative column: 历年累计.
func (lay *legacyLayout) cumulativeCol(c string) bool { return containsAny(c, lay.Cumulative) }

// yearCol reports a this-year column: 本年度, 2015年度.
func (lay *legacyLayout) yearCol(c string) bool {
	return containsAny(c, lay.ThisYear) || len(c) >= 4 && isDigit(rune(c[0])) && !lay.cumulativeCol(c)
}

// splits cuts digits into one integer per column: no part but 0 opens
// with a zero, and a cumulative column is not below this year's.
func (lay *legacyLayout) splits(digits string, cols []string) []vec {
	k := len(cols)
	if !digitsOnly(digits) || strings.ContainsAny(digits, "+-") || len(digits) < k || len(digits) > 30 {
		return nil
	}
	year, cum := -1, -1
	for j, c := range cols {
		switch {
		case lay.cumulativeCol(c):
			cum = j
		case lay.yearCol(c):
			year = j
		}
	}
	var out []vec
	var rec func(at int, cur vec)
	rec = func(at int, cur vec) {
		if len(cur) == k-1 {
			part := digits[at:]
			if len(part) > 1 && part[0] == '0' || len(part) > 15 {
				return
			}
			v, _ := strconv.ParseFloat(part, 64)
			c := append(append(vec{}, cur...), &v)
			if year >= 0 && cum >= 0 && *c[cum] < *c[year] {
				return
			}
			out = append(out, c)
			return
		}
		for end := at + 1; end <= len(digits)-(k-1-len(cur)); end++ {
			part := digits[at:end]
			if len(part) > 1 && part[0] == '0' || len(part) > 15 {
				break
			}
			v, _ := strconv.ParseFloat(part, 64)
			rec(end, append(cur, &v))
		}
	}
	rec(0, nil)
	return out
}

// filterLegacyGroup keeps the splits of a parent row and its sub-rows
// under which the sub-rows add up to the parent in every column. Rows
// printed apart take part with their printed values. Where no choice of
// splits adds up it changes nothing and returns false.
func filterLegacyGroup(group []*rowData, cands map[*rowData][]vec) bool {
	k := len(group[0].cols)
	opts := make([][]vec, len(group))
	n := 1
	for i, r := range group {
		if cs, ok := cands[r]; ok {
			opts[i] = cs
		} else if len(r.final) == k {
			opts[i] = []vec{r.final}
		} else {
			return true // a row that cannot take part
		}
		if n *= len(opts[i]); n == 0 || n > maxCandidates {
			return true
		}
	}
	keep := make([]map[string]vec, len(group))
	for i := range keep {
		keep[i] = map[string]vec{}
	}
	pick := make([]int, len(group))
	for c := 0; c < n; c++ {
		x := c
		for i := range group {
			pick[i] = x % len(opts[i])
			x /= len(opts[i])
		}
		ok := true
		for col := 0; col < k && ok; col++ {
			sum := 0.0
			for i := 1; i < len(group); i++ {
				v := opts[i][pick[i]][col]
				if v == nil {
					ok = false
					break
				}
				sum += *v
			}
			par := opts[0][pick[0]][col]
			ok = ok && par != nil && math.Abs(sum-*par) <= tolerance
		}
		if ok {
			for i := range group {
				v := opts[i][pick[i]]
				keep[i][v.key()] = v
			}
		}
	}
	if len(keep[0]) == 0 {
		return false
	}
	for i, r := range group {
		if _, ok := cands[r]; !ok {
			continue
		}
		var cs []vec
		for _, v := range cands[r] {
			if _, ok := keep[i][v.key()]; ok {
				cs = append(cs, v)
			}
		}
		cands[r] = cs
	}
	return true
}

// textStates reports whether the report's text states value v with the
// row's unit (2949条) in a clause sharing legacyStatedMatch runes with the
// row's label: the text says what the row counts.
func (p *parser) textStates(v float64, unit, label string) bool {
	if unit == "" || v != math.Trunc(v) {
		return false
	}
	num := strconv.FormatFloat(v, 'f', -1, 64)
	lc := []rune(core(strings.TrimPrefix(compact(label), p.set.legacy.SubItem)))
	for _, l := range p.lines {
		if l.used {
			continue
		}
		t := l.flat
		for at := 0; ; {
			i := strings.Index(t[at:], num+unit)
			if i < 0 {
				break
			}
			i += at
			at = i + len(num)
			if i > 0 && isDigit(rune(t[i-1])) {
				continue
			}
			beg := strings.LastIndexAny(t[:i], "，。；;,:：") + 1
			clause := strings.Map(func(r rune) rune {
				if isDigit(r) {
					return -1
				}
				return r
			}, t[beg:i])
			if lcs([]rune(core(clause)), lc) >= legacyStatedMatch {
				return true
			}
		}
	}
	return false
}
