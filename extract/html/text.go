package html

import "govreport/normalize/textnorm"

// textBuf assembles the text of one block (a paragraph or a table cell):
// NFKC, white space collapsed and dropped between CJK (textnorm.Joiner).
type textBuf = textnorm.Joiner

// cjk reports Han, kana, CJK punctuation and full-width forms.
func cjk(r rune) bool { return textnorm.CJK(r) }
