package docx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// Automatic numbering: Word prints a numbered paragraph's label (一、 （二）
// 3.) from numbering.xml, not from the text; headings and table labels
// often carry theirs that way, so the label is rendered into the text.

// val is an element whose w:val attribute is all that is read.
type val struct {
	Val string `xml:"val,attr"`
}

// numPr is a paragraph's (or a style's) list membership.
type numPr struct {
	Ilvl  *val `xml:"ilvl"`
	NumID *val `xml:"numId"`
}

type level struct {
	Ilvl    int  `xml:"ilvl,attr"`
	Start   *val `xml:"start"`
	NumFmt  *val `xml:"numFmt"`
	LvlText *val `xml:"lvlText"`
	Suff    *val `xml:"suff"`
	IsLgl   *val `xml:"isLgl"`
}

type numberingXML struct {
	Abstract []struct {
		ID  string  `xml:"abstractNumId,attr"`
		Lvl []level `xml:"lvl"`
	} `xml:"abstractNum"`
	Num []struct {
		ID       string `xml:"numId,attr"`
		Abstract val    `xml:"abstractNumId"`
		Override []struct {
			Ilvl  int    `xml:"ilvl,attr"`
			Start *val   `xml:"startOverride"`
			Lvl   *level `xml:"lvl"`
		} `xml:"lvlOverride"`
	} `xml:"num"`
}

const levels = 9

// numbering holds the document's list definitions and the counters as the
// paragraphs are read in order.
type numbering struct {
	abs     map[string]*[levels]*level // abstractNumId → levels
	nums    map[string]numDef
	count   map[string]*counter // per abstractNum: lists sharing one continue
	applied map[string]bool     // numIds whose start overrides took effect
}

type numDef struct {
	abs       string
	overrides map[int]int // level → start, restarting the list where first used
	lvl       map[int]*level
}

type counter struct {
	v   [levels]int
	set [levels]bool
}

func parseNumbering(data []byte) *numbering {
	n := &numbering{abs: map[string]*[levels]*level{}, nums: map[string]numDef{}, count: map[string]*counter{}, applied: map[string]bool{}}
	if data == nil {
		return n
	}
	var x numberingXML
	if xml.Unmarshal(data, &x) != nil {
		return n
	}
	for _, a := range x.Abstract {
		var ls [levels]*level
		for i := range a.Lvl {
			if l := &a.Lvl[i]; l.Ilvl >= 0 && l.Ilvl < levels {
				ls[l.Ilvl] = l
			}
		}
		n.abs[a.ID] = &ls
	}
	for _, m := range x.Num {
		d := numDef{abs: m.Abstract.Val, overrides: map[int]int{}, lvl: map[int]*level{}}
		for _, o := range m.Override {
			if o.Ilvl < 0 || o.Ilvl >= levels {
				continue
			}
			if o.Start != nil {
				d.overrides[o.Ilvl] = atoi(o.Start.Val, 1)
			}
			if o.Lvl != nil {
				d.lvl[o.Ilvl] = o.Lvl
			}
		}
		n.nums[m.ID] = d
	}
	return n
}

// label advances the counter of list numID at level ilvl and returns the
// label Word prints there ("" for a bullet or an unknown list), with the
// separator that follows it.
func (n *numbering) label(numID string, ilvl int) string {
	d, ok := n.nums[numID]
	if !ok {
		return ""
	}
	abs := n.abs[d.abs]
	if abs == nil {
		return ""
	}
	if ilvl < 0 || ilvl >= levels {
		ilvl = 0
	}
	lvl := func(i int) *level {
		if l := d.lvl[i]; l != nil {
			return l
		}
		return abs[i]
	}
	start := func(i int) int {
		if l := lvl(i); l != nil && l.Start != nil {
			return atoi(l.Start.Val, 1)
		}
		return 1
	}
	c := n.count[d.abs]
	if c == nil {
		c = &counter{}
		n.count[d.abs] = c
	}
	if !n.applied[numID] && len(d.overrides) > 0 {
		n.applied[numID] = true
		for i := range d.overrides {
			c.set[i] = false
		}
	}
	if c.set[ilvl] {
		c.v[ilvl]++
	} else {
		c.v[ilvl] = start(ilvl)
		if s, ok := d.overrides[ilvl]; ok {
			c.v[ilvl] = s
		}
		c.set[ilvl] = true
	}
	for i := ilvl + 1; i < levels; i++ {
		c.set[i] = false
	}
	l := lvl(ilvl)
	if l == nil || l.LvlText == nil || l.NumFmt != nil && l.NumFmt.Val == "bullet" {
		return ""
	}
	lgl := l.IsLgl != nil && l.IsLgl.Val != "0" && l.IsLgl.Val != "false"
	var b strings.Builder
	t := l.LvlText.Val
	for i := 0; i < len(t); i++ {
		if t[i] == '%' && i+1 < len(t) && t[i+1] >= '1' && t[i+1] <= '9' {
			k := int(t[i+1] - '1')
			v := c.v[k]
			if !c.set[k] {
				v = start(k)
			}
			f := "decimal"
			if lk := lvl(k); lk != nil && lk.NumFmt != nil && !(lgl && k < ilvl) {
				f = lk.NumFmt.Val
			}
			b.WriteString(format(v, f))
			i++
			continue
		}
		b.WriteByte(t[i])
	}
	if b.Len() == 0 {
		return ""
	}
	if l.Suff == nil || l.Suff.Val != "nothing" {
		b.WriteByte(' ')
	}
	return b.String()
}

func atoi(s string, def int) int {
	if v, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
		return v
	}
	return def
}

// format writes v in a numFmt (ST_NumberFormat); unknown formats as
// decimal.
func format(v int, f string) string {
	switch f {
	case "none":
		return ""
	case "decimalZero":
		if v >= 0 && v < 10 {
			return "0" + strconv.Itoa(v)
		}
	case "upperLetter", "lowerLetter":
		if v >= 1 {
			s := strings.Repeat(string(rune('a'+(v-1)%26)), (v-1)/26+1)
			if f == "upperLetter" {
				s = strings.ToUpper(s)
			}
			return s
		}
	case "upperRoman", "lowerRoman":
		if v >= 1 && v < 4000 {
			s := roman(v)
			if f == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand",
		"japaneseCounting", "ideographLegalTraditional", "koreanCounting":
		if v >= 0 && v < 100000 {
			return chineseCount(v, "零一二三四五六七八九", "十百千万")
		}
	case "chineseLegalSimplified":
		if v >= 0 && v < 100000 {
			return chineseCount(v, "零壹贰叁肆伍陆柒捌玖", "拾佰仟万")
		}
	case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
		if v >= 0 {
			d := []rune("〇一二三四五六七八九")
			var b strings.Builder
			for _, c := range strconv.Itoa(v) {
				b.WriteRune(d[c-'0'])
			}
			return b.String()
		}
	case "ideographTraditional":
		if v >= 1 && v <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[v-1])
		}
	case "ideographZodiac":
		if v >= 1 && v <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[v-1])
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese", "ideographEnclosedCircle":
		if v >= 1 && v <= 20 {
			return string(rune('①' + v - 1))
		}
	case "decimalEnclosedParen":
		if v >= 1 && v <= 20 {
			return string(rune('⑴' + v - 1))
		}
	case "decimalEnclosedFullstop":
		if v >= 1 && v <= 20 {
			return string(rune('⒈' + v - 1))
		}
	}
	return strconv.Itoa(v)
}

// chineseCount writes v with Chinese numerals: 十一, 二十, 一百零五.
func chineseCount(v int, digits, units string) string {
	d, u := []rune(digits), []rune(units)
	if v == 0 {
		return string(d[0])
	}
	if v >= 10 && v < 20 {
		s := string(u[0])
		if v > 10 {
			s += string(d[v-10])
		}
		return s
	}
	var b strings.Builder
	pow := []int{10000, 1000, 100, 10, 1}
	unit := []rune{u[3], u[2], u[1], u[0], 0}
	zero := false
	for i, p := range pow {
		k := v / p % 10
		if k == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteRune(d[0])
			zero = false
		}
		b.WriteRune(d[k])
		if unit[i] != 0 {
			b.WriteRune(unit[i])
		}
	}
	return b.String()
}

func roman(v int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, x := range vals {
		for v >= x {
			b.WriteString(syms[i])
			v -= x
		}
	}
	return b.String()
}

// style is what the reader needs of a paragraph style.
type style struct {
	BasedOn *val   `xml:"basedOn"`
	NumPr   *numPr `xml:"pPr>numPr"`
}

type stylesXML struct {
	Style []struct {
		Type string `xml:"type,attr"`
		ID   string `xml:"styleId,attr"`
		style
	} `xml:"style"`
}

func parseStyles(data []byte) map[string]style {
	m := map[string]style{}
	var x stylesXML
	if data == nil || xml.Unmarshal(data, &x) != nil {
		return m
	}
	for _, s := range x.Style {
		if s.Type == "" || s.Type == "paragraph" {
			m[s.ID] = s.style
		}
	}
	return m
}

// listOf resolves a paragraph's list: its own numPr, else its style's
// (following basedOn). numId 0 means no list.
func listOf(own *numPr, styleID string, styles map[string]style) (numID string, ilvl int) {
	ilvl = -1
	take := func(p *numPr) {
		if p == nil {
			return
		}
		if ilvl < 0 && p.Ilvl != nil {
			ilvl = atoi(p.Ilvl.Val, 0)
		}
		if numID == "" && p.NumID != nil {
			numID = p.NumID.Val
		}
	}
	take(own)
	seen := map[string]bool{}
	for id := styleID; id != "" && !seen[id] && numID == ""; {
		seen[id] = true
		s, ok := styles[id]
		if !ok {
			break
		}
		take(s.NumPr)
		id = ""
		if s.BasedOn != nil {
			id = s.BasedOn.Val
		}
	}
	if ilvl < 0 {
		ilvl = 0
	}
	if numID == "0" {
		numID = ""
	}
	return numID, ilvl
}
