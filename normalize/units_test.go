package normalize

import (
	"strings"
	"testing"
)

// units.json is read longest first; a bad list is refused with its reason.
func TestUnits(t *testing.T) {
	for i := 1; i < len(units); i++ {
		if len(units[i].Word) > len(units[i-1].Word) {
			t.Fatalf("%s after %s: not longest first", units[i].Word, units[i-1].Word)
		}
	}
	for in, want := range map[string]string{
		`{`:                              "unexpected end",
		`{"units": []}`:                  "no units",
		`{"units": [{"kind": "count"}]}`: "empty or twice",
		`{"units": [{"word": "元", "kind": "money"}]}`:                                 "needs its value in yuan",
		`{"units": [{"word": "件", "kind": "count", "yuan": 1}]}`:                      "yuan is for money units",
		`{"units": [{"word": "件", "kind": "weight"}]}`:                                "not money, count",
		`{"units": [{"word": "件", "kind": "count"}, {"word": "件", "kind": "count"}]}`: "twice",
	} {
		if _, err := readUnits([]byte(in)); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want %q", in, err, want)
		}
	}
	for _, c := range []struct {
		v        float64
		from, to string
		want     float64
		ok       bool
	}{
		{5000, "元", "万元", 0.5, true},
		{1.5, "亿元", "万元", 15000, true},
		{3, "万元", "万元", 3, false},
		{3, "件", "万元", 3, false},
		{3, "", "万元", 3, false},
	} {
		if got, ok := convertUnit(c.v, c.from, c.to); got != c.want || ok != c.ok {
			t.Errorf("convertUnit(%v, %s, %s) = %v %v, want %v %v", c.v, c.from, c.to, got, ok, c.want, c.ok)
		}
	}
	// where each unit is read
	if v, ok := ParseValue("12人次"); !ok || v.Unit != "人次" {
		t.Errorf("12人次: unit %q ok %v, want 人次", v.Unit, ok)
	}
	for _, s := range []string{"15天", "50%", "3小时"} {
		if _, ok := ParseValue(s); ok {
			t.Errorf("%s read as a cell's value: durations and ratios stay text", s)
		}
	}
	if got := unitCells("主动公开文件数条2949"); strings.Join(got, "|") != "主动公开文件数|条|2949" {
		t.Errorf("unitCells: %q", got)
	}
	if got := unitCells("申请人2949"); strings.Join(got, "|") != "申请人|2949" {
		t.Errorf("unitCells: %q, want the label kept whole", got)
	}
}
