package store

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Rules Analyze adds to the stored checks.
const (
	RuleContinuity = "t3_continuity" // 二 上年结转 of Y = 四 结转下年度 of Y−1, same agency
	RuleRolling    = "t2_rolling"    // 现行有效 of Y−1 + 制发 − 废止 of Y = 现行有效 of Y (soft)
	RuleNarrative  = "narrative_t3"  // counts stated in sections 一 and 三 against table 三 (soft)
	RuleTwins      = "report_twins"  // two documents of one report (a page and its PDF) print different values
)

// Severities of a finding.
const (
	SeverityFail = "fail" // an identity is broken
	SeveritySoft = "soft" // worth a look; does not fail a document
)

// DocRef names a document in a finding.
type DocRef struct {
	ID     int64
	Agency string
	Year   int
	Source string
}

// Finding is one identity broken across the database.
type Finding struct {
	Rule     string
	Severity string
	Agency   string // the agency as stored on the (later) document
	Year     int    // the (later) document's year
	Table    string
	Scope    string   // the row or column
	Left     *float64 // stored checks: left side; continuity and rolling: the expected value; narrative: the text's
	Right    *float64 // the value found in the table
	Docs     []DocRef // the documents involved, earlier year first
	Detail   string
}

// Pair is two reports of one agency in consecutive years.
type Pair struct {
	Key  string // the normalized agency name
	Prev DocRef // year Y−1
	Next DocRef // year Y
	How  string // "same name" (one agency) or "suffix" (洪泽区人民政府 ~ 淮安市洪泽区人民政府)
}

// Analysis is what Analyze found.
type Analysis struct {
	Findings []Finding
	Pairs    []Pair
}

// Failed counts the findings of severity fail.
func (a Analysis) Failed() int {
	n := 0
	for _, f := range a.Findings {
		if f.Severity == SeverityFail {
			n++
		}
	}
	return n
}

// NormalizeAgency reduces an agency's name to a key that is equal for
// the spellings one agency uses over the years: whitespace dropped,
// full-width brackets and letters made half-width, a trailing 办公室
// dropped (the office publishes its government's report).
func NormalizeAgency(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '！' && r <= '～': // full-width ASCII
			r -= 0xFEE0
		case r == '〔' || r == '【' || r == '［':
			r = '('
		case r == '〕' || r == '】' || r == '］':
			r = ')'
		}
		b.WriteRune(r)
	}
	k := b.String()
	if t := strings.TrimSuffix(k, "办公室"); utf8.RuneCountInString(t) >= 2 {
		k = t
	}
	return k
}

// titleAgency guesses the agency from a title when none was stored:
// what precedes the year in 某某局2023年度政府信息公开工作年度报告.
var titleAgency = regexp.MustCompile(`^(.+?)(?:20\d\d|19\d\d)年`)

type analysisDoc struct {
	DocRef
	key      string
	agencyID int64 // 0: none
}

// Analyze runs the checks across the database: the stored checks that
// failed, the documents of one report against each other, cross-year
// continuity of table 三 and table 二 rolling forward between reports,
// and the narrative's counts against table 三; on the values with the
// corrections applied.
func (s *Store) Analyze(ctx context.Context) (Analysis, error) {
	var a Analysis
	if err := s.storedFailures(ctx, &a); err != nil {
		return a, err
	}
	docs, err := s.analysisDocs(ctx)
	if err != nil {
		return a, err
	}
	a.Pairs = pairDocs(docs)
	tm, err := s.terms()
	if err != nil {
		return a, err
	}
	t3, err := s.tableValues(ctx, tableApplications, tm.t3Rows(), nil)
	if err != nil {
		return a, err
	}
	t2, err := s.tableValues(ctx, tableRules, tm.rolling, []string{tm.issued, tm.repealed, tm.inForce})
	if err != nil {
		return a, err
	}
	for _, p := range a.Pairs {
		a.Findings = append(a.Findings, tm.continuity(p, t3)...)
		a.Findings = append(a.Findings, tm.rollingFindings(p, t2)...)
	}
	twins, err := s.twinFindings(ctx)
	if err != nil {
		return a, err
	}
	a.Findings = append(a.Findings, twins...)
	texts, err := s.narratives(ctx)
	if err != nil {
		return a, err
	}
	for _, d := range docs {
		if t := texts[d.ID]; t != "" && t3[d.ID] != nil {
			a.Findings = append(a.Findings, tm.narrative(d.DocRef, t, t3[d.ID])...)
		}
	}
	sort.SliceStable(a.Findings, func(i, j int) bool {
		x, y := a.Findings[i], a.Findings[j]
		if x.Rule != y.Rule {
			return x.Rule < y.Rule
		}
		if x.Agency != y.Agency {
			return x.Agency < y.Agency
		}
		return x.Year < y.Year
	})
	return a, nil
}

func (s *Store) storedFailures(ctx context.Context, a *Analysis) error {
	rows, err := s.db.QueryContext(ctx, `SELECT c.rule, c.tbl, c.scope, c.left_value, c.right_value, coalesce(c.detail, ''),
			d.id, coalesce(a.name, d.agency, ''), coalesce(d.year, 0), d.source
		FROM checks c JOIN documents d ON d.id = c.doc_id LEFT JOIN agencies a ON a.id = d.agency_id
		WHERE c.status = 'fail' ORDER BY c.rule, a.name, d.year, d.id, c.rowid`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var f Finding
		var d DocRef
		if err := rows.Scan(&f.Rule, &f.Table, &f.Scope, &f.Left, &f.Right, &f.Detail, &d.ID, &d.Agency, &d.Year, &d.Source); err != nil {
			return err
		}
		f.Severity, f.Agency, f.Year, f.Docs = SeverityFail, d.Agency, d.Year, []DocRef{d}
		a.Findings = append(a.Findings, f)
	}
	return rows.Err()
}

func (s *Store) analysisDocs(ctx context.Context) ([]analysisDoc, error) {
	// one document per report, its representative, under the report's
	// agency and year
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, coalesce(a.name, d.agency, ''), r.year, d.source, coalesce(d.title, ''), coalesce(r.agency_id, 0)
		FROM `+reportFrom+` WHERE r.year IS NOT NULL AND d.status <> 'not_report' ORDER BY r.year, d.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []analysisDoc
	for rows.Next() {
		var d analysisDoc
		var title string
		if err := rows.Scan(&d.ID, &d.Agency, &d.Year, &d.Source, &title, &d.agencyID); err != nil {
			return nil, err
		}
		name := d.Agency
		if name == "" {
			if m := titleAgency.FindStringSubmatch(title); m != nil {
				name = m[1]
			}
		}
		if d.key = NormalizeAgency(name); d.key != "" {
			out = append(out, d)
		}
	}
	return out, rows.Err()
}

// pairDocs pairs each document with the documents of the same agency one
// year earlier: the same agency (one normalised name), the same name
// compared as NormalizeAgency does, or, when there is none, a name that
// ends with the other (at least four characters: 洪泽区人民政府 and
// 淮安市洪泽区人民政府 when no region told they are one agency).
func pairDocs(docs []analysisDoc) []Pair {
	byYear := map[int][]analysisDoc{}
	for _, d := range docs {
		byYear[d.Year] = append(byYear[d.Year], d)
	}
	var pairs []Pair
	for _, d := range docs {
		var same, suffix []analysisDoc
		for _, p := range byYear[d.Year-1] {
			switch {
			case p.key == d.key || p.agencyID != 0 && p.agencyID == d.agencyID:
				same = append(same, p)
			case suffixOf(p.key, d.key) || suffixOf(d.key, p.key):
				suffix = append(suffix, p)
			}
		}
		how, prev := "same name", same
		if len(same) == 0 {
			how, prev = "suffix", suffix
		}
		for _, p := range prev {
			pairs = append(pairs, Pair{Key: d.key, Prev: p.DocRef, Next: d.DocRef, How: how})
		}
	}
	return pairs
}

func suffixOf(short, long string) bool {
	return utf8.RuneCountInString(short) >= 4 && strings.HasSuffix(long, short)
}

// values: doc → row → column → value (nil: not reported).
type values map[int64]map[string]map[string]*float64

// tableValues loads the cells of table tbl in the rows given, and in the
// columns given (all when cols is nil), with the corrections applied.
func (s *Store) tableValues(ctx context.Context, tbl string, rowKeys, cols []string) (values, error) {
	v := values{}
	if len(rowKeys) == 0 {
		return v, nil
	}
	q := `SELECT doc_id, row_key, col_key, value FROM cell_values WHERE tbl = ? AND row_key IN (` + marks(len(rowKeys)) + `)`
	args := append([]any{tbl}, strs(rowKeys)...)
	if cols != nil {
		q += ` AND col_key IN (` + marks(len(cols)) + `)`
		args = append(args, strs(cols)...)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r, c string
		var x *float64
		if err := rows.Scan(&id, &r, &c, &x); err != nil {
			return nil, err
		}
		if v[id] == nil {
			v[id] = map[string]map[string]*float64{}
		}
		if v[id][r] == nil {
			v[id][r] = map[string]*float64{}
		}
		v[id][r][c] = x
	}
	return v, rows.Err()
}

// marks is n SQL placeholders, comma-separated.
func marks(n int) string { return strings.TrimSuffix(strings.Repeat("?,", n), ",") }

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// sum adds the values of rows in column col; nil when none has one.
func sum(v map[string]map[string]*float64, rows []string, col string) *float64 {
	var t *float64
	for _, r := range rows {
		if x := v[r][col]; x != nil {
			if t == nil {
				t = new(float64)
			}
			*t += *x
		}
	}
	return t
}

func (tm *terms) continuity(p Pair, t3 values) []Finding {
	prev, next := t3[p.Prev.ID], t3[p.Next.ID]
	var out []Finding
	for _, c := range tm.t3Cols {
		f, o := sum(prev, tm.carriedForward, c), sum(next, tm.carriedOver, c)
		if f == nil || o == nil || *f == *o {
			continue
		}
		out = append(out, Finding{Rule: RuleContinuity, Severity: SeverityFail, Agency: p.Next.Agency, Year: p.Next.Year, Table: tableApplications, Scope: c,
			Left: f, Right: o, Docs: []DocRef{p.Prev, p.Next},
			Detail: fmt.Sprintf("%s %d = %s, %s %d = %s (paired by %s)", wordCarriedForward, p.Prev.Year, num(f), wordCarriedOver, p.Next.Year, num(o), p.How)})
	}
	return out
}

func (tm *terms) rollingFindings(p Pair, t2 values) []Finding {
	var out []Finding
	for _, row := range tm.rolling {
		prev, next := t2[p.Prev.ID][row], t2[p.Next.ID][row]
		was, issued, repealed, now := prev[tm.inForce], next[tm.issued], next[tm.repealed], next[tm.inForce]
		if was == nil || issued == nil || repealed == nil || now == nil {
			continue
		}
		want := *was + *issued - *repealed
		if want == *now {
			continue
		}
		out = append(out, Finding{Rule: RuleRolling, Severity: SeveritySoft, Agency: p.Next.Agency, Year: p.Next.Year, Table: tableRules, Scope: row,
			Left: &want, Right: now, Docs: []DocRef{p.Prev, p.Next},
			Detail: fmt.Sprintf("现行有效 %d = %s, + 制发 %s − 废止 %s = %s, but 现行有效 %d = %s (paired by %s)",
				p.Prev.Year, num(was), num(issued), num(repealed), num(&want), p.Next.Year, num(now), p.How)})
	}
	return out
}

func (s *Store) narratives(ctx context.Context) (map[int64]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT doc_id, text FROM sections WHERE number IN (1, 3) AND doc_id IN (SELECT DISTINCT doc_id FROM cells WHERE tbl = 't3') ORDER BY doc_id, rowid`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		out[id] += t + "\n"
	}
	return out, rows.Err()
}

// statement is a count the narrative states and the words of the table 三
// rows it is compared with (summed, in the total column): the rows whose
// canonical label or group prints one of the words.
type statement struct {
	re    *regexp.Regexp
	words []string
	what  string
}

const gap = `[的为共计合：:]{0,3}`

var statements = []statement{
	{regexp.MustCompile(`(?:新收|收到|受理|接收|接到)[^。；;，,\d]{0,14}?申请` + gap + `(\d[\d,]*)\s*件`), []string{"新收"}, "新收申请"},
	{regexp.MustCompile(`上年结转[^。；;，,\d]{0,12}?` + gap + `(\d[\d,]*)\s*件`), []string{wordCarriedOver}, "上年结转"},
	{regexp.MustCompile(`予以公开[及和与、]部分公开` + gap + `(\d[\d,]*)\s*件`), []string{"予以公开", "部分公开"}, "予以公开及部分公开"},
	{regexp.MustCompile(`予以公开` + gap + `(\d[\d,]*)\s*件`), []string{"予以公开"}, "予以公开"},
	{regexp.MustCompile(`部分公开` + gap + `(\d[\d,]*)\s*件`), []string{"部分公开"}, "部分公开"},
	{regexp.MustCompile(`不予公开` + gap + `(\d[\d,]*)\s*件`), []string{"不予公开"}, "不予公开"},
	{regexp.MustCompile(`无法提供` + gap + `(\d[\d,]*)\s*件`), []string{"无法提供"}, "无法提供"},
	{regexp.MustCompile(`不予处理` + gap + `(\d[\d,]*)\s*件`), []string{"不予处理"}, "不予处理"},
	{regexp.MustCompile(`结转下年度?(?:继续办理)?` + gap + `(\d[\d,]*)\s*件`), []string{wordCarriedForward}, "结转下年度"},
}

// narrative compares the counts stated in the text with table 三. A
// statement matches when any of the numbers stated for it equals the
// table's.
func (tm *terms) narrative(d DocRef, text string, t3 map[string]map[string]*float64) []Finding {
	text = strings.NewReplacer("\n", "", "\r", "").Replace(halfWidthDigits(text))
	var out []Finding
	for i, st := range statements {
		table := sum(t3, tm.stated[i], tm.total)
		if table == nil {
			continue
		}
		var ms [][]string
		for _, ix := range st.re.FindAllStringSubmatchIndex(text, -1) {
			// 部分公开 in 予以公开及部分公开N件 is the combined statement's.
			if r, _ := utf8.DecodeLastRuneInString(text[:ix[0]]); strings.ContainsRune("及和与、", r) {
				continue
			}
			ms = append(ms, []string{text[ix[0]:ix[1]], text[ix[2]:ix[3]]})
		}
		if len(ms) == 0 {
			continue
		}
		var stated []string
		match := false
		for _, m := range ms {
			n, err := strconv.ParseFloat(strings.ReplaceAll(m[1], ",", ""), 64)
			if err != nil {
				continue
			}
			match = match || n == *table
			stated = append(stated, m[0])
		}
		if match || len(stated) == 0 {
			continue
		}
		n, _ := strconv.ParseFloat(strings.ReplaceAll(ms[0][1], ",", ""), 64)
		out = append(out, Finding{Rule: RuleNarrative, Severity: SeveritySoft, Agency: d.Agency, Year: d.Year, Table: tableApplications, Scope: st.what,
			Left: &n, Right: table, Docs: []DocRef{d},
			Detail: fmt.Sprintf("text: %s; table 三 total: %s", strings.Join(stated, " / "), num(table))})
	}
	return out
}

func halfWidthDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '０' && r <= '９' {
			return r - '０' + '0'
		}
		return r
	}, s)
}

func num(v *float64) string {
	if v == nil {
		return "—"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// twinFindings compares the documents of each report that has several
// (an HTML page and its PDF, a republished copy, an excerpt): a value
// printed differently by two of them is a finding, with every document's
// value. Two sources of one report are a free cross-validation.
func (s *Store) twinFindings(ctx context.Context) ([]Finding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.report_id, c.tbl, c.row_key, c.col_key, c.value, d.id, coalesce(a.name, d.agency, ''), coalesce(r.year, 0), d.source, d.format
		FROM cell_values c JOIN documents d ON d.id = c.doc_id JOIN reports r ON r.id = d.report_id LEFT JOIN agencies a ON a.id = r.agency_id
		WHERE r.documents > 1 AND c.value IS NOT NULL AND c.tbl <> 'legacy'
		ORDER BY d.report_id, c.tbl, c.row_key, c.col_key, d.id = r.doc_id DESC, d.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type val struct {
		doc    DocRef
		format string
		v      float64
	}
	var out []Finding
	var cur []val
	var key [4]string
	flush := func() {
		differ := false
		for _, x := range cur[1:] {
			differ = differ || x.v != cur[0].v
		}
		if differ {
			f := Finding{Rule: RuleTwins, Severity: SeverityFail, Agency: cur[0].doc.Agency, Year: cur[0].doc.Year, Table: key[1], Scope: key[2] + "." + key[3]}
			var parts []string
			for i, x := range cur {
				v := x.v
				switch i {
				case 0:
					f.Left = &v
				case 1:
					f.Right = &v
				}
				f.Docs = append(f.Docs, x.doc)
				parts = append(parts, fmt.Sprintf("doc %d (%s) %s", x.doc.ID, x.format, num(&v)))
			}
			f.Detail = "the report's documents print " + strings.Join(parts, ", ") + " (representative first)"
			out = append(out, f)
		}
		cur = cur[:0]
	}
	for rows.Next() {
		var k [4]string
		var x val
		if err := rows.Scan(&k[0], &k[1], &k[2], &k[3], &x.v, &x.doc.ID, &x.doc.Agency, &x.doc.Year, &x.doc.Source, &x.format); err != nil {
			return nil, err
		}
		if k != key && len(cur) > 0 {
			flush()
		}
		key = k
		cur = append(cur, x)
	}
	if len(cur) > 0 {
		flush()
	}
	return out, rows.Err()
}
