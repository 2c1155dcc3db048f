package crawl

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every adapter file, built in or shipped as an example, is well-formed:
// one mechanism, known fields, regexps that compile.
func TestAdapterFiles(t *testing.T) {
	as := BuiltinAdapters()
	names := map[string]bool{}
	for _, a := range as {
		names[a.Name] = true
		if a.About == "" {
			t.Errorf("%s: no about", a.File)
		}
	}
	for _, n := range []string{"links", "trs", "hanweb", "render"} {
		if !names[n] {
			t.Errorf("no built-in adapter %s", n)
		}
	}
	if as[len(as)-1].Name != "render" {
		t.Errorf("the fallback is not tried last: %s", as[len(as)-1].Name)
	}
	all, err := LoadAdapters("crawltest/adapters")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != len(as)+1 {
		t.Errorf("%d adapters with the example's folder, want %d", len(all), len(as)+1)
	}
}

// A bad adapter file is refused with the file's name and what is wrong.
func TestAdapterErrors(t *testing.T) {
	cases := map[string]struct{ json, want string }{
		"unknown field":   {`{"name":"x","about":"","match":{},"links":{"paged_name":"a"},"colour":1}`, `unknown field "colour"`},
		"two mechanisms":  {`{"name":"x","links":{"paged_name":"a"},"render":{"next_text":["下一页"],"settle":"1s","wait":"2s"}}`, "2 mechanisms"},
		"no mechanism":    {`{"name":"x"}`, "0 mechanisms"},
		"bad name":        {`{"name":"X Y","links":{"paged_name":"a"}}`, `name "X Y"`},
		"bad regexp":      {`{"name":"x","match":{"page":"("},"links":{"paged_name":"a"}}`, "match.page"},
		"record group":    {`{"name":"x","datastore":{"block":"(a)","record":"b","proxy":"/p","query":"q","total":"(t)","method":"POST","per_page":1,"group":1}}`, "datastore.record"},
		"pager groups":    {`{"name":"x","pager":{"call":"f\\((\\d+)\\)","first":"a","next":"b"}}`, "no group named total"},
		"api placeholder": {`{"name":"x","api":{"url":"/a?c={column}&p={page}","items":"l","title":"t","link":"u","pages":"n"}}`, "{column}"},
		"api pages":       {`{"name":"x","api":{"url":"/a?p={page}","items":"l","title":"t","link":"u"}}`, "api.pages"},
		"api var in":      {`{"name":"x","api":{"url":"/a?c={c}","vars":{"c":{"in":"body","regexp":"(x)"}},"items":"l","title":"t","link":"u","pages":"n"}}`, "api.vars.c.in"},
		"render wait":     {`{"name":"x","render":{"next_text":["下一页"],"settle":"soon","wait":"2s"}}`, "render.settle"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, "site.json"), []byte(c.json), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := LoadAdapters(dir)
			if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), filepath.Join(dir, "site.json")) {
				t.Errorf("error %v, want one naming the file and %q", err, c.want)
			}
		})
	}
	if _, err := LoadAdapters(filepath.Join(t.TempDir(), "none")); err == nil {
		t.Error("a missing folder loaded")
	}
}

// A file naming a built-in adapter replaces it.
func TestAdapterReplaces(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "h.json"), []byte(`{"name":"hanweb","about":"GET","match":{"page":"<datastore>"},"datastore":{"block":"(?s)<datastore>(.*?)</datastore>","record":"(?s)<record><!\\[CDATA\\[(.*?)\\]\\]></record>","proxy":"/p.jsp","query":"s={start}&e={end}&n={per_page}","method":"get","per_page":10,"group":1,"total":"<totalrecord>(\\d+)"}}`), 0o644)
	as, err := LoadAdapters(dir)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, a := range as {
		if a.Name == "hanweb" {
			n++
			if a.About != "GET" || a.Datastore.Method != "GET" {
				t.Errorf("hanweb not replaced: %+v", a)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d adapters named hanweb", n)
	}
}

func TestJSONHelpers(t *testing.T) {
	var doc any
	dec := json.NewDecoder(strings.NewReader(`{"data":{"list":[{"t":"a","d":1737331200000,"s":"2025/1/5 10:00"}],"pages":3}}`))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		t.Fatal(err)
	}
	if got := jsonText(jsonPath(doc, "data.list.0.t")); got != "a" {
		t.Errorf("path: %q", got)
	}
	if got := jsonText(jsonPath(doc, "data.pages")); got != "3" {
		t.Errorf("pages: %q", got)
	}
	if got := jsonDate(jsonPath(doc, "data.list.0.d")); got != "2025-01-20" { // 2025-01-20 08:00 in China
		t.Errorf("epoch ms: %q", got)
	}
	if got := jsonDate(jsonPath(doc, "data.list.0.s")); got != "2025-01-05" {
		t.Errorf("text date: %q", got)
	}
	if jsonPath(doc, "data.list.7.t") != nil || jsonPath(doc, "data.x.y") != nil {
		t.Error("a path leading nowhere gave a value")
	}
	vals, ok := untemplate("/api/list?c={channel}&p={page}", "http://h:1/api/list?c=nb%2F1&p=2")
	if !ok || vals["channel"] != "nb%2F1" || vals["page"] != "2" {
		t.Errorf("untemplate: %v %v", vals, ok)
	}
	for s, want := range map[string]string{"2025-03-10": "2025-03-10", "发布日期：2025年3月9日": "2025-03-09", "2025.13.01": "", "20250310": "", "2024/2/30 x": ""} {
		if got := DateOf(s); got != want {
			t.Errorf("DateOf(%q) = %q, want %q", s, got, want)
		}
	}
	if got := jsValue(`{col: 1, path: '/', webname: "某市", columnid:4296}`, "col"); got != "1" {
		t.Errorf("jsValue col %q", got)
	}
	if got := jsValue(`{col: 1, path: '/', webname: "某市", columnid:4296}`, "webname"); got != "某市" {
		t.Errorf("jsValue webname %q", got)
	}
}
