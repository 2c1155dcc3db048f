package review

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"govreport"
	"govreport/store"
)

// reportPage is one report: a document of it (its representative unless
// ?doc= names another), its tables drawn as printed with their failed
// checks, the selected cell's source and correction form, its sections.
type reportPage struct {
	common
	Report   store.ReportInfo
	Doc      store.DocInfo
	AgencyID int64
	Region   string
	Tables   []tableView
	Sections []govreport.Section
	Findings []store.Finding // across documents: the report's twins, the text against table 三
	Flagged  int
	Failed   int
	Cell     *store.StoredCell // selected
	CellID   string
	Empty    bool                     // the selected cell is one of the template the reader stored no value in
	History  []store.CorrectionRecord // of the selected cell
	Source   sourceView
	Return   string // this page, for the form to come back to
}

// sourceView is the source of the selected cell (or of the document).
type sourceView struct {
	Kind    string // pdf-page, pdf-link, html, text, file, none
	FileURL string
	PageURL string // the drawn page
	Page    int
	W, H    float64 // the page's size in points: the marker's frame
	X, Y    float64 // the marker: where the cell's text begins, on its baseline (PDF points from the top left)
	MW      float64 // the marker's width: as wide as the cell's printed number
	Marked  bool
	Lines   []textLine
	Why     string // why no source is shown
	Where   string
	Remote  string // the source's URL when it is one
}

func (s *Server) report(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep, err := s.st.Report(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	docID := rep.DocID
	if d := r.URL.Query().Get("doc"); d != "" {
		if docID, err = strconv.ParseInt(d, 10, 64); err != nil {
			s.fail(w, r, badRequest{"doc " + strconv.Quote(d) + ": want a document id"})
			return
		}
	}
	i := slices.IndexFunc(rep.Docs, func(d store.DocInfo) bool { return d.ID == docID })
	if i < 0 {
		s.fail(w, r, fmt.Errorf("document %d of report %d: %w", docID, id, store.ErrNotFound))
		return
	}
	doc := rep.Docs[i]
	cells, err := s.st.Cells(ctx, doc.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	checks, err := s.st.Checks(ctx, doc.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	secs, err := s.st.Sections(ctx, doc.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p := reportPage{common: s.common(fmt.Sprintf("%s %d", orDash(rep.Agency), rep.Year), "reports"), Report: rep, Doc: doc, Sections: secs, AgencyID: rep.AgencyID}
	if rep.AgencyID != 0 {
		if a, err := s.st.Agency(ctx, rep.AgencyID); err == nil {
			p.Region = strings.Join(nonEmpty(a.Region.Province, a.Region.City, a.Region.County, a.Region.Township), " ")
		}
	}
	base := url.Values{}
	base.Set("doc", strconv.FormatInt(doc.ID, 10))
	p.CellID = r.URL.Query().Get("cell")
	v := &viewer{cells: map[string]*store.StoredCell{}, selected: p.CellID, base: base, path: r.URL.Path, absent: map[string]bool{}, edit: s.opt.AllowEdit}
	for i := range cells {
		c := &cells[i]
		v.cells[cellID(c.Table, c.Row, c.Col)] = c
		if slices.ContainsFunc(c.Flags, isReviewFlag) && !c.HasFlag(govreport.FlagCorrected) {
			p.Flagged++
		}
	}
	tpl := s.ts.Layout(doc.Layout)
	for _, t := range tables(tpl, cells, s.opt.AllowEdit) {
		tv := t.draw(v)
		for _, c := range checks {
			if c.Table != t.key {
				continue
			}
			switch c.Status {
			case govreport.CheckFail:
				tv.Failed = append(tv.Failed, checkView{Rule: c.Rule, Scope: c.Scope, Left: fmtValue(c.Left), Right: fmtValue(c.Right), Detail: c.Detail})
				p.Failed++
			case govreport.CheckPass:
				tv.Passed++
			default:
				tv.NA++
			}
		}
		p.Tables = append(p.Tables, tv)
	}
	p.Cell = v.cells[p.CellID]
	if p.Cell == nil && v.absent[p.CellID] {
		// a cell of a template table drawn empty: the form fills it in
		k := strings.SplitN(p.CellID, ".", 3)
		p.Cell, p.Empty = templateCell(tpl, k[0], k[1], k[2]), true
	}
	if p.CellID != "" && p.Cell == nil {
		s.fail(w, r, fmt.Errorf("cell %s of document %d: %w", p.CellID, doc.ID, store.ErrNotFound))
		return
	}
	if p.Cell != nil {
		all, err := s.st.Corrections(ctx, doc.SHA256)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, k := range all {
			if k.Table == p.Cell.Table && k.Row == p.Cell.Row && k.Col == p.Cell.Col {
				p.History = append(p.History, k)
			}
		}
	}
	if an, err := s.analysis(ctx); err == nil {
		for _, f := range an.Findings {
			if (f.Rule == store.RuleTwins || f.Rule == store.RuleNarrative) && slices.ContainsFunc(f.Docs, func(d store.DocRef) bool { return d.ID == doc.ID }) {
				p.Findings = append(p.Findings, f)
			}
		}
	} else {
		s.log.Printf("report %d: findings: %v", id, err)
	}
	p.Source = s.source(r, doc, p.Cell, cells)
	q := url.Values{}
	q.Set("doc", strconv.FormatInt(doc.ID, 10))
	if p.CellID != "" {
		q.Set("cell", p.CellID)
	}
	p.Return = r.URL.Path + "?" + q.Encode()
	s.render(w, "report", p)
}

func isReviewFlag(f string) bool {
	switch f {
	case govreport.FlagAmbiguous, govreport.FlagUncertain, govreport.FlagByPosition, govreport.FlagNotPrinted, govreport.FlagInferred:
		return true
	}
	return false
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// source is what the page shows of the document's source: the selected
// cell's PDF page with the cell marked (else the page of its first
// flagged cell, else page 1), the stored HTML page, a text's lines around
// the cell, or a link to the file.
func (s *Server) source(r *http.Request, d store.DocInfo, sel *store.StoredCell, cells []store.StoredCell) sourceView {
	ctx := r.Context()
	sv := sourceView{FileURL: fmt.Sprintf("/docs/%d/file", d.ID)}
	if strings.HasPrefix(d.Source, "http://") || strings.HasPrefix(d.Source, "https://") {
		sv.Remote = d.Source
	}
	at := sel
	if at == nil {
		for i := range cells {
			if slices.ContainsFunc(cells[i].Flags, isReviewFlag) {
				at = &cells[i]
				break
			}
		}
	}
	if at != nil {
		sv.Where = where(at.Pos)
		if at.Pos.Page == 0 && at.Pos.Line == 0 {
			// not printed where the reader looked (a cell filled in, or to
			// fill in): the page of its row, else of its table
			if near := nearest(cells, at); near != nil {
				at = &store.StoredCell{Cell: govreport.Cell{Pos: govreport.Pos{Page: near.Pos.Page, Line: near.Pos.Line}}}
			}
		}
	}
	if _, err := s.src.path(ctx, d); err != nil {
		sv.Kind, sv.Why = "none", err.Error()
		return sv
	}
	switch d.Format {
	case "pdf":
		sv.Page = 1
		if at != nil && at.Pos.Page > 0 {
			sv.Page = at.Pos.Page
		}
		if _, w, h, err := s.src.page(ctx, d, sv.Page); err == nil {
			sv.Kind, sv.W, sv.H = "pdf-page", w, h
			sv.PageURL = fmt.Sprintf("/docs/%d/pages/%d", d.ID, sv.Page)
			if at != nil && at.Pos.Page == sv.Page && (at.Pos.X != 0 || at.Pos.Y != 0) {
				sv.Marked, sv.X, sv.Y = true, at.Pos.X, at.Pos.Y
				n := 1
				if f := strings.Fields(at.Raw); len(f) > 0 {
					n = utf8.RuneCountInString(f[0])
				}
				sv.MW = min(max(8+6*float64(n), 14), 80)
			}
		} else {
			sv.Kind, sv.Why = "pdf-link", err.Error()
		}
	case "html":
		sv.Kind = "html"
	case "txt":
		sv.Kind = "text"
		if at != nil && at.Pos.Line > 0 {
			data, err := s.src.read(ctx, d)
			if err != nil {
				sv.Kind, sv.Why = "none", err.Error()
				break
			}
			raw := strings.TrimSpace(at.Raw)
			if f := strings.Fields(raw); len(f) > 0 {
				raw = f[0]
			}
			sv.Lines = textAround(data, at.Pos.Line, raw)
		}
	default:
		sv.Kind = "file"
	}
	return sv
}

// nearest is a cell printed (with a page or line) in c's row, else in its
// table, or nil.
func nearest(cells []store.StoredCell, c *store.StoredCell) *store.StoredCell {
	var inTable *store.StoredCell
	for i := range cells {
		x := &cells[i]
		if x.Table != c.Table || x.Pos.Page == 0 && x.Pos.Line == 0 {
			continue
		}
		if x.Row == c.Row {
			return x
		}
		if inTable == nil {
			inTable = x
		}
	}
	return inTable
}

// correct records a correction posted by the form and goes back to the
// report, the cell selected.
func (s *Server) correct(w http.ResponseWriter, r *http.Request) {
	if !s.opt.AllowEdit {
		http.Error(w, "read-only: start govreport serve with --allow-edit to correct values", http.StatusForbidden)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, badRequest{"form: " + err.Error()})
		return
	}
	if !s.checkToken(r) {
		http.Error(w, "the form's token is missing or stale: reload the page", http.StatusForbidden)
		return
	}
	ctx := r.Context()
	docID, err := strconv.ParseInt(r.PostFormValue("doc"), 10, 64)
	if err != nil {
		s.fail(w, r, badRequest{"doc: want a document id"})
		return
	}
	d, err := s.st.Document(ctx, docID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	parts := strings.SplitN(r.PostFormValue("cell"), ".", 3)
	if len(parts) != 3 {
		s.fail(w, r, badRequest{"cell: want table.row.column"})
		return
	}
	c := govreport.Correction{SHA256: d.SHA256, Table: parts[0], Row: parts[1], Col: parts[2], Action: r.PostFormValue("action"),
		Note: strings.TrimSpace(r.PostFormValue("note")), Author: s.opt.Author}
	if c.Action == govreport.CorrectionSet {
		if c.Value, err = parseValue(r.PostFormValue("value")); err != nil {
			s.fail(w, r, badRequest{err.Error()})
			return
		}
	}
	if err := s.st.Correct(ctx, c); err != nil {
		if errors.Is(err, store.ErrNoCell) {
			s.fail(w, r, fmt.Errorf("%w: %v", store.ErrNotFound, err))
			return
		}
		if errors.Is(err, store.ErrInvalid) {
			s.fail(w, r, badRequest{err.Error()})
			return
		}
		s.fail(w, r, err)
		return
	}
	q := url.Values{}
	q.Set("doc", strconv.FormatInt(d.ID, 10))
	q.Set("cell", r.PostFormValue("cell"))
	http.Redirect(w, r, fmt.Sprintf("/reports/%d?%s#cell-%s", d.ReportID, q.Encode(), r.PostFormValue("cell")), http.StatusSeeOther)
}

// parseValue reads a value typed in the form: digits (full-width too),
// thousands separators, a sign, decimals; empty for not reported.
func parseValue(s string) (*float64, error) {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return r - '０' + '0'
		case r == '，' || r == ',' || r == ' ' || r == '\u3000':
			return -1
		case r == '．':
			return '.'
		case r == '－' || r == '−':
			return '-'
		}
		return r
	}, strings.TrimSpace(s))
	if s == "" {
		return nil, nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return nil, fmt.Errorf("value %q: want a number, or nothing for not reported", s)
	}
	return &v, nil
}

// file serves a document's stored file: a page sandboxed (no script, no
// access to this site), other files as what they are.
func (s *Server) file(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	d, err := s.st.Document(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data, err := s.src.read(r.Context(), d)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h := w.Header()
	h.Set("Content-Type", contentType(d.Format, data))
	switch d.Format {
	case "pdf":
		h.Set("Content-Disposition", "inline")
	case "html", "txt":
		h.Set("Content-Security-Policy", "sandbox; default-src 'none'; img-src data:; style-src 'unsafe-inline'")
	default:
		h.Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", fmt.Sprintf("%d.%s", d.ID, d.Format)))
	}
	w.Write(data)
}

// pageImage serves a PDF page drawn by pdftoppm.
func (s *Server) pageImage(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := strconv.Atoi(r.PathValue("page"))
	if err != nil {
		s.fail(w, r, badRequest{"page: want a number"})
		return
	}
	d, err := s.st.Document(r.Context(), id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if d.Format != "pdf" {
		s.fail(w, r, badRequest{fmt.Sprintf("document %d is %s, not a PDF", id, d.Format)})
		return
	}
	if s.src.pdftoppm == "" {
		http.Error(w, "pages are not drawn: pdftoppm is not installed (Debian: poppler-utils)", http.StatusNotFound)
		return
	}
	path, _, _, err := s.src.page(r.Context(), d, n)
	if err != nil {
		if errors.Is(err, errNoFile) {
			s.fail(w, r, err)
			return
		}
		s.fail(w, r, badRequest{err.Error()})
		return
	}
	f, err := os.Open(path)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Cache-Control", "private, max-age=3600")
	http.ServeContent(w, r, "", fileTime(f), f)
}

func fileTime(f *os.File) time.Time {
	fi, err := f.Stat()
	if err != nil {
		return time.Time{}
	}
	return fi.ModTime()
}
