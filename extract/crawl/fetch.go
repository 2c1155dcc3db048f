package crawl

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Error kinds recorded with a failed fetch.
const (
	ErrKindTimeout      = "timeout"
	ErrKindNetwork      = "network"
	ErrKindTooLarge     = "too_large"
	ErrKindRedirectLoop = "redirect_loop"
	ErrKindRedirects    = "too_many_redirects"
	ErrKindRobots       = "robots"
	ErrKindStore        = "store"
	// HTTP errors are recorded as "http_" and the status, e.g. http_404.
)

var (
	errRedirectLoop = errors.New("redirect loop")
	errRedirects    = errors.New("too many redirects")
	errTooLarge     = errors.New("response larger than the size cap")
	errRobots       = errors.New("redirect target disallowed by robots.txt")
)

// limiter spaces the requests to each host: one every interval, the
// interval raised by a host's Crawl-delay and pushed back by Retry-After.
type limiter struct {
	mu       sync.Mutex
	interval time.Duration
	hosts    map[string]*hostSlot
}

type hostSlot struct {
	next     time.Time
	interval time.Duration
}

func newLimiter(interval time.Duration) *limiter {
	return &limiter{interval: interval, hosts: map[string]*hostSlot{}}
}

func (l *limiter) slot(host string) *hostSlot {
	h := l.hosts[host]
	if h == nil {
		h = &hostSlot{interval: l.interval}
		l.hosts[host] = h
	}
	return h
}

// wait blocks until the host may be sent the next request and reserves
// that slot.
func (l *limiter) wait(ctx context.Context, host string) error {
	l.mu.Lock()
	h := l.slot(host)
	t := time.Now()
	if h.next.After(t) {
		t = h.next
	}
	h.next = t.Add(h.interval)
	l.mu.Unlock()
	return sleep(ctx, time.Until(t))
}

// slowDown raises a host's interval (Crawl-delay).
func (l *limiter) slowDown(host string, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.slot(host); d > h.interval {
		h.interval = d
	}
}

// holdUntil keeps the host idle until t (Retry-After).
func (l *limiter) holdUntil(host string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if h := l.slot(host); t.After(h.next) {
		h.next = t
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// fetcher makes polite GET requests.
type fetcher struct {
	client        *http.Client
	limits        *limiter
	userAgent     string
	timeout       time.Duration
	maxBytes      int64
	retries       int
	backoff       time.Duration
	maxRetryAfter time.Duration
	maxRedirects  int
	allowed       func(ctx context.Context, req *http.Request) bool // robots check of redirect targets
}

// response is the outcome of a fetch, after retries.
type response struct {
	Status       int
	FinalURL     string
	Body         []byte
	ContentType  string
	ETag         string
	LastModified string
	Attempts     int
	ErrKind      string
	Err          error
}

// validators are the conditional-request headers of a re-fetch.
type validators struct{ etag, lastModified string }

func newFetcher(base *http.Client, f fetcher) *fetcher {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	c.Timeout = 0 // each attempt has its own deadline
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		for _, v := range via {
			if v.URL.String() == req.URL.String() {
				return errRedirectLoop
			}
		}
		if len(via) > f.maxRedirects {
			return errRedirects
		}
		if f.allowed != nil && !f.allowed(req.Context(), req) {
			return errRobots
		}
		return f.limits.wait(req.Context(), req.URL.Host)
	}
	f.client = c
	return &f
}

// get fetches url, retrying 429, 5xx and network errors with exponential
// backoff (at least what Retry-After asks). A 304 answer to the validators
// is a success with no body.
func (f *fetcher) get(ctx context.Context, url string, val validators) *response {
	r := &response{}
	for attempt := 0; ; attempt++ {
		r.Attempts = attempt + 1
		retryAfter, retry := f.try(ctx, url, val, r)
		if !retry || attempt >= f.retries || ctx.Err() != nil {
			return r
		}
		wait := f.backoff << attempt
		if retryAfter > 0 {
			if retryAfter > f.maxRetryAfter {
				r.Err = fmt.Errorf("%w (Retry-After %s exceeds %s)", r.Err, retryAfter, f.maxRetryAfter)
				return r
			}
			wait = max(wait, retryAfter)
		}
		if req, err := http.NewRequest("GET", url, nil); err == nil {
			f.limits.holdUntil(req.URL.Host, time.Now().Add(wait))
		}
		if err := sleep(ctx, wait); err != nil {
			return r
		}
	}
}

// try makes one attempt, filling r; it returns whether to retry and after
// how long the server asked to wait.
func (f *fetcher) try(ctx context.Context, url string, val validators, r *response) (time.Duration, bool) {
	*r = response{Attempts: r.Attempts}
	actx, cancel := context.WithTimeout(ctx, f.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(actx, "GET", url, nil)
	if err != nil {
		r.ErrKind, r.Err = ErrKindNetwork, err
		return 0, false
	}
	req.Header.Set("User-Agent", f.userAgent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8")
	if val.etag != "" {
		req.Header.Set("If-None-Match", val.etag)
	}
	if val.lastModified != "" {
		req.Header.Set("If-Modified-Since", val.lastModified)
	}
	if err := f.limits.wait(actx, req.URL.Host); err != nil {
		r.ErrKind, r.Err = f.classify(ctx, err), err
		return 0, false
	}
	resp, err := f.client.Do(req)
	if err != nil {
		r.ErrKind, r.Err = f.classify(ctx, err), err
		return 0, r.ErrKind == ErrKindNetwork || r.ErrKind == ErrKindTimeout
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.FinalURL = resp.Request.URL.String()
	r.ContentType = resp.Header.Get("Content-Type")
	r.ETag = resp.Header.Get("ETag")
	r.LastModified = resp.Header.Get("Last-Modified")
	switch {
	case resp.StatusCode == http.StatusNotModified:
		return 0, false
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		r.ErrKind = "http_" + strconv.Itoa(resp.StatusCode)
		r.Err = fmt.Errorf("HTTP %s", resp.Status)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return parseRetryAfter(resp.Header.Get("Retry-After")), true
	case resp.StatusCode >= 300:
		r.ErrKind = "http_" + strconv.Itoa(resp.StatusCode)
		r.Err = fmt.Errorf("HTTP %s", resp.Status)
		return 0, false
	}
	if resp.ContentLength > f.maxBytes {
		r.ErrKind = ErrKindTooLarge
		r.Err = fmt.Errorf("%w: Content-Length %d > %d bytes", errTooLarge, resp.ContentLength, f.maxBytes)
		return 0, false
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		r.ErrKind, r.Err = f.classify(ctx, err), fmt.Errorf("reading body: %w", err)
		return 0, r.ErrKind == ErrKindNetwork || r.ErrKind == ErrKindTimeout
	}
	if int64(len(body)) > f.maxBytes {
		r.ErrKind = ErrKindTooLarge
		r.Err = fmt.Errorf("%w: more than %d bytes", errTooLarge, f.maxBytes)
		return 0, false
	}
	r.Body = body
	return 0, false
}

// classify names the kind of a request error.
func (f *fetcher) classify(ctx context.Context, err error) string {
	var ne net.Error
	switch {
	case errors.Is(err, errRedirectLoop):
		return ErrKindRedirectLoop
	case errors.Is(err, errRedirects):
		return ErrKindRedirects
	case errors.Is(err, errRobots):
		return ErrKindRobots
	case ctx.Err() != nil:
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return ErrKindTimeout
	}
	return ErrKindNetwork
}

// parseRetryAfter reads a Retry-After header: seconds or an HTTP date.
func parseRetryAfter(v string) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}
