package crawl

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"govreport"
)

// browser is the headless Chromium listings drawn by scripts are rendered
// in: started on first use, one page at a time, closed when the run ends.
type browser struct {
	mu     sync.Mutex // held while a page renders
	ctx    context.Context
	cancel context.CancelFunc
	dir    string // its fresh profile
	err    error  // why it could not start: every later render fails alike
	tried  bool
}

// errNoBrowser is a render that cannot be done: no Chromium.
var errNoBrowser = errors.New("no browser")

// chromiumNames are the executables looked for in PATH.
var chromiumNames = []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "headless_shell"}

// NoChromium is the Config.Chromium value that turns rendering off.
const NoChromium = "none"

func renderErrKind(err error) string {
	if errors.Is(err, errNoBrowser) {
		return ErrKindNoBrowser
	}
	return ErrKindRender
}

// start starts the browser once; later calls return the first outcome.
func (b *browser) start(ctx context.Context, path, userAgent string) (context.Context, error) {
	if b.tried {
		return b.ctx, b.err
	}
	b.tried = true
	switch {
	case path == NoChromium:
		b.err = fmt.Errorf("%w: rendering is turned off (--chromium %s)", errNoBrowser, NoChromium)
		return nil, b.err
	case path == "":
		for _, n := range chromiumNames {
			if p, err := exec.LookPath(n); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			b.err = fmt.Errorf("%w: no Chromium found (looked for %s in PATH; install chromium or give --chromium PATH)", errNoBrowser, strings.Join(chromiumNames, ", "))
			return nil, b.err
		}
	default:
		if _, err := exec.LookPath(path); err != nil {
			b.err = fmt.Errorf("%w: %v", errNoBrowser, err)
			return nil, b.err
		}
	}
	dir, err := os.MkdirTemp("", "govreport-chromium-")
	if err != nil {
		b.err = fmt.Errorf("%w: %v", errNoBrowser, err)
		return nil, b.err
	}
	b.dir = dir
	// Every request the page makes is answered by the crawler (see serve);
	// these flags keep the browser itself from calling home, and bound its
	// memory: one renderer, a capped script heap, no images.
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(dir), chromedp.UserAgent(userAgent),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-extensions", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-breakpad", true),
		chromedp.Flag("metrics-recording-only", true),
		chromedp.Flag("safebrowsing-disable-auto-update", true),
		chromedp.Flag("renderer-process-limit", "1"),
		chromedp.Flag("js-flags", "--max-old-space-size=256"),
		chromedp.Flag("blink-settings", "imagesEnabled=false"),
		chromedp.WindowSize(1280, 1024),
	}
	actx, acancel := chromedp.NewExecAllocator(context.WithoutCancel(ctx), opts...)
	bctx, bcancel := chromedp.NewContext(actx)
	b.ctx, b.cancel = bctx, func() { bcancel(); acancel() }
	sctx, scancel := context.WithTimeout(bctx, 30*time.Second)
	defer scancel()
	go func() { // a browser that hangs while starting is given up
		<-sctx.Done()
		if errors.Is(sctx.Err(), context.DeadlineExceeded) {
			bcancel()
		}
	}()
	if err := chromedp.Do(bctx); err != nil {
		b.cancel()
		b.cancel = nil // its cancel waits for the browser: once only
		b.err = fmt.Errorf("%w: %s would not start: %v", errNoBrowser, path, err)
		return nil, b.err
	}
	return bctx, nil
}

// close stops the browser and removes its profile.
func (b *browser) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.cancel != nil {
		b.cancel() // waits for the browser to exit
	}
	if b.dir != "" {
		os.RemoveAll(b.dir)
	}
	b.ctx, b.cancel, b.dir, b.err, b.tried = nil, nil, "", nil, false
}

// render reads a listing page drawn by scripts: it loads the page in the
// browser, every request the page makes fetched by the crawler (robots.txt,
// rate, retries, size cap; only the resource types the rule loads), reads
// the report links of the drawn page, clicks its next-page control and
// reads again, until no control is left, the page stops changing,
// --max-pages or --render-timeout.
func (c *Crawler) render(ctx context.Context, a *Adapter, pageURL string, data []byte, ctype string, r *Reading, use *AdapterUse) error {
	rule := a.Render
	b := c.browser
	b.mu.Lock()
	defer b.mu.Unlock()
	bctx, err := b.start(ctx, c.cfg.Chromium, c.cfg.UserAgent)
	if err != nil {
		return err
	}
	tab, closeTab := chromedp.NewContext(bctx)
	defer closeTab()
	stop := context.AfterFunc(ctx, closeTab) // the crawl stopped
	defer stop()
	if err := chromedp.Do(tab); err != nil {
		return fmt.Errorf("opening a tab: %w", err)
	}
	tctx, cancel := context.WithTimeout(tab, c.cfg.RenderTimeout)
	defer cancel()

	// The page counts its own requests still being handled and notes when
	// it last changed, so that a page is read once drawn, not merely once
	// its data arrived.
	if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: watchScript}); err != nil {
		return fmt.Errorf("preparing the tab: %w", err)
	}
	// Every request of the page is paused, and answered by serve.
	var net netState
	paused := chromedp.Events(tab, fetch.RequestPaused)
	if _, err := chromedp.Call(tab, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{{URLPattern: "*"}}}); err != nil {
		return fmt.Errorf("intercepting requests: %w", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			net.begin()
			go func() {
				defer net.end()
				c.serve(tab, rule, ev, pageURL, data, ctype)
			}()
		}
	}()

	if err := chromedp.Do(tctx, chromedp.Navigate(pageURL)); err != nil {
		return fmt.Errorf("loading %s: %w", pageURL, err)
	}
	states := 0
	maxStates := 200
	if c.cfg.MaxPages > 0 {
		maxStates = c.cfg.MaxPages
	}
	prev := ""
	for {
		sig, ok := settle(tctx, &net, rule, prev)
		if !ok {
			break // the click drew nothing new
		}
		states++
		html, err := chromedp.Run(tctx, chromedp.Evaluate[string](`document.documentElement.outerHTML`))
		if err != nil {
			return fmt.Errorf("reading the drawn page: %w", err)
		}
		loc, _ := chromedp.Run(tctx, chromedp.Location())
		if loc == "" {
			loc = pageURL
		}
		if doc, base, err := parsePage(html, loc); err == nil {
			r.addReports(walkLinks(doc, base, builtinAdapter("links").Links).Reports...)
		}
		if states >= maxStates || tctx.Err() != nil {
			break
		}
		clicked, err := chromedp.Run(tctx, chromedp.Evaluate[bool](clickNext(rule.NextText)))
		if err != nil || !clicked {
			break
		}
		prev = sig
	}
	use.Note = fmt.Sprintf("%d page(s) rendered, %d request(s) answered", states, net.answered.Load())
	if states == 0 {
		return fmt.Errorf("%s: nothing drawn within %s", pageURL, c.cfg.RenderTimeout)
	}
	return nil
}

// netState follows the requests a rendered page has in flight.
type netState struct {
	inflight atomic.Int32
	answered atomic.Int32
	last     atomic.Int64 // unix nanoseconds of the latest start or end
}

func (n *netState) begin() { n.inflight.Add(1); n.last.Store(time.Now().UnixNano()) }
func (n *netState) end() {
	n.answered.Add(1)
	n.inflight.Add(-1)
	n.last.Store(time.Now().UnixNano())
}

// watchScript runs in the page before its own scripts: it counts the
// page's XMLHttpRequests and fetches until their handlers have run, and
// notes when the document last changed.
const watchScript = `(() => {
  const w = window, g = w.__govreport = {pending: 0, changed: Date.now()};
  const done = (d) => setTimeout(() => { g.pending--; g.changed = Date.now(); }, d);
  const send = XMLHttpRequest.prototype.send;
  XMLHttpRequest.prototype.send = function (...a) {
    g.pending++;
    this.addEventListener("loadend", () => done(0));
    return send.apply(this, a);
  };
  if (w.fetch) {
    const f = w.fetch;
    w.fetch = function (...a) {
      g.pending++;
      return f.apply(this, a).then((r) => { done(50); return r; }, (e) => { done(50); throw e; });
    };
  }
  new MutationObserver(() => { g.changed = Date.now(); }).observe(document, {subtree: true, childList: true, characterData: true, attributes: true});
})()`

// settle waits until the page is loaded, no request has been in flight
// (nor the document changed) for the rule's settle time and its text
// differs from prev, at most the rule's wait; it returns the page's text
// and whether it differs.
func settle(ctx context.Context, n *netState, rule *RenderRule, prev string) (string, bool) {
	deadline := time.Now().Add(rule.wait)
	text := prev
	ready := fmt.Sprintf(`(() => {
  const g = window.__govreport;
  const quiet = !g || (g.pending <= 0 && Date.now() - g.changed >= %d);
  return document.readyState === "complete" && quiet && document.body ? document.body.innerText : "\u0000";
})()`, rule.settle.Milliseconds())
	for {
		quiet := n.inflight.Load() == 0 && time.Since(time.Unix(0, n.last.Load())) >= rule.settle
		if quiet {
			s, err := chromedp.Run(ctx, chromedp.Evaluate[string](ready))
			if err == nil && s != "\x00" {
				text = s
				if text != prev || prev == "" {
					return text, true
				}
			}
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			return text, text != prev || prev == ""
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// clickNext is a script that clicks the innermost visible, enabled element
// whose text is one of words, and says whether it found one.
func clickNext(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = fmt.Sprintf("%q", w)
	}
	return `(() => {
  const words = [` + strings.Join(quoted, ",") + `];
  const els = Array.from(document.querySelectorAll("a, button, input[type=button], input[type=submit], span, li, div, em, i, b"));
  for (const el of els.reverse()) {
    const t = ((el.tagName === "INPUT" ? el.value : el.innerText) || "").trim();
    if (!words.includes(t)) continue;
    if (el.disabled || /disabled|disable/.test(el.className) || el.getAttribute("aria-disabled") === "true") continue;
    if (!el.getClientRects().length) continue;
    el.click();
    return true;
  }
  return false;
})()`
}

// serve answers one request of a rendered page through the crawler's
// fetcher: the page itself from the bytes already fetched, other
// resources after robots.txt and in the host's turn; resource types the
// rule does not load, and other schemes, are refused.
func (c *Crawler) serve(tab context.Context, rule *RenderRule, ev fetch.EventRequestPaused, pageURL string, data []byte, ctype string) {
	fail := func(reason network.ErrorReason) {
		chromedp.Call(tab, fetch.FailRequest, fetch.FailRequestParams{RequestID: ev.RequestID, ErrorReason: reason})
	}
	fulfill := func(status int, ctype string, body []byte) {
		h := []*fetch.HeaderEntry{{Name: "Cache-Control", Value: "no-store"}}
		if ctype != "" {
			h = append(h, &fetch.HeaderEntry{Name: "Content-Type", Value: ctype})
		}
		chromedp.Call(tab, fetch.FulfillRequest, fetch.FulfillRequestParams{RequestID: ev.RequestID, ResponseCode: int64(status), ResponseHeaders: h, Body: body})
	}
	req := ev.Request
	if !slices.Contains(rule.Load, string(ev.ResourceType)) {
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	if req.Method == "GET" && req.URL == pageURL && ev.ResourceType == network.ResourceTypeDocument {
		fulfill(http.StatusOK, ctype, data)
		return
	}
	if robots, ok := c.robotsFor(tab, u); !ok || !robots.Allowed(u.RequestURI()) {
		fail(network.ErrorReasonBlockedByClient)
		return
	}
	rq := request{url: req.URL, header: http.Header{}}
	if req.Method != "GET" {
		rq.method = req.Method
		for _, e := range req.PostDataEntries {
			rq.body = append(rq.body, e.Bytes...)
		}
		if rq.body == nil {
			rq.body = []byte{}
		}
	}
	for k, v := range req.Headers {
		s, _ := v.(string)
		switch strings.ToLower(k) {
		case "content-type":
			rq.ctype = s
		case "accept", "x-requested-with":
			rq.header.Set(k, s)
		}
	}
	resp := c.fetch.do(tab, rq, validators{})
	f := govreport.Fetch{URL: req.URL, FinalURL: resp.FinalURL, Status: resp.Status, Attempts: resp.Attempts,
		Bytes: int64(len(resp.Body)), ContentType: resp.ContentType, ErrorKind: resp.ErrKind}
	if f.FinalURL == f.URL {
		f.FinalURL = ""
	}
	if resp.Err != nil {
		f.Error = resp.Err.Error()
	}
	if c.cfg.Frontier != nil { // nil: Explain
		c.cfg.Frontier.RecordFetch(context.WithoutCancel(tab), f)
	}
	switch {
	case resp.Status >= 200 && resp.Err == nil:
		fulfill(resp.Status, resp.ContentType, resp.Body)
	case resp.Status >= 400:
		fulfill(resp.Status, "text/plain", nil)
	default:
		fail(network.ErrorReasonFailed)
	}
}
