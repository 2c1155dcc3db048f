package benchcorpus

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Grow writes one document of about mb megabytes per format (txt, html,
// pdf) to dir, for the benchmark of peak memory against input size. Each
// is a report grown the way large ones are, within the readers' bounds:
//   - txt: the flattened report src/2024_huaian_szf_2.txt, then its prose
//     as paragraphs of an appendix, one per line, until the size;
//   - html: the page src/2021_pingtan_1.html with the same paragraphs as
//     <p> elements before </body>;
//   - pdf: pages of text lines (Helvetica), each its own content stream,
//     as many as fill the size at 200 pages (the reader's page limit).
func Grow(src, dir string, mb int) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	size := mb << 20
	txt, err := os.ReadFile(filepath.Join(src, "2024_huaian_szf_2.txt"))
	if err != nil {
		return nil, err
	}
	page, err := os.ReadFile(filepath.Join(src, "2021_pingtan_1.html"))
	if err != nil {
		return nil, err
	}
	prose := paragraph()
	var paths []string
	write := func(name string, b []byte) error {
		p := filepath.Join(dir, name)
		paths = append(paths, p)
		return os.WriteFile(p, b, 0o644)
	}

	var t bytes.Buffer
	t.Write(txt)
	t.WriteString("\n附件：说明\n")
	for i := 0; t.Len() < size; i++ {
		fmt.Fprintf(&t, "（%d）%s\n", i+1, prose)
	}
	if err := write(fmt.Sprintf("grown_%dmb.txt", mb), t.Bytes()); err != nil {
		return nil, err
	}

	var h bytes.Buffer
	end := bytes.LastIndex(page, []byte("</body>"))
	if end < 0 {
		end = len(page)
	}
	h.Write(page[:end])
	for i := 0; h.Len() < size; i++ {
		fmt.Fprintf(&h, "<p>（%d）%s</p>\n", i+1, prose)
	}
	h.Write(page[end:])
	if err := write(fmt.Sprintf("grown_%dmb.html", mb), h.Bytes()); err != nil {
		return nil, err
	}
	return paths, write(fmt.Sprintf("grown_%dmb.pdf", mb), textPDF(size, 200))
}

// paragraph is a paragraph of report prose, about 300 bytes.
func paragraph() string {
	return "本年度，我单位坚持以公开为常态、不公开为例外，围绕重点领域信息公开，" +
		"进一步加强政府信息公开平台建设，及时准确发布各类政府信息，" +
		"依法依规办理政府信息公开申请，切实保障人民群众的知情权、参与权和监督权。"
}

// textPDF is a PDF of pages pages of text lines, about size bytes.
func textPDF(size, pages int) []byte {
	var line strings.Builder
	per := size / pages
	for line.Len() < per {
		fmt.Fprintf(&line, "0 -12 Td (Applications received %d, granted %d, refused %d, in the year) Tj\n", line.Len(), line.Len()/3, line.Len()/7)
	}
	content := "BT /F1 10 Tf 72 800 Td\n" + line.String() + "ET"
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	var offs []int
	obj := func(body string) {
		offs = append(offs, b.Len())
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", len(offs), body)
	}
	kids := make([]string, pages)
	for i := range kids {
		kids[i] = fmt.Sprintf("%d 0 R", 4+2*i)
	}
	obj("<< /Type /Catalog /Pages 2 0 R >>")
	obj(fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), pages))
	obj("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
	for i := range pages {
		obj(fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", 5+2*i))
		obj(fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(content), content))
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(offs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(offs)+1, x)
	return b.Bytes()
}

// Hostile writes files of the shapes of issue 19's adversarial trial, each
// just within the readers' bounds (extract/internal/limit: 100,000 lines,
// 200,000 cells, words and HTML elements), to dir: the most memory a parse
// of text or HTML can take, whatever the file's size.
func Hostile(dir string) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	files := map[string]string{
		"hostile_numbers_on_a_line.txt": "一、总体情况\n" + strings.Repeat("1 ", 199000),
		"hostile_cells_on_a_line.txt":   "一、总体情况\n" + strings.Repeat("1\t", 199000),
		"hostile_lines.txt":             "一、总体情况\n" + strings.Repeat("1\n", 99000),
		"hostile_table_rows.txt":        "一、总体情况\n三、收到和处理政府信息公开申请情况\n" + strings.Repeat("（一）本年新收政府信息公开申请数量 1 2 3 4 5 6 7 8\n", 22000),
		"hostile_row_of_cells.html":     "<html><body><table><tr>" + strings.Repeat("<td>1</td>", 199000) + "</tr></table></body></html>",
		"hostile_table_rows.html":       "<html><body><table>" + strings.Repeat("<tr><td>1</td></tr>", 99000) + "</table></body></html>",
		"hostile_paragraphs.html":       "<html><body>" + strings.Repeat("<p>1</p>", 99000) + "</body></html>",
	}
	var paths []string
	for name, s := range files {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			return nil, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}
