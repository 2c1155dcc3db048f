package normalize

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

var (
	legacyTable = &tableT{Key: "legacy", Title: "政府信息公开情况统计表"}
	legacyIndex = buildIndex(legacyTable)
)

var unitWords = map[string]bool{"条": true, "件": true, "个": true, "次": true, "人次": true, "万元": true, "元": true, "项": true, "份": true, "人": true, "篇": true, "期": true, "场": true, "家": true, "天": true, "%": true, "小时": true, "个/件": true, "件/条": true}

// legacyTables keeps the statistics tables of pre-2019 reports (指标名称 /
// 计量单位 / 数量 …) as rows of a "legacy" table: the printed label, its
// unit, and one cell per printed value column.
func (p *parser) legacyTables() {
	td := newTable(legacyIndex)
	var header []string
	for i := range p.lines {
		l := &p.lines[i]
		lab := core(l.labelText(false))
		vals := l.values()
		if len(vals) == 0 {
			if strings.Contains(lab, "计量单位") || strings.Contains(lab, "指标名称") || strings.Contains(lab, "统计指标") {
				header = nil
				unitSeen := false
				for _, c := range l.toks {
					t := compact(c.label)
					if t == "" {
						continue
					}
					if unitSeen {
						header = append(header, t)
					}
					if strings.Contains(t, "单位") {
						unitSeen = true
					}
				}
				l.used = true
			}
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
			if unitWords[compact(t.label)] {
				unit = compact(t.label)
				continue
			}
			label += t.label
		}
		if core(label) == "" {
			continue
		}
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
		key := core(label)
		if utf8.RuneCountInString(key) > legacyKeyLen {
			key = string([]rune(key)[:legacyKeyLen])
		}
		r := &rowData{key: key, label: clean(label), cols: cols, toks: vals, pos: l.pos, mode: modeDirect, unit: unit}
		r.final = make(vec, len(vals))
		for j, v := range vals {
			r.final[j] = v.val.Num
		}
		if _, dup := td.byKey[key]; dup {
			r.key = fmt.Sprintf("%s_%d", key, len(td.rows)+1)
		}
		td.rows = append(td.rows, r)
		td.byKey[r.key] = r
		l.used = true
	}
	if len(td.rows) > 0 {
		p.tables = append(p.tables, td)
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageAssemble, Kind: EventOpen, Table: td.tb.Key, Line: td.rows[0].pos.Line,
				Detail: fmt.Sprintf("legacy statistics table: %d rows", len(td.rows))})
		}
	}
}
