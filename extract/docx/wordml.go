package docx

import (
	"bytes"
	"fmt"

	"govreport"
	"govreport/extract/internal/ooxml"
)

// IsWordML reports whether head (a file's first bytes) starts a Word 2003
// XML document (WordprocessingML 2003): the mso-application instruction
// naming Word.Document, or the w:wordDocument root in Word 2003's
// namespace.
func IsWordML(head []byte) bool {
	return bytes.Contains(head, []byte(`progid="Word.Document"`)) ||
		bytes.Contains(head, []byte("<w:wordDocument")) && bytes.Contains(head, []byte(nsW2003))
}

// ExtractWordML reads a Word 2003 XML document (one XML file, which Word
// 2003–2007 save as "XML Document" and sites publish under a .doc or .xml
// name) as Extract reads a .docx: its body has the same paragraphs, runs
// and tables (w:gridSpan, w:vmerge, w:hmerge) in Word 2003's namespace.
// A list label comes from Word's rendering of it (wx:t), which Word writes
// beside each numbered paragraph, not from the list definitions; comments
// (aml:annotation) are left out, deletions dropped. Meta: "doc_title",
// "created", "modified" from o:DocumentProperties.
func ExtractWordML(data []byte) (*govreport.Extracted, error) {
	if len(data) > ooxml.MaxPartSize {
		return nil, fmt.Errorf("wordml: %d bytes of XML, more than %d: %w", len(data), ooxml.MaxPartSize, ooxml.ErrTooLarge)
	}
	r := &reader{budget: maxGridCells, num: parseNumbering(nil)}
	blocks, err := r.document(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("wordml: %w", err)
	}
	x := r.extracted("wordml", blocks)
	for k, v := range r.props {
		x.Meta[k] = v
	}
	return x, nil
}
