// Package limit holds the bounds every reader keeps to whatever its input,
// so that the memory of a parse stays linear in the file's size with a
// small constant: a hostile file (a line of twelve million numbers, a
// page of a million paragraphs) is refused as soon as it is seen to pass
// one, before the structures it would fill are built. Each bound is tens
// of times what the largest real report needs (a few thousand lines, 1,500
// cells, a few thousand words).
package limit

import (
	"errors"
	"fmt"
)

const (
	// Lines bounds the lines of a document (the longest real report, a
	// 300-page PDF, has about 15,000).
	Lines = 100_000
	// Cells bounds the cells of all lines together.
	Cells = 200_000
	// Words bounds the words (runs between white space) of all cells
	// together: the normalizer makes a token of each.
	Words = 200_000
	// Elements bounds the elements of an HTML page (a report page has a
	// few thousand) before its tree is built.
	Elements = 200_000
	// Parts bounds the MIME parts of a web page saved as one file (MHTML:
	// the page, its pictures, styles and a file list; a few dozen).
	Parts = 10_000
	// PartBytes bounds the decoded page of such a file (a report page is
	// under a megabyte), as ooxml bounds a package's part.
	PartBytes = 64 << 20
)

// ErrTooLarge is the error of a file over the size limit or one of the
// bounds above.
var ErrTooLarge = errors.New("file too large")

// Exceeded is the error of a document with more than max of what.
func Exceeded(what string, max int) error {
	return fmt.Errorf("%w: more than %d %s, more than any report holds", ErrTooLarge, max, what)
}
