package normalize

import (
	"regexp"
	"slices"
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
	ocr     *govreport.OCRReading // read by OCR
	unsure  bool                  // an OCR reading below ocrMinConfidence: Num is nil, Raw the reading
	decided bool                  // an unsure reading the identities confirmed (decideOCR)
}

// ln is a line prepared for the normalizer.
type ln struct {
	n     int    // index in the document's lines
	text  string // cells joined by a space, cleaned
	flat  string // text without spaces: compact(text)
	toks  []tok
	table int
	pos   govreport.Pos
	used  bool // consumed by a table
}

var (
	footerRE  = regexp.MustCompile(`^(?:[-—–－―]+\s*\d{1,3}\s*[-—–－―]+|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d{1,3}\s*/\s*\d{1,3})$`)
	gluedHead = regexp.MustCompile(`^(\d+?)([1-9])[.、](\D.*)$`)
	gluedTail = regexp.MustCompile(`^(.*[\p{Han}）)”"])(\d[\d+-]*(?:\.\d+)?)$`)
)

// prepare turns extracted lines into tokenized lines, dropping page footers
// and empty lines. blankBefore records blank lines for paragraph breaks.
func prepare(x *govreport.Extracted) []ln {
	out := make([]ln, 0, len(x.Lines))
	var cleaned, parts []string // per line, reused
	for i, l := range x.Lines {
		cleaned, parts = cleaned[:0], parts[:0]
		for _, c := range l.Cells {
			t := clean(c.Text)
			cleaned = append(cleaned, t)
			if !c.Spanned && t != "" {
				parts = append(parts, t)
			}
		}
		text := strings.Join(parts, " ")
		if text == "" && l.Table == 0 {
			continue
		}
		if l.Table == 0 && len(parts) <= 1 && maybeFooter(text) && footerRE.MatchString(text) {
			continue
		}
		pos := govreport.Pos{Line: i + 1}
		if len(l.Cells) > 0 {
			pos = l.Cells[0].Pos
			if pos.Line == 0 {
				pos.Line = i + 1
			}
		}
		out = append(out, ln{n: i, text: text, flat: compact(text), toks: tokenize(l, cleaned, i+1), table: l.Table, pos: pos})
	}
	return out
}

// maybeFooter reports whether text opens as footerRE needs: a dash, a digit
// or 第.
func maybeFooter(text string) bool {
	r, _ := utf8.DecodeRuneInString(text)
	return isDigit(r) || strings.ContainsRune("-—–－―第", r)
}

// tokenize splits a line into label and value tokens. In a text line a cell
// may hold a label followed by numbers separated by spaces; in a table row
// (from HTML or PDF) an empty cell after the label is a value not reported.
// cleaned holds clean(c.Text) of each cell.
func tokenize(l govreport.Line, cleaned []string, lineNo int) []tok {
	out := make([]tok, 0, len(l.Cells))
	seenLabel, seenVal := false, false
	var blanks []tok               // empty cells after a value: not reported if a value follows
	var read *govreport.OCRReading // the OCR reading of the cells from out[from:]
	from := 0
	for ci, c := range l.Cells {
		markOCR(out[from:], read)
		read, from = c.OCR, len(out)
		pos := c.Pos
		if pos.Line == 0 {
			pos.Line = lineNo
		}
		if l.Table > 0 && pos.Col == 0 {
			pos.Col = ci + 1
		}
		t := cleaned[ci]
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
		if l.Table == 0 && strings.Contains(t, "。") && runesUpTo(t, sentenceCell+1) > sentenceCell {
			out = append(out, tok{label: t, pos: pos}) // a sentence: no cells in it
			seenLabel = true
			blanks = nil
			continue
		}
		v, isVal := ParseValue(t)
		if isVal || digitsOnly(t) {
			out = append(out, blanks...)
			seenVal = true
		}
		blanks = nil
		// a cell printed apart (a ruled PDF cell) holds whole numbers:
		// none is digits of several cells run together
		if isVal {
			out = append(out, tok{isVal: true, val: v, pos: pos, glued: !c.Apart && v.Num != nil && v.Integer && !v.Signed && len(t) >= 2 && digitsOnly(t)})
			continue
		}
		if digitsOnly(t) {
			// digits glued by a sign: 2648-18538
			out = append(out, tok{isVal: true, val: Value{Raw: t}, glued: !c.Apart, pos: pos})
			continue
		}
		if c.Apart {
			out = splitCell(out, t, pos, true)
			seenLabel = true
			continue
		}
		// cut where a row's digits run into the next row's ordinal
		// (…予以公开220000022（二）部分公开…, …国家秘密00000002.其他…),
		// so that each piece is one row's label and numbers
		for seg := t; ; {
			at := ordinalAfterDigit(seg)
			if at <= 0 {
				out = splitCell(out, seg, pos, false)
				break
			}
			out = splitCell(out, seg[:at+1], pos, false)
			seg = seg[at+1:]
		}
		seenLabel = true
	}
	markOCR(out[from:], read)
	return out
}

// markOCR marks the values read from an OCR cell; a reading below
// ocrMinConfidence is unsure: its value is withheld.
func markOCR(ts []tok, r *govreport.OCRReading) {
	if r == nil {
		return
	}
	for i := range ts {
		if !ts[i].isVal {
			continue
		}
		ts[i].ocr = r
		if r.Confidence < ocrMinConfidence {
			ts[i].unsure, ts[i].val.Num, ts[i].glued = true, nil, false
		}
	}
}

// splitCell splits a text cell into a label and trailing (or leading glued)
// values, appended to out. In a cell printed apart no digits are glued.
func splitCell(out []tok, t string, pos govreport.Pos, apart bool) []tok {
	var wbuf [16]string
	words := fields(wbuf[:0], t)
	if len(words) == 0 {
		return out
	}
	var head []tok
	// a previous row's digits glued to this row's ordinal: 3700000372.没有…
	if m := gluedHeadOf(words[0]); m != nil && !apart {
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
	var tbuf [16]tok
	tail := tbuf[:0] // last value first
	for end > 0 {
		w := words[end-1]
		v, ok := ParseValue(w)
		if !ok || (v.Num == nil && w == "") {
			break
		}
		tail = append(tail, tok{isVal: true, val: v, pos: pos, glued: !apart && v.Num != nil && v.Integer && !v.Signed && len(w) >= 2})
		end--
	}
	out = slices.Grow(out, len(head)+1+len(tail))
	out = append(out, head...)
	if label := strings.Join(words[:end], " "); label != "" {
		out = append(out, tok{label: label, pos: pos})
	}
	for i := len(tail) - 1; i >= 0; i-- {
		out = append(out, tail[i])
	}
	return out
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

// ordinalAfterDigit is where the regexp
//
//	\d(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]、|\d[.、][^\d.、])
//
// first matches in t (a digit, then an ordinal), or -1.
func ordinalAfterDigit(t string) int {
	for i := 0; i+1 < len(t); i++ {
		if isDigit(rune(t[i])) && ordinalAt(t[i+1:]) {
			return i
		}
	}
	return -1
}

// ordinalAt reports whether s opens with （一）, (十二), 三、 or 1. followed
// by anything but a digit, '.' or '、'.
func ordinalAt(s string) bool {
	if rest, ok := cutBracket(s, "(", "（"); ok {
		for n := 0; n < 2; n++ {
			r, size := utf8.DecodeRuneInString(rest)
			if cnDigit(r) == 0 {
				break
			}
			rest = rest[size:]
			if _, ok := cutBracket(rest, ")", "）"); ok {
				return true
			}
		}
	}
	if r, size := utf8.DecodeRuneInString(s); cnDigit(r) > 0 && strings.HasPrefix(s[size:], "、") {
		return true
	}
	if s == "" || !isDigit(rune(s[0])) {
		return false
	}
	rest, ok := cutBracket(s[1:], ".", "、")
	if !ok || rest == "" {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest)
	return !isDigit(r) && r != '.' && r != '、'
}

// cutBracket cuts a or b off the start of s.
func cutBracket(s, a, b string) (string, bool) {
	if rest, ok := strings.CutPrefix(s, a); ok {
		return rest, true
	}
	return strings.CutPrefix(s, b)
}

// digitsOnly matches ^[+-]?\d[\d+-]*$: digits, maybe glued by signs.
func digitsOnly(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i >= len(s) || !isDigit(rune(s[i])) {
		return false
	}
	for i++; i < len(s); i++ {
		if c := s[i]; !isDigit(rune(c)) && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

// gluedHeadOf matches a previous row's digits glued to this row's ordinal.
func gluedHeadOf(w string) []string {
	if !isDigit(rune(w[0])) {
		return nil
	}
	return gluedHead.FindStringSubmatch(w)
}
