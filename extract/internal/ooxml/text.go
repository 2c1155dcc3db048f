package ooxml

import "govreport/normalize/textnorm"

// Clean gives a paragraph's or a cell's raw text the form extract/html
// gives its text (the normalizer relies on it): NFKC, zero-width and
// control characters dropped, whitespace runs (tabs and line breaks
// included) collapsed to one space, which vanishes between two CJK
// characters or CJK and ASCII punctuation (本年新⏎制作数量 → 本年新制作数量),
// trimmed. See textnorm.Joiner.
func Clean(raw string) string {
	var j textnorm.Joiner
	j.Add(raw)
	return j.Take()
}
