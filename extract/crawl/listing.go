package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// PageRequest is a listing page to fetch: a link, or a request an adapter
// makes (a Hanweb proxy's chunk, a JSON API's page).
type PageRequest struct {
	Key     string // the frontier key: the URL, or for a POST the URL, "#" and the form
	Adapter string // the adapter that reads the answer; "" when the adapters match it as a page
}

// Reading is what the adapters read off one listing page.
type Reading struct {
	URL         string
	Status      int           // HTTP status of the page (Explain)
	ContentType string        // (Explain)
	Reports     []Link        // report links, each once
	Pages       []PageRequest // further listing pages
	Adapters    []AdapterUse  // every adapter tried, in order
	ErrKind     string        // a reading that could not be done (no_browser, render, adapter)
	Err         string
}

// AdapterUse is one adapter tried on a listing page.
type AdapterUse struct {
	Name    string
	Matched bool
	Why     string // why it did not match, or could not read the page
	Reports int    // report links it found
	Pages   int    // further listing pages it found
	Note    string // what it read (records inline, totals, pages rendered)
}

// Error kinds of a listing page that could not be read.
const (
	ErrKindNoBrowser = "no_browser" // drawn by scripts, and no Chromium to render it
	ErrKindRender    = "render"     // the browser failed or ran out of time
	ErrKindAdapter   = "adapter"    // an adapter's answer could not be read
)

// postKey is the frontier key of a POST: the URL, "#", the url-encoded
// form.
func postKey(u, form string) string { return u + "#" + form }

// splitKey returns a frontier key's URL and, for a POST, its form.
func splitKey(key string) (u, form string, post bool) {
	u, form, post = strings.Cut(key, "#")
	return u, form, post
}

// adapterNamed returns the crawl's adapter of a name, or nil.
func (c *Crawler) adapterNamed(name string) *Adapter {
	for _, a := range c.adapters {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// readListing runs the adapters on a listing page: the one named when the
// page is an adapter's answer, else every adapter whose match holds, then
// the fallbacks if none found a report link or asked for pages it reads.
func (c *Crawler) readListing(ctx context.Context, key, adapter string, data []byte, ctype string) *Reading {
	r := &Reading{URL: key}
	text, err := c.cfg.Decode(data, ctype)
	if err != nil {
		r.ErrKind, r.Err = ErrKindAdapter, "not a page: "+err.Error()
		return r
	}
	if adapter != "" {
		a := c.adapterNamed(adapter)
		use := AdapterUse{Name: adapter, Matched: a != nil}
		var err error
		switch {
		case a == nil:
			err = fmt.Errorf("no adapter %q (was it removed from --adapters?)", adapter)
		case a.Datastore != nil:
			err = c.datastoreAnswer(a, key, text, r, &use)
		case a.API != nil:
			err = c.apiAnswer(a, key, text, r, &use)
		default:
			err = fmt.Errorf("adapter %q reads no answers", adapter)
		}
		if err != nil {
			use.Why = err.Error()
			r.ErrKind, r.Err = ErrKindAdapter, adapter+": "+err.Error()
		}
		r.Adapters = append(r.Adapters, use)
		return r
	}
	u, _, _ := splitKey(key)
	doc, base, err := parsePage(text, u)
	if errors.Is(err, errTooManyElements) {
		r.ErrKind, r.Err = ErrKindTooLarge, err.Error()
		return r
	}
	if err != nil {
		r.ErrKind, r.Err = ErrKindAdapter, "not a page: "+err.Error()
		return r
	}
	for _, a := range c.adapters {
		use := AdapterUse{Name: a.Name}
		use.Matched, use.Why = a.matches(u, text)
		if a.Match.Fallback {
			switch {
			case !use.Matched:
			case len(r.Reports) > 0:
				use.Matched, use.Why = false, "not needed: report links found"
			case r.adapterPages():
				use.Matched, use.Why = false, "not needed: an adapter asks for the listing's pages"
			default:
				n := len(r.Reports)
				if err := c.render(ctx, a, u, data, ctype, r, &use); err != nil {
					use.Why = err.Error()
					r.ErrKind, r.Err = renderErrKind(err), err.Error()
				}
				use.Reports = len(r.Reports) - n
			}
			r.Adapters = append(r.Adapters, use)
			continue
		}
		if use.Matched {
			nr, np := len(r.Reports), len(r.Pages)
			switch {
			case a.Links != nil:
				p := walkLinks(doc, base, a.Links)
				r.addReports(p.Reports...)
				for _, s := range p.Pages {
					r.addPage(PageRequest{Key: s})
				}
			case a.Pager != nil:
				for _, s := range pagerPages(doc, base, a.Pager) {
					r.addPage(PageRequest{Key: s})
				}
			case a.Datastore != nil:
				c.datastorePage(a, base, text, r, &use)
			case a.API != nil:
				c.apiPage(a, base, text, r, &use)
			}
			use.Reports, use.Pages = len(r.Reports)-nr, len(r.Pages)-np
		}
		r.Adapters = append(r.Adapters, use)
	}
	return r
}

// adapterPages says whether an adapter asked for pages it reads itself.
func (r *Reading) adapterPages() bool {
	for _, p := range r.Pages {
		if p.Adapter != "" {
			return true
		}
	}
	return false
}

func (r *Reading) addReports(ls ...Link) {
next:
	for _, l := range ls {
		for i := range r.Reports {
			if r.Reports[i].URL == l.URL {
				if r.Reports[i].Date == "" {
					r.Reports[i].Date = l.Date
				}
				continue next
			}
		}
		r.Reports = append(r.Reports, l)
	}
}

func (r *Reading) addPage(p PageRequest) {
	if p.Key == r.URL {
		return
	}
	for _, q := range r.Pages {
		if q.Key == p.Key {
			return
		}
	}
	r.Pages = append(r.Pages, p)
}

// recordLinks reads report links off HTML fragments (a datastore's
// records, a rendered page) resolved against base.
func recordLinks(frag string, base *url.URL) []Link {
	if tooManyElements(frag) {
		return nil
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(frag))
	if err != nil {
		return nil
	}
	return walkLinks(doc, base, builtinAdapter("links").Links).Reports
}

// jpage is what a Hanweb page says of its proxy.
type jpage struct {
	proxy          *url.URL
	form           url.Values
	perPage, group int
	total          int // -1: unknown until the proxy answers
}

// datastorePage reads a Hanweb page: the records inline, and the proxy's
// chunks after them, requested with the form fields of the page's jpage
// call (or of the datastore's next-group link).
func (c *Crawler) datastorePage(a *Adapter, base *url.URL, text string, r *Reading, use *AdapterUse) {
	d := a.Datastore
	m := d.block.FindStringSubmatch(text)
	if m == nil {
		use.Why = "no inline datastore"
		return
	}
	records := d.record.FindAllStringSubmatch(m[1], -1)
	for _, rec := range records {
		r.addReports(recordLinks(rec[1], base)...)
	}
	call := ""
	if d.call != nil {
		if cm := d.call.FindStringSubmatch(text); cm != nil {
			call = cm[1]
		}
	}
	setting := func(name string) string {
		if n := d.Settings[name]; n != "" {
			return jsValue(call, n)
		}
		return ""
	}
	j := jpage{form: url.Values{}, perPage: d.PerPage, group: d.Group, total: -1}
	var next url.Values
	if d.nextGroup != nil {
		if nm := d.nextGroup.FindStringSubmatch(m[1]); nm != nil {
			if nu, err := url.Parse(strings.ReplaceAll(nm[1], "&amp;", "&")); err == nil {
				next = nu.Query()
			}
		}
	}
	for _, f := range d.Fields {
		if v := jsValue(call, f); v != "" {
			j.form.Set(f, v)
		} else if v := next.Get(f); v != "" {
			j.form.Set(f, v)
		}
	}
	if n, err := strconv.Atoi(setting("per_page")); err == nil && n > 0 {
		j.perPage = n
	}
	if n, err := strconv.Atoi(setting("group")); err == nil && n > 0 {
		j.group = n
	}
	if n, err := strconv.Atoi(setting("total")); err == nil && n >= 0 {
		j.total = n
	}
	proxy := setting("proxy")
	if proxy == "" {
		proxy = d.Proxy
	}
	j.proxy = resolve(base, proxy)
	use.Note = fmt.Sprintf("%d records inline", len(records))
	if j.total >= 0 {
		use.Note += fmt.Sprintf(" of %d", j.total)
	}
	if j.proxy == nil {
		use.Why = "no proxy URL"
		return
	}
	use.Note += fmt.Sprintf("; proxy %s %s, %d records a request, form %s", d.Method, j.proxy, j.perPage*j.group, j.form.Encode())
	chunk := j.perPage * j.group
	start := len(records) + 1
	if j.total < 0 { // the first answer tells the total
		r.addPage(PageRequest{Key: d.request(j.proxy, j.form, start, start+chunk-1, j.perPage), Adapter: a.Name})
		return
	}
	for s := start; s <= j.total; s += chunk {
		r.addPage(PageRequest{Key: d.request(j.proxy, j.form, s, s+chunk-1, j.perPage), Adapter: a.Name})
	}
}

// request is the frontier key of one chunk of records.
func (d *DatastoreRule) request(proxy *url.URL, form url.Values, start, end, perPage int) string {
	q := fill(d.Query, func(k string) string {
		switch k {
		case "start":
			return strconv.Itoa(start)
		case "end":
			return strconv.Itoa(end)
		case "per_page":
			return strconv.Itoa(perPage)
		}
		return ""
	})
	u := *proxy
	if u.RawQuery != "" {
		q = u.RawQuery + "&" + q
	}
	if d.Method == "GET" {
		u.RawQuery = q + "&" + form.Encode()
		return u.String()
	}
	u.RawQuery = q
	return postKey(u.String(), form.Encode())
}

// datastoreAnswer reads a proxy's answer: its records, and the chunks
// after it up to the total it states.
func (c *Crawler) datastoreAnswer(a *Adapter, key, text string, r *Reading, use *AdapterUse) error {
	d := a.Datastore
	raw, formText, _ := splitKey(key)
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	records := d.record.FindAllStringSubmatch(text, -1)
	for _, rec := range records {
		r.addReports(recordLinks(rec[1], u)...)
	}
	tm := d.total.FindStringSubmatch(text)
	if tm == nil {
		return fmt.Errorf("the answer states no total (%s)", d.Total)
	}
	total, _ := strconv.Atoi(tm[1])
	use.Note = fmt.Sprintf("%d records of %d", len(records), total)
	// Where this request's start, end and per-page values sit in the query.
	names := map[string]string{}
	tq, _ := url.ParseQuery(d.Query)
	for k, vs := range tq {
		if len(vs) == 1 && strings.HasPrefix(vs[0], "{") {
			names[strings.Trim(vs[0], "{}")] = k
		}
	}
	q := u.Query()
	start, err1 := strconv.Atoi(q.Get(names["start"]))
	end, err2 := strconv.Atoi(q.Get(names["end"]))
	perPage, err3 := strconv.Atoi(q.Get(names["per_page"]))
	if err1 != nil || err2 != nil || err3 != nil || end < start {
		return fmt.Errorf("request %s: no record range in the query", raw)
	}
	form, _ := url.ParseQuery(formText)
	proxy := *u
	if d.Method == "GET" {
		for _, f := range d.Fields {
			if v := q.Get(f); v != "" {
				form.Set(f, v)
			}
		}
	}
	proxy.RawQuery = ""
	for _, k := range []string{"start", "end", "per_page"} {
		q.Del(names[k])
	}
	for _, f := range d.Fields {
		if d.Method == "GET" {
			q.Del(f)
		}
	}
	if len(q) > 0 {
		proxy.RawQuery = q.Encode()
	}
	chunk := end - start + 1
	for s := end + 1; s <= total; s += chunk {
		r.addPage(PageRequest{Key: d.request(&proxy, form, s, s+chunk-1, perPage), Adapter: a.Name})
	}
	return nil
}

// jsValue reads name's value in a script's object literal (name: 'v',
// name: "v", name: 12), or "".
func jsValue(script, name string) string {
	if script == "" {
		return ""
	}
	re, err := regexp.Compile(`(?:^|[{,\s])['"]?` + regexp.QuoteMeta(name) + `['"]?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,}\s]+))`)
	if err != nil {
		return ""
	}
	m := re.FindStringSubmatch(script)
	if m == nil {
		return ""
	}
	return m[1] + m[2] + m[3]
}

// apiPage reads the values of a JSON API's URL off the listing page and
// requests its first page.
func (c *Crawler) apiPage(a *Adapter, base *url.URL, text string, r *Reading, use *AdapterUse) {
	api := a.API
	vars := map[string]string{"per_page": strconv.Itoa(api.PerPage), "page": strconv.Itoa(api.FirstPage)}
	for name, v := range api.Vars {
		src := base.String()
		if v.In == "page" {
			src = text
		}
		m := v.re.FindStringSubmatch(src)
		if m == nil {
			use.Why = fmt.Sprintf("var %s: %s not found in the page's %s", name, v.Regexp, v.In)
			return
		}
		vars[name] = m[1]
	}
	key, err := api.request(base, vars)
	if err != nil {
		use.Why = err.Error()
		return
	}
	use.Note = "API " + key
	r.addPage(PageRequest{Key: key, Adapter: a.Name})
}

// request is the frontier key of the API's page given the vars.
func (api *APIRule) request(base *url.URL, vars map[string]string) (string, error) {
	val := func(k string) string { return url.QueryEscape(vars[k]) }
	u := resolve(base, fill(api.URL, val))
	if u == nil {
		return "", fmt.Errorf("API URL %s: not an http(s) URL", api.URL)
	}
	if api.Method == "POST" {
		return postKey(u.String(), fill(api.Form, val)), nil
	}
	return u.String(), nil
}

// apiAnswer reads one page of a JSON API: its items, and every page of
// the API (the frontier keeps each once).
func (c *Crawler) apiAnswer(a *Adapter, key, text string, r *Reading, use *AdapterUse) error {
	api := a.API
	raw, form, _ := splitKey(key)
	u, err := url.Parse(raw)
	if err != nil {
		return err
	}
	var doc any
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return fmt.Errorf("the answer is not JSON: %w", err)
	}
	items, ok := jsonPath(doc, api.Items).([]any)
	if !ok {
		return fmt.Errorf("no array at %s", api.Items)
	}
	for _, it := range items {
		title := jsonText(jsonPath(it, api.Title))
		link := ""
		if api.LinkTemplate != "" {
			link = fill(api.LinkTemplate, func(k string) string { return jsonText(jsonPath(it, k)) })
		} else {
			link = jsonText(jsonPath(it, api.Link))
		}
		lu := resolve(u, link)
		if lu == nil || !LooksLikeReport(title) {
			continue
		}
		l := Link{URL: lu.String(), Text: title, Year: YearOf(title)}
		if api.Date != "" {
			l.Date = jsonDate(jsonPath(it, api.Date))
		}
		r.addReports(l)
	}
	pages := -1
	if api.Pages != "" {
		pages, _ = strconv.Atoi(jsonText(jsonPath(doc, api.Pages)))
	} else if n, err := strconv.Atoi(jsonText(jsonPath(doc, api.Total))); err == nil {
		pages = int(math.Ceil(float64(n) / float64(api.PerPage)))
	}
	if pages < 0 {
		return fmt.Errorf("no number of pages at %s%s", api.Pages, api.Total)
	}
	use.Note = fmt.Sprintf("%d items, %d pages", len(items), pages)
	vars, ok := untemplate(api.URL, raw)
	if ok && api.Method == "POST" {
		fv, ok2 := untemplate(api.Form, form)
		for k, v := range fv {
			vars[k] = v
		}
		ok = ok2
	}
	if !ok {
		return fmt.Errorf("request %s does not fit the template %s", key, api.URL)
	}
	for k, v := range vars {
		if s, err := url.QueryUnescape(v); err == nil {
			vars[k] = s
		}
	}
	for p := api.FirstPage; p < api.FirstPage+min(pages, 10000); p++ {
		vars["page"] = strconv.Itoa(p)
		k, err := api.request(u, vars)
		if err != nil {
			return err
		}
		r.addPage(PageRequest{Key: k, Adapter: a.Name})
	}
	return nil
}

// untemplate reads the values of a template's placeholders off a string
// the template made (its end: a relative URL template made an absolute
// URL).
func untemplate(t, s string) (map[string]string, bool) {
	var names []string
	var b strings.Builder
	last := 0
	for _, loc := range placeholderRe.FindAllStringSubmatchIndex(t, -1) {
		b.WriteString(regexp.QuoteMeta(t[last:loc[0]]))
		b.WriteString("(.*?)")
		names = append(names, t[loc[2]:loc[3]])
		last = loc[1]
	}
	b.WriteString(regexp.QuoteMeta(t[last:]) + "$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, false
	}
	m := re.FindStringSubmatch(s)
	if m == nil {
		return nil, false
	}
	vals := map[string]string{}
	for i, n := range names {
		vals[n] = m[i+1]
	}
	return vals, true
}

// jsonPath follows a dotted path (data.list, items.0.url) into decoded
// JSON; nil when it leads nowhere.
func jsonPath(v any, path string) any {
	if path == "" {
		return v
	}
	for _, k := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[k]
		case []any:
			i, err := strconv.Atoi(k)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func jsonText(v any) string {
	switch x := v.(type) {
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return ""
}

// jsonDate reads a date as text (2024-01-25 10:00:00, 2024/1/25) or as
// epoch milliseconds (or seconds), as YYYY-MM-DD in China's time.
func jsonDate(v any) string {
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		if err != nil || i <= 0 {
			return ""
		}
		t := time.Unix(i, 0)
		if i > 1e11 {
			t = time.UnixMilli(i)
		}
		return t.In(time.FixedZone("CST", 8*3600)).Format("2006-01-02")
	}
	return DateOf(jsonText(v))
}
