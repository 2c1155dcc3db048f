// Package extract turns a report file's bytes into lines of text with cells
// (govreport.Extracted), choosing the reader by the file's content: PDF
// (extract/pdf), HTML (extract/html) or flattened text (extract/text).
// Formats it cannot read (doc, docx, wps, xls) are reported as unsupported.
package extract

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"govreport"
	"govreport/extract/html"
	"govreport/extract/pdf"
	"govreport/extract/text"
)

// Options bound and inform the extraction of one file.
type Options struct {
	ContentType string        // HTTP Content-Type, when the file was fetched
	BaseURL     string        // the URL the file was fetched from, to resolve links
	MaxPages    int           // PDF page limit (0: the reader's default)
	Timeout     time.Duration // PDF time limit (0: the reader's default)
}

// Format guesses a file's format from its first bytes, its name and its
// content type: pdf, html, txt, or the extension of an unsupported format.
func Format(name string, data []byte, contentType string) string {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	lower := bytes.ToLower(bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xef\xbb\xbf")), " \t\r\n"))
	ext := strings.ToLower(strings.TrimPrefix(filepath.Ext(name), "."))
	switch {
	case bytes.HasPrefix(head, []byte("%PDF")) || bytes.Contains(head, []byte("%PDF-")):
		return "pdf"
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0")):
		if ext == "xls" || ext == "wps" {
			return ext
		}
		return "doc"
	case bytes.HasPrefix(head, []byte("PK\x03\x04")):
		if ext == "xlsx" {
			return ext
		}
		return "docx"
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")) || bytes.Contains(lower, []byte("<body")) || bytes.Contains(lower, []byte("<meta")) || bytes.Contains(lower, []byte("<table")),
		strings.Contains(contentType, "html"), ext == "html" || ext == "htm" || ext == "shtml":
		return "html"
	case ext == "pdf":
		return "pdf"
	case ext == "doc" || ext == "docx" || ext == "wps" || ext == "xls" || ext == "xlsx":
		return ext
	}
	return "txt"
}

// Bytes extracts a file's text. A panic inside a reader is recovered and
// returned as an error; the caller names the file.
func Bytes(name string, data []byte, opt Options) (x *govreport.Extracted, err error) {
	format := Format(name, data, opt.ContentType)
	defer func() {
		if r := recover(); r != nil {
			x, err = nil, fmt.Errorf("%s reader failed: %v", format, r)
		}
	}()
	switch format {
	case "pdf":
		x, err = pdf.Extract(data, pdf.Options{MaxPages: opt.MaxPages, Timeout: opt.Timeout})
	case "html":
		x, err = html.Extract(data, html.Options{BaseURL: opt.BaseURL, ContentType: opt.ContentType})
	case "txt":
		x, err = text.Extract(data)
	default:
		return &govreport.Extracted{Format: format}, fmt.Errorf("%s: %w", format, govreport.ErrUnsupported)
	}
	if x != nil && x.Format == "" {
		x.Format = format
	}
	return x, err
}
