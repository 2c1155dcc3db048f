package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/spf13/pflag"

	"govreport"
	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/parse"
	"govreport/extract"
	"govreport/extract/crawl"
	"govreport/extract/html"
	"govreport/store"
)

func init() {
	register(&command{
		name:    "crawl",
		summary: "fetch and import the reports of agencies' websites, politely",
		usage:   "URL... | --seeds FILE",
		args:    anyArgs,
		help: `Crawls agencies' listing pages of annual reports (the 政府信息公开年报
column): follows pagination, fetches each report's page and attachments,
stores the raw files content-addressed under --store and imports them
unless --no-import. Honors robots.txt, waits 1/--rate seconds between
requests to a host, retries 429, 5xx and network errors with backoff.
The frontier and every fetch are kept in the database: a crawl that is
interrupted or killed resumes when rerun with the same seeds, without
fetching again what it has. A seeds file has one agency<TAB>URL per line;
lines starting with # are comments. Listing pages are read by site
adapters (links, TRS, Hanweb, a browser for listings drawn by scripts;
--adapters adds a folder of *.json files, e.g. a site's JSON API);
--explain URL shows which adapter found what on a listing and its pages.

Pages are read from the seed's host only, redirects included (a redirect
to another host is an error of kind offsite_redirect); attachments may live
on other hosts. A listing page gives at most 500 reports; --max-pages bounds
the listing pages of a seed. The exit status is 1 when any fetch or import
failed (the summary counts them by kind; the next run tries the transient
ones again).`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			dir := fs.String("store", "govreport-store", "directory for the raw files")
			seeds := fs.String("seeds", "", "TSV file of agency<TAB>listing URL")
			rate := fs.Float64("rate", 1, "requests per second per host")
			conc := fs.Int("concurrency", 4, "requests in flight across hosts")
			maxPages := fs.Int("max-pages", 0, "listing pages per seed (0: no limit)")
			years := fs.String("years", "", "only reports of these years, A-B or A")
			noImport := fs.Bool("no-import", false, "store the files without importing them")
			isolate := fs.Bool("isolate", true, "parse files in child processes, so that a parser crash, hang or runaway memory costs one file, not the crawl")
			maxBytes := fs.Int64("max-bytes", 50<<20, "largest response read, in bytes")
			timeout := fs.Duration("timeout", 60*time.Second, "per request, body included")
			retries := fs.Int("retries", 3, "retries of 429, 5xx and network errors")
			revisit := fs.Bool("revisit", true, "fetch listing pages seen in earlier runs again (conditional requests) to find new reports")
			agent := fs.String("user-agent", crawl.DefaultUserAgent, "User-Agent header")
			quiet := fs.Bool("quiet", false, "no progress display")
			adapters := fs.String("adapters", "", "folder of site adapter files (*.json) added to the built-in ones")
			chromium := fs.String("chromium", "", "Chromium for listings drawn by scripts (default: looked up in PATH; "+crawl.NoChromium+": never render)")
			renderTimeout := fs.Duration("render-timeout", 2*time.Minute, "per listing rendered in the browser, next-page clicks included")
			explain := fs.Bool("explain", false, "read the URL's listing pages (at most --max-pages, default 10) and show which adapter found what; store nothing")
			return func(ctx context.Context, args []string) error {
				var list []crawl.Seed
				for _, a := range args {
					list = append(list, crawl.Seed{URL: a})
				}
				if *seeds != "" {
					s, err := readSeeds(*seeds)
					if err != nil {
						return err
					}
					list = append(list, s...)
				}
				if len(list) == 0 {
					return usagef("no URL or --seeds given")
				}
				yr, err := parseYears(*years)
				if err != nil {
					return err
				}
				if *retries == 0 {
					*retries = -1 // Config: negative means none
				}
				var as []*crawl.Adapter
				if *adapters != "" {
					if as, err = crawl.LoadAdapters(*adapters); err != nil {
						return err
					}
				}
				if *explain {
					return explainCrawl(ctx, list, crawl.Config{Format: extract.Format, Decode: html.Decode, Rate: *rate,
						MaxBytes: *maxBytes, Timeout: *timeout, Retries: *retries, UserAgent: *agent,
						Adapters: as, Chromium: *chromium, RenderTimeout: *renderTimeout}, *maxPages)
				}
				st, err := openStore(*db)
				if err != nil {
					return err
				}
				defer st.Close()
				cfg := crawl.Config{Frontier: st, Dir: *dir, Format: extract.Format, Decode: html.Decode,
					Rate: *rate, Concurrency: *conc, MaxPages: *maxPages, Years: yr,
					MaxBytes: *maxBytes, Timeout: *timeout, Retries: *retries, Revisit: *revisit, UserAgent: *agent,
					Adapters: as, Chromium: *chromium, RenderTimeout: *renderTimeout}
				if !*noImport {
					var iso *parse.Isolator
					if *isolate {
						if iso, err = isolator(); err != nil {
							return err
						}
						defer iso.Close()
					}
					cfg.OnFile = importFetched(st, iso)
				}
				var show *statusLine
				if !*quiet {
					if f, ok := stderr.(*os.File); ok && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd())) {
						show = &statusLine{}
					} else {
						var mu sync.Mutex
						cfg.OnEvent = func(ev crawl.Event) {
							mu.Lock()
							defer mu.Unlock()
							line := fmt.Sprintf("%-10s %-12s %s", ev.Kind, ev.Outcome, ev.URL)
							if ev.Status != 0 {
								line += fmt.Sprintf(" [%d]", ev.Status)
							}
							if ev.ErrKind != "" {
								line += " " + ev.ErrKind + ": " + ev.Err
							}
							fmt.Fprintln(stderr, line)
						}
					}
				}
				c, err := crawl.New(cfg)
				if err != nil {
					return err
				}
				done := make(chan struct{})
				var wg sync.WaitGroup
				if show != nil {
					wg.Add(1)
					go func() {
						defer wg.Done()
						t := time.NewTicker(250 * time.Millisecond)
						defer t.Stop()
						for {
							select {
							case <-done:
								show.clear()
								return
							case <-t.C:
								show.print(c.Summary())
							}
						}
					}()
				}
				before, err := st.LastDocument(ctx) // a run's documents come after it
				if err != nil {
					return err
				}
				sum, err := c.Run(ctx, list)
				close(done)
				wg.Wait()
				if !*noImport {
					// excerpts join their reports, whichever came first
					if _, gerr := st.GroupExcerpts(context.WithoutCancel(ctx), before); err == nil {
						err = gerr
					}
				}
				fmt.Fprintln(stdout, sum.String())
				if err != nil {
					if ctx.Err() != nil {
						fmt.Fprintln(stderr, "interrupted: rerun the same command to resume")
						return exitError{1}
					}
					return err
				}
				if n := sum.ErrorCount(); n > 0 {
					// The summary lists them by kind; the retryable ones
					// are fetched again by the next run.
					return exitError{1}
				}
				return nil
			}
		},
	})
}

// importFetched is the crawler's OnFile: a file is parsed as import parses
// it (a PDF in a child process when iso is set) and stored, with the
// seeds file's agency when the report names none. A page that only links
// its report's files is not a report of its own: it is not stored, and
// the files its parse found are fetched next. A report that states no
// publication date (its text's, its page's or its file's) takes the one
// printed beside its link on the listing (published_from "listing"). An
// attachment records the
// page that linked it (meta linked_from); a workbook of the tables alone,
// which names no year, takes the year the link to its report named.
func importFetched(st *store.Store, iso *parse.Isolator) crawl.FileFunc {
	return func(ctx context.Context, f crawl.File) (crawl.Handled, error) {
		d, err := iso.Parse(ctx, f.URL, "", f.Data, extract.Options{ContentType: f.ContentType, BaseURL: f.URL})
		if errors.Is(err, parse.ErrTransient) {
			return crawl.Handled{}, fmt.Errorf("%w: %v", crawl.ErrImportLater, err)
		}
		if err != nil {
			return crawl.Handled{}, err
		}
		var h crawl.Handled
		if f.Kind == govreport.FrontierDetail {
			h.Links = d.Attachments
			if d.Status == govreport.StatusAttachment || len(d.Cells) == 0 && !hasText(d.Sections) && len(f.Links)+len(d.Attachments) > 0 {
				return h, nil
			}
		}
		if d.Agency == "" {
			d.Agency = f.Agency
		}
		if d.Published == "" && f.Listed != "" {
			d.Published, d.PublishedFrom = f.Listed, govreport.PublishedFromListing
		}
		if f.Kind == govreport.FrontierAttachment && f.Parent != "" {
			if d.Meta == nil {
				d.Meta = map[string]string{}
			}
			d.Meta["linked_from"] = f.Parent
			if d.Year == 0 && f.Year > 0 && d.Meta["content"] == "tables" {
				d.Year = f.Year
				d.Warnings = append(d.Warnings, fmt.Sprintf("year %d from the link to the report page that attaches these tables", f.Year))
			}
		}
		if err := ingest.SetPublisher(ctx, st, d, f.Agency); err != nil {
			return h, err
		}
		switch _, err := st.Save(ctx, d, false); {
		case errors.Is(err, store.ErrExists):
			h.Outcome = crawl.OutcomeExists
		case err != nil:
			return h, err
		default:
			h.Outcome = crawl.OutcomeImported
		}
		return h, nil
	}
}

// hasText reports whether a section has text of its own: a page whose only
// "heading" is an attachment's name (附件：…统计表.xlsx) is no report.
func hasText(secs []govreport.Section) bool {
	for _, s := range secs {
		if strings.TrimSpace(s.Text) != "" {
			return true
		}
	}
	return false
}

// statusLine redraws one line of progress on a terminal.
type statusLine struct{ shown bool }

func (s *statusLine) print(sum crawl.Summary) {
	fmt.Fprintf(stderr, "\r\033[Kpages %d, reports %d (%d new), errors %d, robots %d  %s",
		sum.Listings, sum.Details+sum.Attachments, sum.Imported, sum.ErrorCount(), sum.Robots, sum.Host)
	s.shown = true
}

func (s *statusLine) clear() {
	if s.shown {
		fmt.Fprint(stderr, "\r\033[K")
	}
}

// readSeeds reads a seeds file: agency<TAB>URL per line (or a URL alone),
// blank lines and # comments skipped.
func readSeeds(path string) ([]crawl.Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []crawl.Seed
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Split(line, "\t")
		s := crawl.Seed{URL: strings.TrimSpace(fields[len(fields)-1])}
		if len(fields) > 1 {
			s.Agency = strings.TrimSpace(fields[0])
		}
		if !strings.HasPrefix(s.URL, "http://") && !strings.HasPrefix(s.URL, "https://") {
			return nil, fmt.Errorf("%s:%d: no http(s) URL in %q", path, n, line)
		}
		out = append(out, s)
	}
	return out, sc.Err()
}

// parseYears reads --years: "2019-2024", "2021" or empty.
func parseYears(s string) ([2]int, error) {
	if s == "" {
		return [2]int{}, nil
	}
	a, b, ok := strings.Cut(s, "-")
	if !ok {
		b = a
	}
	x, err1 := strconv.Atoi(strings.TrimSpace(a))
	y, err2 := strconv.Atoi(strings.TrimSpace(b))
	if err1 != nil || err2 != nil || x > y || x < minYear || y > maxYear {
		return [2]int{}, usagef("--years %q: want A-B, e.g. 2019-2024, years from %d to %d", s, minYear, maxYear)
	}
	return [2]int{x, y}, nil
}
