package normalize

import (
	"strings"
	"testing"

	"govreport"
	"govreport/extract/text"
)

func parseText(t *testing.T, s string) *govreport.Document {
	t.Helper()
	x, err := text.Extract([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return Normalize(x)
}

func sectionKeys(d *govreport.Document) string {
	var ks []string
	for _, s := range d.Sections {
		ks = append(ks, s.Key)
	}
	return strings.Join(ks, " ")
}

const all6 = "overview active_disclosure applications review_litigation problems other"

// Section segmentation traps, each seen in a real report (reports.md).
func TestSectionTraps(t *testing.T) {
	t3rows := "一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n（一）予以公开\t1\t0\t0\t0\t0\t0\t1\n（七）总计\t1\t0\t0\t0\t0\t0\t1\n"
	cases := []struct {
		name, text, want string
	}{
		{"plain six", "一、总体情况\n正文。\n二、主动公开政府信息情况\n正文。\n三、收到和处理政府信息公开申请情况\n正文。\n四、政府信息公开行政复议、行政诉讼情况\n正文。\n五、存在的主要问题及改进情况\n正文。\n六、其他需要报告的事项\n正文。\n", all6},
		{"row 四、结转下年度继续办理 is not section 四", "一、总体情况\n正文。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n" + t3rows + "四、结转下年度继续办理\t0\t0\t0\t0\t0\t0\t0\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"section 三 heading missing, table follows table 二", "一、总体情况\n正文。\n二、主动公开政府信息情况\n规章\t0\t0\t0\n申请人情况\n" + t3rows + "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"bare 三、 then a vertical label is a row group", "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n三、\n本年度办\n理结果\n" + t3rows + "四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"full-width and spaced headings", "一．总 体 情 况\n二 、主动公开政府信息情况\n三，收到和处理政府信息公开申请情况\n四、 政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"variant headings", "一、概述\n二、行政机关主动公开政府信息情况\n三、行政机关收到和处理政府信息公开申请情况\n四、因政府信息公开工作被申请行政复议、提起行政诉讼情况\n五、政府信息公开工作存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"一是 and （一） are not sections", "一、总体情况\n（一）主动公开\n一是加强领导。\n二、主动公开政府信息情况\n二是完善制度。\n三、收到和处理政府信息公开申请情况\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n", all6},
		{"renumbered after an omitted section", "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n四、存在的主要问题及改进情况\n五、其他需要报告的事项\n", "overview active_disclosure applications problems other"},
		{"a narrative sentence starting with an ordinal is not a heading", "一、总体情况\n二、主动公开政府信息情况正文很长，说明了本年度主动公开的情况，包括各类文件的发布和解读工作。\n", "overview"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d := parseText(t, c.text)
			if got := sectionKeys(d); got != c.want {
				t.Errorf("sections %q\nwant       %q", got, c.want)
			}
		})
	}
}

func TestRenumberedSectionKeepsCanonicalNumber(t *testing.T) {
	// a modern report (it prints table 三) that omits section 四
	d := parseText(t, "一、总体情况\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n四、存在的主要问题及改进情况\n五、其他需要报告的事项\n")
	last := d.Sections[len(d.Sections)-1]
	if last.Key != "other" || last.Number != 6 {
		t.Fatalf("last section %d %s, want 6 other (printed as 五)", last.Number, last.Key)
	}
}

// Noise around the report, as archivers and crawlers keep it: metadata
// lines, a breadcrumb, share buttons, spam; and custom 一–六 narrative
// sub-headings inside section 一 before the real sections.
func TestNoiseAndCustomSubheadings(t *testing.T) {
	text := `url: http://www.example.gov.cn/zwgk/nb/202401/t20240130_1.html
抓取时间: 2024-02-01 10:00:00
首页 > 政务公开 > 政府信息公开年报
分享到： 微信 微博 QQ空间 打印本页
淮安市洪泽区人民政府2024年政府信息公开工作年度报告
一、总体情况
2024年，我区坚持以公开为常态。
一、加强组织领导
二、完善制度建设
三、强化平台建设
二、主动公开政府信息情况
三、收到和处理政府信息公开申请情况
一、本年新收政府信息公开申请数量	95	0	0	0	0	0	95
四、政府信息公开行政复议、行政诉讼情况
五、存在的主要问题及改进情况
六、其他需要报告的事项
免费领取彩票大奖，点击进入www.spam.example
`
	d := parseText(t, text)
	if d.Agency != "淮安市洪泽区人民政府" || d.Year != 2024 {
		t.Errorf("agency %q year %d", d.Agency, d.Year)
	}
	if got := sectionKeys(d); got != all6 {
		t.Errorf("sections %q", got)
	}
	if d.Sections[0].Heading != "总体情况" || !strings.Contains(d.Sections[0].Text, "加强组织领导") {
		t.Errorf("section 一 should keep its sub-headings as text: %+v", d.Sections[0])
	}
}

// 一、主动公开情况 and 二、依申请公开情况 as narrative sub-headings of section 一
// name sections 二 and 三 too; the real headings, printed with the section's
// own ordinal, win.
func TestSubheadingsNamingSections(t *testing.T) {
	text := "一、总体情况\n一、主动公开情况\n全年主动公开信息。\n二、依申请公开情况\n全年收到申请。\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n" +
		"一、本年新收政府信息公开申请数量\t1\t0\t0\t0\t0\t0\t1\n四、政府信息公开行政复议、行政诉讼情况\n五、存在的主要问题及改进情况\n六、其他需要报告的事项\n"
	d := parseText(t, text)
	if got := sectionKeys(d); got != all6 {
		t.Fatalf("sections %q", got)
	}
	if d.Sections[1].Heading != "主动公开政府信息情况" || !strings.Contains(d.Sections[0].Text, "全年收到申请") {
		t.Errorf("section 二 %q; section 一 text %q", d.Sections[1].Heading, d.Sections[0].Text)
	}
}
