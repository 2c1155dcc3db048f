package text

import (
	"math/rand"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// The separators and page numbers as first written, as regexps: the plain
// loops must agree with them. A page is numbered from 1.
var (
	cellSepRE    = regexp.MustCompile(`\t|\||｜| {2,}|\x{3000}{2,}`)
	bareNumberRE = regexp.MustCompile(`^\s*[1-9]\d{0,2}\s*$`)
)

func TestSplitCellsMatchesRegexp(t *testing.T) {
	var lines []string
	for _, dir := range []string{"../../testdata/corpus", "../../testdata/variants"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			lines = append(lines, strings.Split(string(data), "\n")...)
		}
	}
	if len(lines) < 1000 {
		t.Fatalf("only %d lines of real text", len(lines))
	}
	// Random lines over an alphabet dense in separators and near-misses.
	alphabet := []string{" ", " ", "\t", "|", "｜", "\u3000", "\u3000", "1", "23", "件", "（一）", "\f", "\r", "\n", "a", "，"}
	r := rand.New(rand.NewSource(1))
	for range 200000 {
		var b strings.Builder
		for range r.Intn(12) {
			b.WriteString(alphabet[r.Intn(len(alphabet))])
		}
		lines = append(lines, b.String())
	}
	for _, l := range lines {
		if got, want := splitCells(l, len(l)+1), cellSepRE.Split(l, -1); !slices.Equal(got, want) {
			t.Fatalf("splitCells(%q) = %q, the regexp gives %q", l, got, want)
		}
		if got, want := bareNumber(l), bareNumberRE.MatchString(l); got != want {
			t.Fatalf("bareNumber(%q) = %v, the regexp gives %v", l, got, want)
		}
	}
}

// A number beside a form feed is a page number only if it may number its
// page: not 0, and in agreement with the page's place (pages numbered in
// turn, or one number no higher than its page's). A table's cells printed
// a line each at the foot of a page (pdftotext raw) stay.
func TestPageNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"行政复议数\n条\n0\n0\n\f行政诉讼数\n条\n0\n0\n2\n\f", []string{"行政复议数", "条", "0", "0", "行政诉讼数", "条", "0", "0"}},
		{"正文\n3\n\f正文\n4\n\f正文\n5\n\f", []string{"正文", "正文", "正文"}},
		{"合计\n70\n\f小计\n25\n\f", []string{"合计", "70", "小计", "25"}},
		{"一\n二\n\f三\n20\n\f", []string{"一", "二", "三", "20"}},
	} {
		x, err := Extract([]byte(c.in))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, l := range x.Lines {
			for _, c := range l.Cells {
				if t := strings.Trim(c.Text, "\f"); t != "" {
					got = append(got, t)
				}
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%q: cells %q, want %q", c.in, got, c.want)
		}
	}
}

func TestExtractCells(t *testing.T) {
	x, err := Extract([]byte("\ufeff（一）本年新收政府信息公开申请数量\t7\r\n 项目 |  数量\u3000\u3000件\n\f2\n"))
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for _, l := range x.Lines {
		var cells []string
		for _, c := range l.Cells {
			cells = append(cells, c.Text)
		}
		got = append(got, cells)
	}
	want := [][]string{{"（一）本年新收政府信息公开申请数量", "7"}, {" 项目 ", "", "数量", "件"}, {""}}
	if len(got) != len(want) {
		t.Fatalf("lines %q, want %q", got, want)
	}
	for i := range want {
		if !slices.Equal(got[i], want[i]) {
			t.Errorf("line %d: %q, want %q", i+1, got[i], want[i])
		}
	}
}

// The header a web archiver writes above a page's text (2015_pingtan_1.txt
// has one) is metadata, not text.
func TestArchiverHeader(t *testing.T) {
	in := "标题: 平潭综合实验区2015年度政府信息公开工作年度报告\n发布时间: 2016-01-12 16:08\n文号: \n发布机构: \n栏目: 政府信息公开年报\n" +
		"原文链接: https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201601/t20160112_80445.htm\n页面链接与图片详见 links.tsv(同目录)\n" +
		"==================== 正文 ====================\n平潭综合实验区2015年度政府信息公开工作年度报告 一、 概述\n"
	x, err := Extract([]byte(in))
	if err != nil {
		t.Fatal(err)
	}
	for k, want := range map[string]string{"title": "平潭综合实验区2015年度政府信息公开工作年度报告", "date": "2016-01-12",
		"url": "https://www.pingtan.gov.cn/zwgk/zfxxgk/zfxxgknb/201601/t20160112_80445.htm", "栏目": "政府信息公开年报", "发布机构": ""} {
		if x.Meta[k] != want {
			t.Errorf("Meta[%q] = %q, want %q", k, x.Meta[k], want)
		}
	}
	if len(x.Lines) != 2 || x.Lines[0].Cells[0].Pos.Line != 9 {
		t.Errorf("lines %+v, want the body line first, at line 9", x.Lines)
	}
	// label: value lines without the rule are text
	x, _ = Extract([]byte("标题: 一\n发布时间: 2016-01-12\n正文\n"))
	if len(x.Lines) != 4 || x.Meta["title"] != "" {
		t.Errorf("no rule: lines %d, meta %v", len(x.Lines), x.Meta)
	}
}
