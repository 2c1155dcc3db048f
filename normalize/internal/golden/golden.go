// Package golden reads the hand-read goldens of testdata/golden/: what a
// person read off each real document of testdata/corpus/, and for each
// flattened variant in testdata/variants/ (or the same document in another
// file format, in testdata/forms/, or scanned, in testdata/scans/) the
// golden it is measured against and what its reading must achieve. Tests
// read goldens only through it.
package golden

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Doc is one golden: a real document's values as printed
// (testdata/golden/README.md describes the fields).
type Doc struct {
	File      string                                    `json:"file"`
	Year      int                                       `json:"year"`
	Agency    string                                    `json:"agency"`
	Layout    string                                    `json:"layout"`
	Published string                                    `json:"published,omitempty"` // YYYY-MM-DD, where the document or its page states it
	Sections  []Section                                 `json:"sections"`
	Cells     map[string]map[string]map[string]*float64 `json:"cells"` // table → row → column → value; nil: printed blank
	ShortRows map[string][]float64                      `json:"short_rows"`
	Legacy    []LegacyRow                               `json:"legacy"`
	Notes     []string                                  `json:"notes"`
	// Expect and Floor hold a real document to less than exact where its
	// values are printed so that a reader can only infer them (digits run
	// together with no separator): Notes say why. Empty: exact.
	Expect string `json:"expect,omitempty"`
	Floor  *Floor `json:"floor,omitempty"`
}

// Section is a section as printed; Heading is "" when the document lacks it.
type Section struct {
	Number  int    `json:"number"`
	Key     string `json:"key"`
	Heading string `json:"heading"`
}

// LegacyRow is one row of a legacy statistics table.
type LegacyRow struct {
	Label  string             `json:"label"`
	Unit   string             `json:"unit"`
	Values map[string]float64 `json:"values"`
}

// What reading a document or variant must achieve.
const (
	Exact   = "exact"    // every golden cell right, none missing, every section found
	NoWrong = "no_wrong" // cells may be missing or flagged, held to the case's Floor
)

// Floor is what a no_wrong variant is read to today: at least Right cells
// right, at most Missing missing and WrongUnflagged wrong without a doubt
// flag, at least Sections sections found. It only ever moves up. Note says
// which cells are wrong and why, when WrongUnflagged is not 0.
type Floor struct {
	Right          int    `json:"right"`
	Missing        int    `json:"missing"`
	WrongUnflagged int    `json:"wrong_unflagged"`
	Sections       int    `json:"sections"`
	Note           string `json:"note,omitempty"`
}

// Case is a file to parse and the golden it is judged by.
type Case struct {
	Name    string // the document's or variant's file name
	Path    string // the file to parse
	Golden  string // the golden file naming the expectation
	Doc     *Doc
	Variant bool
	Expect  string // Exact or NoWrong; a real document is Exact
	Floor   *Floor // NoWrong only
	Form    string // a variant's form: its name after "__", without the extension; "" for a document
	Scan    bool   // a scanned form (testdata/scans/, goldens in golden/scans/): read by OCR
	// Fragment: a variant printing only part of its document (Subset):
	// its sections and metadata are not held to the golden.
	Fragment bool
}

type variant struct {
	SourceGolden string `json:"source_golden"`
	Expect       string `json:"expect"`
	Floor        *Floor `json:"floor"`
	Notes        string `json:"notes"`
	// Mechanical transformations of the source golden, for forms the
	// generator changed (testdata/variants/README.md):
	Blank    string   `json:"blank"`    // "zeros": the 0 cells were emptied; expected null (not reported)
	Subset   []string `json:"subset"`   // a fragment: only these cells ("t3", "t3.granted", "t3.granted.total") are expected
	Sections []int    `json:"sections"` // with subset: the numbers of the sections the fragment prints
}

// BlankZeros is the one blank transformation: every template cell the
// golden reads 0 is expected as printed blank (null).
const BlankZeros = "zeros"

// derive applies a variant's transformations to a copy of its source
// golden; it refuses a subset entry or section the golden does not have.
func derive(g *Doc, v variant) (*Doc, error) {
	if v.Blank == "" && v.Subset == nil && v.Sections == nil {
		return g, nil
	}
	if v.Blank != "" && v.Blank != BlankZeros {
		return nil, fmt.Errorf("blank %q: the only transformation is %q", v.Blank, BlankZeros)
	}
	if v.Sections != nil && v.Subset == nil {
		return nil, fmt.Errorf("sections without subset")
	}
	keep := func(string, string, string) bool { return true }
	if v.Subset != nil {
		want := map[string]bool{}
		for _, k := range v.Subset {
			parts := strings.Split(k, ".")
			ok := len(parts) <= 3 && g.Cells[parts[0]] != nil
			if ok && len(parts) > 1 {
				_, ok = g.Cells[parts[0]][parts[1]]
			}
			if ok && len(parts) > 2 {
				_, ok = g.Cells[parts[0]][parts[1]][parts[2]]
			}
			if !ok {
				return nil, fmt.Errorf("subset %q: no such cells in %s", k, g.File)
			}
			want[k] = true
		}
		keep = func(t, r, c string) bool { return want[t] || want[t+"."+r] || want[t+"."+r+"."+c] }
	}
	d := *g
	d.Cells = map[string]map[string]map[string]*float64{}
	for t, rows := range g.Cells {
		for r, cols := range rows {
			for c, val := range cols {
				if !keep(t, r, c) {
					continue
				}
				if v.Blank == BlankZeros && val != nil && *val == 0 {
					val = nil
				}
				if d.Cells[t] == nil {
					d.Cells[t] = map[string]map[string]*float64{}
				}
				if d.Cells[t][r] == nil {
					d.Cells[t][r] = map[string]*float64{}
				}
				d.Cells[t][r][c] = val
			}
		}
	}
	if v.Subset != nil {
		d.ShortRows = map[string][]float64{}
		for k, nums := range g.ShortRows {
			if t, r, _ := strings.Cut(k, "."); keep(t, r, "") {
				d.ShortRows[k] = nums
			}
		}
		d.Legacy = nil
		d.Sections = nil
		for _, n := range v.Sections {
			found := false
			for _, s := range g.Sections {
				if s.Number == n {
					d.Sections = append(d.Sections, s)
					found = true
				}
			}
			if !found {
				return nil, fmt.Errorf("sections: %s has no section %d", g.File, n)
			}
		}
	}
	return &d, nil
}

// decode reads path into v, refusing fields v does not have: a misspelled
// key would otherwise be ignored and its expectation silently dropped.
func decode(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// Read reads the golden of the real document named file (a file name in
// testdata/corpus/) from testdata, the path of the testdata folder.
func Read(testdata, file string) (*Doc, error) {
	path := filepath.Join(testdata, "golden", file+".json")
	g := &Doc{}
	if err := decode(path, g); err != nil {
		return nil, err
	}
	if g.File != file {
		return nil, fmt.Errorf("%s: file %q, want %q", path, g.File, file)
	}
	return g, nil
}

// Cases lists every real document with a golden, every variant and form,
// then every scanned form, each in file name order, documents first.
func Cases(testdata string) ([]Case, error) {
	var cases []Case
	docs := map[string]*Doc{}
	files, err := filepath.Glob(filepath.Join(testdata, "golden", "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	for _, f := range files {
		g, err := Read(testdata, strings.TrimSuffix(filepath.Base(f), ".json"))
		if err != nil {
			return nil, err
		}
		docs[filepath.Base(f)] = g
		c := Case{Name: g.File, Path: filepath.Join(testdata, "corpus", g.File), Golden: f, Doc: g, Expect: Exact}
		switch g.Expect {
		case "", Exact:
		case NoWrong:
			if g.Floor == nil {
				return nil, fmt.Errorf("%s: expect %s needs a floor", f, NoWrong)
			}
			c.Expect, c.Floor = NoWrong, g.Floor
		default:
			return nil, fmt.Errorf("%s: expect %q is neither %s nor %s", f, g.Expect, Exact, NoWrong)
		}
		cases = append(cases, c)
	}
	for _, kind := range []string{"variants", "scans"} {
		vfiles, err := filepath.Glob(filepath.Join(testdata, "golden", kind, "*.json"))
		if err != nil {
			return nil, err
		}
		sort.Strings(vfiles)
		for _, f := range vfiles {
			var v variant
			if err := decode(f, &v); err != nil {
				return nil, err
			}
			g := docs[v.SourceGolden]
			switch {
			case g == nil:
				return nil, fmt.Errorf("%s: source_golden %q not found", f, v.SourceGolden)
			case v.Expect != Exact && v.Expect != NoWrong:
				return nil, fmt.Errorf("%s: expect %q is neither %s nor %s", f, v.Expect, Exact, NoWrong)
			case v.Expect == NoWrong && v.Floor == nil:
				return nil, fmt.Errorf("%s: expect %s needs a floor", f, NoWrong)
			case v.Expect == Exact && v.Floor != nil:
				return nil, fmt.Errorf("%s: expect %s takes no floor (every cell is right)", f, Exact)
			case v.Floor != nil && v.Floor.WrongUnflagged > 0 && v.Floor.Note == "":
				return nil, fmt.Errorf("%s: a floor that allows unflagged wrong cells needs a note saying which and why", f)
			}
			d, err := derive(g, v)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", f, err)
			}
			name := strings.TrimSuffix(filepath.Base(f), ".json")
			path := filepath.Join(testdata, kind, name)
			if _, err := os.Stat(path); err != nil && kind == "variants" {
				path = filepath.Join(testdata, "forms", name)
			}
			cases = append(cases, Case{Name: name, Path: path, Golden: f, Doc: d, Variant: true, Expect: v.Expect, Floor: v.Floor, Form: formOf(name), Fragment: v.Subset != nil, Scan: kind == "scans"})
		}
	}
	if len(cases) == 0 {
		return nil, fmt.Errorf("no goldens under %s", filepath.Join(testdata, "golden"))
	}
	return cases, nil
}

// formOf is the form of a variant named <document>__<form>.<ext>.
func formOf(name string) string {
	_, f, ok := strings.Cut(name, "__")
	if !ok {
		return ""
	}
	if i := strings.LastIndexByte(f, '.'); i > 0 {
		f = f[:i]
	}
	return f
}
