package geometry

import (
	"math"
	"sort"

	"govreport"
)

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
