package normalize

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"govreport"
)

// tok is one piece of a line: label text or a value.
type tok struct {
	label   string // label text (empty for values)
	val     Value
	isVal   bool
	glued   bool // a digit run that may be several cells run together
	spanned bool // context repeated from a spanned cell
	pos     govreport.Pos
}

// ln is a line prepared for the normalizer.
type ln struct {
	n     int    // index in the document's lines
	text  string // cells joined by a space, cleaned
	flat  string // text without spaces: compact(text), compactSpaces(text)
	toks  []tok
	table int
	pos   govreport.Pos
	used  bool // consumed by a table
}

var (
	footerRE          = regexp.MustCompile(`^(?:[-—–－―]+\s*\d{1,3}\s*[-—–－―]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$`)
	gluedHead         = regexp.MustCompile(`^(\d+?)([1-9])[.、](\D.*)$`)
	digitsOnly        = regexp.MustCompile(`^[+-]?\d[\d+-]*$`)
	ordinalAfterDigit = regexp.MustCompile(`\d(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]、|\d[.、][^\d.、])`)
	gluedTail         = regexp.MustCompile(`^(.*[\p{Han}）)”"])(\d[\d+-]*(?:\.\d+)?)$`)
)

// prepare turns extracted lines into tokenized lines, dropping page footers
// and empty lines. blankBefore records blank lines for paragraph breaks.
func prepare(x *govreport.Extracted) []ln {
	out := make([]ln, 0, len(x.Lines))
	for i, l := range x.Lines {
		var parts []string
		for _, c := range l.Cells {
			if c.Spanned {
				continue
			}
			if t := clean(c.Text); t != "" {
				parts = append(parts, t)
			}
		}
		text := strings.Join(parts, " ")
		if text == "" && l.Table == 0 {
			continue
		}
		if footerRE.MatchString(text) && l.Table == 0 && len(l.Cells) <= 1 {
			continue
		}
		pos := govreport.Pos{Line: i + 1}
		if len(l.Cells) > 0 {
			pos = l.Cells[0].Pos
			if pos.Line == 0 {
				pos.Line = i + 1
			}
		}
		out = append(out, ln{n: i, text: text, flat: compact(text), toks: tokenize(l, i+1), table: l.Table, pos: pos})
	}
	return out
}

// tokenize splits a line into label and value tokens. In a text line a cell
// may hold a label followed by numbers separated by spaces; in a table row
// (from HTML or PDF) an empty cell after the label is a value not reported.
func tokenize(l govreport.Line, lineNo int) []tok {
	out := make([]tok, 0, len(l.Cells))
	seenLabel, seenVal := false, false
	var blanks []tok // empty cells after a value: not reported if a value follows
	for ci, c := range l.Cells {
		pos := c.Pos
		if pos.Line == 0 {
			pos.Line = lineNo
		}
		if l.Table > 0 && pos.Col == 0 {
			pos.Col = ci + 1
		}
		t := clean(c.Text)
		if c.Spanned {
			if t != "" {
				if _, isv := ParseValue(t); !isv {
					out = append(out, tok{label: t, spanned: true, pos: pos})
				}
			}
			continue
		}
		if t == "" {
			switch {
			case l.Table > 0 && (seenLabel || seenVal):
				out = append(out, tok{isVal: true, val: Value{Raw: c.Text}, pos: pos})
			case seenVal:
				blanks = append(blanks, tok{isVal: true, val: Value{Raw: c.Text}, pos: pos})
			}
			continue
		}
		if l.Table == 0 && strings.Contains(t, "。") && utf8.RuneCountInString(t) > 40 {
			out = append(out, tok{label: t, pos: pos}) // a sentence: no cells in it
			seenLabel = true
			blanks = nil
			continue
		}
		v, isVal := ParseValue(t)
		if isVal || digitsOnly.MatchString(t) {
			out = append(out, blanks...)
			seenVal = true
		}
		blanks = nil
		if isVal {
			out = append(out, tok{isVal: true, val: v, pos: pos, glued: v.Num != nil && v.Integer && !v.Signed && len(t) >= 2 && digitsOnly.MatchString(t)})
			continue
		}
		if digitsOnly.MatchString(t) {
			// digits glued by a sign: 2648-18538
			out = append(out, tok{isVal: true, val: Value{Raw: t}, glued: true, pos: pos})
			continue
		}
		for _, seg := range cutAtOrdinals(t) {
			out = append(out, splitCell(seg, pos)...)
		}
		seenLabel = true
	}
	return out
}

// splitCell splits a text cell into a label and trailing (or leading glued) values.
func splitCell(t string, pos govreport.Pos) []tok {
	words := strings.Fields(t)
	if len(words) == 0 {
		return nil
	}
	var head []tok
	// a previous row's digits glued to this row's ordinal: 3700000372.没有…
	if m := gluedHeadOf(words[0]); m != nil {
		head = append(head, tok{isVal: true, val: Value{Raw: m[1]}, glued: true, pos: pos})
		if v, ok := ParseValue(m[1]); ok {
			head[0].val = v
		}
		words[0] = m[2] + "." + m[3]
	}
	// a label with its row's digits run onto it: …申请数量713000074
	if w := words[len(words)-1]; isDigit(rune(w[len(w)-1])) {
		if m := gluedTail.FindStringSubmatch(w); m != nil {
			words[len(words)-1] = m[1]
			words = append(words, m[2])
		}
	}
	end := len(words)
	var tail []tok
	for end > 0 {
		w := words[end-1]
		v, ok := ParseValue(w)
		if !ok || (v.Num == nil && w == "") {
			break
		}
		tail = append([]tok{{isVal: true, val: v, pos: pos, glued: v.Num != nil && v.Integer && !v.Signed && len(w) >= 2}}, tail...)
		end--
	}
	out := head
	if label := strings.Join(words[:end], " "); label != "" {
		out = append(out, tok{label: label, pos: pos})
	}
	return append(out, tail...)
}

// labelText joins a line's label tokens (spanned context included).
func (l *ln) labelText(withSpanned bool) string {
	var b strings.Builder
	for _, t := range l.toks {
		if !t.isVal && (withSpanned || !t.spanned) {
			b.WriteString(t.label)
		}
	}
	return b.String()
}

// hasValues reports whether the line holds a value: len(l.values()) > 0.
func (l *ln) hasValues() bool {
	for i := range l.toks {
		if l.toks[i].isVal {
			return true
		}
	}
	return false
}

func (l *ln) values() []tok {
	var v []tok
	for _, t := range l.toks {
		if t.isVal {
			v = append(v, t)
		}
	}
	return v
}

// cutAtOrdinals cuts text where a row's digits run into the next row's
// ordinal (…予以公开220000022（二）部分公开…, …国家秘密00000002.其他…),
// so that each piece is one row's label and numbers.
func cutAtOrdinals(t string) []string {
	var out []string
	for {
		loc := ordinalAfterDigit.FindStringIndex(t)
		if loc == nil || loc[0] == 0 {
			return append(out, t)
		}
		out = append(out, t[:loc[0]+1])
		t = t[loc[0]+1:]
	}
}

// gluedHeadOf matches a previous row's digits glued to this row's ordinal.
func gluedHeadOf(w string) []string {
	if !isDigit(rune(w[0])) {
		return nil
	}
	return gluedHead.FindStringSubmatch(w)
}
