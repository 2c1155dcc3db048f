package review

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"govreport/store"
)

// perPage is how many reports or queue items a page lists.
const perPage = 50

// pager is a list's paging links.
type pager struct {
	Page, Pages int
	Prev, Next  string // "" at either end
	First, Last int    // the items shown, 1-based
}

func newPager(u *url.URL, page, total, per int) pager {
	p := pager{Page: page, Pages: max(1, (total+per-1)/per)}
	link := func(n int) string {
		q := u.Query()
		q.Set("page", strconv.Itoa(n))
		return u.Path + "?" + q.Encode()
	}
	if page > 1 {
		p.Prev = link(page - 1)
	}
	if page < p.Pages {
		p.Next = link(page + 1)
	}
	if total > 0 {
		p.First, p.Last = (page-1)*per+1, min(page*per, total)
	}
	return p
}

func pageOf(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 {
		return 1
	}
	return n
}

// sortLink is a sortable column's header link.
type sortLink struct {
	Label, Href string
	Arrow       string // ▲ ▼ on the column sorted by
}

// reportsPage is the list of reports.
type reportsPage struct {
	common
	F       store.ReportFilter
	YearStr string
	List    store.ReportList
	Facets  store.Facets
	Sorts   []sortLink
	Pager   pager
}

func (s *Server) reports(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := store.ReportFilter{Agency: strings.TrimSpace(q.Get("agency")), Region: strings.TrimSpace(q.Get("region")),
		Layout: q.Get("layout"), Format: q.Get("format"), Status: q.Get("status"),
		Flagged: q.Get("flagged") != "", Failing: q.Get("failing") != "", Sort: q.Get("sort"), Desc: q.Get("desc") != "", Limit: perPage}
	if y := q.Get("year"); y == "none" {
		f.Year = -1
	} else if y != "" {
		n, err := strconv.Atoi(y)
		if err != nil {
			s.fail(w, r, badRequest{"year " + strconv.Quote(y) + ": want a year"})
			return
		}
		f.Year = n
	}
	page := pageOf(r)
	f.Offset = (page - 1) * perPage
	list, err := s.st.ListReports(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	facets, err := s.st.ReportFacets(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := reportsPage{common: s.common("Reports", "reports"), F: f, List: list, Facets: facets, Pager: newPager(r.URL, page, list.Total, perPage)}
	switch {
	case f.Year > 0:
		p.YearStr = strconv.Itoa(f.Year)
	case f.Year < 0:
		p.YearStr = "none"
	}
	for _, c := range []struct{ key, label string }{{"agency", "agency"}, {"region", "region"}, {"year", "year"}, {"layout", "layout"}, {"format", "format"},
		{"status", "status"}, {"documents", "documents"}, {"flagged", "flagged cells"}, {"failing", "failing checks"}, {"corrected", "corrected"}} {
		sq := r.URL.Query()
		sq.Del("page")
		sq.Set("sort", c.key)
		sl := sortLink{Label: c.label}
		cur := f.Sort == c.key || f.Sort == "" && c.key == "agency"
		if cur && !f.Desc {
			sq.Set("desc", "1")
			sl.Arrow = "▲"
		} else {
			sq.Del("desc")
			if cur {
				sl.Arrow = "▼"
			}
		}
		sl.Href = "/reports?" + sq.Encode()
		p.Sorts = append(p.Sorts, sl)
	}
	s.render(w, "reports", p)
}

// queuePage is what is left to review.
type queuePage struct {
	common
	Items []queueItem
	Total int
	Pager pager
}

type queueItem struct {
	store.QueueItem
	Href    string
	Why     string
	Columns string // the flagged columns' labels, in the table's order
}

// columnLabels orders a table's column keys as the template does and
// gives their printed labels (keys it does not know as they are).
func (s *Server) columnLabels(layout, table string, keys []string) []string {
	var out []string
	seen := map[string]bool{}
	if t := s.ts.Layout(layout); t != nil {
		for _, tb := range t.Tables {
			if tb.Key != table {
				continue
			}
			for _, c := range tb.Columns {
				if slices.Contains(keys, c.Key) {
					out, seen[c.Key] = append(out, c.Labels[0]), true
				}
			}
		}
	}
	for _, k := range keys {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return out
}

func (s *Server) queue(w http.ResponseWriter, r *http.Request) {
	page := pageOf(r)
	items, total, err := s.st.Queue(r.Context(), (page-1)*perPage, perPage)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := queuePage{common: s.common("Review queue", "queue"), Total: total, Pager: newPager(r.URL, page, total, perPage)}
	for _, it := range items {
		qi := queueItem{QueueItem: it, Why: flagWhy[it.What], Columns: strings.Join(s.columnLabels(it.Layout, it.Table, it.Cols), "、")}
		q := url.Values{}
		q.Set("doc", strconv.FormatInt(it.DocID, 10))
		anchor := "#t-" + it.Table
		if it.Kind == "cell" && len(it.Cols) > 0 {
			id := cellID(it.Table, it.Row, it.Cols[0])
			q.Set("cell", id)
			anchor = "#cell-" + id
		} else {
			qi.Why = "an identity of the table does not hold"
		}
		qi.Href = "/reports/" + strconv.FormatInt(it.ReportID, 10) + "?" + q.Encode() + anchor
		p.Items = append(p.Items, qi)
	}
	s.render(w, "queue", p)
}

// agencyPage is an agency over the years.
type agencyPage struct {
	common
	Agency   store.AgencyInfo
	Years    []store.AgencyYear
	Charts   []chart
	Findings []store.Finding
}

func (s *Server) agency(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	a, err := s.st.Agency(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ys, err := s.st.AgencyYears(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	an, err := s.analysis(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docs := map[int64]bool{}
	for _, y := range ys {
		docs[y.DocID] = true
	}
	p := agencyPage{common: s.common(a.Name, "reports"), Agency: a, Years: ys, Charts: agencyCharts(ys)}
	for _, f := range an.Findings {
		if f.Rule != store.RuleContinuity && f.Rule != store.RuleRolling {
			continue // the cross-year findings; a report's own are on its page
		}
		if slices.ContainsFunc(f.Docs, func(d store.DocRef) bool { return docs[d.ID] }) {
			p.Findings = append(p.Findings, f)
		}
	}
	s.render(w, "agency", p)
}
