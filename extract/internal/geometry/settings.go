package geometry

// layoutSettings are the tolerances of the page layout: how close runs of
// text must be to share a line, a word, a table row or a column, and what
// separates tables and headers. em: a multiple of the font size of the
// runs compared (the table's label size in a table); pt: PDF points.
type layoutSettings struct {
	// Page margins: a line above marginTop or below marginBottom (shares
	// of the page height) is a header or footer when it repeats or is a
	// page number.
	marginTop, marginBottom float64

	// sameLine (em): runs whose baselines are closer share a line or a
	// row; half a line keeps the line above and below apart.
	sameLine float64
	// spaceGap, wideGap (em): a gap wider than spaceGap between non-CJK
	// text is a space, one wider than wideGap is one between CJK text.
	spaceGap, wideGap float64

	// touchOverlap, touchGap (em): text overlapping a number by less than
	// touchOverlap or closer than touchGap is part of it (a number inside
	// a sentence, 共3件); a table's number stands apart. A label left of
	// a lone number is at least touchGap away.
	touchOverlap, touchGap float64
	// cellLines (em): a word this close under a number, no wider, makes
	// it a line of a text cell (2013 over 年度), not a value.
	cellLines float64
	// tableGap (pt), tableGapRows (rows): data rows farther apart than
	// both the first and this many times the table's row pitch start a
	// new table.
	tableGap, tableGapRows float64
	// headingSize (em), headingRunes: larger text of more runes between
	// two rows is a heading between two tables. paragraphRunes: a line of
	// more runes between them is body text (no table cell is that long).
	headingSize    float64
	headingRunes   int
	paragraphRunes int
	// sectionClear (em), sectionRunes: a numbered section heading of that
	// many runes, this far from both rows, separates tables too.
	sectionClear float64
	sectionRunes int

	// columnOverlap (pt): numbers whose x extents overlap by more than
	// this share a column. columnZone (pt): the slack at the first
	// column's left edge between the label area and the columns (a label
	// ends before it, a header over the columns reaches past it).
	// labelMargin (pt): a run centred more than this left of the first
	// column and ending within it of that column is in the label area.
	columnOverlap, labelMargin, columnZone float64
	// stackOverlap (share of the narrower): header words overlapping by
	// more are stacked lines of one header cell.
	stackOverlap float64
	// wideHeader, fewHeader (runs over the columns): a header line with at
	// most fewHeader runs above a line with wideHeader or more spans
	// columns (申请人情况 over 自然人 … 总计).
	wideHeader, fewHeader int

	// labelSize (em of each run): text this close to a row's baseline
	// gives the label size. labelBand (em): a row label's wrapped lines
	// sit within this of its numbers; firstRowTop (em) above the first
	// row, the header begins. rowValues (em): values of a row within this
	// of its baseline; belowLastRow (em): inner text lines up to this
	// below the last row.
	labelSize, labelBand, firstRowTop, rowValues, belowLastRow float64
	// labelCellGap (em of the line), cellGap (em): a gap wider than this
	// splits a label line, a text line inside the table, into cells.
	labelCellGap, cellGap float64

	// headerReach (pt): how far above a table its header is looked for.
	// headerSize (em): larger text above is a title, not header. A header
	// line more than headerLineGap em plus headerLineGapPt points above
	// the next is body text.
	headerReach, headerSize, headerLineGap, headerLineGapPt float64

	// ruleJoin (pt): rules whose ends come this close meet, and rule
	// positions this close are one line (a drawn line's width, the two
	// borders of adjacent cells). ruleCover (share): a rule separates two
	// fine cells when it covers this much of their common side (less is
	// the stub of a crossing line).
	ruleJoin, ruleCover float64
	// maxGridRules, maxGridCells bound the ruled-table search (pairs of
	// rules, fine cells): real report pages have a few hundred rules and
	// tables of some hundred fine cells.
	maxGridRules, maxGridCells int
	// baselineRise (em): a glyph's middle is this far above its baseline.
	baselineRise float64
	// maxLinePitch (em), pitchSlack: a label's wrapped lines follow each
	// other at the closest pitch of the table's label lines, give or take
	// pitchSlack, and never farther than maxLinePitch (double spacing);
	// farther apart, lines are cells of different rows. wrapWider (em): a
	// wrapped line is at most this much wider than the line before it
	// (text wraps where its line is full): a short line over a wider one
	// is a row of its own (规章 over 行政规范性文件).
	maxLinePitch, pitchSlack, wrapWider float64
	// labelAlign (em): a label cell with no number starts this close to
	// the other row labels to be a row printed blank (a heading after the
	// table is indented otherwise). blankBelow (row pitches): how far
	// under the last row with numbers such rows are looked for.
	labelAlign, blankBelow float64

	// continueOverlap (share of the narrower): a label cell at the top of
	// a page continues the one at the foot of the page before when their
	// x extents overlap this much (the same column of one table).
	continueOverlap float64
}

// layout holds the defaults, tuned on the PDFs of testdata/corpus (WPS,
// Word and Chromium output).
var layout = layoutSettings{
	marginTop: 0.09, marginBottom: 0.88,
	sameLine: 0.5, spaceGap: 0.3, wideGap: 2,
	touchOverlap: 0.1, touchGap: 0.4, cellLines: 2.2,
	tableGap: 90, tableGapRows: 4,
	headingSize: 1.3, headingRunes: 6, paragraphRunes: 40,
	sectionClear: 3, sectionRunes: 10,
	columnOverlap: 0.1, labelMargin: 2, columnZone: 1, stackOverlap: 0.25,
	wideHeader: 4, fewHeader: 2,
	labelSize: 1, labelBand: 3, firstRowTop: 1.6, rowValues: 1.2, belowLastRow: 1,
	labelCellGap: 1, cellGap: 1.5,
	headerReach: 220, headerSize: 1.25, headerLineGap: 4, headerLineGapPt: 10,
	ruleJoin: 2, ruleCover: 0.5,
	maxGridRules: 2000, maxGridCells: 4000,
	baselineRise: 0.35, continueOverlap: 0.5,
	maxLinePitch: 2.2, pitchSlack: 1.25, wrapWider: 1,
	labelAlign: 0.25, blankBelow: 2.5,
}
