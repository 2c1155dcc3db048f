package normalize

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"govreport/normalize/textnorm"
)

// The text helpers the rest of normalize calls: textnorm's, under their
// old names.

func clean(s string) string              { return textnorm.Clean(s) }
func compact(s string) string            { return textnorm.Compact(s) }
func core(s string) string               { return textnorm.Core(s) }
func isDigit(r rune) bool                { return textnorm.IsDigit(r) }
func cnDigit(r rune) int                 { return textnorm.CNDigit(r) }
func cnNumber(s string) int              { return textnorm.CNNumber(s) }
func lcs(a, b []rune) int                { return textnorm.LCS(a, b) }
func runeSig(s string) uint64            { return textnorm.RuneSig(s) }
func sigCount(rs []rune, sig uint64) int { return textnorm.SigCount(rs, sig) }
func quote(s string) string              { return strconv.Quote(s) }

// runesUpTo is min(utf8.RuneCountInString(s), max).
func runesUpTo(s string, max int) int { return min(utf8.RuneCountInString(s), max) }

// fields is strings.Fields appending to dst.
func fields(dst []string, s string) []string { return append(dst, strings.Fields(s)...) }
