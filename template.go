package govreport

// Template describes one layout: its tables, their rows and columns with the
// printed labels and known variants, and the identities a correct table
// satisfies. Templates are data (normalize/templates/*.json), edited by
// maintainers; this type is their shape.
type Template struct {
	Layout  string          `json:"layout"`
	Name    string          `json:"name"`
	Markers []string        `json:"markers"` // header words that only this layout prints
	Tables  []TableTemplate `json:"tables"`
}

// TableTemplate is one statistics table of a layout.
type TableTemplate struct {
	Key        string           `json:"key"` // t2, t3, t4
	Title      string           `json:"title"`
	OneLine    bool             `json:"one_line,omitempty"` // all rows printed as one line of numbers (table 四)
	Columns    []ColumnTemplate `json:"columns"`
	Rows       []RowTemplate    `json:"rows"`
	Identities []Identity       `json:"identities,omitempty"`
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
