package normalize_test

import (
	"testing"

	"govreport"
	"govreport/normalize"
)

// The publication date and where it was read: the page's metadata, the
// closing date, the file's dates (only in the year after the report's).
func TestPublishedFrom(t *testing.T) {
	para := func(s string) govreport.Line { return govreport.Line{Cells: []govreport.TextCell{{Text: s}}} }
	title := para("某县人民政府2024年政府信息公开工作年度报告")
	for _, c := range []struct {
		quirk     string
		meta      map[string]string
		lines     []govreport.Line
		published string
		from      string
	}{
		{"page metadata first", map[string]string{"date": "2025-01-18", "modified": "2025-02-25T10:03:24"}, []govreport.Line{title, para("2025年1月20日")}, "2025-01-18", "page"},
		{"closing date before the file's", map[string]string{"modified": "2025-02-25T10:03:24"}, []govreport.Line{title, para("一、总体情况"), para("2025年1月20日")}, "2025-01-20", "text"},
		{"the file's modified date", map[string]string{"modified": "2025-02-25T10:03:24", "created": "2025-02-24T09:00:00"}, []govreport.Line{title, para("一、总体情况")}, "2025-02-25", "file"},
		{"a file printed years later", map[string]string{"modified": "2026-11-27T08:18:49", "created": "2026-11-27T08:18:49"}, []govreport.Line{title, para("一、总体情况")}, "", ""},
		{"modified later, created in time", map[string]string{"modified": "2027-03-01T08:00:00", "created": "2025-01-30T08:00:00"}, []govreport.Line{title, para("一、总体情况")}, "2025-01-30", "file"},
	} {
		t.Run(c.quirk, func(t *testing.T) {
			d := normalize.Normalize(&govreport.Extracted{Format: "pdf", Meta: c.meta, Lines: c.lines})
			if d.Year != 2024 || d.Published != c.published || d.PublishedFrom != c.from {
				t.Errorf("year %d, published %q from %q; want %q from %q", d.Year, d.Published, d.PublishedFrom, c.published, c.from)
			}
		})
	}
}
