package normalize_test

import (
	"os"
	"path/filepath"
	"runtime/debug"
	"testing"
	"time"

	"govreport/extract/text"
	"govreport/normalize"
)

// fuzzLimit bounds one Normalize call: past it the input counts as a hang.
// Generous: a glued-digits page costs ~2 s of CPU, several times that under
// coverage instrumentation on a loaded machine.
const fuzzLimit = 60 * time.Second

// FuzzNormalizeText feeds arbitrary bytes through the text extractor and the
// normalizer: whatever the input, no panic, and Normalize returns a document.
// Seeds: the flattened variants of the real reports and the text documents
// of the corpus.
//
//	go test -fuzz FuzzNormalizeText -fuzztime 120s ./normalize/
func FuzzNormalizeText(f *testing.F) {
	var seeds []string
	for _, pat := range []string{"variants/*.txt", "corpus/*.txt"} {
		m, _ := filepath.Glob(filepath.Join(testdata, pat))
		seeds = append(seeds, m...)
	}
	for _, p := range seeds {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(""))
	f.Add([]byte("一、本年新收政府信息公开申请数量713000074\n（四）无法提供1.本机关不掌握相关政府信息3700000372.没有现成信息需要另行制作0000000\n2648-18538"))
	f.Fuzz(func(t *testing.T, data []byte) {
		x, err := text.Extract(data)
		if err != nil {
			return
		}
		done := make(chan bool, 1)
		go func() {
			defer func() {
				if r := recover(); r != nil {
					t.Errorf("Normalize panicked: %v\n%s", r, debug.Stack())
				}
				done <- true
			}()
			if d := normalize.Normalize(x); d == nil {
				t.Error("Normalize returned nil")
			}
		}()
		select {
		case <-done:
		case <-time.After(fuzzLimit):
			t.Fatalf("Normalize did not return within %s on a %d-byte input", fuzzLimit, len(data))
		}
	})
}
