// Package normalize turns extracted lines into a report: metadata, the six
// sections, the statistics tables mapped onto the layout's template, and the
// checks of the tables' arithmetic. It knows nothing of file formats.
//
// # Templates
//
// Every fact about a layout is data (templates/*.json, shaped by
// govreport.Template): its markers, the fallback signs that tell it apart
// in a fragment, and per table the section that prints it, whether it may
// be printed on one line, the words that open it or belong to its header,
// its group headers, its optional subtotal column, its rows and columns
// with their printed labels, and its identities. LoadTemplates reads a
// TemplateSet from folders and Validate rejects what the reader below
// cannot honour; NormalizeWith reads with a set, Normalize with the
// built-in one. No code names a layout, a table or a row.
//
// # The reader
//
// NormalizeWith runs these steps in order (read in normalize.go); Explain
// runs the same and returns what each did as Events, one Stage each.
//
//   - StageRecover (recover.go): recoverLines gives text saved without
//     its line structure (an archiver's page text on one line) its lines
//     back: a line far longer than a paragraph holding several section
//     headings is cut around the headings inlineHeadings finds inside it,
//     after each sentence, and in what is left before each table row
//     (cutRows: a label after a number, digits run into an ordinal, a
//     legacy header's column words, a unit between label and digits), a
//     page footer run onto a row's digits first set apart
//     (cutGluedFooters).
//   - Lines (lines.go): prepare cleans each extracted line, drops page
//     footers and tokenize splits it into label and value tokens
//     (splitCell cuts numbers run onto a label or into the next row's
//     ordinal, marking digit runs that may be several cells as glued).
//   - StageLayout: detectLayout counts each template's markers in the
//     text; fallbackLayout decides by the templates' fallback signs when
//     none is printed, fragmentLayout by the rows of a layout's tables a
//     fragment prints (the end of table 三 and table 四 on one page); no
//     sign at all is the legacy layout.
//   - StageMeta: metadata reads title, agency and year (meta.go).
//   - StageSections: findHeadings finds the numbered headings (sections.go),
//     joining a heading printed vertically and refusing lines isRowLabel
//     says are rows of a table numbered like headings.
//
// Tables are read by readTables (assemble.go): the tables read row by row
// over one region, from the first one's section heading to the section
// after the last one's, then each one-line table in its own section.
//
//   - StageStructure (structure.go), lines → labelled rows: structure.line
//     groups a line's tokens into rows (groupTokens: a label after values
//     starts a row), keeps a label printed before its numbers pending
//     (several rows' labels pending before all their numbers, rowsIn,
//     take them in turn, by position), and through labelOnly reads
//     label-only lines that are not labels (the next table's start words,
//     a header naming the open table's columns, its header words). Its
//     output is typed pieces: a row, numbers without a label, a heading,
//     start words. subtotals notes an optional
//     subtotal column a header prints. For a one-line table, readOneLine
//     (oneline.go) collects the numbers of its section.
//   - StageAssemble (assemble.go), labelled rows → template rows:
//     assembly.take receives each piece; assembly.opens alone decides that
//     a piece opens a later table (its section's heading, its start words,
//     a row naming its rows better); addRow matches the label to a
//     template row (matchRow in match.go: the last contained label variant,
//     else a long enough common subsequence) or keeps it outside the
//     template, and gives it its columns; numbers without a label continue
//     the last row. readOneLine keeps each row printed on its own line, or
//     makes all the numbers one run over every row's cells.
//   - StagePlace (place.go), numbers → columns: placeRows sets each row's
//     placeMode: as many numbers as columns is direct; fewer, or digits run
//     together, is inferred, with candidates: splits of glued digits first
//     (staged), placements leaving cells unprinted next; more numbers than
//     columns, an agency's row printed short, or too many placements
//     (maxCandidates) leave it uncertain or ambiguous.
//   - Blank zeros (blank.go): placeBlanks finds the tables that leave
//     their zero cells blank (no number printed 0, a row printing fewer
//     numbers than columns): their blanks are 0 for the identities and
//     stored NULL, not_reported; a template row whose label is read and
//     that prints no number is a row of blanks; solveRows then solves
//     such a table jointly (joint): a row keeps the placements some
//     combination passing every identity uses, and decide stores the
//     cells they agree on, by_position. A table printed as one run of
//     numbers (readOneLine) leaves zeros blank when, its blanks 0, every
//     placement passing its row identities gives each row the same numbers
//     and two rows print short (blankRun): a row's total is then stored.
//   - StageSolve (solve.go), placements → values: solveRows runs filter,
//     which instantiates the identities on the rows they touch (terms),
//     drops the candidates that cannot satisfy them given the ranges the
//     other rows can still take (ranges, admits) and fills the cells an
//     identity with one unknown fixes (fill); a staged row with no split
//     left gets its placements with gaps and is filtered again. decide
//     then keeps one placement, or among several the fully determined ones
//     with the fewest unprinted cells (fewestGaps), or the cells every
//     placement agrees on (common); digits run together with several
//     splits are ambiguous, but for a table printed on one line as one
//     run the template rows every split reads alike (decideRun). split
//     cuts a one-line run back into rows. Such a run with too many splits
//     to list gets those its own identities admit, checked as the digits
//     are cut (runSplits, gluedrun.go).
//     A table its labels left incomplete is then read from the order of
//     its numbers (rereadBlocks, blocks.go): each run of numbers between
//     label lines cut into row-major rows and column-major blocks of the
//     template's rows in turn, kept when exactly one reading passes every
//     identity; its rows are by position. A table of row groups
//     (rereadGroups, groups.go) gives a group of one row the numbers
//     printed between its header and the next group's when their count
//     is the row's width and its label is among those lines, by position.
//   - Sections' text (sections.go): sections adds the sections whose
//     heading is missing where their table starts and gathers each
//     section's narrative from the lines no table used.
//   - Cells (cells.go): emitCells writes each row's cells in template
//     order, with their flags (inferred, not_printed, uncertain,
//     ambiguous_split, not_reported, footnote, unit_converted,
//     outside_template).
//   - StageCheck (checks.go): checks evaluates every identity of the layout
//     on the stored values: pass, fail (a finding; values stay as printed)
//     or not assessable. byPosition then flags the rows whose numbers
//     reached them by where they stand (piece.byPos, set by the structure
//     stage) unless every identity on the row and its columns passed:
//     by_position, and uncertain on every value of their table.
//
// Legacy reports (2008–2018) have no fixed tables: legacyTables keeps
// their statistics tables as printed rows of a table "legacy" (legacy.go),
// a header printed a word-piece a line read by its words (wrappedHeader);
// splitLegacy cuts digits run together over the value columns where the
// columns (no leading zero, 历年累计 ≥ this year), the sub-row sums (其中…)
// or the text stating the row's count leave one split. Rows printed in
// content-stream order as their unit and numbers alone, their wrapped
// labels after the table (legacyorder.go), take those labels in row order
// when exactly one cut of the label lines into legacy.json's labels gives
// as many as there are such rows: by_position, uncertain unless a
// sub-row sum holds. The words such a
// table is printed with (title, header words, column names and which are
// this year's, cumulative or the previous year's, the sub-item word 其中,
// the attachment heading's 统计表) are legacy.json's "table", read through
// TemplateSet.Legacy; its "indicators" map the rows onto canonical
// indicators. The store's legacy view tells a row's value and cumulative
// value by the same column words (govreport.LegacyColumns, handed over by
// cmd/internal/ingest.StoreOptions).
//
// What is not a layout's stays in code or in units.json: punctuation,
// Chinese numerals and ordinals, dates and the magnitude 万 (the text
// package and lines.go, recover.go, sections.go), and the one list of
// unit words every layout shares (units.json, units.go: where each is
// read, and 元/万元/亿元 conversion).
//
// Every threshold of these steps is in settings.go with the reason for
// its value. A new way of recovering rows (one-line text, positions) is a
// new piece source for the structure stage; a new way of choosing columns
// (by position) is a new placeMode in the place stage.
package normalize
