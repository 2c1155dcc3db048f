package xlsx

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"os"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"govreport"
	"govreport/extract/internal/ooxml"
)

const testdata = "../../testdata"

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

func checkPos(t *testing.T, x *govreport.Extracted) {
	t.Helper()
	for i, l := range x.Lines {
		for j, c := range l.Cells {
			if c.Pos.Line != i+1 || c.Pos.Table != l.Table || c.Pos.Row != l.Row || c.Pos.Col != j+1 {
				t.Fatalf("line %d (t%d r%d) cell %d: Pos %+v", i+1, l.Table, l.Row, j, c.Pos)
			}
		}
	}
}

// The 2023 Pingtan page's tables opened in LibreOffice Calc and saved as
// .xlsx: one sheet, the three tables one under the other, Calc merging
// cells across the columns it aligned them on.
func TestTablesSavedByCalc(t *testing.T) {
	b, err := os.ReadFile(testdata + "/forms/2023_pingtan_1.html__tables.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	x, err := Extract(b)
	if err != nil {
		t.Fatal(err)
	}
	checkPos(t, x)
	if x.Meta["content"] != "tables" {
		t.Errorf("meta %v", x.Meta)
	}
	var fee, review *govreport.Line
	for i, l := range x.Lines {
		if len(l.Cells) > 0 && l.Cells[0].Text == "行政事业性收费" {
			fee = &x.Lines[i]
		}
		if len(l.Cells) > 0 && l.Cells[0].Text == "行政复议" {
			review = &x.Lines[i]
		}
	}
	if fee == nil || review == nil {
		t.Fatal("rows 行政事业性收费 or 行政复议 not found")
	}
	// the value as stored, not as a number format would round it
	got := []string{}
	for _, c := range fee.Cells {
		if !c.Spanned && c.Text != "" {
			got = append(got, c.Text)
		}
	}
	if strings.Join(got, "|") != "行政事业性收费|5949.088667" {
		t.Errorf("fee row: %s", texts(*fee))
	}
	// 行政复议 merged across the columns of its five sub-columns
	n := 0
	for _, c := range review.Cells {
		if c.Text == "行政复议" {
			n++
			if n > 1 && !c.Spanned {
				t.Errorf("行政复议 copy not marked spanned: %s", texts(*review))
			}
		}
	}
	if n < 5 {
		t.Errorf("行政复议 over %d positions: %s", n, texts(*review))
	}
}

// workbook writes a workbook with excelize for the cases no real file
// shows: a formula without a stored result, a display format that rounds,
// a hidden sheet.
func workbook(t *testing.T) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	s := "Sheet1"
	f.SetSheetRow(s, "A1", &[]any{"信息内容", "本年收费金额(单位:万元)"})
	f.SetCellValue(s, "A2", "行政事业性收费")
	f.SetCellValue(s, "B2", 5949.088667)
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 2}) // 0.00
	f.SetCellStyle(s, "B2", "B2", style)
	f.SetSheetRow(s, "A3", &[]any{"合计", 1, 2})
	f.SetCellFormula(s, "D3", "B3+C3")
	f.SetCellValue(s, "A4", "申请人情况")
	f.MergeCell(s, "A4", "C5")
	f.NewSheet("Hidden")
	f.SetCellValue("Hidden", "A1", "不显示")
	f.SetSheetVisible("Hidden", false)
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestCells(t *testing.T) {
	x, err := Extract(workbook(t))
	if err != nil {
		t.Fatal(err)
	}
	checkPos(t, x)
	var got []string
	for _, l := range x.Lines {
		got = append(got, fmt.Sprintf("t%d r%d: %s", l.Table, l.Row, texts(l)))
	}
	want := []string{
		"t1 r1: 信息内容|本年收费金额(单位:万元)",
		"t1 r2: 行政事业性收费|5949.088667",
		"t1 r3: 合计|1|2|3",
		"t1 r4: 申请人情况|~申请人情况|~申请人情况",
		"t1 r5: ~申请人情况|~申请人情况|~申请人情况",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestBadInput(t *testing.T) {
	many := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		for i := 0; i <= ooxml.MaxEntries; i++ {
			zw.Create(fmt.Sprintf("xl/media/%d.bin", i))
		}
		zw.Create("xl/workbook.xml")
		zw.Close()
		return buf.Bytes()
	}()
	bomb := func() []byte { // a sheet whose header declares 1 GiB
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		zw.Create("xl/workbook.xml")
		body := []byte("<worksheet/>")
		w, _ := zw.CreateRaw(&zip.FileHeader{Name: "xl/worksheets/sheet1.xml", Method: zip.Store, CRC32: crc32.ChecksumIEEE(body),
			CompressedSize64: uint64(len(body)), UncompressedSize64: 1 << 30})
		w.Write(body)
		zw.Close()
		return buf.Bytes()
	}()
	for _, tc := range []struct {
		name string
		data []byte
		want string
		is   error
	}{
		{"a part declared past the cap (zip bomb)", bomb, "xl/worksheets/sheet1.xml: 1073741824 bytes uncompressed", ooxml.ErrTooLarge},
		{"not a zip", []byte("<html><table><tr><td>1</td></tr></table></html>"), "not a zip file", nil},
		{"too many entries", many, "more than 5000", ooxml.ErrTooLarge},
		{"a Word package", mustRead(t, testdata+"/corpus/template_blank_guoban2021_1.docx"), "no workbook in the package", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Extract(tc.data)
			if err == nil || !strings.HasPrefix(err.Error(), "xlsx: ") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %v, want %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %q does not wrap %v", err, tc.is)
			}
		})
	}
}

func mustRead(t *testing.T, path string) []byte {
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
