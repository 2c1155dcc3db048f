package normalize

import "testing"

func TestParseValue(t *testing.T) {
	f := func(x float64) *float64 { return &x }
	cases := []struct {
		name, in string
		ok       bool
		num      *float64
		unit     string
		note     string
	}{
		{"plain", "3119", true, f(3119), "", ""},
		{"zero", "0", true, f(0), "", ""},
		{"full-width digits", "３１１９", true, f(3119), "", ""},
		{"thousands separator", "1,234,567", true, f(1234567), "", ""},
		{"full-width comma separator", "１，２３４", true, f(1234), "", ""},
		{"decimal amount", "24252.311082", true, f(24252.311082), "", ""},
		{"unit inside cell", "251000元", true, f(251000), "元", ""},
		{"unit with space", "96171.6 万元", true, f(96171.6), "万元", ""},
		{"signed plus", "+1036", true, f(1036), "", ""},
		{"signed minus", "-12", true, f(-12), "", ""},
		{"footnote", "22（其中修订16件）", true, f(22), "", "其中修订16件"},
		{"blank", "", true, nil, "", ""},
		{"nbsp", "\u00a0", true, nil, "", ""},
		{"em dash", "—", true, nil, "", ""},
		{"full-width minus", "－", true, nil, "", ""},
		{"slash", "/", true, nil, "", ""},
		{"full-width slash", "／", true, nil, "", ""},
		{"wu", "无", true, nil, "", ""},
		{"label", "规章", false, nil, "", ""},
		{"ordinal is not a value", "1.", false, nil, "", ""},
		{"year is not a count", "2020年", false, nil, "", ""},
		{"label with digits", "1.属于国家秘密", false, nil, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, ok := ParseValue(c.in)
			if ok != c.ok {
				t.Fatalf("ParseValue(%q) ok = %v, want %v", c.in, ok, c.ok)
			}
			if !ok {
				return
			}
			if (v.Num == nil) != (c.num == nil) || (v.Num != nil && *v.Num != *c.num) {
				t.Fatalf("ParseValue(%q) = %v, want %v", c.in, v.Num, c.num)
			}
			if v.Unit != c.unit || v.Note != c.note {
				t.Fatalf("ParseValue(%q) unit %q note %q, want %q %q", c.in, v.Unit, v.Note, c.unit, c.note)
			}
		})
	}
}
