package html

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport"
)

// toGBK re-encodes UTF-8 text to GBK. The few characters GBK lacks (the
// 2013 page's mojibake font name ˎ̥) become numeric character references,
// which an HTML parser reads back as the same characters.
func toGBK(t testing.TB, s string) []byte {
	t.Helper()
	enc := simplifiedchinese.GBK.NewEncoder()
	var out bytes.Buffer
	for _, r := range s {
		b, err := enc.Bytes([]byte(string(r)))
		if err != nil {
			fmt.Fprintf(&out, "&#%d;", r)
			continue
		}
		out.Write(b)
	}
	return out.Bytes()
}

const utf8Meta = `<meta charset="utf-8"`

// TestGBKTwin: each real page re-encoded to GBK reads exactly as its UTF-8
// original, whether the charset is declared in the page's <meta>, only in
// the HTTP header, or nowhere (sniffed).
func TestGBKTwin(t *testing.T) {
	base := "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202202/t20220208_80613.htm"
	for _, name := range corpus {
		t.Run(name, func(t *testing.T) {
			orig := load(t, name)
			if !bytes.Contains(orig, []byte(utf8Meta)) {
				t.Fatalf("no %s in the page", utf8Meta)
			}
			want, err := Extract(orig, Options{BaseURL: base})
			if err != nil {
				t.Fatal(err)
			}
			gbk := toGBK(t, string(orig))
			if bytes.Equal(gbk, orig) {
				t.Fatal("re-encoding changed nothing")
			}
			variants := []struct {
				name string
				page []byte
				ct   string
			}{
				{"meta gbk", bytes.Replace(gbk, []byte(utf8Meta), []byte(`<meta charset="gbk"`), 1), ""},
				{"meta gb2312 in http-equiv", bytes.Replace(gbk, []byte(utf8Meta), []byte(`<meta http-equiv="Content-Type" content="text/html; charset=gb2312"`), 1), ""},
				{"header only", bytes.Replace(gbk, []byte(utf8Meta), []byte(`<meta`), 1), "text/html; charset=GBK"},
				// The header wins over a wrong <meta>.
				{"header over wrong meta", gbk, "text/html;charset=gb2312"},
				{"sniffed", bytes.Replace(gbk, []byte(utf8Meta), []byte(`<meta`), 1), "text/html"},
			}
			for _, v := range variants {
				got, err := Extract(v.page, Options{BaseURL: base, ContentType: v.ct})
				if err != nil {
					t.Fatalf("%s: %v", v.name, err)
				}
				if !reflect.DeepEqual(got.Lines, want.Lines) {
					t.Errorf("%s: lines differ from the UTF-8 original (%d vs %d lines)", v.name, len(got.Lines), len(want.Lines))
					for i := range min(len(got.Lines), len(want.Lines)) {
						if !reflect.DeepEqual(got.Lines[i], want.Lines[i]) {
							t.Errorf("first difference, line %d:\n got %q\nwant %q", i+1, got.Lines[i].Text(), want.Lines[i].Text())
							break
						}
					}
				}
				if !reflect.DeepEqual(got.Meta, want.Meta) {
					t.Errorf("%s: meta %q, want %q", v.name, got.Meta, want.Meta)
				}
				if !reflect.DeepEqual(got.Attachments, want.Attachments) {
					t.Errorf("%s: attachments %q, want %q", v.name, got.Attachments, want.Attachments)
				}
			}
		})
	}
}

func TestDecode(t *testing.T) {
	const text = "平潭综合实验区2023年度政府信息公开工作年度报告"
	gbk := toGBK(t, text)
	// 𠀀 (U+20000) is in GB18030 only: a page labelled GBK or GB2312 that
	// holds it still decodes, since both are read as GB18030.
	g18, err := simplifiedchinese.GB18030.NewEncoder().String("𠀀" + text)
	if err != nil {
		t.Fatal(err)
	}
	utf16le := []byte{0xFF, 0xFE}
	for _, r := range text {
		utf16le = append(utf16le, byte(r), byte(r>>8))
	}
	cases := []struct {
		name, ct string
		data     []byte
		want     string
	}{
		{"utf-8 plain", "", []byte(text), text},
		{"utf-8 bom beats header", "text/html; charset=gbk", append([]byte("\xEF\xBB\xBF"), text...), text},
		{"utf-16le bom", "", utf16le, text},
		{"gbk by header", "text/html; charset=gbk", gbk, text},
		{"gb2312 header, gb18030 bytes", "text/html; charset=gb2312", []byte(g18), "𠀀" + text},
		{"gbk by meta", "", append([]byte(`<meta charset=GBK>`), gbk...), `<meta charset=GBK>` + text},
		{"meta beyond 1024 bytes", "", append([]byte(strings.Repeat(" ", 2000)+`<meta http-equiv=Content-Type content="text/html; charset=gb2312">`), gbk...),
			strings.Repeat(" ", 2000) + `<meta http-equiv=Content-Type content="text/html; charset=gb2312">` + text},
		{"gbk sniffed", "", gbk, text},
		// A page labelled gb2312 that is in fact UTF-8: the bytes win.
		{"mislabelled utf-8", "", []byte(`<meta charset="gb2312">` + text), `<meta charset="gb2312">` + text},
		// A page labelled UTF-8 whose bytes are GBK: the bytes win.
		{"gbk labelled utf-8", "", append([]byte(`<meta charset="utf-8">`), gbk...), `<meta charset="utf-8">` + text},
		// A Latin-1 server default over a GBK page.
		{"latin-1 header, gbk bytes", "text/html; charset=ISO-8859-1", gbk, text},
		{"latin-1 text stays latin-1", "text/html; charset=ISO-8859-1", []byte("caf\xe9 cr\xe8me"), "café crème"},
		{"malformed header", "text/html;; charset=gbk;", gbk, text},
	}
	for _, c := range cases {
		got, err := Decode(c.data, c.ct)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

// TestUndecodable: binary input is an error wrapping ErrUndecodable, not a
// page of garbage.
func TestUndecodable(t *testing.T) {
	pdf := load(t, "2023_hongze_qzf_1.pdf")
	docx := load(t, "template_blank_guoban2021_1.docx")
	noise := make([]byte, 4096)
	for i := range noise {
		noise[i] = byte(i * 7 % 32) // control characters
	}
	utf16NoBOM := []byte{}
	for _, r := range "<html><body><p>政府信息公开工作年度报告</p></body></html>" {
		utf16NoBOM = append(utf16NoBOM, byte(r), byte(r>>8))
	}
	for name, data := range map[string][]byte{
		"pdf": pdf, "docx": docx, "control noise": noise, "utf-16 without bom": utf16NoBOM,
		"gzip": []byte("\x1f\x8b\x08\x00\x00\x00\x00\x00"),
	} {
		ex, err := Extract(data, Options{})
		if !errors.Is(err, govreport.ErrUndecodable) {
			t.Errorf("%s: err %v, want ErrUndecodable", name, err)
		}
		if ex != nil {
			t.Errorf("%s: got an Extracted", name)
		}
		if govreport.StatusOf(err) != govreport.StatusUndecodable {
			t.Errorf("%s: status %s", name, govreport.StatusOf(err))
		}
	}
	// Empty input is no error: a page with nothing in it.
	ex, err := Extract(nil, Options{})
	if err != nil || len(ex.Lines) != 0 {
		t.Errorf("empty input: %v, %d lines", err, len(ex.Lines))
	}
}
