package extract

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"govreport"
	"govreport/extract/ocr"
)

const (
	corpus    = "../testdata/corpus/"
	forms     = "../testdata/forms/"
	encrypted = "testdata/encrypted/"
)

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Format goes by content: the name decides only between formats the
// content cannot tell apart (.doc and .wps; an encrypted .docx or .xlsx).
func TestFormat(t *testing.T) {
	var otherZip bytes.Buffer
	zw := zip.NewWriter(&otherZip)
	zw.Create("report.txt")
	zw.Close()
	var odp bytes.Buffer
	zw = zip.NewWriter(&odp)
	w, _ := zw.Create("mimetype")
	w.Write([]byte("application/vnd.oasis.opendocument.presentation"))
	zw.Close()
	for _, tc := range []struct {
		file, name, want string
	}{
		{corpus + "template_blank_guoban2021_1.docx", "a.docx", "docx"},
		{corpus + "template_blank_guoban2021_1.docx", "a.xlsx", "docx"},
		{corpus + "template_blank_guoban2021_1.docx", "a.doc", "docx"},
		{forms + "2023_pingtan_1.html__tables.xlsx", "a.xlsx", "xlsx"},
		{forms + "2023_pingtan_1.html__tables.xlsx", "a.docx", "xlsx"},
		{forms + "2023_pingtan_1.html__soffice.doc", "a.doc", "doc"},
		{forms + "2023_pingtan_1.html__soffice.doc", "a.wps", "wps"},
		{forms + "2023_pingtan_1.html__soffice.doc", "a.docx", "doc"},
		{forms + "2023_pingtan_1.html__tables.xls", "a.xls", "xls"},
		{forms + "2023_pingtan_1.html__tables.xls", "a.doc", "xls"},
		{corpus + "2023_pingtan_1.html", "a.docx", "html"},
		{corpus + "2023_pingtan_1.html", "a.doc", "html"},
		{forms + "template_blank_guoban2021_1.docx__soffice.rtf", "a.docx", "rtf"},
		{forms + "template_blank_guoban2021_1.docx__soffice.rtf", "a.doc", "rtf"},
		{encrypted + "template_blank_guoban2021_1_password.docx", "a.docx", "docx"},
		{encrypted + "2023_pingtan_1_tables_password.xlsx", "a.xlsx", "xlsx"},
		{encrypted + "template_blank_guoban2021_1_password.doc", "a.doc", "doc"},
		{encrypted + "2023_pingtan_1_tables_password.xls", "a.xls", "xls"},
		{"", "a.zip", "zip"},
		{"", "a.docx", "docx"},
		{forms + "2023_pingtan_1.html__mhtml.doc", "a.doc", "mhtml"},
		{forms + "2023_pingtan_1.html__mhtml.doc", "a.mht", "mhtml"},
		{forms + "2023_pingtan_1.html__mhtml.doc", "a.wps", "mhtml"},
		{forms + "2023_pingtan_1.html__soffice_wordml.doc", "a.doc", "wordml"},
		{forms + "2023_pingtan_1.html__soffice_wordml.doc", "a.xml", "wordml"},
		{forms + "2023_pingtan_1.html__soffice.odt", "a.odt", "odt"},
		{forms + "2023_pingtan_1.html__soffice.odt", "a.doc", "odt"},
		{forms + "2023_pingtan_1.html__tables.ods", "a.ods", "ods"},
		{forms + "2023_pingtan_1.html__tables.ods", "a.xls", "ods"},
		{forms + "2023_pingtan_1.html__tables.et", "a.et", "et"},
		{forms + "2023_pingtan_1.html__tables.et", "a.xls", "xls"},
		{"", "a.odp", "odf"},
	} {
		data := otherZip.Bytes()
		if tc.name == "a.odp" {
			data = odp.Bytes()
		}
		if tc.file != "" {
			data = mustRead(t, tc.file)
		}
		if got := Format(tc.name, data, ""); got != tc.want {
			t.Errorf("%s named %s: %s, want %s", tc.file, tc.name, got, tc.want)
		}
	}
}

func TestEncrypted(t *testing.T) {
	for _, f := range []string{"template_blank_guoban2021_1_password.docx", "2023_pingtan_1_tables_password.xlsx", "template_blank_guoban2021_1_password.doc", "2023_pingtan_1_tables_password.xls"} {
		_, err := Bytes(f, mustRead(t, encrypted+f), Options{})
		if !errors.Is(err, govreport.ErrEncrypted) || !strings.Contains(err.Error(), "protected by a password") {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestWithoutLibreOffice(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct{ file, name, format, pkg string }{
		{forms + "2023_pingtan_1.html__soffice.doc", "a.doc", "doc", "libreoffice-writer-nogui"},
		{forms + "2023_pingtan_1.html__soffice.doc", "a.wps", "wps", "libreoffice-writer-nogui"},
		{forms + "template_blank_guoban2021_1.docx__soffice.rtf", "a.docx", "rtf", "libreoffice-writer-nogui"},
		{forms + "2023_pingtan_1.html__tables.xls", "a.xls", "xls", "libreoffice-calc-nogui"},
		{forms + "2023_pingtan_1.html__soffice.odt", "a.odt", "odt", "libreoffice-writer-nogui"},
		{forms + "2023_pingtan_1.html__tables.ods", "a.ods", "ods", "libreoffice-calc-nogui"},
		{forms + "2023_pingtan_1.html__tables.et", "a.et", "et", "libreoffice-calc-nogui"},
	} {
		x, err := Bytes(tc.name, mustRead(t, tc.file), Options{})
		if !errors.Is(err, govreport.ErrUnsupported) || govreport.StatusOf(err) != govreport.StatusUnsupported || !strings.Contains(err.Error(), tc.pkg) {
			t.Errorf("%s as %s: %v", tc.file, tc.name, err)
		}
		if x == nil || x.Format != tc.format {
			t.Errorf("%s as %s: extracted %+v, want format %s", tc.file, tc.name, x, tc.format)
		}
	}
}

func TestDamagedOLE2(t *testing.T) {
	_, err := Bytes("a.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1garbage"), Options{})
	if err == nil || !strings.Contains(err.Error(), "doc: a damaged OLE2 file") {
		t.Errorf("%v", err)
	}
}

// A web page saved as one file (MHTML) or a Word 2003 XML document under
// a .doc name reads without LibreOffice, as what it is, noting the name.
func TestSavedAsDoc(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	for _, tc := range []struct{ file, name, format, savedAs string }{
		{forms + "2023_pingtan_1.html__mhtml.doc", "report.doc", "mhtml", "doc"},
		{forms + "2023_pingtan_1.html__mhtml.doc", "report.mht", "mhtml", ""},
		{forms + "2023_pingtan_1.html__soffice_wordml.doc", "report.doc", "wordml", "doc"},
		{forms + "2023_pingtan_1.html__soffice_wordml.doc", "report.xml", "wordml", ""},
	} {
		x, err := Bytes(tc.name, mustRead(t, tc.file), Options{})
		if err != nil {
			t.Errorf("%s as %s: %v", tc.file, tc.name, err)
			continue
		}
		if x.Format != tc.format || x.Meta["saved_as"] != tc.savedAs || x.Meta["converted"] != "" || !hasCell(x, "5949.088667") {
			t.Errorf("%s as %s: format %s, meta %v", tc.file, tc.name, x.Format, x.Meta)
		}
	}
}

// A .docx that is really the HTML page reads as the page.
func TestHTMLNamedDocx(t *testing.T) {
	x, err := Bytes("report.docx", mustRead(t, corpus+"2023_pingtan_1.html"), Options{})
	if err != nil || x.Format != "html" || !hasCell(x, "5949.088667") {
		t.Errorf("format %v, err %v", x, err)
	}
}

func hasCell(x *govreport.Extracted, text string) bool {
	for _, l := range x.Lines {
		for _, c := range l.Cells {
			if l.Table > 0 && c.Text == text {
				return true
			}
		}
	}
	return false
}

func needSoffice(t *testing.T) {
	if _, err := exec.LookPath("soffice"); err != nil {
		t.Skip("LibreOffice (soffice) is not installed: Debian packages libreoffice-writer-nogui, libreoffice-calc-nogui")
	}
}

// Through LibreOffice, each form keeps its format and records the
// conversion; its table reads as the page's.
func TestConverted(t *testing.T) {
	needSoffice(t)
	// (the .doc, .xls and .rtf forms under their own names are read in
	// normalize's TestAccuracy)
	for _, tc := range []struct{ file, name, format, cell string }{
		{forms + "2023_pingtan_1.html__soffice.doc", "report.wps", "wps", "5949.088667"},
		{forms + "template_blank_guoban2021_1.docx__soffice.rtf", "template.docx", "rtf", "复议后起诉"},
		{forms + "2023_pingtan_1.html__soffice.odt", "report.doc", "odt", "5949.088667"},
		{forms + "2023_pingtan_1.html__tables.ods", "report.ods", "ods", "5949.088667"},
		{forms + "2023_pingtan_1.html__tables.et", "report.et", "et", "5949.088667"},
	} {
		x, err := Bytes(tc.name, mustRead(t, tc.file), Options{})
		if err != nil {
			t.Errorf("%s as %s: %v", tc.file, tc.name, err)
			continue
		}
		if x.Format != tc.format || !strings.HasSuffix(x.Meta["converted"], "by LibreOffice") || !hasCell(x, tc.cell) {
			t.Errorf("%s as %s: format %s, meta %v, cell %q found %v", tc.file, tc.name, x.Format, x.Meta, tc.cell, hasCell(x, tc.cell))
		}
	}
}

const scan = "../testdata/scans/2024_huaian_szf_1.pdf__scan150.pdf"

// TestScanWithoutOCR: where Tesseract is missing, a scanned PDF stays
// no_text, its error naming the packages to install.
func TestScanWithoutOCR(t *testing.T) {
	data, err := os.ReadFile(scan)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("PATH", t.TempDir())
	_, err = Bytes(scan, data, Options{})
	if govreport.StatusOf(err) != govreport.StatusNoText || !strings.Contains(err.Error(), ocr.Packages) {
		t.Fatalf("a scan without tesseract: %v (status %s), want no_text naming %s", err, govreport.StatusOf(err), ocr.Packages)
	}
}

// TestScanNoOCR: Options.NoOCR leaves a scan unread.
func TestScanNoOCR(t *testing.T) {
	data, err := os.ReadFile(scan)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Bytes(scan, data, Options{NoOCR: true}); !errors.Is(err, govreport.ErrNoText) || strings.Contains(err.Error(), "OCR") {
		t.Fatalf("NoOCR: %v, want the PDF reader's no text", err)
	}
}

// TestScanOCR: with Tesseract installed a scan is read (its first three
// pages: table 二 starts on page 3), every cell carrying its OCR reading,
// each page reported to Options.Progress.
func TestScanOCR(t *testing.T) {
	if err := ocr.Available(); err != nil {
		t.Skipf("skipped: %v", err)
	}
	data, err := os.ReadFile(scan)
	if err != nil {
		t.Fatal(err)
	}
	var done []int
	x, err := Bytes(scan, data, Options{MaxPages: 3, Progress: func(p int) { done = append(done, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(done) != "[1 2 3]" {
		t.Errorf("progress reported for pages %v, want [1 2 3]", done)
	}
	tables := 0
	for _, l := range x.Lines {
		for _, c := range l.Cells {
			if c.OCR == nil {
				t.Fatalf("line %q: a cell without its OCR reading", l.Text())
			}
		}
		if l.Table > 0 {
			tables++
		}
	}
	if x.Format != "pdf" || x.Pages != 6 || tables == 0 {
		t.Errorf("format %s, %d pages, %d table lines", x.Format, x.Pages, tables)
	}
}

// TestMixedPDF: a PDF whose last page is a scan
// (testdata/mixed/2024_hongze_qzf_1_scanned_page4.pdf: pages 1–3 of
// 2024_hongze_qzf_1.pdf, then page 4 of its 150 dpi scan) is read whole:
// the scanned page by OCR (the one page reported to Options.Progress), its
// lines after the others, table 四's values as printed (testdata/golden/2024_hongze_qzf_1.pdf.json).
func TestMixedPDF(t *testing.T) {
	const file = "testdata/mixed/2024_hongze_qzf_1_scanned_page4.pdf"
	data := mustRead(t, file)
	if x, err := Bytes(file, data, Options{NoOCR: true}); err != nil || fmt.Sprint(x.NoTextPages) != "[4]" {
		t.Fatalf("the PDF reader: %v, pages without text %v, want [4]", err, x.NoTextPages)
	}
	t.Run("without OCR", func(t *testing.T) {
		t.Setenv("PATH", t.TempDir())
		x, err := Bytes(file, data, Options{})
		if err != nil || !strings.Contains(strings.Join(x.Warnings, "\n"), "no text layer on page(s) 4: OCR unavailable: install "+ocr.Packages) {
			t.Errorf("%v, warnings %q: want the page and the packages to install", err, x.Warnings)
		}
	})
	if err := ocr.Available(); err != nil {
		t.Skipf("skipped: %v", err)
	}
	var done []int
	x, err := Bytes(file, data, Options{Progress: func(p int) { done = append(done, p) }})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(done) != "[4]" {
		t.Errorf("progress reported for pages %v, want [4], the one page read by OCR", done)
	}
	last, t4 := 0, false
	for i, l := range x.Lines {
		p := l.Cells[0].Pos.Page
		if p < last || l.Cells[0].Pos.Line != i+1 {
			t.Fatalf("line %d (page %d, Line %d) out of order", i+1, p, l.Cells[0].Pos.Line)
		}
		last = p
		if (p == 4) != (l.Cells[0].OCR != nil) {
			t.Fatalf("line %d on page %d: OCR reading %v", i+1, p, l.Cells[0].OCR)
		}
		var vals []string
		for _, c := range l.Cells {
			if !c.Spanned {
				vals = append(vals, c.Text)
			}
		}
		t4 = t4 || p == 4 && strings.Join(vals, " ") == "1 1 0 0 2 1 0 0 0 1 2 0 1 0 3"
	}
	if !t4 {
		t.Error("no line on page 4 prints table 四's values")
	}
}
