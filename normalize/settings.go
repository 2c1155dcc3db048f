package normalize

// Every threshold of the reader, with the reason for its value.

// Structure and assembly: which printed label names which template row.
const (
	// minHeadingRowMatch: a would-be section heading that contains a row
	// label of at least this many characters is that row
	// (四、结转下年度继续办理), not a heading; shorter labels (行政复议,
	// 4) are words a heading may use.
	minHeadingRowMatch = 6
	// minGroupPart: a would-be heading that is a part of a row group's
	// label of at least this many characters is that group printed
	// truncated (三、办理结果).
	minGroupPart = 4
	// minSwitchMatch: a row that contains a label of the next table of at
	// least this many characters (and names the open table less well)
	// opens the next table when its heading is missing.
	minSwitchMatch = 4
)
