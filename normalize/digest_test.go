package normalize_test

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"govreport/extract"
	"govreport/normalize"
)

var update = flag.Bool("update", false, "TestOutputDigest: record the output digest of testdata after normalize.Version was bumped")

// digestFile holds normalize.Version and, per document of testdata, the
// sha256 of what extract and normalize make of it and of the file itself.
const digestFile = "testdata/output.digest"

const digestHelp = "go test -tags sqlite_fts5 ./normalize -run TestOutputDigest -update"

// digest is the sha256 of a document's output and of its file.
type digest struct{ out, in string }

// outputDigests parses every document of testdata/corpus and
// testdata/variants through extract and normalize (no database) and returns
// the sha256 of each one's JSON and of its bytes, keyed by its path under
// testdata. A file extract cannot read is digested by its error, which is
// output too.
func outputDigests(t *testing.T) map[string]digest {
	t.Helper()
	sums := map[string]digest{}
	for _, dir := range []string{"corpus", "variants"} {
		entries, err := os.ReadDir(filepath.Join(testdata, dir))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			name := e.Name()
			if !e.Type().IsRegular() || strings.HasSuffix(name, ".md") || strings.HasSuffix(name, ".tsv") {
				continue // notes, the manifest and link lists are not documents
			}
			data, err := os.ReadFile(filepath.Join(testdata, dir, name))
			if err != nil {
				t.Fatal(err)
			}
			var out []byte
			if x, err := extract.Bytes(name, data, extract.Options{}); err != nil {
				out = []byte("error: " + err.Error())
			} else if out, err = json.Marshal(normalize.Normalize(x)); err != nil {
				t.Fatalf("%s/%s: %v", dir, name, err)
			}
			sums[dir+"/"+name] = digest{out: sha(out), in: sha(data)}
		}
	}
	return sums
}

func sha(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// readDigest reads a digest file: a line "version V", then one line
// "OUTPUT_SHA256 FILE_SHA256 PATH" per document; lines starting with # are
// comments.
func readDigest(path string) (version string, sums map[string]digest, err error) {
	f, err := os.Open(path)
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	sums = map[string]digest{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fields := strings.Fields(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case len(fields) == 2 && fields[0] == "version" && version == "":
			version = fields[1]
		case len(fields) == 3 && len(fields[0]) == 64 && len(fields[1]) == 64 && version != "":
			sums[fields[2]] = digest{out: fields[0], in: fields[1]}
		default:
			return "", nil, fmt.Errorf("%s:%d: want \"version V\" then \"OUTPUT_SHA256 FILE_SHA256 PATH\" lines, got %q", path, n, line)
		}
	}
	if err := sc.Err(); err != nil {
		return "", nil, err
	}
	if version == "" {
		return "", nil, fmt.Errorf("%s: no version line", path)
	}
	return version, sums, nil
}

func writeDigest(path, version string, sums map[string]digest) error {
	var b strings.Builder
	b.WriteString("# per document in testdata: sha256 of the JSON that extract and normalize make of it,\n")
	b.WriteString("# sha256 of the file, path (normalize/digest_test.go); written by " + digestHelp + "\n")
	b.WriteString("version " + version + "\n")
	for _, k := range sortedKeys(sums) {
		b.WriteString(sums[k].out + " " + sums[k].in + " " + k + "\n")
	}
	return os.WriteFile(path, []byte(b.String()), 0o644)
}

// TestOutputDigest fails when what extract and normalize make of a document
// in testdata changed while normalize.Version (stored with every imported
// document, so that a reparse can tell) did not. After a deliberate change:
// bump normalize.Version, then record the digest with -update.
func TestOutputDigest(t *testing.T) {
	got := outputDigests(t)
	version, rec, err := readDigest(digestFile)
	if err != nil && !(*update && os.IsNotExist(err)) {
		t.Fatal(err)
	}
	// changed: the same file gives another output; edited: the file is not
	// the one recorded (its output may differ without a new parser)
	var changed, edited, added, removed []string
	for k, sum := range got {
		switch old, ok := rec[k]; {
		case !ok:
			added = append(added, k)
		case old.in != sum.in:
			edited = append(edited, k)
		case old.out != sum.out:
			changed = append(changed, k)
		}
	}
	for k := range rec {
		if _, ok := got[k]; !ok {
			removed = append(removed, k)
		}
	}
	for _, l := range [][]string{changed, edited, added, removed} {
		sort.Strings(l)
	}
	if version == normalize.Version && len(changed)+len(edited)+len(added)+len(removed) == 0 {
		return
	}
	if version == normalize.Version && len(changed) > 0 {
		t.Fatalf("the output changed for %d document(s) (%s) but normalize.Version is still %q: if the change is meant, bump Version in normalize/normalize.go and record the digest with %s",
			len(changed), strings.Join(changed, ", "), version, digestHelp)
	}
	if !*update {
		switch {
		case version != normalize.Version:
			t.Fatalf("normalize.Version is %q, the digest in %s was recorded for %q: record it with %s", normalize.Version, digestFile, version, digestHelp)
		default:
			var what []string
			for _, l := range []struct {
				name  string
				files []string
			}{{"added", added}, {"edited", edited}, {"removed", removed}} {
				if len(l.files) > 0 {
					what = append(what, l.name+": "+strings.Join(l.files, ", "))
				}
			}
			t.Fatalf("the files of testdata are not those %s was recorded for (%s); the others' output is the same: record it with %s",
				digestFile, strings.Join(what, "; "), digestHelp)
		}
	}
	if err := writeDigest(digestFile, normalize.Version, got); err != nil {
		t.Fatal(err)
	}
	t.Logf("recorded %s: version %s, %d documents (output changed %d, added %d, edited %d, removed %d)",
		digestFile, normalize.Version, len(got), len(changed), len(added), len(edited), len(removed))
}
