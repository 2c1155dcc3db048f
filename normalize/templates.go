package normalize

import (
	"embed"
	"encoding/json"
	"fmt"
	"sort"

	"govreport"
)

//go:embed templates/*.json
var templateFS embed.FS

var (
	layouts = map[string]*govreport.Template{} // by layout name
	// headingTables are, per layout, the tables whose rows or row groups
	// are numbered like section headings (四、结转下年度继续办理)
	headingTables = map[*govreport.Template][]*tableT{}
	sections      []govreport.SectionTemplate
	sectionCores  [][][]rune // core of each section label, for matching
	sectionCoreS  [][]string // the same as strings
	sectionSigs   [][]uint64 // their runeSig
)

func init() {
	if err := loadTemplates(); err != nil {
		panic("normalize: bad template data: " + err.Error())
	}
	for _, t := range layouts {
		for i := range t.Tables {
			tb := &t.Tables[i]
			ix := buildIndex(tb)
			indexCache[tb] = ix
			numbered := len(ix.headingGroups) > 0
			for _, r := range tb.Rows {
				numbered = numbered || headingOrdinal(r.Labels[0])
			}
			if numbered {
				headingTables[t] = append(headingTables[t], tb)
			}
		}
	}
	for _, s := range sections {
		cs, ss, sigs := labelCores(s.Labels)
		sectionCores = append(sectionCores, cs)
		sectionCoreS = append(sectionCoreS, ss)
		sectionSigs = append(sectionSigs, sigs)
	}
}

// Templates returns the layouts the normalizer knows, sorted by name.
func Templates() []*govreport.Template {
	out := make([]*govreport.Template, 0, len(layouts))
	for _, t := range layouts {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Layout < out[j].Layout })
	return out
}

// Template returns the template of a layout, or nil.
func Template(layout string) *govreport.Template { return layouts[layout] }

// Sections returns the section heading templates.
func Sections() []govreport.SectionTemplate { return sections }

func loadTemplates() error {
	data, err := templateFS.ReadFile("templates/sections.json")
	if err != nil {
		return err
	}
	var s struct {
		Sections []govreport.SectionTemplate `json:"sections"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		return fmt.Errorf("sections.json: %w", err)
	}
	if sections = s.Sections; len(sections) == 0 {
		return fmt.Errorf("sections.json: no sections")
	}
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.Name() == "sections.json" {
			continue
		}
		data, err := templateFS.ReadFile("templates/" + e.Name())
		if err != nil {
			return err
		}
		var t govreport.Template
		if err := json.Unmarshal(data, &t); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		if err := Validate(&t); err != nil {
			return fmt.Errorf("%s: %w", e.Name(), err)
		}
		layouts[t.Layout] = &t
	}
	return nil
}

// Validate checks that a template is well-formed and that the reader can
// honour it: unique keys, labels for every row and column, row columns,
// alternatives and identity terms that exist, tables in known sections in
// printed order (the tables read row by row before those printed on one
// line), a subtotal column declared optional, and fallback signs.
func Validate(t *govreport.Template) error {
	return validate(t, sections)
}

func validate(t *govreport.Template, secs []govreport.SectionTemplate) error {
	if t.Layout == "" || t.Layout == govreport.LayoutLegacy || len(t.Tables) == 0 || len(t.Markers) == 0 {
		return fmt.Errorf("layout (not %q), markers and tables are required", govreport.LayoutLegacy)
	}
	if fb := t.Fallback; fb != nil && (len(fb.Present) == 0 || fb.Why == "") {
		return fmt.Errorf("fallback: present and why are required")
	}
	secNum := map[string]int{}
	for _, s := range secs {
		if !s.Legacy {
			secNum[s.Key] = s.Number
		}
	}
	seenT := map[string]bool{}
	lastSec, oneLine := 0, false
	for ti, tb := range t.Tables {
		if tb.Key == "" || tb.Key == legacyTable.Key || seenT[tb.Key] {
			return fmt.Errorf("table %q: empty, reserved or twice", tb.Key)
		}
		seenT[tb.Key] = true
		n, ok := secNum[tb.Section]
		if !ok {
			return fmt.Errorf("table %s: unknown section %q", tb.Key, tb.Section)
		}
		if n < lastSec || oneLine && !tb.OneLine {
			return fmt.Errorf("table %s: out of order (tables in section order, one-line tables last)", tb.Key)
		}
		lastSec, oneLine = n, tb.OneLine
		if len(tb.Rows) == 0 {
			return fmt.Errorf("table %s: no rows", tb.Key)
		}
		if tb.OneLine && (tb.GroupHeaders || len(tb.Start) > 0 || tb.Subtotal != "") {
			return fmt.Errorf("table %s: a one-line table has no group headers, start words or subtotal", tb.Key)
		}
		if len(tb.Start) > 0 && (ti == 0 || t.Tables[ti-1].OneLine) {
			return fmt.Errorf("table %s: start words open a table after another; this one is read first", tb.Key)
		}
		cols := map[string]bool{}
		for _, c := range tb.Columns {
			if c.Key == "" || len(c.Labels) == 0 || cols[c.Key] {
				return fmt.Errorf("table %s: column %q without labels or twice", tb.Key, c.Key)
			}
			cols[c.Key] = true
		}
		if tb.Subtotal != "" {
			if c := colOf(&tb, tb.Subtotal); c == nil || !c.Optional {
				return fmt.Errorf("table %s: subtotal %s is not an optional column", tb.Key, tb.Subtotal)
			}
		}
		rows := map[string]bool{}
		for _, r := range tb.Rows {
			if r.Key == "" || len(r.Labels) == 0 || rows[r.Key] {
				return fmt.Errorf("table %s: row %q without labels or twice", tb.Key, r.Key)
			}
			rows[r.Key] = true
			for _, c := range r.Columns {
				if !cols[c] {
					return fmt.Errorf("table %s row %s: unknown column %s", tb.Key, r.Key, c)
				}
			}
		}
		for _, r := range tb.Rows {
			for _, a := range r.Alternatives {
				if !rows[a] {
					return fmt.Errorf("table %s row %s: unknown alternative %s", tb.Key, r.Key, a)
				}
			}
		}
		for _, id := range tb.Identities {
			terms := rows
			if id.Per == "row" {
				terms = cols
			} else if id.Per != "column" {
				return fmt.Errorf("table %s identity %s: per must be row or column", tb.Key, id.Rule)
			}
			if len(id.Left) == 0 || len(id.Right) == 0 {
				return fmt.Errorf("table %s identity %s: a side without terms", tb.Key, id.Rule)
			}
			for _, k := range append(append([]string{}, id.Left...), id.Right...) {
				if !terms[k] {
					return fmt.Errorf("table %s identity %s: unknown term %s", tb.Key, id.Rule, k)
				}
			}
		}
	}
	return nil
}

// sectionNumber is the number of the section with key k, 0 if none.
func sectionNumber(k string) int {
	for _, s := range sections {
		if s.Key == k && !s.Legacy {
			return s.Number
		}
	}
	return 0
}

func colOf(tb *tableT, key string) *govreport.ColumnTemplate {
	for i := range tb.Columns {
		if tb.Columns[i].Key == key {
			return &tb.Columns[i]
		}
	}
	return nil
}

type tableT = govreport.TableTemplate

func tableOf(t *govreport.Template, key string) *tableT {
	if t == nil {
		return nil
	}
	for i := range t.Tables {
		if t.Tables[i].Key == key {
			return &t.Tables[i]
		}
	}
	return nil
}

// TemplateCells is the number of cells a report of the layout prints in
// tables 二, 三 and 四 (optional columns left out; a row that stands for
// several alternatives counted as those rows).
func TemplateCells(layout string) int {
	t := layouts[layout]
	if t == nil {
		return 0
	}
	n := 0
	for i := range t.Tables {
		tb := &t.Tables[i]
		for ri, r := range tb.Rows {
			if len(r.Alternatives) > 1 {
				continue
			}
			n += len(rowCols(tb, ri, false))
		}
	}
	return n
}
