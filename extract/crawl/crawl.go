// Package crawl fetches annual reports from agencies' websites, politely:
// from a listing page (the 政府信息公开年报 column) it follows pagination,
// finds the links to reports and their attachments, stores every file
// content-addressed and hands each report file to a callback (cmd wires it
// to the import pipeline). How a listing page is read is data: site
// adapters (see Adapter) select and parameterise the mechanisms of this
// package (a link walk, a script pager, Hanweb's datastore, a JSON API,
// a headless browser for listings drawn by scripts). Its state lives behind govreport.Frontier (the
// database), so a crawl killed at any moment resumes where it stopped.
//
// The crawler parses nothing but links: it depends on the root package
// only, and is told how to sniff a file's format and decode a page.
package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"govreport"
)

// UserAgent is the product token robots.txt groups are matched against.
const UserAgent = "govreport"

// DefaultUserAgent is the User-Agent header sent when Config leaves it
// empty.
const DefaultUserAgent = "govreport/1 (+research crawler; collects government information disclosure annual reports; 1 request/s per host, honors robots.txt)"

// Seed is where a crawl starts: an agency's listing page of reports.
type Seed struct {
	Agency string // recorded with its reports when their text names none
	URL    string
}

// Config sets up a crawl. Zero values take the defaults noted.
type Config struct {
	Frontier      govreport.Frontier // the crawl's state (required by Run; Explain keeps none)
	Dir           string             // where raw files are stored (required by Run)
	Format        FormatFunc         // a file's format (required): the stored file's extension; "html" for pages whose links are read
	Decode        DecodeFunc         // a page's text (required), to read its links
	OnFile        FileFunc           // receives every report file; nil: files are only stored
	Rate          float64            // requests per second per host (1)
	Concurrency   int                // requests in flight across hosts (4)
	MaxPages      int                // listing pages per seed (0: no limit); each gives at most MaxReportsPerListing reports
	Years         [2]int             // only reports of these years, inclusive, when the link names one ({0,0}: all)
	MaxBytes      int64              // response size cap (50 MiB)
	Timeout       time.Duration      // per request, body included (60 s)
	Retries       int                // retries of 429, 5xx and network errors (3; negative: none)
	Backoff       time.Duration      // first retry delay, doubled each time (1 s)
	MaxRetryAfter time.Duration      // longest Retry-After honored before giving up (2 min)
	MaxRedirects  int                // (10)
	UserAgent     string             // (DefaultUserAgent)
	Revisit       bool               // fetch listing pages done in earlier runs again, conditionally
	Client        *http.Client       // transport to use; its redirect policy and timeout are replaced
	OnEvent       func(Event)        // called for every entry handled, from the crawl's goroutines
	Adapters      []*Adapter         // how listing pages are read (BuiltinAdapters)
	Chromium      string             // the browser rendering listings drawn by scripts ("": looked up in PATH; NoChromium: none)
	RenderTimeout time.Duration      // per rendered listing, its next-page clicks included (2 min)
}

// FormatFunc names a file's format (pdf, html, doc, …) from its name (the
// URL), its first bytes and its Content-Type. cmd passes extract.Format.
type FormatFunc func(name string, data []byte, contentType string) string

// DecodeFunc turns a page's bytes into text, by its Content-Type and the
// charset it declares or its bytes betray. cmd passes extract/html.Decode.
type DecodeFunc func(page []byte, contentType string) (string, error)

// FileFunc receives a report file: it imports it, and says what became of
// it. It is called from the crawl's goroutines, several at a time. An error
// ends the run (the database failing), unless it wraps ErrImportLater; a
// file that cannot be read is a document like any other, not an error.
type FileFunc func(ctx context.Context, f File) (Handled, error)

// ErrImportLater, wrapped in a FileFunc's error, says the file could not
// be imported for a reason outside it (its parser was killed from
// outside): the entry fails with ErrKindImport, the run goes on, and the
// next run fetches it again.
var ErrImportLater = errors.New("import failed; the next run tries again")

// ErrKindImport marks an entry whose file OnFile could not import this
// time (ErrImportLater).
const ErrKindImport = "import"

// File is a report file fetched, or reused from the store: a report's page
// or an attachment.
type File struct {
	URL         string
	Kind        string // govreport.FrontierDetail or FrontierAttachment (a listing link that is a file: FrontierListing)
	Agency      string // the seed's, for a report whose text names none
	ContentType string
	Data        []byte
	Links       []string // a page's links to report files (its attachments), which the crawler fetches next
	Parent      string   // the page that linked the file: an attachment's report page
	Year        int      // the year the link to the file (or to its page) named, 0 if none
	Listed      string   // YYYY-MM-DD printed beside its link on the listing page, when any: a publication date for a report that states none
}

// Handled is what a FileFunc did with a file.
type Handled struct {
	Outcome string   // OutcomeImported, OutcomeExists, or "" when the file is not a report of its own (a page that only links its files)
	Links   []string // further report files it links, found by reading it, for the crawler to fetch
}

// Outcomes of a report file handed to Config.OnFile.
const (
	OutcomeImported = "imported" // added to the database
	OutcomeExists   = "exists"   // already in the database
)

// Event reports one frontier entry handled.
type Event struct {
	URL     string
	Host    string
	Kind    string // listing, detail, attachment
	Status  int    // HTTP status, 0 when none
	Outcome string // fetched, not_modified, reused, imported, exists, skipped, error
	ErrKind string
	Err     string
}

// Summary counts what a run did.
type Summary struct {
	Listings    int            // listing pages read
	Details     int            // detail pages read
	Attachments int            // attachment files read
	Imported    int            // documents added to the database
	Existing    int            // documents already in the database
	NotModified int            // conditional requests answered 304
	Reused      int            // files already stored, not fetched again
	Robots      int            // URLs skipped by robots.txt
	Offsite     int            // report links to other hosts, not followed
	Filtered    int            // report links outside --years or past --max-pages
	Errors      map[string]int // failed entries by error kind
	NotRendered []string       // listing pages drawn by scripts that could not be rendered (no Chromium), with why
	Host        string         // host of the latest entry
}

// ErrorCount is the number of failed entries.
func (s Summary) ErrorCount() int {
	n := 0
	for _, k := range s.Errors {
		n += k
	}
	return n
}

// String is the summary as one line per kind of count.
func (s Summary) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "listing pages %d, detail pages %d, attachments %d\n", s.Listings, s.Details, s.Attachments)
	fmt.Fprintf(&b, "documents imported %d, already present %d; not modified %d, reused from store %d\n", s.Imported, s.Existing, s.NotModified, s.Reused)
	fmt.Fprintf(&b, "skipped: robots.txt %d, other hosts %d, years/max-pages %d\n", s.Robots, s.Offsite, s.Filtered)
	fmt.Fprintf(&b, "errors %d", s.ErrorCount())
	kinds := make([]string, 0, len(s.Errors))
	for k := range s.Errors {
		kinds = append(kinds, k)
	}
	sort.Strings(kinds)
	for i, k := range kinds {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		fmt.Fprintf(&b, "%s%s %d", sep, k, s.Errors[k])
	}
	for _, n := range s.NotRendered {
		fmt.Fprintf(&b, "\nnot rendered: %s", n)
	}
	return b.String()
}

// Crawler runs crawls. It is safe for one Run at a time.
type Crawler struct {
	cfg      Config
	fetch    *fetcher
	adapters []*Adapter
	browser  *browser

	statMu sync.Mutex
	sum    Summary

	robotsMu sync.Mutex
	robots   map[string]*robotsEntry
}

type robotsEntry struct {
	once        sync.Once
	r           *Robots
	unreachable bool // 5xx or network error: nothing fetched from the host this run
}

// retryKinds are error kinds worth retrying in a later run.
var retryKinds = []string{ErrKindTimeout, ErrKindNetwork, ErrKindStore, ErrKindImport, ErrKindRobotsUnreachable, ErrKindNoBrowser, ErrKindRender, "http_429", "http_500", "http_502", "http_503", "http_504"}

// MaxReportsPerListing bounds the report links taken from one listing
// page (a real one shows 10 to 50): with MaxPages it bounds what one seed
// can make the crawler fetch. Links beyond it are counted as filtered.
const MaxReportsPerListing = 500

// ErrKindRobotsUnreachable marks entries not fetched because their host's
// robots.txt could not be read; they are tried again on the next run.
const ErrKindRobotsUnreachable = "robots_unreachable"

// New checks a configuration and fills in its defaults.
func New(cfg Config) (*Crawler, error) {
	switch {
	case cfg.Format == nil:
		return nil, errors.New("crawl: no format sniffer")
	case cfg.Decode == nil:
		return nil, errors.New("crawl: no page decoder")
	}
	if cfg.Rate <= 0 {
		cfg.Rate = 1
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	if cfg.MaxBytes <= 0 {
		cfg.MaxBytes = 50 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 60 * time.Second
	}
	switch {
	case cfg.Retries == 0:
		cfg.Retries = 3
	case cfg.Retries < 0:
		cfg.Retries = 0
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Second
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = 2 * time.Minute
	}
	if cfg.MaxRedirects <= 0 {
		cfg.MaxRedirects = 10
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent
	}
	if cfg.RenderTimeout <= 0 {
		cfg.RenderTimeout = 2 * time.Minute
	}
	c := &Crawler{cfg: cfg, robots: map[string]*robotsEntry{}, adapters: cfg.Adapters, browser: &browser{}}
	if c.adapters == nil {
		c.adapters = BuiltinAdapters()
	}
	sortAdapters(c.adapters)
	c.fetch = newFetcher(cfg.Client, fetcher{
		limits:        newLimiter(time.Duration(float64(time.Second) / cfg.Rate)),
		userAgent:     cfg.UserAgent,
		timeout:       cfg.Timeout,
		maxBytes:      cfg.MaxBytes,
		retries:       cfg.Retries,
		backoff:       cfg.Backoff,
		maxRetryAfter: cfg.MaxRetryAfter,
		maxRedirects:  cfg.MaxRedirects,
		allowed: func(ctx context.Context, u *url.URL) *fetchError {
			switch r, reachable := c.robotsFor(ctx, u); {
			case !reachable:
				return &fetchError{ErrKindRobotsUnreachable, fmt.Errorf("redirect target's robots.txt could not be read")}
			case !r.Allowed(u.RequestURI()):
				return &fetchError{ErrKindRobots, errRobots}
			}
			return nil
		},
	})
	return c, nil
}

// Summary returns what the current or last run has done so far.
func (c *Crawler) Summary() Summary {
	c.statMu.Lock()
	defer c.statMu.Unlock()
	s := c.sum
	s.NotRendered = append([]string(nil), c.sum.NotRendered...)
	s.Errors = make(map[string]int, len(c.sum.Errors))
	for k, v := range c.sum.Errors {
		s.Errors[k] = v
	}
	return s
}

func (c *Crawler) count(f func(s *Summary)) {
	c.statMu.Lock()
	f(&c.sum)
	c.statMu.Unlock()
}

// Run crawls from the seeds until their frontier is exhausted or ctx is
// done; entries left unfinished are picked up by the next run with the
// same seeds. The error is for the crawl as a whole (the database failing);
// failed fetches are recorded and counted in the summary.
func (c *Crawler) Run(ctx context.Context, seeds []Seed) (Summary, error) {
	c.count(func(s *Summary) { *s = Summary{Errors: map[string]int{}} })
	switch {
	case c.cfg.Frontier == nil:
		return c.Summary(), errors.New("crawl: no frontier")
	case c.cfg.Dir == "":
		return c.Summary(), errors.New("crawl: no directory for raw files")
	}
	var urls []string
	var entries []govreport.FrontierEntry
	for _, s := range seeds {
		u, err := url.Parse(strings.TrimSpace(s.URL))
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return c.Summary(), fmt.Errorf("seed %q: not an http(s) URL", s.URL)
		}
		u.Fragment = ""
		urls = append(urls, u.String())
		entries = append(entries, govreport.FrontierEntry{URL: u.String(), Kind: govreport.FrontierListing, Agency: s.Agency, Seed: u.String()})
	}
	defer c.browser.close()
	st := c.cfg.Frontier
	if err := st.ResumeFrontier(ctx, urls, c.cfg.Revisit, retryKinds...); err != nil {
		return c.Summary(), err
	}
	if _, err := st.AddFrontier(ctx, entries...); err != nil {
		return c.Summary(), err
	}

	var (
		mu       sync.Mutex
		cond     = sync.NewCond(&mu)
		inflight int
		fatal    error
	)
	stop := context.AfterFunc(ctx, func() { mu.Lock(); cond.Broadcast(); mu.Unlock() })
	defer stop()
	var wg sync.WaitGroup
	for range c.cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				var e *govreport.FrontierEntry
				for {
					if ctx.Err() != nil || fatal != nil {
						mu.Unlock()
						return
					}
					var err error
					e, err = st.ClaimFrontier(ctx, urls)
					if err != nil {
						if ctx.Err() == nil {
							fatal = err
						}
						cond.Broadcast()
						mu.Unlock()
						return
					}
					if e != nil || inflight == 0 {
						break
					}
					cond.Wait()
				}
				if e == nil { // nothing pending, nothing in flight: done
					cond.Broadcast()
					mu.Unlock()
					return
				}
				inflight++
				mu.Unlock()
				err := c.handle(ctx, e)
				mu.Lock()
				inflight--
				if err != nil && ctx.Err() == nil && fatal == nil {
					fatal = err
				}
				cond.Broadcast()
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if fatal != nil {
		return c.Summary(), fatal
	}
	return c.Summary(), ctx.Err()
}

// robotsFor returns the robots.txt policy of u's host, fetching it once per
// run: a missing file (4xx) allows everything, an unreadable one (5xx,
// network) disallows everything, and reachable is false.
func (c *Crawler) robotsFor(ctx context.Context, u *url.URL) (r *Robots, reachable bool) {
	key := u.Scheme + "://" + u.Host
	c.robotsMu.Lock()
	e := c.robots[key]
	if e == nil {
		e = &robotsEntry{}
		c.robots[key] = e
	}
	c.robotsMu.Unlock()
	e.once.Do(func() {
		f := *c.fetch
		f.maxBytes = 512 << 10
		r := f.get(ctx, key+"/robots.txt", validators{})
		switch {
		case r.Err == nil:
			e.r = ParseRobots(r.Body, UserAgent)
			if d := min(e.r.CrawlDelay, 5*time.Minute); d > 0 {
				c.fetch.limits.slowDown(u.Host, d)
			}
		case r.Status >= 400 && r.Status < 500:
			e.r = AllowAll
		default:
			e.r, e.unreachable = DisallowAll, true
		}
	})
	if ctx.Err() != nil && e.unreachable { // cut short by ctx: ask again next time
		c.robotsMu.Lock()
		delete(c.robots, key)
		c.robotsMu.Unlock()
	}
	return e.r, !e.unreachable
}

// handle fetches one frontier entry, stores its file, imports it or reads
// its links, and marks it finished. The returned error is fatal to the run.
func (c *Crawler) handle(ctx context.Context, e *govreport.FrontierEntry) error {
	u, err := url.Parse(e.URL)
	if err != nil {
		return c.finish(ctx, e, govreport.FrontierError, "url", err.Error(), nil, 0, "error")
	}
	c.count(func(s *Summary) { s.Host = u.Host })
	robots, reachable := c.robotsFor(ctx, u)
	if ctx.Err() != nil {
		return nil
	}
	if !reachable {
		c.count(func(s *Summary) { s.Errors[ErrKindRobotsUnreachable]++ })
		return c.finish(ctx, e, govreport.FrontierError, ErrKindRobotsUnreachable, "robots.txt could not be read", nil, 0, "error")
	}
	if !robots.Allowed(u.RequestURI()) {
		c.count(func(s *Summary) { s.Robots++ })
		return c.finish(ctx, e, govreport.FrontierSkipped, ErrKindRobots, "disallowed by robots.txt", nil, 0, "skipped")
	}

	data, ctype, status, outcome, err := c.get(ctx, e)
	if ctx.Err() != nil {
		return nil // left active: the next run does it again
	}
	if err != nil {
		var fe *fetchError
		if errors.As(err, &fe) {
			c.count(func(s *Summary) { s.Errors[fe.kind]++ })
			return c.finish(ctx, e, govreport.FrontierError, fe.kind, fe.err.Error(), nil, status, "error")
		}
		return err
	}
	c.count(func(s *Summary) {
		switch e.Kind {
		case govreport.FrontierListing:
			s.Listings++
		case govreport.FrontierDetail:
			s.Details++
		default:
			s.Attachments++
		}
		switch outcome {
		case "not_modified":
			s.NotModified++
		case "reused":
			s.Reused++
		}
	})

	var found []govreport.FrontierEntry
	html := c.cfg.Format(e.URL, data, ctype) == "html"
	switch {
	case e.Kind == govreport.FrontierListing && (html || e.Adapter != ""):
		var r *Reading
		if found, r, err = c.fromListing(ctx, e, data, ctype); err != nil {
			return err
		}
		if r.ErrKind != "" { // what could be read is kept; the page is tried again next run
			c.count(func(s *Summary) {
				s.Errors[r.ErrKind]++
				if r.ErrKind == ErrKindNoBrowser {
					s.NotRendered = append(s.NotRendered, e.URL+" (seed "+e.Seed+"): "+r.Err)
				}
			})
			return c.finish(ctx, e, govreport.FrontierError, r.ErrKind, r.Err, found, status, "error")
		}
	case e.Kind == govreport.FrontierDetail && html:
		var atts []string
		if page, err := c.discover(data, ctype, e.URL); err == nil {
			for _, l := range page.Attachments {
				atts = append(atts, l.URL)
			}
		}
		h, err := c.file(ctx, e, data, ctype, atts)
		if errors.Is(err, ErrImportLater) {
			return c.importLater(ctx, e, err, status)
		}
		if err != nil {
			return err
		}
		for _, a := range append(atts, h.Links...) {
			found = append(found, govreport.FrontierEntry{URL: a, Kind: govreport.FrontierAttachment, Agency: e.Agency, Seed: e.Seed, Depth: e.Depth + 1, Year: e.Year, Parent: e.URL, Listed: e.Listed})
		}
		if h.Outcome != "" {
			outcome = h.Outcome
		}
	default: // an attachment, or a link that turned out to be a file
		h, err := c.file(ctx, e, data, ctype, nil)
		if errors.Is(err, ErrImportLater) {
			return c.importLater(ctx, e, err, status)
		}
		if err != nil {
			return err
		}
		if h.Outcome != "" {
			outcome = h.Outcome
		}
	}
	return c.finish(ctx, e, govreport.FrontierDone, "", "", found, status, outcome)
}

// importLater records an entry whose file could not be imported this time
// (ErrImportLater): an error of kind ErrKindImport, retried next run.
func (c *Crawler) importLater(ctx context.Context, e *govreport.FrontierEntry, err error, status int) error {
	c.count(func(s *Summary) { s.Errors[ErrKindImport]++ })
	return c.finish(ctx, e, govreport.FrontierError, ErrKindImport, err.Error(), nil, status, "error")
}

// file hands a report file to OnFile and counts what it did.
func (c *Crawler) file(ctx context.Context, e *govreport.FrontierEntry, data []byte, ctype string, links []string) (Handled, error) {
	if c.cfg.OnFile == nil {
		return Handled{}, nil
	}
	h, err := c.cfg.OnFile(ctx, File{URL: e.URL, Kind: e.Kind, Agency: e.Agency, ContentType: ctype, Data: data, Links: links, Parent: e.Parent, Year: e.Year, Listed: e.Listed})
	if err != nil {
		return h, fmt.Errorf("importing %s: %w", e.URL, err)
	}
	c.count(func(s *Summary) {
		switch h.Outcome {
		case OutcomeImported:
			s.Imported++
		case OutcomeExists:
			s.Existing++
		}
	})
	return h, nil
}

// discover decodes a page and reads its links.
func (c *Crawler) discover(data []byte, ctype, pageURL string) (*Page, error) {
	text, err := c.cfg.Decode(data, ctype)
	if err != nil {
		return nil, err
	}
	return Discover(text, pageURL)
}

// fromListing turns what the adapters read off a listing page into
// frontier entries: report links (detail pages on the seed's host, files
// on any host) and further listing pages on the seed's host, within
// --years and --max-pages.
func (c *Crawler) fromListing(ctx context.Context, e *govreport.FrontierEntry, data []byte, ctype string) ([]govreport.FrontierEntry, *Reading, error) {
	r := c.readListing(ctx, e.URL, e.Adapter, data, ctype)
	if r.ErrKind == ErrKindAdapter && len(r.Adapters) == 0 {
		r.ErrKind, r.Err = "", "" // not a page after all: nothing to follow
	}
	seed, _ := url.Parse(e.Seed)
	var found []govreport.FrontierEntry
	filtered, offsite := 0, 0
	for _, l := range r.Reports {
		u, _ := url.Parse(l.URL)
		if y := c.cfg.Years; l.Year != 0 && y != [2]int{} && (l.Year < y[0] || l.Year > y[1]) || len(found) >= MaxReportsPerListing {
			filtered++
			continue
		}
		kind := govreport.FrontierDetail
		if IsAttachment(u) {
			kind = govreport.FrontierAttachment
		} else if u.Host != seed.Host {
			offsite++
			continue
		}
		found = append(found, govreport.FrontierEntry{URL: l.URL, Kind: kind, Agency: e.Agency, Seed: e.Seed, Depth: e.Depth + 1, Year: l.Year, Parent: e.URL, Listed: l.Date})
	}
	if len(r.Pages) > 0 {
		n := 0
		var err error
		if c.cfg.MaxPages > 0 {
			n, err = c.cfg.Frontier.CountFrontier(ctx, e.Seed, govreport.FrontierListing)
			if err != nil {
				return nil, r, err
			}
		}
		for _, p := range r.Pages {
			if p.Key == e.URL {
				continue
			}
			if u, err := url.Parse(p.Key); err != nil || u.Host != seed.Host {
				offsite++
				continue
			}
			if c.cfg.MaxPages > 0 {
				known, err := c.known(ctx, p.Key)
				if err != nil {
					return nil, r, err
				}
				if known {
					continue
				}
				if n >= c.cfg.MaxPages {
					filtered++
					continue
				}
				n++
			}
			found = append(found, govreport.FrontierEntry{URL: p.Key, Kind: govreport.FrontierListing, Agency: e.Agency, Seed: e.Seed, Depth: e.Depth + 1, Parent: e.URL, Adapter: p.Adapter})
		}
	}
	c.count(func(s *Summary) { s.Filtered += filtered; s.Offsite += offsite })
	return found, r, nil
}

func (c *Crawler) known(ctx context.Context, u string) (bool, error) {
	e, err := c.cfg.Frontier.FrontierEntry(ctx, u)
	return e != nil, err
}

// fetchError is a failed fetch, recorded and counted, not fatal.
type fetchError struct {
	kind string
	err  error
}

func (e *fetchError) Error() string { return e.kind + ": " + e.err.Error() }

// get returns an entry's bytes: from the store when an earlier run kept
// them and the server has nothing newer (or cannot say), else from the
// network. Every network fetch is recorded.
func (c *Crawler) get(ctx context.Context, e *govreport.FrontierEntry) (data []byte, ctype string, status int, outcome string, err error) {
	prev, err := c.cfg.Frontier.LastStored(ctx, e.URL)
	if err != nil {
		return nil, "", 0, "", err
	}
	if prev != nil {
		data, err = readStored(c.cfg.Dir, prev.Path, prev.SHA256)
		if err != nil {
			prev, data = nil, nil
		}
	}
	var val validators
	if prev != nil {
		if e.Kind != govreport.FrontierListing && prev.ETag == "" && prev.LastModified == "" {
			return data, prev.ContentType, 0, "reused", nil
		}
		val = validators{prev.ETag, prev.LastModified}
	}
	req := keyRequest(e.URL)
	if e.Kind != govreport.FrontierAttachment {
		// Pages are read from the seed's host only, as their links are:
		// a redirect elsewhere is not followed (attachments may live on
		// other hosts).
		if seed, err := url.Parse(e.Seed); err == nil {
			req.host = seed.Host
		}
	}
	r := c.fetch.do(ctx, req, val)
	if ctx.Err() != nil {
		return nil, "", 0, "", ctx.Err()
	}
	f := govreport.Fetch{URL: e.URL, FinalURL: r.FinalURL, Status: r.Status, Attempts: r.Attempts, ContentType: r.ContentType,
		ETag: r.ETag, LastModified: r.LastModified, ErrorKind: r.ErrKind}
	if f.FinalURL == e.URL {
		f.FinalURL = ""
	}
	switch {
	case r.Err != nil:
		f.Error = r.Err.Error()
		err = &fetchError{r.ErrKind, r.Err}
	case r.Status == http.StatusNotModified && prev != nil:
		f.SHA256, f.Path, f.Bytes = prev.SHA256, prev.Path, int64(len(data))
		if f.ContentType == "" {
			f.ContentType = prev.ContentType
		}
		if f.ETag == "" && f.LastModified == "" {
			f.ETag, f.LastModified = prev.ETag, prev.LastModified
		}
		outcome = "not_modified"
	case r.Status == http.StatusNotModified:
		f.ErrorKind, f.Error = "http_304", "304 to an unconditional request"
		err = &fetchError{f.ErrorKind, errors.New(f.Error)}
	default:
		ext := c.cfg.Format(e.URL, r.Body, r.ContentType)
		rel, sha, serr := storeFile(c.cfg.Dir, r.Body, ext)
		if serr != nil {
			f.ErrorKind, f.Error = ErrKindStore, serr.Error()
			err = &fetchError{ErrKindStore, serr}
			break
		}
		data = r.Body
		f.SHA256, f.Path, f.Bytes = sha, rel, int64(len(data))
		outcome = "fetched"
	}
	rerr := c.cfg.Frontier.RecordFetch(ctx, f)
	if rerr != nil {
		return nil, "", 0, "", rerr
	}
	if err != nil {
		return nil, "", r.Status, "", err
	}
	return data, f.ContentType, r.Status, outcome, nil
}

// finish records an entry's final state and the entries found on it.
func (c *Crawler) finish(ctx context.Context, e *govreport.FrontierEntry, state, errKind, errMsg string, found []govreport.FrontierEntry, status int, outcome string) error {
	err := c.cfg.Frontier.FinishFrontier(ctx, e.URL, state, errKind, errMsg, found)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	c.event(Event{URL: e.URL, Kind: e.Kind, Status: status, Outcome: outcome, ErrKind: errKind, Err: errMsg})
	return nil
}

func (c *Crawler) event(ev Event) {
	if c.cfg.OnEvent == nil {
		return
	}
	if u, err := url.Parse(ev.URL); err == nil {
		ev.Host = u.Host
	}
	c.cfg.OnEvent(ev)
}

// StoredPath returns where a file with this sha256 and format lives under
// the store directory.
func StoredPath(dir, sha, format string) string {
	p := filepath.Join(dir, sha[:2], sha[2:])
	if format != "" {
		p += "." + format
	}
	return p
}
