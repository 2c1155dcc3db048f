package ocr

import (
	"context"
	"fmt"
	"image"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// cellJob is a cell with ink to read: its crop, its lines of text and its
// place in the grid.
type cellJob struct {
	t, c  int // table and cell index on the page
	crop  *image.Gray
	bands []image.Rectangle // its lines of text
	lines int
	col   int     // the grid column it stands in, -1 if it spans several
	row   int     // the grid row, -1 if it spans several
	shape float64 // the ink's width over the tallest line's height
}

// newJob crops a cell; ok is false when it holds no ink.
func newJob(sc *scanned, c gcell, s Settings) (cellJob, bool) {
	px := func(inch float64) int { return max(1, int(inch*sc.dpi+0.5)) }
	crop, ok := cellCrop(sc.img, c.box, sc.textInk, px(s.CellInset), px(s.CellPad), int(s.MinInk*sc.dpi*sc.dpi))
	if !ok {
		return cellJob{}, false
	}
	j := cellJob{crop: crop, col: -1, row: -1}
	if c.c0 == c.c1 {
		j.col = c.c0
	}
	if c.r0 == c.r1 {
		j.row = c.r0
	}
	j.setBands(inkBands(crop, sc.textInk))
	return j, true
}

func (j *cellJob) setBands(bands []image.Rectangle) {
	j.bands, j.lines, j.shape = bands, len(bands), 0
	if j.lines > 0 {
		x0, x1, h := j.crop.Bounds().Max.X, 0, 0
		for _, b := range bands {
			x0, x1, h = min(x0, b.Min.X), max(x1, b.Max.X), max(h, b.Dy())
		}
		j.shape = float64(x1-x0) / float64(h)
	}
}

// joinSmallBands merges, in every crop, a band lower than 0.6 of the
// page's usual line height into the nearer of its neighbours: a glyph
// that blur splits in two at a thin joint (the bar and the stem of a 7)
// is one line, not two.
func joinSmallBands(jobs []cellJob) {
	var hs []int
	for _, j := range jobs {
		for _, b := range j.bands {
			hs = append(hs, b.Dy())
		}
	}
	if len(hs) == 0 {
		return
	}
	sort.Ints(hs)
	small := 6 * hs[len(hs)/2] / 10
	for k := range jobs {
		bands := append([]image.Rectangle(nil), jobs[k].bands...)
		for len(bands) > 1 {
			i := -1
			for n, b := range bands {
				if b.Dy() < small && (i < 0 || b.Dy() < bands[i].Dy()) {
					i = n
				}
			}
			if i < 0 {
				break
			}
			o := i + 1 // the nearer neighbour
			if o == len(bands) || i > 0 && bands[i].Min.Y-bands[i-1].Max.Y < bands[o].Min.Y-bands[i].Max.Y {
				o = i - 1
			}
			bands[min(i, o)] = bands[i].Union(bands[o])
			bands = append(bands[:max(i, o)], bands[max(i, o)+1:]...)
		}
		jobs[k].setBands(bands)
	}
}

// inkBands finds the lines of text of a crop: bands of rows with ink, a
// band less than 0.3 of the tallest one's height (a stray mark) left out;
// each is the rectangle of its ink.
func inkBands(img *image.Gray, thr uint8) []image.Rectangle {
	b := img.Bounds()
	var bands []image.Rectangle
	in := false
	for y := b.Min.Y; y < b.Max.Y; y++ {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()]
		x0, x1, ink := b.Max.X, b.Min.X, 0
		for x, v := range row {
			if v <= thr {
				ink++
				x0, x1 = min(x0, b.Min.X+x), max(x1, b.Min.X+x+1)
			}
		}
		switch {
		case ink >= 2 && !in:
			bands = append(bands, image.Rect(x0, y, x1, y+1))
			in = true
		case ink >= 2:
			r := &bands[len(bands)-1]
			r.Min.X, r.Max.X, r.Max.Y = min(r.Min.X, x0), max(r.Max.X, x1), y+1
		default:
			in = false
		}
	}
	h := 0
	for _, bd := range bands {
		h = max(h, bd.Dy())
	}
	out := bands[:0]
	for _, bd := range bands {
		if 10*bd.Dy() >= 3*h {
			out = append(out, bd)
		}
	}
	return out
}

// joinBands sets a crop's lines side by side on one line: a label wrapped
// in a narrow cell, or printed one character a line, reads as the line it
// is.
func joinBands(img *image.Gray, bands []image.Rectangle, pad int) *image.Gray {
	h, w := 0, pad
	for _, b := range bands {
		h = max(h, b.Dy())
	}
	gap := h / 4
	for _, b := range bands {
		w += b.Dx() + gap
	}
	out := image.NewGray(image.Rect(0, 0, w+pad, h+2*pad))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	x := pad
	for _, b := range bands {
		y0 := pad + (h-b.Dy())/2
		for y := 0; y < b.Dy(); y++ {
			copy(out.Pix[(y0+y)*out.Stride+x:][:b.Dx()], img.Pix[img.PixOffset(b.Min.X, b.Min.Y+y):][:b.Dx()])
		}
		x += b.Dx() + gap
	}
	return out
}

// height is the height of the crop's tallest line.
func (j cellJob) height() int {
	h := 1
	for _, b := range j.bands {
		h = max(h, b.Dy())
	}
	return h
}

// scaleUp enlarges img by f (bilinear), if f is more than 1.1, at most 3
// times: Tesseract reads small Chinese characters better enlarged.
func scaleUp(img *image.Gray, f float64) *image.Gray {
	if f < 1.1 {
		return img
	}
	f = math.Min(f, 3)
	b := img.Bounds()
	w, h := int(float64(b.Dx())*f), int(float64(b.Dy())*f)
	out := image.NewGray(image.Rect(0, 0, w, h))
	at := func(x, y int) float64 {
		x = min(max(x, 0), b.Dx()-1)
		y = min(max(y, 0), b.Dy()-1)
		return float64(img.Pix[img.PixOffset(b.Min.X+x, b.Min.Y+y)])
	}
	for y := 0; y < h; y++ {
		sy := (float64(y)+0.5)/f - 0.5
		y0 := int(math.Floor(sy))
		fy := sy - float64(y0)
		for x := 0; x < w; x++ {
			sx := (float64(x)+0.5)/f - 0.5
			x0 := int(math.Floor(sx))
			fx := sx - float64(x0)
			v := (at(x0, y0)*(1-fx)+at(x0+1, y0)*fx)*(1-fy) + (at(x0, y0+1)*(1-fx)+at(x0+1, y0+1)*fx)*fy
			out.Pix[y*out.Stride+x] = uint8(v + 0.5)
		}
	}
	return out
}

// Blank marks a value cell may print instead of a number.
var blankMarks = map[string]string{"无": "无", "/": "/", "／": "/", "—": "—", "-": "—", "－": "—", "一": "—", "_": "—", "——": "—"}

// readCells reads the crops: every one with chi_sim (readText); then the
// numbers among them (numberCells) again with a digits whitelist
// (readDigits).
func readCells(ctx context.Context, dir string, jobs []cellJob, s Settings) ([]reading, error) {
	out, err := readText(ctx, dir, jobs, s)
	if err != nil {
		return nil, err
	}
	if err := readDigits(ctx, dir, jobs, numberCells(jobs, out), out, s); err != nil {
		return nil, err
	}
	return out, nil
}

// readText reads every crop with chi_sim: one line as a line; several as a
// block, and joined into one line (the surer reading kept). A reading
// below RetryConf is read again, the crop enlarged to LineHeight (the
// surer kept): enlarging every crop loses as many readings as it gains;
// one still below RetryConf is read again as a raw line, kept if sure.
func readText(ctx context.Context, dir string, jobs []cellJob, s Settings) ([]reading, error) {
	out := make([]reading, len(jobs))
	for i := range out {
		out[i].conf = -1
	}
	// f prepares an image of job j: the crop, or its lines joined (joined
	// first, since j.bands are in the crop's pixels).
	read := func(tag string, idx []int, f func(j cellJob, img *image.Gray) *image.Gray) error {
		var lines, blocks []*image.Gray
		var lineOf, blockOf []int
		for _, i := range idx {
			j := jobs[i]
			if j.lines <= 1 {
				lines, lineOf = append(lines, f(j, j.crop)), append(lineOf, i)
				continue
			}
			blocks, blockOf = append(blocks, f(j, j.crop)), append(blockOf, i)
			lines, lineOf = append(lines, f(j, joinBands(j.crop, j.bands, 10))), append(lineOf, i)
		}
		for _, set := range []struct {
			imgs []*image.Gray
			of   []int
			psm  int
		}{{lines, lineOf, 7}, {blocks, blockOf, 6}} {
			ws, err := tesseract(ctx, dir, fmt.Sprintf("%s%d_", tag, set.psm), set.imgs, "chi_sim", set.psm)
			if err != nil {
				return err
			}
			for k, r := range cellTexts(ws, len(set.imgs)) {
				if i := set.of[k]; r.conf > out[i].conf || out[i].text == "" && r.text != "" {
					out[i] = r
				}
			}
		}
		return nil
	}
	all := make([]int, len(jobs))
	for i := range all {
		all[i] = i
	}
	if err := read("a", all, func(_ cellJob, img *image.Gray) *image.Gray { return img }); err != nil {
		return nil, err
	}
	var retry []int
	for i, r := range out {
		if r.conf < s.RetryConf && s.LineHeight/float64(jobs[i].height()) >= 1.1 {
			retry = append(retry, i)
		}
	}
	if err := read("b", retry, func(j cellJob, img *image.Gray) *image.Gray { return scaleUp(img, s.LineHeight/float64(j.height())) }); err != nil {
		return nil, err
	}
	// still unsure: read once more as a raw line (psm 13, no layout
	// analysis), enlarged, kept when sure (RetryConf) and surer. On a 150
	// dpi scan chi_sim reads （一）予以公开 as a line as (从公开, at 36, and
	// as a raw line right, at 73; unsure, a raw line invents glyphs (a 25
	// read 中, at 42, and no longer read as a number).
	var raw []*image.Gray
	var rawOf []int
	for _, i := range retry {
		if out[i].conf >= s.RetryConf {
			continue
		}
		j := jobs[i]
		line := j.crop
		if j.lines > 1 {
			line = joinBands(j.crop, j.bands, 10)
		}
		raw, rawOf = append(raw, scaleUp(line, s.LineHeight/float64(j.height()))), append(rawOf, i)
	}
	ws, err := tesseract(ctx, dir, "c13_", raw, "chi_sim", 13)
	if err != nil {
		return nil, err
	}
	for k, r := range cellTexts(ws, len(raw)) {
		if i := rawOf[k]; r.conf >= s.RetryConf && r.conf > out[i].conf {
			out[i] = r
		}
	}
	return out, nil
}

// numberCells picks the cells to read as numbers: a cell read as one; or,
// among numbers (in a column of numbers of its table, or a row with two or
// more), one right of its row's first number, or one whose reading is
// empty or a glyph or two shaped like digits (narrow ink; a header such
// as 其他 or a label is wider). A blank mark (无, —, /) among numbers is
// kept as printed, 一 read as the dash it is there.
func numberCells(jobs []cellJob, out []reading) []int {
	type key struct{ t, n int } // table, grid column or row
	nums, inCol := map[key]int{}, map[key]int{}
	rowNums, rowFirst := map[key]int{}, map[key]int{}
	for i, j := range jobs {
		if j.col < 0 {
			continue
		}
		inCol[key{j.t, j.col}]++
		if !numberLike(out[i].text) {
			continue
		}
		nums[key{j.t, j.col}]++
		if r := (key{j.t, j.row}); j.row >= 0 {
			if rowNums[r] == 0 || j.col < rowFirst[r] {
				rowFirst[r] = j.col
			}
			rowNums[r]++
		}
	}
	var idx []int
	for i, j := range jobs {
		t := compact(out[i].text)
		c, r := key{j.t, j.col}, key{j.t, j.row}
		numCol := j.col >= 0 && nums[c] >= 2 && 2*nums[c] >= inCol[c]
		numRow := j.col >= 0 && j.row >= 0 && rowNums[r] >= 2
		right := numRow && j.col > rowFirst[r]
		if numCol || right {
			if m, ok := blankMarks[t]; ok {
				out[i].text = m
				continue
			}
		}
		n := utf8.RuneCountInString(t)
		switch {
		case numberLike(t):
		case j.lines > 1:
			continue
		case right: // whatever chi_sim made of it
		case (numCol || numRow) && (n == 0 || n <= 2 && j.shape <= 0.7*float64(n)):
		default:
			continue
		}
		idx = append(idx, i)
	}
	return idx
}

// readDigits reads the cells idx as numbers with a digits whitelist, each
// crop alone and on strips of crops, in one Tesseract process as lines
// (psm 7), then each crop alone as a raw line (psm 13: no layout analysis),
// a reading that votes only when Tesseract is sure of it (RawLineConf): a
// lone digit the line reading misses or misreads (a thin 4 of a 150 dpi
// scan as 1, at 54) the raw one often reads at 96, but on small type it
// drops digits, unsure (3119 as 39, at 0), and now and then sure (22 as 2,
// at 90 and more): a number only it reads gets at most LoneRawConf. A number
// whose two digit readings differ keeps the surer one, the other as an
// alternative, and a confidence of at most Settings.DisagreeConf: on the
// scans in testdata, Tesseract is often sure of both of two different
// readings (56 alone, 6 on a strip). chi_sim's reading of a digit is often
// wrong (5 as 3, 66 as 00): not a vote against the digit readings but an
// alternative; where it agrees with them its confidence counts.
func readDigits(ctx context.Context, dir string, jobs []cellJob, idx []int, out []reading, s Settings) error {
	if len(idx) == 0 {
		return nil
	}
	imgs := make([]*image.Gray, 0, 2*len(idx))
	flat := make([]*image.Gray, 0, len(idx))
	for _, i := range idx {
		imgs = append(imgs, jobs[i].crop)
		flat = append(flat, stretch(jobs[i].crop))
	}
	sts := strips(flat, s.StripCells, s.StripGap)
	n := len(imgs)
	for _, st := range sts {
		imgs = append(imgs, st.img)
	}
	ws, err := tesseract(ctx, dir, "digits", imgs, "eng", 7, digitsOnly)
	if err != nil {
		return err
	}
	raw, err := tesseract(ctx, dir, "raw", imgs[:n], "eng", 13, digitsOnly)
	if err != nil {
		return err
	}
	var alone, onStrip []word
	for _, w := range ws {
		if w.img <= n {
			alone = append(alone, w)
		} else {
			w.img -= n
			onStrip = append(onStrip, w)
		}
	}
	a := cellTexts(alone, n)
	b := stripTexts(onStrip, sts, n)
	c := cellTexts(raw, n)
	for k, i := range idx {
		switch {
		case c[k].conf < s.RawLineConf:
			c[k] = reading{}
		case a[k].text == "" && b[k].text == "":
			c[k].conf = math.Min(c[k].conf, s.LoneRawConf)
		}
		r := vote(s.DisagreeConf, a[k], b[k], c[k])
		first := digitLookalikes.Replace(compact(out[i].text))
		switch {
		case !numberLike(first):
		case first == r.text && len(r.alts) == 0:
			r.conf = math.Max(r.conf, out[i].conf)
		case first != r.text && !contains(r.alts, first):
			r.alts = append(r.alts, first)
		}
		out[i] = r
	}
	return nil
}

// digitsOnly is the whitelist of the digits passes.
const digitsOnly = "tessedit_char_whitelist=0123456789.-"

// digitLookalikes are what chi_sim reads for digits alone in a cell.
var digitLookalikes = strings.NewReplacer("]", "1", "[", "1", "|", "1", "l", "1", "I", "1", "!", "1", "O", "0", "o", "0")

// vote combines readings of a number: the text most of them give (ties to
// the surest), with the confidence of its surest reading; when another
// reading differs, at most capConf, the others kept as alternatives. An
// empty reading (nothing read) does not vote.
func vote(capConf float64, rs ...reading) reading {
	votes := map[string]int{}
	best := map[string]float64{}
	var order []string
	for _, r := range rs {
		t := strings.TrimRight(compact(r.text), ".")
		if t == "" {
			continue
		}
		if votes[t] == 0 {
			order = append(order, t)
		}
		votes[t]++
		best[t] = math.Max(best[t], r.conf)
	}
	if len(order) == 0 {
		return reading{}
	}
	win := order[0]
	for _, t := range order[1:] {
		if votes[t] > votes[win] || votes[t] == votes[win] && best[t] > best[win] {
			win = t
		}
	}
	out := reading{text: win, conf: best[win]}
	for _, t := range order {
		if t != win {
			out.alts = append(out.alts, t)
			out.conf = math.Min(out.conf, capConf)
		}
	}
	return out
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// compact drops spaces.
func compact(s string) string { return strings.ReplaceAll(s, " ", "") }

var reNumberLike = regexp.MustCompile(`^[+\-－—]?[0-9OoIl|!\[\]]+([.,][0-9OoIl|!\[\]]+)*$`)

// numberLike reports whether a first reading is a number, or a number
// misread with glyphs that look like digits (O for 0, ] or | for 1).
func numberLike(s string) bool {
	s = compact(s)
	return s != "" && reNumberLike.MatchString(s)
}

// cellTexts gives the text of each of n crops, its lines joined, and its
// confidence: that of its least sure word.
func cellTexts(ws []word, n int) []reading {
	out := make([]reading, n)
	byImg := make([][]word, n)
	for _, w := range ws {
		if w.img >= 1 && w.img <= n {
			byImg[w.img-1] = append(byImg[w.img-1], w)
		}
	}
	for i, img := range byImg {
		out[i].conf = 0
		if len(img) == 0 {
			continue
		}
		var lines []string
		var cur []word
		conf := 100.0
		for j, w := range img {
			if j > 0 && (w.block != img[j-1].block || w.par != img[j-1].par || w.ln != img[j-1].ln) {
				lines = append(lines, joinWords(cur))
				cur = cur[:0]
			}
			cur = append(cur, w)
			conf = math.Min(conf, w.conf)
		}
		lines = append(lines, joinWords(cur))
		out[i].text = joinCJK(strings.Join(lines, " "))
		out[i].conf = conf
	}
	return out
}

// cellCrop cuts the ink inside a cell's rules (inset by inset pixels) out
// of the page, with pad pixels of white around it. Rules left inside the
// inset (a cell's own border drawn apart from the grid's, a rule the
// deskew left slanted) are trimmed first: within 2·inset of each side, a
// column or row inked over 60% of the cell. ok is false when the cell
// holds less than minInk pixels of ink.
func cellCrop(img *image.Gray, box image.Rectangle, thr uint8, inset, pad, minInk int) (*image.Gray, bool) {
	in := box.Inset(inset).Intersect(img.Bounds())
	if in.Empty() {
		return nil, false
	}
	cols, rows := make([]int, in.Dx()), make([]int, in.Dy())
	for y := in.Min.Y; y < in.Max.Y; y++ {
		row := img.Pix[img.PixOffset(in.Min.X, y):][:in.Dx()]
		for i, v := range row {
			if v <= thr {
				cols[i]++
				rows[y-in.Min.Y]++
			}
		}
	}
	trim := func(counts []int, full int) (lo, hi int) {
		lo, hi = 0, len(counts)
		for i := 0; i < min(2*inset, len(counts)); i++ {
			if 10*counts[i] >= 6*full {
				lo = i + 1
			}
			if j := len(counts) - 1 - i; 10*counts[j] >= 6*full {
				hi = min(hi, j)
			}
		}
		return lo, hi
	}
	cl, ch := trim(cols, in.Dy())
	rl, rh := trim(rows, in.Dx())
	in = image.Rect(in.Min.X+cl, in.Min.Y+rl, in.Min.X+ch, in.Min.Y+rh)
	if in.Empty() {
		return nil, false
	}
	x0, y0, x1, y1 := in.Max.X, in.Max.Y, in.Min.X, in.Min.Y
	ink := 0
	for y := in.Min.Y; y < in.Max.Y; y++ {
		row := img.Pix[img.PixOffset(in.Min.X, y):][:in.Dx()]
		for i, v := range row {
			if v <= thr {
				ink++
				x := in.Min.X + i
				x0, x1 = min(x0, x), max(x1, x)
				y0, y1 = min(y0, y), max(y1, y)
			}
		}
	}
	if ink < minInk {
		return nil, false
	}
	src := image.Rect(x0-pad, y0-pad, x1+1+pad, y1+1+pad).Intersect(in)
	out := image.NewGray(image.Rect(0, 0, src.Dx()+2*pad, src.Dy()+2*pad))
	for i := range out.Pix {
		out.Pix[i] = 255
	}
	for y := src.Min.Y; y < src.Max.Y; y++ {
		copy(out.Pix[(y-src.Min.Y+pad)*out.Stride+pad:], img.Pix[img.PixOffset(src.Min.X, y):][:src.Dx()])
	}
	return out, true
}

// stretch maps a crop's grey levels so that its ink is black and its
// paper white: crops read together in one strip get one threshold.
func stretch(img *image.Gray) *image.Gray {
	var hist [256]int
	for _, v := range img.Pix {
		hist[v]++
	}
	n := len(img.Pix)
	lo, hi, acc := 0, 255, 0
	for v := 0; v < 256; v++ {
		acc += hist[v]
		if acc*50 <= n { // 2nd percentile
			lo = v
		}
	}
	acc = 0
	for v := 255; v >= 0; v-- {
		acc += hist[v]
		if acc*4 <= n { // the lightest quarter is paper
			hi = v
		}
	}
	if hi-lo < 32 {
		return img
	}
	var lut [256]uint8
	for v := range lut {
		x := (v - lo) * 255 / (hi - lo)
		lut[v] = uint8(min(max(x, 0), 255))
	}
	out := image.NewGray(img.Bounds())
	for i, v := range img.Pix {
		out.Pix[i] = lut[v]
	}
	return out
}

// strip is crops set side by side on one line, as Tesseract reads a short
// number better among others than alone (a lone 0 or 1 is often read as
// nothing at all).
type strip struct {
	img   *image.Gray
	spans [][2]int // x range of each crop
	crops []int    // index of each crop in the list given to strips
	gap   int
}

// strips sets the crops on lines of at most per crops each, crops of
// similar height together, paper gap times the line's height wide between
// two crops.
func strips(crops []*image.Gray, per int, gap float64) []strip {
	idx := make([]int, len(crops))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool { return crops[idx[a]].Bounds().Dy() < crops[idx[b]].Bounds().Dy() })
	var out []strip
	for len(idx) > 0 {
		k := min(per, len(idx))
		part := idx[:k]
		idx = idx[k:]
		h := 0
		for _, i := range part {
			h = max(h, crops[i].Bounds().Dy())
		}
		gap := int(gap * float64(h))
		w := gap
		for _, i := range part {
			w += crops[i].Bounds().Dx() + gap
		}
		img := image.NewGray(image.Rect(0, 0, w, h))
		for i := range img.Pix {
			img.Pix[i] = 255
		}
		st := strip{img: img, gap: gap}
		x := gap
		for _, i := range part {
			c := crops[i]
			cw, ch := c.Bounds().Dx(), c.Bounds().Dy()
			y0 := (h - ch) / 2
			for y := 0; y < ch; y++ {
				copy(img.Pix[(y0+y)*img.Stride+x:][:cw], c.Pix[y*c.Stride:][:cw])
			}
			st.spans = append(st.spans, [2]int{x, x + cw})
			st.crops = append(st.crops, i)
			x += cw + gap
		}
		out = append(out, st)
	}
	return out
}

// stripTexts gives each crop the words of its strip that stand over it
// (overlapping its span widened by half the gap); a word over two crops
// leaves both unread.
func stripTexts(ws []word, sts []strip, n int) []reading {
	out := make([]reading, n)
	for si, st := range sts {
		parts := make([][]word, len(st.spans))
		clash := make([]bool, len(st.spans))
		for _, w := range ws {
			if w.img != si+1 {
				continue
			}
			var over []int
			for k, sp := range st.spans {
				if w.x0 < sp[1]+st.gap/2 && w.x1 > sp[0]-st.gap/2 {
					over = append(over, k)
				}
			}
			for _, k := range over {
				parts[k] = append(parts[k], w)
				clash[k] = clash[k] || len(over) > 1
			}
		}
		for k, p := range parts {
			r := reading{}
			if len(p) > 0 && !clash[k] {
				r.conf = 100
				for _, w := range p {
					r.text += w.text
					r.conf = min(r.conf, w.conf)
				}
			}
			out[st.crops[k]] = r
		}
	}
	return out
}
