package normalize

import (
	"strconv"
	"strings"

	"govreport"
)

// The tables being rebuilt: printed rows and their placement.

// placeMode says how a row's printed numbers were placed in its columns.
type placeMode uint8

const (
	modeDirect    placeMode = iota + 1 // one number per column, in order
	modeInferred                       // fewer numbers than columns, or digits run together: placed through the identities
	modeAmbiguous                      // digits run together that several placements explain: nothing stored
	modeUncertain                      // numbers that cannot be placed: stored without values
)

var modeNames = [...]string{modeDirect: "direct", modeInferred: "inferred", modeAmbiguous: "ambiguous", modeUncertain: "uncertain"}

func (m placeMode) String() string { return modeNames[m] }

// rowData is one printed row of a table, before and after placement.
type rowData struct {
	key     string        // template row key; x_<label core> for a row the agency added; "" for a run
	label   string        // as printed (cleaned)
	outside bool          // a row the agency added
	cols    []string      // the column of each cell, in printed order
	rows    []string      // a run of several rows (a table printed on one line): the row of each cell
	toks    []tok         // the printed numbers
	pos     govreport.Pos // where the row (its label) was printed
	unit    string        // legacy rows: the printed unit
	byPos   bool          // numbers given to the row by where they stand (FlagByPosition)
	blank   bool          // a row of blanks: its label read, no number printed (blank.go)

	// stage 3, placement
	mode   placeMode
	cands  []vec  // the placements still possible
	glue   bool   // some number is digits run together
	staged bool   // cands are gapless splits of glued digits; placements with gaps come next
	why    string // how the numbers were placed, when explaining

	// stage 4, solving
	terms []term            // the identities touching this row
	gaps  map[string][]bool // solved candidate → cells unprinted in every placement that led to it
	final vec               // the values stored
	flags []string          // flags of every cell
	alike bool              // a one-line run: final keeps only the rows every split reads alike (decideRun)
}

// keys are the template rows r's cells belong to, in printed order.
func (r *rowData) keys() []string {
	if r.rows == nil {
		return []string{r.key}
	}
	var out []string
	for i, k := range r.rows {
		if i == 0 || k != r.rows[i-1] {
			out = append(out, k)
		}
	}
	return out
}

// slot is the index of cell ref among r's cells, or -1.
func (r *rowData) slot(ref cellRef) int {
	for i, k := range r.cols {
		if k == ref.col && (r.rows == nil || r.rows[i] == ref.row) {
			return i
		}
	}
	return -1
}

// tableData is one table being rebuilt.
type tableData struct {
	tb       *tableT
	ix       *labelIndex         // tb's
	rows     []*rowData          // in printed order
	byKey    map[string]*rowData // by row key
	subtotal bool                // the table's Subtotal column is printed
	start    int                 // first line (index into lines); -1 until known

	// a table that leaves its zero cells blank (blank.go)
	zerosBlank bool
	open       []*rowData // the rows solved jointly, in the order of readings' placements
	readings   [][]vec    // every joint reading that passes the identities
}

func newTable(ix *labelIndex) *tableData {
	return &tableData{tb: ix.tb, ix: ix, byKey: map[string]*rowData{}, start: -1}
}

// width is the number of columns a row of the table prints.
func (td *tableData) width() int {
	if td.subtotal {
		return len(td.ix.defCols[1])
	}
	return len(td.ix.defCols[0])
}

// addRow records a printed row under its template key.
func (td *tableData) addRow(ri int, label string, vals []tok, pos govreport.Pos, cols []string) {
	key := ""
	outside := ri < 0
	if outside {
		key = "x_" + core(label)
	} else {
		key = td.tb.Rows[ri].Key
	}
	if r, ok := td.byKey[key]; ok {
		if len(r.toks) >= len(r.cols) || len(vals) > 0 && !outside {
			// a second printing of a row already read: keep the first
			return
		}
	}
	r := &rowData{key: key, label: label, outside: outside, toks: vals, pos: pos, cols: cols}
	td.rows = append(td.rows, r)
	td.byKey[key] = r
}

// fmtNum formats a value without trailing zeros.
func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

func rowRaw(r *rowData) string {
	var parts []string
	for _, t := range r.toks {
		parts = append(parts, clean(t.val.Raw))
	}
	return strings.Join(parts, " ")
}
