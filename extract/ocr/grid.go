package ocr

import (
	"image"
	"sort"

	"govreport/extract/internal/geometry"
)

// seg is a ruling line found in the image: its bounding box, ends
// inclusive.
type seg struct{ x0, y0, x1, y1 int }

func (s seg) xc() int { return (s.x0 + s.x1) / 2 }
func (s seg) yc() int { return (s.y0 + s.y1) / 2 }

// grid is a table found on a page: the y of its row rules, the x of its
// column rules, and its cells (an elementary cell of the rules, or several
// merged where the rule between them is absent).
type grid struct {
	ys, xs []int
	cells  []gcell
}

// gcell is a cell of a grid: rows r0..r1 and columns c0..c1 of the
// elementary grid (inclusive), and the rectangle inside its rules.
type gcell struct {
	r0, c0, r1, c1 int
	box            image.Rectangle
}

// lineMask marks ink for rule detection: pixels at or below thr, a level
// lighter than the text threshold, so that thin rules softened by blur
// and JPEG stay whole.
func lineMask(img *image.Gray, thr uint8) (mask []bool, w, h int) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	mask = make([]bool, w*h)
	for y := 0; y < h; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:w]
		m := mask[y*w:][:w]
		for x, v := range row {
			m[x] = v <= thr
		}
	}
	return mask, w, h
}

// runs finds the horizontal (vertical: false) runs of ink at least minLen
// long, bridging gaps of up to gap pixels. Each scan line is the union of
// two neighbouring ones, so that a rule left slightly slanted by deskewing
// still gives long runs. Runs of neighbouring scan lines that overlap
// become one segment.
func runs(mask []bool, w, h int, horizontal bool, minLen, gap int) []seg {
	n, m := h, w // scan lines, length of each
	if !horizontal {
		n, m = w, h
	}
	at := func(line, i int) bool {
		if horizontal {
			return mask[line*w+i] || line+1 < h && mask[(line+1)*w+i]
		}
		return mask[i*w+line] || line+1 < w && mask[i*w+line+1]
	}
	var out []seg
	var open []int // indices into out of segments that reached the previous line
	for line := 0; line < n; line++ {
		var next []int
		for i := 0; i < m; {
			if !at(line, i) {
				i++
				continue
			}
			start, end := i, i
			for j := i + 1; j < m && j-end <= gap+1; j++ {
				if at(line, j) {
					end = j
				}
			}
			i = end + 1
			if end-start+1 < minLen {
				continue
			}
			// extend a segment from the previous line that overlaps by half
			// of the longer: a rule's runs are alike, a stroke that touches
			// it is short
			k := -1
			for _, o := range open {
				s := out[o]
				a0, a1 := s.x0, s.x1
				if !horizontal {
					a0, a1 = s.y0, s.y1
				}
				ov := min(a1, end) - max(a0, start)
				if 2*ov >= max(a1-a0, end-start) {
					k = o
					break
				}
			}
			if k < 0 {
				if horizontal {
					out = append(out, seg{start, line, end, line})
				} else {
					out = append(out, seg{line, start, line, end})
				}
				k = len(out) - 1
			} else if horizontal {
				out[k].x0, out[k].x1, out[k].y1 = min(out[k].x0, start), max(out[k].x1, end), line
			} else {
				out[k].y0, out[k].y1, out[k].x1 = min(out[k].y0, start), max(out[k].y1, end), line
			}
			next = append(next, k)
		}
		open = next
	}
	return out
}

// findGrids finds the ruled tables of a page: long horizontal rules, the
// vertical rules that run from one of them to another, the shorter
// horizontal rules between two vertical ones; connected rules make a
// table, and its cells are the rectangles of the rules, merged where the
// rule between two of them is missing.
func findGrids(img *image.Gray, thr uint8, s Settings, dpi float64) []grid {
	mask, w, h := lineMask(img, thr)
	px := func(inch float64) int { return max(1, int(inch*dpi+0.5)) }
	thick := px(s.MaxRuleWidth)
	tol := px(s.RuleTolerance)
	var hs, vs []seg
	for _, sg := range runs(mask, w, h, true, px(s.MinRuleShort), px(s.RuleGap)) {
		if sg.y1-sg.y0 < thick {
			hs = append(hs, sg)
		}
	}
	for _, sg := range runs(mask, w, h, false, px(s.MinRuleShort), px(s.RuleGap)) {
		if sg.x1-sg.x0 < thick {
			vs = append(vs, sg)
		}
	}
	long := px(s.MinRuleLong)
	var H, V []seg
	for _, sg := range hs {
		if sg.x1-sg.x0+1 >= long {
			H = append(H, sg)
		}
	}
	// touchesH: a vertical end at y, x meets a horizontal rule
	touchesH := func(x, y int) bool {
		for _, r := range H {
			if y >= r.y0-tol && y <= r.y1+tol && x >= r.x0-tol && x <= r.x1+tol {
				return true
			}
		}
		return false
	}
	touchesV := func(x, y int) bool {
		for _, r := range V {
			if x >= r.x0-tol && x <= r.x1+tol && y >= r.y0-tol && y <= r.y1+tol {
				return true
			}
		}
		return false
	}
	for round := 0; round < 2; round++ {
		V = V[:0]
		for _, sg := range vs {
			if touchesH(sg.xc(), sg.y0) && touchesH(sg.xc(), sg.y1) {
				V = append(V, sg)
			}
		}
		H = H[:0]
		for _, sg := range hs {
			if sg.x1-sg.x0+1 >= long || touchesV(sg.x0, sg.yc()) && touchesV(sg.x1, sg.yc()) {
				H = append(H, sg)
			}
		}
	}
	V, H = openEdges(vs, V, H, touchesH, px(s.MinOpenRule), tol)
	// tables: rules connected by crossing or touching
	all := append(append([]seg(nil), H...), V...)
	sets := geometry.NewSets(len(all))
	for i, a := range H {
		for j, b := range V {
			if b.xc() >= a.x0-tol && b.xc() <= a.x1+tol && a.yc() >= b.y0-tol && a.yc() <= b.y1+tol {
				sets.Union(i, len(H)+j)
			}
		}
	}
	groups := map[int][]int{}
	for i := range all {
		groups[sets.Find(i)] = append(groups[sets.Find(i)], i)
	}
	var out []grid
	for _, idx := range groups {
		var gh, gv []seg
		for _, i := range idx {
			if i < len(H) {
				gh = append(gh, all[i])
			} else {
				gv = append(gv, all[i])
			}
		}
		if len(gh) < 2 || len(gv) < 2 {
			continue
		}
		if g, ok := buildGrid(gh, gv, max(2*tol, px(s.MinCellSize))); ok {
			out = append(out, g)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ys[0] < out[j].ys[0] })
	return out
}

// openEdges closes tables cut by a page break, whose cut edge has no
// rule or only part of one: vertical rules that meet a horizontal rule at
// one end only, at least minLen long, whose other ends line up (within
// tol) with each other (three or more, at least minLen apart) or with a
// horizontal rule, get a rule drawn along those ends (or that rule drawn
// on to them). It returns V and H with them added.
func openEdges(vs, V, H []seg, touchesH func(x, y int) bool, minLen, tol int) ([]seg, []seg) {
	type end struct {
		v   seg
		y   int
		top bool // the free end is the top one
	}
	var ends []end
	for _, v := range vs {
		if v.y1-v.y0+1 < minLen || within(v, vs, tol) {
			continue
		}
		t, b := touchesH(v.xc(), v.y0), touchesH(v.xc(), v.y1)
		switch {
		case t && !b:
			ends = append(ends, end{v, v.y1, false})
		case b && !t:
			ends = append(ends, end{v, v.y0, true})
		}
	}
	// ends in line with a horizontal rule: the rule is drawn on to them
	rest := ends[:0]
	for _, e := range ends {
		// the rule its other end meets, and one in line with its free end
		// that shares columns with it (the same table)
		other := e.v.y0
		if e.top {
			other = e.v.y1
		}
		k := -1
		for hi, h := range H {
			if e.y < h.y0-2*tol || e.y > h.y1+2*tol || k >= 0 && dist(e.v.xc(), h) >= dist(e.v.xc(), H[k]) {
				continue
			}
			for _, o := range H {
				if other >= o.y0-tol && other <= o.y1+tol && e.v.xc() >= o.x0-tol && e.v.xc() <= o.x1+tol && o.x0 < h.x1 && o.x1 > h.x0 {
					k = hi
					break
				}
			}
		}
		if k < 0 {
			rest = append(rest, e)
			continue
		}
		V = append(V, e.v)
		H[k].x0, H[k].x1 = min(H[k].x0, e.v.x0), max(H[k].x1, e.v.x1)
	}
	ends = rest
	sort.Slice(ends, func(i, j int) bool { return ends[i].y < ends[j].y })
	for i := 0; i < len(ends); {
		j := i + 1
		for j < len(ends) && ends[j].y-ends[j-1].y <= 2*tol && ends[j].top == ends[i].top {
			j++
		}
		group := append([]end(nil), ends[i:j]...)
		i = j
		sort.Slice(group, func(a, b int) bool { return group[a].v.xc() < group[b].v.xc() })
		var keep []end
		for _, e := range group {
			if len(keep) == 0 || e.v.xc()-keep[len(keep)-1].v.xc() >= minLen {
				keep = append(keep, e)
			}
		}
		if len(keep) < 3 {
			continue
		}
		y := 0
		for _, e := range keep {
			V = append(V, e.v)
			y += e.y
		}
		y /= len(keep)
		H = append(H, seg{keep[0].v.x0, y - 1, keep[len(keep)-1].v.x1, y + 1})
	}
	return V, H
}

// within reports whether the vertical run v lies along a longer one (a
// sliver of a rule's edge, split off it).
func within(v seg, rules []seg, tol int) bool {
	for _, r := range rules {
		if r.y1-r.y0 > v.y1-v.y0 && v.x0 >= r.x0-tol && v.x1 <= r.x1+tol && v.y0 >= r.y0-tol && v.y1 <= r.y1+tol {
			return true
		}
	}
	return false
}

// dist is how far x lies outside the horizontal rule h.
func dist(x int, h seg) int { return max(h.x0-x, x-h.x1, 0) }

// cluster merges positions closer than tol into their mean.
func cluster(ps []int, tol int) []int {
	sort.Ints(ps)
	var out []int
	sum, n := 0, 0
	for i, p := range ps {
		if i > 0 && p-ps[i-1] > tol {
			out = append(out, sum/n)
			sum, n = 0, 0
		}
		sum += p
		n++
	}
	if n > 0 {
		out = append(out, sum/n)
	}
	return out
}

// buildGrid makes the cells of a table from its rules; rules closer than
// merge are one (a double rule, the two borders of cells drawn apart).
func buildGrid(hs, vs []seg, merge int) (grid, bool) {
	var yp, xp []int
	for _, s := range hs {
		yp = append(yp, s.yc())
	}
	for _, s := range vs {
		xp = append(xp, s.xc())
	}
	g := grid{ys: cluster(yp, merge), xs: cluster(xp, merge)}
	nr, nc := len(g.ys)-1, len(g.xs)-1
	if nr < 2 || nc < 1 {
		return g, false // one row: underlined lines whose strokes touch
	}
	// covered: the share of [a, b] the rules at position p cover
	covered := func(rules []seg, horizontal bool, p, a, b int) bool {
		var ivs [][2]int
		for _, r := range rules {
			pos, lo, hi := r.xc(), r.y0, r.y1
			if horizontal {
				pos, lo, hi = r.yc(), r.x0, r.x1
			}
			if pos < p-merge || pos > p+merge {
				continue
			}
			lo, hi = max(lo, a), min(hi, b)
			if hi > lo {
				ivs = append(ivs, [2]int{lo, hi})
			}
		}
		sort.Slice(ivs, func(i, j int) bool { return ivs[i][0] < ivs[j][0] })
		sum, end := 0, a
		for _, iv := range ivs {
			if iv[1] <= end {
				continue
			}
			sum += iv[1] - max(iv[0], end)
			end = iv[1]
		}
		return 2*sum >= b-a
	}
	sets := geometry.NewSets(nr * nc)
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			if c+1 < nc && !covered(vs, false, g.xs[c+1], g.ys[r], g.ys[r+1]) {
				sets.Union(r*nc+c+1, r*nc+c)
			}
			if r+1 < nr && !covered(hs, true, g.ys[r+1], g.xs[c], g.xs[c+1]) {
				sets.Union((r+1)*nc+c, r*nc+c)
			}
		}
	}
	boxes := map[int]*gcell{}
	var order []int
	for r := 0; r < nr; r++ {
		for c := 0; c < nc; c++ {
			k := sets.Find(r*nc + c)
			b := boxes[k]
			if b == nil {
				b = &gcell{r0: r, c0: c, r1: r, c1: c}
				boxes[k] = b
				order = append(order, k)
			}
			b.r0, b.c0 = min(b.r0, r), min(b.c0, c)
			b.r1, b.c1 = max(b.r1, r), max(b.c1, c)
		}
	}
	for _, k := range order {
		c := boxes[k]
		c.box = image.Rect(g.xs[c.c0], g.ys[c.r0], g.xs[c.c1+1], g.ys[c.r1+1])
		g.cells = append(g.cells, *c)
	}
	return g, true
}
