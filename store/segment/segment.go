// Package segment owns the Chinese word segmenter (gojieba) that extracts
// the sections' keywords (search needs none). Its dictionaries are embedded in
// the binary, written once to a cache directory and loaded lazily, once per
// process, on first use: a command that never segments never pays for them
// (about 150 MB of memory and a second of loading).
package segment

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/yanyiwu/gojieba"
)

// The dictionaries of cppjieba (MIT, see dict/LICENSE.*) and our user
// dictionary of the domain's terms (dict/user.dict.utf8).
//
//go:embed dict/*.utf8
var dictFS embed.FS

// dictFiles in the order gojieba.NewJieba takes them.
var dictFiles = []string{"jieba.dict.utf8", "hmm_model.utf8", "user.dict.utf8", "idf.utf8", "stop_words.utf8"}

// Segmenter cuts Chinese text into words.
type Segmenter struct {
	j   *gojieba.Jieba
	dir string
}

var (
	once    sync.Once
	def     *Segmenter
	loadErr error
	loads   int // times the dictionaries were loaded (tests)
)

// Default returns the process's segmenter, loading its dictionaries on the
// first call.
func Default() (*Segmenter, error) {
	once.Do(func() {
		dir, err := writeDicts()
		if err != nil {
			loadErr = err
			return
		}
		paths := make([]string, len(dictFiles))
		for i, f := range dictFiles {
			paths[i] = filepath.Join(dir, f)
		}
		loads++
		def = &Segmenter{j: gojieba.NewJieba(paths...), dir: dir}
	})
	return def, loadErr
}

// rules versions what this package does with the words (Keywords); bump
// it when that changes.
const rules = "2"

// Version identifies the dictionaries (a hash of their bytes) and the
// rules: an index built with another version must be rebuilt.
func Version() string { return "jieba-" + dictHash()[:12] + "-" + rules }

var dictHash = sync.OnceValue(func() string {
	h := sha256.New()
	for _, f := range dictFiles {
		b, _ := dictFS.ReadFile("dict/" + f)
		fmt.Fprintf(h, "%s %d\n", f, len(b))
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
})

// DictDir is where the dictionaries were written (empty before the first
// Default call).
func (s *Segmenter) DictDir() string { return s.dir }

// writeDicts writes the embedded dictionaries to
// UserCacheDir/govreport/jieba-<hash>/ (or the temporary directory when
// there is no cache directory), once: a complete directory is reused.
func writeDicts() (string, error) {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	dir, err := writeDictsIn(filepath.Join(base, "govreport"))
	if err != nil && base != os.TempDir() {
		dir, err = writeDictsIn(filepath.Join(os.TempDir(), "govreport"))
	}
	return dir, err
}

func writeDictsIn(parent string) (string, error) {
	dir := filepath.Join(parent, "jieba-"+dictHash()[:16])
	if ok(dir) {
		return dir, nil
	}
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return "", err
	}
	// Write into a fresh directory and rename it into place, so that a
	// concurrent process never sees half-written files.
	tmp, err := os.MkdirTemp(parent, "jieba-tmp-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	for _, f := range dictFiles {
		b, err := fs.ReadFile(dictFS, "dict/"+f)
		if err != nil {
			return "", err
		}
		if err := os.WriteFile(filepath.Join(tmp, f), b, 0o644); err != nil {
			return "", err
		}
	}
	if err := os.WriteFile(filepath.Join(tmp, "ok"), []byte(dictHash()), 0o644); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, dir); err != nil && !ok(dir) {
		return "", fmt.Errorf("segmenter dictionaries: %w", err)
	}
	return dir, nil
}

// ok reports whether dir holds a complete copy of the dictionaries.
func ok(dir string) bool {
	b, err := os.ReadFile(filepath.Join(dir, "ok"))
	return err == nil && string(b) == dictHash()
}

// Cut segments text in precise mode (no overlapping words), dropping
// whitespace.
func (s *Segmenter) Cut(text string) []string {
	return words(s.j.Cut(text, true))
}

// CutForSearch segments text in search mode: the precise words plus the
// shorter dictionary words inside the long ones.
func (s *Segmenter) CutForSearch(text string) []string {
	return words(s.j.CutForSearch(text, true))
}

// Keyword is a word and its TF-IDF weight.
type Keyword struct {
	Word   string
	Weight float64
}

// Keywords returns the text's n words of highest TF-IDF weight, stop
// words and single characters excluded.
func (s *Segmenter) Keywords(text string, n int) []Keyword {
	var out []Keyword
	for _, w := range s.j.ExtractWithWeight(text, n*2) {
		if utf8.RuneCountInString(w.Word) < 2 || isNumber(w.Word) || reportWords[w.Word] {
			continue
		}
		out = append(out, Keyword{w.Word, w.Weight})
		if len(out) == n {
			break
		}
	}
	return out
}

// reportWords are in nearly every report: never keywords.
var reportWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`一是 二是 三是 四是 五是 六是 进一步 工作 信息 公开 情况 年度 本年度 全年 我区 我县 我市 我局 我委 本机关 本单位
		政府 政府信息 政府信息公开 政府信息公开工作 政务公开 政务公开工作 年度报告 有关 相关 开展 加强 持续 不断 做好 推进 进行 实验区`) {
		reportWords[w] = true
	}
}

func isNumber(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) && r != '.' && r != '%' {
			return false
		}
	}
	return true
}

func words(ws []string) []string {
	out := ws[:0]
	for _, w := range ws {
		if w = strings.TrimSpace(w); w != "" {
			out = append(out, w)
		}
	}
	return out
}
