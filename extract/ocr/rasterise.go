package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"io"
	"math"
	"os/exec"
	"regexp"
	"strconv"
)

// pageSize is a page's size in points, as pdfinfo prints it (rotation
// applied).
type pageSize struct{ w, h float64 }

var rePageSize = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+size:\s+([0-9.]+)\s+x\s+([0-9.]+)`)
var rePageRot = regexp.MustCompile(`(?m)^Page\s+(\d+)\s+rot:\s+(\d+)`)

// pageSizes runs pdfinfo on the file for the size of each of its first max
// pages; n is the document's page count.
func pageSizes(ctx context.Context, file string, max int) (sizes []pageSize, n int, err error) {
	out, err := command(ctx, "pdfinfo", "-f", "1", "-l", strconv.Itoa(max), file).Output()
	if err != nil {
		return nil, 0, fmt.Errorf("pdfinfo: %v%s", err, stderrOf(err))
	}
	if m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out); m != nil {
		n, _ = strconv.Atoi(string(m[1]))
	}
	rot := map[int]bool{}
	for _, m := range rePageRot.FindAllSubmatch(out, -1) {
		p, _ := strconv.Atoi(string(m[1]))
		r, _ := strconv.Atoi(string(m[2]))
		rot[p] = r%180 == 90
	}
	for _, m := range rePageSize.FindAllSubmatch(out, -1) {
		p, _ := strconv.Atoi(string(m[1]))
		w, _ := strconv.ParseFloat(string(m[2]), 64)
		h, _ := strconv.ParseFloat(string(m[3]), 64)
		if rot[p] {
			w, h = h, w
		}
		if p == len(sizes)+1 {
			sizes = append(sizes, pageSize{w, h})
		}
	}
	if len(sizes) == 0 {
		return nil, n, fmt.Errorf("pdfinfo: no page sizes")
	}
	return sizes, n, nil
}

// dpiFor is the resolution a page is rasterised at: s.DPI, lowered so that
// the image holds at most s.MaxPixels.
func dpiFor(ps pageSize, s Settings) float64 {
	dpi := float64(s.DPI)
	px := ps.w / 72 * dpi * ps.h / 72 * dpi
	if px > float64(s.MaxPixels) {
		dpi *= math.Sqrt(float64(s.MaxPixels) / px)
	}
	return math.Floor(dpi)
}

// rasterise renders page n (1-based) of the file in grey at dpi with
// pdftoppm.
func rasterise(ctx context.Context, file string, n int, dpi float64) (*image.Gray, error) {
	p := strconv.Itoa(n)
	cmd := command(ctx, "pdftoppm", "-r", strconv.FormatFloat(dpi, 'f', 0, 64), "-gray", "-f", p, "-l", p, file)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pdftoppm: %v", err)
	}
	img, rerr := readPGM(bufio.NewReaderSize(out, 1<<16))
	io.Copy(io.Discard, out)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %v %s", n, err, bytes.TrimSpace(stderr.Bytes()))
	}
	if rerr != nil {
		return nil, fmt.Errorf("pdftoppm page %d: %v", n, rerr)
	}
	return img, nil
}

// readPGM reads a binary 8-bit PGM (P5), as pdftoppm -gray writes.
func readPGM(r *bufio.Reader) (*image.Gray, error) {
	var magic string
	var w, h, max int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &max); err != nil {
		return nil, fmt.Errorf("PGM header: %v", err)
	}
	if magic != "P5" || max != 255 || w <= 0 || h <= 0 || w*h > 1<<28 {
		return nil, fmt.Errorf("PGM header: %s %dx%d max %d", magic, w, h, max)
	}
	if _, err := r.ReadByte(); err != nil { // the one whitespace after max
		return nil, err
	}
	img := image.NewGray(image.Rect(0, 0, w, h))
	if _, err := io.ReadFull(r, img.Pix); err != nil {
		return nil, fmt.Errorf("PGM data: %v", err)
	}
	return img, nil
}

// writePGM writes img as a binary PGM, a format Tesseract reads without
// decompression.
func writePGM(w io.Writer, img *image.Gray) error {
	b := img.Bounds()
	bw := bufio.NewWriterSize(w, 1<<16)
	fmt.Fprintf(bw, "P5\n%d %d\n255\n", b.Dx(), b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		i := img.PixOffset(b.Min.X, y)
		bw.Write(img.Pix[i : i+b.Dx()])
	}
	return bw.Flush()
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok && len(ee.Stderr) > 0 {
		return ": " + string(bytes.TrimSpace(ee.Stderr))
	}
	return ""
}
