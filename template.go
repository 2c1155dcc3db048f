package govreport

// Template describes one layout: its tables, their rows and columns with the
// printed labels and known variants, and the identities a correct table
// satisfies. Templates are data (normalize/templates/*.json), edited by
// maintainers; this type is their shape.
type Template struct {
	Layout  string   `json:"layout"`
	Name    string   `json:"name"`
	Markers []string `json:"markers"` // header words that only this layout prints
	// Fallback tells the layout by weaker signs when a report prints none
	// of any layout's markers (a fragment without table 二's header).
	Fallback *Fallback       `json:"fallback,omitempty"`
	Tables   []TableTemplate `json:"tables"` // in printed order
}

// Fallback decides the layout of a report that prints no layout's Markers
// but does print a statistics table (one of Present). A layout whose
// Markers the report prints is chosen; failing that, the layout whose
// Fallback has no Markers.
type Fallback struct {
	Present []string `json:"present"`           // words showing that a table is printed at all
	Markers []string `json:"markers,omitempty"` // words of that table only this layout prints
	Why     string   `json:"why"`               // what the choice rests on, for explain
}

// TableTemplate is one statistics table of a layout.
type TableTemplate struct {
	Key     string `json:"key"` // t2, t3, t4
	Title   string `json:"title"`
	Section string `json:"section"` // key of the section that prints it (sections.json)
	// OneLine: the rows may be printed as one run of numbers, row after
	// row, each in its columns' order (table 四's fifteen numbers after a
	// two-level header). Such a table is read alone in its section;
	// the other tables of a layout are read row by row, in order, from
	// the first one's section on.
	OneLine bool `json:"one_line,omitempty"`
	// Start are words of a label-only line that opens the table when its
	// section heading is missing (申请人情况 after table 二).
	Start []string `json:"start,omitempty"`
	// HeaderWords are words of the table's own header and group labels
	// (信息内容, 第二十条; 复议, 审结 of a header printed a word a line): a
	// label-only line inside the table holding one names no row.
	HeaderWords []string `json:"header_words,omitempty"`
	// GroupHeaders: each row group prints its own header of columns
	// (table 二). A row takes the columns of the header above it when it
	// prints that many numbers; a row outside the template needs one.
	GroupHeaders bool `json:"group_headers,omitempty"`
	// Subtotal is the key of an optional column some reports print (小计):
	// when a label-only line of the tables names it, rows that list no
	// columns have it and the identities apply to it.
	Subtotal   string           `json:"subtotal,omitempty"`
	Columns    []ColumnTemplate `json:"columns"`
	Rows       []RowTemplate    `json:"rows"`
	Identities []Identity       `json:"identities,omitempty"`
	// Print says how reports print the table's header, for drawing it
	// as printed (govreport serve); the reader does not use it.
	Print *TablePrint `json:"print,omitempty"`
}

// TablePrint is how a table is printed beyond its rows and columns: the
// header cells that span several columns, and whether its rows stand side
// by side. Row groups come from the rows' Group (a group printed within
// another one's rows is nested in it).
type TablePrint struct {
	// Caption is the header cell over every value column (申请人情况).
	Caption string `json:"caption,omitempty"`
	// ColumnGroups are header cells over consecutive columns (法人或其他组织
	// over 商业企业 … 其他 and 小计).
	ColumnGroups []PrintGroup `json:"column_groups,omitempty"`
	// Across: the rows are printed side by side as one line of numbers,
	// each row's label over its columns (table 四: 行政复议, then 行政诉讼's
	// two rows).
	Across bool `json:"across,omitempty"`
	// RowGroups (Across only) are header cells over consecutive rows
	// (行政诉讼 over 未经复议直接起诉 and 复议后起诉).
	RowGroups []PrintGroup `json:"row_groups,omitempty"`
}

// PrintGroup is a header cell printed over consecutive columns or rows.
type PrintGroup struct {
	Label string   `json:"label"`
	Keys  []string `json:"keys"` // column (or row) keys, in printed order
}

// ColumnTemplate is one column of a table.
type ColumnTemplate struct {
	Key      string   `json:"key"`
	Labels   []string `json:"labels"`
	Optional bool     `json:"optional,omitempty"` // printed by some reports only
	Unit     string   `json:"unit,omitempty"`     // 万元 for amounts; counts have none
	Signed   bool     `json:"signed,omitempty"`   // may be negative (本年增/减)
}

// RowTemplate is one row of a table.
type RowTemplate struct {
	Key     string   `json:"key"`
	Labels  []string `json:"labels"`            // as printed, ordinal included; first is canonical
	Group   string   `json:"group,omitempty"`   // the row group's label (（三）不予公开)
	Columns []string `json:"columns,omitempty"` // the columns this row has; empty: all non-optional columns
	Note    string   `json:"note,omitempty"`    // for maintainers
	// Alternatives are rows printed instead of this one (the 2021 layout's
	// （六） as one row or as three): when one of them is printed, this row
	// counts as nothing in the identities.
	Alternatives []string `json:"alternatives,omitempty"`
}

// Identity is an arithmetic rule: the sum of Left equals the sum of Right.
// Per "column" applies it to each column with row keys as terms; per "row"
// applies it to each row with column keys as terms.
type Identity struct {
	Rule  string   `json:"rule"`
	Name  string   `json:"name"`
	Per   string   `json:"per"`
	Left  []string `json:"left"`
	Right []string `json:"right"`
}

// SectionTemplate maps printed section headings onto canonical keys.
type SectionTemplate struct {
	Number int      `json:"number"` // 1–6; 0 for legacy-only sections
	Key    string   `json:"key"`
	Labels []string `json:"labels"`
	Legacy bool     `json:"legacy,omitempty"`
}

// Indicator maps rows of the statistics tables of pre-2019 reports (layout
// legacy), whose labels vary by agency and year, onto one canonical
// indicator (normalize/templates/legacy.json).
type Indicator struct {
	Key    string   `json:"key"`    // applications_received
	Labels []string `json:"labels"` // as printed; ordinals, punctuation and a leading 其中 do not matter
	// Modern names the cells of the 2019 and 2021 tables the indicator
	// corresponds to, table.row.column (a row key ending in * sums the
	// rows it begins): t3.new_received.total. Empty: none.
	Modern string `json:"modern,omitempty"`
	// Comparable: the same quantity is counted before and after the 2019
	// change of template, so a series may run across it.
	Comparable bool   `json:"comparable,omitempty"`
	Note       string `json:"note,omitempty"` // for maintainers and analysts
	// RowKeys are the row keys normalize gives the labels in legacy
	// tables (filled when the file is loaded).
	RowKeys []string `json:"-"`
}

// LegacyColumns are the words that tell the value columns of a legacy
// statistics table apart by their printed names (normalize/templates/
// legacy.json's "table"): the database's legacy view reads a row's value
// for the report's year and its cumulative value from the columns they
// name.
type LegacyColumns struct {
	ThisYear     []string // the report year's column: 本年(度)
	Cumulative   []string // the running total since the regulation: 历年累计
	PreviousYear []string // the year before's column: 上年(度)
}
