package normalize

import (
	"slices"
	"strconv"
	"testing"
)

// A tighter frame for the 2021 Chromium print's table 三, which the
// weakest frame that holds (TestRawOrderAmbiguousColumnsInterleaved)
// leaves ambiguous. Frame: the numbers are the table's cells row by row,
// left to right, but for cells deferred: a cell passed over by that flow
// comes later, in a later run (a run is the numbers between two label
// lines), the deferred cells in the order they were passed over, at most
// maxOut of them outstanding at once; and each column's cells come top to
// bottom. Under it exactly one reading passes every identity, the golden
// one: the block is decidable, not read yet (the search below visits about
// a million states; a reader in the pipeline needs a cheaper one).

// deferredFrame searches the readings of seq (run[i] is seq[i]'s run) as
// rows×cols cells under the frame above and returns up to two distinct
// ones passing every identity instance (each a map cell → coefficient
// whose sum must be 0), and the states visited.
type deferredFrame struct {
	seq       []float64
	run       []int
	w, n      int
	maxOut    int
	inst      []map[int]float64
	of        [][]instRef
	remaining []int
	res       []float64
	h         []int
	memo      map[string][]*suffix
	states    int
}

type instRef struct {
	i    int
	coef float64
}

// suffix is the cells given from one number on: cell gets v, then next.
type suffix struct {
	cell int
	v    float64
	next *suffix
}

type deferred struct{ cell, run int }

func (f *deferredFrame) put(cell int, v float64) bool {
	f.h[cell%f.w]++
	ok := true
	for _, r := range f.of[cell] {
		f.res[r.i] += r.coef * v
		f.remaining[r.i]--
		if f.remaining[r.i] == 0 && (f.res[r.i] > tolerance || f.res[r.i] < -tolerance) {
			ok = false
		}
	}
	return ok
}

func (f *deferredFrame) take(cell int, v float64) {
	f.h[cell%f.w]--
	for _, r := range f.of[cell] {
		f.res[r.i] -= r.coef * v
		f.remaining[r.i]++
	}
}

func (f *deferredFrame) key(k, m int, out []deferred) string {
	b := strconv.AppendInt(nil, int64(k), 10)
	b = append(b, '/')
	b = strconv.AppendInt(b, int64(m), 10)
	for _, x := range f.h {
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(x), 10)
	}
	for _, d := range out {
		b = append(b, ';')
		b = strconv.AppendInt(b, int64(d.cell), 10)
		if d.run == f.run[k] {
			b = append(b, '*')
		}
	}
	for i, r := range f.res {
		if f.remaining[i] > 0 && f.remaining[i] < len(f.inst[i]) && r != 0 {
			b = append(b, '|')
			b = strconv.AppendInt(b, int64(i), 10)
			b = append(b, '=')
			b = append(b, fmtNum(r)...)
		}
	}
	return string(b)
}

func (f *deferredFrame) cells(s *suffix) []float64 {
	out := make([]float64, f.n)
	for ; s != nil; s = s.next {
		out[s.cell] = s.v
	}
	return out
}

// union adds to acc the suffixes cell=v + s for s in sub, distinct, at
// most two.
func (f *deferredFrame) union(acc []*suffix, cell int, v float64, sub []*suffix) []*suffix {
	for _, s := range sub {
		if len(acc) >= 2 {
			break
		}
		ns := &suffix{cell, v, s}
		c := f.cells(ns)
		dup := false
		for _, a := range acc {
			if slices.Equal(f.cells(a), c) {
				dup = true
			}
		}
		if !dup {
			acc = append(acc, ns)
		}
	}
	return acc
}

var endOfReading = []*suffix{nil}

func (f *deferredFrame) walk(k, m int, out []deferred) []*suffix {
	if k == f.n {
		return endOfReading
	}
	key := f.key(k, m, out)
	if r, ok := f.memo[key]; ok {
		return r
	}
	f.states++
	j, v := f.run[k], f.seq[k]
	var acc []*suffix
	// the first deferred cell, from an earlier run, its column's turn
	if len(out) > 0 && out[0].run < j && f.h[out[0].cell%f.w] == out[0].cell/f.w {
		c := out[0].cell
		if f.put(c, v) {
			acc = f.union(acc, c, v, f.walk(k+1, m, out[1:]))
		}
		f.take(c, v)
	}
	// the flow's next cell, the cells passed over deferred
	for m2 := m; m2 < f.n && len(out)+m2-m <= f.maxOut; m2++ {
		if f.h[m2%f.w] != m2/f.w {
			continue
		}
		next := append([]deferred(nil), out...)
		for d := m; d < m2; d++ {
			next = append(next, deferred{d, j})
		}
		if f.put(m2, v) {
			acc = f.union(acc, m2, v, f.walk(k+1, m2+1, next))
		}
		f.take(m2, v)
	}
	f.memo[key] = acc
	return acc
}

func TestRawOrderDeferredCellsDecide(t *testing.T) {
	if testing.Short() {
		t.Skip("searches about a million states")
	}
	const file = "2021_pingtan_1.html__chromium_pdftotext_raw.txt"
	tb, rows, cols := pingtan2021T3(t)
	f := &deferredFrame{w: len(cols)}
	j := 0
	for _, l := range rawSpan(t, file, "三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议") {
		for _, w := range l {
			if numberRE.MatchString(w) {
				f.seq = append(f.seq, num(t, w))
				f.run = append(f.run, j)
			} else if len(f.run) > 0 && f.run[len(f.run)-1] == j {
				j++
			}
		}
	}
	f.n = len(f.seq)
	if f.n != len(rows)*len(cols) {
		t.Fatalf("%d numbers for %d cells", f.n, len(rows)*len(cols))
	}
	ri := map[string]int{}
	for i, r := range rows {
		ri[r] = i
	}
	ci := map[string]int{}
	for i, c := range cols {
		ci[c] = i
	}
	for _, id := range tb.Identities {
		add := func(m map[int]float64, r, c int, coef float64) {
			if r >= 0 && c >= 0 {
				m[r*f.w+c] += coef
			}
		}
		look := func(m map[string]int, k string) int {
			if i, ok := m[k]; ok {
				return i
			}
			return -1
		}
		if id.Per == "row" {
			if !hasAll(cols, id.Left) || !hasAll(cols, id.Right) {
				continue
			}
			for r := range rows {
				m := map[int]float64{}
				for _, k := range id.Left {
					add(m, r, ci[k], 1)
				}
				for _, k := range id.Right {
					add(m, r, ci[k], -1)
				}
				f.inst = append(f.inst, m)
			}
			continue
		}
		for c := range cols {
			m := map[int]float64{}
			for _, k := range id.Left {
				add(m, look(ri, k), c, 1)
			}
			for _, k := range id.Right {
				add(m, look(ri, k), c, -1)
			}
			f.inst = append(f.inst, m)
		}
	}
	f.of = make([][]instRef, f.n)
	for i, m := range f.inst {
		for cell, coef := range m {
			f.of[cell] = append(f.of[cell], instRef{i, coef})
		}
		f.remaining = append(f.remaining, len(m))
	}
	f.res = make([]float64, len(f.inst))
	gold := rawGoldenGrid(t, "2021_pingtan_1.html", "t3", rows, cols)
	for _, c := range []struct{ maxOut, want int }{{2, 0}, {3, 1}} {
		f.maxOut, f.h, f.memo, f.states = c.maxOut, make([]int, f.w), map[string][]*suffix{}, 0
		got := f.walk(0, 0, nil)
		t.Logf("at most %d cells deferred at once: %d states, %d readings pass every identity", c.maxOut, f.states, len(got))
		if len(got) != c.want {
			t.Errorf("at most %d cells deferred at once: %d readings pass every identity, want %d", c.maxOut, len(got), c.want)
		}
		if len(got) == 1 {
			g := rawGrid{}
			cells := f.cells(got[0])
			for r, rk := range rows {
				g[rk] = map[string]float64{}
				for c, ck := range cols {
					g[rk][ck] = cells[r*f.w+c]
				}
			}
			if gridKey(g, rows, cols) != gridKey(gold, rows, cols) {
				t.Errorf("the one reading is not the golden one:\n%s\n%s", gridKey(g, rows, cols), gridKey(gold, rows, cols))
			}
		}
	}
}
