package ocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"os"
	"path/filepath"
	"strings"
	"unicode"
)

// page is what OCR read on one page: prose lines and tables, in page
// points (Y from the top).
type page struct {
	n        int
	height   float64 // points
	prose    []textLine
	tables   []table
	warnings []string
}

// textLine is a line of prose.
type textLine struct {
	text string
	x, y float64
	conf float64
}

// table is a grid with the text of its cells.
type table struct {
	g     grid
	scale float64 // points per pixel
	texts []reading
}

// reading is what OCR made of one cell.
type reading struct {
	text string
	conf float64  // 0–100; 100 for a cell without ink
	alts []string // other readings, most likely first
	ink  bool
}

// keepCrops, set by a test, keeps each page's crops in a folder of its own.
var keepCrops string

// scanned is a page image, deskewed, with its tables found.
type scanned struct {
	img     *image.Gray
	dpi     float64
	textInk uint8 // grey levels at or below which a pixel is ink
	grids   []grid
	skewDeg float64
}

// scan rasterises page n of file, deskews it and finds its tables.
func scan(ctx context.Context, file string, n int, ps pageSize, s Settings) (*scanned, error) {
	dpi := dpiFor(ps, s)
	img, err := rasterise(ctx, file, n, dpi)
	if err != nil {
		return nil, err
	}
	paper, ink := levels(img)
	sc := &scanned{dpi: dpi, textInk: between(paper, ink, s.TextInk)}
	if a := skew(img, sc.textInk, s); math.Abs(a) >= 0.05 {
		img = rotate(img, a)
		sc.skewDeg = a
	}
	sc.img = img
	sc.grids = findGrids(img, between(paper, ink, s.RuleInk), s, dpi)
	return sc, nil
}

// readPage runs the stages on page n of file; dir is a folder of its own
// for the crops.
func readPage(ctx context.Context, dir, file string, n int, ps pageSize, s Settings) (*page, error) {
	sc, err := scan(ctx, file, n, ps, s)
	if err != nil {
		return nil, err
	}
	pg := &page{n: n, height: ps.h}
	px := func(inch float64) int { return max(1, int(inch*sc.dpi+0.5)) }
	scale := 72 / sc.dpi
	if keepCrops != "" {
		dir = filepath.Join(keepCrops, fmt.Sprintf("p%d", n))
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if keepCrops == "" {
		defer os.RemoveAll(dir)
	}

	// prose: the page without its tables, at the prose resolution
	prose := blankTables(sc.img, sc.grids, px(s.RuleTolerance)+px(s.MaxRuleWidth))
	k := max(1, int(math.Round(sc.dpi/float64(s.ProseDPI))))
	words, err := tesseract(ctx, dir, "prose", []*image.Gray{shrink(prose, k)}, "chi_sim", 4)
	if err != nil {
		return nil, err
	}
	pg.prose = proseLines(words, scale*float64(k))

	// tables: the cells with ink, read
	var jobs []cellJob
	ncells := 0
	for ti, g := range sc.grids {
		t := table{g: g, scale: scale, texts: make([]reading, len(g.cells))}
		for ci, c := range g.cells {
			t.texts[ci].conf = 100
			if ncells++; ncells > s.MaxCells {
				continue
			}
			if j, ok := newJob(sc, c, s); ok {
				j.t, j.c = ti, ci
				jobs = append(jobs, j)
			}
		}
		pg.tables = append(pg.tables, t)
	}
	if ncells > s.MaxCells {
		pg.warnings = append(pg.warnings, fmt.Sprintf("page %d: %d table cells, only the first %d read", n, ncells, s.MaxCells))
	}
	joinSmallBands(jobs)
	rs, err := readCells(ctx, dir, jobs, s)
	if err != nil {
		return nil, err
	}
	for i, j := range jobs {
		pg.tables[j.t].texts[j.c] = rs[i]
	}
	return pg, nil
}

func writeFile(path string, img *image.Gray) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writePGM(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// blankTables paints the tables' areas (grown by m pixels) white, leaving
// the prose.
func blankTables(img *image.Gray, grids []grid, m int) *image.Gray {
	out := image.NewGray(img.Bounds())
	copy(out.Pix, img.Pix)
	for _, g := range grids {
		r := image.Rect(g.xs[0]-m, g.ys[0]-m, g.xs[len(g.xs)-1]+m, g.ys[len(g.ys)-1]+m).Intersect(out.Bounds())
		for y := r.Min.Y; y < r.Max.Y; y++ {
			row := out.Pix[out.PixOffset(r.Min.X, y):][:r.Dx()]
			for i := range row {
				row[i] = 255
			}
		}
	}
	return out
}

// shrink scales img down by k (mean of each k×k block).
func shrink(img *image.Gray, k int) *image.Gray {
	if k <= 1 {
		return img
	}
	b := img.Bounds()
	w, h := b.Dx()/k, b.Dy()/k
	out := image.NewGray(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			sum := 0
			for dy := 0; dy < k; dy++ {
				row := img.Pix[img.PixOffset(b.Min.X+x*k, b.Min.Y+y*k+dy):][:k]
				for _, v := range row {
					sum += int(v)
				}
			}
			out.Pix[y*out.Stride+x] = uint8(sum / (k * k))
		}
	}
	return out
}

// proseLines joins the words of the prose pass into lines (Tesseract's
// block, paragraph and line), in points.
func proseLines(ws []word, scale float64) []textLine {
	var out []textLine
	var cur []word
	flush := func() {
		if len(cur) == 0 {
			return
		}
		x0, y0, conf := cur[0].x0, cur[0].y0, 100.0
		for _, w := range cur {
			x0, y0 = min(x0, w.x0), min(y0, w.y0)
			conf = math.Min(conf, w.conf)
		}
		out = append(out, textLine{text: joinWords(cur), x: float64(x0) * scale, y: float64(y0) * scale, conf: conf})
		cur = cur[:0]
	}
	for i, w := range ws {
		if i > 0 {
			p := ws[i-1]
			if w.img != p.img || w.block != p.block || w.par != p.par || w.ln != p.ln {
				flush()
			}
		}
		cur = append(cur, w)
	}
	flush()
	return out
}

// joinWords joins a line's words: no space where either side is CJK.
func joinWords(ws []word) string {
	var b strings.Builder
	for i, w := range ws {
		if i > 0 && !endsCJK(ws[i-1].text) && !startsCJK(w.text) {
			b.WriteByte(' ')
		}
		b.WriteString(w.text)
	}
	return b.String()
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF) || r == '“' || r == '”' || r == '‘' || r == '’'
}

func endsCJK(s string) bool {
	rs := []rune(s)
	return len(rs) > 0 && isCJK(rs[len(rs)-1])
}

func startsCJK(s string) bool {
	for _, r := range s {
		return isCJK(r)
	}
	return false
}

// joinCJK drops spaces that have a CJK character on either side.
func joinCJK(s string) string {
	if !strings.Contains(s, " ") {
		return s
	}
	rs := []rune(s)
	var b strings.Builder
	for i, r := range rs {
		if r == ' ' && (i == 0 || i == len(rs)-1 || isCJK(rs[i-1]) || isCJK(rs[i+1]) || rs[i-1] == ' ') {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
