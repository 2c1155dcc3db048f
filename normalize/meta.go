package normalize

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport"
)

var (
	titleYearRE = regexp.MustCompile(`((?:19|20)\d{2})\s*年度?`)
	periodRE    = regexp.MustCompile(`统计期限.{0,4}?((?:19|20)\d{2})\s*年\s*1\s*月\s*1\s*日`)
	dateRE      = regexp.MustCompile(`((?:19|20)\d{2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*日?`)
	agencyTrim  = regexp.MustCompile(`^(关于|[\s:：]+)|[\s:：（(]+$`)
)

// metadata reads the title, agency, report year and publication date from
// every place a report states them, each source a function, in this
// precedence:
//   - title: the page's or archiver's title (Meta ArticleTitle, title),
//     else the first heading line naming a report (with the agency line
//     above a title opening with its year);
//   - year: the title's, else the statistics period sentence's
//     (统计期限自2021年1月1日起…), never a publication date's;
//   - agency: the title's words before its year, else the line above the
//     title, else 发布机构 of the page or archiver header, else the
//     closing signature above the closing date; each must be a whole
//     agency name (agencyName), never a piece of a word or a label;
//   - published: the page's or archiver's date (Meta date), else a date
//     line near the top (时间：2024-03-08 15:34), else the closing date.
func (p *parser) metadata() {
	d := p.doc
	title := ""
	if t := clean(p.x.Meta["ArticleTitle"]); strings.Contains(t, "报告") || strings.Contains(t, "年报") {
		title = t
	} else if t := clean(p.x.Meta["title"]); strings.Contains(t, "报告") || strings.Contains(t, "年报") {
		title = t
	}
	lineTitle, agencyLine := "", ""
	for i := 0; i < len(p.lines) && i < titleLines; i++ { // page chrome can come first
		t := p.lines[i].flat
		if runesUpTo(t, titleMaxLen+1) > titleMaxLen {
			continue
		}
		if (strings.Contains(t, "年度报告") || strings.Contains(t, "年报") || strings.Contains(t, "工作报告")) && titleYearRE.MatchString(t) {
			lineTitle = t
			if loc := titleYearRE.FindStringIndex(t); loc[0] == 0 && i > 0 {
				prev := p.lines[i-1].flat
				if n := utf8.RuneCountInString(prev); n >= 2 && n <= agencyLineLen && !titleYearRE.MatchString(prev) {
					agencyLine = prev
					lineTitle = prev + t
				}
			}
			break
		}
	}
	if title == "" || (lineTitle != "" && !titleYearRE.MatchString(title)) {
		if lineTitle != "" {
			title = lineTitle
		}
	}
	// a Word or Excel file's own title property, when the text states none
	if t := clean(p.x.Meta["doc_title"]); title == "" && (strings.Contains(t, "报告") || strings.Contains(t, "年报")) {
		title = t
	}
	d.Title = title
	if m := titleYearRE.FindStringSubmatchIndex(title); m != nil {
		d.Year, _ = strconv.Atoi(title[m[2]:m[3]])
		d.Agency = agencyTrim.ReplaceAllString(strings.TrimSpace(title[:m[0]]), "")
	}
	if d.Year == 0 {
		for _, l := range p.lines {
			if !strings.Contains(l.flat, "统计期限") { // the regexp's literal
				continue
			}
			if m := periodRE.FindStringSubmatch(l.flat); m != nil {
				d.Year, _ = strconv.Atoi(m[1])
				p.tr.add(Event{Stage: StageMeta, Kind: EventMeta, Line: l.pos.Line, Detail: "year from the statistics period"})
				break
			}
		}
	}
	d.Agency = agencyName(d.Agency)
	if d.Agency == "" {
		d.Agency = agencyName(agencyLine)
	}
	if d.Agency == "" {
		d.Agency = agencyName(clean(p.x.Meta["发布机构"]))
	}
	if d.Agency == "" {
		d.Agency = agencyName(p.closingSignature())
	}
	if full := p.fullAgency(d.Agency); full != d.Agency {
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageMeta, Kind: EventMeta, Detail: fmt.Sprintf("agency %s printed in full as %s in the text", quote(d.Agency), quote(full))})
		}
		d.Agency = full
	}
	if tr := p.tr; tr.on() {
		tr.add(Event{Stage: StageMeta, Kind: EventMeta, Detail: fmt.Sprintf("title %s → agency %s, year %d", quote(d.Title), quote(d.Agency), d.Year)})
	}
	p.published()
}

// published reads the publication date, in this order: the page's own
// metadata (an HTML page's 发布日期), a date line under the title (时间：),
// the closing date printed at the end of the report, the file's modification then creation date (a PDF's
// ModDate and CreationDate, a Word or Excel file's core properties: when
// the file was made, so flagged as the file's; only a date in the year
// after the report's, when its year is known). PublishedFrom says which.
// The crawler adds the date beside the report's link on its listing when
// none of these is found.
func (p *parser) published() {
	d := p.doc
	if v := p.x.Meta["date"]; v != "" {
		d.Published, d.PublishedFrom = v, govreport.PublishedFromPage
		return
	}
	if v := p.dateLine(); v != "" {
		d.Published, d.PublishedFrom = v, govreport.PublishedFromText
		return
	}
	for i := len(p.lines) - 1; i >= 0 && i >= len(p.lines)-closingLines; i-- {
		t := p.lines[i].flat
		if m := dateRE.FindStringSubmatch(t); m != nil && utf8.RuneCountInString(t) <= closingMaxLen {
			mo, _ := strconv.Atoi(m[2])
			da, _ := strconv.Atoi(m[3])
			d.Published, d.PublishedFrom = fmt.Sprintf("%s-%02d-%02d", m[1], mo, da), govreport.PublishedFromText
			return
		}
	}
	for _, k := range []string{"modified", "created"} {
		v := p.x.Meta[k]
		if len(v) < 10 || !fileDateRE.MatchString(v[:10]) {
			continue
		}
		if y, _ := strconv.Atoi(v[:4]); d.Year != 0 && y != d.Year+1 {
			// a copy saved or printed later, or a draft: not when the
			// report on d.Year came out
			if tr := p.tr; tr.on() {
				tr.add(Event{Stage: StageMeta, Kind: EventMeta, Detail: fmt.Sprintf("the file's %s date %s is not in %d: not taken as the publication date", k, v[:10], d.Year+1)})
			}
			continue
		}
		d.Published, d.PublishedFrom = v[:10], govreport.PublishedFromFile
		if tr := p.tr; tr.on() {
			tr.add(Event{Stage: StageMeta, Kind: EventMeta, Detail: fmt.Sprintf("published %s: the file's %s date (the text states none)", d.Published, k)})
		}
		return
	}
}

var fileDateRE = regexp.MustCompile(`^(?:19|20)\d\d-\d\d-\d\d$`)

// fullAgency returns the agency's full administrative name when the title
// abbreviates it and the text spells it out: a title's 中牟商务局 is the
// text's 中牟县商务局 (one level character inserted).
func (p *parser) fullAgency(a string) string {
	r := []rune(a)
	if len(r) < 3 {
		return a
	}
	n := 0 // the first lines: a prefix of the text detectLayout joined
	for i, l := range p.lines {
		if i > agencyTextLines {
			break
		}
		n += len(l.flat)
	}
	text := p.full[:n]
	// a candidate occurs only where a level character follows a prefix of
	// a and precedes the rest: one pass finds those, only they are counted
	const levels = "省市县区旗镇乡"
	nl := utf8.RuneCountInString(levels)
	occurs := make([]bool, len(r)*nl)
	pre, suf := make([]string, len(r)), make([]string, len(r))
	for k := range r {
		pre[k], suf[k] = string(r[:k]), string(r[k:])
	}
	for i := 0; i+3 <= len(text); i++ {
		// the level characters are 3-byte runes led by E4-E9, never a
		// continuation byte: no decoding needed to find them
		if text[i] < 0xe4 || text[i] > 0xe9 {
			continue
		}
		li := levelIndex(text[i : i+3])
		if li < 0 {
			continue
		}
		rest := text[i+3:]
		for k := 1; k < len(r); k++ {
			if strings.HasSuffix(text[:i], pre[k]) && strings.HasPrefix(rest, suf[k]) {
				occurs[k*nl+li] = true
			}
		}
	}
	best, bestN := a, 0
	for k := 1; k < len(r); k++ {
		li := 0
		for _, lv := range levels {
			if occurs[k*nl+li] {
				cand := pre[k] + string(lv) + suf[k]
				if n := strings.Count(text, cand); n > bestN {
					best, bestN = cand, n
				}
			}
			li++
		}
	}
	return best
}

// levelIndex is the index of c in 省市县区旗镇乡, or -1.
func levelIndex(c string) int {
	switch c {
	case "省":
		return 0
	case "市":
		return 1
	case "县":
		return 2
	case "区":
		return 3
	case "旗":
		return 4
	case "镇":
		return 5
	case "乡":
		return 6
	}
	return -1
}

var (
	// agencySuffixes end a whole agency name (the longest is tried first
	// by the regexp's alternation order).
	agencyRE      = regexp.MustCompile(`^\p{Han}[\p{Han}()（）·]*?(?:人民政府办公厅|人民政府办公室|人民政府|街道办事处|办事处|委员会|管理委员会|管委会|办公厅|办公室|政府|局|厅|委|院|署|中心|实验区|新区|开发区|园区|区|县|市|州|盟|旗|镇|乡|街道|所|站|队|会|部|处|社|馆|行|司)$`)
	labelPrefixRE = regexp.MustCompile(`^(?:标题|发布机构|来源|信息来源|文章来源)\s*[:：]\s*`)
	dateLineRE    = regexp.MustCompile(`(?:发布时间|发布日期|成文日期|时间|日期)\s*[:：]\s*((?:19|20)\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})`)
)

// agencyName returns a as a whole agency name: label prefixes (标题:)
// dropped, spaces inside removed (上海市 人民政府办公厅), and "" unless it
// ends with an agency's suffix (…局, …委员会, …人民政府, …街道办事处) and
// is two characters at least: never a piece of a word (为) or page
// furniture (Page9-).
func agencyName(a string) string {
	a = labelPrefixRE.ReplaceAllString(strings.TrimSpace(a), "")
	a = compact(a)
	if utf8.RuneCountInString(a) < 2 || utf8.RuneCountInString(a) > agencyLineLen || !agencyRE.MatchString(a) {
		return ""
	}
	return a
}

// dateLine reads the publication date from a short line near the top that
// labels it (时间：2024-03-08 15:34, 发布日期：2024年3月8日).
func (p *parser) dateLine() string {
	for i := 0; i < len(p.lines) && i < titleLines; i++ {
		t := p.lines[i].flat
		if runesUpTo(t, titleMaxLen+1) > titleMaxLen {
			continue
		}
		if m := dateLineRE.FindStringSubmatch(t); m != nil {
			mo, _ := strconv.Atoi(m[2])
			da, _ := strconv.Atoi(m[3])
			if mo >= 1 && mo <= 12 && da >= 1 && da <= 31 {
				p.tr.add(Event{Stage: StageMeta, Kind: EventMeta, Line: p.lines[i].pos.Line, Detail: "published from a date line: " + quote(t)})
				return fmt.Sprintf("%s-%02d-%02d", m[1], mo, da)
			}
		}
	}
	return ""
}

// closingSignature is the short line above the closing date at the end of
// the report (淮安市人民政府办公室 / 2025年1月20日), or "".
func (p *parser) closingSignature() string {
	for i := len(p.lines) - 1; i > 0 && i >= len(p.lines)-closingLines; i-- {
		t := p.lines[i].flat
		if dateRE.MatchString(t) && utf8.RuneCountInString(t) <= closingMaxLen {
			prev := p.lines[i-1].flat
			if utf8.RuneCountInString(prev) <= agencyLineLen && !strings.ContainsAny(prev, "。，,") {
				return prev
			}
			return ""
		}
	}
	return ""
}
