// Package agency resolves an agency's printed name to who it is: one
// normalised name for the spellings it uses (洪泽区人民政府 and
// 淮安市洪泽区人民政府 are one agency), its region in the national
// administrative divisions, its level and its kind.
package agency

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"govreport"
)

// Resolve reads an agency's printed name. When the name places the agency
// nowhere (商务局) or in a place several divisions share (鼓楼区), hints
// are tried in order: other names of the same publisher, such as the
// agency the crawler's seeds name for the site. An empty name resolves to
// an empty Agency.
func Resolve(printed string, hints ...string) govreport.Agency {
	s := clean(printed)
	if s == "" {
		return govreport.Agency{}
	}
	ds, err := loadDivisions()
	if err != nil {
		panic("agency: vendored division data: " + err.Error()) // the tests read it
	}
	p := ds.locate(s)
	a := govreport.Agency{Name: s, Printed: printed}
	a.Kind, a.Level = kindOf(s[p.end:], p.last())
	if len(p.cands) == 1 {
		return placed(a, s, p, p.cands[0], govreport.RegionFromName)
	}
	for _, h := range hints {
		hp := ds.locate(clean(h))
		if len(hp.cands) != 1 {
			continue
		}
		home := hp.cands[0].last
		if len(p.cands) > 1 {
			// the name's place, among those the name can mean, that lies
			// in the hint's
			var in []chain
			for _, c := range p.cands {
				if within(c.last, home) {
					in = append(in, c)
				}
			}
			if len(in) == 1 {
				return placed(a, s, p, in[0], govreport.RegionFromSeed)
			}
			continue
		}
		return WithRegion(a, region(home), govreport.RegionFromSeed)
	}
	return a
}

// WithRegion places an agency whose name placed it nowhere in region r,
// found from source from (govreport.RegionFromSeed, RegionFromHost): its
// name is prefixed with the region's (商务局 in 中牟县 is 郑州市中牟县商务局),
// so that agencies of the same name in different places stay apart. An
// agency with a region already is returned as it is.
func WithRegion(a govreport.Agency, r govreport.Region, from string) govreport.Agency {
	if a.RegionFrom != "" || r.Code() == "" || a.Name == "" {
		return a
	}
	a.Region, a.RegionFrom = r, from
	a.Name = placeName(r) + a.Name
	if a.Level == "" {
		a.Level = levelOf(r)
	}
	return a
}

// placed fills a's region from chain c of the name s (located as p) and
// builds the normalised name: the higher levels the name leaves out are
// written before it, down from the city (淮安市 before 洪泽区人民政府), and
// a province before its city is dropped (江苏省淮安市人民政府 is
// 淮安市人民政府). A name whose place is not at its start is kept as it is.
func placed(a govreport.Agency, s string, p located, c chain, from string) govreport.Agency {
	a.Region, a.RegionFrom = region(c.last), from
	if a.Level == "" {
		a.Level = c.last.level
	}
	if p.start > 0 {
		return a
	}
	first := c.divs[0]
	rest := s
	switch first.level {
	case govreport.LevelProvince:
		if len(c.divs) > 1 && c.divs[1].level != govreport.LevelProvince && !strings.HasSuffix(first.name, "市") {
			rest = s[c.ends[0]:] // the province before a city or county
		}
	case govreport.LevelCounty, govreport.LevelTownship:
		rest = placeName(region(first.parent)) + s
	}
	a.Name = rest
	return a
}

// placeName is the name of a region as the agencies in it are named: the
// city, then the county, then the township (a province alone: its name).
func placeName(r govreport.Region) string {
	switch {
	case r.City != "" || r.County != "" || r.Township != "":
		return r.City + r.County + r.Township
	}
	return r.Province
}

// levelOf is the level of a region's most specific division.
func levelOf(r govreport.Region) string {
	switch {
	case r.TownshipCode != "":
		return govreport.LevelTownship
	case r.CountyCode != "":
		return govreport.LevelCounty
	case r.CityCode != "":
		return govreport.LevelCity
	case r.ProvinceCode != "":
		return govreport.LevelProvince
	}
	return ""
}

// chain is a run of divisions named one after another, outermost first
// (淮安市, 洪泽区), with the byte offset where each one's name ends.
type chain struct {
	divs []*division
	ends []int
	last *division
}

// located is where a name's place was found: the chains it can mean
// (none: no place; several: the name is ambiguous) and the bytes they
// cover.
type located struct {
	cands      []chain
	start, end int
}

// last is the division of the place, when one chain was found.
func (p located) last() *division {
	if len(p.cands) == 1 {
		return p.cands[0].last
	}
	return nil
}

// maxName bounds the names looked up, in runes.
const maxName = 14

// locate finds the place a name starts with: division names one after
// another (淮安市洪泽区), each inside the one before; or, when the name does
// not start with one, the first full name of three characters or more
// inside it (国家税务总局淮安市洪泽区税务局). A name may start with a short
// name (平潭综合实验区: 平潭县), when what follows is two characters or more.
func (ds *divisions) locate(s string) located {
	for start := 0; start < len(s); {
		cands := ds.prefixes(s[start:], nil, start > 0)
		if len(cands) == 0 && start == 0 {
			cands = ds.shortPrefixes(s)
		}
		if len(cands) > 0 {
			var best []chain
			bestEnd := -1
			for _, d := range cands {
				c := ds.extend(s, d, start+len(d.text))
				switch end := c.ends[len(c.ends)-1]; {
				case end > bestEnd:
					best, bestEnd = []chain{c}, end
				case end == bestEnd:
					best = append(best, c)
				}
			}
			return located{cands: best, start: start, end: bestEnd}
		}
		_, size := utf8.DecodeRuneInString(s[start:])
		start += size
	}
	return located{}
}

// prefixMatch is a division whose name (full or short) starts a text.
type prefixMatch struct {
	*division
	text string // the text that matched
}

// prefixes returns the divisions inside in (every province, city and
// county when in is nil) whose full name is the longest prefix of s that
// names any; inner: only names of three characters or more (a name found
// inside an agency's name, not at its start). Townships are looked for
// inside a county or a city only.
func (ds *divisions) prefixes(s string, in *division, inner bool) []prefixMatch {
	ends := runeEnds(s, maxName)
	var towns []*division
	if in != nil {
		towns = ds.townships(in)
	}
	for i := len(ends) - 1; i >= 0; i-- {
		if ends[i] < 2*3 || (inner && i < 2) { // two runes (a CJK rune is three bytes)
			continue
		}
		var out []prefixMatch
		for _, d := range ds.byName[s[:ends[i]]] {
			if in != nil && (d == in || !within(d, in)) {
				continue
			}
			out = append(out, prefixMatch{d, s[:ends[i]]})
		}
		for _, d := range towns {
			if d.name == s[:ends[i]] {
				out = append(out, prefixMatch{d, s[:ends[i]]})
			}
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// shortPrefixes returns the provinces, cities and counties whose short
// name is the longest prefix of s that is one, when two characters or
// more follow it (公安局 is not in 公安县).
func (ds *divisions) shortPrefixes(s string) []prefixMatch {
	ends := runeEnds(s, maxName)
	for i := len(ends) - 1; i >= 1; i-- {
		rest := s[ends[i]:]
		if utf8.RuneCountInString(rest) < 2 {
			continue
		}
		if ds := ds.byShort[s[:ends[i]]]; len(ds) > 0 {
			out := make([]prefixMatch, len(ds))
			for j, d := range ds {
				out[j] = prefixMatch{d, s[:ends[i]]}
			}
			return out
		}
	}
	return nil
}

// extend follows d (named up to byte pos of s) with the divisions inside
// it named next, as long as exactly one is.
func (ds *divisions) extend(s string, d prefixMatch, pos int) chain {
	c := chain{divs: []*division{d.division}, ends: []int{pos}, last: d.division}
	for {
		next := ds.prefixes(s[pos:], c.last, false)
		if len(next) != 1 {
			return c
		}
		pos += len(next[0].text)
		c.divs = append(c.divs, next[0].division)
		c.ends = append(c.ends, pos)
		c.last = next[0].division
	}
}

// runeEnds returns the byte offsets at which each of the first n runes of
// s ends.
func runeEnds(s string, n int) []int {
	var out []int
	for i := range s {
		if i > 0 {
			out = append(out, i)
		}
		if len(out) == n {
			return out
		}
	}
	return append(out, len(s))
}

var (
	// township: what a township, town or street office calls itself
	townshipRE = regexp.MustCompile(`(镇|乡|街道|苏木)(人民政府|政府|办事处|工作委员会)?$`)
	// the words after a township's name that make it the township's own
	townshipOwnRE = regexp.MustCompile(`^(人民政府|政府|办事处|工作委员会)?$`)
	// department: the word a department's name ends with
	departmentRE = regexp.MustCompile(`(局|厅|委员会|委|办公室|办|中心|院|所|署|站|队|处|部|馆|会|公司|集团|社|台)$`)
	// government: names a government or a zone's committee ends with
	governmentRE = regexp.MustCompile(`(人民政府|政府|管委会|管理委员会)$`)
)

// kindOf tells an agency's kind from the words after its place (rest), and
// its level from the place (at, nil when none) and those words.
func kindOf(rest string, at *division) (kind, level string) {
	if at != nil {
		level = at.level
	}
	switch {
	case strings.Contains(rest, "政府办公室") || strings.Contains(rest, "政府办公厅") || strings.HasSuffix(rest, "政府办"):
		kind = govreport.KindGovernmentOffice
	case townshipRE.MatchString(rest) || at != nil && at.level == govreport.LevelTownship && townshipOwnRE.MatchString(rest):
		return govreport.KindTownship, govreport.LevelTownship
	case governmentRE.MatchString(rest):
		kind = govreport.KindGovernment
	case departmentRE.MatchString(rest):
		kind = govreport.KindDepartment
	case at != nil:
		kind = govreport.KindGovernment // a place, or a place and its zone: 平潭综合实验区
	}
	return kind, level
}

// clean is the name without whitespace, with full-width letters, digits
// and brackets made half-width.
func clean(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r >= '！' && r <= '～':
			r -= 0xFEE0
		case r == '〔' || r == '【' || r == '［':
			r = '('
		case r == '〕' || r == '】' || r == '］':
			r = ')'
		}
		b.WriteRune(r)
	}
	return b.String()
}
