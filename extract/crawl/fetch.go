package crawl

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
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
	ErrKindOffsite      = "offsite_redirect" // a page redirected to another host
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
	onTurn   func(host string, t time.Time) // called, locked, with each turn taken (tests)
}

type hostSlot struct {
	next     time.Time // the next free turn
	last     time.Time // when the latest turn was taken
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

// wait blocks until the host may be sent the next request and takes that
// turn. Turns are handed out in order; a waiter woken late by a busy
// scheduler still keeps the interval from the turn before it.
func (l *limiter) wait(ctx context.Context, host string) error {
	l.mu.Lock()
	h := l.slot(host)
	t := time.Now()
	if h.next.After(t) {
		t = h.next
	}
	h.next = t.Add(h.interval)
	l.mu.Unlock()
	if err := sleep(ctx, time.Until(t)); err != nil {
		return err
	}
	for {
		l.mu.Lock()
		now := time.Now()
		if d := h.last.Add(h.interval).Sub(now); !h.last.IsZero() && d > 0 {
			l.mu.Unlock()
			if err := sleep(ctx, d); err != nil {
				return err
			}
			continue
		}
		h.last = now
		if l.onTurn != nil {
			l.onTurn(host, now)
		}
		if n := now.Add(h.interval); n.After(h.next) {
			h.next = n
		}
		l.mu.Unlock()
		return ctx.Err()
	}
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

// politeTransport takes the host's turn right before each request goes on
// the wire (robots.txt, retries and redirect hops alike), then starts the
// request's timeout: time spent waiting for a turn is not the server's.
type politeTransport struct {
	next   http.RoundTripper
	limits *limiter
}

// turnKey carries a request's *deadline in its context.
type turnKey struct{}

// deadline is a request timeout that starts when the request is sent.
type deadline struct {
	d      time.Duration
	cancel context.CancelFunc
	mu     sync.Mutex
	timer  *time.Timer
	fired  bool
}

func (d *deadline) start() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer == nil {
		d.timer = time.AfterFunc(d.d, func() {
			d.mu.Lock()
			d.fired = true
			d.mu.Unlock()
			d.cancel()
		})
	}
}

func (d *deadline) stop() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.timer != nil {
		d.timer.Stop()
	}
	return d.fired
}

// RoundTrip waits for the host's turn, starts the timeout and sends.
func (p *politeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if err := p.limits.wait(r.Context(), r.URL.Host); err != nil {
		return nil, err
	}
	if d, ok := r.Context().Value(turnKey{}).(*deadline); ok {
		d.start()
	}
	return p.next.RoundTrip(r)
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
	// allowed checks a redirect target against its host's robots.txt:
	// nil, or an error saying why not (errRobots, or the robots.txt
	// could not be read: ErrKindRobotsUnreachable).
	allowed func(ctx context.Context, u *url.URL) *fetchError
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

// newFetcher wraps the base client's transport so every request waits for
// its host's turn; redirects are followed by the fetcher itself, each hop
// checked against robots.txt and the redirect limit.
func newFetcher(base *http.Client, f fetcher) *fetcher {
	c := &http.Client{}
	if base != nil {
		*c = *base
	}
	next := c.Transport
	if next == nil {
		next = http.DefaultTransport
	}
	c.Transport = &politeTransport{next: next, limits: f.limits}
	c.Timeout = 0
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	f.client = c
	return &f
}

// request is what a fetch sends: a GET, or a POST with its body.
type request struct {
	method string // "" is GET
	url    string
	body   []byte
	ctype  string      // the body's Content-Type
	header http.Header // more headers (a rendering page's Accept, X-Requested-With)
	host   string      // when set, the only host a redirect may lead to
}

// get fetches a URL, retrying 429, 5xx and network errors with exponential
// backoff (at least what Retry-After asks). A 304 answer to the validators
// is a success with no body.
func (f *fetcher) get(ctx context.Context, rawURL string, val validators) *response {
	return f.do(ctx, request{url: rawURL}, val)
}

// do sends a request as get does.
func (f *fetcher) do(ctx context.Context, req request, val validators) *response {
	r := &response{}
	for attempt := 0; ; attempt++ {
		r.Attempts = attempt + 1
		retryAfter, retry := f.try(ctx, req, val, r)
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
		if u, err := url.Parse(r.FinalURL); err == nil && r.FinalURL != "" {
			f.limits.holdUntil(u.Host, time.Now().Add(wait))
		}
		if err := sleep(ctx, wait); err != nil {
			return r
		}
	}
}

// try makes one attempt, following redirects, and fills r; it returns
// whether to retry and after how long the server asked to wait. A POST
// redirected by 301, 302 or 303 goes on as a GET, as browsers do.
func (f *fetcher) try(ctx context.Context, req request, val validators, r *response) (time.Duration, bool) {
	*r = response{Attempts: r.Attempts, FinalURL: req.url}
	seen := map[string]bool{req.url: true}
	for hop := 0; ; hop++ {
		next, retryAfter, retry := f.hop(ctx, req, val, r)
		if next == "" {
			return retryAfter, retry
		}
		u, err := url.Parse(next)
		switch {
		case err != nil:
			r.ErrKind, r.Err = ErrKindNetwork, fmt.Errorf("bad redirect: %w", err)
		case seen[next]:
			r.ErrKind, r.Err = ErrKindRedirectLoop, fmt.Errorf("%w: %s leads back to %s", errRedirectLoop, r.FinalURL, next)
		case hop >= f.maxRedirects:
			r.ErrKind, r.Err = ErrKindRedirects, fmt.Errorf("%w: more than %d", errRedirects, f.maxRedirects)
		case u.Scheme != "http" && u.Scheme != "https":
			r.ErrKind, r.Err = ErrKindNetwork, fmt.Errorf("redirect to %s", next)
		case req.host != "" && u.Host != req.host:
			r.ErrKind, r.Err = ErrKindOffsite, fmt.Errorf("redirect to another host: %s (pages are read from %s only)", next, req.host)
		case f.allowed != nil:
			if fe := f.allowed(ctx, u); fe != nil {
				r.ErrKind, r.Err = fe.kind, fmt.Errorf("%w: %s", fe.err, next)
			}
		}
		if r.Err != nil {
			return 0, false
		}
		seen[next] = true
		r.FinalURL = next
		req.url = next
		if req.method == "POST" && r.Status != http.StatusTemporaryRedirect && r.Status != http.StatusPermanentRedirect {
			req.method, req.body, req.ctype = "", nil, ""
		}
	}
}

// hop makes one request. It returns the redirect target, if any, else
// fills r with the outcome.
func (f *fetcher) hop(ctx context.Context, rq request, val validators, r *response) (redirect string, retryAfter time.Duration, retry bool) {
	actx, cancel := context.WithCancel(ctx)
	defer cancel()
	dl := &deadline{d: f.timeout, cancel: cancel}
	method := rq.method
	if method == "" {
		method = "GET"
	}
	var reqBody io.Reader
	if rq.body != nil {
		reqBody = bytes.NewReader(rq.body)
	}
	req, err := http.NewRequestWithContext(context.WithValue(actx, turnKey{}, dl), method, rq.url, reqBody)
	if err != nil {
		r.ErrKind, r.Err = ErrKindNetwork, err
		return "", 0, false
	}
	for k, vs := range rq.header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", f.userAgent)
	if req.Header.Get("Accept") == "" {
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/pdf,*/*;q=0.8")
	}
	if rq.ctype != "" {
		req.Header.Set("Content-Type", rq.ctype)
	}
	if val.etag != "" {
		req.Header.Set("If-None-Match", val.etag)
	}
	if val.lastModified != "" {
		req.Header.Set("If-Modified-Since", val.lastModified)
	}
	fail := func(err error, prefix string) bool {
		timedOut := dl.stop()
		switch {
		case ctx.Err() != nil:
			r.ErrKind = "canceled"
		case timedOut:
			r.ErrKind = ErrKindTimeout
			err = fmt.Errorf("no complete answer within %s: %w", f.timeout, err)
		default:
			r.ErrKind = f.classify(ctx, err)
		}
		r.Err = err
		if prefix != "" {
			r.Err = fmt.Errorf("%s: %w", prefix, err)
		}
		return r.ErrKind == ErrKindNetwork || r.ErrKind == ErrKindTimeout
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return "", 0, fail(err, "")
	}
	defer resp.Body.Close()
	r.Status = resp.StatusCode
	r.ContentType = resp.Header.Get("Content-Type")
	r.ETag = resp.Header.Get("ETag")
	r.LastModified = resp.Header.Get("Last-Modified")
	switch code := resp.StatusCode; {
	case code == http.StatusNotModified:
		return "", 0, false
	case code == 301 || code == 302 || code == 303 || code == 307 || code == 308:
		loc := resp.Header.Get("Location")
		if loc == "" {
			r.ErrKind, r.Err = "http_"+strconv.Itoa(code), fmt.Errorf("HTTP %s without Location", resp.Status)
			return "", 0, false
		}
		u, err := resp.Request.URL.Parse(loc)
		if err != nil {
			r.ErrKind, r.Err = ErrKindNetwork, fmt.Errorf("bad redirect %q: %w", loc, err)
			return "", 0, false
		}
		u.Fragment = ""
		return u.String(), 0, false
	case code == http.StatusTooManyRequests || code >= 500:
		r.ErrKind = "http_" + strconv.Itoa(code)
		r.Err = fmt.Errorf("HTTP %s", resp.Status)
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return "", parseRetryAfter(resp.Header.Get("Retry-After")), true
	case code >= 300:
		r.ErrKind = "http_" + strconv.Itoa(code)
		r.Err = fmt.Errorf("HTTP %s", resp.Status)
		return "", 0, false
	}
	if resp.ContentLength > f.maxBytes {
		r.ErrKind = ErrKindTooLarge
		r.Err = fmt.Errorf("%w: Content-Length %d > %d bytes", errTooLarge, resp.ContentLength, f.maxBytes)
		return "", 0, false
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, f.maxBytes+1))
	if err != nil {
		return "", 0, fail(err, "reading body")
	}
	dl.stop()
	if int64(len(body)) > f.maxBytes {
		r.ErrKind = ErrKindTooLarge
		r.Err = fmt.Errorf("%w: more than %d bytes", errTooLarge, f.maxBytes)
		return "", 0, false
	}
	r.Body = body
	return "", 0, false
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
