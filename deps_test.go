package govreport_test

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// pkg is what `go list -json` says of a package.
type pkg struct {
	ImportPath   string
	Imports      []string // direct
	Deps         []string // every package it depends on, transitively
	TestImports  []string
	XTestImports []string
}

func under(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+"/")
}

// project keeps the project's packages of a list.
func project(paths []string) []string {
	var out []string
	for _, p := range paths {
		if under(p, "govreport") {
			out = append(out, p)
		}
	}
	return out
}

// TestDependenciesPointOneWay: cmd → the pipeline (cmd/internal) →
// extract, normalize, store → the root package. extract and normalize
// depend on no store and no cmd; store on no extract, no normalize, no
// cmd; the crawler on the root alone (its frontier behind an interface,
// its files handed to a callback); extract on nothing of normalize but the
// shared text package normalize/textnorm, a leaf; the root on nothing. Tests never
// import what depends on their package.
func TestDependenciesPointOneWay(t *testing.T) {
	cmd := exec.Command("go", "list", "-tags", "sqlite_fts5", "-json", "./...")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatalf("go list: %v", err)
	}
	var pkgs []pkg
	dec := json.NewDecoder(out)
	for {
		var p pkg
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	if len(pkgs) < 10 {
		t.Fatalf("go list found %d packages", len(pkgs))
	}
	type rule struct {
		what      string
		forbidden func(dep string) bool
	}
	upward := func(dirs ...string) func(string) bool {
		return func(dep string) bool {
			for _, d := range dirs {
				if under(dep, d) {
					return true
				}
			}
			return false
		}
	}
	rulesFor := func(p string) []rule {
		var rs []rule
		switch {
		case p == "govreport":
			rs = append(rs, rule{"the root imports nothing of the project", func(d string) bool { return d != "govreport" }})
		case under(p, "govreport/extract/crawl"):
			rs = append(rs, rule{"the crawler depends on the root package only", func(d string) bool { return d != "govreport" }})
		case under(p, "govreport/extract"):
			rs = append(rs,
				rule{"extract depends on no store and no cmd", upward("govreport/store", "govreport/cmd")},
				rule{"extract depends on nothing of normalize but normalize/textnorm", func(d string) bool {
					return under(d, "govreport/normalize") && !under(d, "govreport/normalize/textnorm")
				}})
		case p == "govreport/normalize/textnorm":
			rs = append(rs, rule{"normalize/textnorm, which extract shares, imports nothing of the project", func(string) bool { return true }})
		case under(p, "govreport/normalize"):
			rs = append(rs, rule{"normalize depends on no store and no cmd", upward("govreport/store", "govreport/cmd")})
		case under(p, "govreport/store"):
			rs = append(rs, rule{"store depends on no extract, no normalize and no cmd", upward("govreport/extract", "govreport/normalize", "govreport/cmd")})
		}
		return rs
	}
	// Tests may use their siblings (extract's tests normalize what they
	// extract), never what depends on them.
	testRulesFor := func(p string) []rule {
		switch {
		case under(p, "govreport/extract"), under(p, "govreport/normalize"):
			return []rule{{"tests of extract and normalize import no store and no cmd", upward("govreport/store", "govreport/cmd")}}
		case under(p, "govreport/store"):
			return []rule{{"tests of store import no extract, no normalize and no cmd", upward("govreport/extract", "govreport/normalize", "govreport/cmd")}}
		}
		return nil
	}
	seen := map[string]bool{}
	for _, p := range pkgs {
		seen[p.ImportPath] = true
		for _, r := range rulesFor(p.ImportPath) {
			for _, d := range project(p.Deps) {
				if r.forbidden(d) {
					how := "through another package"
					if slices.Contains(p.Imports, d) {
						how = "directly"
					}
					t.Errorf("%s depends on %s (%s): %s", p.ImportPath, d, how, r.what)
				}
			}
		}
		for _, r := range testRulesFor(p.ImportPath) {
			for _, d := range project(append(p.TestImports, p.XTestImports...)) {
				if r.forbidden(d) {
					t.Errorf("tests of %s import %s: %s", p.ImportPath, d, r.what)
				}
			}
		}
	}
	for _, p := range []string{"govreport", "govreport/extract/crawl", "govreport/store", "govreport/normalize", "govreport/extract", "govreport/cmd/internal/ingest"} {
		if !seen[p] {
			t.Errorf("go list did not list %s", p)
		}
	}
}
