// Package mhtml reads a web page saved as a single file (MHTML, a MIME
// multipart/related message: Word's "single file web page", browsers'
// "web archive", many CMS exports). Government sites publish these under
// .doc, .wps, .mht and .mhtml names. The package finds the page among the
// message's parts and decodes its transfer encoding (quoted-printable,
// base64) with the standard library; the caller reads the page as HTML,
// the part's charset telling its encoding.
package mhtml

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"strings"

	"govreport/extract/internal/limit"
)

// Is reports whether data starts as an MHTML file: a MIME header block
// (optionally after a byte-order mark and blank lines) that declares a
// multipart/related message, or a single text/html part under
// MIME-Version.
func Is(data []byte) bool {
	head := data
	if len(head) > 4096 {
		head = head[:4096]
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n")
	if !headerLine(head) {
		return false
	}
	if i := bytes.Index(head, []byte("\n\r\n")); i >= 0 {
		head = head[:i]
	} else if i := bytes.Index(head, []byte("\n\n")); i >= 0 {
		head = head[:i]
	}
	lower := bytes.ToLower(head)
	if !bytes.Contains(lower, []byte("mime-version:")) {
		return false
	}
	i := bytes.Index(lower, []byte("content-type:"))
	if i < 0 {
		return false
	}
	ct := bytes.TrimLeft(lower[i+len("content-type:"):], " \t\r\n")
	return bytes.HasPrefix(ct, []byte("multipart/related")) || bytes.HasPrefix(ct, []byte("text/html"))
}

// headerLine reports whether b starts with "Name:", a header field name
// of ASCII letters, digits and hyphens (as every real one is).
func headerLine(b []byte) bool {
	for i, c := range b {
		switch {
		case c == ':':
			return i > 0
		case !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-'):
			return false
		}
	}
	return false
}

// Page is the page an MHTML file holds.
type Page struct {
	HTML        []byte // the page, transfer encoding removed, in its own charset
	ContentType string // the part's Content-Type (its charset tells the encoding)
	Location    string // the part's Content-Location, "" when absent
	Parts       int    // the parts read, the page's included
}

// Main returns the page of an MHTML file: the part the multipart/related
// start parameter names, else the first text/html part. It reads at most
// limit.Parts parts; a page decoding to more than limit.PartBytes, a
// message without a page, or a malformed one gives an error saying so.
func Main(data []byte) (*Page, error) {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"))))
	h, err := tp.ReadMIMEHeader()
	if err != nil && !(errors.Is(err, io.EOF) && len(h) > 0) {
		return nil, fmt.Errorf("mhtml: reading the headers: %v", err)
	}
	media, params, err := mime.ParseMediaType(h.Get("Content-Type"))
	if err != nil {
		return nil, fmt.Errorf("mhtml: Content-Type %q: %v", h.Get("Content-Type"), err)
	}
	if media == "text/html" { // a single page, no other parts
		b, err := decoded(tp.R, h.Get("Content-Transfer-Encoding"))
		if err != nil {
			return nil, err
		}
		return &Page{HTML: b, ContentType: h.Get("Content-Type"), Location: h.Get("Content-Location"), Parts: 1}, nil
	}
	if !strings.HasPrefix(media, "multipart/") || params["boundary"] == "" {
		return nil, fmt.Errorf("mhtml: Content-Type %s without a boundary: not a web archive", media)
	}
	start := strings.Trim(params["start"], "<>")
	n := 0
	page, err := walk(tp.R, params["boundary"], start, &n, 0)
	if page != nil || err != nil {
		return page, err
	}
	if start != "" {
		return nil, fmt.Errorf("mhtml: no part has the Content-ID <%s> the message names as its start (%d parts)", start, n)
	}
	return nil, fmt.Errorf("mhtml: no text/html part among the %d parts", n)
}

// maxDepth bounds how deep multiparts nest (a page in a
// multipart/alternative inside the multipart/related is one level).
const maxDepth = 8

// walk reads the parts of a multipart body for the page: the part whose
// Content-ID is start, else the first text/html part. A multipart part
// (multipart/alternative, a nested related) is read in turn, its first
// text/html part the page. n counts the parts read at every level.
func walk(r io.Reader, boundary, start string, n *int, depth int) (*Page, error) {
	mr := multipart.NewReader(r, boundary)
	for {
		// NextRawPart: NextPart would decode quoted-printable itself
		// but not base64; decoded does both alike.
		p, err := mr.NextRawPart()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("mhtml: part %d: %v", *n+1, err)
		}
		*n++
		if *n > limit.Parts {
			return nil, limit.Exceeded("MIME parts", limit.Parts)
		}
		ct := p.Header.Get("Content-Type")
		pm, pp, _ := mime.ParseMediaType(ct)
		named := start != "" && strings.Trim(p.Header.Get("Content-ID"), "<>") == start
		if strings.HasPrefix(pm, "multipart/") && pp["boundary"] != "" && (start == "" || named) {
			if depth >= maxDepth {
				return nil, fmt.Errorf("mhtml: multiparts nested more than %d deep", maxDepth)
			}
			page, err := walk(p, pp["boundary"], "", n, depth+1)
			if page != nil || err != nil || named {
				return page, err
			}
			continue
		}
		if start != "" && !named || start == "" && pm != "text/html" {
			continue
		}
		b, err := decoded(p, p.Header.Get("Content-Transfer-Encoding"))
		if err != nil {
			return nil, err
		}
		return &Page{HTML: b, ContentType: ct, Location: p.Header.Get("Content-Location"), Parts: *n}, nil
	}
}

// decoded reads a part's body, removing its transfer encoding, up to
// limit.PartBytes.
func decoded(r io.Reader, encoding string) ([]byte, error) {
	switch enc := strings.ToLower(strings.TrimSpace(encoding)); enc {
	case "quoted-printable":
		raw, err := io.ReadAll(r)
		if err != nil {
			return nil, fmt.Errorf("mhtml: reading the page: %v", err)
		}
		r = bytes.NewReader(unquote(raw))
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, &spaceless{r: r})
	case "", "7bit", "8bit", "binary":
	default:
		return nil, fmt.Errorf("mhtml: the page's transfer encoding %q is unknown", encoding)
	}
	b, err := io.ReadAll(io.LimitReader(r, limit.PartBytes+1))
	if err != nil {
		return nil, fmt.Errorf("mhtml: decoding the page (%s): %v", encoding, err)
	}
	if len(b) > limit.PartBytes {
		return nil, limit.Exceeded("bytes in the page part", limit.PartBytes)
	}
	return b, nil
}

// spaceless drops the white space base64.NewDecoder does not (it skips
// only CR and LF): spaces and tabs some writers indent lines with.
type spaceless struct{ r io.Reader }

func (s *spaceless) Read(p []byte) (int, error) {
	for {
		n, err := s.r.Read(p)
		j := 0
		for _, c := range p[:n] {
			if c != ' ' && c != '\t' {
				p[j] = c
				j++
			}
		}
		if j > 0 || err != nil {
			return j, err
		}
	}
}

// unquote decodes quoted-printable as mail readers do, leniently: an "="
// followed by two hex digits (either case) is that byte, one ending a line
// (white space may stand between) joins the lines, and any other "=" is
// kept as printed (RFC 2045 6.7, note 1), where mime/quotedprintable would
// refuse the whole page.
func unquote(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c != '=' {
			out = append(out, c)
			continue
		}
		if i+2 < len(b) {
			h, ok1 := unhex(b[i+1])
			l, ok2 := unhex(b[i+2])
			if ok1 && ok2 {
				out = append(out, h<<4|l)
				i += 2
				continue
			}
		}
		j := i + 1
		for j < len(b) && (b[j] == ' ' || b[j] == '\t') {
			j++
		}
		switch {
		case j == len(b):
			i = j - 1
		case b[j] == '\n':
			i = j
		case b[j] == '\r' && j+1 < len(b) && b[j+1] == '\n':
			i = j + 1
		default:
			out = append(out, '=')
		}
	}
	return out
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
