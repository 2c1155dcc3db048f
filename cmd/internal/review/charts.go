package review

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"

	"govreport/store"
)

// chart is a small line chart of an agency's figure over the years,
// drawn as inline SVG: one polyline per series, a dot per year with its
// value on hover, a year axis and the maximum on the value axis.
type chart struct {
	Title  string
	Series []series
	Years  []int
	SVG    template.HTML
}

type series struct {
	Name  string
	Class string // s1, s2: its colour
	Vals  []*float64
	Rate  bool // a share: drawn 0–1, shown as a percentage
}

// chartSize is the SVG's viewBox: width, height and the margins.
const (
	chartW, chartH          = 360.0, 150.0
	chartLeft, chartRight   = 44.0, 20.0
	chartTop, chartBottom   = 12.0, 24.0
	chartTicksMax, chartMin = 8, 1.0
)

// agencyCharts are the key figures of an agency's reports: applications
// received, grant rate, applications carried over (上年结转 and 结转下年度),
// and reviews and lawsuits decided against the agency (结果纠正).
func agencyCharts(ys []store.AgencyYear) []chart {
	var years []int
	pick := func(f func(store.AgencyYear) *float64) []*float64 {
		var out []*float64
		for _, y := range ys {
			out = append(out, f(y))
		}
		return out
	}
	for _, y := range ys {
		years = append(years, y.Year)
	}
	cs := []chart{
		{Title: "applications received (新收)", Series: []series{{Name: "received", Class: "s1", Vals: pick(func(y store.AgencyYear) *float64 { return y.Received })}}},
		{Title: "grant rate ((予以公开+部分公开)/总计)", Series: []series{{Name: "grant rate", Class: "s1", Rate: true, Vals: pick(func(y store.AgencyYear) *float64 { return y.GrantRate })}}},
		{Title: "carried over (上年结转, 结转下年度)", Series: []series{
			{Name: "上年结转", Class: "s1", Vals: pick(func(y store.AgencyYear) *float64 { return y.CarriedOver })},
			{Name: "结转下年度", Class: "s2", Vals: pick(func(y store.AgencyYear) *float64 { return y.CarriedForward })}}},
		{Title: "reviews and lawsuits corrected (结果纠正)", Series: []series{
			{Name: "reviews", Class: "s1", Vals: pick(func(y store.AgencyYear) *float64 { return y.ReviewCorrected })},
			{Name: "lawsuits", Class: "s2", Vals: pick(func(y store.AgencyYear) *float64 { return y.LitigationCorrected })}}},
	}
	for i := range cs {
		cs[i].Years = years
		cs[i].SVG = cs[i].draw()
	}
	return cs
}

// draw renders the chart. Every number is written by the program; text is
// escaped.
func (c chart) draw() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %g %g" role="img" aria-label="%s">`, chartW, chartH, template.HTMLEscapeString(c.Title))
	top := chartMin
	rate := false
	any := false
	for _, s := range c.Series {
		rate = rate || s.Rate
		for _, v := range s.Vals {
			if v != nil {
				any = true
				top = math.Max(top, *v)
			}
		}
	}
	if rate {
		top = 1
	}
	if !any {
		fmt.Fprintf(&b, `<text class="empty" x="%g" y="%g">no value</text></svg>`, chartW/2, chartH/2)
		return template.HTML(b.String())
	}
	n := len(c.Years)
	plotW, plotH := chartW-chartLeft-chartRight, chartH-chartTop-chartBottom
	x := func(i int) float64 {
		if n == 1 {
			return chartLeft + plotW/2
		}
		return chartLeft + plotW*float64(i)/float64(n-1)
	}
	y := func(v float64) float64 { return chartTop + plotH*(1-v/top) }
	label := func(v float64) string {
		if rate {
			return strconv.FormatFloat(v*100, 'f', 1, 64) + "%"
		}
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	// axes: the value axis from 0 to the top, the years below
	fmt.Fprintf(&b, `<line class="axis" x1="%g" y1="%g" x2="%g" y2="%g"/>`, chartLeft, chartTop, chartLeft, chartTop+plotH)
	fmt.Fprintf(&b, `<line class="axis" x1="%g" y1="%g" x2="%g" y2="%g"/>`, chartLeft, chartTop+plotH, chartLeft+plotW, chartTop+plotH)
	fmt.Fprintf(&b, `<text class="tick" x="%g" y="%g" text-anchor="end">%s</text>`, chartLeft-4, chartTop+4, label(top))
	fmt.Fprintf(&b, `<text class="tick" x="%g" y="%g" text-anchor="end">0</text>`, chartLeft-4, chartTop+plotH+4)
	step := max(1, (n+chartTicksMax-1)/chartTicksMax)
	for i, yr := range c.Years {
		if i%step == 0 || i == n-1 {
			fmt.Fprintf(&b, `<text class="tick" x="%g" y="%g" text-anchor="middle">%d</text>`, x(i), chartH-6, yr)
		}
	}
	for _, s := range c.Series {
		var pts []string
		flush := func() {
			if len(pts) > 1 {
				fmt.Fprintf(&b, `<polyline class="line %s" points="%s"/>`, s.Class, strings.Join(pts, " "))
			}
			pts = pts[:0]
		}
		for i, v := range s.Vals {
			if v == nil {
				flush() // a year without the figure breaks the line
				continue
			}
			pts = append(pts, fmt.Sprintf("%.1f,%.1f", x(i), y(*v)))
		}
		flush()
		for i, v := range s.Vals {
			if v != nil {
				fmt.Fprintf(&b, `<circle class="dot %s" cx="%.1f" cy="%.1f" r="3"><title>%s %d: %s</title></circle>`,
					s.Class, x(i), y(*v), template.HTMLEscapeString(s.Name), c.Years[i], label(*v))
			}
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
