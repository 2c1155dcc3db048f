package ocr

import (
	"image"
	"math"
)

// levels returns the grey level of the paper (the most common level in
// the lighter half) and of the ink (the first percentile, at least 80
// darker than the paper), from every other pixel each way. Thresholds
// between them hold where Otsu's method does not: on a page with a shaded
// table header, most of the pixels between ink and paper are shading.
func levels(img *image.Gray) (paper, ink int) {
	var hist [256]int
	b := img.Bounds()
	n := 0
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()]
		for x := 0; x < len(row); x += 2 {
			hist[row[x]]++
			n++
		}
	}
	paper = 255
	for v := 128; v < 256; v++ {
		if hist[v] > hist[paper] {
			paper = v
		}
	}
	acc := 0
	for v := 0; v < 256; v++ {
		acc += hist[v]
		if acc*100 >= n {
			ink = v
			break
		}
	}
	return paper, min(ink, paper-80)
}

// between is the level a share f of the way from ink to paper.
func between(paper, ink int, f float64) uint8 {
	return uint8(float64(ink) + f*float64(paper-ink))
}

// skew estimates the angle (degrees, counter-clockwise positive) by which
// the page's lines of text and table rules are turned: the angle whose
// projection of the ink onto the vertical axis is sharpest (largest sum of
// squared row counts), searched in s.MaxSkew by 0.1° and refined by 0.01°.
func skew(img *image.Gray, thr uint8, s Settings) float64 {
	b := img.Bounds()
	// ink sampled every other pixel each way: enough for the profile
	var xs, ys []float32
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		row := img.Pix[img.PixOffset(b.Min.X, y):][:b.Dx()]
		for x := 0; x < len(row); x += 2 {
			if row[x] <= thr {
				xs = append(xs, float32(x))
				ys = append(ys, float32(y-b.Min.Y))
			}
		}
	}
	if len(xs) < 100 {
		return 0
	}
	h := b.Dy()
	w := b.Dx()
	// bins two pixels high, as the rows are sampled every other one: with
	// one-pixel bins a level projection fills only even bins and scores
	// double
	bins := make([]int32, (h+w)/2+2)
	score := func(deg float64) float64 {
		t := float32(math.Tan(deg * math.Pi / 180))
		clear(bins)
		off := float32(w) // keeps y - x·t positive for |t| < 1
		for i := range xs {
			k := int(ys[i]-xs[i]*t+off) / 2
			if k >= 0 && k < len(bins) {
				bins[k]++
			}
		}
		s := 0.0
		for _, n := range bins {
			s += float64(n) * float64(n)
		}
		return s
	}
	best, bestScore := 0.0, score(0)
	for d := -s.MaxSkew; d <= s.MaxSkew+1e-9; d += 0.1 {
		if v := score(d); v > bestScore {
			best, bestScore = d, v
		}
	}
	c := best
	for d := c - 0.1; d <= c+0.1+1e-9; d += 0.01 {
		if v := score(d); v > bestScore {
			best, bestScore = d, v
		}
	}
	return math.Round(best*100) / 100
}

// rotate turns img by deg degrees (counter-clockwise positive, about its
// centre) with bilinear interpolation; what comes in from outside is paper.
func rotate(img *image.Gray, deg float64) *image.Gray {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	out := image.NewGray(image.Rect(0, 0, w, h))
	sin, cos := math.Sincos(deg * math.Pi / 180)
	cx, cy := float64(w)/2, float64(h)/2
	src := img.Pix
	stride := img.Stride
	base := img.PixOffset(b.Min.X, b.Min.Y)
	for y := 0; y < h; y++ {
		dy := float64(y) - cy
		// source of (x, y): the point the rotation by deg sends onto it
		sx0 := cos*(-cx) - sin*dy + cx
		sy0 := sin*(-cx) + cos*dy + cy
		row := out.Pix[y*out.Stride:][:w]
		for x := 0; x < w; x++ {
			sx := sx0 + cos*float64(x)
			sy := sy0 + sin*float64(x)
			x0, y0 := int(math.Floor(sx)), int(math.Floor(sy))
			if x0 < 0 || y0 < 0 || x0+1 >= w || y0+1 >= h {
				row[x] = 255
				continue
			}
			fx, fy := sx-float64(x0), sy-float64(y0)
			i := base + y0*stride + x0
			a := float64(src[i])*(1-fx) + float64(src[i+1])*fx
			c := float64(src[i+stride])*(1-fx) + float64(src[i+stride+1])*fx
			row[x] = uint8(a*(1-fy) + c*fy + 0.5)
		}
	}
	return out
}
