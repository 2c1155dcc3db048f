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
	layouts      = map[string]*govreport.Template{} // by layout name
	sections     []govreport.SectionTemplate
	sectionCores [][][]rune // core of each section label, for matching
	sectionCoreS [][]string // the same as strings
	sectionSigs  [][]uint64 // their runeSig
)

func init() {
	if err := loadTemplates(); err != nil {
		panic("normalize: bad template data: " + err.Error())
	}
	for _, t := range layouts {
		for i := range t.Tables {
			indexCache[&t.Tables[i]] = buildIndex(&t.Tables[i])
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
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		return err
	}
	for _, e := range entries {
		data, err := templateFS.ReadFile("templates/" + e.Name())
		if err != nil {
			return err
		}
		if e.Name() == "sections.json" {
			var s struct {
				Sections []govreport.SectionTemplate `json:"sections"`
			}
			if err := json.Unmarshal(data, &s); err != nil {
				return fmt.Errorf("%s: %w", e.Name(), err)
			}
			sections = s.Sections
			continue
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
	if len(sections) == 0 {
		return fmt.Errorf("sections.json: no sections")
	}
	return nil
}

// Validate checks that a template is well-formed: unique keys, labels for
// every row and column, row columns and identity terms that exist.
func Validate(t *govreport.Template) error {
	if t.Layout == "" || len(t.Tables) == 0 || len(t.Markers) == 0 {
		return fmt.Errorf("layout, markers and tables are required")
	}
	seenT := map[string]bool{}
	for _, tb := range t.Tables {
		if seenT[tb.Key] {
			return fmt.Errorf("table %s twice", tb.Key)
		}
		seenT[tb.Key] = true
		cols := map[string]bool{}
		for _, c := range tb.Columns {
			if c.Key == "" || len(c.Labels) == 0 || cols[c.Key] {
				return fmt.Errorf("table %s: column %q without labels or twice", tb.Key, c.Key)
			}
			cols[c.Key] = true
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
		for _, id := range tb.Identities {
			terms := rows
			if id.Per == "row" {
				terms = cols
			} else if id.Per != "column" {
				return fmt.Errorf("table %s identity %s: per must be row or column", tb.Key, id.Rule)
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
