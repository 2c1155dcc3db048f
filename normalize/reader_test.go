package normalize

import (
	"testing"
)

// Numbers printed before a row's label belong to the label left pending
// on the lines above. In table 三 they take table 三's columns, even when
// table 二's last group header named as many columns as they are.
func TestLeadNumbersTakeTheirTablesColumns(t *testing.T) {
	d := parseText(t, "二、主动公开政府信息情况\n信息内容\t本年制发件数\t本年废止件数\t现行有效件数\n规章\t1\t0\t11\n"+
		"三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量\n"+
		"3\t0\t3\t二、上年结转政府信息公开申请数量\t0\t0\t0\t0\t0\t0\t0\n四、政府信息公开行政复议、行政诉讼情况\n")
	t3 := tableOf(Template(d.Layout), "t3")
	n := 0
	for _, c := range d.Cells {
		if c.Table != "t3" || c.Row != "new_received" {
			continue
		}
		n++
		if colOf(t3, c.Col) == nil {
			t.Errorf("t3.new_received has column %s (raw %q), not one of table 三's", c.Col, c.Raw)
		}
	}
	if n != 7 {
		t.Errorf("t3.new_received: %d cells, want 7", n)
	}
}
