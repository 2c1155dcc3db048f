package normalize

import (
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"govreport"
)

// legacyCells maps a legacy table's printed row labels to their cells.
func legacyCells(d *govreport.Document) map[string][]govreport.Cell {
	m := map[string][]govreport.Cell{}
	for _, c := range d.Cells {
		if c.Table == "legacy" {
			m[c.RowLabel] = append(m[c.RowLabel], c)
		}
	}
	return m
}

// A legacy table glued cell to cell whose sub-rows do not add up to their
// parent under any split: the sum decides nothing, the columns and the
// text still do. 12003400 is 1|2003400 or 1200|3400 (no part opens with a
// zero, 历年累计 is not below this year's), and the text states 1200条; 05
// is only 0|5; 11003300 stays 1|1003300 or 1100|3300.
func TestLegacyBrokenSubRowSum(t *testing.T) {
	text := "某县人民政府2013年政府信息公开工作年度报告\n一、概述\n2013年，本县主动公开政府信息1200条。\n" +
		"二、主动公开政府信息情况\n正文。\n三、依申请公开政府信息情况\n正文。\n四、存在的主要问题及改进情况\n正文。\n" +
		"附件：政府信息公开情况统计表\n指标名称\t计量单位\t2013年度\t历年累计\n" +
		"主动公开信息数\t条\t12003400\n其中：1.网站公开\t条\t11003300\n2.政府公报公开\t条\t05\n"
	d := parseText(t, text)
	rows := legacyCells(d)
	want := map[string][]float64{"主动公开信息数": {1200, 3400}, "2.政府公报公开": {0, 5}}
	for label, vals := range want {
		cs := rows[label]
		if len(cs) != 2 {
			t.Fatalf("%s: %d cells, want 2", label, len(cs))
		}
		for i, c := range cs {
			if c.Value == nil || *c.Value != vals[i] || !c.HasFlag(govreport.FlagInferred) || !c.HasFlag(govreport.FlagUncertain) {
				t.Errorf("%s %s = %v flags %v, want %v inferred, uncertain", label, c.Col, c.Value, c.Flags, vals[i])
			}
		}
	}
	if len(rows["其中:1.网站公开"]) != 2 {
		t.Fatalf("网站公开: %d cells, want 2", len(rows["其中:1.网站公开"]))
	}
	for _, c := range rows["其中:1.网站公开"] {
		if c.Value != nil || !c.HasFlag(govreport.FlagAmbiguous) {
			t.Errorf("网站公开 %s = %v flags %v, want NULL ambiguous_split", c.Col, c.Value, c.Flags)
		}
	}
}

// Table 四 printed as one run of 26 digits (4,457,400 splits over its 15
// cells without a leading zero): three splits satisfy its three row
// totals, reading 行政复议 and 复议后起诉 alike and 未经复议直接起诉 three
// ways (3|1|1|12|17, 3|1|11|2|17, 3|11|1|2|17). The rows read alike are
// stored inferred, the other ambiguous.
func TestGluedT4RunRowsReadAlike(t *testing.T) {
	text := "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 1 0 0 0 0 0 1\n" +
		"四、政府信息公开行政复议、行政诉讼情况\n行政复议 行政诉讼\n结果维持 结果纠正 其他结果 尚未审结 总计\n" +
		"15201304220731112172130529\n五、存在的主要问题及改进情况\n无。\n"
	d := parseText(t, text)
	want := map[string][]float64{"review": {15, 20, 130, 42, 207}, "litigation_after_review": {21, 3, 0, 5, 29}}
	cols := []string{"upheld", "corrected", "other", "pending", "total"}
	for row, vals := range want {
		got := cellsOf(d, "t4", row)
		for i, c := range cols {
			x := got[c]
			if x.Value == nil || *x.Value != vals[i] || !x.HasFlag(govreport.FlagInferred) {
				t.Errorf("t4.%s.%s = %v flags %v, want %v inferred", row, c, x.Value, x.Flags, vals[i])
			}
		}
	}
	got := cellsOf(d, "t4", "litigation_direct")
	if len(got) != 5 {
		t.Fatalf("t4.litigation_direct: %d cells, want 5", len(got))
	}
	for c, x := range got {
		if x.Value != nil || !x.HasFlag(govreport.FlagAmbiguous) {
			t.Errorf("t4.litigation_direct.%s = %v flags %v, want NULL ambiguous_split", c, x.Value, x.Flags)
		}
	}
}

// TestGluedSplitsAmbiguous is the proof that the digit runs the glued
// forms (oneline_glued, archiver, archiver_rows: nothing between a row's
// cells) leave unsplit cannot be split by any rule the reader holds. It
// reads each such variant, takes every run stored ambiguous_split, and
// lists, independently of the reader, the splits the printing allows (as
// many numbers as the run's template cells, none but 0 opening with a
// zero) and those under which every identity of the template whose cells
// lie in the run holds (a legacy run: 历年累计 not below this year's, and
// its group's sub-row sums where some reading of the group adds up). A
// run is undecidable when two or more splits pass, or none passes while
// the printing allows several (the document breaks its own identity, so
// the identities choose nothing). The test fails when a run is left
// unsplit though exactly one split passes, and when a run touches an
// identity only in part (this proof would not cover it).
func TestGluedSplitsAmbiguous(t *testing.T) {
	files, err := filepath.Glob("../testdata/variants/*__*.txt")
	if err != nil {
		t.Fatal(err)
	}
	runs := 0
	for _, f := range files {
		form := f[strings.LastIndex(f, "__")+2 : len(f)-len(".txt")]
		if form != "oneline_glued" && form != "archiver" && form != "archiver_rows" {
			continue
		}
		x := extractFile(t, f)
		d := Normalize(x)
		for _, run := range ambiguousRuns(d) {
			runs++
			name := filepath.Base(f) + " " + run.name()
			var allowed, pass [][]float64
			var why string
			if run.table == "legacy" {
				allowed, pass, why = legacyRunSplits(d, run)
			} else {
				pass, why = templateRunSplits(t, d, run)
			}
			digits := compact(clean(run.raw))
			nAllowed := countSplits(digits, len(run.cells))
			if allowed == nil && nAllowed <= 100000 {
				allowed = digitSplits(digits, len(run.cells))
			}
			// the readings of the cells left unsplit (a one-line run's
			// other rows are read: every passing split reads them alike)
			readings := func(ss [][]float64) []string {
				var out []string
				for _, s := range ss {
					var b []string
					for i, c := range run.cells {
						if c.HasFlag(govreport.FlagAmbiguous) {
							b = append(b, strconv.FormatFloat(s[i], 'f', -1, 64))
						}
					}
					if r := strings.Join(b, "|"); !slices.Contains(out, r) {
						out = append(out, r)
					}
				}
				return out
			}
			ok, all := readings(pass), readings(allowed)
			if allowed == nil {
				all = []string{"", ""} // too many to list: many readings
			}
			ex := ok
			if len(ex) == 0 {
				ex = all
			}
			t.Logf("%s %q over %d cells: %d splits without a leading zero, %d pass %s; %d reading(s) of the %d cells left unsplit pass, e.g. %s",
				name, run.raw, len(run.cells), nAllowed, len(pass), why, len(ok), run.unsplit(), strings.Join(ex[:min(2, len(ex))], " or "))
			switch {
			case why == "":
				t.Errorf("%s: the run touches an identity only in part: this proof does not cover it", name)
			case len(ok) == 1:
				t.Errorf("%s %q: exactly one reading passes every identity (%s): the run is decidable and should be read", name, run.raw, ok[0])
			case len(ok) == 0 && len(all) < 2:
				t.Errorf("%s %q: %d reading(s) allowed, none passes: not ambiguous", name, run.raw, len(all))
			}
		}
	}
	if runs == 0 {
		t.Fatal("no ambiguous run in the glued forms: every run is read, this proof has nothing left to prove (delete it)")
	}
}

// gluedRun is the cells of one digit run the reader left unsplit.
type gluedRun struct {
	table, raw string
	cells      []govreport.Cell // in template order
}

// name is the run's table and the rows it leaves unsplit.
func (r gluedRun) name() string {
	rows := []string{}
	for _, c := range r.cells {
		if c.HasFlag(govreport.FlagAmbiguous) && !slices.Contains(rows, c.Row) {
			rows = append(rows, c.Row)
		}
	}
	return r.table + "." + strings.Join(rows, "+")
}

// unsplit counts the run's cells stored ambiguous_split.
func (r gluedRun) unsplit() int {
	n := 0
	for _, c := range r.cells {
		if c.HasFlag(govreport.FlagAmbiguous) {
			n++
		}
	}
	return n
}

// ambiguousRuns gathers the runs with cells stored ambiguous_split: a
// row's cells, or for a table printed on one line every cell of the run
// (the rows every split reads alike are read, the others ambiguous).
func ambiguousRuns(d *govreport.Document) []gluedRun {
	key := func(c govreport.Cell) string {
		if tb := tableOf(Template(d.Layout), c.Table); tb != nil && tb.OneLine {
			return c.Table + "\x00" + c.Raw
		}
		return c.Table + "\x00" + c.Raw + "\x00" + c.Row
	}
	open := map[string]bool{}
	for _, c := range d.Cells {
		if c.HasFlag(govreport.FlagAmbiguous) {
			open[key(c)] = true
		}
	}
	var out []gluedRun
	at := map[string]int{}
	for _, c := range d.Cells {
		k := key(c)
		if !open[k] {
			continue
		}
		i, ok := at[k]
		if !ok {
			i = len(out)
			at[k] = i
			out = append(out, gluedRun{table: c.Table, raw: c.Raw})
		}
		out[i].cells = append(out[i].cells, c)
	}
	return out
}

// digitSplits lists the ways digits split into n numbers, none but 0
// opening with a zero.
func digitSplits(digits string, n int) [][]float64 {
	var out [][]float64
	var rec func(rest string, acc []float64)
	rec = func(rest string, acc []float64) {
		if len(acc) == n {
			if rest == "" {
				out = append(out, append([]float64(nil), acc...))
			}
			return
		}
		for k := 1; k <= len(rest)-(n-len(acc)-1); k++ {
			if k > 1 && rest[0] == '0' {
				break
			}
			v, _ := strconv.ParseFloat(rest[:k], 64)
			rec(rest[k:], append(acc, v))
		}
	}
	rec(digits, nil)
	return out
}

// countSplits counts the ways digits split into n numbers, none but 0
// opening with a zero.
func countSplits(digits string, n int) int {
	memo := map[[2]int]int{}
	var count func(at, n int) int
	count = func(at, n int) int {
		if n == 0 {
			if at == len(digits) {
				return 1
			}
			return 0
		}
		if c, ok := memo[[2]int{at, n}]; ok {
			return c
		}
		c := 0
		for k := 1; at+k <= len(digits)-(n-1); k++ {
			if k > 1 && digits[at] == '0' {
				break
			}
			c += count(at+k, n-1)
		}
		memo[[2]int{at, n}] = c
		return c
	}
	return count(0, n)
}

// templateRunSplits lists a run's splits over its template cells under
// which every identity on cells of the run holds; why says which
// identities apply ("" when one lies only partly in the run).
func templateRunSplits(t *testing.T, d *govreport.Document, run gluedRun) (pass [][]float64, why string) {
	tb := tableOf(Template(d.Layout), run.table)
	if tb == nil {
		t.Fatalf("%s: no table %s in layout %s", run.raw, run.table, d.Layout)
	}
	slot := map[[2]string]int{}
	for i, c := range run.cells {
		slot[[2]string{c.Row, c.Col}] = i
	}
	type check struct{ left, right []int }
	var checks []check
	var names []string
	for _, id := range tb.Identities {
		var ats []string
		for _, c := range run.cells {
			at := c.Row
			if id.Per != "row" {
				at = c.Col
			}
			if !slices.Contains(ats, at) {
				ats = append(ats, at)
			}
		}
		for _, at := range ats {
			var ck check
			in, out := 0, 0
			for side, keys := range [2][]string{id.Left, id.Right} {
				for _, k := range keys {
					ref := [2]string{at, k}
					if id.Per != "row" {
						ref = [2]string{k, at}
					}
					i, ok := slot[ref]
					if !ok {
						out++
						continue
					}
					in++
					if side == 0 {
						ck.left = append(ck.left, i)
					} else {
						ck.right = append(ck.right, i)
					}
				}
			}
			if in > 0 && out > 0 {
				return nil, ""
			}
			if in > 0 {
				checks = append(checks, ck)
				if !slices.Contains(names, id.Rule) {
					names = append(names, id.Rule)
				}
			}
		}
	}
	// the splits, each identity checked once its last cell is cut
	last := make([][]check, len(run.cells))
	for _, ck := range checks {
		l := slices.Max(append(append([]int(nil), ck.left...), ck.right...))
		last[l] = append(last[l], ck)
	}
	digits := compact(clean(run.raw))
	n := len(run.cells)
	cells := make([]float64, n)
	var rec func(at, i int)
	rec = func(at, i int) {
		if i == n {
			if at == len(digits) {
				pass = append(pass, append([]float64(nil), cells...))
			}
			return
		}
		for k := 1; at+k <= len(digits)-(n-i-1); k++ {
			if k > 1 && digits[at] == '0' {
				break
			}
			cells[i], _ = strconv.ParseFloat(digits[at:at+k], 64)
			holds := true
			for _, ck := range last[i] {
				l, r := 0.0, 0.0
				for _, j := range ck.left {
					l += cells[j]
				}
				for _, j := range ck.right {
					r += cells[j]
				}
				holds = holds && l == r
			}
			if holds {
				rec(at+k, i+1)
			}
		}
	}
	rec(0, 0)
	why = "table " + run.table + " has no identity on these cells"
	if len(checks) > 0 {
		why = fmt.Sprintf("the %d instance(s) of %s", len(checks), strings.Join(names, ", "))
	}
	return pass, why
}

// legacyRunSplits lists a legacy row's splits over its value columns and
// those the columns allow (历年累计 not below this year's) and, where some
// reading of its sub-row group adds up, the group's sums.
func legacyRunSplits(d *govreport.Document, run gluedRun) (allowed, pass [][]float64, why string) {
	lay := defaultSet.legacy
	n := len(run.cells)
	colsOK := func(s []float64) bool {
		year := -1
		for i, c := range run.cells {
			if lay.yearCol(c.Col) {
				year = i
			}
		}
		for i, c := range run.cells {
			if year >= 0 && lay.cumulativeCol(c.Col) && s[i] < s[year] {
				return false
			}
		}
		return true
	}
	// the table's rows in order, each with its raw run
	var labels, raws []string
	for _, c := range d.Cells {
		if c.Table == "legacy" && (len(labels) == 0 || labels[len(labels)-1] != c.RowLabel) {
			labels, raws = append(labels, c.RowLabel), append(raws, c.Raw)
		}
	}
	readings := func(raw string) [][]float64 {
		var out [][]float64
		for _, s := range digitSplits(compact(clean(raw)), n) {
			if colsOK(s) {
				out = append(out, s)
			}
		}
		return out
	}
	allowed = digitSplits(compact(clean(run.raw)), n)
	pass = readings(run.raw)
	why = "the columns"
	// its sub-row group: a parent, its 其中 row and the numbered rows after it
	me := slices.Index(labels, run.cells[0].RowLabel)
	sub := me
	for sub > 0 && !strings.HasPrefix(compact(labels[sub]), lay.SubItem) {
		sub--
	}
	if sub <= 0 || !strings.HasPrefix(compact(labels[sub]), lay.SubItem) {
		return allowed, pass, why
	}
	group := []int{sub - 1, sub}
	for j := sub + 1; j < len(labels) && ordinalAt(compact(labels[j])); j++ {
		group = append(group, j)
	}
	if !slices.Contains(group, me) {
		return allowed, pass, why
	}
	opts := make([][][]float64, len(group))
	for i, g := range group {
		opts[i] = readings(raws[g])
	}
	mine := map[string][]float64{}
	pick := make([][]float64, len(group))
	var rec func(i int)
	rec = func(i int) {
		if i == len(group) {
			for c := 0; c < n; c++ {
				s := 0.0
				for _, p := range pick[1:] {
					s += p[c]
				}
				if s != pick[0][c] {
					return
				}
			}
			p := pick[slices.Index(group, me)]
			mine[fmt.Sprint(p)] = p
			return
		}
		for _, o := range opts[i] {
			pick[i] = o
			rec(i + 1)
		}
	}
	rec(0)
	if len(mine) == 0 {
		return allowed, pass, why + " (its group's sub-rows add up under no reading of the group: the sum decides nothing)"
	}
	pass = nil
	for _, p := range mine {
		pass = append(pass, p)
	}
	return allowed, pass, why + " and its group's sub-row sums"
}

// Every value the glued forms read by cutting a run of digits is stored
// with the flag inferred, and with uncertain too where an identity on its
// row or column fails: a split is never stored as if printed apart.
func TestGluedSplitsFlagged(t *testing.T) {
	files, err := filepath.Glob("../testdata/variants/*__*.txt")
	if err != nil {
		t.Fatal(err)
	}
	split := 0
	for _, f := range files {
		form := f[strings.LastIndex(f, "__")+2 : len(f)-len(".txt")]
		if form != "oneline_glued" && form != "archiver" && form != "archiver_rows" && form != "glued" {
			continue
		}
		x := extractFile(t, f)
		d := Normalize(x)
		failed := map[string]bool{}
		for _, ck := range d.Checks {
			if ck.Status == "fail" {
				failed[ck.Table+"."+ck.Scope] = true
			}
		}
		for _, c := range d.Cells {
			if c.Value == nil || compact(clean(c.Raw)) == strconv.FormatFloat(*c.Value, 'f', -1, 64) || !digitsOnly(compact(clean(c.Raw))) {
				continue // printed apart, or not digits
			}
			split++
			name := filepath.Base(f) + " " + c.Table + "." + c.Row + "." + c.Col
			if !c.HasFlag(govreport.FlagInferred) {
				t.Errorf("%s = %v cut from %q, flags %v: want inferred", name, *c.Value, c.Raw, c.Flags)
			}
			if (failed[c.Table+"."+c.Row] || failed[c.Table+"."+c.Col]) && !c.HasFlag(govreport.FlagUncertain) {
				t.Errorf("%s = %v cut from %q, flags %v: an identity on it fails, want uncertain", name, *c.Value, c.Raw, c.Flags)
			}
		}
	}
	if split == 0 {
		t.Fatal("no value cut from a run: nothing checked")
	}
	t.Logf("%d values cut from runs of digits, all flagged", split)
}
