package normalize

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport"
)

// Stage 0, recovery: text saved without its line structure (a web
// archiver's page text, the whole body on one line, headings glued to the
// words around them, table cells glued to each other and to the next row's
// label) gets its lines back before anything else reads it. A text line
// is recovered only when it is far longer than a paragraph and holds at
// least two section headings; it is cut
//   - around each section heading found inside it (an ordinal and 、
//     followed by words matching a section label, not a table's row or
//     row group numbered like one: 四、结转下年度继续办理),
//   - after each sentence (。),
//   - in what is left (tables), before each row: where a label follows
//     a number, or a number runs into the next row's ordinal; a legacy
//     statistics header (指标名称 计量单位 2015年度 历年累计) becomes a line of
//     its own cells, and a row's unit word (条, 件, 元) a cell between its
//     label and its numbers.
//
// Cut lines keep the line number they came from; a table row's words are
// its cells. Glued digits stay one token: the identities split them later.

// recoverLines returns the extracted lines with every line that needs it
// recovered; the lines themselves when none does.
func (p *parser) recoverLines(lines []govreport.Line) []govreport.Line {
	var out []govreport.Line
	for i, l := range lines {
		var cut []govreport.Line
		if l.Table == 0 {
			cut = p.recoverLine(l, i+1)
		}
		if cut == nil {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = append(make([]govreport.Line, 0, len(lines)+len(cut)), lines[:i]...)
		}
		out = append(out, cut...)
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageRecover, Kind: EventRecover, Line: i + 1,
				Detail: "a line of " + itoa(utf8.RuneCountInString(l.Text())) + " characters cut into " + itoa(len(cut)) + " lines"})
		}
	}
	if out == nil {
		p.tr.add(Event{Stage: StageRecover, Kind: EventRecover, Detail: "no line to recover: the text keeps its line structure"})
		return lines
	}
	return out
}

// recoverLine cuts one long line, or returns nil when it is not one to cut.
func (p *parser) recoverLine(l govreport.Line, lineNo int) []govreport.Line {
	var b strings.Builder
	for _, c := range l.Cells {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.Text)
	}
	text := clean(b.String())
	if runesUpTo(text, recoverMinLen+1) <= recoverMinLen {
		return nil
	}
	hs := p.inlineHeadings(text)
	if len(hs) < recoverMinHeadings {
		return nil
	}
	if cut := cutGluedFooters(text); cut != text {
		text = cut
		hs = p.inlineHeadings(text)
	}
	pos := govreport.Pos{Line: lineNo}
	if len(l.Cells) > 0 && l.Cells[0].Pos.Line > 0 {
		pos.Line = l.Cells[0].Pos.Line
	}
	var out []govreport.Line
	add := func(cells ...string) {
		var ln govreport.Line
		for _, c := range cells {
			if c = strings.TrimSpace(c); c != "" {
				ln.Cells = append(ln.Cells, govreport.TextCell{Text: c, Pos: govreport.Pos{Line: pos.Line, Col: len(ln.Cells) + 1}})
			}
		}
		if len(ln.Cells) > 0 {
			out = append(out, ln)
		}
	}
	at := 0
	for _, h := range hs {
		p.recoverBody(text[at:h[0]], add)
		add(text[h[0]:h[1]])
		at = h[1]
	}
	p.recoverBody(text[at:], add)
	return out
}

// inlineFooterRE is a page footer inside a line (-3-, — 4 —).
var inlineFooterRE = regexp.MustCompile(`[-—–－―]\s*(\d{1,3})\s*[-—–－―]`)

// cutGluedFooters sets apart a page footer run onto a row's digits
// (制作3000003-3-3.补正后…: the row's digits, the footer -3-, the next
// row's ordinal). Such a footer is taken as one only where the text
// prints the page before or after it in the same style (a run of page
// numbers), the digits before it are not a year (a date 2023-1-5), and
// what follows is an ordinal, a label or the end, not more digits.
func cutGluedFooters(text string) string {
	ms := inlineFooterRE.FindAllStringSubmatchIndex(text, -1)
	if len(ms) < 2 {
		return text
	}
	pages := map[string]int{}
	for _, m := range ms {
		pages[text[m[2]:m[3]]]++
	}
	var b strings.Builder
	at := 0
	for _, m := range ms {
		before, after := text[:m[0]], text[m[1]:]
		r, _ := utf8.DecodeLastRuneInString(before)
		if !isDigit(r) {
			continue
		}
		if run := before[digitRunStart(before, len(before)-1):]; len(run) == 4 && (run[:2] == "19" || run[:2] == "20") {
			continue
		}
		if next, _ := utf8.DecodeRuneInString(after); after != "" && isDigit(next) && !ordinalAt(after) {
			continue
		}
		k, _ := strconv.Atoi(text[m[2]:m[3]])
		if pages[strconv.Itoa(k-1)] == 0 && pages[strconv.Itoa(k+1)] == 0 {
			continue
		}
		b.WriteString(text[at:m[0]])
		b.WriteByte(' ')
		at = m[1]
	}
	if at == 0 {
		return text
	}
	b.WriteString(text[at:])
	return b.String()
}

// recoverBody cuts the text between two headings: sentences, then rows.
func (p *parser) recoverBody(s string, add func(...string)) {
	for s != "" {
		i := strings.Index(s, "。")
		if i < 0 {
			break
		}
		sentence := s[:i+len("。")]
		s = s[i+len("。"):]
		// a sentence that ends a table's last row's label (…情形。) is
		// rare; a sentence is narrative and stays one cell
		add(sentence)
	}
	if strings.TrimSpace(s) == "" {
		return
	}
	for _, row := range cutRows(s, p.set.legacy) {
		add(row...)
	}
}

// cutRows cuts a table's text into rows of cells: a legacy statistics
// header into its column words, each row before a label that follows a
// number or a number run into an ordinal, each row's words (and a unit
// word glued between its label and its digits) into cells.
func cutRows(s string, lay *legacyLayout) [][]string {
	var rows [][]string
	if hdr, rest, ok := lay.header(s); ok {
		if pre := strings.TrimSpace(s[:strings.Index(s, hdr[0])]); pre != "" {
			rows = append(rows, []string{pre})
		}
		rows = append(rows, hdr)
		s = rest
	}
	words := strings.Fields(s)
	var cur []string
	flush := func() {
		// a header printed before the row's label on the same line
		// (信息内容 本年制发件数 … 规章 0 0 0; 行政复议 … 总计 1 1 0 …): the
		// label words but the last are a line of their own
		lead := 0
		for lead < len(cur) && !isNumberWord(cur[lead]) {
			lead++
		}
		if lead >= 3 && lead < len(cur) {
			rows = append(rows, cur[:lead-1])
			cur = cur[lead-1:]
		}
		if len(cur) > 0 {
			rows = append(rows, cur)
			cur = nil
		}
	}
	for _, w := range words {
		if maybeFooter(w) && footerRE.MatchString(w) {
			continue // a page footer (-3-) the text ran through
		}
		for w != "" {
			head, tail := splitRowWord(w)
			for _, c := range unitCells(head) {
				// a label after a number, or an ordinal, starts a row
				if len(cur) > 0 && !isNumberWord(c) && (isNumberWord(cur[len(cur)-1]) || ordinalAt(c) || headingOrdinal(c)) {
					flush()
				}
				cur = append(cur, c)
			}
			w = tail
		}
	}
	flush()
	return rows
}

// splitRowWord cuts a word where a row's digits end and the next row's
// label starts: at a digit followed by an ordinal (…00002、网上…) or by
// a label's first character (…01其中:…), not where digits are a date or
// a year (2015年度) or a decimal. It returns the word itself when there
// is no cut.
func splitRowWord(w string) (head, tail string) {
	for i := 0; i+1 < len(w); i++ {
		if !isDigit(rune(w[i])) {
			continue
		}
		rest := w[i+1:]
		if ordinalAt(rest) {
			// an ordinal's digit is the last one before 、 or .: the
			// digits before it belong to the row before
			return w[:i+1], rest
		}
		r, _ := utf8.DecodeRuneInString(rest)
		if isDigit(r) || r == '.' || r == ',' || r == '%' || r == '-' || r == '+' || r == '、' {
			continue
		}
		if run := w[digitRunStart(w, i) : i+1]; r == '年' && len(run) == 4 && (run[:2] == "19" || run[:2] == "20") ||
			(r == '月' || r == '日' || r == '号') && len(run) <= 2 || r == '时' || r == '万' || unitAt(rest) {
			continue // a year, a date, an hour, a number in words (5万, 2949条)
		}
		if digitRunStart(w, i) > 0 && !numberBoundary(w, digitRunStart(w, i)) {
			continue // digits inside a label (三安全一稳定 has none; 12345热线)
		}
		return w[:i+1], rest
	}
	return w, ""
}

// digitRunStart is where the run of digits ending at i starts.
func digitRunStart(w string, i int) int {
	for i > 0 && isDigit(rune(w[i-1])) {
		i--
	}
	return i
}

// numberBoundary reports whether a digit run starting at i stands after a
// label's end: a unit word, a closing bracket or quotation mark
// (危及“三安全一稳定”5000005), or a Han character.
func numberBoundary(w string, i int) bool {
	r, _ := utf8.DecodeLastRuneInString(w[:i])
	return r >= 0x3000 || r == ')' || r == ':' || r == ' ' || r == '”' || r == '’' || r == '"'
}

// unitCells cuts a legacy row's unit word glued between its label and its
// digits (主动公开文件数条294981916) into a cell of its own.
func unitCells(w string) []string {
	lab, num := w, ""
	for i := 0; i < len(w); i++ {
		if isDigit(rune(w[i])) && digitsOnly(w[i:]) {
			lab, num = w[:i], w[i:]
			break
		}
	}
	if lab == "" || num == "" || !labelEnd(lastRune(lab)) {
		return []string{w}
	}
	if u := gluedUnit(lab); u != "" {
		return []string{lab[:len(lab)-len(u)], u, num}
	}
	return []string{lab, num}
}

// labelEnd reports whether r can end a label: not a digit or a number's
// punctuation (5949.088667 is one number).
func labelEnd(r rune) bool {
	return !isDigit(r) && !strings.ContainsRune(".,-+%", r)
}

// isNumberWord reports whether a word is a printed value.
func isNumberWord(w string) bool {
	_, ok := ParseValue(w)
	return ok || digitsOnly(w)
}

// inlineHeadings finds the section headings inside a line: the byte
// ranges [start, end) of each, in order. A heading is a Chinese ordinal
// and 、 (not after another ordinal, 第 or a bracket) followed within
// headingMaxLen runes by words a section label matches best where they
// end; a table's row or row group numbered like a heading is none.
func (p *parser) inlineHeadings(s string) [][2]int {
	var out [][2]int
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if cnDigit(r) == 0 || i > 0 && (cnDigit(lastRune(s[:i])) > 0 || strings.ContainsRune("第(（", lastRune(s[:i]))) {
			i += size
			continue
		}
		j := i + size
		if r2, n2 := utf8.DecodeRuneInString(s[j:]); cnDigit(r2) > 0 {
			j += n2
		}
		rest, ok := strings.CutPrefix(s[j:], "、")
		if !ok {
			i += size
			continue
		}
		ord := s[i:j]
		rest = strings.TrimLeft(rest, " ")
		body := len(s) - len(rest)
		end, score := p.headingEnd(rest)
		if score < headingScore || p.isRowLabel(ord+"、"+rest[:end]) {
			i += size
			continue
		}
		out = append(out, [2]int{i, body + end})
		i = body + end
	}
	// an unnumbered attachment heading: 附件1:…政府信息公开情况统计表
	for _, m := range p.set.legacy.annexRE.FindAllStringIndex(s, -1) {
		inside := false
		for _, h := range out {
			inside = inside || m[0] < h[1] && h[0] < m[1]
		}
		if !inside {
			out = append(out, [2]int{m[0], m[1]})
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a][0] < out[b][0] })
	return out
}

// headingEnd finds where a heading's words end in rest: the prefix (of at
// most headingMaxLen runes) a section label matches best, the shortest of
// the best. It returns its length in bytes and the score.
func (p *parser) headingEnd(rest string) (int, float64) {
	best, bestScore := 0, 0.0
	n := 0
	for k := 0; k < len(rest) && n < headingMaxLen; {
		_, size := utf8.DecodeRuneInString(rest[k:])
		k += size
		n++
		if rest[k-size] == ' ' {
			continue
		}
		if n < 2 {
			continue
		}
		_, score := p.set.matchSection(rest[:k], true)
		if score > bestScore {
			best, bestScore = k, score
		}
	}
	return best, bestScore
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	return string(b[i:])
}

// header finds a legacy statistics header in s: its cells (指标名称,
// 计量单位, then the value columns) and the text after it.
func (lay *legacyLayout) header(s string) (cells []string, rest string, ok bool) {
	m := lay.headerRE.FindStringSubmatchIndex(s)
	if m == nil {
		return nil, s, false
	}
	if m[2] >= 0 {
		cells = append(cells, s[m[2]:m[3]])
	}
	cells = append(cells, s[m[4]:m[5]])
	cells = append(cells, lay.colRE.FindAllString(s[m[6]:m[7]], -1)...)
	return cells, s[m[1]:], true
}
