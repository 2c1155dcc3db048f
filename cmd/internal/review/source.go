package review

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"image/png"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport/store"
)

// The source of a document: its stored file, found inside the --store
// folder only (os.Root: no path, link or .. leads out of it) and only when
// its bytes still have the document's sha256; a PDF's pages rendered by
// pdftoppm, cached; a text file's lines.

// errNoFile says why a document's file cannot be shown.
var errNoFile = errors.New("file not found")

// sources finds and reads documents' files.
type sources struct {
	st   *store.Store
	dir  string   // the --store folder, absolute; "" when none
	root *os.Root // opened on dir

	mu       sync.Mutex
	verified map[string]verified // sha256 → the file under root whose bytes have it

	pdftoppm string // "" when not installed
	cache    string // rendered pages
	renderMu sync.Mutex
}

func newSources(st *store.Store, dir, pdftoppm, cache string) (*sources, error) {
	s := &sources{st: st, verified: map[string]verified{}, pdftoppm: pdftoppm, cache: cache}
	if dir == "" {
		return s, nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if abs, err = filepath.EvalSymlinks(abs); err != nil {
		return nil, fmt.Errorf("--store %s: %w", dir, err)
	}
	if s.root, err = os.OpenRoot(abs); err != nil {
		return nil, fmt.Errorf("--store %s: %w", dir, err)
	}
	s.dir = abs
	return s, nil
}

func (s *sources) close() {
	if s.root != nil {
		s.root.Close()
	}
}

// verified is a file whose bytes were found to have a document's sha256:
// checked again when its size or time changes.
type verified struct {
	rel  string
	size int64
	mod  time.Time
}

// candidates are the paths under the store folder where a document's
// file may be: where the crawler stored it, its source when that is a
// path inside the folder, the crawler's layout (ab/cdef….pdf).
func (s *sources) candidates(ctx context.Context, d store.DocInfo) []string {
	var out []string
	if p, err := s.st.StoredPath(ctx, d.SHA256); err == nil && p != "" {
		out = append(out, p)
	}
	if filepath.IsAbs(d.Source) {
		if rel, err := filepath.Rel(s.dir, d.Source); err == nil && filepath.IsLocal(rel) {
			out = append(out, rel)
		}
		if real, err := filepath.EvalSymlinks(d.Source); err == nil {
			if rel, err := filepath.Rel(s.dir, real); err == nil && filepath.IsLocal(rel) {
				out = append(out, rel)
			}
		}
	}
	if len(d.SHA256) == 64 {
		out = append(out, filepath.Join(d.SHA256[:2], d.SHA256[2:]+"."+d.Format), filepath.Join(d.SHA256[:2], d.SHA256[2:]))
	}
	return out
}

// path returns where the document's file is under the store folder, its
// bytes checked against its sha256 (once per process).
func (s *sources) path(ctx context.Context, d store.DocInfo) (string, error) {
	if s.root == nil {
		return "", fmt.Errorf("%w: no --store folder given", errNoFile)
	}
	s.mu.Lock()
	v, ok := s.verified[d.SHA256]
	s.mu.Unlock()
	if ok {
		if fi, err := s.root.Stat(v.rel); err == nil && fi.Size() == v.size && fi.ModTime().Equal(v.mod) {
			return v.rel, nil
		}
	}
	changed := ""
	for _, rel := range s.candidates(ctx, d) {
		f, err := s.root.Open(rel)
		if err != nil {
			continue
		}
		fi, err := f.Stat()
		if err != nil || !fi.Mode().IsRegular() {
			f.Close()
			continue
		}
		h := sha256.New()
		_, err = io.Copy(h, f)
		f.Close()
		if err != nil {
			continue
		}
		if hex.EncodeToString(h.Sum(nil)) != d.SHA256 {
			changed = rel
			continue
		}
		s.mu.Lock()
		s.verified[d.SHA256] = verified{rel, fi.Size(), fi.ModTime()}
		s.mu.Unlock()
		return rel, nil
	}
	if changed != "" {
		return "", fmt.Errorf("%w: %s has changed since it was imported (its sha256 differs)", errNoFile, filepath.Join(s.dir, changed))
	}
	return "", fmt.Errorf("%w: not under --store %s", errNoFile, s.dir)
}

// read returns the document's file.
func (s *sources) read(ctx context.Context, d store.DocInfo) ([]byte, error) {
	p, err := s.path(ctx, d)
	if err != nil {
		return nil, err
	}
	f, err := s.root.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// pageDPI is the resolution pages are rendered at: 100 dpi draws an A4
// page 827 pixels wide, legible beside the tables.
const pageDPI = 100

// renderTimeout bounds pdftoppm on one page.
const renderTimeout = 30 * time.Second

// page renders page n of a PDF (cached) and returns the PNG's path and
// the page's size in PDF points.
func (s *sources) page(ctx context.Context, d store.DocInfo, n int) (file string, w, h float64, err error) {
	if s.pdftoppm == "" {
		return "", 0, 0, errors.New("pdftoppm is not installed (Debian: poppler-utils)")
	}
	if n < 1 || d.Pages > 0 && n > d.Pages {
		return "", 0, 0, fmt.Errorf("page %d: the document has %d", n, d.Pages)
	}
	rel, err := s.path(ctx, d)
	if err != nil {
		return "", 0, 0, err
	}
	out := filepath.Join(s.cache, d.SHA256, fmt.Sprintf("p%d-%d.png", n, pageDPI))
	s.renderMu.Lock() // one pdftoppm at a time
	defer s.renderMu.Unlock()
	if _, err := os.Stat(out); err != nil {
		if err := os.MkdirAll(filepath.Dir(out), 0o700); err != nil {
			return "", 0, 0, err
		}
		rctx, cancel := context.WithTimeout(ctx, renderTimeout)
		defer cancel()
		// pdftoppm reads the file by path: the one found inside the store
		// folder, whose bytes were checked
		tmp := strings.TrimSuffix(out, ".png") + ".part"
		cmd := exec.CommandContext(rctx, s.pdftoppm, "-f", strconv.Itoa(n), "-l", strconv.Itoa(n), "-r", strconv.Itoa(pageDPI), "-png", "-singlefile",
			filepath.Join(s.dir, rel), tmp)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Run(); err != nil {
			return "", 0, 0, fmt.Errorf("pdftoppm page %d: %v %s", n, err, strings.TrimSpace(stderr.String()))
		}
		if err := os.Rename(tmp+".png", out); err != nil {
			return "", 0, 0, err
		}
	}
	f, err := os.Open(out)
	if err != nil {
		return "", 0, 0, err
	}
	defer f.Close()
	cfg, err := png.DecodeConfig(f)
	if err != nil {
		return "", 0, 0, fmt.Errorf("rendered page %d: %w", n, err)
	}
	return out, float64(cfg.Width) * 72 / pageDPI, float64(cfg.Height) * 72 / pageDPI, nil
}

// textLine is a line of a text file, with the printed text of a cell
// marked in it.
type textLine struct {
	N                   int
	Before, Mark, After string
	At                  bool // the cell's line
}

// textAround returns the lines of a text file around line n (1-based),
// the cell's raw text marked on its line; a long line is cut around it.
func textAround(data []byte, n int, raw string) []textLine {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(data) {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
			data = dec
		}
	}
	s := strings.ReplaceAll(string(data), "\r\n", "\n")
	lines := strings.Split(strings.ReplaceAll(s, "\r", "\n"), "\n")
	const around, long = 4, 240
	var out []textLine
	for i := max(n-around, 1); i <= min(n+around, len(lines)); i++ {
		l := textLine{N: i, Before: lines[i-1], At: i == n}
		if l.At && raw != "" {
			if j := strings.Index(l.Before, raw); j >= 0 {
				l.Before, l.Mark, l.After = l.Before[:j], raw, l.Before[j+len(raw):]
			}
		}
		l.Before = cutLeft(l.Before, long)
		l.After = cutRight(l.After, long)
		out = append(out, l)
	}
	return out
}

// cutLeft keeps the last n runes of s; cutRight the first n.
func cutLeft(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return "…" + string(r[len(r)-n:])
}

func cutRight(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n]) + "…"
}

// contentType is what a stored file is served as.
func contentType(format string, data []byte) string {
	switch format {
	case "pdf":
		return "application/pdf"
	case "html":
		return "text/html"
	case "txt":
		if utf8.Valid(data) {
			return "text/plain; charset=utf-8"
		}
		return "text/plain; charset=gb18030"
	}
	return "application/octet-stream"
}
