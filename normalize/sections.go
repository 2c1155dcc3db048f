package normalize

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"

	"govreport"
)

var (
	headingRE = regexp.MustCompile(`^([一二三四五六七八九十]{1,2})\s*[、.,，．:：]?\s*(.*)$`)
	annexRE   = regexp.MustCompile(`^附件\s*\d*\s*[:：]?\s*(.{2,40})$`)
)

// heading is a section heading found in the lines.
type heading struct {
	at      int // index into lines
	number  int // canonical number (1–6), or the printed one for legacy
	printed int // the printed ordinal
	key     string
	text    string // heading as printed, ordinal removed
	span    int    // lines the heading occupies (a vertical heading spans several)
	score   float64
}

// matchSection finds the section whose label best matches text.
func (set *TemplateSet) matchSection(text string, legacy bool) (govreport.SectionTemplate, float64) {
	c := core(text)
	var best govreport.SectionTemplate
	bestScore := 0.0
	if c == "" {
		return best, 0
	}
	rc := []rune(c)
	sig := runeSig(c)
	for si, s := range set.sections {
		if s.Legacy && !legacy {
			continue
		}
		for li := range s.Labels {
			lc, ls, lsig := set.secCores[si][li], set.secCoreS[si][li], set.secSigs[si][li]
			var score float64
			switch {
			case c == ls:
				score = 1
			case lsig&^sig == 0 && strings.Contains(c, ls):
				score = containedScale * float64(len(lc)) / float64(max(len(rc), len(lc)))
				if score < containedFloor && len(lc) >= containedFloorLen {
					score = containedFloor
				}
			case float64(min(len(rc), sigCount(lc, sig)))/float64(max(len(rc), len(lc))) <= bestScore:
				continue // the lcs cannot do better than the best so far
			default:
				n := lcs(rc, lc)
				score = float64(n) / float64(max(len(rc), len(lc)))
			}
			if score > bestScore {
				best, bestScore = s, score
			}
		}
	}
	return best, bestScore
}

// findHeadings locates section headings. A heading is a short line opening
// with a Chinese ordinal (一、) whose text matches a section label; a bare
// ordinal followed by a vertical label is joined first. Lines that match a
// table row label (四、结转下年度继续办理, 三、本年度办理结果) are not headings.
func findHeadings(set *TemplateSet, lines []ln, rowLabel func(string) bool, legacy bool) []heading {
	var hs []heading
	for i := 0; i < len(lines); i++ {
		if lines[i].table > 0 && lines[i].hasValues() {
			continue
		}
		t := lines[i].flat
		var m []string
		if cnDigit(firstRune(t)) > 0 { // the regexp opens with one
			m = headingRE.FindStringSubmatch(t)
		}
		if m == nil {
			// an unnumbered attachment heading: 附件1：…政府信息公开情况统计表
			if !legacy || !strings.HasPrefix(t, "附件") {
				continue
			}
			if a := annexRE.FindStringSubmatch(t); a != nil {
				if s, score := set.matchSection(a[1], legacy); score >= headingScore || strings.HasSuffix(a[1], set.legacy.Annex) {
					if score < headingScore {
						s = govreport.SectionTemplate{Key: "statistics"}
					}
					hs = append(hs, heading{at: i, number: len(hs) + 1, key: s.Key, text: t, span: 1})
				}
			}
			continue
		}
		printed := cnNumber(m[1])
		if printed == 0 {
			continue
		}
		rest := m[2]
		if strings.HasPrefix(rest, "是") || strings.HasPrefix(rest, "要") || strings.HasPrefix(rest, "般") || strings.HasPrefix(rest, "年") {
			continue // 一是…, 一要…, 一般…
		}
		span := 1
		if rowLabel != nil && rowLabel(m[1]+"、"+rest) {
			continue
		}
		s, score := set.matchSection(rest, legacy)
		if score < headingScore && utf8.RuneCountInString(rest) < bareHeadingLen {
			// a bare or truncated ordinal: 三、 / 本年度办 / 理结果
			joined := rest
			for j := i + 1; utf8.RuneCountInString(joined) < joinedHeadingLen && j < len(lines) && j <= i+verticalLines; j++ {
				nt := lines[j].flat
				if nt == "" || utf8.RuneCountInString(nt) > verticalPartLen || lines[j].hasValues() {
					break
				}
				joined += nt
				span++
			}
			if rowLabel != nil && rowLabel(m[1]+"、"+joined) {
				i += span - 1
				continue
			}
			rest = joined
			s, score = set.matchSection(rest, legacy)
		}
		if score < headingScore || utf8.RuneCountInString(rest) > headingMaxLen || strings.HasSuffix(rest, "。") {
			continue
		}
		num := s.Number
		if legacy || num == 0 {
			num = printed
		}
		hs = append(hs, heading{at: i, number: num, printed: printed, key: s.Key, text: rest, span: span, score: score})
		i += span - 1
	}
	return dedupeHeadings(hs, legacy)
}

// dedupeHeadings keeps one heading per section. Narrative sub-headings can
// repeat a section's words (一、主动公开情况 inside 总体情况): of the lines naming
// the same section, the one whose printed ordinal is the section's number
// wins, then the closer match, then the later line; headings out of order
// after that are dropped.
func dedupeHeadings(hs []heading, legacy bool) []heading {
	if legacy {
		return hs
	}
	best := map[string]heading{}
	better := func(a, b heading) bool {
		if (a.printed == a.number) != (b.printed == b.number) {
			return a.printed == a.number
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.at > b.at
	}
	for _, h := range hs {
		if cur, ok := best[h.key]; !ok || better(h, cur) {
			best[h.key] = h
		}
	}
	var out []heading
	for _, h := range hs {
		if best[h.key].at != h.at {
			continue
		}
		if len(out) > 0 && h.number <= out[len(out)-1].number {
			continue
		}
		out = append(out, h)
	}
	return out
}

// isHeadingNumber reports whether t opens with a heading's Chinese ordinal.
func isHeadingNumber(t string) bool {
	if cnDigit(firstRune(t)) == 0 {
		return false
	}
	m := headingRE.FindStringSubmatch(t)
	return m != nil && cnNumber(m[1]) > 0
}

// headingOrdinal reports whether a label opens with a section heading's
// ordinal and 、 (三、本年度办理结果).
func headingOrdinal(label string) bool {
	s := compact(clean(label))
	i := 0
	for _, r := range s {
		if cnDigit(r) == 0 {
			break
		}
		i += utf8.RuneLen(r)
	}
	return i > 0 && strings.HasPrefix(s[i:], "、")
}

// sections builds the document's sections from the headings, adding the
// ones whose heading is missing but whose table was found.
func (p *parser) sections() {
	type bound struct {
		at int
		h  heading
	}
	var bs []bound
	have := map[string]bool{}
	for _, h := range p.hs {
		bs = append(bs, bound{h.at, h})
		have[h.key] = true
	}
	if !p.legacy {
		add := func(key string, num int, td *tableData) {
			if have[key] || td == nil || len(td.rows) == 0 {
				return
			}
			at := td.start
			if at < 0 {
				at = td.rows[0].pos.Line - 1
				for i, l := range p.lines {
					if l.pos.Line >= td.rows[0].pos.Line {
						at = i
						break
					}
				}
			}
			bs = append(bs, bound{at, heading{at: at, number: num, key: key, span: 0}})
			if tr := p.tr; tr.on() {
				tr.add(Event{Stage: StageSections, Kind: EventNoHead, Line: p.lines[at].pos.Line,
					Detail: fmt.Sprintf("section %d %s: heading missing; placed where its table starts (line %d)", num, key, p.lines[at].pos.Line)})
			}
			have[key] = true
		}
		for _, td := range p.tables {
			add(td.tb.Section, p.set.sectionNumber(td.tb.Section), td)
		}
	}
	sort.SliceStable(bs, func(i, j int) bool { return bs[i].at < bs[j].at })
	for k, b := range bs {
		end := len(p.lines)
		if k+1 < len(bs) {
			end = bs[k+1].at
		}
		var text strings.Builder
		prev := ""
		for i := b.at + b.h.span; i < end; i++ {
			if p.lines[i].used || (p.lines[i].table > 0 && p.lines[i].hasValues()) {
				continue
			}
			t := p.lines[i].text
			switch {
			case prev == "":
			case wrapped(prev, t):
				if isASCIIWord(lastRune(prev)) && isASCIIWord(firstRune(t)) {
					text.WriteByte(' ')
				}
			default:
				text.WriteByte('\n')
			}
			text.WriteString(t)
			prev = t
		}
		s := govreport.Section{Number: b.h.number, Key: b.h.key, Heading: b.h.text, Text: text.String(), Missing: b.h.span == 0}
		if b.at < len(p.lines) {
			s.Line = p.lines[b.at].pos.Line
		}
		p.doc.Sections = append(p.doc.Sections, s)
	}
	if !p.legacy {
		for _, st := range p.set.sections {
			if st.Number >= 1 && st.Number <= 6 && !have[st.Key] {
				p.doc.Warnings = append(p.doc.Warnings, fmt.Sprintf("section %d (%s) not found", st.Number, st.Labels[0]))
			}
		}
	}
}

// wrapped reports whether line next continues line prev: a long line that
// does not end a sentence was wrapped by the page, not ended by its author
// (PDF text, and text copied from PDFs, breaks lines mid-sentence).
func wrapped(prev, next string) bool {
	if runesUpTo(prev, wrapMinLen) < wrapMinLen || next == "" {
		return false
	}
	if strings.ContainsRune("。！？；：:;!?）)”》", lastRune(prev)) {
		return false
	}
	if strings.ContainsAny(next[:min(len(next), wrapOrdinalBytes)], "、.．") && isHeadingNumber(compact(next)) {
		return false // the next line opens a numbered item
	}
	return !strings.HasPrefix(next, "(") && !strings.HasPrefix(next, "（")
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

func isASCIIWord(r rune) bool {
	return r < 0x80 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9')
}
