package pdf

import (
	"io"
	"strings"
	"unicode/utf16"

	lpdf "github.com/ledongthuc/pdf"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// glyph is one decoded character code of a shown string.
type glyph struct {
	text  string  // Unicode text; "" when the code could not be mapped
	w     float64 // horizontal advance in glyph space (1/1000 em)
	space bool    // single-byte code 32: word spacing applies
}

// font decodes the strings shown with one PDF font.
type font struct {
	vertical   bool                     // Identity-V and other -V CMaps
	widthScale float64                  // glyph space to text space (0.001, or Type3 FontMatrix)
	toUni      map[string]string        // ToUnicode: code bytes → text
	codeLens   [5]bool                  // code lengths in the codespace (1–4)
	twoByte    bool                     // fixed 2-byte codes (Identity, UCS-2)
	decode     func(code []byte) string // fallback decoder for codes missing in toUni
	cidWidth   map[int]float64          // Type0 W array
	wRanges    []wRange
	dw         float64           // Type0 DW
	first      int               // simple font FirstChar
	widths     []float64         // simple font Widths
	gbk        bool              // GBK-EUC-H family: 1 or 2 byte codes
	simpleEnc  lpdf.TextEncoding // simple fonts without ToUnicode
	undecoded  bool              // no way to map codes to text
	simple     bool              // single-byte codes
}

var gbkDecoder = simplifiedchinese.GBK.NewDecoder()

func newFont(v lpdf.Value) *font {
	f := &font{widthScale: 0.001, dw: 1000}
	subtype := v.Key("Subtype").Name()
	enc := v.Key("Encoding")
	encName := ""
	if enc.Kind() == lpdf.Name {
		encName = enc.Name()
	} else if enc.Kind() == lpdf.Stream {
		// An embedded CMap: its name tells the family.
		encName = enc.Key("CMapName").Name()
	}
	if tu := v.Key("ToUnicode"); tu.Kind() == lpdf.Stream {
		f.readToUnicode(tu)
	}
	if subtype == "Type0" {
		f.vertical = strings.HasSuffix(encName, "-V")
		d := v.Key("DescendantFonts").Index(0)
		f.readCIDWidths(d)
		upper := strings.ToUpper(encName)
		switch {
		case strings.HasPrefix(encName, "Identity-"):
			f.twoByte = true
		case strings.Contains(upper, "UCS2") || strings.Contains(upper, "UTF16"):
			f.twoByte = true
			f.decode = func(code []byte) string {
				return string(utf16.Decode([]uint16{uint16(code[0])<<8 | uint16(code[1])}))
			}
		case strings.Contains(upper, "GBK") || strings.Contains(upper, "GB-EUC") || strings.Contains(upper, "GBPC-EUC") || strings.Contains(upper, "GBT-EUC"):
			f.gbk = true
			f.decode = func(code []byte) string {
				if len(code) == 1 {
					return string(rune(code[0]))
				}
				b, err := gbkDecoder.Bytes(code)
				if err != nil {
					return ""
				}
				return string(b)
			}
		default:
			f.twoByte = true
		}
		if f.toUni == nil && f.decode == nil {
			f.undecoded = true
		}
		return f
	}
	// Simple fonts (Type1, TrueType, Type3).
	if subtype == "Type3" {
		if m := v.Key("FontMatrix"); m.Len() == 6 {
			f.widthScale = m.Index(0).Float64()
		}
	}
	f.first = int(v.Key("FirstChar").Int64())
	ws := v.Key("Widths")
	for i := 0; i < ws.Len() && i < 65536; i++ {
		f.widths = append(f.widths, ws.Index(i).Float64())
	}
	f.simple = true
	f.simpleEnc = simpleEncoder(v)
	return f
}

// simpleEncoder returns the library's decoder for a simple font's
// encoding (WinAnsi, MacRoman, /Differences), or Latin-1 when the library
// fails on it.
func simpleEncoder(v lpdf.Value) (enc lpdf.TextEncoding) {
	defer func() {
		if recover() != nil {
			enc = latin1{}
		}
	}()
	if v.Key("Encoding").Kind() == lpdf.Null {
		return latin1{} // the library would parse ToUnicode again
	}
	if v.Key("Encoding").Name() == "Identity-H" && endsInHexString(v.Key("ToUnicode")) {
		return latin1{} // the library would read its CMap forever
	}
	lf := lpdf.Font{V: v}
	return lf.Encoder()
}

type latin1 struct{}

func (latin1) Decode(raw string) string {
	r := make([]rune, len(raw))
	for i := 0; i < len(raw); i++ {
		r[i] = rune(raw[i])
	}
	return string(r)
}

// readToUnicode parses a ToUnicode CMap into a code → text map. It reads
// the stream with its own small tokenizer: the library's PostScript
// interpreter panics on the CMap preamble outside its own use.
func (f *font) readToUnicode(strm lpdf.Value) {
	rd := strm.Reader()
	data, err := io.ReadAll(io.LimitReader(rd, 8<<20))
	rd.Close()
	if err != nil && len(data) == 0 {
		return
	}
	m := map[string]string{}
	var stk []cmapTok
	for _, t := range cmapTokens(data) {
		if t.op == "" {
			stk = append(stk, t)
			if len(stk) > 1<<16 {
				stk = stk[:0]
			}
			continue
		}
		switch t.op {
		case "endcodespacerange":
			for i := 0; i+1 < len(stk); i += 2 {
				lo, hi := stk[i].s, stk[i+1].s
				if len(lo) >= 1 && len(lo) <= 4 && len(lo) == len(hi) {
					f.codeLens[len(lo)] = true
				}
			}
		case "endbfchar":
			for i := 0; i+1 < len(stk); i += 2 {
				m[stk[i].s] = utf16BE(stk[i+1].s)
			}
		case "endbfrange":
			for i := 0; i+2 < len(stk); i += 3 {
				lo, hi, dst := stk[i].s, stk[i+1].s, stk[i+2]
				if len(lo) == 0 || len(lo) != len(hi) || len(lo) > 4 {
					continue
				}
				a, b := codeInt(lo), codeInt(hi)
				if b < a || b-a > 65535 {
					continue
				}
				for c := a; c <= b; c++ {
					code := intCode(c, len(lo))
					if dst.arr != nil {
						if c-a < len(dst.arr) {
							m[code] = utf16BE(dst.arr[c-a])
						}
						continue
					}
					s := []byte(dst.s)
					if len(s) == 0 {
						continue
					}
					s = append([]byte(nil), s...)
					// Increment the last UTF-16 unit by the offset.
					if len(s) >= 2 {
						u := int(s[len(s)-2])<<8 | int(s[len(s)-1])
						u += c - a
						s[len(s)-2], s[len(s)-1] = byte(u>>8), byte(u)
					} else {
						s[0] += byte(c - a)
					}
					m[code] = utf16BE(string(s))
				}
			}
		}
		stk = stk[:0]
	}
	if len(m) > 0 {
		f.toUni = m
	}
}

// cmapTok is a hex string, an array of hex strings, or an operator.
type cmapTok struct {
	s   string
	arr []string
	op  string
}

// cmapTokens splits a CMap into the tokens readToUnicode needs; numbers
// and names count as operands, keywords as operators.
func cmapTokens(b []byte) []cmapTok {
	var out []cmapTok
	var arr []string
	inArr := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '%':
			for i < len(b) && b[i] != '\n' && b[i] != '\r' {
				i++
			}
		case c == '<' && i+1 < len(b) && b[i+1] == '<', c == '>' && i+1 < len(b) && b[i+1] == '>':
			i += 2
		case c == '<':
			j := i + 1
			var hex []byte
			for j < len(b) && b[j] != '>' {
				if isHex(b[j]) {
					hex = append(hex, b[j])
				}
				j++
			}
			if len(hex)%2 == 1 {
				hex = append(hex, '0')
			}
			s := make([]byte, len(hex)/2)
			for k := range s {
				s[k] = unhex(hex[2*k])<<4 | unhex(hex[2*k+1])
			}
			if inArr {
				arr = append(arr, string(s))
			} else {
				out = append(out, cmapTok{s: string(s)})
			}
			i = j + 1
		case c == '[':
			inArr, arr = true, nil
			i++
		case c == ']':
			if inArr {
				out = append(out, cmapTok{arr: arr})
			}
			inArr = false
			i++
		case c == '(':
			// Literal strings (CMap names, registry): skip, balanced.
			depth := 0
			for i < len(b) {
				if b[i] == '\\' {
					i += 2
					continue
				}
				if b[i] == '(' {
					depth++
				} else if b[i] == ')' {
					depth--
					if depth == 0 {
						i++
						break
					}
				}
				i++
			}
			out = append(out, cmapTok{s: ""})
		case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
			i++
		default:
			j := i
			if c == '/' {
				j++
			}
			for j < len(b) && !strings.ContainsRune(" \n\r\t\f\x00<>[]()/%", rune(b[j])) {
				j++
			}
			if j == i {
				j++ // a stray delimiter
			}
			w := string(b[i:j])
			if c == '/' || (c >= '0' && c <= '9') || c == '-' || c == '.' {
				out = append(out, cmapTok{s: w})
			} else if len(w) > 0 && w[0] != '/' {
				out = append(out, cmapTok{op: w})
			}
			i = j
		}
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10
	}
	return 0
}

func (f *font) readCIDWidths(d lpdf.Value) {
	if dw := d.Key("DW"); dw.Kind() == lpdf.Integer || dw.Kind() == lpdf.Real {
		f.dw = dw.Float64()
	}
	w := d.Key("W")
	if w.Kind() != lpdf.Array {
		return
	}
	f.cidWidth = map[int]float64{}
	for i := 0; i < w.Len(); {
		c := int(w.Index(i).Int64())
		if i+1 >= w.Len() {
			break
		}
		next := w.Index(i + 1)
		if next.Kind() == lpdf.Array {
			for j := 0; j < next.Len() && j < 65536; j++ {
				f.cidWidth[c+j] = next.Index(j).Float64()
			}
			i += 2
			continue
		}
		if i+2 >= w.Len() {
			break
		}
		f.wRanges = append(f.wRanges, wRange{c, int(next.Int64()), w.Index(i + 2).Float64()})
		i += 3
	}
}

// glyphs splits a shown string into character codes and decodes each.
func (f *font) glyphs(raw string, out []glyph) []glyph {
	out = out[:0]
	if f.simple {
		for i := 0; i < len(raw); i++ {
			c := raw[i]
			g := glyph{space: c == 32}
			if t, ok := f.toUni[raw[i:i+1]]; ok {
				g.text = t
			} else {
				g.text = f.simpleEnc.Decode(raw[i : i+1])
			}
			if k := int(c) - f.first; k >= 0 && k < len(f.widths) {
				g.w = f.widths[k]
			} else if f.widths == nil {
				g.w = 500 // a standard font without metrics: an average advance
			}
			out = append(out, g)
		}
		return out
	}
	for len(raw) > 0 {
		n := f.codeLen(raw)
		code := raw[:n]
		raw = raw[n:]
		g := glyph{}
		if t, ok := f.toUni[code]; ok {
			g.text = t
		} else if f.decode != nil && (n == 2 || f.gbk) {
			g.text = f.decode([]byte(code))
		}
		cid := codeInt(code)
		if f.gbk {
			g.w = 1000
			if n == 1 {
				g.w = 500
			}
		} else {
			g.w = f.width(cid)
		}
		g.space = n == 1 && code[0] == 32
		out = append(out, g)
	}
	return out
}

// wRange is a W array entry of the form c_first c_last w.
type wRange struct {
	lo, hi int
	w      float64
}

func (f *font) width(cid int) float64 {
	if w, ok := f.cidWidth[cid]; ok {
		return w
	}
	for _, r := range f.wRanges {
		if cid >= r.lo && cid <= r.hi {
			return r.w
		}
	}
	return f.dw
}

func (f *font) codeLen(raw string) int {
	switch {
	case f.gbk:
		if raw[0] >= 0x81 && len(raw) >= 2 {
			return 2
		}
		return 1
	case f.twoByte:
		if len(raw) >= 2 {
			return 2
		}
		return 1
	}
	for n := 1; n <= 4 && n <= len(raw); n++ {
		if f.codeLens[n] {
			if _, ok := f.toUni[raw[:n]]; ok {
				return n
			}
		}
	}
	for n := 1; n <= 4 && n <= len(raw); n++ {
		if f.codeLens[n] {
			return n
		}
	}
	return 1
}

func codeInt(s string) int {
	c := 0
	for i := 0; i < len(s); i++ {
		c = c<<8 | int(s[i])
	}
	return c
}

func intCode(c, n int) string {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte(c)
		c >>= 8
	}
	return string(b)
}

func utf16BE(s string) string {
	if len(s)%2 == 1 {
		return s
	}
	u := make([]uint16, 0, len(s)/2)
	for i := 0; i+1 < len(s); i += 2 {
		u = append(u, uint16(s[i])<<8|uint16(s[i+1]))
	}
	return string(utf16.Decode(u))
}
