package pdf

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"govreport"
	"govreport/extract/internal/geometry"
)

const corpus = "../../testdata/corpus"

var (
	cacheMu sync.Mutex
	cache   = map[string]*govreport.Extracted{}
)

func load(t testing.TB, name string) *govreport.Extracted {
	t.Helper()
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if x, ok := cache[name]; ok {
		return x
	}
	data, err := os.ReadFile(filepath.Join(corpus, name))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Extract(data, Options{})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	cache[name] = x
	return x
}

// printed returns the cells of a line that are not Spanned.
func printed(l govreport.Line) []string {
	var out []string
	for _, c := range l.Cells {
		if !c.Spanned {
			out = append(out, c.Text)
		}
	}
	return out
}

// row finds the table line with a printed cell starting with prefix (a
// row's label: a group label printed in the row's first cell comes before).
func row(t *testing.T, x *govreport.Extracted, prefix string) govreport.Line {
	t.Helper()
	for _, l := range x.Lines {
		for _, c := range printed(l) {
			if l.Table > 0 && strings.HasPrefix(c, prefix) {
				return l
			}
		}
	}
	t.Fatalf("no table line with a cell starting with %q", prefix)
	return govreport.Line{}
}

// wantCells compares the printed cells of a row from its label on (the
// first wanted cell) with want.
func wantCells(t *testing.T, l govreport.Line, want ...string) {
	t.Helper()
	got := printed(l)
	for i, c := range got {
		if c == want[0] {
			got = got[i:]
			break
		}
	}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("line %d (table %d row %d):\n got %q\nwant %q", l.Cells[0].Pos.Line, l.Table, l.Row, got, want)
	}
}

// Values read from the rendered pages (pdftoppm -r 80) of the real reports.

func TestHuaianTable3(t *testing.T) {
	x := load(t, "2024_huaian_szf_1.pdf")
	if x.Format != "pdf" || x.Pages != 6 {
		t.Fatalf("format %q pages %d", x.Format, x.Pages)
	}
	wantCells(t, row(t, x, "一、本年新收"), "一、本年新收政府信息公开申请数量", "3001", "53", "0", "0", "61", "4", "3119")
	wantCells(t, row(t, x, "二、上年结转"), "二、上年结转政府信息公开申请数量", "34", "0", "0", "0", "0", "0", "34")
	// Labels wrapped over two or three lines, numbers between the lines.
	wantCells(t, row(t, x, "（二）部分公开"), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "447", "7", "0", "0", "0", "0", "454")
	wantCells(t, row(t, x, "5.要求行政机关"), "5.要求行政机关确认或重新出具已获取信息", "1", "0", "0", "0", "0", "0", "1")
	wantCells(t, row(t, x, "1、申请人无正当理由"), "1、申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "67", "3", "0", "0", "1", "0", "71")
	wantCells(t, row(t, x, "2、申请人逾期未按"), "2、申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", "6", "0", "0", "0", "0", "0", "6")
	wantCells(t, row(t, x, "（七）总计"), "（七）总计", "2932", "53", "0", "0", "61", "4", "3050")
	wantCells(t, row(t, x, "四、结转下年度"), "四、结转下年度继续办理", "103", "0", "0", "0", "0", "0", "103")

	// One table across pages 4 and 5, the footer between its rows dropped.
	first, last := row(t, x, "一、本年新收"), row(t, x, "四、结转下年度")
	if first.Cells[0].Pos.Page != 4 || last.Cells[0].Pos.Page != 5 || first.Table != last.Table || first.Table == 0 {
		t.Errorf("table 三: first row page %d table %d, last row page %d table %d",
			first.Cells[0].Pos.Page, first.Table, last.Cells[0].Pos.Page, last.Table)
	}
	// Every line of the table between them is a data row ending in 7
	// numbers, after its label (and a group label printed in its first
	// row): no stray vertical-label or footer lines.
	num := regexp.MustCompile(`^\d+$`)
	rows := 0
	for _, l := range x.Lines {
		if l.Table != first.Table || l.Row < first.Row || l.Row > last.Row {
			continue
		}
		rows++
		p := printed(l)
		if len(p) < 8 || len(p) > 9 {
			t.Errorf("row %d: %d printed cells %q", l.Row, len(p), p)
			continue
		}
		for _, c := range p[len(p)-7:] {
			if !num.MatchString(c) {
				t.Errorf("row %d: non-numeric value %q", l.Row, c)
			}
		}
	}
	if rows != 25 {
		t.Errorf("table 三 has %d data rows, want 25", rows)
	}
	// Header: above the first row, a word for each column (spanned or
	// printed), as an HTML table's last header row.
	var hdr []string
	for _, c := range x.Lines[first.Cells[0].Pos.Line-2].Cells {
		hdr = append(hdr, c.Text)
	}
	if !strings.HasSuffix(strings.Join(hdr, "|"), "|自然人|商业企业|科研机构|社会公益组织|法律服务机构|其他|总计") {
		t.Errorf("header line before 一: %q", hdr)
	}
}

func TestHuaianGroupLabels(t *testing.T) {
	x := load(t, "2024_huaian_szf_1.pdf")
	l := row(t, x, "4.保护第三方合法权益")
	var spanned []string
	for _, c := range l.Cells {
		if c.Spanned {
			spanned = append(spanned, c.Text)
		}
	}
	if strings.Join(spanned, "|") != "三、本年度办理结果|（三）不予公开" {
		t.Errorf("group labels of 4.保护第三方合法权益: %q", spanned)
	}
	if l.Cells[len(spanned)].Spanned || !strings.HasPrefix(l.Cells[len(spanned)].Text, "4.") {
		t.Errorf("row label must follow the group labels: %+v", l.Cells)
	}
	// The vertical label's characters never make lines of their own.
	for _, l := range x.Lines {
		switch l.Text() {
		case "本", "年", "度", "办", "理", "结", "果", "三、", "（三）不", "予公开":
			t.Errorf("line %d is a fragment of a vertical label: %q", l.Cells[0].Pos.Line, l.Text())
		}
	}
}

func TestHuaianTable2And4(t *testing.T) {
	x := load(t, "2024_huaian_szf_1.pdf")
	wantCells(t, row(t, x, "规章"), "规章", "1", "0", "11")
	wantCells(t, row(t, x, "行政规范性文件"), "行政规范性文件", "8", "26", "66")
	wantCells(t, row(t, x, "行政许可"), "行政许可", "447228")
	wantCells(t, row(t, x, "行政处罚"), "行政处罚", "3985758")
	wantCells(t, row(t, x, "行政事业性收费"), "行政事业性收费", "96171.6")
	// Table 二 is one table across pages 3 and 4, its group headings
	// (第二十条第（六）项, left at the foot of page 3) inside it.
	a, b := row(t, x, "规章"), row(t, x, "行政事业性收费")
	if a.Table == 0 || a.Table != b.Table || a.Cells[0].Pos.Page != 3 || b.Cells[0].Pos.Page != 4 {
		t.Errorf("table 二: 规章 in table %d page %d, 行政事业性收费 in table %d page %d", a.Table, a.Cells[0].Pos.Page, b.Table, b.Cells[0].Pos.Page)
	}
	if g := row(t, x, "第二十条第（六）项"); g.Table != a.Table || len(printed(g)) != 1 {
		t.Errorf("group heading 第二十条第（六）项: table %d, printed cells %q", g.Table, printed(g))
	}
	if hdr := row(t, x, "信息内容"); strings.Join(printed(hdr), "|") != "信息内容|本年制发件数|本年废止件数|现行有效件数" {
		t.Errorf("table 二 header: %q", printed(hdr))
	}
	// Table 四: one line of fifteen numbers after its header.
	t4 := findCells(x, "72", "64", "178", "37", "351", "13", "4", "8", "1", "26", "12", "1", "1", "6", "20")
	if t4 == nil {
		t.Fatal("no line with the fifteen numbers of table 四")
	}
	// Above it, the header row naming each of its columns (spanned or
	// printed: 行政复议's columns share their header cells with the row
	// above, as in HTML).
	above := x.Lines[t4.Cells[0].Pos.Line-2]
	var hdr []string
	for _, c := range above.Cells {
		hdr = append(hdr, c.Text)
	}
	if strings.Join(hdr, "|") != strings.TrimSuffix(strings.Repeat("结果维持|结果纠正|其他结果|尚未审结|总计|", 3), "|") {
		t.Errorf("table 四 column header: %q", hdr)
	}
	if t4.Table == 0 || above.Table != t4.Table {
		t.Errorf("table 四 header and row not in one table")
	}
}

func findCells(x *govreport.Extracted, want ...string) *govreport.Line {
	for i, l := range x.Lines {
		if strings.Join(printed(l), "|") == strings.Join(want, "|") {
			return &x.Lines[i]
		}
	}
	return nil
}

var footer = regexp.MustCompile(`^[-—–－\s]*\d+[-—–－\s]*$`)

func TestSectionsAndFooters(t *testing.T) {
	headings := []string{"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"}
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2024_hongze_qzf_1.pdf"} {
		x := load(t, name)
		next := 0
		for _, l := range x.Lines {
			for _, c := range l.Cells {
				if footer.MatchString(c.Text) && strings.ContainsAny(c.Text, "-—–－") {
					t.Errorf("%s: page footer %q kept (line %d)", name, c.Text, c.Pos.Line)
				}
			}
			if next < len(headings) && l.Table == 0 && len(l.Cells) == 1 && l.Cells[0].Text == headings[next] {
				next++
			}
		}
		if next != len(headings) {
			t.Errorf("%s: headings found in order up to %d of 6; missing %q", name, next, headings[next])
		}
	}
}

func TestPositions(t *testing.T) {
	x := load(t, "2024_huaian_szf_1.pdf")
	for i, l := range x.Lines {
		for _, c := range l.Cells {
			if c.Pos.Line != i+1 || c.Pos.Page < 1 || c.Pos.Page > x.Pages || c.Pos.Y <= 0 || c.Pos.Y >= 842 || c.Pos.X <= 0 || c.Pos.X >= 595 {
				t.Fatalf("line %d cell %q: bad position %+v", i+1, c.Text, c.Pos)
			}
		}
		if l.Table > 0 && l.Row < 1 {
			t.Fatalf("line %d: table %d without a row index", i+1, l.Table)
		}
	}
	// The 3001 cell sits right of its label, on page 4, in the upper half.
	l := row(t, x, "一、本年新收")
	var c govreport.TextCell
	for _, o := range l.Cells {
		if !o.Spanned && o.Text == "3001" {
			c = o
		}
	}
	if c.Text != "3001" || c.Pos.Page != 4 || c.Pos.X <= l.Cells[0].Pos.X || c.Pos.Y < 400 || c.Pos.Y > 500 {
		t.Errorf("3001 at %+v", c.Pos)
	}
}

func TestHongze(t *testing.T) {
	x := load(t, "2024_hongze_qzf_1.pdf")
	wantCells(t, row(t, x, "一、本年新收"), "一、本年新收政府信息公开申请数量", "95", "0", "0", "0", "0", "0", "95")
	wantCells(t, row(t, x, "（二）部分公开"), "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", "9", "0", "0", "0", "0", "0", "9")
	wantCells(t, row(t, x, "1.本机关不掌握"), "1.本机关不掌握相关政府信息", "31", "0", "0", "0", "0", "0", "31")
	wantCells(t, row(t, x, "2.没有现成信息"), "2.没有现成信息需要另行制作", "1", "0", "0", "0", "0", "0", "1")
	if findCells(x, "1", "1", "0", "0", "2", "1", "0", "0", "0", "1", "2", "0", "1", "0", "3") == nil {
		t.Error("2024 table 四 row not found")
	}
	// The 2023 report draws 三、本年度办理结果 with a vertical font.
	x = load(t, "2023_hongze_qzf_1.pdf")
	wantCells(t, row(t, x, "（七）总计"), "（七）总计", "21", "0", "0", "0", "0", "0", "21")
	l := row(t, x, "4.保护第三方合法权益")
	if !l.Cells[0].Spanned || l.Cells[0].Text != "三、本年度办理结果" {
		t.Errorf("2023 vertical group label: %+v", l.Cells[0])
	}
	if findCells(x, "10", "1", "0", "0", "0", "0", "0", "0", "0", "0", "5", "0", "0", "0", "0") == nil {
		t.Error("2023 table 四 row not found")
	}
}

// The browser-printed PDF of 2023_pingtan_1.html holds the HTML's values.
func TestChromiumPrint(t *testing.T) {
	x := load(t, "2023_pingtan_1_chromium.pdf")
	wantCells(t, row(t, x, "一、本年新收"), "一、本年新收政府信息公开申请数量", "80", "1", "0", "0", "0", "0", "81")
	wantCells(t, row(t, x, "5.要求行政机关"), "5.要求行政机关确认或重新出具已获取信息", "0", "0", "0", "0", "0", "0", "0")
	wantCells(t, row(t, x, "1.申请人无正当理由"), "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", "1", "0", "0", "0", "0", "0", "1")
	wantCells(t, row(t, x, "（七）总计"), "（七）总计", "80", "1", "0", "0", "0", "0", "81")
	wantCells(t, row(t, x, "行政事业性收费"), "行政事业性收费", "5949.088667")
	if findCells(x, "1", "1", "0", "0", "2", "4", "0", "0", "1", "5", "1", "0", "1", "0", "2") == nil {
		t.Error("table 四 row not found")
	}
	a, b := row(t, x, "一、本年新收"), row(t, x, "四、结转下年度")
	if a.Table != b.Table || a.Cells[0].Pos.Page == b.Cells[0].Pos.Page {
		t.Errorf("table 三 should span pages with one id: %d/%d on pages %d/%d", a.Table, b.Table, a.Cells[0].Pos.Page, b.Cells[0].Pos.Page)
	}
	// The browser's running header and footer are dropped.
	for _, l := range x.Lines {
		if s := l.Text(); strings.Contains(s, "file://") || strings.Contains(s, "/8") && len(s) < 6 {
			t.Errorf("browser margin line kept: %q", s)
		}
	}
}

func TestMaxPages(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpus, "2024_huaian_szf_1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	x, err := Extract(data, Options{MaxPages: 2})
	if err != nil {
		t.Fatal(err)
	}
	if x.Pages != 6 || len(x.Warnings) == 0 {
		t.Errorf("pages %d warnings %q", x.Pages, x.Warnings)
	}
	for _, l := range x.Lines {
		if l.Cells[0].Pos.Page > 2 {
			t.Fatalf("line from page %d", l.Cells[0].Pos.Page)
		}
	}
}

func TestTimeout(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(corpus, "2024_huaian_szf_1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Extract(data, Options{Timeout: 1}); !errors.Is(err, errTimeout) {
		t.Errorf("1ns timeout: err = %v", err)
	}
}

// buildPDF assembles a PDF from object bodies (object i+1 = objs[i]),
// with a correct xref table; object 1 must be the catalog.
func buildPDF(objs []string, trailerExtra string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailerExtra, x)
	return b.Bytes()
}

func stream(s string, dict string) string {
	return fmt.Sprintf("<< /Length %d %s >>\nstream\n%s\nendstream", len(s), dict, s)
}

// onePage builds a one-page PDF drawing content with font F1 = font.
func onePage(content string, font string, extra ...string) []byte {
	objs := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream(content, ""),
		font,
	}
	return buildPDF(append(objs, extra...), "")
}

func hexOf(b []byte) string { return fmt.Sprintf("<%X>", b) }

func TestCMaps(t *testing.T) {
	// GBK-EUC-H: the shown bytes are GBK.
	gbk := []byte{0xB1, 0xBE, 0xC4, 0xEA, 0xD0, 0xC2, 0xCA, 0xD5} // 本年新收
	cid := "<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> >>"
	data := onePage("BT /F1 12 Tf 72 700 Td "+hexOf(gbk)+" Tj ET",
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /GBK-EUC-H /DescendantFonts [6 0 R] >>", cid)
	x, err := Extract(data, Options{})
	if err != nil || len(x.Lines) != 1 || x.Lines[0].Text() != "本年新收" {
		t.Errorf("GBK-EUC-H: %v %+v", err, x)
	}
	// UniGB-UCS2-H: UCS-2 big-endian.
	ucs := []byte{0x67, 0x2C, 0x5E, 0x74} // 本年
	data = onePage("BT /F1 12 Tf 72 700 Td "+hexOf(ucs)+" Tj ET",
		"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [6 0 R] >>", cid)
	x, err = Extract(data, Options{})
	if err != nil || len(x.Lines) != 1 || x.Lines[0].Text() != "本年" {
		t.Errorf("UniGB-UCS2-H: %v %+v", err, x)
	}
	// Identity-H without ToUnicode: glyph ids only, nothing to map.
	data = onePage("BT /F1 12 Tf 72 700 Td <0E8507F608C9> Tj ET",
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>")
	if _, err := Extract(data, Options{}); !errors.Is(err, govreport.ErrUndecodable) {
		t.Errorf("Identity-H without ToUnicode: err = %v", err)
	}
	// Kangxi radicals through a ToUnicode map come out NFKC-normalized.
	cmap := "/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def 1 begincodespacerange <0000> <FFFF> endcodespacerange 2 beginbfchar <0001> <2F00> <0002> <FF08> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
	data = onePage("BT /F1 12 Tf 72 700 Td <00010002> Tj ET",
		"<< /Type /Font /Subtype /Type0 /BaseFont /ABCDEF+SimSun /Encoding /Identity-H /DescendantFonts [6 0 R] /ToUnicode 7 0 R >>",
		"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /ABCDEF+SimSun /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> >>",
		stream(cmap, ""))
	x, err = Extract(data, Options{})
	if err != nil || len(x.Lines) != 1 || x.Lines[0].Text() != "一（" {
		t.Errorf("ToUnicode + NFKC: %v %+v", err, x)
	}
}

// Files viewers open though the library would not: junk before the
// header, a PDF 2.0 header, junk after %%EOF.
func TestTidy(t *testing.T) {
	good := onePage("BT /F1 12 Tf 72 700 Td (Annual report) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	v2 := append([]byte("%PDF-2.0"), good[8:]...)
	for name, data := range map[string][]byte{
		"junk before": append([]byte("HTTP junk\r\n"), good...),
		"PDF 2.0":     v2,
		"junk after":  append(append([]byte(nil), good...), bytes.Repeat([]byte("x"), 300)...),
	} {
		x, err := Extract(data, Options{})
		if err != nil || len(x.Lines) != 1 || x.Lines[0].Text() != "Annual report" {
			t.Errorf("%s: %v %+v", name, err, x)
		}
	}
}

func TestBadInputs(t *testing.T) {
	real, err := os.ReadFile(filepath.Join(corpus, "2023_hongze_qzf_1.pdf"))
	if err != nil {
		t.Fatal(err)
	}
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	cases := []struct {
		name string
		data []byte
		want error // nil: any error
	}{
		{"empty", nil, nil},
		{"random", []byte("\x8f\x01garbage that is not a PDF at all\x00\xff"), nil},
		{"truncated half", real[:len(real)/2], nil},
		{"header only", real[:1024], nil},
		{"scanned (no text)", onePage("q 100 0 0 100 72 600 cm 0 0 1 1 re f Q", helv), govreport.ErrNoText},
		{"encrypted", buildPDF([]string{"<< /Type /Catalog >>"},
			"/ID [(IIIIIIIIIIIIIIII)] /Encrypt << /Filter /Standard /V 1 /R 2 /Length 40 /O ("+strings.Repeat("O", 32)+") /U ("+strings.Repeat("U", 32)+") /P 0 >>"), govreport.ErrEncrypted},
		{"AES-256", buildPDF([]string{"<< /Type /Catalog >>"},
			"/ID [(IIIIIIIIIIIIIIII)] /Encrypt << /Filter /Standard /V 5 /R 6 /Length 256 /O ("+strings.Repeat("O", 48)+") /U ("+strings.Repeat("U", 48)+") /P 0 >>"), govreport.ErrEncrypted},
		// The library panics on filters it does not know.
		{"unknown filter", buildPDF([]string{
			"<< /Type /Catalog /Pages 2 0 R >>",
			"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
			"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
			stream("xxxx", "/Filter /LZWDecode"),
		}, ""), nil},
		{"page number only", onePage("BT /F1 12 Tf 290 30 Td (- 1 -) Tj ET", helv), govreport.ErrNoText},
		{"no pages", buildPDF([]string{"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>"}, ""), govreport.ErrNoText},
	}
	for _, c := range cases {
		x, err := Extract(c.data, Options{})
		if err == nil {
			t.Errorf("%s: no error, %d lines", c.name, len(x.Lines))
			continue
		}
		if c.want != nil && !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
		if govreport.StatusOf(err) == govreport.StatusOK {
			t.Errorf("%s: status ok for %v", c.name, err)
		}
	}
}

func FuzzExtract(f *testing.F) {
	data, err := os.ReadFile(filepath.Join(corpus, "2023_hongze_qzf_1.pdf"))
	if err != nil {
		f.Fatal(err)
	}
	for _, n := range []int{0, 16, 1000, len(data) / 3, len(data) / 2, len(data) - 100, len(data)} {
		f.Add(data[:n])
	}
	f.Add(onePage("BT /F1 12 Tf 72 700 Td (12 34) Tj ET", "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"))
	f.Fuzz(func(t *testing.T, b []byte) {
		// Extract must return (not panic, not hang); a result or an error.
		x, err := Extract(b, Options{MaxPages: 20, Timeout: 10e9})
		if err == nil && x == nil {
			t.Fatal("nil result without error")
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2024_hongze_qzf_1.pdf"} {
		data, err := os.ReadFile(filepath.Join(corpus, name))
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			pages := 0
			for b.Loop() {
				x, err := Extract(data, Options{})
				if err != nil {
					b.Fatal(err)
				}
				pages += x.Pages
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(pages), "ns/page")
			b.ReportMetric(float64(pages)/float64(b.N), "pages")
		})
	}
}

// Files encrypted by qpdf from a one-line PDF (testdata/).
func TestEncrypted(t *testing.T) {
	read := func(name string) []byte {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	x, err := Extract(read("rc4_empty_user_password.pdf"), Options{})
	if err != nil || len(x.Lines) != 1 || x.Lines[0].Text() != "Annual report 2024" {
		t.Errorf("RC4, empty user password: %v %+v", err, x)
	}
	if _, err := Extract(read("rc4_user_password.pdf"), Options{}); !errors.Is(err, govreport.ErrEncrypted) {
		t.Errorf("RC4, user password: err = %v", err)
	}
	// The library has no AES-256: refused even with an empty password.
	if _, err := Extract(read("aes256_empty_user_password.pdf"), Options{}); !errors.Is(err, govreport.ErrEncrypted) {
		t.Errorf("AES-256: err = %v", err)
	}
}

// A page with more text runs than the table search handles is read as
// plain lines.
func TestManyRuns(t *testing.T) {
	var b strings.Builder
	b.WriteString("BT /F1 6 Tf ")
	for i := 0; i < geometry.MaxTableRuns+100; i++ {
		fmt.Fprintf(&b, "1 0 0 1 %d %d Tm (%d) Tj ", 20+(i%40)*14, 800-(i/40)*7, i%10)
	}
	b.WriteString("ET")
	x, err := Extract(onePage(b.String(), "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Warnings) == 0 || len(x.Lines) == 0 {
		t.Errorf("warnings %q, %d lines", x.Warnings, len(x.Lines))
	}
	for _, l := range x.Lines {
		if l.Table != 0 {
			t.Fatal("table rebuilt on an oversized page")
		}
	}
}

// BenchmarkPdftotext runs `pdftotext -layout` (poppler) on the same files,
// for comparison with BenchmarkExtract; skipped where it is not installed.
func BenchmarkPdftotext(b *testing.B) {
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		b.Skip("pdftotext not installed")
	}
	for _, name := range []string{"2024_huaian_szf_1.pdf", "2023_hongze_qzf_1.pdf", "2024_hongze_qzf_1.pdf"} {
		path := filepath.Join(corpus, name)
		x := load(b, name)
		b.Run(name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				if out, err := exec.Command(bin, "-layout", path, "-").Output(); err != nil || len(out) == 0 {
					b.Fatal(err)
				}
				n++
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*x.Pages), "ns/page")
			b.ReportMetric(float64(x.Pages), "pages")
		})
	}
}

// The same two lines drawn in the default y-up space and, like the WPS
// files, under a flipping CTM with y growing down: same order, same Y.
func TestOrientation(t *testing.T) {
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	up := onePage("BT /F1 12 Tf 72 742 Td (first line) Tj 0 -100 Td (second line) Tj ET", helv)
	down := onePage("1 0 0 -1 0 842 cm BT /F1 12 Tf 1 0 0 -1 72 100 Tm (first line) Tj 1 0 0 -1 72 200 Tm (second line) Tj ET", helv)
	// A page shown turned (/Rotate 90), its text drawn turned back.
	rotated := buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R] /Count 1 /Rotate 90 >>",
		"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("BT /F1 12 Tf 0 1 -1 0 100 200 Tm (first line) Tj ET BT /F1 12 Tf 0 1 -1 0 200 200 Tm (second line) Tj ET", ""),
		helv,
	}, "")
	for name, data := range map[string][]byte{"y up": up, "y down": down, "rotate 90": rotated} {
		x, err := Extract(data, Options{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(x.Lines) != 2 || x.Lines[0].Text() != "first line" || x.Lines[1].Text() != "second line" {
			t.Fatalf("%s: lines %+v", name, x.Lines)
		}
		if y0, y1 := x.Lines[0].Cells[0].Pos.Y, x.Lines[1].Cells[0].Pos.Y; y0 != 100 || y1 != 200 {
			t.Errorf("%s: Y %v, %v; want 100, 200 from the top", name, y0, y1)
		}
	}
}

// Cells printed with no padding (browser tables) touch each other; the
// border drawn between them keeps them apart.
func TestRuleSplitsTouchingCells(t *testing.T) {
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	text := "BT /F1 12 Tf 1 0 0 1 20 700 Tm (label) Tj 1 0 0 1 101 700 Tm (12) Tj 1 0 0 1 113.5 700 Tm (3) Tj ET"
	x, err := Extract(onePage("0 0 0 rg 112.9 690 0.3 20 re f "+text, helv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 1 || strings.Join(printed(x.Lines[0]), "|") != "label|12|3" {
		t.Errorf("with a rule: %+v", x.Lines)
	}
	x, err = Extract(onePage(text, helv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Lines) != 1 || strings.Join(printed(x.Lines[0]), "|") != "label|123" {
		t.Errorf("without a rule: %+v", x.Lines)
	}
}

// A page the library panics on is skipped with a warning; the others are read.
func TestBadPageSkipped(t *testing.T) {
	data := buildPDF([]string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 /Resources << /Font << /F1 7 0 R >> >> /MediaBox [0 0 595 842] >>",
		"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
		"<< /Type /Page /Parent 2 0 R /Contents 6 0 R >>",
		stream("BT /F1 12 Tf 72 700 Td (first page) Tj ET", ""),
		stream("xxxx", "/Filter /LZWDecode"),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
	}, "")
	x, err := Extract(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if x.Pages != 2 || len(x.Lines) != 1 || x.Lines[0].Text() != "first page" || len(x.Warnings) != 1 || !strings.Contains(x.Warnings[0], "page 2") {
		t.Errorf("pages %d lines %+v warnings %q", x.Pages, x.Lines, x.Warnings)
	}
}

// A row-group label set as text turned a quarter (Word's vertical cell
// text) becomes the Spanned group cell of the rows beside it.
func TestRotatedGroupLabel(t *testing.T) {
	helv := "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
	x, err := Extract(onePage("BT /F1 12 Tf 0 1 -1 0 62 400 Tm (GROUP) Tj "+
		"1 0 0 1 100 428 Tm (alpha) Tj 1 0 0 1 200 428 Tm (1) Tj 1 0 0 1 250 428 Tm (2) Tj "+
		"1 0 0 1 100 408 Tm (beta) Tj 1 0 0 1 200 408 Tm (3) Tj 1 0 0 1 250 408 Tm (4) Tj ET", helv), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, l := range x.Lines {
		s := ""
		for _, c := range l.Cells {
			if c.Spanned {
				s += "[" + c.Text + "]"
			} else {
				s += "|" + c.Text
			}
		}
		got = append(got, s)
	}
	if strings.Join(got, " ") != "[GROUP]|alpha|1|2 [GROUP]|beta|3|4" {
		t.Errorf("lines %q", got)
	}
}

// The file's own dates (its document information dictionary) are carried
// in Meta, as printed: read here with pdfinfo's help off the files.
func TestFileDates(t *testing.T) {
	for _, c := range []struct{ file, modified, created string }{
		{"2024_huaian_szf_1.pdf", "2025-02-25T10:03:24", "2025-02-25T10:02:50"},       // D:20250225100324, D:20250225100250+08'00'
		{"2023_hongze_qzf_1.pdf", "2024-02-26T14:56:45", "2024-02-26T14:41:23"},       // an odd zone, +06'41', kept apart
		{"2023_pingtan_1_chromium.pdf", "2026-11-27T08:18:49", "2026-11-27T08:18:49"}, // the day it was printed
	} {
		x := load(t, c.file)
		if x.Meta["modified"] != c.modified || x.Meta["created"] != c.created {
			t.Errorf("%s: meta %v, want modified %s, created %s", c.file, x.Meta, c.modified, c.created)
		}
	}
}
