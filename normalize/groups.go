package normalize

import (
	"strconv"
	"strings"

	"govreport"
)

// Stage 4, a row group read by its count: in a table of row groups each
// printing its own header (GroupHeaders), text that keeps the numbers in
// order but not beside their labels (pdftotext without -layout) may print
// a group's number after the group's header words or after its last
// label. A group of one template row whose lines, from its header to the
// next group's, print its label and exactly as many numbers as the row
// has columns, none of them taken by another row, has one reading: the
// numbers are the row's, in order, given by position (byPos).

// rereadGroups gives the numbers of each such group to its one row when
// the row was not read by its label.
func (p *parser) rereadGroups(td *tableData) {
	if !td.tb.GroupHeaders || td.start < 0 {
		return
	}
	end := p.sectionEnd(td.start, p.set.sectionNumber(td.tb.Section))
	type group struct {
		label string
		rows  []int
		at    int // the header's line, -1 if not found
	}
	var groups []*group
	byLabel := map[string]*group{}
	for i, r := range td.tb.Rows {
		if r.Group == "" {
			continue
		}
		g := byLabel[r.Group]
		if g == nil {
			g = &group{label: r.Group, at: -1}
			byLabel[r.Group] = g
			groups = append(groups, g)
		}
		g.rows = append(g.rows, i)
	}
	// the groups' header lines, in template order
	from := td.start
	var heads []int
	for _, g := range groups {
		want := compact(clean(g.label))
		for i := from; i < end; i++ {
			if strings.Contains(p.lines[i].flat, want) {
				g.at, from = i, i+1
				heads = append(heads, i)
				break
			}
		}
	}
	taken := map[govreport.Pos]bool{}
	for _, r := range td.rows {
		for _, t := range r.toks {
			taken[t.pos] = true
		}
	}
	for _, g := range groups {
		if g.at < 0 || len(g.rows) != 1 {
			continue
		}
		ri := g.rows[0]
		key := td.tb.Rows[ri].Key
		if td.byKey[key] != nil {
			continue
		}
		stop := end
		for _, h := range heads {
			if h > g.at {
				stop = h
				break
			}
		}
		var vals []tok
		var prev []string
		found := map[int]bool{}
		ok := true
		for i := g.at + 1; i < stop && ok; i++ {
			lab := ""
			for _, t := range p.lines[i].toks {
				if !t.isVal {
					lab += t.label
					continue
				}
				if t.glued && len(p.lines[i].toks) > 1 || t.unsure || t.val.Num == nil || taken[t.pos] {
					ok = false
					break
				}
				vals = append(vals, t)
			}
			if lab != "" {
				p.noteLabel(td, lab, &prev, found)
			}
		}
		cols := rowCols(td.ix, ri, td.subtotal)
		if !ok || !found[ri] || len(vals) != len(cols) {
			continue
		}
		td.addRow(ri, td.tb.Rows[ri].Labels[0], vals, vals[0].pos, cols)
		r := td.byKey[key]
		if r == nil || r.toks == nil || &r.toks[0] != &vals[0] {
			continue
		}
		r.byPos = true
		r.place(p.tr)
		if r.mode == modeDirect {
			r.final = r.cands[0]
		}
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageSolve, Kind: EventPlace, Table: td.tb.Key, Row: key, Line: r.pos.Line,
				Detail: "row group of one row: its " + strconv.Itoa(len(vals)) + " numbers between its header and the next group's, given by position"})
		}
	}
}
