package normalize

import "testing"

// An agency is a whole name: never a piece of a word, page furniture or a
// label's prefix (issue 13 saw "为", "Page9-" and "标题:平潭综合实验区").
func TestAgencyName(t *testing.T) {
	for in, want := range map[string]string{
		"为":           "",
		"Page9-":      "",
		"标题:平潭综合实验区":  "平潭综合实验区",
		"上海市 人民政府办公厅": "上海市人民政府办公厅",
		"淮安市人民政府":     "淮安市人民政府",
		"中牟县商务局":      "中牟县商务局",
		"北京市东城区东华门街道办事处":    "北京市东城区东华门街道办事处",
		"国家发展和改革委员会":        "国家发展和改革委员会",
		"根据《条例》要求":          "",
		"2024年政府信息公开工作年度报告": "",
	} {
		if got := agencyName(in); got != want {
			t.Errorf("agencyName(%q) = %q, want %q", in, got, want)
		}
	}
}

// Title, year, agency and publication date from each place a report
// states them: a title with spaces, the page's date line, the closing
// signature when the title names no agency.
func TestMetadataSources(t *testing.T) {
	d := parseText(t, "上海市 人民政府办公厅\n2025 年政府信息公开工作年度报告\n时间：2026-01-20 10:00\n一、总体情况\n本报告所列数据的统计期限自2025年1月1日起至2025年12月31日止。\n")
	if d.Year != 2025 || d.Agency != "上海市人民政府办公厅" || d.Published != "2026-01-20" {
		t.Errorf("year %d agency %q published %q", d.Year, d.Agency, d.Published)
	}
	d = parseText(t, "政府信息公开工作年度报告\n一、总体情况\n本报告所列数据的统计期限自2024年1月1日起至2024年12月31日止。\n六、其他需要报告的事项\n无。\n淮安市人民政府办公室\n2025年1月20日\n")
	if d.Year != 2024 || d.Agency != "淮安市人民政府办公室" || d.Published != "2025-01-20" {
		t.Errorf("period and closing: year %d agency %q published %q", d.Year, d.Agency, d.Published)
	}
}
