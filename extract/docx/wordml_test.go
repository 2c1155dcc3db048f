package docx

import (
	"os"
	"strings"
	"testing"
)

// wordML wraps a body in a Word 2003 XML document as Word writes one.
func wordML(body string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<?mso-application progid="Word.Document"?>
<w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml" xmlns:wx="http://schemas.microsoft.com/office/word/2003/auxHint" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:aml="http://schemas.microsoft.com/aml/2001/core" xmlns:v="urn:schemas-microsoft-com:vml">
<o:DocumentProperties><o:Title>某县2023年政府信息公开工作年度报告</o:Title><o:Created>2024-01-15T02:03:00Z</o:Created><o:LastSaved>2024-01-20T08:00:00Z</o:LastSaved></o:DocumentProperties>
<w:lists><w:listDef w:listDefId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:nfc w:val="39"/><w:lvlText w:val="%1、"/></w:lvl></w:listDef><w:list w:ilfo="1"><w:ilst w:val="0"/></w:list></w:lists>
<w:body><wx:sect>` + body + `<w:sectPr/></wx:sect></w:body></w:wordDocument>`)
}

func TestWordML(t *testing.T) {
	cell := func(props, text string) string {
		return `<w:tc><w:tcPr>` + props + `</w:tcPr><w:p><w:r><w:t>` + text + `</w:t></w:r></w:p></w:tc>`
	}
	data := wordML(
		`<w:p><w:pPr><w:listPr><w:ilvl w:val="0"/><w:ilfo w:val="1"/><wx:t wx:val="一、"/><wx:font wx:val="宋体"/></w:listPr></w:pPr><w:r><w:t>总体情况</w:t></w:r></w:p>` +
			`<w:p><w:r><w:t>本年共</w:t></w:r><aml:annotation aml:id="0" w:type="Word.Deletion"><aml:content><w:r><w:delText>收到</w:delText></w:r></aml:content></aml:annotation>` +
			`<aml:annotation aml:id="1" w:type="Word.Insertion"><aml:content><w:r><w:t>新收</w:t></w:r></aml:content></aml:annotation><w:r><w:t>申请</w:t></w:r>` +
			`<aml:annotation aml:id="2" w:type="Word.Comment"><aml:content><w:p><w:r><w:t>批注</w:t></w:r></w:p></aml:content></aml:annotation>` +
			`<w:r><w:pict><w:binData w:name="wordml://01.png">iVBORw0KGgo=</w:binData><v:shape/></w:pict></w:r><w:r><w:br/><w:t>81件。</w:t></w:r></w:p>` +
			`<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>` +
			`<w:tr>` + cell(`<w:vmerge w:val="restart"/>`, "三、本年度办理结果") + cell(`<w:gridSpan w:val="2"/>`, "（一）予以公开") + `</w:tr>` +
			`<w:tr>` + cell(`<w:vmerge/>`, "") + cell("", "自然人") + cell("", "80") + `</w:tr>` +
			`<w:tr>` + cell(`<w:hmerge w:val="restart"/>`, "总计") + cell(`<w:hmerge/>`, "") + cell("", "81") + `</w:tr>` +
			`</w:tbl>`)
	x, err := ExtractWordML(data)
	if err != nil {
		t.Fatal(err)
	}
	checkPos(t, x)
	want := []string{
		"一、总体情况",
		"本年共新收申请",
		"81件。",
		"t1 r1: 三、本年度办理结果|(一)予以公开|~(一)予以公开",
		"t1 r2: ~三、本年度办理结果|自然人|80",
		"t1 r3: 总计|~总计|81",
	}
	if got := lines(x); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if x.Format != "wordml" || x.Meta["doc_title"] != "某县2023年政府信息公开工作年度报告" || x.Meta["created"] != "2024-01-15T02:03:00Z" || x.Meta["modified"] != "2024-01-20T08:00:00Z" {
		t.Errorf("format %s, meta %v", x.Format, x.Meta)
	}
}

func TestIsWordML(t *testing.T) {
	data, err := os.ReadFile(testdata + "/forms/2023_pingtan_1.html__soffice_wordml.doc")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		head string
		want bool
	}{
		{string(data[:1024]), true},
		{string(wordML("")[:300]), true},
		{`<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">`, false},
		{`<?xml version="1.0"?><?mso-application progid="Excel.Sheet"?><Workbook>`, false},
	} {
		if IsWordML([]byte(tc.head)) != tc.want {
			t.Errorf("%.80q: want %v", tc.head, tc.want)
		}
	}
}

func TestWordMLBad(t *testing.T) {
	for _, tc := range []struct{ name, data, want string }{
		{"no body", `<?xml version="1.0"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"></w:wordDocument>`, "no w:body"},
		{"cut short", strings.TrimSuffix(string(wordML("<w:p><w:r><w:t>x</w:t></w:r></w:p>")), "</w:body></w:wordDocument>"), "unexpected EOF"},
		{"nested too deep", string(wordML(strings.Repeat("<w:sdt>", 300) + strings.Repeat("</w:sdt>", 300))), "nested too deep"},
	} {
		_, err := ExtractWordML([]byte(tc.data))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
