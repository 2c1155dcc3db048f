package govreport

// Levels of an agency: the level of the government it belongs to.
const (
	LevelProvince = "province"
	LevelCity     = "city"
	LevelCounty   = "county"
	LevelTownship = "township"
)

// Kinds of agency.
const (
	KindGovernment       = "government"        // a people's government (人民政府), or a zone's administrative committee
	KindGovernmentOffice = "government_office" // a government's general office (人民政府办公室, 办公厅)
	KindDepartment       = "department"        // a bureau, commission or other department (商务局, 发展和改革委员会)
	KindTownship         = "township"          // a township or town government, or a street office (乡, 镇, 街道办事处)
)

// Where an agency's region was found.
const (
	RegionFromName = "name" // the agency's own name
	RegionFromSeed = "seed" // the agency named for the site in the crawler's seeds
	RegionFromHost = "host" // other reports fetched from the same site
)

// Agency is who published a report, as resolved from its printed name:
// one name for the spellings an agency uses, and where it is.
type Agency struct {
	Name       string // normalised: the same for 洪泽区人民政府 and 淮安市洪泽区人民政府
	Printed    string // the name as the report printed it
	Level      string // LevelProvince…LevelTownship; "" when unknown
	Kind       string // KindGovernment…KindTownship
	Region     Region
	RegionFrom string // RegionFromName, RegionFromSeed, RegionFromHost; "" when no region was found
}

// Region is a place in the national administrative divisions (GB/T 2260
// codes of six digits; townships by the nine-digit codes of the National
// Bureau of Statistics). Empty fields are unknown or do not apply.
type Region struct {
	ProvinceCode string `json:"province_code,omitempty"` // 320000
	Province     string `json:"province,omitempty"`      // 江苏省
	CityCode     string `json:"city_code,omitempty"`     // 320800
	City         string `json:"city,omitempty"`          // 淮安市
	CountyCode   string `json:"county_code,omitempty"`   // 320813
	County       string `json:"county,omitempty"`        // 洪泽区
	TownshipCode string `json:"township_code,omitempty"` // 320813001
	Township     string `json:"township,omitempty"`
}

// Code is the most specific code of the region, or "".
func (r Region) Code() string {
	for _, c := range []string{r.TownshipCode, r.CountyCode, r.CityCode, r.ProvinceCode} {
		if c != "" {
			return c
		}
	}
	return ""
}
