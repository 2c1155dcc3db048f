package ocr

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"govreport"
)

const scans = "../../testdata/scans"

// needOCR skips a test where the programs OCR needs are missing (.ci/run
// installs them).
func needOCR(t *testing.T) {
	t.Helper()
	if err := Available(); err != nil {
		t.Skipf("skipped: %v", err)
	}
}

func scanPage(t *testing.T, name string, n int) *scanned {
	t.Helper()
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		t.Skipf("skipped: pdftoppm not found (apt-get install poppler-utils)")
	}
	ctx := context.Background()
	file, err := filepath.Abs(filepath.Join(scans, name))
	if err != nil {
		t.Fatal(err)
	}
	sizes, _, err := pageSizes(ctx, file, n)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scan(ctx, file, n, sizes[n-1], Default)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestUnavailable(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	err := Available()
	if !errors.Is(err, ErrUnavailable) || !strings.Contains(err.Error(), Packages) || !strings.Contains(err.Error(), "tesseract") {
		t.Fatalf("Available() = %v, want ErrUnavailable naming %s and the missing program", err, Packages)
	}
	data, err := os.ReadFile(filepath.Join(scans, "2024_huaian_szf_1.pdf__scan150.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Extract(context.Background(), data, Options{}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Extract without tesseract: %v, want ErrUnavailable", err)
	}
}

// TestDeskew: testdata/scans/scan.sh turns the pages by 0.7°, -1.2°, 1.5°,
// -0.5°, 1.0°, -0.8° (page 1, 2, …); deskew finds each angle.
func TestDeskew(t *testing.T) {
	want := []float64{0.7, -1.2, 1.5, -0.5, 1.0, -0.8}
	for _, name := range []string{"2024_huaian_szf_1.pdf__scan300.pdf", "2024_huaian_szf_1.pdf__scan150.pdf"} {
		for n, a := range want {
			sc := scanPage(t, name, n+1)
			if d := sc.skewDeg - a; d > 0.1 || d < -0.1 {
				t.Errorf("%s page %d: skew %.2f°, turned by %.1f°", name, n+1, sc.skewDeg, a)
			}
		}
	}
}

// TestGrids checks the tables found on pages whose rules are counted by
// hand off the page images.
func TestGrids(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		page       int
		cols, rows []int // per table, top to bottom (0: not checked)
	}{
		// table 三's end (7 value columns, label, group and sub-group
		// columns) and table 四 (three blocks of five columns; three header
		// rows and the row of values)
		{"t3 end and t4", "2024_huaian_szf_1.pdf__scan300.pdf", 5, []int{10, 15}, []int{0, 4}},
		// table 二's end, cut at the top by the page break (its top rule is
		// missing over the label column), then table 三 cut at the bottom
		// (no rule under its last row)
		{"tables cut by page breaks", "2023_hongze_qzf_1.pdf__scan300.pdf", 3, []int{2, 10}, []int{6, 0}},
		{"the same at 150 dpi", "2023_hongze_qzf_1.pdf__scan150.pdf", 3, []int{2, 10}, []int{6, 0}},
		// a web page's navigation: underlined links, no table
		{"underlined links", "2023_pingtan_1_chromium.pdf__scan300.pdf", 1, nil, nil},
		// cells drawn apart (a browser's separate borders): one rule each,
		// fifteen rows. Not checked: the columns, as the two row-group
		// columns at the left, cut by the page breaks above and below
		// (no rule across them on this page), are not found.
		{"cells drawn apart", "2023_pingtan_1_chromium.pdf__scan150.pdf", 5, []int{0}, []int{15}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sc := scanPage(t, tc.file, tc.page)
			if len(sc.grids) != len(tc.cols) {
				t.Fatalf("%d tables, want %d", len(sc.grids), len(tc.cols))
			}
			for i, g := range sc.grids {
				if c := len(g.xs) - 1; tc.cols[i] > 0 && c != tc.cols[i] {
					t.Errorf("table %d: %d columns, want %d", i+1, c, tc.cols[i])
				}
				if r := len(g.ys) - 1; tc.rows[i] > 0 && r != tc.rows[i] {
					t.Errorf("table %d: %d rows, want %d", i+1, r, tc.rows[i])
				}
			}
		})
	}
}

// TestReadPage reads page 5 of the 300 dpi scan of 2024_huaian_szf_1.pdf:
// table 四's fifteen values as printed (testdata/golden/2024_huaian_szf_1.pdf.json).
func TestReadPage(t *testing.T) {
	needOCR(t)
	ctx := context.Background()
	file, _ := filepath.Abs(filepath.Join(scans, "2024_huaian_szf_1.pdf__scan300.pdf"))
	sizes, _, err := pageSizes(ctx, file, 5)
	if err != nil {
		t.Fatal(err)
	}
	pg, err := readPage(ctx, t.TempDir(), file, 5, sizes[4], Default)
	if err != nil {
		t.Fatal(err)
	}
	want := "72 64 178 37 351 13 4 8 1 26 12 1 1 6 20"
	var got []string
	for _, l := range assemble([]*page{pg}) {
		if l.Table == 0 {
			continue
		}
		var cells []string
		for _, c := range l.Cells {
			if c.OCR == nil {
				t.Fatalf("table cell %q without its OCR reading", c.Text)
			}
			if !c.Spanned {
				cells = append(cells, c.Text)
			}
		}
		got = append(got, strings.Join(cells, " "))
	}
	for _, g := range got {
		if g == want {
			return
		}
	}
	t.Errorf("no table row reads %q; rows:\n%s", want, strings.Join(got, "\n"))
}

// TestPageTimeout: past its time limit a page is given up (its programs
// killed), and a document with no page read has no text. A page given up
// is progress all the same (the scan is not stuck), reported for the pages
// asked for only.
func TestPageTimeout(t *testing.T) {
	needOCR(t)
	data, err := os.ReadFile(filepath.Join(scans, "2024_huaian_szf_1.pdf__scan150.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		pages []int
		want  string
	}{
		{nil, "[1 2 3 4 5 6]"}, // pdfinfo: 6 pages
		{[]int{2, 4}, "[2 4]"},
	} {
		var done []int
		_, err = Extract(context.Background(), data, Options{Pages: c.pages, PageTimeout: time.Millisecond, Progress: func(p int) { done = append(done, p) }})
		if !errors.Is(err, govreport.ErrNoText) || !strings.Contains(err.Error(), "timed out") {
			t.Fatalf("Extract with a 1ms page limit: %v, want no text and a page timed out", err)
		}
		if fmt.Sprint(done) != c.want {
			t.Errorf("pages %v: progress reported for pages %v, want %s", c.pages, done, c.want)
		}
	}
}

// TestProgress: a real scan reports one progress per page, in order (a
// long scan's parse is bounded by them).
func TestProgress(t *testing.T) {
	needOCR(t)
	data, err := os.ReadFile(filepath.Join(scans, "2024_hongze_qzf_1.pdf__scan150.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	var done []int
	x, err := Extract(context.Background(), data, Options{Progress: func(p int) { done = append(done, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(done) != "[1 2 3 4 5]" || len(x.Lines) == 0 { // pdfinfo: 5 pages
		t.Errorf("progress reported for pages %v (%d lines read), want each of the 5 pages", done, len(x.Lines))
	}
}

func TestVote(t *testing.T) {
	r := func(s string, c float64) reading { return reading{text: s, conf: c} }
	for _, tc := range []struct {
		name string
		in   []reading
		text string
		conf float64
		alts []string
	}{
		{"agree", []reading{r("56", 90), r("56", 95)}, "56", 95, nil},
		{"one read nothing", []reading{r("", 0), r("1", 45)}, "1", 45, nil},
		{"differ, both sure", []reading{r("56", 96), r("6", 97)}, "6", 40, []string{"56"}},
		{"nothing read", []reading{r("", 0), r("", 0)}, "", 0, nil},
		{"a point at the end", []reading{r("7730.28", 96), r("7730.28.", 52)}, "7730.28", 96, nil},
		{"two against a sure one", []reading{r("1", 54), r("1", 47), r("4", 96)}, "1", 40, []string{"4"}},
		{"one against a sure one", []reading{r("", 0), r("1", 69), r("4", 96)}, "4", 40, []string{"1"}},
	} {
		got := vote(40, tc.in...)
		if got.text != tc.text || got.conf != tc.conf || strings.Join(got.alts, ",") != strings.Join(tc.alts, ",") {
			t.Errorf("%s: %+v, want %q conf %v alts %v", tc.name, got, tc.text, tc.conf, tc.alts)
		}
	}
}

func TestNumberLike(t *testing.T) {
	for s, want := range map[string]bool{"3119": true, "96171.6": true, "1,362": true, "]": true, "2O": true,
		"": false, "其他": false, "了": false, "3 天": false, "-": false} {
		if numberLike(s) != want {
			t.Errorf("numberLike(%q) = %v", s, !want)
		}
	}
}

func TestAlike(t *testing.T) {
	a := []rune(marginKey("file:///work/main/testdata/corpus/2023_pingtan_1.html 3/8"))
	b := []rune(marginKey("file:/W/work/main/testdata/corpus/2023_pingtan_1.html 5/8"))
	c := []rune(marginKey("三、收到和处理政府信息公开申请情况"))
	if !alike(a, b) || alike(a, c) {
		t.Errorf("alike: footer read twice %v, footer and heading %v", alike(a, b), alike(a, c))
	}
}

// TestStrips: crops set on strips come back each with the words over it,
// a word over two crops leaving both unread.
func TestStrips(t *testing.T) {
	crop := func(w, h int) *image.Gray { return image.NewGray(image.Rect(0, 0, w, h)) }
	sts := strips([]*image.Gray{crop(40, 20), crop(30, 20), crop(50, 22)}, 2, 2)
	if len(sts) != 2 || len(sts[0].crops) != 2 || sts[0].gap != 40 {
		t.Fatalf("strips: %d strips, first of %d crops, gap %d", len(sts), len(sts[0].crops), sts[0].gap)
	}
	s0 := sts[0].spans
	ws := []word{
		{img: 1, x0: s0[0][0] + 2, x1: s0[0][1] - 2, conf: 90, text: "12"},
		{img: 1, x0: s0[1][0] + 1, x1: s0[1][1], conf: 80, text: "7"},
		{img: 2, x0: 0, x1: sts[1].img.Bounds().Dx(), conf: 99, text: "300"},
	}
	got := stripTexts(ws, sts, 3)
	if got[0].text != "12" || got[1].text != "7" || got[1].conf != 80 || got[2].text != "300" {
		t.Errorf("stripTexts: %+v", got)
	}
	ws[0].x1 = s0[1][0] + 5 // now over both crops
	got = stripTexts(ws, sts, 3)
	if got[0].text != "" || got[1].text != "" {
		t.Errorf("a word over two crops: %+v", got)
	}
}

func TestPGM(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	copy(img.Pix, []byte{0, 128, 255, 1, 2, 3})
	path := filepath.Join(t.TempDir(), "a.pgm")
	if err := writeFile(path, img); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := readPGM(bufio.NewReader(f))
	if err != nil || got.Bounds() != img.Bounds() || string(got.Pix) != string(img.Pix) {
		t.Fatalf("readPGM: %v %v %v", err, got.Bounds(), got.Pix)
	}
}
