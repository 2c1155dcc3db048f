package pdf

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"
)

// objStmPDF builds a PDF 1.5 whose objects in packed are inside object
// stream number stm, with a cross-reference stream (W [1 4 2], compressed
// with a PNG predictor when flate is set). direct are the other objects
// (object 1 the catalog). entry, when set, may replace an object's
// cross-reference row (type, field 2, field 3); stmDict is added to the
// object stream's dictionary.
func objStmPDF(direct, packed map[int]string, stm int, stmDict string, flate bool, entry func(num int) (int, int, int, bool)) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	type row struct{ t, f2, f3 int }
	rows := map[int]row{0: {0, 0, 65535}}
	var nums []int
	for n := range direct {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		rows[n] = row{1, b.Len(), 0}
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", n, direct[n])
	}
	if len(packed) > 0 {
		var pn []int
		for n := range packed {
			pn = append(pn, n)
		}
		sort.Ints(pn)
		var head, body bytes.Buffer
		for i, n := range pn {
			fmt.Fprintf(&head, "%d %d ", n, body.Len())
			body.WriteString(packed[n] + "\n")
			rows[n] = row{2, stm, i}
		}
		data := head.String() + body.String()
		rows[stm] = row{1, b.Len(), 0}
		fmt.Fprintf(&b, "%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Length %d %s >>\nstream\n%s\nendstream\nendobj\n", stm, len(pn), head.Len(), len(data), stmDict, data)
	}
	size := 0
	for n := range rows {
		size = max(size, n+1)
	}
	xrefNum := size
	size++
	xrefOff := b.Len()
	rows[xrefNum] = row{1, xrefOff, 0}
	var raw bytes.Buffer
	for n := 0; n < size; n++ {
		r := rows[n]
		if entry != nil {
			if t, f2, f3, ok := entry(n); ok {
				r = row{t, f2, f3}
			}
		}
		raw.WriteByte(byte(r.t))
		binary.Write(&raw, binary.BigEndian, uint32(r.f2))
		binary.Write(&raw, binary.BigEndian, uint16(r.f3))
	}
	stream, filter := raw.Bytes(), ""
	if flate {
		// PNG Up predictor, 7 columns, then deflate.
		var pred, z bytes.Buffer
		prev := make([]byte, 7)
		for i := 0; i+7 <= len(stream); i += 7 {
			pred.WriteByte(2)
			for j := 0; j < 7; j++ {
				pred.WriteByte(stream[i+j] - prev[j])
			}
			copy(prev, stream[i:i+7])
		}
		zw := zlib.NewWriter(&z)
		zw.Write(pred.Bytes())
		zw.Close()
		stream, filter = z.Bytes(), "/Filter /FlateDecode /DecodeParms << /Predictor 12 /Columns 7 >>"
	}
	fmt.Fprintf(&b, "%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d %s >>\nstream\n", xrefNum, size, len(stream), filter)
	b.Write(stream)
	fmt.Fprintf(&b, "\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n", xrefOff)
	return b.Bytes()
}

const helvetica = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"

// pageObjects are a one-page document drawing text: catalog, pages, page
// (direct), content and font.
func pageObjects(text string) map[int]string {
	return map[int]string{
		1: "<< /Type /Catalog /Pages 2 0 R >>",
		2: "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		3: "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		4: stream("BT /F1 12 Tf 72 700 Td ("+text+") Tj ET", ""),
		5: helvetica,
	}
}

// extractWithin runs Extract with a time limit: a loop the guard should
// have stopped is a timeout error.
func extractWithin(t *testing.T, data []byte) (string, error) {
	t.Helper()
	x, err := Extract(data, Options{Timeout: 20 * time.Second})
	if err != nil {
		return "", err
	}
	var lines []string
	for _, l := range x.Lines {
		lines = append(lines, l.Text())
	}
	return strings.Join(lines, "\n"), nil
}

// Files with object streams and cross-reference streams, compressed or
// not, read as before the guard.
func TestObjectStreamsRead(t *testing.T) {
	for _, flate := range []bool{false, true} {
		objs := pageObjects("Annual report")
		packed := map[int]string{1: objs[1], 2: objs[2], 3: objs[3], 5: objs[5]}
		direct := map[int]string{4: objs[4]}
		text, err := extractWithin(t, objStmPDF(direct, packed, 6, "", flate, nil))
		if err != nil || text != "Annual report" {
			t.Errorf("flate %v: %q, %v", flate, text, err)
		}
	}
}

// The attack: a 700-byte PDF whose object stream contains itself made the
// library recurse until Go's stack limit, a fatal error that killed parse
// and explain. Each way a stream can need itself is now an error.
func TestObjectStreamNeedsItself(t *testing.T) {
	objs := pageObjects("Annual report")
	packed := map[int]string{2: objs[2], 3: objs[3], 5: objs[5]}
	direct := map[int]string{1: objs[1], 4: objs[4]}
	for name, data := range map[string][]byte{
		// The stream's own entry says it lies inside itself.
		"inside itself": objStmPDF(direct, packed, 6, "", false, func(n int) (int, int, int, bool) {
			return 2, 6, 0, n == 6
		}),
		// Two streams inside each other.
		"inside each other": objStmPDF(direct, packed, 6, "", true, func(n int) (int, int, int, bool) {
			switch n {
			case 6:
				return 2, 7, 0, true
			case 7:
				return 2, 6, 0, true
			}
			return 0, 0, 0, false
		}),
		// Its /Length is an object inside it.
		"length inside": objStmPDF(direct, map[int]string{2: objs[2], 3: objs[3], 5: objs[5], 8: "10"}, 6, "/Filter 8 0 R", false, nil),
		// It extends itself.
		"extends itself": objStmPDF(direct, packed, 6, "/Extends 6 0 R", false, nil),
	} {
		if len(data) > 1500 {
			t.Errorf("%s: %d bytes, want a small file", name, len(data))
		}
		_, err := extractWithin(t, data)
		if err == nil || !strings.Contains(err.Error(), "needs itself to be read") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// withTrailer is onePage's PDF with extra entries in the trailer.
func withTrailer(extra string) []byte {
	return buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("BT /F1 12 Tf 72 700 Td (Annual report) Tj ET", ""),
		helvetica,
	}, extra)
}

// The attack: an xref /Prev pointing to itself cost 60 s per file and left
// the library reading the chain forever. A /Prev that leads back is now
// dropped: the file reads at once, whole. A chain of two sections that
// point at each other too.
func TestPrevLoop(t *testing.T) {
	self := withTrailer("/Prev 0000000000")
	xref := bytes.LastIndex(self, []byte("\nxref\n")) + 1
	copy(self[bytes.Index(self, []byte("/Prev "))+6:], fmt.Sprintf("%010d", xref))
	text, err := extractWithin(t, self)
	if err != nil || text != "Annual report" {
		t.Errorf("/Prev to itself: %q, %v", text, err)
	}

	// An update section after the file, and the first one's /Prev
	// pointing at it.
	two := withTrailer("/Prev 0000000000")
	first := bytes.LastIndex(two, []byte("\nxref\n")) + 1
	second := len(two)
	two = append(two, fmt.Sprintf("xref\n0 0\ntrailer\n<< /Size 6 /Root 1 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", first, second)...)
	copy(two[bytes.Index(two, []byte("/Prev "))+6:], fmt.Sprintf("%010d", second))
	text, err = extractWithin(t, two)
	if err != nil || text != "Annual report" {
		t.Errorf("/Prev loop of two sections: %q, %v", text, err)
	}
}

// A /Size the file cannot hold was a raw runtime error (/Size -5:
// "makeslice: len out of range") or a table allocated without bound.
func TestSizeOutOfRange(t *testing.T) {
	for _, size := range []string{"-5", "1000000000000"} {
		data := bytes.Replace(withTrailer(""), []byte("/Size 6"), []byte("/Size "+size), 1)
		_, err := extractWithin(t, data)
		if err == nil || !strings.Contains(err.Error(), "pdf: malformed: trailer /Size "+size+" out of range") {
			t.Errorf("/Size %s: %v", size, err)
		}
	}
	huge := objStmPDF(pageObjects("x"), nil, 0, "", false, nil)
	huge = bytes.Replace(huge, []byte("/W [1 4 2]"), []byte("/W [1 4 2] /Index [2000000000 5]"), 1)
	if _, err := extractWithin(t, huge); err == nil || !strings.Contains(err.Error(), "more objects than the file can hold") {
		t.Errorf("/Index 2000000000 5: %v", err)
	}
}

// The attack: a PDF with 1 to about 95 bytes after %%EOF was rejected,
// though pdftotext reads it and real downloads often carry such bytes.
func TestBytesAfterEOF(t *testing.T) {
	good := withTrailer("")
	for _, n := range []int{1, 2, 50, 95, 99, 100, 101, 300, 5000} {
		for _, junk := range []string{"x", "\x00", "<html>"} {
			data := append(bytes.Clone(good), strings.Repeat(junk, n)[:n]...)
			if text, err := extractWithin(t, data); err != nil || text != "Annual report" {
				t.Errorf("%d bytes of %q after %%%%EOF: %q, %v", n, junk, text, err)
			}
		}
	}
}

// The guard's own lexer reads nesting past its depth bound a token at a
// time (found by the fuzzer: an array nested deeper than 32 made its loop
// append without end, a worker running out of memory).
func TestLexerDeepNesting(t *testing.T) {
	data := withTrailer("/W " + strings.Repeat("[", 100) + " 1 2 " + strings.Repeat("]", 100))
	if text, err := extractWithin(t, data); err != nil || text != "Annual report" {
		t.Errorf("%q, %v", text, err)
	}
	l := newLexer([]byte(strings.Repeat("[", 10000)), 0)
	if v := l.value(0); v == nil {
		t.Error("no array read")
	}
}

// The library's lexer reads a hex string left open at the end of a content
// stream forever (found by make fuzz: a 582-byte file held its parse until
// the time limit, the abandoned call running on). Such a page now fails
// at once, the others read; what only looks like one (a '<' in a comment or
// a string, a dictionary's "<<") does not.
func TestContentEndsInHexString(t *testing.T) {
	show := "BT /F1 12 Tf 72 700 Td (Annual report) Tj ET "
	for _, c := range []struct {
		tail string
		open bool
	}{
		{"BT <4142", true},
		{"BT <41 42 \n", true},
		{"BT <", true},
		{"BT <n ", true}, // the library checks a pair only once it has both
		{"BT <4", true},
		{"<4> Tj", false}, // an odd digit: the library fails at once
		{"BT << /MCID 0 >> BDC EMC <<<41", true},
		{"<4142> Tj", false},
		{"/P << /MCID 0 >> BDC EMC", false},
		{"% a comment <4142", false},
		{"(a string with <41", false},
	} {
		_, err := extractWithin(t, onePage(show+c.tail, helvetica))
		if got := err != nil && strings.Contains(err.Error(), "ends inside a hex string"); got != c.open {
			t.Errorf("%q: %v, want open hex string %v", c.tail, err, c.open)
		}
	}
}

// The same endless read through a simple font whose /Encoding is
// /Identity-H: the library reads its ToUnicode CMap with the same lexer.
func TestCMapEndsInHexString(t *testing.T) {
	cmap := stream("/CIDInit /ProcSet findresource begin 1 begincodespacerange <00> <FF> endcodespacerange 1 beginbfchar <41", "")
	data := onePage("BT /F1 12 Tf 72 700 Td (A) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /Identity-H /ToUnicode 6 0 R >>", cmap)
	if _, err := extractWithin(t, data); err != nil && strings.Contains(err.Error(), "timeout") {
		t.Errorf("a CMap that ends inside a hex string: %v", err)
	}
}
