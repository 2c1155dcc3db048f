package normalize

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// unitsJSON is the one list of unit words (units.json): a language fact
// every layout shares, so it is built in and read once, not a template.
//
//go:embed units.json
var unitsJSON []byte

// A unit is a unit word and where it is read (units.json says why).
type unit struct {
	Word     string  `json:"word"`
	Kind     string  `json:"kind"`      // money, count, duration or ratio
	Yuan     float64 `json:"yuan"`      // a money unit's value in 元
	LabelEnd bool    `json:"label_end"` // labels end with it too
}

// inCell reports whether a number inside a table cell may carry u.
func (u *unit) inCell() bool { return u.Kind == "money" || u.Kind == "count" }

// units are the unit words, longest first: a word is read as the longest
// unit it begins (人次, not 人).
var units = func() []unit {
	us, err := readUnits(unitsJSON)
	if err != nil {
		panic("normalize: units.json: " + err.Error())
	}
	return us
}()

// readUnits reads and checks a units.json.
func readUnits(data []byte) ([]unit, error) {
	var f struct {
		Units []unit `json:"units"`
	}
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if len(f.Units) == 0 {
		return nil, fmt.Errorf("no units")
	}
	seen := map[string]bool{}
	for _, u := range f.Units {
		if u.Word == "" || seen[u.Word] {
			return nil, fmt.Errorf("unit %q: empty or twice", u.Word)
		}
		seen[u.Word] = true
		switch u.Kind {
		case "money":
			if u.Yuan <= 0 {
				return nil, fmt.Errorf("unit %s: a money unit needs its value in yuan", u.Word)
			}
		case "count", "duration", "ratio":
			if u.Yuan != 0 {
				return nil, fmt.Errorf("unit %s: yuan is for money units", u.Word)
			}
		default:
			return nil, fmt.Errorf("unit %s: kind %q is not money, count, duration or ratio", u.Word, u.Kind)
		}
	}
	sort.SliceStable(f.Units, func(i, j int) bool { return len(f.Units[i].Word) > len(f.Units[j].Word) })
	return f.Units, nil
}

// unitWord reports whether w is a unit word.
func unitWord(w string) bool {
	for i := range units {
		if units[i].Word == w {
			return true
		}
	}
	return false
}

// cellUnits are the words of the units a number inside a cell may carry,
// longest first (numParts reads them on every cell).
var cellUnits = func() []string {
	var out []string
	for i := range units {
		if units[i].inCell() {
			out = append(out, units[i].Word)
		}
	}
	return out
}()

// unitAt reports whether s begins with a unit word.
func unitAt(s string) bool {
	for i := range units {
		if strings.HasPrefix(s, units[i].Word) {
			return true
		}
	}
	return false
}

// gluedUnit returns the unit word that ends label, when the label is
// longer than it and the word is not one that ends labels too; else "".
func gluedUnit(label string) string {
	for i := range units {
		if u := &units[i]; !u.LabelEnd && strings.HasSuffix(label, u.Word) && len(label) > len(u.Word) {
			return u.Word
		}
	}
	return ""
}

// convertUnit converts v printed in money unit from into money unit to;
// ok is false unless both are money units and differ.
func convertUnit(v float64, from, to string) (float64, bool) {
	var f, t float64
	for i := range units {
		if u := &units[i]; u.Kind == "money" && u.Word == from {
			f = u.Yuan
		} else if u.Kind == "money" && u.Word == to {
			t = u.Yuan
		}
	}
	if f == 0 || t == 0 {
		return v, false
	}
	return v * f / t, true
}
