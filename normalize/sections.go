package normalize

import (
	"regexp"
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
				score = 0.95 * float64(len(lc)) / float64(max(len(rc), len(lc)))
				if score < 0.8 && len(lc) >= 6 {
					score = 0.8
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
				if s, score := set.matchSection(a[1], legacy); score >= 0.75 || strings.HasSuffix(a[1], "统计表") {
					if score < 0.75 {
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
		if score < 0.75 && utf8.RuneCountInString(rest) < 8 {
			// a bare or truncated ordinal: 三、 / 本年度办 / 理结果
			joined := rest
			for j := i + 1; utf8.RuneCountInString(joined) < 12 && j < len(lines) && j <= i+6; j++ {
				nt := lines[j].flat
				if nt == "" || utf8.RuneCountInString(nt) > 4 || lines[j].hasValues() {
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
		if score < 0.75 || utf8.RuneCountInString(rest) > 40 || strings.HasSuffix(rest, "。") {
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
