package normalize

// Every threshold of the reader, with the reason for its value. Lengths
// count runes of a label's core unless said otherwise.

// Tokenizing and structure (stage 1).
const (
	// sentenceCell: a text cell longer than this holding a 。 is a
	// sentence, not a label followed by numbers; the longest row label
	// (（六）1.申请人无正当理由逾期不补正…) has no 。.
	sentenceCell = 40
	// narrativeLen: a label longer than this is narrative text; the
	// longest row label is 37 runes (（六）2.申请人逾期未按收费通知…).
	narrativeLen = 60
	// sentenceLen, sentenceCommas: a label longer than sentenceLen that
	// ends with 。 or holds sentenceCommas full-width commas is narrative.
	// Labels arrive cleaned (NFKC makes ，half-width), so for them only
	// the 。 counts: （二）部分公开（区分处理的，只计这一情形，…) stays a label.
	sentenceLen    = 25
	sentenceCommas = 2
	// oneLineHeaderWords: where a one-line table's section heading is
	// missing (a workbook of the tables), a grid row printing no number
	// that holds this many of its header words opens it (行政复议 | 行政诉讼);
	// table 三's header holds one of table 四's (总计).
	oneLineHeaderWords = 2
)

// Recovering lines (stage 0).
const (
	// recoverMinLen, recoverMinHeadings: a text line is cut into lines
	// when it is longer than recoverMinLen runes (a long paragraph of a
	// laid-out report is under a thousand) and holds recoverMinHeadings
	// section headings or more: a page's text saved on one line.
	recoverMinLen      = 1000
	recoverMinHeadings = 2
)

// Matching labels to template rows (stages 1 and 2).
const (
	// lcsRatio: when no label variant is contained whole (typos, a label
	// wrapped around its numbers, vertical group labels interleaved), a
	// common subsequence covering this share of a variant names its row.
	lcsRatio = 0.8
	// lcsRatioLong, lcsLongLabel: a long variant is named by a smaller
	// share, lcsLongLabel runes at least: long labels lose more runes to
	// wrapping without becoming ambiguous.
	lcsRatioLong = 0.6
	lcsLongLabel = 8
	// lcsMinLabel: variants shorter than this are matched only whole; two
	// runes in common name nothing.
	lcsMinLabel = 3
	// minHeadingRowMatch: a would-be section heading that contains a row
	// label of at least this many runes is that row (四、结转下年度继续办理),
	// not a heading; shorter labels (行政复议, 4) are words a heading uses.
	minHeadingRowMatch = 6
	// minGroupPart: a would-be heading that is a part of a row group's
	// label at least this long is that group printed truncated (三、办理结果).
	minGroupPart = 4
	// minSwitchMatch: a row containing a label of the next table at least
	// this long (and naming the open table less well) opens the next table
	// when its heading is missing; shorter labels (其他) are shared words.
	minSwitchMatch = 4
	// minLabelPiece: a label that is a piece of one row's label only,
	// this long at least, names that row: the first part of a label
	// wrapped over lines (5.要求行政机关确认 | 或重新出具已获取信息);
	// shorter pieces (公开申请) are shared by rows.
	minLabelPiece = 6
	// minRowsInLabel: a label text holding several rows' labels
	// (rowsIn) is cut only at labels this long: 予以公开 and 重复申请
	// count, a word as short as 其他 or 总计 is part of many.
	minRowsInLabel = 4
)

// Placement and solving (stages 3 and 4).
const (
	// maxCandidates bounds the placements enumerated for a row: 15 cells
	// with 7 printed numbers are 6,435 placements; past the bound the row
	// is left ambiguous rather than spending seconds on it.
	maxCandidates = 20000
	// maxRunSteps bounds the cuts tried when splitting a table printed
	// as one run of digits with its identities checked as the cuts go
	// (table 四's 26 digits over 15 cells: some 6,500 cuts tried); past
	// it the run is left ambiguous.
	maxRunSteps = 2000000
	// minShortRows: the rows of a table printing fewer numbers than its
	// columns, none printed 0, that say it leaves zero cells blank
	// (blank.go). One is an agency's row printed short, read as before
	// (testdata/layout3's 三、结转下期 1 1); a print with zero cells
	// emptied prints every row with a zero short.
	minShortRows = 2
	// maxJointNodes bounds the search for the joint readings of a table
	// that leaves zeros blank (blank.go): a table 三 of 25 rows with ten
	// rows printing two to four numbers takes a few thousand steps; past
	// the bound the rows keep their filtered placements, a superset.
	maxJointNodes = 200000
	// filterRounds bounds the rounds of filtering placements through the
	// identities: each round can only narrow ranges, and tables settle in
	// two or three; the bound guards against slow oscillation.
	filterRounds = 8
	// fillPasses bounds the passes filling cells an identity fixes: a
	// pass fills what one identity fixes, the next what that frees
	// (a row total, then a column total).
	fillPasses = 3
	// tolerance: values are counts or amounts with at most six decimals
	// (万元); sums equal within this are equal.
	tolerance = 1e-6
	// maxBlockReadings bounds the readings of a table's numbers by their
	// order alone (blocks.go): per run of numbers, and over the table. A
	// run of ten rows has 512 ways of cutting it into row-major rows and
	// column-major blocks; the per-row identities leave few, and a table
	// whose order leaves more is not read by it.
	maxBlockReadings = 4096
	// labelWrapLines: a row label is found printed over up to this many
	// lines (（六）'s sub-rows wrap over three in a narrow column).
	labelWrapLines = 3
)

// Layout of a fragment.
const (
	// fragmentRows, fragmentLabelLen: a text printing no layout's
	// markers or fallback signs is read with the layout of which it
	// prints fragmentRows row labels of fragmentLabelLen runes or more (a
	// page holding the end of table 三 and table 四); a legacy report's
	// narrative may use a word or two of them (不予公开), not four rows.
	fragmentRows     = 4
	fragmentLabelLen = 5
)

// Section headings.
const (
	// headingScore: a heading's text must match a section label at least
	// this well (see matchSection) to open that section.
	headingScore = 0.75
	// containedScale, containedFloor, containedFloorLen: a label contained
	// in a heading scores its share of the heading, scaled below an exact
	// match; a contained label of containedFloorLen runes or more scores
	// at least containedFloor (a heading with a prefix: 二、行政机关主动公开…).
	containedScale    = 0.95
	containedFloor    = 0.8
	containedFloorLen = 6
	// headingMaxLen: a would-be heading longer than this is a sentence.
	headingMaxLen = 40
	// bareHeadingLen, joinedHeadingLen, verticalPartLen, verticalLines: an
	// ordinal followed by fewer than bareHeadingLen runes that matches no
	// section is joined with the short lines after it (a label printed
	// vertically, verticalPartLen runes a line at most, within
	// verticalLines lines) until it reaches joinedHeadingLen runes.
	bareHeadingLen   = 8
	joinedHeadingLen = 12
	verticalPartLen  = 4
	verticalLines    = 6
	// wrapMinLen, wrapOrdinalBytes: a line of at least wrapMinLen runes
	// that ends no sentence was wrapped by the page; the next line opens a
	// numbered item instead when its first wrapOrdinalBytes bytes hold one.
	wrapMinLen       = 15
	wrapOrdinalBytes = 12
)

// Metadata.
const (
	// titleLines: the title is looked for in the first lines only (page
	// chrome can come first); titleMaxLen: a longer line is text.
	titleLines  = 150
	titleMaxLen = 60
	// agencyLineLen: the agency printed on the line above a title opening
	// with its year is 2 to this many runes.
	agencyLineLen = 30
	// closingLines, closingMaxLen: the closing date is one of the last
	// lines, short.
	closingLines  = 6
	closingMaxLen = 30
	// agencyTextLines: the text searched for the agency's full name.
	agencyTextLines = 200
	// legacyKeyLen: a legacy row's key is its label's core cut to this.
	legacyKeyLen = 40
	// legacyHeaderPieces bounds the lines a legacy header printed a word
	// piece a line is read over: a label header, the unit header and a
	// few value columns, each wrapped over two or three lines.
	legacyHeaderPieces = 16
	// legacyStatedMatch: a clause of the text stating a legacy row's
	// value (2015年主动公开政府信息2949条) shares this many runes with the
	// row's label (主动公开文件数: 主动公开); a count in another clause
	// (重大建设项目29条) shares none.
	legacyStatedMatch = 4
)

// OCR readings (extract/ocr).
const (
	// ocrMinConfidence: an OCR reading of a value below this confidence
	// (Tesseract's, 0–100) is stored NULL and uncertain, its text in raw,
	// unless an identity confirms it (decideOCR). On the scans in
	// testdata/scans no number read at 50 or more was wrong once its two
	// readings agreed; extract/ocr gives readings that disagree 40.
	ocrMinConfidence = 50
	// ocrPasses: decideOCR's passes; one settled cell can leave a single
	// unknown in another identity (a row's total, then its column's).
	ocrPasses = 4
	// ocrSureConfidence: an OCR value read with less than this that the
	// identities do not confirm is flagged uncertain (doubtOCR). Digits
	// both readers agree on come at 90 and more; the 4 of a 150 dpi scan
	// in testdata/scans that both read 1 came at 65.
	ocrSureConfidence = 90
)
