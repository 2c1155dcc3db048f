package html

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"

	"govreport"
)

// metaCharsetOf returns the charset declared in the first <meta charset>
// or <meta http-equiv="Content-Type" content="...; charset=..."> tag of
// head. Unlike the WHATWG prescan it looks further than the first 1024
// bytes: CMS pages often put long comments and scripts first.
func metaCharsetOf(head []byte) string {
	// "<meta", ">" and "charset" lower-case from ASCII bytes only, so tags
	// are found in the raw bytes and only a candidate tag is lower-cased.
	for {
		i := bytes.IndexByte(head, '<')
		if i < 0 {
			return ""
		}
		if !hasPrefixFold(head[i+1:], "meta") {
			head = head[i+1:]
			continue
		}
		tag := head[i:]
		if j := bytes.IndexByte(tag, '>'); j >= 0 {
			tag = tag[:j]
		}
		if containsFold(tag, "charset") {
			if m := charsetParam.FindSubmatch(bytes.ToLower(tag)); m != nil {
				return string(m[1])
			}
		}
		head = head[i+5:]
	}
}

// hasPrefixFold reports whether b starts with the lower-case ASCII word,
// ASCII case ignored.
func hasPrefixFold(b []byte, word string) bool {
	if len(b) < len(word) {
		return false
	}
	for i := 0; i < len(word); i++ {
		c := b[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != word[i] {
			return false
		}
	}
	return true
}

// containsFold reports whether b contains the lower-case ASCII word, ASCII
// case ignored.
func containsFold(b []byte, word string) bool {
	for i := 0; i+len(word) <= len(b); i++ {
		if hasPrefixFold(b[i:], word) {
			return true
		}
	}
	return false
}

// charsetParam reads charset=... in a lower-cased tag or header.
var charsetParam = regexp.MustCompile(`charset\s*=\s*["']?\s*([a-z0-9_.:\-]+)`)

// sniffWindow is how much of the page the <meta> search looks at.
const sniffWindow = 16 << 10

// Decode turns the bytes of a page into UTF-8 text. The encoding comes from,
// in order: a byte-order mark (it cannot lie), the charset of the HTTP
// Content-Type header, a <meta> charset, then sniffing (valid UTF-8, else
// GB18030). A declared charset loses to the bytes when the page is valid
// multi-byte UTF-8, a common mislabelling. GBK and GB2312 are decoded as
// GB18030, their superset. Binary data (PDF, Office files, images, or text
// with many control or replacement characters) gives an error wrapping
// govreport.ErrUndecodable.
func Decode(data []byte, contentType string) (string, error) {
	s, _, err := decode(data, contentType)
	return s, err
}

// decode is Decode that also names the encoding it used.
func decode(data []byte, contentType string) (string, string, error) {
	out, name, err := decodeBytes(data, contentType)
	return string(out), name, err
}

// decodeBytes is decode returning the text as bytes, possibly data itself.
func decodeBytes(data []byte, contentType string) ([]byte, string, error) {
	if kind := binaryKind(data); kind != "" {
		return nil, "", fmt.Errorf("html: %s data, not a page: %w", kind, govreport.ErrUndecodable)
	}
	v := &validity{data: data}
	enc, name := pickEncoding(data, contentType, v)
	var out []byte
	switch {
	case enc == nil && v.valid():
		out = data
	case enc == nil:
		out = bytes.ToValidUTF8(data, []byte("\uFFFD"))
	default:
		var err error
		out, err = enc.NewDecoder().Bytes(data)
		if err != nil {
			return nil, name, fmt.Errorf("html: decoding %s: %v: %w", name, err, govreport.ErrUndecodable)
		}
	}
	out = bytes.TrimPrefix(out, []byte("\uFEFF"))
	if garbled(out, enc == nil) {
		return nil, name, fmt.Errorf("html: text decoded as %s is mostly control or replacement characters: %w", name, govreport.ErrUndecodable)
	}
	return out, name, nil
}

// validity remembers whether data is valid UTF-8: pages are large and
// several checks ask.
type validity struct {
	data  []byte
	known bool
	ok    bool
}

func (v *validity) valid() bool {
	if !v.known {
		v.ok, v.known = utf8.Valid(v.data), true
	}
	return v.ok
}

// pickEncoding chooses the page's encoding; a nil encoding means UTF-8.
func pickEncoding(data []byte, contentType string, v *validity) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return nil, "utf-8"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	declared := headerCharset(contentType)
	if declared == "" {
		head := data
		if len(head) > sniffWindow {
			head = head[:sniffWindow]
		}
		declared = metaCharsetOf(head)
	}
	if declared != "" {
		if enc, name := charset.Lookup(declared); enc != nil {
			switch {
			case name == "utf-8":
				if mostlyUTF8(data, v) {
					return nil, name
				}
				// Declared UTF-8 but the bytes are not: fall through to sniffing.
			case multiByteUTF8(data, v):
				// Declared something else, but the bytes are valid UTF-8 with
				// multi-byte sequences: a GBK text essentially never is.
				return nil, "utf-8"
			case name == "utf-16le" || name == "utf-16be":
				// A <meta> cannot declare UTF-16 in an ASCII-compatible page.
			case name == "windows-1252" && looksGB(data):
				// iso-8859-1 (read as windows-1252) is a server default
				// more often than a Chinese page's encoding.
				return simplifiedchinese.GB18030, "gb18030"
			default:
				return chineseSuperset(enc, name)
			}
		}
	}
	if mostlyUTF8(data, v) {
		return nil, "utf-8"
	}
	return simplifiedchinese.GB18030, "gb18030"
}

// headerCharset returns the charset parameter of a Content-Type header.
func headerCharset(ct string) string {
	if ct == "" {
		return ""
	}
	if _, params, err := mime.ParseMediaType(ct); err == nil {
		return params["charset"]
	}
	// Malformed headers ("text/html;charset=gbk;;") still name a charset.
	if m := charsetParam.FindStringSubmatch(strings.ToLower(ct)); m != nil {
		return m[1]
	}
	return ""
}

// chineseSuperset replaces GBK (which the WHATWG index also uses for GB2312)
// by GB18030: it decodes every GBK byte sequence the same and more besides.
func chineseSuperset(enc encoding.Encoding, name string) (encoding.Encoding, string) {
	if enc == simplifiedchinese.GBK || strings.EqualFold(name, "gbk") || strings.EqualFold(name, "gb2312") {
		return simplifiedchinese.GB18030, "gb18030"
	}
	return enc, name
}

// multiByteUTF8 reports whether data is valid UTF-8 holding non-ASCII text.
func multiByteUTF8(data []byte, v *validity) bool {
	for _, b := range data {
		if b >= 0x80 {
			return v.valid()
		}
	}
	return false
}

// mostlyUTF8 reports whether data reads as UTF-8: at most one invalid byte
// per twenty multi-byte characters (a truncated page or a stray byte should
// not send a UTF-8 page to GB18030).
func mostlyUTF8(data []byte, v *validity) bool {
	if v.valid() {
		return true
	}
	bad, multi := 0, 0
	for i := 0; i < len(data); {
		if data[i] < 0x80 {
			i++
			continue
		}
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			bad++
		} else {
			multi++
		}
		i += n
	}
	return bad*20 <= multi
}

// looksGB reports whether data, read as GB18030, is mostly Chinese: at
// least 70% of its non-ASCII characters Han or CJK punctuation.
func looksGB(data []byte) bool {
	out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
	if err != nil {
		return false
	}
	han, other := 0, 0
	for _, r := range string(out) {
		switch {
		case r < 0x80:
		case cjk(r):
			han++
		default:
			other++
		}
	}
	return han > 0 && han*10 >= (han+other)*7
}

// binaryKind names well-known binary formats by their magic bytes.
func binaryKind(data []byte) string {
	magics := []struct{ magic, kind string }{
		{"%PDF-", "PDF"},
		{"PK\x03\x04", "ZIP/Office"},
		{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", "OLE/Office"},
		{"\x89PNG", "PNG"},
		{"\xFF\xD8\xFF", "JPEG"},
		{"GIF8", "GIF"},
		{"\x1F\x8B", "gzip"},
		{"Rar!", "RAR"},
		{"7z\xBC\xAF", "7z"},
	}
	for _, m := range magics {
		if bytes.HasPrefix(data, []byte(m.magic)) {
			return m.kind
		}
	}
	return ""
}

// garbled reports whether decoded text is mostly not text: more than 2%
// of its characters are NULs, C0 controls other than whitespace, DEL, or
// U+FFFD. valid says b is known to be valid UTF-8.
func garbled(b []byte, valid bool) bool {
	if !valid && !utf8.Valid(b) {
		bad := bytes.Count(b, []byte("\uFFFD"))
		for _, c := range b {
			if byteClass[c]&classBad != 0 {
				bad++
			}
		}
		total := utf8.RuneCount(b)
		return total > 0 && bad*50 > total
	}
	// Valid UTF-8: a character is a byte that is no continuation byte, and
	// every EF BF BD is a U+FFFD. Words of eight bytes without a control
	// byte are counted whole.
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	bad, total, cont := 0, 0, 0
	rest := b
	for ; len(rest) >= 8; rest = rest[8:] {
		w := binary.LittleEndian.Uint64(rest)
		// Exact as yes/no tests: some byte < 0x20, some byte 0x7F.
		if d := w ^ 0x7F*ones; ((w-0x20*ones)&^w|(d-ones)&^d)&highs == 0 {
			cont += bits.OnesCount64(w &^ (w << 1) & highs)
			total += 8
			continue
		}
		for _, c := range rest[:8] {
			k := byteClass[c]
			bad += int(k & classBad)
			total += int(k&classStart) >> 1
		}
	}
	total -= cont
	for _, c := range rest {
		k := byteClass[c]
		bad += int(k & classBad)
		total += int(k&classStart) >> 1
	}
	if bytes.IndexByte(b, 0xEF) >= 0 {
		bad += bytes.Count(b, []byte("\uFFFD"))
	}
	return total > 0 && bad*50 > total
}

// byteClass classifies bytes for garbled.
var byteClass = func() (t [256]uint8) {
	for c := range 256 {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' || c == 0x7F {
			t[c] |= classBad
		}
		if c&0xC0 != 0x80 {
			t[c] |= classStart
		}
	}
	return t
}()

const (
	classBad   = 1 // a control character counted as garbage
	classStart = 2 // the first byte of a UTF-8 sequence
)
