// Developer aids (go test -v -run TestDump): OCRLINES=file.pdf prints the
// lines OCR reads (OCRPAGE=n: of page n only; OCRKEEP=dir keeps the crops
// given to Tesseract); OCRGRID=file.pdf OCRPAGE=n OCROUT=out.png draws the
// rules and cells found on page n over the deskewed page and prints the
// grid.

package ocr

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"govreport"
)

func TestDumpLines(t *testing.T) {
	f := os.Getenv("OCRLINES")
	if f == "" {
		t.Skip()
	}
	data, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	keepCrops = os.Getenv("OCRKEEP")
	defer func() { keepCrops = "" }()
	start := time.Now()
	var x *govreport.Extracted
	if n, _ := strconv.Atoi(os.Getenv("OCRPAGE")); n > 0 {
		ctx := context.Background()
		abs, _ := filepath.Abs(f)
		sizes, _, err := pageSizes(ctx, abs, n)
		if err != nil {
			t.Fatal(err)
		}
		pg, err := readPage(ctx, t.TempDir(), abs, n, sizes[n-1], Default)
		if err != nil {
			t.Fatal(err)
		}
		x = &govreport.Extracted{Lines: assemble([]*page{pg}), Pages: 1, Warnings: pg.warnings}
	} else if x, err = Extract(context.Background(), data, Options{}); err != nil {
		t.Fatal(err)
	}
	fmt.Println("pages", x.Pages, "warnings", x.Warnings, "in", time.Since(start))
	for _, l := range x.Lines {
		fmt.Printf("p%d t%d r%d |", l.Cells[0].Pos.Page, l.Table, l.Row)
		for _, c := range l.Cells {
			conf := ""
			if c.OCR != nil && c.OCR.Confidence < 90 {
				conf = fmt.Sprintf(" (%.0f%v)", c.OCR.Confidence, c.OCR.Alternatives)
			}
			if c.Spanned {
				fmt.Printf(" [%s] |", c.Text)
			} else {
				fmt.Printf(" %s%s |", c.Text, conf)
			}
		}
		fmt.Println()
	}
}

func TestDumpGrid(t *testing.T) {
	f := os.Getenv("OCRGRID")
	if f == "" {
		t.Skip()
	}
	n, _ := strconv.Atoi(os.Getenv("OCRPAGE"))
	ctx := context.Background()
	abs, _ := filepath.Abs(f)
	sizes, _, err := pageSizes(ctx, abs, n)
	if err != nil {
		t.Fatal(err)
	}
	s := Default
	dpi := dpiFor(sizes[n-1], s)
	img, err := rasterise(ctx, abs, n, dpi)
	if err != nil {
		t.Fatal(err)
	}
	paper, ink := levels(img)
	thr, ruleThr := between(paper, ink, s.TextInk), between(paper, ink, s.RuleInk)
	a := skew(img, thr, s)
	img = rotate(img, a)
	grids := findGrids(img, ruleThr, s, dpi)
	fmt.Printf("paper %d ink %d text %d rule %d skew %.2f, %d grids\n", paper, ink, thr, ruleThr, a, len(grids))
	out := image.NewRGBA(img.Bounds())
	for i, v := range img.Pix {
		out.Pix[4*i], out.Pix[4*i+1], out.Pix[4*i+2], out.Pix[4*i+3] = v, v, v, 255
	}
	red := color.RGBA{255, 0, 0, 255}
	blue := color.RGBA{0, 0, 255, 255}
	for _, g := range grids {
		fmt.Printf("grid %d rows x %d cols, %d cells\nys %v\nxs %v\n", len(g.ys)-1, len(g.xs)-1, len(g.cells), g.ys, g.xs)
		nc := len(g.xs) - 1
		at := make([]int, (len(g.ys)-1)*nc)
		for i, c := range g.cells {
			for r := c.r0; r <= c.r1; r++ {
				for k := c.c0; k <= c.c1; k++ {
					at[r*nc+k] = i
				}
			}
		}
		for r := 0; r < len(g.ys)-1; r++ {
			fmt.Printf("row %2d:", r)
			for k := 0; k < nc; k++ {
				fmt.Printf(" %3d", at[r*nc+k])
			}
			fmt.Println()
		}
		for _, c := range g.cells {
			b := c.box.Inset(6)
			for x := b.Min.X; x < b.Max.X; x++ {
				out.Set(x, b.Min.Y, red)
				out.Set(x, b.Max.Y-1, red)
			}
			for y := b.Min.Y; y < b.Max.Y; y++ {
				out.Set(b.Min.X, y, red)
				out.Set(b.Max.X-1, y, red)
			}
		}
		for _, y := range g.ys {
			for x := g.xs[0]; x < g.xs[len(g.xs)-1]; x += 4 {
				out.Set(x, y, blue)
			}
		}
	}
	w, err := os.Create(os.Getenv("OCROUT"))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	png.Encode(w, out)
}
