package html

import (
	"bufio"
	"bytes"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"govreport"
)

// The four real pages (testdata/corpus/MANIFEST.tsv): one agency's site,
// 2013 and 2017 in the legacy layout, 2021 and 2023 in the 2021 layout.
// Expected values below were read from the pages' HTML source.
var corpus = []string{"2013_pingtanxian_1.html", "2017_pingtan_1.html", "2021_pingtan_1.html", "2023_pingtan_1.html"}

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "corpus", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func extract(t testing.TB, name string) *govreport.Extracted {
	t.Helper()
	ex, err := Extract(load(t, name), Options{BaseURL: "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/202403/t20240308_87885.htm"})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if ex.Format != "html" {
		t.Errorf("%s: format %q", name, ex.Format)
	}
	checkPos(t, ex)
	return ex
}

// checkPos asserts the positions every Extracted carries: Pos.Line is the
// line's 1-based index; table cells carry their grid row and column.
func checkPos(t testing.TB, ex *govreport.Extracted) {
	t.Helper()
	for i, l := range ex.Lines {
		for j, c := range l.Cells {
			if c.Pos.Line != i+1 {
				t.Fatalf("line %d cell %d: Pos.Line %d", i+1, j, c.Pos.Line)
			}
			if l.Table > 0 && (c.Pos.Row != l.Row || c.Pos.Col != j+1) {
				t.Fatalf("line %d (t%d r%d) cell %d: Pos %+v", i+1, l.Table, l.Row, j, c.Pos)
			}
		}
	}
}

// printed returns the line's cells that are not spanned copies.
func printed(l govreport.Line) []string {
	var out []string
	for _, c := range l.Cells {
		if !c.Spanned {
			out = append(out, c.Text)
		}
	}
	return out
}

// row returns the first row of table tab whose first printed cell is label.
func row(t testing.TB, ex *govreport.Extracted, tab int, label string) govreport.Line {
	t.Helper()
	for _, l := range ex.Lines {
		if l.Table == tab {
			if p := printed(l); len(p) > 0 && p[0] == label {
				return l
			}
		}
	}
	t.Fatalf("table %d: no row %q", tab, label)
	return govreport.Line{}
}

// textLines returns the text of the lines outside tables.
func textLines(ex *govreport.Extracted) []string {
	var out []string
	for _, l := range ex.Lines {
		if l.Table == 0 {
			out = append(out, l.Text())
		}
	}
	return out
}

// tableCount returns the highest table id.
func tableCount(ex *govreport.Extracted) int {
	n := 0
	for _, l := range ex.Lines {
		n = max(n, l.Table)
	}
	return n
}

// inOrder asserts that want appear among lines, as whole lines, in order.
func inOrder(t *testing.T, lines, want []string) {
	t.Helper()
	i := 0
	for _, l := range lines {
		if i < len(want) && l == want[i] {
			i++
		}
	}
	if i < len(want) {
		t.Errorf("line %q missing or out of order", want[i])
	}
}

// absent asserts that no line equals or contains the given chrome texts.
func absent(t *testing.T, ex *govreport.Extracted, equal, contain []string) {
	t.Helper()
	for _, l := range ex.Lines {
		for _, c := range l.Cells {
			for _, s := range equal {
				if c.Text == s {
					t.Errorf("page chrome %q in line %d", s, c.Pos.Line)
				}
			}
			for _, s := range contain {
				if strings.Contains(c.Text, s) {
					t.Errorf("page chrome %q in line %d: %q", s, c.Pos.Line, c.Text)
				}
			}
		}
	}
}

func eq(t *testing.T, what string, got, want any) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got %q\nwant %q", what, got, want)
	}
}

// Chrome of the Pingtan site: menu items, header and footer texts, the
// share and viewer buttons.
var (
	chromeEqual   = []string{"首页", "政务公开", "解读回应", "办事服务", "互动交流", "走进平潭", "登录", "注册", "移动版", "全真版", "文字版", "文件下载", "微信", "微博", "QQ空间", "友情链接", "人民网", "联系我们"}
	chromeContain = []string{"当前位置", "网站支持IPV6", "闽政通APP", "网站标识码", "版权所有", "闽ICP备", "附件下载", "文字解读", "o:p", "mso-", "font-family", "avalon", "function("}
)

func TestPingtan2023(t *testing.T) {
	ex := extract(t, "2023_pingtan_1.html")

	for k, v := range map[string]string{
		"title":         "平潭综合实验区2023年度政府信息公开工作年度报告",
		"ArticleTitle":  "平潭综合实验区2023年度政府信息公开工作年度报告",
		"PubDate":       "2024-03-08 15:34",
		"ColumnName":    "政府信息公开年报",
		"ContentSource": "平潭综合实验区管委会办公室",
		"来源":            "平潭综合实验区管委会办公室", // printed: 来源：平潭综合实验区管委会办公室
		"时间":            "2024-03-08 15:34",
		"date":          "2024-03-08",
	} {
		eq(t, "Meta["+k+"]", ex.Meta[k], v)
	}

	text := textLines(ex)
	inOrder(t, text, []string{
		"一、总体情况",
		"(一)主动公开方面",
		"二、主动公开政府信息情况",
		"三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况",
		"五、存在的主要问题及改进情况",
		"六、其他需要报告的事项",
		"2023年,无收取信息处理费情况。",
	})
	if !strings.HasPrefix(text[0], "本报告根据《中华人民共和国政府信息公开条例》(国务院令第711号") {
		t.Errorf("first line %q: want the report's opening paragraph", text[0])
	}
	absent(t, ex, chromeEqual, chromeContain)
	if n := tableCount(ex); n != 3 {
		t.Fatalf("%d tables, want 3", n)
	}

	// Table 二.
	eq(t, "t1 规范性文件", printed(row(t, ex, 1, "行政规范性文件")), []string{"行政规范性文件", "77", "132", "470"})
	fee := row(t, ex, 1, "行政事业性收费")
	eq(t, "t1 收费", printed(fee), []string{"行政事业性收费", "5949.088667"})
	// The amount's cell spans the three value columns.
	if len(fee.Cells) != 4 || !fee.Cells[2].Spanned || fee.Cells[3].Text != "5949.088667" {
		t.Errorf("t1 收费 cells %+v", fee.Cells)
	}
	eq(t, "t1 header", printed(row(t, ex, 1, "信息内容")), []string{"信息内容", "本年制发件数", "本年废止件数", "现行有效件数"})

	// Table 三: the corner cell spans three header rows and three columns.
	corner := "(本列数据的勾稽关系为:第一项加第二项之和,等于第三项加第四项之和)"
	var head []govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 2 && l.Row <= 3 {
			head = append(head, l)
		}
	}
	if len(head) != 3 || head[0].Cells[0].Text != corner || head[0].Cells[0].Spanned ||
		head[2].Cells[2].Text != corner || !head[2].Cells[2].Spanned {
		t.Errorf("t2 corner cell not spanned over 3×3: %+v", head)
	}
	eq(t, "t2 header row 3", printed(head[2]), []string{"商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"})
	eq(t, "t2 一", printed(row(t, ex, 2, "一、本年新收政府信息公开申请数量")),
		[]string{"一、本年新收政府信息公开申请数量", "80", "1", "0", "0", "0", "0", "81"})
	// 三、本年度办理结果 spans rows 6 to 27: printed on the first, Spanned below.
	for _, l := range ex.Lines {
		if l.Table != 2 || l.Row < 6 || l.Row > 28 {
			continue
		}
		c := l.Cells[0]
		switch {
		case l.Row == 6 && (c.Text != "三、本年度办理结果" || c.Spanned):
			t.Errorf("t2 r6: %+v", c)
		case l.Row > 6 && l.Row < 28 && (c.Text != "三、本年度办理结果" || !c.Spanned):
			t.Errorf("t2 r%d: %+v, want spanned 三、本年度办理结果", l.Row, c)
		case l.Row == 28 && c.Text != "四、结转下年度继续办理":
			t.Errorf("t2 r28: %+v", c)
		}
	}
	r := row(t, ex, 2, "(二)部分公开(区分处理的,只计这一情形,不计其他情形)")
	eq(t, "t2 (二)", r.Text(), "(二)部分公开(区分处理的,只计这一情形,不计其他情形)\t19\t1\t0\t0\t0\t0\t20")
	eq(t, "t2 (三)8 cells", len(row(t, ex, 2, "8.属于行政查询事项").Cells), 10)
	eq(t, "t2 (四)1", row(t, ex, 2, "(四)无法提供").Text(), "(四)无法提供\t1.本机关不掌握相关政府信息\t31\t0\t0\t0\t0\t0\t31")
	eq(t, "t2 (七)总计", printed(row(t, ex, 2, "(七)总计")), []string{"(七)总计", "80", "1", "0", "0", "0", "0", "81"})
	eq(t, "t2 四", printed(row(t, ex, 2, "四、结转下年度继续办理")), []string{"四、结转下年度继续办理", "0", "0", "0", "0", "0", "0", "0"})

	// Table 四: two header levels, then the data row of fifteen numbers.
	var t4 []govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 3 {
			t4 = append(t4, l)
		}
	}
	if len(t4) != 4 {
		t.Fatalf("t3: %d rows, want 4", len(t4))
	}
	eq(t, "t3 header 1", printed(t4[0]), []string{"行政复议", "行政诉讼"})
	eq(t, "t3 data", printed(t4[3]), strings.Fields("1 1 0 0 2 4 0 0 1 5 1 0 1 0 2"))
	if c := t4[3].Cells[14]; c.Pos.Row != 4 || c.Pos.Col != 15 {
		t.Errorf("t3 last cell pos %+v", c.Pos)
	}
	if len(ex.Attachments) != 0 {
		t.Errorf("attachments %q: the page links none", ex.Attachments)
	}
}

func TestPingtan2021(t *testing.T) {
	ex := extract(t, "2021_pingtan_1.html")
	eq(t, "title", ex.Meta["title"], "平潭综合实验区2021年度政府信息公开工作年度报告")
	eq(t, "date", ex.Meta["date"], "2022-02-08")
	eq(t, "来源", ex.Meta["来源"], "平潭县人民政府")
	inOrder(t, textLines(ex), []string{
		"一、总体情况", "二、主动公开政府信息情况", "三、收到和处理政府信息公开申请情况",
		"四、政府信息公开行政复议、行政诉讼情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项",
	})
	if n := tableCount(ex); n != 3 {
		t.Fatalf("%d tables, want 3", n)
	}
	eq(t, "t1 收费", printed(row(t, ex, 1, "行政事业性收费")), []string{"行政事业性收费", "24252.311082"})

	// The Word table's header colspans do not line up with the data rows:
	// 自然人 spans two columns over an empty cell, and the first 法人 value
	// cell (商业企业) spans two columns as its header does.
	var h3 govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 2 && l.Row == 3 {
			h3 = l
		}
	}
	if len(h3.Cells) < 5 || h3.Cells[3].Text != "" || h3.Cells[3].Spanned || h3.Cells[4].Text != "商业企业" || !h3.Cells[5].Spanned {
		t.Errorf("t2 header row 3: %+v", h3.Cells)
	}
	one := row(t, ex, 2, "一、本年新收政府信息公开申请数量")
	eq(t, "t2 一", printed(one), []string{"一、本年新收政府信息公开申请数量", "64", "0", "0", "2", "0", "4", "70"})
	eq(t, "t2 一 width", len(one.Cells), 11)
	eq(t, "t2 四", printed(row(t, ex, 2, "四、结转下年度继续办理")), []string{"四、结转下年度继续办理", "1", "0", "0", "0", "0", "0", "1"})
	var t4 govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 3 && l.Row == 4 {
			t4 = l
		}
	}
	eq(t, "t3 data", printed(t4), strings.Fields("1 0 2 0 3 12 0 0 0 12 0 0 0 0 0"))

	// No link text of the page (site menu, footer, friend links: listed in
	// 2021_pingtan_1_links.tsv) is a line of the content.
	f, err := os.Open(filepath.Join("..", "..", "testdata", "corpus", "2021_pingtan_1_links.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var links []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		if len(fs) >= 3 && fs[0] == "a" && strings.TrimSpace(fs[2]) != "" {
			links = append(links, clean(fs[2]))
		}
	}
	if len(links) < 50 {
		t.Fatalf("read %d link texts", len(links))
	}
	absent(t, ex, links, chromeContain)
	if len(ex.Attachments) != 0 {
		t.Errorf("attachments %q: the page links none", ex.Attachments)
	}
}

func TestPingtan2017Legacy(t *testing.T) {
	ex := extract(t, "2017_pingtan_1.html")
	eq(t, "title", ex.Meta["title"], "平潭综合实验区2017年度政府信息公开工作年度报告")
	eq(t, "date", ex.Meta["date"], "2018-01-23")
	inOrder(t, textLines(ex), []string{
		"2017年度政府信息公开工作年度报告",
		"一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开工作情况",
		"四、因政府信息公开申请行政复议、提起行政诉讼的情况", "五、存在的主要问题和改进措施",
		"六、政府信息公开情况统计表",
	})
	absent(t, ex, chromeEqual, chromeContain)
	if n := tableCount(ex); n != 1 {
		t.Fatalf("%d tables, want 1", n)
	}
	var rows []govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 1 {
			rows = append(rows, l)
		}
	}
	if len(rows) != 16 {
		t.Fatalf("%d rows, want header + 15", len(rows))
	}
	// 201<span>7</span>年度: joined.
	eq(t, "header", printed(rows[0]), []string{"指标名称", "计量单位", "2017年度", "历年累计"})
	eq(t, "主动公开", printed(rows[1]), []string{"主动公开文件数", "条", "2122", "10037"})
	// 2<span>122</span> and 10<span>037</span>: numbers split across spans.
	eq(t, "网站公开", printed(rows[2]), []string{"其中:1、政府网站公开数", "条", "2122", "10037"})
	eq(t, "last", printed(rows[15]), []string{"行政诉讼数", "件", "0", "0"})
}

func TestPingtanxian2013Legacy(t *testing.T) {
	ex := extract(t, "2013_pingtanxian_1.html")
	eq(t, "title", ex.Meta["title"], "平潭县人民政府2013年政府信息公开工作年度报告")
	eq(t, "date", ex.Meta["date"], "2014-01-22")
	eq(t, "来源", ex.Meta["来源"], "平潭县人民政府")
	inOrder(t, textLines(ex), []string{
		"一、概述", "二、主动公开政府信息情况", "三、政府信息依申请公开工作情况",
		"四、政府信息公开工作存在的主要问题及改进情况",
		"附件1:平潭县人民政府2013年政府信息公开情况统计表",
	})
	absent(t, ex, chromeEqual, chromeContain)
	var rows []govreport.Line
	for _, l := range ex.Lines {
		if l.Table == 1 {
			rows = append(rows, l)
		}
	}
	if len(rows) != 18 {
		t.Fatalf("%d rows, want header + 17", len(rows))
	}
	// <p>计量</p><p>单位</p>: CJK pieces join; <p>2013</p><p>年度</p>: a
	// digit and a CJK character keep a space.
	eq(t, "header", printed(rows[0]), []string{"指标名称", "计量单位", "2013 年度", "历年累计"})
	eq(t, "主动公开", printed(rows[1]), []string{"主动公开信息数", "条", "1853", "5395"})
	eq(t, "网站公开", printed(rows[2]), []string{"其中:1.网站公开", "条", "1713", "5017"})
	eq(t, "last", printed(rows[17]), []string{"行政申诉数", "条", "0", "0"})
}

// BenchmarkExtract reads the four real pages; docs/s and MB/s.
func BenchmarkExtract(b *testing.B) {
	var pages [][]byte
	size := 0
	for _, name := range corpus {
		p := load(b, name)
		pages = append(pages, p)
		size += len(p)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		for _, p := range pages {
			if _, err := Extract(p, Options{BaseURL: "https://www.pingtan.gov.cn/a/b.htm"}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.ReportMetric(float64(b.N*len(pages))/b.Elapsed().Seconds(), "docs/s")
}

// snippet returns the part of a page from the first from to the first to
// after it (to included), for fuzz seeds.
func snippet(page []byte, from, to string) []byte {
	i := bytes.Index(page, []byte(from))
	if i < 0 {
		return nil
	}
	j := bytes.Index(page[i:], []byte(to))
	if j < 0 {
		return page[i:]
	}
	return page[i : i+j+len(to)]
}
