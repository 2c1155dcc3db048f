package crawl

import (
	"context"
	"errors"
	"net/url"
)

// Explain reads a listing page, and the listing pages it leads to (at most
// max in all), as a crawl would read them, politely, without storing or
// handing over anything: what each adapter read off each page. Report
// links are not followed.
func (c *Crawler) Explain(ctx context.Context, seed string, max int) ([]*Reading, error) {
	defer c.browser.close()
	su, err := url.Parse(seed)
	if err != nil || (su.Scheme != "http" && su.Scheme != "https") || su.Host == "" {
		return nil, errors.New("explain: " + seed + " is not an http(s) URL")
	}
	su.Fragment = ""
	queue := []PageRequest{{Key: su.String()}}
	seen := map[string]bool{su.String(): true}
	var out []*Reading
	for len(queue) > 0 && len(out) < max && ctx.Err() == nil {
		p := queue[0]
		queue = queue[1:]
		u, _ := url.Parse(p.Key)
		robots, reachable := c.robotsFor(ctx, u)
		switch {
		case !reachable:
			out = append(out, &Reading{URL: p.Key, ErrKind: ErrKindRobotsUnreachable, Err: "robots.txt could not be read"})
			continue
		case !robots.Allowed(u.RequestURI()):
			out = append(out, &Reading{URL: p.Key, ErrKind: ErrKindRobots, Err: "disallowed by robots.txt"})
			continue
		}
		resp := c.fetch.do(ctx, keyRequest(p.Key), validators{})
		if resp.Err != nil {
			out = append(out, &Reading{URL: p.Key, Status: resp.Status, ErrKind: resp.ErrKind, Err: resp.Err.Error()})
			continue
		}
		r := c.readListing(ctx, p.Key, p.Adapter, resp.Body, resp.ContentType)
		r.Status, r.ContentType = resp.Status, resp.ContentType
		out = append(out, r)
		for _, q := range r.Pages {
			if qu, err := url.Parse(q.Key); err == nil && qu.Host == su.Host && !seen[q.Key] {
				seen[q.Key] = true
				queue = append(queue, q)
			}
		}
	}
	return out, ctx.Err()
}

// keyRequest is the request a frontier key stands for.
func keyRequest(key string) request {
	if u, form, post := splitKey(key); post {
		return request{method: "POST", url: u, body: []byte(form), ctype: "application/x-www-form-urlencoded"}
	}
	return request{url: key}
}
