package ocr

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// command is an external program bound to ctx: it runs in a process group
// of its own, which is killed whole when ctx ends (Tesseract may start
// helpers), and it dies with this process. Tesseract runs on one thread
// (OMP_THREAD_LIMIT=1): parallelism comes from the import's workers, one
// Tesseract each, and its own threads only slowed it down on a shared
// machine (8.8 s instead of 4.8 s for a 300 dpi page, 4 threads).
func command(ctx context.Context, name string, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), "OMP_THREAD_LIMIT=1")
	ownGroup(cmd)
	cmd.WaitDelay = 2 * time.Second
	return cmd
}

// word is one word of Tesseract's TSV output: its image (1-based, in the
// order of the list given), its box in that image's pixels, its line, and
// its confidence (0–100).
type word struct {
	img            int
	block, par, ln int
	x0, y0, x1, y1 int
	conf           float64
	text           string
}

// tesseract runs Tesseract on the images (one process for them all: it
// loads its model once) and returns their words. lang is a Tesseract
// language (chi_sim, eng), psm its page segmentation mode, extra more -c
// settings. The images are written to dir as PGM files first, named by tag.
//
// Batching: starting tesseract and loading chi_sim takes 0.10–0.14 s
// (measured on one cell's crop); a table page has over a hundred cells
// (2024_huaian_szf_1 p. 4: 128), so a process per cell would spend over
// 13 s a page loading. A list of all the page's crops in one process pays
// it once per pass: at most eight a page (prose; cells as lines, as blocks,
// both again enlarged when unsure, then as raw lines; digits as lines, as
// raw lines).
func tesseract(ctx context.Context, dir, tag string, imgs []*image.Gray, lang string, psm int, extra ...string) ([]word, error) {
	if len(imgs) == 0 {
		return nil, nil
	}
	paths := make([]string, len(imgs))
	for i, img := range imgs {
		paths[i] = filepath.Join(dir, fmt.Sprintf("%s%d.pgm", tag, i+1))
		if err := writeFile(paths[i], img); err != nil {
			return nil, err
		}
	}
	list := filepath.Join(dir, tag+".txt")
	if err := os.WriteFile(list, []byte(strings.Join(paths, "\n")+"\n"), 0o600); err != nil {
		return nil, err
	}
	args := []string{list, "-", "-l", lang, "--psm", strconv.Itoa(psm)}
	for _, e := range extra {
		args = append(args, "-c", e)
	}
	args = append(args, "tsv")
	cmd := command(ctx, "tesseract", args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	if err != nil {
		return nil, fmt.Errorf("tesseract: %v: %s", err, firstLine(stderr.String()))
	}
	return parseTSV(out)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	return s
}

// parseTSV reads the words (level 5) of Tesseract's TSV output.
func parseTSV(out []byte) ([]word, error) {
	var ws []word
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		var n [9]int // page_num … height
		for i := range n {
			v, err := strconv.Atoi(f[i+1])
			if err != nil {
				return nil, fmt.Errorf("tesseract: TSV field %d: %q", i+2, f[i+1])
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("tesseract: TSV confidence %q", f[10])
		}
		text := strings.TrimSpace(f[11])
		if text == "" {
			continue
		}
		ws = append(ws, word{img: n[0], block: n[1], par: n[2], ln: n[3],
			x0: n[5], y0: n[6], x1: n[5] + n[7], y1: n[6] + n[8], conf: conf, text: text})
	}
	return ws, sc.Err()
}
