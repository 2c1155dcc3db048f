package review_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"govreport/cmd/internal/review"
)

// chromium finds the browser .ci/run installs, or skips the test.
func chromium(t *testing.T) string {
	t.Helper()
	for _, n := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(n); err == nil {
			return p
		}
	}
	t.Skip("no Chromium in PATH (.ci/run installs it): the review pages are not tested in a browser")
	return ""
}

// artifacts is where a test's files are kept for a person to look at:
// $GOVREPORT_ARTIFACTS, else the test's temporary folder.
func artifacts(t *testing.T) string {
	if d := os.Getenv("GOVREPORT_ARTIFACTS"); d != "" {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	return t.TempDir()
}

// In a real browser: a report page loads, a flagged cell is coloured as
// flagged, a correction submitted through the form appears in the table;
// a screenshot of a real PDF's report page is saved.
func TestInBrowser(t *testing.T) {
	path := chromium(t)
	f := newFixture(t, review.Options{AllowEdit: true, Author: "browser-test"}, rawTxt, hongzePDF)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path), chromedp.UserDataDir(t.TempDir()),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(1600, 1500),
	}
	actx, acancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer acancel()
	bctx, cancel := chromedp.NewContext(actx)
	defer cancel()
	if err := chromedp.Do(bctx); err != nil { // starts the browser: no timeout on this first call
		t.Fatalf("%s would not start: %v", path, err)
	}
	ctx, stop := context.WithTimeout(bctx, 90*time.Second)
	defer stop()
	attr := func(sel, name string) string {
		t.Helper()
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(sel, name))
		if err != nil {
			t.Fatal(err)
		}
		return r.Value
	}
	background := func(sel string) string {
		t.Helper()
		bg, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.querySelector('`+sel+`')).backgroundColor`))
		if err != nil {
			t.Fatal(err)
		}
		return bg
	}

	// 7.属于行政执法案卷's row read as a lone 0 where the page prints 6
	// under 自然人 and 总计: the reader could not place it
	const cell = `[id="cell-t3.denied_enforcement_file.natural_person"]`
	if err := chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+f.reportURL(rawTxt)), chromedp.WaitVisible(`#t-t3`)); err != nil {
		t.Fatal(err)
	}
	class, title, bg := attr(cell, "class"), attr(cell, "title"), background(cell)
	if !strings.Contains(class, "f-uncertain") || bg != "rgb(240, 166, 64)" {
		t.Errorf("the flagged cell: class %q, background %s; want f-uncertain, the uncertain colour", class, bg)
	}
	if !strings.Contains(title, "uncertain: ") || !strings.Contains(title, "line 377") {
		t.Errorf("the flagged cell's hover text: %q", title)
	}

	// select it, correct it through the form
	if err := chromedp.Do(ctx,
		chromedp.Click(cell+` a`),
		chromedp.WaitVisible(`#correct`),
		chromedp.SendKeys(`#value`, "6"),
		chromedp.SendKeys(`#note`, "the page prints 6 under 自然人"),
		chromedp.Click(`#set`),
		chromedp.WaitVisible(`#history`),
	); err != nil {
		t.Fatal(err)
	}
	value, err := chromedp.Run(ctx, chromedp.Text(cell))
	if err != nil {
		t.Fatal(err)
	}
	class, bg = attr(cell, "class"), background(cell)
	if strings.TrimSpace(value) != "6" || !strings.Contains(class, "f-corrected") || bg != "rgb(124, 198, 138)" {
		t.Errorf("after the correction: %q, class %q, background %s; want 6, f-corrected, the corrected colour", value, class, bg)
	}
	var n int
	f.st.DB().QueryRow(`SELECT count(*) FROM corrections WHERE tbl = 't3' AND row_key = 'denied_enforcement_file' AND col_key = 'natural_person' AND value = 6 AND author = 'browser-test'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d corrections recorded, want 1", n)
	}

	// a PDF's report page as a person sees it, a cell selected and its
	// place on the PDF page marked beside the table; then the whole page
	dir := artifacts(t)
	if err := chromedp.Do(ctx, chromedp.Navigate(f.ts.URL+f.reportURL(hongzePDF)+"&cell=t4.review.upheld"), chromedp.WaitVisible(`#t-t4`)); err != nil {
		t.Fatal(err)
	}
	for name, shot := range map[string]chromedp.Action[[]byte]{"review-report-page.png": chromedp.CaptureScreenshot(), "review-report-page-full.png": chromedp.FullScreenshot(100)} {
		png, err := chromedp.Run(ctx, shot)
		if err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, name)
		if err := os.WriteFile(out, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot of the report page: %s", out)
	}
}
