package normalize_test

import (
	"testing"

	"govreport"
	"govreport/normalize"
)

// A Word or Excel file's title and dates (docProps/core.xml) stand in for a
// title and a date the text lacks, never for those it states.
func TestFileProperties(t *testing.T) {
	para := func(s string) govreport.Line { return govreport.Line{Cells: []govreport.TextCell{{Text: s}}} }
	meta := map[string]string{"doc_title": "某县人民政府2022年政府信息公开工作年度报告", "modified": "2023-01-20T08:00:00Z", "created": "2023-01-10T08:00:00Z"}
	d := normalize.Normalize(&govreport.Extracted{Format: "docx", Meta: meta, Lines: []govreport.Line{para("一、总体情况"), para("2022年，我县……。")}})
	if d.Title != meta["doc_title"] || d.Year != 2022 || d.Agency != "某县人民政府" || d.Published != "2023-01-20" {
		t.Errorf("from the file: title %q year %d agency %q published %q", d.Title, d.Year, d.Agency, d.Published)
	}
	d = normalize.Normalize(&govreport.Extracted{Format: "docx", Meta: meta, Lines: []govreport.Line{para("某县人民政府2023年政府信息公开工作年度报告"), para("一、总体情况"), para("2024年1月15日")}})
	if d.Year != 2023 || d.Published != "2024-01-15" {
		t.Errorf("from the text: year %d published %q", d.Year, d.Published)
	}
	d = normalize.Normalize(&govreport.Extracted{Format: "docx", Meta: map[string]string{"created": "2023-01-10T08:00:00Z"}, Lines: []govreport.Line{para("一、总体情况")}})
	if d.Published != "2023-01-10" {
		t.Errorf("created only: published %q", d.Published)
	}
}
