package html

import (
	"bytes"
	"strings"
	"testing"

	"govreport"
)

// The pages in this file are written by hand: they show quirks the four
// real pages of the corpus do not (a wrapper page, a metadata table,
// nested tables, rowspan=0, hidden blocks). Each is small and says what it
// stands for.

func extractString(t *testing.T, page, base string) *govreport.Extracted {
	t.Helper()
	ex, err := Extract([]byte(page), Options{BaseURL: base})
	if err != nil {
		t.Fatal(err)
	}
	checkPos(t, ex)
	return ex
}

// cells renders a table line's cells, spanned ones prefixed by ~.
func cells(l govreport.Line) []string {
	var out []string
	for _, c := range l.Cells {
		if c.Spanned {
			out = append(out, "~"+c.Text)
		} else {
			out = append(out, c.Text)
		}
	}
	return out
}

// Cell text: <br> and <p> inside a cell, &nbsp; and blank cells, Word
// markup, numbers split across spans, full-width digits, rowspan and
// colspan, rowspan=0.
func TestCellsAndSpans(t *testing.T) {
	page := `<html><head><title>x</title></head><body><div id="zoom">
<p>一、总体情况</p>
<p>第一行<br>第二行<br/>third   line</p>
<table border=1>
<tr><td rowspan=2>信息内容</td><td colspan=2>本年新<br>制作数量</td><td>（一）<br>予以公开</td></tr>
<tr><td><p>本年</p><p>废止</p></td><td>&nbsp;</td><td>  &#12288; </td></tr>
<tr><td class=MsoNormal><span style="mso-bidi-font-family:宋体">规章</span><o:p></o:p></td><td><span>2</span><span>1</span>22</td><td><span lang=EN-US>１２</span><o:p>&nbsp;</o:p></td><td>—</td></tr>
<tr><td rowspan="0">x</td><td>a
 b</td></tr>
<tr><td>y</td></tr>
</table>
<p>二、主动公开政府信息情况</p>
</div></body></html>`
	ex := extractString(t, page, "")
	var rows [][]string
	var text []string
	for _, l := range ex.Lines {
		if l.Table == 1 {
			rows = append(rows, cells(l))
		} else {
			text = append(text, l.Text())
		}
	}
	eq(t, "text", text, []string{"一、总体情况", "第一行", "第二行", "third line", "二、主动公开政府信息情况"})
	eq(t, "grid", rows, [][]string{
		{"信息内容", "本年新制作数量", "~本年新制作数量", "(一)予以公开"},
		{"~信息内容", "本年废止", "", ""},
		{"规章", "2122", "12", "—"},
		{"x", "a b"},
		{"~x", "y"},
	})
	if ex.Lines[1].Table != 0 || ex.Lines[4].Table != 1 || ex.Lines[4].Row != 1 {
		t.Errorf("document order: %+v", ex.Lines)
	}
}

// A layout table (one holding another table) is read as blocks of text;
// the table inside it is the data table, numbered 1. A single-cell table
// is text too.
func TestNestedTables(t *testing.T) {
	page := `<html><body><table width=100%><tr><td>
<p>四、政府信息公开行政复议、行政诉讼情况</p>
<table><tr><td>行政复议</td><td>行政诉讼</td></tr><tr><td>1</td><td>2</td></tr></table>
<table><tr><td>注:单元格内的说明文字</td></tr></table>
<p>五、存在的主要问题及改进情况</p>
</td></tr></table></body></html>`
	ex := extractString(t, page, "")
	var got []string
	for _, l := range ex.Lines {
		got = append(got, strings.Join(cells(l), "|"))
	}
	eq(t, "lines", got, []string{"四、政府信息公开行政复议、行政诉讼情况", "行政复议|行政诉讼", "1|2", "注:单元格内的说明文字", "五、存在的主要问题及改进情况"})
	eq(t, "tables", tableCount(ex), 1)
}

// Page metadata printed in a table at the top of the article (a common TRS
// layout; none of the corpus pages has one) and as a list outside it: read
// into Meta, kept out of Lines. Furniture inside the article (share and
// print buttons, hidden blocks, scripts) is dropped.
func TestMetaAndChrome(t *testing.T) {
	page := `<html><head>
<meta name="articletitle" content="某某县人民政府2023年政府信息公开工作年度报告">
<meta name="PubDate" content="2024/1/15 09:00">
<title>某某县人民政府2023年政府信息公开工作年度报告 - 某某县人民政府</title></head><body>
<div class="nav"><a href="/">首页</a><a href="/zwgk/">政务公开</a></div>
<ul class="xxgk_info"><li><span>主题分类：</span>政务公开</li></ul>
<div class="article">
<table class="xxgk_table"><tr><td>索引号：</td><td>113501280040001234/2024-00012</td><td>发布机构：</td><td>某某县人民政府办公室</td></tr>
<tr><td>发文日期：</td><td>2024年01月15日</td><td>文号：</td><td>某政办〔2024〕3号</td></tr>
<tr><td>成文日期：2024-01-12</td><td></td><td></td><td></td></tr></table>
<p>一、总体情况</p>
<script>document.write("二、不该出现");</script>
<style>p{color:red}</style>
<div style="display: none">隐藏的文字</div>
<div class="bdsharebuttonbox"><a href="#">分享到微信</a></div>
<div class="print_btn"><a href="javascript:window.print()">【打印本页】</a></div>
<p>本年度，我县政府信息公开工作稳步推进，这一段是报告正文的文字。</p>
</div>
<div class="footer">版权所有：某某县人民政府</div></body></html>`
	ex := extractString(t, page, "")
	for k, v := range map[string]string{
		"title":        "某某县人民政府2023年政府信息公开工作年度报告",
		"ArticleTitle": "某某县人民政府2023年政府信息公开工作年度报告",
		"PubDate":      "2024/1/15 09:00",
		"索引号":          "113501280040001234/2024-00012",
		"发布机构":         "某某县人民政府办公室",
		"发文日期":         "2024年01月15日",
		"成文日期":         "2024-01-12",
		"文号":           "某政办〔2024〕3号",
		"主题分类":         "政务公开",
		"date":         "2024-01-15",
	} {
		eq(t, "Meta["+k+"]", ex.Meta[k], v)
	}
	eq(t, "lines", textLines(ex), []string{"一、总体情况", "本年度,我县政府信息公开工作稳步推进,这一段是报告正文的文字。"})
	eq(t, "tables", tableCount(ex), 0)

	// Without ArticleTitle, the <title> less its site suffix.
	ex = extractString(t, `<title>某某县2023年政府信息公开工作年度报告_年报_某某县人民政府</title><p>正文</p>`, "")
	eq(t, "title", ex.Meta["title"], "某某县2023年政府信息公开工作年度报告")
}

// No real wrapper page is in the corpus: this one stands for the pages
// that only say "see the attachment" and link a PDF. The links resolve
// against the page URL (or its <base href>), duplicates dropped.
func TestWrapperPage(t *testing.T) {
	page := `<html><head><meta charset="utf-8"><title>某某局2023年度政府信息公开工作年度报告</title></head><body>
<div class="header"><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li><li><a href="/hdjl/">互动交流</a></li></ul></div>
<div class="main"><div class="content">
<p>某某局2023年度政府信息公开工作年度报告全文详见附件。</p>
<p>附件：<a href="../../P020240115123456.pdf">某某局2023年度政府信息公开工作年度报告.pdf</a></p>
<p><a href="../../P020240115123456.pdf#page=2">（同一附件）</a> <a href="/files/统计表.XLSX?v=2">统计表</a>
<a href="download.jsp?id=77">年度报告.docx</a> <a href="javascript:void(0)">打印</a> <a href="mailto:a@b.cn">邮箱</a></p>
</div></div>
<div class="footer"><p>主办：某某局 地址：某某路1号 电话：0591-12345678</p></div></body></html>`
	base := "https://www.example.gov.cn/zwgk/ndbg/202401/t20240115_1.htm"
	ex := extractString(t, page, base)
	eq(t, "attachments", ex.Attachments, []string{
		"https://www.example.gov.cn/zwgk/P020240115123456.pdf",
		"https://www.example.gov.cn/files/%E7%BB%9F%E8%AE%A1%E8%A1%A8.XLSX?v=2",
		"https://www.example.gov.cn/zwgk/ndbg/202401/download.jsp?id=77",
	})
	if len(ex.Lines) > 4 {
		t.Errorf("%d lines for a wrapper page", len(ex.Lines))
	}

	// A <base href> moves the resolution; a PDF viewer frame names its file
	// in the query; the link may sit outside the (tiny) content.
	page = `<html><head><base href="https://cdn.example.gov.cn/site/"></head><body>
<div class="side"><a href="docs/report.pdf">下载报告</a></div>
<div><p>详见附件。</p><iframe src="/generic/web/viewer.html?file=/upload/2024/report2.pdf"></iframe></div></body></html>`
	ex = extractString(t, page, base)
	eq(t, "attachments with base", ex.Attachments, []string{
		"https://cdn.example.gov.cn/site/docs/report.pdf",
		"https://cdn.example.gov.cn/upload/2024/report2.pdf",
	})

	// No page URL: absolute links stay, relative ones stay relative.
	ex = extractString(t, `<p>详见附件</p><a href="https://x.gov.cn/a.pdf">a</a><a href="b.wps">b</a>`, "")
	eq(t, "attachments without base", ex.Attachments, []string{"https://x.gov.cn/a.pdf", "b.wps"})
}

// A long report page with an attachment block beside the article (TRS
// 附件下载): its links count, the site's other file links do not.
func TestAttachmentBlock(t *testing.T) {
	body := strings.Repeat("<p>本年度政府信息公开工作情况的叙述文字，足够长以成为正文。</p>\n", 30)
	page := `<html><body><div class="top"><a href="/guide.pdf">网站使用指南.pdf</a></div>
<div class="article"><div class="TRS_Editor">` + body + `</div>
<div class="article_attachment"><a href="./P0202403.pdf">年报.pdf</a></div></div></body></html>`
	ex := extractString(t, page, "https://www.example.gov.cn/a/b/t.htm")
	eq(t, "attachments", ex.Attachments, []string{"https://www.example.gov.cn/a/b/P0202403.pdf"})
	eq(t, "lines", len(ex.Lines), 30)
}

// FuzzExtract: any input, seeded with pieces of the real pages, neither
// panics nor loops, and what it returns keeps the positions consistent.
func FuzzExtract(f *testing.F) {
	for _, name := range corpus {
		page := load(f, name)
		for _, s := range [][]byte{
			snippet(page, "<head>", "</head>"),
			snippet(page, `<div class="article_content`, "</p>"),
			snippet(page, "<table", "</tr>"),
			snippet(page, "<table", "</table>"),
			snippet(page, `<div class="breadcrumb">`, "</div>"),
		} {
			if s != nil && len(s) < 64<<10 {
				f.Add(s)
			}
		}
		f.Add(page[:min(len(page), 4096)])
	}
	f.Add([]byte(`<table><tr><td rowspan=0 colspan=1000>x</td></tr><tr><td rowspan=65534>y</td></tr></table>`))
	f.Add([]byte(`<meta charset=gbk><p>\xc6\xbd\xcc\xb6</p><a href="a.pdf">`))
	f.Add([]byte("\xef\xbb\xbf<p>索引号：1 发文日期：2024年13月40日</p>"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ex, err := Extract(data, Options{BaseURL: "https://www.example.gov.cn/a/b.htm", ContentType: "text/html"})
		if err != nil {
			return
		}
		checkPos(t, ex)
		for _, l := range ex.Lines {
			for _, c := range l.Cells {
				if !c.Spanned && l.Table == 0 && strings.TrimSpace(c.Text) == "" {
					t.Fatalf("empty text line %d", c.Pos.Line)
				}
			}
		}
		if !bytes.Contains(data, []byte("<")) && len(ex.Attachments) > 0 {
			t.Fatalf("attachments from text without markup: %q", ex.Attachments)
		}
	})
}

// An older site built of layout tables (none in the corpus): a menu cell
// beside the content cell, the title in a row above the text. The content
// cell is found through the layout tables; the statistics table inside it
// is table 1.
func TestLayoutTablePage(t *testing.T) {
	menu := strings.Repeat(`<li><a href="/col/">栏目名称</a></li>`, 12)
	text := strings.Repeat("<p>本年度，本县政府信息公开工作取得新进展，具体情况如下所述。</p>\n", 8)
	page := `<html><body><table width="1000"><tr><td colspan="2"><img src="/logo.gif">某某县人民政府</td></tr>
<tr><td class="left" width="200"><ul>` + menu + `</ul></td>
<td class="right"><table width="100%"><tr><td align="center"><b>某某县2012年政府信息公开工作年度报告</b></td></tr>
<tr><td id="zoom"><p>一、概述</p>` + text + `<table border="1"><tr><td>指标名称</td><td>计量单位</td><td>2012年度</td></tr>
<tr><td>主动公开信息数</td><td>条</td><td>1,234</td></tr></table><p>二、主动公开政府信息情况</p></td></tr></table></td></tr>
<tr><td colspan="2">主办单位：某某县人民政府办公室　技术支持：某某公司</td></tr></table></body></html>`
	ex := extractString(t, page, "")
	lines := textLines(ex)
	if len(lines) != 10 || lines[0] != "一、概述" || lines[9] != "二、主动公开政府信息情况" {
		t.Errorf("lines %q", lines)
	}
	absent(t, ex, []string{"栏目名称", "某某县人民政府"}, []string{"主办单位", "年度报告"})
	eq(t, "table", printed(row(t, ex, 1, "主动公开信息数")), []string{"主动公开信息数", "条", "1,234"})
}

// A CMS that shows the PDF first and keeps the text version in a hidden tab
// (style="display:none", shown by a script): the hidden report is read,
// hidden snippets inside it are not.
func TestHiddenTextTab(t *testing.T) {
	text := strings.Repeat("<p>本年度政府信息公开工作情况的叙述文字，隐藏在文字版标签页中。</p>\n", 12)
	page := `<html><body><div class="tabs"><div class="pdf_tab"><iframe src="/viewer.html?file=/u/report.pdf"></iframe></div>
<div class="text_tab" style="display:none"><p>一、总体情况</p>` + text + `<span style="mso-hide:all">隐藏的批注</span></div></div></body></html>`
	ex := extractString(t, page, "https://www.example.gov.cn/a/t.htm")
	lines := textLines(ex)
	if len(lines) != 13 || lines[0] != "一、总体情况" {
		t.Errorf("%d lines: %q", len(lines), lines)
	}
	absent(t, ex, nil, []string{"隐藏的批注"})
}

func TestNormDate(t *testing.T) {
	for in, want := range map[string]string{
		"2024-03-08 15:34": "2024-03-08",
		"2024/3/8":         "2024-03-08",
		"2024.03.08":       "2024-03-08",
		"2024年3月8日":        "2024-03-08",
		"2024 年 03 月 08 日": "2024-03-08",
		"二〇二四年三月八日":        "2024-03-08",
		"二〇二三年十二月三十一日":     "2023-12-31",
		"二〇二二年二月二十日":       "2022-02-20",
		"2024年13月40日":      "",
		"统计期限自至":           "",
	} {
		eq(t, in, normDate(in), want)
	}
}

// A report whose text is split over sibling blocks (an editor wrapping each
// section in its own div): all of them are the content, none dominates.
func TestContentSplitAcrossBlocks(t *testing.T) {
	part := func(h string, n int) string {
		return `<div class="sec"><p>` + h + `</p>` + strings.Repeat("<p>这一节的叙述文字，描述本年度政府信息公开工作的具体情况。</p>", n) + `</div>`
	}
	page := `<html><body><div class="menu">` + strings.Repeat(`<a href="/x/">栏目</a>`, 20) + `</div>
<div class="article">` + part("一、总体情况", 6) + part("五、存在的主要问题及改进情况", 4) + `</div>
<div class="foot">网站标识码：1234567890</div></body></html>`
	ex := extractString(t, page, "")
	inOrder(t, textLines(ex), []string{"一、总体情况", "五、存在的主要问题及改进情况"})
	eq(t, "lines", len(ex.Lines), 12)
}
