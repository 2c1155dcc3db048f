package crawl

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"
)

// Adapter is one kind of site, as data: when it applies to a listing page
// and how it finds the page's report links and further listing pages. The
// kinds the crawler knows are adapters too (adapters/*.json, embedded); a
// maintainer adds a site's JSON API with a file of the same form (see
// LoadAdapters). The Go code implements the mechanisms (a link walk, a
// pager call, a Hanweb datastore, a JSON API, a rendering browser); an
// adapter selects one and sets its parameters.
type Adapter struct {
	Name  string `json:"name"`  // unique; recorded with the listing pages only it reads
	About string `json:"about"` // what kind of site it reads
	Match Match  `json:"match"`

	// Exactly one mechanism.
	Links     *LinksRule     `json:"links,omitempty"`
	Pager     *PagerRule     `json:"pager,omitempty"`
	Datastore *DatastoreRule `json:"datastore,omitempty"`
	API       *APIRule       `json:"api,omitempty"`
	Render    *RenderRule    `json:"render,omitempty"`

	File string `json:"-"` // where it was read from

	url, page *regexp.Regexp
}

// Match says when an adapter applies to a listing page: every condition
// given must hold (none: every page).
type Match struct {
	URL      string `json:"url,omitempty"`      // a regexp the page's URL matches
	Page     string `json:"page,omitempty"`     // a regexp the page's text matches
	Fallback bool   `json:"fallback,omitempty"` // only when the other adapters found no report link on the page and asked for no page of their own
}

// LinksRule parameterises the link walk.
type LinksRule struct {
	NextText  []string `json:"next_text"`  // texts of pagination links (下一页, 尾页, …)
	PagedName string   `json:"paged_name"` // a regexp the file names of numbered listing pages match, in the listing's folder

	paged *regexp.Regexp
}

// PagerRule reads pages named by a script call: a regexp with the named
// groups total, name and ext; pages first, then next for n = 1 … total-1,
// resolved against the listing page.
type PagerRule struct {
	Call  string `json:"call"`
	First string `json:"first"` // e.g. "{name}.{ext}"
	Next  string `json:"next"`  // e.g. "{name}_{n}.{ext}"

	call *regexp.Regexp
}

// DatastoreRule reads Hanweb's jpage: records inline in the page, the
// others from a proxy answering chunks of records.
type DatastoreRule struct {
	Block     string            `json:"block"`      // regexp on the page: the inline datastore (group 1)
	Record    string            `json:"record"`     // regexp: one record's HTML (group 1), in the datastore and in the proxy's answers
	NextGroup string            `json:"next_group"` // regexp: a link in the datastore whose query holds the form fields (group 1), when the call lacks them
	Call      string            `json:"call"`       // regexp: the jpage call's settings (group 1)
	Settings  map[string]string `json:"settings"`   // names in the call of proxy, per_page, group, total
	Proxy     string            `json:"proxy"`      // proxy URL when the call names none
	Query     string            `json:"query"`      // the proxy's query: {start}, {end}, {per_page}
	Method    string            `json:"method"`     // POST (the form as the body) or GET (the form in the query)
	Fields    []string          `json:"fields"`     // form fields copied from the call or the next-group link
	PerPage   int               `json:"per_page"`   // records per page when the call says none
	Group     int               `json:"group"`      // pages per proxy request when the call says none
	Total     string            `json:"total"`      // regexp on a proxy answer: the number of records (group 1)

	block, record, nextGroup, call, total *regexp.Regexp
}

// APIRule reads a listing drawn from a JSON API whose URL is known: the
// pages of the API are requested directly.
type APIRule struct {
	URL          string             `json:"url"`           // template resolved against the listing page: {page}, {per_page} and the vars
	Method       string             `json:"method"`        // GET (default) or POST
	Form         string             `json:"form"`          // POST body template (url-encoded)
	Vars         map[string]VarRule `json:"vars"`          // values read off the listing page or its URL
	FirstPage    int                `json:"first_page"`    // number of the first page (default 1)
	PerPage      int                `json:"per_page"`      // items per page, for {per_page} and with total
	Items        string             `json:"items"`         // path of the array of items in the answer, e.g. "data.list"
	Title        string             `json:"title"`         // path of an item's title
	Link         string             `json:"link"`          // path of an item's link, resolved against the API's URL
	LinkTemplate string             `json:"link_template"` // or: the link made of item paths, e.g. "/art/{id}.html"
	Date         string             `json:"date"`          // path of an item's date (text or epoch milliseconds), optional
	Pages        string             `json:"pages"`         // path of the number of pages in the answer
	Total        string             `json:"total"`         // or: path of the number of items (with per_page)
}

// VarRule reads one value of an API's URL: group 1 of a regexp on the
// listing page's URL ("url") or text ("page").
type VarRule struct {
	In     string `json:"in"`
	Regexp string `json:"regexp"`

	re *regexp.Regexp
}

// RenderRule parameterises the browser fallback.
type RenderRule struct {
	NextText []string `json:"next_text"` // texts of the controls clicked for the next page
	Load     []string `json:"load"`      // resource types the page may load (Document, Script, XHR, Fetch); the rest is refused
	Settle   string   `json:"settle"`    // network quiet time after which a drawn page is read
	Wait     string   `json:"wait"`      // longest wait for one page to be drawn

	settle, wait time.Duration
}

//go:embed adapters/*.json
var builtinFiles embed.FS

var builtin = mustBuiltin()

func mustBuiltin() []*Adapter {
	as, err := readAdapters(builtinFiles, "adapters", "")
	if err != nil {
		panic(err) // TestBuiltinAdapters reports it
	}
	return as
}

// BuiltinAdapters returns the adapters inside the binary: plain links,
// TRS, Hanweb and the browser fallback.
func BuiltinAdapters() []*Adapter { return append([]*Adapter(nil), builtin...) }

// LoadAdapters returns the built-in adapters and those of the *.json files
// in dir (a file naming a built-in adapter replaces it). An invalid file is
// an error naming it and what is wrong.
func LoadAdapters(dir string) ([]*Adapter, error) {
	if _, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("adapters: %w", err)
	}
	extra, err := readAdapters(os.DirFS(dir), ".", dir)
	if err != nil {
		return nil, err
	}
	if len(extra) == 0 {
		return nil, fmt.Errorf("adapters: no *.json file in %s", dir)
	}
	byName := map[string]*Adapter{}
	for _, a := range builtin {
		byName[a.Name] = a
	}
	for _, a := range extra {
		byName[a.Name] = a
	}
	out := make([]*Adapter, 0, len(byName))
	for _, a := range byName {
		out = append(out, a)
	}
	sortAdapters(out)
	return out, nil
}

// sortAdapters orders adapters by name, fallbacks last.
func sortAdapters(as []*Adapter) {
	sort.Slice(as, func(i, j int) bool {
		if as[i].Match.Fallback != as[j].Match.Fallback {
			return !as[i].Match.Fallback
		}
		return as[i].Name < as[j].Name
	})
}

func readAdapters(fsys fs.FS, dir, shown string) ([]*Adapter, error) {
	names, err := fs.Glob(fsys, filepath.ToSlash(filepath.Join(dir, "*.json")))
	if err != nil {
		return nil, err
	}
	seen := map[string]string{}
	var out []*Adapter
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		file := n
		if shown != "" {
			file = filepath.Join(shown, filepath.Base(n))
		}
		a, err := ParseAdapter(data)
		if err != nil {
			return nil, fmt.Errorf("adapter %s: %w", file, err)
		}
		if prev, ok := seen[a.Name]; ok {
			return nil, fmt.Errorf("adapter %s: name %q already used by %s", file, a.Name, prev)
		}
		seen[a.Name] = file
		a.File = file
		out = append(out, a)
	}
	sortAdapters(out)
	return out, nil
}

var adapterName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// ParseAdapter reads and checks one adapter file: known fields only, one
// mechanism with what it needs, regexps that compile.
func ParseAdapter(data []byte) (*Adapter, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var a Adapter
	if err := dec.Decode(&a); err != nil {
		return nil, err
	}
	if !adapterName.MatchString(a.Name) {
		return nil, fmt.Errorf("name %q: want lower-case letters, digits, - and _", a.Name)
	}
	var err error
	compile := func(what, expr string, groups int) *regexp.Regexp {
		if err != nil || expr == "" {
			return nil
		}
		re, e := regexp.Compile(expr)
		switch {
		case e != nil:
			err = fmt.Errorf("%s: %w", what, e)
		case re.NumSubexp() < groups:
			err = fmt.Errorf("%s %q: want %d group(s)", what, expr, groups)
		}
		return re
	}
	need := func(what, v string) {
		if err == nil && v == "" {
			err = fmt.Errorf("%s is required", what)
		}
	}
	a.url = compile("match.url", a.Match.URL, 0)
	a.page = compile("match.page", a.Match.Page, 0)
	n := 0
	if r := a.Links; r != nil {
		n++
		need("links.paged_name", r.PagedName)
		r.paged = compile("links.paged_name", r.PagedName, 0)
	}
	if r := a.Pager; r != nil {
		n++
		need("pager.call", r.Call)
		need("pager.first", r.First)
		need("pager.next", r.Next)
		r.call = compile("pager.call", r.Call, 0)
		if err == nil {
			for _, g := range []string{"total", "name", "ext"} {
				if err == nil && r.call.SubexpIndex(g) < 0 {
					err = fmt.Errorf("pager.call: no group named %s", g)
				}
			}
		}
	}
	if r := a.Datastore; r != nil {
		n++
		need("datastore.block", r.Block)
		need("datastore.record", r.Record)
		need("datastore.proxy", r.Proxy)
		need("datastore.query", r.Query)
		need("datastore.total", r.Total)
		r.block = compile("datastore.block", r.Block, 1)
		r.record = compile("datastore.record", r.Record, 1)
		r.nextGroup = compile("datastore.next_group", r.NextGroup, 1)
		r.call = compile("datastore.call", r.Call, 1)
		r.total = compile("datastore.total", r.Total, 1)
		r.Method = strings.ToUpper(r.Method)
		if err == nil && r.Method != "GET" && r.Method != "POST" {
			err = fmt.Errorf("datastore.method %q: want GET or POST", r.Method)
		}
		if err == nil && (r.PerPage <= 0 || r.Group <= 0) {
			err = errors.New("datastore.per_page and datastore.group must be positive")
		}
		for k := range r.Settings {
			if err == nil && k != "proxy" && k != "per_page" && k != "group" && k != "total" {
				err = fmt.Errorf("datastore.settings: unknown setting %q (proxy, per_page, group, total)", k)
			}
		}
	}
	if r := a.API; r != nil {
		n++
		need("api.url", r.URL)
		need("api.items", r.Items)
		need("api.title", r.Title)
		if err == nil && r.Link == "" && r.LinkTemplate == "" {
			err = errors.New("api.link or api.link_template is required")
		}
		if err == nil && r.Pages == "" && (r.Total == "" || r.PerPage <= 0) {
			err = errors.New("api.pages, or api.total with api.per_page, is required")
		}
		r.Method = strings.ToUpper(r.Method)
		if r.Method == "" {
			r.Method = "GET"
		}
		if err == nil && r.Method != "GET" && r.Method != "POST" {
			err = fmt.Errorf("api.method %q: want GET or POST", r.Method)
		}
		if r.FirstPage == 0 {
			r.FirstPage = 1
		}
		for k, v := range r.Vars {
			if err == nil && v.In != "url" && v.In != "page" {
				err = fmt.Errorf("api.vars.%s.in %q: want url or page", k, v.In)
			}
			v.re = compile("api.vars."+k+".regexp", v.Regexp, 1)
			r.Vars[k] = v
		}
		for what, t := range map[string]string{"api.url": r.URL, "api.form": r.Form} {
			for _, p := range placeholders(t) {
				if _, ok := r.Vars[p]; err == nil && !ok && p != "page" && p != "per_page" {
					err = fmt.Errorf("%s: {%s} is neither a var nor page or per_page", what, p)
				}
			}
		}
	}
	if r := a.Render; r != nil {
		n++
		if err == nil && len(r.NextText) == 0 {
			err = errors.New("render.next_text is required")
		}
		for _, d := range []struct {
			what string
			v    string
			to   *time.Duration
		}{{"render.settle", r.Settle, &r.settle}, {"render.wait", r.Wait, &r.wait}} {
			if err != nil {
				break
			}
			if *d.to, err = time.ParseDuration(d.v); err != nil || *d.to <= 0 {
				err = fmt.Errorf("%s %q: want a positive duration such as 300ms", d.what, d.v)
			}
		}
	}
	if err != nil {
		return nil, err
	}
	if n != 1 {
		return nil, fmt.Errorf("%d mechanisms: want exactly one of links, pager, datastore, api, render", n)
	}
	return &a, nil
}

// placeholders lists the {names} of a template.
func placeholders(t string) []string {
	var out []string
	for _, m := range placeholderRe.FindAllStringSubmatch(t, -1) {
		out = append(out, m[1])
	}
	return out
}

var placeholderRe = regexp.MustCompile(`\{([A-Za-z0-9_.]+)\}`)

// fill replaces a template's {names} by their values.
func fill(t string, vals func(name string) string) string {
	return placeholderRe.ReplaceAllStringFunc(t, func(m string) string { return vals(m[1 : len(m)-1]) })
}

// matches says whether the adapter applies to a page, and if not why.
func (a *Adapter) matches(pageURL, text string) (bool, string) {
	if a.url != nil && !a.url.MatchString(pageURL) {
		return false, "URL does not match " + a.Match.URL
	}
	if a.page != nil && !a.page.MatchString(text) {
		return false, "page does not match " + a.Match.Page
	}
	return true, ""
}

// mechanism names the adapter's mechanism.
func (a *Adapter) mechanism() string {
	switch {
	case a.Links != nil:
		return "links"
	case a.Pager != nil:
		return "pager"
	case a.Datastore != nil:
		return "datastore"
	case a.API != nil:
		return "api"
	}
	return "render"
}

// builtinRule returns the built-in adapter of a name.
func builtinAdapter(name string) *Adapter {
	for _, a := range builtin {
		if a.Name == name {
			return a
		}
	}
	panic("crawl: no built-in adapter " + name)
}
