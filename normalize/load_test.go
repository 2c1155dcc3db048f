package normalize

import (
	"strings"
	"testing"
	"testing/fstest"
)

// LoadTemplates adds folders of layouts to the built-in ones and names the
// file of any layout it cannot take.
func TestLoadTemplates(t *testing.T) {
	base := EmbeddedTemplates()
	layout := func(name, section string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"layout": "` + name + `", "markers": ["甲乙"], "tables": [{"key": "a", "section": "` + section +
			`", "columns": [{"key": "n", "labels": ["数量"]}], "rows": [{"key": "r", "labels": ["某项"]}]}]}`)}
	}
	// legacy.json with one of its table's words replaced
	legacy := func(word string) *fstest.MapFile {
		table := `"title": "政府信息公开情况统计表", "label_header": ["指标名称"], "unit_header": "计量单位", "unit_cell": "单位", "columns": ["本年度"], ` +
			`"year_column": ["年度"], "this_year": ["本年"], "cumulative": ["累计"], "previous_year": ["上年"], "sub_item": "其中", "annex": "统计表"`
		key, _, _ := strings.Cut(word, ":")
		at := strings.Index(table, key)
		end := at + strings.Index(table[at:], ",")
		return &fstest.MapFile{Data: []byte(`{"table": {` + table[:at] + word + table[end:] + `}, "indicators": []}`)}
	}
	if _, err := LoadTemplates(base, fstest.MapFS{"legacy.json": legacy(`"sub_item": "包括"`)}); err != nil {
		t.Fatalf("a legacy.json of other words: %v", err)
	}
	sectionsOnly := fstest.MapFS{"sections.json": {Data: []byte(`{"sections": [{"number": 3, "key": "applications", "labels": ["申请"]}]}`)}}
	if _, err := LoadTemplates(sectionsOnly); err == nil || !strings.Contains(err.Error(), "legacy.json: not found") {
		t.Errorf("no legacy.json: error %v", err)
	}
	set, err := LoadTemplates(base, fstest.MapFS{"extra.json": layout("extra", "applications")})
	if err != nil {
		t.Fatal(err)
	}
	if set.Layout("extra") == nil || set.Layout("2021") == nil || len(set.Layouts()) != len(Templates())+1 {
		t.Errorf("layouts %d, want the built-in ones and extra", len(set.Layouts()))
	}
	if Template("extra") != nil {
		t.Error("loading a set changed the built-in templates")
	}
	for name, c := range map[string]struct {
		folders []fstest.MapFS
		want    string
	}{
		"layout twice":       {[]fstest.MapFS{{"a.json": layout("extra", "applications"), "b.json": layout("extra", "applications")}}, "b.json: layout extra defined twice"},
		"invalid layout":     {[]fstest.MapFS{{"bad.json": layout("bad", "nowhere")}}, "bad.json: table a: unknown section"},
		"not JSON":           {[]fstest.MapFS{{"junk.json": {Data: []byte("{")}}}, "junk.json:"},
		"built-in again":     {[]fstest.MapFS{{"2021.json": layout("2021", "applications")}}, "2021.json: layout 2021 defined twice"},
		"no sections":        {nil, "sections.json: not found"},
		"no legacy table":    {[]fstest.MapFS{{"legacy.json": {Data: []byte(`{"indicators": []}`)}}}, "legacy.json: no table"},
		"legacy word empty":  {[]fstest.MapFS{{"legacy.json": legacy(`"sub_item": ""`)}}, "legacy.json: table: title, label_header"},
		"no previous year":   {[]fstest.MapFS{{"legacy.json": legacy(`"previous_year": []`)}}, "legacy.json: table: title, label_header"},
		"legacy unit cell":   {[]fstest.MapFS{{"legacy.json": legacy(`"unit_cell": "单元"`)}}, "legacy.json: table: unit_header 计量单位 does not hold unit_cell 单元"},
		"two fallback bases": {[]fstest.MapFS{{"c.json": {Data: []byte(`{"layout": "c", "markers": ["丙"], "fallback": {"present": ["申请"], "why": "w"}, "tables": [{"key": "a", "section": "applications", "columns": [{"key": "n", "labels": ["数量"]}], "rows": [{"key": "r", "labels": ["某项"]}]}]}`)}}}, "a second fallback without markers"},
	} {
		t.Run(name, func(t *testing.T) {
			var err error
			if c.folders == nil {
				_, err = LoadTemplates(fstest.MapFS{"x.json": layout("x", "applications")})
			} else {
				_, err = LoadTemplates(base, c.folders[0])
			}
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("error %v, want one saying %q", err, c.want)
			}
		})
	}
}
