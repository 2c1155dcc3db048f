package normalize

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"

	"govreport"
)

//go:embed templates/*.json
var templateFS embed.FS

// A TemplateSet is the layouts and section headings the normalizer reads
// with, validated and indexed for matching. It does not change once made:
// parallel parses share it.
type TemplateSet struct {
	layouts  map[string]*govreport.Template
	sorted   []*govreport.Template // by layout name
	sections []govreport.SectionTemplate
	index    map[*tableT]*labelIndex // every table's label index
	// headingTables are, per layout, the tables whose rows or row groups
	// are numbered like section headings (四、结转下年度继续办理)
	headingTables map[*govreport.Template][]*tableT
	secCores      [][][]rune // core of each section label, for matching
	secCoreS      [][]string // the same as strings
	secSigs       [][]uint64 // their runeSig
	// legacy is how legacy statistics tables are printed, and indicators
	// map their rows onto canonical indicators (legacy.json)
	legacy     *legacyLayout
	indicators []govreport.Indicator
}

// defaultSet holds the templates embedded in the binary.
var defaultSet = func() *TemplateSet {
	s, err := LoadTemplates(EmbeddedTemplates())
	if err != nil {
		panic("normalize: bad template data: " + err.Error())
	}
	return s
}()

// EmbeddedTemplates is the folder of templates built into the binary
// (normalize/templates): layouts and sections.json.
func EmbeddedTemplates() fs.FS {
	sub, err := fs.Sub(templateFS, "templates")
	if err != nil {
		panic(err)
	}
	return sub
}

// DefaultTemplates returns the templates built into the binary.
func DefaultTemplates() *TemplateSet { return defaultSet }

// LoadTemplates reads a template set from folders: every *.json of each
// is a layout, except sections.json, the section headings, and
// legacy.json, how legacy statistics tables are printed and their
// indicators (of each, the last one read counts). A layout defined twice,
// a template that does not validate, or no section headings or legacy.json
// is an error naming the file.
//
//	set, err := normalize.LoadTemplates(normalize.EmbeddedTemplates(), os.DirFS("layouts"))
func LoadTemplates(folders ...fs.FS) (*TemplateSet, error) {
	s := &TemplateSet{layouts: map[string]*govreport.Template{}, index: map[*tableT]*labelIndex{},
		headingTables: map[*govreport.Template][]*tableT{}}
	type file struct {
		name string
		t    *govreport.Template
	}
	var files []file
	for _, fsys := range folders {
		names, err := fs.Glob(fsys, "*.json")
		if err != nil {
			return nil, err
		}
		for _, name := range names {
			data, err := fs.ReadFile(fsys, name)
			if err != nil {
				return nil, err
			}
			if name == legacyFile {
				lay, ins, err := readLegacy(data)
				if err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				s.legacy, s.indicators = lay, ins
				continue
			}
			if name == "sections.json" {
				var sec struct {
					Sections []govreport.SectionTemplate `json:"sections"`
				}
				if err := json.Unmarshal(data, &sec); err != nil {
					return nil, fmt.Errorf("%s: %w", name, err)
				}
				if len(sec.Sections) == 0 {
					return nil, fmt.Errorf("%s: no sections", name)
				}
				s.sections = sec.Sections
				continue
			}
			var t govreport.Template
			if err := json.Unmarshal(data, &t); err != nil {
				return nil, fmt.Errorf("%s: %w", name, err)
			}
			files = append(files, file{name, &t})
		}
	}
	if len(s.sections) == 0 {
		return nil, fmt.Errorf("sections.json: not found")
	}
	if s.legacy == nil {
		return nil, fmt.Errorf("%s: not found", legacyFile)
	}
	defaultBy := ""
	for _, f := range files {
		t := f.t
		if err := validate(t, s.sections); err != nil {
			return nil, fmt.Errorf("%s: %w", f.name, err)
		}
		if s.layouts[t.Layout] != nil {
			return nil, fmt.Errorf("%s: layout %s defined twice", f.name, t.Layout)
		}
		if t.Fallback != nil && len(t.Fallback.Markers) == 0 {
			if defaultBy != "" {
				return nil, fmt.Errorf("%s: a second fallback without markers (%s has one)", f.name, defaultBy)
			}
			defaultBy = f.name
		}
		s.layouts[t.Layout] = t
		s.sorted = append(s.sorted, t)
	}
	sort.Slice(s.sorted, func(i, j int) bool { return s.sorted[i].Layout < s.sorted[j].Layout })
	for _, t := range s.sorted {
		for i := range t.Tables {
			tb := &t.Tables[i]
			ix := buildIndex(tb)
			s.index[tb] = ix
			numbered := len(ix.headingGroups) > 0
			for _, r := range tb.Rows {
				numbered = numbered || headingOrdinal(r.Labels[0])
			}
			if numbered {
				s.headingTables[t] = append(s.headingTables[t], tb)
			}
		}
	}
	for _, sec := range s.sections {
		cs, ss, sigs := labelCores(sec.Labels)
		s.secCores = append(s.secCores, cs)
		s.secCoreS = append(s.secCoreS, ss)
		s.secSigs = append(s.secSigs, sigs)
	}
	return s, nil
}

// Layouts returns the set's layouts, sorted by name.
func (s *TemplateSet) Layouts() []*govreport.Template { return s.sorted }

// Layout returns the template of a layout, or nil.
func (s *TemplateSet) Layout(name string) *govreport.Template { return s.layouts[name] }

// Sections returns the section heading templates.
func (s *TemplateSet) Sections() []govreport.SectionTemplate { return s.sections }

// Templates returns the layouts built into the binary, sorted by name.
func Templates() []*govreport.Template { return defaultSet.sorted }

// Template returns the built-in template of a layout, or nil.
func Template(layout string) *govreport.Template { return defaultSet.layouts[layout] }

// Sections returns the built-in section heading templates.
func Sections() []govreport.SectionTemplate { return defaultSet.sections }

// indexOf is the label index of a table of the set; a table outside it
// is indexed on the spot.
func (s *TemplateSet) indexOf(tb *tableT) *labelIndex {
	if ix, ok := s.index[tb]; ok {
		return ix
	}
	return buildIndex(tb)
}

// Validate checks that a template is well-formed and that the reader can
// honour it: unique keys, labels for every row and column, row columns,
// alternatives and identity terms that exist, tables in known sections in
// printed order (the tables read row by row before those printed on one
// line), a subtotal column declared optional, and fallback signs.
func Validate(t *govreport.Template) error {
	return validate(t, defaultSet.sections)
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
		if tb.Key == "" || tb.Key == legacyTableKey || seenT[tb.Key] {
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
		if err := validatePrint(&tb, cols, rows); err != nil {
			return err
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

// validatePrint checks a table's Print: groups of known, consecutive
// keys (columns in the table's order, rows in its order), row groups only
// for a table printed across.
func validatePrint(tb *tableT, cols, rows map[string]bool) error {
	p := tb.Print
	if p == nil {
		return nil
	}
	if len(p.RowGroups) > 0 && !p.Across {
		return fmt.Errorf("table %s print: row_groups are for a table printed across", tb.Key)
	}
	var colKeys, rowKeys []string
	for _, c := range tb.Columns {
		colKeys = append(colKeys, c.Key)
	}
	for _, r := range tb.Rows {
		rowKeys = append(rowKeys, r.Key)
	}
	for _, g := range []struct {
		what   string
		groups []govreport.PrintGroup
		known  map[string]bool
		order  []string
	}{{"column_groups", p.ColumnGroups, cols, colKeys}, {"row_groups", p.RowGroups, rows, rowKeys}} {
		for _, pg := range g.groups {
			if pg.Label == "" || len(pg.Keys) == 0 {
				return fmt.Errorf("table %s print %s: a group without label or keys", tb.Key, g.what)
			}
			at := -1
			for i, k := range pg.Keys {
				if !g.known[k] {
					return fmt.Errorf("table %s print %s %s: unknown key %s", tb.Key, g.what, pg.Label, k)
				}
				j := slices.Index(g.order, k)
				if i > 0 && j != at+1 {
					return fmt.Errorf("table %s print %s %s: keys not consecutive in the table's order", tb.Key, g.what, pg.Label)
				}
				at = j
			}
		}
	}
	return nil
}

// sectionNumber is the number of the section with key k, 0 if none.
func (set *TemplateSet) sectionNumber(k string) int {
	for _, s := range set.sections {
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
	t := defaultSet.layouts[layout]
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
			n += len(rowCols(defaultSet.index[tb], ri, false))
		}
	}
	return n
}
