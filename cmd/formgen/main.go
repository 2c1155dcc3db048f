// Command formgen derives the forms of testdata/variants from the real
// documents of testdata/corpus, mechanically (no value typed by hand), so
// that each variant is judged by its source document's golden. It runs the
// external tools each form needs (see testdata/variants/README.md); the
// outputs are checked in, so the tests need none of them. It is
// deterministic: run again, it rewrites the same bytes.
//
//	go run ./cmd/formgen [-testdata testdata] [-form NAME,...] [-list]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// form is one way of deriving variants from a corpus document.
type form struct {
	name  string   // the variant's name: <document>__<name>.<ext>
	tools []string // the external commands it runs
	// docs lists the corpus documents it derives from; make returns the
	// variant files (name → content) derived from one.
	docs func(g *gen) ([]string, error)
	make func(g *gen, doc string) (map[string][]byte, error)
}

// forms in the order they run: a form may read what an earlier one wrote
// (pdftotext reads the browser's prints).
var forms []form

// held lists the variants a form makes that are not written yet, with the
// reason: a form the reader gets silently wrong cannot be checked in (the
// accuracy test allows no wrong value that carries no flag and passes
// every check). Remove an entry when the reader gets it right.
var held = map[string]string{}

// gen holds the folders a run reads and writes.
type gen struct {
	testdata string // the testdata folder
	tmp      string // scratch space, removed at the end
}

func (g *gen) corpus(name string) string   { return filepath.Join(g.testdata, "corpus", name) }
func (g *gen) variants(name string) string { return filepath.Join(g.testdata, "variants", name) }

func main() {
	testdata := flag.String("testdata", "testdata", "the testdata folder (corpus/ in, variants/ out)")
	only := flag.String("form", "", "comma-separated forms to make (default: all)")
	list := flag.Bool("list", false, "list the forms and the tools they need, make nothing")
	flag.Parse()
	if *list {
		for _, f := range forms {
			fmt.Printf("%-34s %s\n", f.name, strings.Join(f.tools, " "))
		}
		return
	}
	want := map[string]bool{}
	for _, n := range strings.Split(*only, ",") {
		if n != "" {
			want[n] = true
		}
	}
	for n := range want {
		if !known(n) {
			fail(fmt.Errorf("unknown form %q (see -list)", n))
		}
	}
	tmp, err := os.MkdirTemp("", "formgen")
	if err != nil {
		fail(err)
	}
	defer os.RemoveAll(tmp)
	g := &gen{testdata: *testdata, tmp: tmp}
	written, same := 0, 0
	for _, f := range forms {
		if len(want) > 0 && !want[f.name] {
			continue
		}
		docs, err := f.docs(g)
		if err != nil {
			fail(fmt.Errorf("%s: %v", f.name, err))
		}
		for _, d := range docs {
			files, err := f.make(g, d)
			if err != nil {
				fail(fmt.Errorf("%s of %s: %v", f.name, d, err))
			}
			names := make([]string, 0, len(files))
			for n := range files {
				names = append(names, n)
			}
			sort.Strings(names)
			for _, n := range names {
				if why, ok := held[n]; ok {
					fmt.Printf("held %s: %s\n", n, why)
					continue
				}
				changed, err := write(g.variants(n), files[n])
				if err != nil {
					fail(err)
				}
				if changed {
					written++
					fmt.Println("wrote", n)
				} else {
					same++
				}
			}
		}
	}
	fmt.Printf("%d files written, %d unchanged\n", written, same)
}

func known(name string) bool {
	for _, f := range forms {
		if f.name == name {
			return true
		}
	}
	return false
}

// write writes b to path unless the file already holds it.
func write(path string, b []byte) (bool, error) {
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, b) {
		return false, nil
	}
	return true, os.WriteFile(path, b, 0o644)
}

// corpusFiles lists the corpus documents with one of the extensions.
func corpusFiles(g *gen, exts ...string) ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(g.testdata, "corpus"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		for _, x := range exts {
			if !e.IsDir() && strings.HasSuffix(e.Name(), x) {
				out = append(out, e.Name())
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "formgen:", err)
	os.Exit(1)
}
