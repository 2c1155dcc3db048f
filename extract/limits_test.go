package extract

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/unicode"

	"govreport"
	"govreport/extract/internal/limit"
)

// The readers' bounds (extract/internal/limit): a file past one is refused
// with ErrTooLarge saying which, before the structures it would fill are
// built; the attack was a 24 MB .txt ("一、总体情况" then "1 " twelve
// million times) that took 8 GB and killed the import. A file just within
// the bounds is read. The memory each costs is in the benchmark
// (cmd/benchcorpus/bench.sh), not asserted here.
func TestLimits(t *testing.T) {
	rep := func(head, unit string, n int) []byte {
		return []byte(head + strings.Repeat(unit, n))
	}
	for _, c := range []struct {
		name, file string
		data       []byte
		want       string // "" : read
	}{
		{"numbers on one line", "a.txt", rep("一、总体情况\n", "1 ", limit.Words+1), "more than 200000 words"},
		{"words split by ideographic spaces", "a.txt", rep("一、总体情况\n", "1\u3000", limit.Words+1), "more than 200000 words"},
		{"lines", "a.txt", rep("一、总体情况\n", "1\n", limit.Lines), "more than 100000 lines"},
		{"cells", "a.txt", rep("一、总体情况\n", "|", limit.Cells+1), "more than 200000 cells"},
		{"paragraphs", "a.html", rep("<html><body>", "<p>1</p>", limit.Elements+1), "more than 200000 HTML elements"},
		{"lines within the bound", "a.txt", rep("一、总体情况\n", "1\n", limit.Lines-2), ""},
		{"paragraphs within the bound", "a.html", rep("<html><body>", "<p>一</p>", 20000), ""},
	} {
		_, err := Bytes(c.file, c.data, Options{})
		switch {
		case c.want == "" && errors.Is(err, ErrTooLarge):
			t.Errorf("%s: %v", c.name, err)
		case c.want != "" && (!errors.Is(err, ErrTooLarge) || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s: %v, want an error saying %s", c.name, err, c.want)
		}
	}
	// The size limit itself.
	if _, err := Bytes("a.txt", []byte("一、总体情况"), Options{MaxBytes: 10}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over MaxBytes: %v", err)
	}
}

// An empty file, or one of white space alone, was read as a partial
// report (exit status 0): it now holds no text (status no_text).
func TestEmptyFiles(t *testing.T) {
	for name, data := range map[string]string{
		"empty.txt": "", "blank.txt": " \n\t\r\n", "empty.html": "", "blank.html": "<html><body><p> </p></body></html>",
	} {
		_, err := Bytes(name, []byte(data), Options{})
		if !errors.Is(err, govreport.ErrNoText) || govreport.StatusOf(err) != govreport.StatusNoText || !strings.Contains(err.Error(), "the file holds no text") {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// Text in UTF-16 with a byte-order mark (Windows Notepad's "Unicode") was
// undecodable: it now reads as the same text in UTF-8 does, line for line.
func TestUTF16WithBOM(t *testing.T) {
	src := mustRead(t, corpus+"2020_zhongmou_commerce_seed.txt")
	want, err := Bytes("a.txt", src, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for name, enc := range map[string]unicode.Endianness{"UTF-16LE": unicode.LittleEndian, "UTF-16BE": unicode.BigEndian} {
		data, err := unicode.UTF16(enc, unicode.UseBOM).NewEncoder().Bytes(src)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Bytes("a.txt", data, Options{})
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if !reflect.DeepEqual(got.Lines, want.Lines) {
			t.Errorf("%s: %d lines, want the UTF-8 file's %d", name, len(got.Lines), len(want.Lines))
		}
	}
}

// FuzzBytes feeds every reader through the format sniffing (but the
// formats LibreOffice converts, and OCR): whatever the bytes, Bytes returns a
// result or an error, within the bounds.
func FuzzBytes(f *testing.F) {
	for _, name := range []string{"2020_zhongmou_commerce_seed.txt", "2024_huaian_szf_2.txt"} {
		f.Add(mustRead(f, corpus+name))
	}
	for _, s := range []string{"", " \n", "一、总体情况\n1 2 3|4\t5", "<html><body><table><tr><td rowspan=9 colspan=9>1</td></tr></table>",
		"\xff\xfe\x00N", "\xfe\xff", "%PDF-1.4\n%%EOF", "PK\x03\x04",
		// MHTML and Word 2003 XML, read by content whatever the name
		"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<table><tr><td>=E4=B8=80</td><td>1</td></tr></table>=\r\n\r\n--B--\r\n",
		`<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"><w:body><w:tbl><w:tr><w:tc><w:tcPr><w:vmerge w:val="restart"/></w:tcPr><w:p><w:r><w:t>一</w:t></w:r></w:p></w:tc></w:tr></w:tbl></w:body></w:wordDocument>`} {
		f.Add([]byte(s))
	}
	for _, name := range []string{"2021_pingtan_1.html__mhtml.doc", "2021_pingtan_1.html__soffice_wordml.doc"} {
		f.Add(mustRead(f, "../testdata/forms/"+name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, name := range []string{"f.txt", "f.html"} {
			switch Format(name, b, "") {
			case "doc", "wps", "rtf", "xls":
				continue // LibreOffice's to read, not ours
			}
			x, err := Bytes(name, b, Options{Timeout: 10e9, MaxPages: 20, NoOCR: true})
			if err == nil && x == nil {
				t.Fatal("nil result without error")
			}
		}
	})
}
