package normalize

import (
	"strconv"
	"strings"
)

// Stage is a step of the reader (see the package documentation).
type Stage uint8

// The reader's stages, in the order they run.
const (
	StageRecover   Stage = iota + 1 // lines recovered from text without line structure
	StageLayout                     // which layout the report follows, and why
	StageMeta                       // title, agency, year
	StageSections                   // section headings
	StageStructure                  // lines → labelled rows: labels, numbers, headers
	StageAssemble                   // labelled rows → the template rows of each table
	StagePlace                      // printed numbers → columns: the placements possible
	StageSolve                      // placements through the identities → the values stored
	StageCheck                      // the identities on the values stored
)

var stageNames = [...]string{StageRecover: "recover", StageLayout: "layout", StageMeta: "meta", StageSections: "sections",
	StageStructure: "structure", StageAssemble: "assemble", StagePlace: "place", StageSolve: "solve", StageCheck: "check"}

func (s Stage) String() string {
	if int(s) < len(stageNames) && stageNames[s] != "" {
		return stageNames[s]
	}
	return "stage" + strconv.Itoa(int(s))
}

// Stages returns every stage, in the order they run.
func Stages() []Stage {
	return []Stage{StageRecover, StageLayout, StageMeta, StageSections, StageStructure, StageAssemble, StagePlace, StageSolve, StageCheck}
}

// EventKind says what an Event records.
type EventKind uint8

// What the reader records.
const (
	EventLayout    EventKind = iota + 1 // the layout chosen
	EventMeta                           // metadata read
	EventHeading                        // a section opened by its heading
	EventNoHead                         // a section whose heading is missing, placed where its table starts
	EventRow                            // a labelled row recovered from the lines
	EventHeader                         // a header line: columns, start words
	EventOpen                           // a table opened
	EventMatch                          // a printed row matched to a template row
	EventOutside                        // a printed row kept outside the template
	EventRun                            // the numbers of a table printed on one line
	EventPlace                          // the placements of a row's numbers
	EventPrinted                        // values stored as printed
	EventInferred                       // values placed through the identities
	EventNotPlaced                      // a row whose values could not be placed
	EventCheck                          // an identity evaluated
	EventRecover                        // a line without structure cut into lines
	EventPosition                       // a row whose numbers were placed by where they stand
)

var kindNames = [...]string{EventLayout: "layout", EventMeta: "meta", EventHeading: "heading", EventNoHead: "no_heading",
	EventRow: "row", EventHeader: "header", EventOpen: "open", EventMatch: "match", EventOutside: "outside", EventRun: "run",
	EventPlace: "place", EventPrinted: "printed", EventInferred: "inferred", EventNotPlaced: "not_placed", EventCheck: "check", EventRecover: "recover", EventPosition: "by_position"}

func (k EventKind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return "event" + strconv.Itoa(int(k))
}

// Event is one thing the reader did, for `govreport explain`.
type Event struct {
	Stage  Stage
	Kind   EventKind
	Table  string // table key; empty for the document
	Row    string // template row key (x_… outside the template); empty for a table
	Line   int    // source line, 0 when none
	Detail string // what happened, for a reader
}

func (e Event) String() string {
	var b strings.Builder
	switch {
	case e.Table != "" && e.Row != "":
		b.WriteString(e.Table + "." + e.Row + " ")
	case e.Table != "":
		b.WriteString(e.Table + ": ")
	}
	b.WriteString(e.Detail)
	return b.String()
}

// tracer collects events. A nil tracer records nothing: call sites test
// on() before building an event's detail, so a parse that is not explained
// does not pay for it.
type tracer struct{ events []Event }

func (t *tracer) on() bool { return t != nil }

func (t *tracer) add(e Event) {
	if t != nil {
		t.events = append(t.events, e)
	}
}
