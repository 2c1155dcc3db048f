package geometry

import "govreport/normalize/textnorm"

// clean normalizes a run's text: NFKC but for full-width punctuation,
// white space collapsed (textnorm.CleanRun).
func clean(s string) string { return textnorm.CleanRun(s) }
