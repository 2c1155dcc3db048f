// Package review serves the database to a person in a browser (govreport
// serve): the reports, filtered and sorted; one report's tables drawn as
// printed, every flagged cell coloured, beside its source (the PDF page
// with the cell marked, the stored page, the text's lines) and its failed
// checks; an agency over the years; the queue of what is left to review;
// and, with AllowEdit, a form that corrects a cell (store.Correct, which
// runs the table's checks again).
//
// Pages are html/template with the templates, stylesheet and a few lines
// of script embedded in the binary. Every form post carries a token of
// the server's, cross-origin posts are refused, and requests must name
// the host the server listens on when it listens on a loopback address
// (no DNS rebinding). Stored files are read from inside the --store
// folder only, and only while their bytes still have the document's
// sha256; a stored page is served sandboxed (no script).
package review

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"

	"govreport"
	"govreport/normalize"
	"govreport/store"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Options configure a Server.
type Options struct {
	Store     *store.Store
	Templates *normalize.TemplateSet // the layouts tables are drawn by; nil: the built-in ones
	// StoreDir is the folder stored files are read from (the crawler's
	// --store, or the folder reports were imported from); nothing outside
	// it is ever read. "": no files.
	StoreDir string
	// AllowEdit shows the correction form and accepts its posts; the
	// server is read-only otherwise.
	AllowEdit bool
	Author    string // recorded with each correction
	// Pdftoppm is the path of poppler's pdftoppm, which draws PDF pages;
	// "" looks it up in PATH; "none": pages are not drawn (a link to the
	// PDF at the page instead).
	Pdftoppm string
	// CacheDir holds the pages drawn; "": a temporary folder removed by
	// Close.
	CacheDir string
	// Hosts are the host names requests may name (Host header) besides
	// the loopback ones; nil with a loopback listener: those only. See
	// Handler.
	Hosts []string
	Log   *log.Logger // errors; nil: standard error
}

// Server is the review web interface. It is safe for concurrent use.
type Server struct {
	opt     Options
	st      *store.Store
	ts      *normalize.TemplateSet
	pages   map[string]*template.Template
	src     *sources
	token   string // the forms' token
	tmpDir  string // CacheDir when made here
	log     *log.Logger
	loopOK  bool // requests may name a loopback host
	mu      sync.Mutex
	analyze *analysisCache
}

// New makes a server over an open store.
func New(opt Options) (*Server, error) {
	if opt.Store == nil {
		return nil, errors.New("review: no store")
	}
	s := &Server{opt: opt, st: opt.Store, ts: opt.Templates, log: opt.Log, analyze: &analysisCache{}}
	if s.ts == nil {
		s.ts = normalize.DefaultTemplates()
	}
	if s.log == nil {
		s.log = log.New(os.Stderr, "serve: ", log.LstdFlags)
	}
	var tok [32]byte
	if _, err := rand.Read(tok[:]); err != nil {
		return nil, err
	}
	s.token = hex.EncodeToString(tok[:])
	pages, err := parsePages()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	pdftoppm := opt.Pdftoppm
	switch pdftoppm {
	case "none":
		pdftoppm = ""
	case "":
		pdftoppm, _ = exec.LookPath("pdftoppm")
	}
	cache := opt.CacheDir
	if cache == "" && pdftoppm != "" {
		if cache, err = os.MkdirTemp("", "govreport-pages-"); err != nil {
			return nil, err
		}
		s.tmpDir = cache
	}
	if s.src, err = newSources(s.st, opt.StoreDir, pdftoppm, cache); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// Close removes the pages drawn in a temporary folder.
func (s *Server) Close() error {
	if s.src != nil {
		s.src.close()
	}
	if s.tmpDir != "" {
		return os.RemoveAll(s.tmpDir)
	}
	return nil
}

// Handler returns the server's handler. listen is the address the server
// listens on: when it is a loopback one, a request naming another host is
// refused (a page elsewhere cannot reach the server by a name it
// controls), unless Options.Hosts names it.
func (s *Server) Handler(listen string) http.Handler {
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		host = listen
	}
	ip := net.ParseIP(host)
	s.loopOK = host == "localhost" || ip != nil && ip.IsLoopback()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/reports", http.StatusSeeOther) })
	mux.HandleFunc("GET /reports", s.reports)
	mux.HandleFunc("GET /reports/{id}", s.report)
	mux.HandleFunc("GET /agencies/{id}", s.agency)
	mux.HandleFunc("GET /queue", s.queue)
	mux.HandleFunc("GET /docs/{id}/file", s.file)
	mux.HandleFunc("GET /docs/{id}/pages/{page}", s.pageImage)
	mux.HandleFunc("POST /corrections", s.correct)
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	cop := http.NewCrossOriginProtection()
	return s.guard(cop.Handler(mux))
}

// guard refuses requests naming a host the server does not answer for and
// sets the headers every response carries.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.hostAllowed(r.Host) {
			http.Error(w, "unknown host "+r.Host, http.StatusMisdirectedRequest)
			return
		}
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		next.ServeHTTP(w, r)
	})
}

func (s *Server) hostAllowed(hostport string) bool {
	host, _, err := net.SplitHostPort(hostport)
	if err != nil {
		host = hostport
	}
	host = strings.Trim(host, "[]")
	for _, h := range s.opt.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	if !s.loopOK {
		return len(s.opt.Hosts) == 0
	}
	ip := net.ParseIP(host)
	return strings.EqualFold(host, "localhost") || ip != nil && ip.IsLoopback()
}

// pageCSP is the pages' content security policy: their own stylesheet,
// script and images, the stored page in a frame, nothing inline.
const pageCSP = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self'; frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"

// render writes a page.
func (s *Server) render(w http.ResponseWriter, name string, data any) {
	t := s.pages[name]
	var buf strings.Builder
	if err := t.ExecuteTemplate(&buf, "page", data); err != nil {
		s.log.Printf("page %s: %v", name, err)
		http.Error(w, "the page could not be drawn: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", pageCSP)
	io.WriteString(w, buf.String())
}

// fail answers an error: 404 for what does not exist, 400 for a bad
// request, 500 otherwise (logged).
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var bad badRequest
	switch {
	case errors.Is(err, store.ErrNotFound), errors.Is(err, errNoFile):
		http.Error(w, err.Error(), http.StatusNotFound)
	case errors.As(err, &bad):
		http.Error(w, bad.Error(), http.StatusBadRequest)
	case errors.Is(err, context.Canceled):
	default:
		s.log.Printf("%s %s: %v", r.Method, r.URL.Path, err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
	}
}

// badRequest is an error in what the request asks.
type badRequest struct{ msg string }

func (e badRequest) Error() string { return e.msg }

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, badRequest{fmt.Sprintf("%s %q: want a positive number", name, r.PathValue(name))}
	}
	return id, nil
}

// common is what every page shows.
type common struct {
	Title     string
	Nav       string // reports, queue
	AllowEdit bool
	Token     string
}

func (s *Server) common(title, nav string) common {
	return common{Title: title, Nav: nav, AllowEdit: s.opt.AllowEdit, Token: s.token}
}

// checkToken compares a form's token with the server's.
func (s *Server) checkToken(r *http.Request) bool {
	return subtle.ConstantTimeCompare([]byte(r.PostFormValue("csrf")), []byte(s.token)) == 1
}

// analysisCache keeps the last Analyze until the database changes.
type analysisCache struct {
	mu  sync.Mutex
	gen string
	a   store.Analysis
}

// analysis runs the checks across the database, or returns the last run
// when nothing changed since.
func (s *Server) analysis(ctx context.Context) (store.Analysis, error) {
	c := s.analyze
	c.mu.Lock()
	defer c.mu.Unlock()
	gen, err := s.st.Generation(ctx)
	if err != nil {
		return store.Analysis{}, err
	}
	if gen == c.gen {
		return c.a, nil
	}
	a, err := s.st.Analyze(ctx)
	if err != nil {
		return a, err
	}
	c.gen, c.a = gen, a
	return a, nil
}

// funcs are the templates' helpers.
var funcs = template.FuncMap{
	"num": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return fmtValue(v)
	},
	"pct": func(v *float64) string {
		if v == nil {
			return "—"
		}
		return strconv.FormatFloat(*v*100, 'f', 1, 64) + "%"
	},
	"dash":   orDash,
	"legend": legend,
	"flagWhy": func(f string) string {
		return flagWhy[f]
	},
	"val":      fmtValue,
	"nonEmpty": nonEmpty,
	"sub":      func(a, b float64) float64 { return a - b },
	"join":     strings.Join,
	"add":      func(a, b int) int { return a + b },
	"span":     func(n int) int { return max(n, 1) },
	"isCorrected": func(c *store.StoredCell) bool {
		return c != nil && c.HasFlag(govreport.FlagCorrected)
	},
}

// parsePages parses each page template with the layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New(base).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		out[base] = t
	}
	return out, nil
}
