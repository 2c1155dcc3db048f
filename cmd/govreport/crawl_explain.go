package main

import (
	"context"
	"fmt"
	"strings"

	"govreport/extract/crawl"
)

// explainCrawl prints, for each seed, what the site adapters read off its
// listing pages: which adapters matched, what each found, the report links
// with their year and listing date, the further pages.
func explainCrawl(ctx context.Context, seeds []crawl.Seed, cfg crawl.Config, max int) error {
	if max <= 0 {
		max = 10
	}
	c, err := crawl.New(cfg)
	if err != nil {
		return err
	}
	for _, s := range seeds {
		rs, err := c.Explain(ctx, s.URL, max)
		for _, r := range rs {
			printReading(r)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func printReading(r *crawl.Reading) {
	fmt.Fprintf(stdout, "%s", r.URL)
	if r.Status != 0 {
		fmt.Fprintf(stdout, " [%d %s]", r.Status, r.ContentType)
	}
	fmt.Fprintln(stdout)
	if r.ErrKind != "" {
		fmt.Fprintf(stdout, "  error %s: %s\n", r.ErrKind, r.Err)
	}
	for _, a := range r.Adapters {
		switch {
		case !a.Matched:
			fmt.Fprintf(stdout, "  adapter %-10s no: %s\n", a.Name, a.Why)
		default:
			fmt.Fprintf(stdout, "  adapter %-10s matched: %d report links, %d pages", a.Name, a.Reports, a.Pages)
			if a.Note != "" {
				fmt.Fprintf(stdout, " (%s)", a.Note)
			}
			if a.Why != "" {
				fmt.Fprintf(stdout, "; %s", a.Why)
			}
			fmt.Fprintln(stdout)
		}
	}
	for _, l := range r.Reports {
		date := l.Date
		if date == "" {
			date = "-"
		}
		fmt.Fprintf(stdout, "  report %d %s %s %s\n", l.Year, date, l.Text, l.URL)
	}
	for _, p := range r.Pages {
		via := ""
		if p.Adapter != "" {
			via = " (read by " + p.Adapter + ")"
		}
		key := p.Key
		if u, form, post := strings.Cut(p.Key, "#"); post {
			key = "POST " + u + " form " + form
		}
		fmt.Fprintf(stdout, "  page %s%s\n", key, via)
	}
}
