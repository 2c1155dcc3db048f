package textnorm

import "testing"

// What each function promises, case by case; the expected values are
// written from the contracts, not taken from the code's output.

func TestClean(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"full-width brackets", "（三）不予公开", "(三)不予公开"},
		{"full-width digits, U+3000, zero width", "\u3000\u3000本年新收 ２０２３年\u200b度\ufeff ", "本年新收 2023年度"},
		{"Kangxi radical", "\u2f08民政府", "人民政府"},
		{"NBSP inside kept as a space", " 12\u00a0件 ", "12 件"},
		{"inner spaces kept", "项目  数量", "项目  数量"},
		{"composition", "e\u0301", "é"},
		{"soft hyphen kept", "1\u00ad2", "1\u00ad2"},
		{"ASCII", "\t total \n", "total"},
	} {
		if got := Clean(c.in); got != c.want {
			t.Errorf("%s: Clean(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestCleanRun(t *testing.T) {
	for _, c := range []struct{ name, in, want string }{
		{"punctuation kept, digits mapped", "（一）本年新收２０件：", "（一）本年新收20件："},
		{"white space collapsed", "\t项目 \u3000 数量\n", "项目 数量"},
		{"Kangxi radical", "\u2f08民", "人民"},
		{"composition around kept punctuation", "e\u0301（e\u0301）", "é（é）"},
		{"half-width CJK punctuation kept", "｢一｣､", "｢一｣､"},
		{"zero width kept", "1\u200b2", "1\u200b2"},
	} {
		if got := CleanRun(c.in); got != c.want {
			t.Errorf("%s: CleanRun(%q) = %q, want %q", c.name, c.in, got, c.want)
		}
	}
}

func TestJoiner(t *testing.T) {
	const brk = "\x00break" // a Break between pieces
	for _, c := range []struct {
		name   string
		pieces []string
		want   string
	}{
		{"CJK across a break", []string{"本年新", brk, "制作数量"}, "本年新制作数量"},
		{"CJK across white space", []string{"本年新 \n 制作数量"}, "本年新制作数量"},
		{"pieces glued", []string{"2", "1", "22"}, "2122"},
		{"CJK and punctuation", []string{"(一)", brk, "予以公开"}, "(一)予以公开"},
		{"full-width punctuation mapped", []string{"（一）", brk, "予以公开"}, "(一)予以公开"},
		{"Latin across a break", []string{"total", brk, "12"}, "total 12"},
		{"invisible dropped, ends trimmed", []string{" \u00ad1\u200b2\u2060\x01 ", brk}, "12"},
		{"NBSP and U+3000 are spaces", []string{"a\u00a0\u3000b"}, "a b"},
		{"leading break", []string{brk, "件"}, "件"},
	} {
		var j Joiner
		for _, p := range c.pieces {
			if p == brk {
				j.Break()
			} else {
				j.Add(p)
			}
		}
		if got := j.Take(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
		if got := j.Take(); got != "" {
			t.Errorf("%s: Take left %q", c.name, got)
		}
	}
}

func TestCompact(t *testing.T) {
	for in, want := range map[string]string{
		"不予公 开":              "不予公开",
		"\u3000本年\t新收\u00a0": "本年新收",
		"a\xffb c":           "a\ufffdbc",
		"不予公开":               "不予公开",
		"":                   "",
	} {
		if got := Compact(in); got != want {
			t.Errorf("Compact(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCore(t *testing.T) {
	for in, want := range map[string]string{
		"（三）不予公 开":       "不予公开",
		"(三) 不予公开":       "不予公开",
		"三、本年度办理结果":      "本年度办理结果",
		"十一、其他":          "其他",
		"1.本机关不掌握相关政府信息": "本机关不掌握相关政府信息",
		"12、申请人":         "申请人",
		"(1)第一项":         "第一项",
		"1.5万元":          "15万元",
		"三是加强":           "三是加强",
		"第（八）项":          "第项", // a bracketed numeral goes wherever it stands
		"——":             "",
	} {
		if got := Core(in); got != want {
			t.Errorf("Core(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestCNNumber(t *testing.T) {
	for in, want := range map[string]int{
		"一": 1, "九": 9, "十": 10, "十一": 11, "十九": 19, "二十": 20, "一十二": 12,
		"三十一": 31, "九十九": 99,
		"": 0, "〇": 0, "一二": 0, "十十": 0, "二〇": 0, "百": 0, "二十三四": 0, "十一十": 0, "1": 0,
	} {
		if got := CNNumber(in); got != want {
			t.Errorf("CNNumber(%q) = %d, want %d", in, got, want)
		}
	}
	if CNDigit('〇') != 0 || CNDigit('七') != 7 || CNDigit('十') != 10 || CNDigit('7') != 0 {
		t.Error("CNDigit")
	}
}

func TestLCS(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want int
	}{
		{"不予公开", "予以公开", 3},
		{"本机关不掌握相关政府信息", "不掌握", 3},
		{"", "公开", 0},
		{"abc", "cba", 1},
	} {
		if got := LCS([]rune(c.a), []rune(c.b)); got != c.want {
			t.Errorf("LCS(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}
