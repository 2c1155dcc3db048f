package review_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"govreport/cmd/internal/ingest"
	"govreport/cmd/internal/review"
	"govreport/normalize"
	"govreport/store"
)

const testdata = "../../../testdata"

// The real documents the tests review (testdata), each standing for a
// case: a PDF whose table 四 does not add up as printed (2023 洪泽:
// 行政复议 10 1 0 0 0, 总计 0), the text pdftotext prints without -layout
// of a Chromium print of a page (its table 三 printed cell after cell:
// rows whose numbers cannot be placed are flagged uncertain), an
// archiver's one-line text (legacy table glued, flagged inferred), an HTML
// page; and pdftotext -layout's print of a Chromium print of a page with
// its zeros blank, which packs a blank row's numbers together: rows the
// reader does not place are not stored.
const (
	hongzePDF  = "2023_hongze_qzf_1.pdf"
	rawTxt     = "2021_pingtan_1.html__chromium_pdftotext_raw.txt"
	oneLineTxt = "2015_pingtan_1.txt"
	pageHTML   = "2023_pingtan_1.html"
	blankTxt   = "2021_pingtan_1.html__chromium_blank_pdftotext_raw.txt"
	fragment   = "2024_huaian_szf_2.txt"
)

var sources = map[string]string{hongzePDF: "corpus", rawTxt: "variants", oneLineTxt: "corpus", pageHTML: "corpus", blankTxt: "variants", fragment: "corpus"}

// storeOptions are the database's options as govreport opens it.
var storeOptions = ingest.StoreOptions(normalize.DefaultTemplates())

// fixture is a database of real documents imported from a store folder,
// served over httptest.
type fixture struct {
	st     *store.Store
	dir    string // the store folder the documents were imported from
	srv    *review.Server
	ts     *httptest.Server
	doc    map[string]int64 // file → document id
	report map[string]int64 // file → report id
}

func newFixture(t *testing.T, opt review.Options, files ...string) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir(), doc: map[string]int64{}, report: map[string]int64{}}
	for _, n := range files {
		data, err := os.ReadFile(filepath.Join(testdata, sources[n], n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(f.dir, n), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(filepath.Join(t.TempDir(), "r.db"), storeOptions)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.st = st
	if _, err := ingest.Import(context.Background(), st, []string{f.dir}, ingest.Options{Jobs: 1}); err != nil {
		t.Fatal(err)
	}
	rows, err := st.DB().Query(`SELECT source, id, coalesce(report_id, 0) FROM documents`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var src string
		var id, rep int64
		rows.Scan(&src, &id, &rep)
		f.doc[filepath.Base(src)], f.report[filepath.Base(src)] = id, rep
	}
	rows.Close()
	opt.Store = st
	if opt.StoreDir == "" {
		opt.StoreDir = f.dir
	}
	opt.CacheDir = t.TempDir()
	if f.srv, err = review.New(opt); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.srv.Close() })
	f.ts = httptest.NewServer(nil)
	f.ts.Config.Handler = f.srv.Handler(f.ts.Listener.Addr().String())
	t.Cleanup(f.ts.Close)
	return f
}

// get fetches a page and returns its status and body.
func (f *fixture) get(t *testing.T, path string) (int, string) {
	t.Helper()
	res, err := f.ts.Client().Get(f.ts.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// postCorrection posts a correction form and returns the response
// without following its redirect (the body closed).
func (f *fixture) postCorrection(t *testing.T, form url.Values) *http.Response {
	t.Helper()
	noFollow := *f.ts.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := noFollow.PostForm(f.ts.URL+"/corrections", form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res
}

func (f *fixture) reportURL(file string) string {
	return "/reports/" + strconv.FormatInt(f.report[file], 10) + "?doc=" + strconv.FormatInt(f.doc[file], 10)
}

func mustContain(t *testing.T, what, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("%s: %q missing", what, w)
		}
	}
}

// Every page answers, with what it is for.
func TestPages(t *testing.T) {
	f := newFixture(t, review.Options{}, hongzePDF, rawTxt, oneLineTxt, pageHTML)
	t.Run("reports", func(t *testing.T) {
		code, body := f.get(t, "/reports")
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		mustContain(t, "list", body, "4 reports match: 2 with flagged cells, 2 with failing checks.", "淮安市洪泽区人民政府", "平潭综合实验区")
		_, body = f.get(t, "/reports?flagged=1&sort=year&desc=1")
		mustContain(t, "flagged", body, "2 reports match", ">2021<", ">2015<")
		if strings.Index(body, ">2021<") > strings.Index(body, ">2015<") {
			t.Error("sorted by year descending: 2021 should come before 2015")
		}
		_, body = f.get(t, "/reports?failing=1")
		mustContain(t, "failing", body, "2 reports match", "淮安市洪泽区人民政府")
		_, body = f.get(t, "/reports?region="+url.QueryEscape("淮安"))
		mustContain(t, "region", body, "1 reports match")
		if code, _ := f.get(t, "/reports?year=abc"); code != http.StatusBadRequest {
			t.Errorf("year=abc: status %d, want 400", code)
		}
	})
	t.Run("report of a PDF", func(t *testing.T) {
		code, body := f.get(t, f.reportURL(hongzePDF))
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		// the tables drawn as printed: table 四's two-level header, its
		// row 行政复议 printed 10 1 0 0 0; the failed checks beside it
		mustContain(t, "tables", body, `id="t-t2"`, `id="t-t3"`, `id="t-t4"`, `colspan="10">行政诉讼</th>`, `colspan="5">未经复议直接起诉</th>`,
			`colspan="5">法人或其他组织</th>`, `>申请人情况</th>`)
		mustContain(t, "t4 values", body, `id="cell-t4.review.upheld"`, `>10</a>`)
		mustContain(t, "failed checks", body, "<b>t4_row_total</b> review: <span class=\"side\">0</span> ≠ <span class=\"side\">11</span>",
			"<b>t4_row_total</b> litigation_after_review")
		mustContain(t, "sections", body, "总体情况")
	})
	t.Run("flagged cells", func(t *testing.T) {
		_, body := f.get(t, f.reportURL(rawTxt))
		// 7.属于行政执法案卷's row read as a lone 0 (the page prints 6 under
		// 自然人 and 总计): its cells not placed
		re := regexp.MustCompile(`<td id="cell-t3\.denied_enforcement_file\.natural_person" class="v f-uncertain" title="([^"]*)"`)
		m := re.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the cell is not flagged uncertain:\n%s", excerpt(body, "denied_enforcement_file.natural_person"))
		}
		mustContain(t, "hover", m[1], "printed: &#34;0&#34;", "uncertain: ", "line 377")
	})
	t.Run("source of a PDF cell", func(t *testing.T) {
		_, body := f.get(t, f.reportURL(hongzePDF)+"&cell=t4.review.upheld")
		mustContain(t, "selected", body, `id="cell-t4.review.upheld" class="v sel"`, "行政复议 · 结果维持")
		if _, err := exec.LookPath("pdftoppm"); err != nil {
			t.Logf("pdftoppm not installed (poppler-utils): the page is a link")
			mustContain(t, "link", body, `#page=4"`)
			return
		}
		mustContain(t, "page", body, `src="/docs/`+strconv.FormatInt(f.doc[hongzePDF], 10)+`/pages/4"`, `<rect class="marker"`)
		res, err := f.ts.Client().Get(f.ts.URL + "/docs/" + strconv.FormatInt(f.doc[hongzePDF], 10) + "/pages/4")
		if err != nil {
			t.Fatal(err)
		}
		png, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
			t.Errorf("page image: status %d, %d bytes", res.StatusCode, len(png))
		}
		if code, _ := f.get(t, "/docs/"+strconv.FormatInt(f.doc[hongzePDF], 10)+"/pages/99"); code != http.StatusBadRequest {
			t.Errorf("page 99: status %d, want 400", code)
		}
	})
	t.Run("stored PDF", func(t *testing.T) {
		want, _ := os.ReadFile(filepath.Join(f.dir, hongzePDF))
		res, err := f.ts.Client().Get(f.ts.URL + "/docs/" + strconv.FormatInt(f.doc[hongzePDF], 10) + "/file")
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if !bytes.Equal(got, want) || res.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("file: %d bytes %s, want the PDF's %d", len(got), res.Header.Get("Content-Type"), len(want))
		}
	})
	t.Run("stored page, sandboxed", func(t *testing.T) {
		_, body := f.get(t, f.reportURL(pageHTML))
		mustContain(t, "frame", body, `<iframe class="stored" src="/docs/`+strconv.FormatInt(f.doc[pageHTML], 10)+`/file" sandbox=""`)
		res, err := f.ts.Client().Get(f.ts.URL + "/docs/" + strconv.FormatInt(f.doc[pageHTML], 10) + "/file")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if csp := res.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "sandbox") {
			t.Errorf("the stored page is served with CSP %q, want a sandbox", csp)
		}
	})
	t.Run("text lines around a cell", func(t *testing.T) {
		// 主动公开文件数条294981916: 2949 this year, 81916 in all, glued
		_, body := f.get(t, f.reportURL(oneLineTxt)+"&cell="+url.QueryEscape("legacy.主动公开文件数.2015年度"))
		mustContain(t, "lines", body, `<pre class="lines" id="lines">`, `<span class="ln at"><span class="no">10</span>`, "<mark>294981916</mark>")
	})
	t.Run("agency", func(t *testing.T) {
		var agency int64
		f.st.DB().QueryRow(`SELECT agency_id FROM documents WHERE id = ?`, f.doc[hongzePDF]).Scan(&agency)
		code, body := f.get(t, "/agencies/"+strconv.FormatInt(agency, 10))
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		// 2023: 新收 21 (table 三 as printed), grant rate (予以公开 + 部分公开) / 总计
		mustContain(t, "agency", body, "淮安市洪泽区人民政府", `<svg class="chart"`, "<title>received 2023: 21</title>", `id="findings"`)
		if code, _ := f.get(t, "/agencies/999"); code != http.StatusNotFound {
			t.Errorf("agency 999: status %d", code)
		}
	})
	t.Run("queue", func(t *testing.T) {
		code, body := f.get(t, "/queue")
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		mustContain(t, "queue", body, "f-uncertain", "t4_row_total",
			`href="/reports/`+strconv.FormatInt(f.report[rawTxt], 10)+`?cell=t3.`, `&amp;doc=`+strconv.FormatInt(f.doc[rawTxt], 10)+`#cell-t3.`)
		// the uncertain rows come before the failed checks, the inferred last
		if u, c, i := strings.Index(body, "f-uncertain"), strings.Index(body, "t4_row_total"), strings.Index(body, "f-inferred"); !(u < c && c < i) {
			t.Errorf("queue order: uncertain at %d, check at %d, inferred at %d", u, c, i)
		}
	})
	t.Run("not found and bad ids", func(t *testing.T) {
		for path, want := range map[string]int{"/reports/999": 404, "/reports/x": 400, "/docs/999/file": 404, "/nothing": 404, "/static/style.css": 200,
			f.reportURL(hongzePDF) + "&cell=t9.a.b": 404} {
			if code, _ := f.get(t, path); code != want {
				t.Errorf("%s: status %d, want %d", path, code, want)
			}
		}
	})
}

func excerpt(body, near string) string {
	i := strings.Index(body, near)
	if i < 0 {
		return "(" + near + " not in the page)"
	}
	return body[max(0, i-300):min(len(body), i+300)]
}

// token is the form's token on a page.
var tokenRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// A correction's whole life: set through the form, applied by the page,
// the views and the export with the machine's value kept, the table's
// checks run again; still applied after the document is parsed again.
func TestCorrectionLife(t *testing.T) {
	f := newFixture(t, review.Options{AllowEdit: true, Author: "reviewer"}, hongzePDF)
	ctx := context.Background()
	page := f.reportURL(hongzePDF) + "&cell=t4.review.total"
	_, body := f.get(t, page)
	m := tokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no form on the page with --allow-edit")
	}
	post := func(form url.Values) *http.Response { t.Helper(); return f.postCorrection(t, form) }
	// 行政复议 prints 10 1 0 0 and 总计 0: a reviewer sets 11
	form := url.Values{"doc": {strconv.FormatInt(f.doc[hongzePDF], 10)}, "cell": {"t4.review.total"}, "action": {"set"}, "value": {"１１"},
		"note": {"总计 printed 0; 10 and 1 <script>alert(1)</script>"}}
	if res := post(form); res.StatusCode != http.StatusForbidden {
		t.Errorf("a post without the token: status %d, want 403", res.StatusCode)
	}
	form.Set("csrf", m[1])
	res := post(form)
	if res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "cell=t4.review.total") {
		t.Fatalf("post: status %d, location %q", res.StatusCode, res.Header.Get("Location"))
	}

	// the page shows it, escaped, the machine's value beside it; the check passes
	_, body = f.get(t, page)
	mustContain(t, "after", body, `id="cell-t4.review.total" class="v f-corrected sel"`, `>11</a>`, "(machine: 0)",
		"by reviewer: 总计 printed 0; 10 and 1 &lt;script&gt;alert(1)&lt;/script&gt;")
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("the note is not escaped")
	}
	if strings.Contains(body, "<b>t4_row_total</b> review:") {
		t.Error("t4_row_total review still failed after the correction")
	}
	mustContain(t, "the other row still fails", body, "<b>t4_row_total</b> litigation_after_review")

	check := func(when string) {
		t.Helper()
		var total float64
		var machine, flags string
		if err := f.st.DB().QueryRow(`SELECT total, machine_values, flags FROM t4 WHERE row_key = 'review'`).Scan(&total, &machine, &flags); err != nil || machine != "total=0" {
			t.Errorf("%s: view t4: machine_values %q %v, want total=0", when, machine, err)
		}
		if total != 11 || !strings.Contains(flags, "corrected") {
			t.Errorf("%s: view t4 review total %v flags %q, want 11 corrected", when, total, flags)
		}
		var status string
		f.st.DB().QueryRow(`SELECT status FROM checks WHERE doc_id = ? AND rule = 't4_row_total' AND scope = 'review'`, f.doc[hongzePDF]).Scan(&status)
		if status != "pass" {
			t.Errorf("%s: t4_row_total review %q, want pass", when, status)
		}
		var buf bytes.Buffer
		if n, err := f.st.Export(ctx, &buf, store.ExportOptions{Table: "corrections"}); err != nil || n != 1 ||
			!strings.Contains(buf.String(), ",t4,review,total,set,11,0,") || !strings.Contains(buf.String(), ",reviewer,") {
			t.Errorf("%s: export corrections (%d, %v):\n%s", when, n, err, buf.String())
		}
	}
	check("after the correction")

	// parsed again: the machine's values and checks are written anew, the
	// correction applies still
	sum, err := ingest.Import(ctx, f.st, []string{f.dir}, ingest.Options{Jobs: 1, Reparse: true})
	if err != nil || sum.Imported != 1 {
		t.Fatalf("reparse: %+v %v", sum, err)
	}
	check("after --reparse")
	_, body = f.get(t, page)
	mustContain(t, "after --reparse", body, `class="v f-corrected sel"`, `>11</a>`)

	// revert: the machine's value again, the check fails again
	form.Set("action", "revert")
	if res := post(form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revert: status %d", res.StatusCode)
	}
	_, body = f.get(t, page)
	mustContain(t, "after revert", body, "<b>t4_row_total</b> review: <span class=\"side\">0</span> ≠ <span class=\"side\">11</span>", "revert")

	// a value that is not a number is refused, naming it
	form.Set("action", "set")
	form.Set("value", "十一")
	if res := post(form); res.StatusCode != http.StatusBadRequest {
		t.Errorf("value 十一: status %d, want 400", res.StatusCode)
	}
}

// Read-only unless AllowEdit; requests naming another host, cross-origin
// posts and files outside the store folder are refused.
func TestSafety(t *testing.T) {
	f := newFixture(t, review.Options{}, hongzePDF)
	_, body := f.get(t, f.reportURL(hongzePDF)+"&cell=t4.review.total")
	if strings.Contains(body, `action="/corrections"`) {
		t.Error("a read-only server shows the correction form")
	}
	res, err := f.ts.Client().PostForm(f.ts.URL+"/corrections", url.Values{"doc": {"1"}, "cell": {"t4.review.total"}, "action": {"set"}, "value": {"1"}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("read-only post: status %d, want 403", res.StatusCode)
	}

	req, _ := http.NewRequest("GET", f.ts.URL+"/reports", nil)
	req.Host = "evil.example:8080"
	if res, err := f.ts.Client().Do(req); err != nil || res.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("Host evil.example: %v %v, want 421", res.StatusCode, err)
	}

	edit := newFixture(t, review.Options{AllowEdit: true}, hongzePDF)
	req, _ = http.NewRequest("POST", edit.ts.URL+"/corrections", strings.NewReader("doc=1"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	if res, err := edit.ts.Client().Do(req); err != nil || res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site post: %v %v, want 403", res.StatusCode, err)
	}

	// a store folder that does not hold the file: nothing is served
	other := newFixture(t, review.Options{StoreDir: t.TempDir()}, hongzePDF)
	if code, body := other.get(t, "/docs/"+strconv.FormatInt(other.doc[hongzePDF], 10)+"/file"); code != http.StatusNotFound || !strings.Contains(body, "not under --store") {
		t.Errorf("file outside the store folder: status %d %q", code, body)
	}
	// a file changed since it was imported is not shown
	if err := os.WriteFile(filepath.Join(f.dir, hongzePDF), []byte("%PDF-1.4 changed"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, body := f.get(t, "/docs/"+strconv.FormatInt(f.doc[hongzePDF], 10)+"/file"); code != http.StatusNotFound || !strings.Contains(body, "has changed since it was imported") {
		t.Errorf("changed file: status %d %q", code, body)
	}
}

// An import writing the database while the server reads it and records
// corrections, through another connection as another process would: no
// request fails for a locked database (WAL, busy timeout, corrections in
// BEGIN IMMEDIATE).
func TestWhileImporting(t *testing.T) {
	f := newFixture(t, review.Options{AllowEdit: true}, hongzePDF, oneLineTxt, pageHTML)
	var path string
	f.st.DB().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path)
	other, err := store.Open(path, storeOptions)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	stop, done := make(chan struct{}), make(chan error, 1)
	imports := 0
	go func() {
		for {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			if _, err := ingest.Import(context.Background(), other, []string{f.dir}, ingest.Options{Jobs: 1, Reparse: true}); err != nil {
				done <- err
				return
			}
			imports++
		}
	}()
	page := f.reportURL(hongzePDF) + "&cell=t4.review.total"
	_, body := f.get(t, page)
	token := tokenRe.FindStringSubmatch(body)[1]
	noFollow := *f.ts.Client()
	noFollow.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	const rounds = 15
	for i := range rounds {
		for _, p := range []string{"/reports", "/queue", page} {
			if code, body := f.get(t, p); code != 200 {
				t.Fatalf("%s during an import: status %d: %s", p, code, body)
			}
		}
		res, err := noFollow.PostForm(f.ts.URL+"/corrections", url.Values{"csrf": {token}, "doc": {strconv.FormatInt(f.doc[hongzePDF], 10)},
			"cell": {"t4.review.total"}, "action": {"set"}, "value": {strconv.Itoa(11 + i)}})
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("correction %d during an import: status %d", i, res.StatusCode)
		}
	}
	close(stop)
	if err := <-done; err != nil {
		t.Fatalf("import: %v", err)
	}
	t.Logf("%d imports (--reparse) ran beside %d rounds of requests", imports, rounds)
	var n int
	var total float64
	f.st.DB().QueryRow(`SELECT count(*) FROM corrections`).Scan(&n)
	f.st.DB().QueryRow(`SELECT total FROM t4 WHERE row_key = 'review'`).Scan(&total)
	if n != rounds || total != 11+rounds-1 {
		t.Errorf("%d corrections recorded, the view shows %v; want %d, the last one's %d", n, total, rounds, 11+rounds-1)
	}
}

// A row the reader did not place is drawn empty and filled in through the
// form: 平潭's 2021 report printed with its zeros blank leaves row
// （三）2 (其他法律行政法规禁止公开) blank, and the reader of its pdftotext
// raw print (the labels in reading order, numbers not beside them: no row
// of blanks read) stores nothing for it; the report as published
// (testdata/corpus/2021_pingtan_1.html) prints 0 in its 总计.
// The value is kept through a reparse; a revert empties the cell again.
func TestFillInLife(t *testing.T) {
	f := newFixture(t, review.Options{AllowEdit: true, Author: "reviewer"}, blankTxt)
	ctx := context.Background()
	const cell = "t3.denied_law_forbidden.total"
	_, body := f.get(t, f.reportURL(blankTxt))
	mustContain(t, "the empty row drawn", body, "2.其他法律行政法规禁止公开", `id="cell-`+cell+`" class="v absent"`)
	if code, _ := f.get(t, f.reportURL(blankTxt)+"&cell=t3.x_nothing.total"); code != http.StatusNotFound {
		t.Errorf("a cell neither stored nor in the template: status %d, want 404", code)
	}
	page := f.reportURL(blankTxt) + "&cell=" + cell
	code, body := f.get(t, page)
	if code != 200 {
		t.Fatalf("selecting the empty cell: status %d\n%s", code, excerpt(body, "<main"))
	}
	mustContain(t, "the empty cell selected", body, "<h2>2.其他法律行政法规禁止公开 · 总计</h2>", "none: the reader stored no value here",
		`id="fill-note"`, `name="cell" value="`+cell+`"`, `id="set"`)
	if strings.Contains(body, `id="confirm"`) {
		t.Error("a confirm button for a cell without the machine's value")
	}
	m := tokenRe.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no form")
	}
	post := func(form url.Values) *http.Response { t.Helper(); return f.postCorrection(t, form) }
	form := url.Values{"csrf": {m[1]}, "doc": {strconv.FormatInt(f.doc[blankTxt], 10)}, "cell": {cell}, "action": {"set"}, "value": {"0"},
		"note": {"row （三）2 blank in this print <b>zeros blank</b>; the page as published prints 0"}}
	if res := post(form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("post: status %d", res.StatusCode)
	}
	_, body = f.get(t, page)
	mustContain(t, "filled in", body, `id="cell-`+cell+`" class="v f-corrected sel"`, `>0</a>`, "(filled in: the reader stored none)",
		"by reviewer: row （三）2 blank in this print &lt;b&gt;zeros blank&lt;/b&gt;", `id="revert"`)
	view := func(when string, want int) {
		t.Helper()
		var n int
		var total sql.NullFloat64
		var flags sql.NullString
		f.st.DB().QueryRow(`SELECT count(*), max(total), max(flags) FROM t3 WHERE doc_id = ? AND row_key = 'denied_law_forbidden'`, f.doc[blankTxt]).Scan(&n, &total, &flags)
		if n != want || want == 1 && (!total.Valid || total.Float64 != 0 || flags.String != "corrected") {
			t.Errorf("%s: view t3 has %d rows denied_law_forbidden (total %v, flags %v), want %d", when, n, total, flags, want)
		}
	}
	view("filled in", 1)
	if sum, err := ingest.Import(ctx, f.st, []string{f.dir}, ingest.Options{Jobs: 1, Reparse: true}); err != nil || sum.Imported != 1 {
		t.Fatalf("reparse: %+v %v", sum, err)
	}
	view("after --reparse", 1)
	_, body = f.get(t, page)
	mustContain(t, "after --reparse", body, `class="v f-corrected sel"`, "(filled in: the reader stored none)")

	form.Set("action", "revert")
	if res := post(form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revert: status %d", res.StatusCode)
	}
	view("reverted", 0)
	_, body = f.get(t, page)
	mustContain(t, "reverted", body, `id="cell-`+cell+`" class="v absent sel"`, "none: the reader stored no value here", "revert")
}

// A fragment (two pages of the 2024 淮安 report: the end of 表二 and 表三,
// testdata/corpus/2024_huaian_szf_2.txt) prints no cell of 表四: with
// --allow-edit the table is drawn empty, so a person can fill it in from
// the full report; read-only, only the tables read are drawn.
func TestEmptyTableDrawn(t *testing.T) {
	const title, cell = `<h2>政府信息公开行政复议、行政诉讼情况 <span class="small">t4</span></h2>`, "t4.review.total"
	for _, edit := range []bool{true, false} {
		f := newFixture(t, review.Options{AllowEdit: edit, Author: "reviewer"}, fragment)
		_, body := f.get(t, f.reportURL(fragment))
		mustContain(t, "the tables read", body, "收到和处理政府信息公开申请情况", `id="cell-t3.new_received.total"`)
		if !edit {
			if strings.Contains(body, title) || strings.Contains(body, `id="cell-`+cell+`"`) {
				t.Errorf("read-only: table 四, which the fragment does not print, is drawn: %s", excerpt(body, title))
			}
			continue
		}
		mustContain(t, "the empty table drawn", body, title, `id="cell-`+cell+`" class="v absent"`)
		code, body := f.get(t, f.reportURL(fragment)+"&cell="+cell)
		if code != 200 {
			t.Fatalf("selecting a cell of the empty table: status %d", code)
		}
		mustContain(t, "its cell selected", body, `id="fill-note"`, `name="cell" value="`+cell+`"`)
	}
}
