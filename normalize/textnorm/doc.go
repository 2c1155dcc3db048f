// Package textnorm owns the text conventions the extractors and the
// normalizer share: cleaning text for reading (NFKC, white space, invisible
// characters, full-width forms), the spaceless form of a label and its core,
// Chinese numerals, and the longest common subsequence and rune signatures
// labels are matched with.
//
// It is a leaf: it imports only the standard library and golang.org/x/text,
// so extract/* may import it. Nothing else under normalize/ may be imported
// by extract/*.
//
// Three cleaners, for three contracts:
//   - Clean: NFKC, zero-width characters dropped, the ends trimmed, inner
//     white space kept (the normalizer splits cells of flattened text at
//     runs of spaces).
//   - CleanRun: NFKC but for full-width punctuation, white space collapsed
//     (a PDF text run, as extract/pdf stores it).
//   - Joiner: NFKC of text pieces assembled into one block, Invisible
//     characters dropped, white space collapsed and dropped between CJK
//     characters (extract/html's text nodes, extract/internal/ooxml's Word
//     and Excel text).
//
// Every fast path (Clean, Compact, Core, Joiner.Add) keeps beside it, or in
// its tests, the plain code it replaces; a differential test and a fuzz
// target compare the two on the bundled documents and on random text made
// of the hard cases, and a figure in the fast path's comment says why it
// stays. The figures are instructions counted by valgrind --tool=callgrind
// (GOGC=off), steadier than time on a shared machine; the ns/line medians
// of the same benchmarks agree.
package textnorm
