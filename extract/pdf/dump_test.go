// Developer aids: PDFDUMP=file.pdf dumps the positioned runs of every page,
// PDFLINES=file.pdf the extracted lines (go test -v -run TestDump).

package pdf

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestDumpRuns(t *testing.T) {
	f := os.Getenv("PDFDUMP")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	pages, _, _, err := readPages(data, Options{MaxPages: 200}, time.Now().Add(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range pages {
		fmt.Printf("=== page %d h=%.1f\n", p.N, p.Height)
		for _, r := range p.Runs {
			fmt.Printf("%7.2f %7.2f-%7.2f s=%4.1f v=%v b=%d %q\n", r.Y, r.X0, r.X1, r.Size, r.Vert, r.bad, r.Text)
		}
	}
}

func TestDumpLines(t *testing.T) {
	f := os.Getenv("PDFLINES")
	if f == "" {
		t.Skip()
	}
	data, _ := os.ReadFile(f)
	x, err := Extract(data, Options{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("pages", x.Pages, "warnings", x.Warnings)
	for _, l := range x.Lines {
		fmt.Printf("p%d t%d r%d |", l.Cells[0].Pos.Page, l.Table, l.Row)
		for _, c := range l.Cells {
			if c.Spanned {
				fmt.Printf(" [%s] |", c.Text)
			} else {
				fmt.Printf(" %s |", c.Text)
			}
		}
		fmt.Println()
	}
}
