package docx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"govreport"
	"govreport/extract/internal/ooxml"
)

const testdata = "../../testdata"

// checkPos asserts the positions every Extracted carries: Pos.Line is the
// line's index; a table cell's Row and Col are its grid position and Table
// its line's table.
func checkPos(t *testing.T, x *govreport.Extracted) {
	t.Helper()
	for i, l := range x.Lines {
		for j, c := range l.Cells {
			if c.Pos.Line != i+1 {
				t.Fatalf("line %d cell %d: Pos.Line %d", i+1, j, c.Pos.Line)
			}
			if l.Table > 0 && (c.Pos.Table != l.Table || c.Pos.Row != l.Row || c.Pos.Col != j+1) {
				t.Fatalf("line %d (t%d r%d) cell %d: Pos %+v", i+1, l.Table, l.Row, j, c.Pos)
			}
		}
	}
}

func read(t *testing.T, path string) *govreport.Extracted {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	x, err := Extract(b)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	checkPos(t, x)
	return x
}

// texts renders a line as its cells' texts, spanned copies marked ~.
func texts(l govreport.Line) string {
	var s []string
	for _, c := range l.Cells {
		if c.Spanned {
			s = append(s, "~"+c.Text)
		} else {
			s = append(s, c.Text)
		}
	}
	return strings.Join(s, "|")
}

func tableRows(x *govreport.Extracted, table int) []govreport.Line {
	var out []govreport.Line
	for _, l := range x.Lines {
		if l.Table == table {
			out = append(out, l)
		}
	}
	return out
}

// The blank 2021 template as published (made in WPS Office): headings as
// text, tables 二, 三, 四 with merged cells across rows and columns.
func TestTemplate(t *testing.T) {
	x := read(t, testdata+"/corpus/template_blank_guoban2021_1.docx")
	var paras []string
	for _, l := range x.Lines {
		if l.Table == 0 {
			paras = append(paras, l.Cells[0].Text)
		}
	}
	want := []string{"政府信息公开工作年度报告格式模板", "一、总体情况", "(文字描述)", "二、主动公开政府信息情况",
		"三、收到和处理政府信息公开申请情况", "四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况",
		"(文字描述)", "六、其他需要报告的事项", "(文字描述,收取信息处理费情况在此处报告。)"}
	if strings.Join(paras, "\n") != strings.Join(want, "\n") {
		t.Errorf("paragraphs:\n%s\nwant\n%s", strings.Join(paras, "\n"), strings.Join(want, "\n"))
	}
	// table 四: 行政复议 spans five columns (w:gridSpan), 结果维持 two rows (w:vMerge)
	t4 := tableRows(x, 3)
	if len(t4) != 4 {
		t.Fatalf("table 3: %d rows", len(t4))
	}
	for i, want := range []string{
		"行政复议|~行政复议|~行政复议|~行政复议|~行政复议|行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼|~行政诉讼",
		"结果维持|结果纠正|其他结果|尚未审结|总计|未经复议直接起诉|~未经复议直接起诉|~未经复议直接起诉|~未经复议直接起诉|~未经复议直接起诉|复议后起诉|~复议后起诉|~复议后起诉|~复议后起诉|~复议后起诉",
		"~结果维持|~结果纠正|~其他结果|~尚未审结|~总计|结果维持|结果纠正|其他结果|尚未审结|总计|结果维持|结果纠正|其他结果|尚未审结|总计",
		"||||||||||||||",
	} {
		if got := texts(t4[i]); got != want {
			t.Errorf("table 3 row %d:\n got %s\nwant %s", i+1, got, want)
		}
	}
	// a spanned copy carries its origin's paragraph; every cell its own grid place
	if c, o := t4[2].Cells[0], t4[1].Cells[0]; c.Pos.Para != o.Pos.Para || c.Pos.Row != 3 || o.Pos.Row != 2 || c.Pos.Para == 0 {
		t.Errorf("vMerge copy %+v, origin %+v", c.Pos, o.Pos)
	}
	if x.Meta["created"] != "2025-12-03T06:30:00Z" || x.Meta["modified"] != "2025-12-08T22:17:24Z" || x.Meta["doc_title"] != "" {
		t.Errorf("meta %v", x.Meta)
	}
}

// The 2023 Pingtan page saved as .docx by LibreOffice: the page chrome comes
// along; the statistics table reads as the HTML table does.
func TestPageSavedByWriter(t *testing.T) {
	x := read(t, testdata+"/forms/2023_pingtan_1.html__soffice.docx")
	found := false
	for _, l := range x.Lines {
		if l.Table > 0 && texts(l) == "行政事业性收费|5949.088667|~5949.088667|~5949.088667" {
			found = true
		}
	}
	if !found {
		t.Error("t2 row 行政事业性收费 | 5949.088667 (colspan 3) not found")
	}
	if x.Meta["doc_title"] != "平潭综合实验区2023年度政府信息公开工作年度报告_政府信息公开年报_平潭综合实验区党工委管委会" {
		t.Errorf("doc_title %q", x.Meta["doc_title"])
	}
}

// build makes a .docx whose body is body (WordprocessingML), with optional
// extra parts (name → content).
func build(t testing.TB, body string, parts map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	add := func(name, content string) {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	add("[Content_Types].xml", `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)
	add("word/document.xml", `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" xmlns:v="urn:schemas-microsoft-com:vml"><w:body>`+body+`</w:body></w:document>`)
	for name, content := range parts {
		add(name, content)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func p(runs string) string         { return "<w:p>" + runs + "</w:p>" }
func r(text string) string         { return `<w:r><w:t xml:space="preserve">` + text + "</w:t></w:r>" }
func tc(props, body string) string { return "<w:tc><w:tcPr>" + props + "</w:tcPr>" + body + "</w:tc>" }

const testNumbering = `<?xml version="1.0"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:abstractNum w:abstractNumId="0">
 <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/><w:suff w:val="nothing"/></w:lvl>
 <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
 <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl></w:abstractNum>
<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>
<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>
<w:num w:numId="3"><w:abstractNumId w:val="0"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="5"/></w:lvlOverride></w:num>
</w:numbering>`

const testStyles = `<?xml version="1.0"?><w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:styleId="H1"><w:name w:val="heading 1"/><w:pPr><w:numPr><w:numId w:val="1"/></w:numPr></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="H1b"><w:basedOn w:val="H1"/></w:style>
</w:styles>`

func num(id, lvl int) string {
	return fmt.Sprintf(`<w:pPr><w:numPr><w:ilvl w:val="%d"/><w:numId w:val="%d"/></w:numPr></w:pPr>`, lvl, id)
}

func lines(x *govreport.Extracted) []string {
	var out []string
	for _, l := range x.Lines {
		s := texts(l)
		if l.Table > 0 {
			s = fmt.Sprintf("t%d r%d: %s", l.Table, l.Row, s)
		}
		out = append(out, s)
	}
	return out
}

func TestQuirks(t *testing.T) {
	parts := map[string]string{"word/numbering.xml": testNumbering, "word/styles.xml": testStyles}
	for _, tc := range []struct {
		name, body string
		want       []string
	}{
		{"runs joined, whitespace between CJK dropped", p(r("本年新 ") + r(" 制作") + r("数量") + r(" 2 ") + r("1")), []string{"本年新制作数量 2 1"}},
		{"full-width digits and brackets folded", p(r("（一）予以公开 １２")), []string{"(一)予以公开 12"}},
		{"insertions kept, deletions dropped", p(r("结转") + `<w:ins w:id="1"><w:r><w:t>下年度</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>上年</w:delText></w:r></w:del>` + r("继续办理")), []string{"结转下年度继续办理"}},
		{"moved text read where it went", p(`<w:moveFrom><w:r><w:t>甲</w:t></w:r></w:moveFrom>` + r("乙") + `<w:moveTo><w:r><w:t>甲</w:t></w:r></w:moveTo>`), []string{"乙甲"}},
		{"simple field as its result", p(r("共") + `<w:fldSimple w:instr=" NUMPAGES "><w:r><w:t>6</w:t></w:r></w:fldSimple>` + r("页")), []string{"共6页"}},
		{"complex field: instruction dropped, result kept", p(r("第") + `<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> PAGE </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r>` + r("3") + `<w:r><w:fldChar w:fldCharType="end"/></w:r>` + r("页")), []string{"第3页"}},
		{"hyperlink as its text", p(`<w:hyperlink w:anchor="x"><w:r><w:t>政府信息公开</w:t></w:r></w:hyperlink>`), []string{"政府信息公开"}},
		{"footnote mark dropped", p(r("22") + `<w:r><w:footnoteReference w:id="1"/></w:r>`), []string{"22"}},
		{"hidden text dropped", p(r("可见") + `<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>` + `<w:r><w:rPr><w:vanish w:val="false"/></w:rPr><w:t>也可见</w:t></w:r>`), []string{"可见也可见"}},
		{"line break in a paragraph starts a line", p(r("一、总体情况") + `<w:r><w:br/></w:r>` + r("2023年")), []string{"一、总体情况", "2023年"}},
		{"tab is a space", p(r("规章") + `<w:r><w:tab/></w:r>` + r("0")), []string{"规章 0"}},
		{"empty paragraphs give no line", p("") + p(r("  ")) + p(r("x")), []string{"x"}},
		{"numbering rendered", p(num(1, 0)+r("总体情况")) + p(num(1, 1)+r("主动公开")) + p(num(1, 2)+r("规章")) + p(num(1, 2)+r("规范性文件")) + p(num(1, 1)+r("依申请公开")) + p(num(1, 2)+r("新收")) + p(num(1, 0)+r("主动公开政府信息情况")),
			[]string{"一、总体情况", "(一)主动公开", "1.规章", "2.规范性文件", "(二)依申请公开", "1.新收", "二、主动公开政府信息情况"}},
		{"numbering from the style and its base", p(`<w:pPr><w:pStyle w:val="H1"/></w:pPr>`+r("甲")) + p(`<w:pPr><w:pStyle w:val="H1b"/></w:pPr>`+r("乙")), []string{"一、甲", "二、乙"}},
		{"bullets print nothing", p(num(2, 0) + r("首页")), []string{"首页"}},
		{"start override", p(num(3, 0) + r("其他需要报告的事项")), []string{"五、其他需要报告的事项"}},
		{"numId 0 ends a style's list", p(`<w:pPr><w:pStyle w:val="H1"/><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr>` + r("无编号")), []string{"无编号"}},
		{"text box read before its paragraph, fallback once", p(r("正文") + `<mc:AlternateContent><mc:Choice Requires="wps"><w:r><w:drawing><wps:txbx><w:txbxContent>` + p(r("文本框")) + `</w:txbxContent></wps:txbx></w:drawing></w:r></mc:Choice><mc:Fallback><w:r><w:pict><v:textbox><w:txbxContent>` + p(r("文本框")) + `</w:txbxContent></v:textbox></w:pict></w:r></mc:Fallback></mc:AlternateContent>`),
			[]string{"文本框", "正文"}},
		{"content controls read", `<w:sdt><w:sdtPr><w:alias w:val="标题"/></w:sdtPr><w:sdtContent>` + p(r("年度报告")) + `</w:sdtContent></w:sdt>`, []string{"年度报告"}},
		{"grid: gridSpan, vMerge restart/continue, gridBefore",
			"<w:tbl><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>" +
				"<w:tr>" + tc(`<w:gridSpan w:val="2"/>`, p(r("申请人情况"))) + tc(`<w:vMerge w:val="restart"/>`, p(r("总计"))) + "</w:tr>" +
				"<w:tr>" + tc("", p(r("自然人"))) + tc("", p(r("商业企业"))) + tc("<w:vMerge/>", p("")) + "</w:tr>" +
				`<w:tr><w:trPr><w:gridBefore w:val="1"/></w:trPr>` + tc("", p(r("1"))) + tc("", p(r("2"))) + "</w:tr>" +
				"</w:tbl>",
			[]string{"t1 r1: 申请人情况|~申请人情况|总计", "t1 r2: 自然人|商业企业|~总计", "t1 r3: |1|2"}},
		{"grid: legacy hMerge", "<w:tbl><w:tr>" + tc(`<w:hMerge w:val="restart"/>`, p(r("行政复议"))) + tc(`<w:hMerge/>`, p("")) + "</w:tr><w:tr>" + tc("", p(r("1"))) + tc("", p(r("2"))) + "</w:tr></w:tbl>",
			[]string{"t1 r1: 行政复议|~行政复议", "t1 r2: 1|2"}},
		{"cell paragraphs and breaks are soft", "<w:tbl><w:tr>" + tc("", p(r("本年新"))+p(r("制作数量"))) + tc("", p(r("结果")+`<w:r><w:br/></w:r>`+r("维持"))) + tc("", p(r("Total"))+p(r("2"))) + "</w:tr></w:tbl>",
			[]string{"t1 r1: 本年新制作数量|结果维持|Total 2"}},
		{"a header row is read once", `<w:tbl><w:tr><w:trPr><w:tblHeader/></w:trPr>` + tc("", p(r("信息内容"))) + tc("", p(r("本年制发件数"))) + "</w:tr><w:tr>" + tc("", p(r("规章"))) + tc("", p(r("0"))) + "</w:tr></w:tbl>",
			[]string{"t1 r1: 信息内容|本年制发件数", "t1 r2: 规章|0"}},
		{"nested table: the outer is layout, the inner a data table",
			"<w:tbl><w:tr>" + tc("", p(r("标题"))+"<w:tbl><w:tr>"+tc("", p(r("a")))+tc("", p(r("1")))+"</w:tr></w:tbl>"+p(r("落款"))) + "</w:tr></w:tbl>" +
				"<w:tbl><w:tr>" + tc("", p(r("b"))) + tc("", p(r("2"))) + "</w:tr></w:tbl>",
			[]string{"标题", "t1 r1: a|1", "落款", "t2 r1: b|2"}},
		{"single-cell table is text", "<w:tbl><w:tr>" + tc("", p(r("附件"))) + "</w:tr></w:tbl>", []string{"附件"}},
		{"rows wrapped in a content control", "<w:tbl><w:sdt><w:sdtContent><w:tr>" + tc("", p(r("a"))) + tc("", p(r("1"))) + "</w:tr></w:sdtContent></w:sdt></w:tbl>", []string{"t1 r1: a|1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract(build(t, tc.body, parts))
			if err != nil {
				t.Fatal(err)
			}
			checkPos(t, x)
			if got := lines(x); strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		v    int
		f    string
		want string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"}, {23, "chineseCountingThousand", "二十三"}, {105, "chineseCounting", "一百零五"},
		{3, "chineseLegalSimplified", "叁"}, {2, "ideographTraditional", "乙"}, {3, "decimalEnclosedCircle", "③"},
		{4, "upperRoman", "IV"}, {28, "lowerLetter", "bb"}, {7, "decimalZero", "07"}, {12, "decimal", "12"}, {5, "unknownFormat", "5"},
	} {
		if got := format(tc.v, tc.f); got != tc.want {
			t.Errorf("format(%d, %s) = %q, want %q", tc.v, tc.f, got, tc.want)
		}
	}
}

// rawZip writes entries whose headers say what hdr says, whatever the data.
func rawZip(t *testing.T, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateRaw(&zip.FileHeader{Name: e.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(e.data),
			CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}

type rawEntry struct {
	name string
	data []byte
	size uint64 // the uncompressed size the header declares
}

func TestBadInput(t *testing.T) {
	doc := `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>x</w:t></w:r></w:p></w:body></w:document>`
	many := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i <= ooxml.MaxEntries; i++ {
			zw.Create(fmt.Sprintf("word/media/%d.bin", i))
		}
		w, _ := zw.Create("word/document.xml")
		w.Write([]byte(doc))
		zw.Close()
		return buf.Bytes()
	}()
	deep := strings.Repeat("<w:sdt><w:sdtContent>", maxDepth+1) + p(r("x")) + strings.Repeat("</w:sdtContent></w:sdt>", maxDepth+1)
	for _, tc := range []struct {
		name string
		data []byte
		want string
		is   error
	}{
		{"not a zip", []byte("PK\x03\x04 but nothing more"), "not a zip file", nil},
		{"HTML", []byte("<html><body>report</body></html>"), "not a zip file", nil},
		{"a zip without a document", build2(t, map[string]string{"xl/workbook.xml": "<workbook/>"}), "no word/document.xml in the package", nil},
		{"too many entries", many, "5002 zip entries, more than 5000", ooxml.ErrTooLarge},
		{"document declared past the cap (zip bomb)", rawZip(t, []rawEntry{{"word/document.xml", []byte(doc), ooxml.MaxPartSize + 1}}), "bytes uncompressed, more than", ooxml.ErrTooLarge},
		{"document larger than its header says", rawZip(t, []rawEntry{{"word/document.xml", []byte(doc), 40}}), "zip: not a valid zip file", nil},
		{"truncated XML", build2(t, map[string]string{"word/document.xml": doc[:len(doc)-40]}), "unexpected EOF", nil},
		{"no body", build2(t, map[string]string{"word/document.xml": `<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>`}), "no w:body", nil},
		{"nested too deep", build(t, deep, nil), "nested too deep", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			x, err := Extract(tc.data)
			if err == nil {
				t.Fatalf("no error; %d lines", len(x.Lines))
			}
			if !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "docx: ") {
				t.Errorf("error %q, want it to say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

// build2 makes a zip of the given parts alone.
func build2(t *testing.T, parts map[string]string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, content := range parts {
		w, _ := zw.Create(name)
		w.Write([]byte(content))
	}
	zw.Close()
	return buf.Bytes()
}

func FuzzExtract(f *testing.F) {
	for _, name := range []string{"corpus/template_blank_guoban2021_1.docx", "forms/2021_pingtan_1.html__soffice.docx"} {
		if b, err := os.ReadFile(testdata + "/" + name); err == nil {
			f.Add(b)
		}
	}
	f.Add(build(f, p(num(1, 0)+r("总体情况"))+"<w:tbl><w:tr>"+tc(`<w:gridSpan w:val="3"/>`, p(r("a")))+"</w:tr><w:tr>"+tc(`<w:vMerge/>`, "")+"</w:tr></w:tbl>",
		map[string]string{"word/numbering.xml": testNumbering, "word/styles.xml": testStyles}))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := Extract(data)
		if err != nil {
			return
		}
		for i, l := range x.Lines {
			for _, c := range l.Cells {
				if c.Pos.Line != i+1 {
					t.Fatalf("line %d: Pos.Line %d", i+1, c.Pos.Line)
				}
			}
		}
	})
}

func BenchmarkExtract(b *testing.B) {
	data, err := os.ReadFile(testdata + "/corpus/template_blank_guoban2021_1.docx")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Extract(data); err != nil {
			b.Fatal(err)
		}
	}
}
