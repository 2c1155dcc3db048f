package segment

import (
	"slices"
	"testing"
)

func TestDomainTermsNotSplit(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, term := range []string{"政府信息公开", "依申请公开", "主动公开", "三安全一稳定", "行政复议", "行政诉讼", "过程性信息", "政务公开", "不予公开", "部分公开", "行政规范性文件"} {
		got := s.Cut("本机关" + term + "的情况")
		if !slices.Contains(got, term) {
			t.Errorf("Cut split %s: %q", term, got)
		}
		if got := s.CutForSearch(term); !slices.Contains(got, term) {
			t.Errorf("CutForSearch split %s: %q", term, got)
		}
	}
	t.Log(s.CutForSearch("全年共收到依申请公开的政府信息公开申请71件，危及“三安全一稳定”的不予公开"))
	t.Log(s.Keywords("存在的主要问题：政务公开工作人员业务水平有待提高，政策解读形式单一，依申请公开答复规范化程度不高。", 5))
}

func TestLoadedOnce(t *testing.T) {
	for range 2 {
		if _, err := Default(); err != nil {
			t.Fatal(err)
		}
	}
	if loads != 1 {
		t.Errorf("dictionaries loaded %d times", loads)
	}
}
