package mhtml

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"govreport/extract/internal/limit"
)

// The form tools/mhtml.py builds from a real page: the page is the first
// part, quoted-printable, labelled gb2312.
func TestForm(t *testing.T) {
	data, err := os.ReadFile("../../testdata/forms/2023_pingtan_1.html__mhtml.doc")
	if err != nil {
		t.Fatal(err)
	}
	if !Is(data) {
		t.Fatal("not recognised")
	}
	p, err := Main(data)
	if err != nil {
		t.Fatal(err)
	}
	// "平潭" in GB2312 is C6BD CCB6; quoted-printable decoded, the bytes stand as they are
	if p.Parts != 1 || !strings.Contains(p.ContentType, "gb2312") || !strings.Contains(string(p.HTML), "\xc6\xbd\xcc\xb6") || strings.Contains(string(p.HTML), "=3D") {
		t.Errorf("parts %d, type %q, %d bytes", p.Parts, p.ContentType, len(p.HTML))
	}
}

const msg = "From: <Saved by Blink>\r\nSubject: report\r\nMIME-Version: 1.0\r\nContent-Type: multipart/related;\r\n\ttype=\"text/html\";\r\n\tboundary=\"B\"%s\r\n\r\npreamble\r\n%s--B--\r\n"

func part(headers, body string) string { return "--B\r\n" + headers + "\r\n\r\n" + body + "\r\n" }

func TestMain(t *testing.T) {
	css := part("Content-Type: text/css\r\nContent-Location: http://x/a.css", "p{}")
	b64 := part("Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\nContent-ID: <main>\r\nContent-Location: http://x/report.htm",
		"PGh0bWw+PGJvZHk+5bm05bqm5oql5ZGKPC9ib2R5\r\n  PjwvaHRtbD4=")
	other := part("Content-Type: text/html\r\nContent-ID: <frame>", "<p>frame</p>")
	for _, tc := range []struct {
		name, data, want, loc string
		parts                 int
	}{
		{"html after other parts, base64 with indented lines", fmt.Sprintf(msg, "", css+b64), "<html><body>年度报告</body></html>", "http://x/report.htm", 2},
		{"start names the page", fmt.Sprintf(msg, ";\r\n\tstart=\"<main>\"", other+css+b64), "<html><body>年度报告</body></html>", "http://x/report.htm", 3},
		{"one part", "MIME-Version: 1.0\r\nContent-Type: text/html; charset=gb2312\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p class=3D\"a\">x=\r\ny</p>", `<p class="a">xy</p>`, "", 1},
		// mime/quotedprintable refuses "=ZZ" and "= " mid-line; a mail reader keeps them, as here
		{"lenient quoted-printable", "MIME-Version: 1.0\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n<p class=3d\"a\">50%=ZZ = 1=  \r\n2=\n3=", `<p class="a">50%=ZZ = 123`, "", 1},
		{"page in a multipart/alternative", fmt.Sprintf(msg, "", css+part("Content-Type: multipart/alternative; boundary=\"C\"",
			"--C\r\nContent-Type: text/plain\r\n\r\nplain\r\n--C\r\nContent-Type: text/html\r\nContent-Location: http://x/alt.htm\r\n\r\n<p>alt</p>\r\n--C--")), "<p>alt</p>", "http://x/alt.htm", 4},
		{"start names a multipart", fmt.Sprintf(msg, ";\r\n\tstart=\"<alt>\"", other+part("Content-Type: multipart/alternative; boundary=\"C\"\r\nContent-ID: <alt>",
			"--C\r\nContent-Type: text/html\r\n\r\n<p>alt</p>\r\n--C--")), "<p>alt</p>", "", 3},
	} {
		if !Is([]byte(tc.data)) {
			t.Errorf("%s: not recognised", tc.name)
			continue
		}
		p, err := Main([]byte(tc.data))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if string(p.HTML) != tc.want || p.Location != tc.loc || p.Parts != tc.parts {
			t.Errorf("%s: %q at %q, part %d", tc.name, p.HTML, p.Location, p.Parts)
		}
	}
}

func TestNotMHTML(t *testing.T) {
	for _, s := range []string{
		"<html><body>MIME-Version: 1.0\nContent-Type: multipart/related</body></html>",
		"标题: x\nMIME-Version: 1.0\nContent-Type: multipart/related; boundary=B\n\n",
		"Subject: x\nContent-Type: multipart/related; boundary=B\n\n", // no MIME-Version
		"MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=B\n\n",
		"MIME-Version: 1.0\nSubject: x\n\nContent-Type: multipart/related; boundary=B\n\n", // in the body
	} {
		if Is([]byte(s)) {
			t.Errorf("%q recognised", s)
		}
	}
}

func TestErrors(t *testing.T) {
	many := strings.Repeat(part("Content-Type: image/png", "x"), limit.Parts+1)
	for _, tc := range []struct{ name, data, want string }{
		{"no page", fmt.Sprintf(msg, "", part("Content-Type: image/png", "x")), "no text/html part among the 1 parts"},
		{"start names no part", fmt.Sprintf(msg, "; start=\"<nope>\"", part("Content-Type: text/html", "x")), "no part has the Content-ID <nope>"},
		{"no boundary", "MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n", "without a boundary"},
		{"unknown encoding", fmt.Sprintf(msg, "", part("Content-Type: text/html\r\nContent-Transfer-Encoding: uuencode", "x")), `transfer encoding "uuencode" is unknown`},
		{"bad base64", fmt.Sprintf(msg, "", part("Content-Type: text/html\r\nContent-Transfer-Encoding: base64", "!!!!")), "decoding the page (base64)"},
		{"nested too deep", fmt.Sprintf(msg, "", nest(maxDepth+1)), "nested more than 8 deep"},
		{"too many parts", fmt.Sprintf(msg, "", many), "more than 10000 MIME parts"},
		{"truncated", fmt.Sprintf(msg, "", "--B\r\nContent-Type: text/html\r\n"), "mhtml:"},
	} {
		_, err := Main([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// nest is a multipart/alternative part nested d deep, a page at the bottom.
func nest(d int) string {
	body := "--Z\r\nContent-Type: text/html\r\n\r\n<p>deep</p>\r\n--Z--"
	for i := range d {
		b := fmt.Sprintf("N%d", i)
		body = "--" + b + "\r\nContent-Type: multipart/alternative; boundary=\"" + prev(i) + "\"\r\n\r\n" + body + "\r\n--" + b + "--"
	}
	return part(`Content-Type: multipart/alternative; boundary="N`+fmt.Sprint(d-1)+`"`, body)
}

func prev(i int) string {
	if i == 0 {
		return "Z"
	}
	return fmt.Sprintf("N%d", i-1)
}
