package govreport

import "errors"

// Errors an extractor returns for documents that are readable but hold no
// usable text. The importer records them as the document's status.
var (
	ErrNoText      = errors.New("no text layer")      // a scanned PDF that OCR did not read (not installed, or nothing read)
	ErrUndecodable = errors.New("undecodable text")   // fonts or encodings whose bytes cannot be mapped to characters
	ErrEncrypted   = errors.New("encrypted")          // a password other than the empty one is needed
	ErrUnsupported = errors.New("unsupported format") // stored, not read: no reader, or its converter is not installed
)

// StatusOf maps an extraction error onto a document status.
func StatusOf(err error) string {
	switch {
	case err == nil:
		return StatusOK
	case errors.Is(err, ErrNoText):
		return StatusNoText
	case errors.Is(err, ErrUndecodable):
		return StatusUndecodable
	case errors.Is(err, ErrUnsupported):
		return StatusUnsupported
	default:
		return StatusError
	}
}
