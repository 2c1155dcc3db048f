package normalize

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// Matching printed labels to the template: a label index per table, the
// row a label names, the columns a header names.

// labelIndex precomputes label cores per table for matching.
type labelIndex struct {
	tb      *tableT
	rows    [][][]rune // per row, per variant
	rowsS   [][]string // the same as strings
	rowsSig [][]uint64 // their runeSig
	cols    [][]string
	colsSig [][]uint64
	alts    map[string][]string // row key → the alternatives of rows with that key
	defCols [2][]string         // defaultCols without, with the subtotal
	order   map[string]int      // row key → template order (the last row of a key)
	// headingGroups are the cores of row group labels numbered like a
	// section heading (三、本年度办理结果 → 本年度办理结果)
	headingGroups []string
}

// indexOf is the label index of a table of the built-in templates.
func indexOf(tb *tableT) *labelIndex { return defaultSet.indexOf(tb) }

// labelCores are the cores of printed labels, as runes (for lcs), as
// strings (for substring search), and their rune signatures.
func labelCores(labels []string) (rs [][]rune, ss []string, sigs []uint64) {
	for _, l := range labels {
		c := core(l)
		rs = append(rs, []rune(c))
		ss = append(ss, c)
		sigs = append(sigs, runeSig(c))
	}
	return rs, ss, sigs
}

func buildIndex(tb *tableT) *labelIndex {
	ix := &labelIndex{tb: tb, alts: map[string][]string{}, defCols: [2][]string{defaultCols(tb, false), defaultCols(tb, true)}, order: map[string]int{}}
	seen := map[string]bool{}
	for i, r := range tb.Rows {
		if g := r.Group; g != "" && !seen[g] && headingOrdinal(g) {
			seen[g] = true
			ix.headingGroups = append(ix.headingGroups, core(g))
		}
		ix.order[r.Key] = i
		if len(r.Alternatives) > 0 {
			ix.alts[r.Key] = append(ix.alts[r.Key], r.Alternatives...)
		}
		vs, ss, sigs := labelCores(r.Labels)
		ix.rows = append(ix.rows, vs)
		ix.rowsS = append(ix.rowsS, ss)
		ix.rowsSig = append(ix.rowsSig, sigs)
	}
	for _, c := range tb.Columns {
		var vs []string
		var sigs []uint64
		for _, l := range c.Labels {
			vs = append(vs, core(l))
			sigs = append(sigs, runeSig(vs[len(vs)-1]))
		}
		ix.cols = append(ix.cols, vs)
		ix.colsSig = append(ix.colsSig, sigs)
	}
	return ix
}

// matchRow finds the template row a printed label names. Containment of a
// variant's core wins (the longest one); otherwise the best longest-common-
// subsequence ratio (see lcsEnough). exact reports containment.
func matchRow(tb *tableT, label string) (idx int, score int, exact bool) {
	return matchRowCore(indexOf(tb), core(label))
}

// matchRowCore is matchRow given the table's index and the label's core.
func matchRowCore(ix *labelIndex, cl string) (idx int, score int, exact bool) {
	if cl == "" {
		return -1, 0, false
	}
	idx = -1
	sig := runeSig(cl)
	// every label contained in the text; one inside a longer one does not
	// count; of the rest, the one printed last names the row (text before
	// it is a row group's label, a header or a previous row's tail)
	type hit struct{ row, at, n int }
	var hits []hit
	for i, vs := range ix.rowsS {
		for vi, v := range vs {
			if v == "" || ix.rowsSig[i][vi]&^sig != 0 {
				continue // empty, or a rune not in the text
			}
			if p := strings.LastIndex(cl, v); p >= 0 {
				hits = append(hits, hit{i, utf8.RuneCountInString(cl[:p]), len(ix.rows[i][vi])})
			}
		}
	}
	var best *hit
	for i := range hits {
		h := &hits[i]
		inside := false
		for _, o := range hits {
			if o.n > h.n && o.at <= h.at && h.at+h.n <= o.at+o.n {
				inside = true
				break
			}
		}
		if inside {
			continue
		}
		if best == nil || h.at > best.at || h.at == best.at && h.n > best.n {
			best = h
		}
	}
	if best != nil {
		idx, score, exact = best.row, best.n, true
		if best.n >= lcsLongLabel {
			return
		}
		// a short label contained (其他, 其他处理) in the first part of a
		// long one wrapped (2.其他法律行政法规 | 禁止公开), the text going on
		// after it: the long one, when the text covers twice as much of
		// it. A short label printed last is the row's own (…属于国家秘密).
		if best.at+best.n+1 < utf8.RuneCountInString(cl) {
			if li, ls := lcsRow(ix, cl, sig, 0); li >= 0 && li != idx && ls >= lcsLongLabel && ls >= 2*best.n {
				return li, ls, false
			}
			// a group's label (其他处理), then the first part of a row's
			// label wrapped (申请人无正当理由逾期不补正、行政机关 | …)
			rest := string([]rune(cl)[best.at+best.n:])
			if pi, pn := labelPieceRow(ix, rest); pi >= 0 && pi != idx && pn >= 2*best.n {
				return pi, pn, false
			}
		}
		return
	}
	// the first part of a label wrapped over lines: a piece of one row's
	// label, long enough not to be a word many share
	if pi, pn := labelPieceRow(ix, cl); pi >= 0 {
		return pi, pn, false
	}
	// no label contained whole (typos, a label wrapped around its numbers,
	// vertical group labels interleaved): the longest common subsequence,
	// covering enough of a label (lcsRatio, or lcsRatioLong of a long one)
	idx, score = lcsRow(ix, cl, sig, score)
	return idx, score, false
}

// rowsIn cuts cl, a label's core, into the labels of several rows printed
// one after the other (pdftotext raw prints a column of labels, then the
// rows' numbers: （一）予以公开 / （二）部分公开… / 22 0 … 19 1 …): each piece
// ends with a different row's label contained whole, minRowsInLabel runes
// long at least, none inside another, in the table's order; the text
// between two of them (a group's label) opens the next piece, the text
// after the last ends it. It returns nil unless there are two such rows
// at least.
func rowsIn(ix *labelIndex, cl string) []string {
	keep := labelHits(ix, cl)
	if len(keep) < 2 {
		return nil
	}
	sort.Slice(keep, func(i, j int) bool { return keep[i].at < keep[j].at })
	var out []string
	beg := 0
	for k, h := range keep {
		if k > 0 && (h.at < keep[k-1].end || ix.order[ix.tb.Rows[h.row].Key] <= ix.order[ix.tb.Rows[keep[k-1].row].Key]) {
			return nil // overlapping, the same row twice, or out of order
		}
		out = append(out, cl[beg:h.end])
		beg = h.end
	}
	out[len(out)-1] += cl[beg:]
	return out
}

// labelPieceRow is the one row whose label holds cl, minLabelPiece runes long
// at least, and cl's length; -1 when no row or several do.
func labelPieceRow(ix *labelIndex, cl string) (int, int) {
	n := utf8.RuneCountInString(cl)
	if n < minLabelPiece {
		return -1, 0
	}
	piece := -1
	for i, vs := range ix.rowsS {
		for _, v := range vs {
			if strings.Contains(v, cl) {
				if piece >= 0 && piece != i {
					return -1, 0
				}
				piece = i
			}
		}
	}
	if piece < 0 {
		return -1, 0
	}
	return piece, n
}

// lcsRow is the row whose label shares the longest common subsequence
// with cl, covering enough of it (lcsEnough), longer than score; -1 if none.
func lcsRow(ix *labelIndex, cl string, sig uint64, score int) (idx int, n int) {
	idx = -1
	rc := []rune(cl)
	bestRatio := 0.0
	for i, vs := range ix.rows {
		for _, v := range vs {
			if len(v) < lcsMinLabel {
				continue
			}
			// the lcs is at most the text's length and the label's runes
			// the text may hold: skip labels that cannot pass the ratio or
			// beat the best even so
			ub := min(len(rc), sigCount(v, sig))
			if r := float64(ub) / float64(len(v)); ub < score || !lcsEnough(r, ub) {
				continue
			}
			n := lcs(rc, v)
			ratio := float64(n) / float64(len(v))
			if !lcsEnough(ratio, n) {
				continue
			}
			if n > score || n == score && ratio > bestRatio {
				idx, score, bestRatio = i, n, ratio
			}
		}
	}
	return idx, score
}

// headerCols returns the template columns a label-only line names, in
// printed order, given the label's core.
func headerCols(ix *labelIndex, cl string) []string {
	type hit struct {
		at  int
		key string
	}
	var hits []hit
	sig := runeSig(cl)
	for i, vs := range ix.cols {
		for vi, v := range vs {
			if ix.colsSig[i][vi]&^sig != 0 {
				continue // a rune not in the text
			}
			if at := strings.Index(cl, v); v != "" && at >= 0 {
				hits = append(hits, hit{at, ix.tb.Columns[i].Key})
				break
			}
		}
	}
	for i := 1; i < len(hits); i++ {
		for j := i; j > 0 && hits[j].at < hits[j-1].at; j-- {
			hits[j], hits[j-1] = hits[j-1], hits[j]
		}
	}
	var out []string
	for _, h := range hits {
		out = append(out, h.key)
	}
	return out
}

// rowCols returns the columns a template row has. The slice is shared:
// read it, never write it.
func rowCols(ix *labelIndex, ri int, subtotal bool) []string {
	if r := ix.tb.Rows[ri]; len(r.Columns) > 0 {
		return r.Columns
	}
	return ix.defCols[b2i(subtotal)]
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// defaultCols are the columns of a row that lists none: the table's, the
// optional ones left out (the Subtotal column kept when printed).
func defaultCols(tb *tableT, subtotal bool) []string {
	var out []string
	for _, c := range tb.Columns {
		if c.Optional && !(subtotal && c.Key == tb.Subtotal) {
			continue
		}
		out = append(out, c.Key)
	}
	return out[:len(out):len(out)]
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

// lcsEnough reports whether a common subsequence of n runes covering
// ratio of a label is enough to name it.
func lcsEnough(ratio float64, n int) bool {
	return ratio >= lcsRatio || ratio >= lcsRatioLong && n >= lcsLongLabel
}

// labelHit is a template row's label variant found in a line: the row
// (index) and the variant's byte span.
type labelHit struct{ row, at, end int }

// labelHits lists the places in cl where a label variant of a template
// row (minRowsInLabel runes at least) stands, but for those inside a
// longer variant's occurrence, in the order of the rows' variants.
func labelHits(ix *labelIndex, cl string) []labelHit {
	var hits []labelHit
	sig := runeSig(cl)
	for i, vs := range ix.rowsS {
		for vi, v := range vs {
			if utf8.RuneCountInString(v) < minRowsInLabel || ix.rowsSig[i][vi]&^sig != 0 {
				continue
			}
			for at := 0; ; {
				j := strings.Index(cl[at:], v)
				if j < 0 {
					break
				}
				hits = append(hits, labelHit{i, at + j, at + j + len(v)})
				at += j + len(v)
			}
		}
	}
	var keep []labelHit
	for _, h := range hits {
		inside := false
		for _, o := range hits {
			if o != h && o.at <= h.at && h.end <= o.end && o.end-o.at > h.end-h.at {
				inside = true
				break
			}
		}
		if !inside {
			keep = append(keep, h)
		}
	}
	return keep
}
