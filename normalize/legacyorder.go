package normalize

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"govreport"
)

// legacyRun gathers, while a legacy table is read, what a print in
// content-stream order (pdftotext raw) may have torn apart: rows whose
// numbers came with their unit and no label (unlabelled), and the run of
// label lines printed after the table's numbers.
type legacyRun struct {
	unlabelled []*rowData
	end        int   // index of the last line a row was read from; -1 before any
	labels     []int // the lines of the first label run right after a row that follows an unlabelled one
	late       bool  // an unlabelled row came after that run: the run is not the table's labels
}

// rowRead notes a row read up to line end; r is unlabelled when its only
// label was its unit word.
func (lr *legacyRun) rowRead(r *rowData, end int) {
	if unitWord(compact(r.label)) && r.unit == "" {
		lr.unlabelled = append(lr.unlabelled, r)
		lr.late = lr.late || lr.labels != nil
	}
	lr.end = end
}

// labelsRead notes a run of label lines that gave no row.
func (p *parser) labelsRead(lr *legacyRun, lines []int) {
	if lr.labels != nil || len(lr.unlabelled) == 0 || len(lines) == 0 || lr.end < 0 {
		return
	}
	for j := lr.end + 1; j < lines[0]; j++ {
		if p.lines[j].flat != "" {
			return
		}
	}
	lr.labels = lines
}

// pairLegacyLabels gives the unlabelled rows of a legacy table the labels
// printed after its numbers. The label lines are a cell's wrapped pieces,
// each line within one label; a cut of the run's first lines into as many
// labels as there are unlabelled rows, every label one of legacy.json's
// indicators' (ordinals and spaces aside), is looked for. Only when
// exactly one cut exists are the labels given to the rows in order (both
// keep the table's row order); it returns the rows so labelled
// (flagPaired flags them).
func (p *parser) pairLegacyLabels(td *tableData, lr *legacyRun) []*rowData {
	n := len(lr.unlabelled)
	if n == 0 || len(lr.labels) < n || lr.late {
		return nil
	}
	// a label's core, whole (legacyKey cuts long ones short), as printed
	// alone or after the sub-item word
	known := map[string]bool{}
	longest := 0
	for _, in := range p.set.indicators {
		for _, l := range in.Labels {
			for _, k := range []string{core(l), core(p.set.legacy.SubItem + l)} {
				known[k] = true
				longest = max(longest, len(k))
			}
		}
	}
	pieces := make([]string, len(lr.labels))
	for i, j := range lr.labels {
		pieces[i] = p.lines[j].labelText(false)
	}
	cuts := legacyLabelCuts(pieces, n, func(s string) (ok, more bool) {
		// slack: a piece may end in a numeral its next one's 、 makes an ordinal
		k := core(s)
		return known[k], len(k) <= longest+16
	})
	if len(cuts) != 1 {
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageStructure, Kind: EventNotPlaced, Table: td.tb.Key, Line: p.lines[lr.labels[0]].pos.Line,
				Detail: fmt.Sprintf("%d rows printed without a label, %d cuts of the label lines after them into as many legacy labels: left as printed", n, len(cuts))})
		}
		return nil
	}
	ends := cuts[0]
	beg := 0
	for i, r := range lr.unlabelled {
		label := strings.Join(pieces[beg:ends[i]], "")
		for _, j := range lr.labels[beg:ends[i]] {
			p.lines[j].used = true
		}
		pos := p.lines[lr.labels[beg]].pos
		beg = ends[i]
		delete(td.byKey, r.key)
		r.unit, r.label, r.pos = compact(r.label), clean(label), pos
		r.key = legacyKey(label)
		if _, dup := td.byKey[r.key]; dup {
			r.key = fmt.Sprintf("%s_%d", r.key, slices.Index(td.rows, r)+1)
		}
		td.byKey[r.key] = r
	}
	return lr.unlabelled
}

// flagPaired flags the rows pairLegacyLabels labelled, once glued digits
// are split: by_position, and uncertain unless a sub-item sum holds.
func (p *parser) flagPaired(td *tableData, paired []*rowData) {
	if len(paired) == 0 {
		return
	}
	held := p.legacySumsHold(td)
	for _, r := range paired {
		r.flags = append(r.flags, govreport.FlagByPosition)
		why := "confirmed by its sub-item sum"
		if !held[r] {
			r.flags = append(r.flags, govreport.FlagUncertain)
			why = "no sub-item sum confirms it: uncertain"
		}
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageStructure, Kind: EventPosition, Table: td.tb.Key, Row: r.key, Line: r.pos.Line,
				Detail: fmt.Sprintf("label %s given to the %s row printed without one, in row order (the one cut of the label lines after the table into legacy labels); %s", quote(r.label), r.unit, why)})
		}
	}
}

// legacyLabelCuts returns the cuts of a prefix of pieces into n labels
// that label accepts, as each label's end (exclusive); it stops at two.
// label also says whether a longer label may still be accepted.
func legacyLabelCuts(pieces []string, n int, label func(string) (ok, more bool)) [][]int {
	var out [][]int
	var rec func(at int, ends []int)
	rec = func(at int, ends []int) {
		if len(out) > 1 {
			return
		}
		if len(ends) == n {
			out = append(out, append([]int(nil), ends...))
			return
		}
		for end := at + 1; end <= len(pieces); end++ {
			ok, more := label(strings.Join(pieces[at:end], ""))
			if ok {
				rec(end, append(ends, end))
			}
			if !more {
				break
			}
		}
	}
	rec(0, nil)
	return out
}

// legacySumsHold returns the rows of td that take part in a sub-item
// group (a row, its sub_item row and the numbered rows after it) whose
// sub-rows add up to it in every column.
func (p *parser) legacySumsHold(td *tableData) map[*rowData]bool {
	held := map[*rowData]bool{}
	rows := td.rows
	for i := 0; i+1 < len(rows); i++ {
		if !strings.HasPrefix(compact(rows[i+1].label), p.set.legacy.SubItem) {
			continue
		}
		group := []*rowData{rows[i], rows[i+1]}
		for j := i + 2; j < len(rows) && ordinalAt(compact(rows[j].label)); j++ {
			group = append(group, rows[j])
		}
		k := len(group[0].final)
		ok := k > 0
		for col := 0; col < k && ok; col++ {
			sum := 0.0
			for _, r := range group[1:] {
				if len(r.final) != k || r.final[col] == nil {
					ok = false
					break
				}
				sum += *r.final[col]
			}
			ok = ok && group[0].final[col] != nil && math.Abs(sum-*group[0].final[col]) <= tolerance
		}
		if ok {
			for _, r := range group {
				held[r] = true
			}
		}
	}
	return held
}
