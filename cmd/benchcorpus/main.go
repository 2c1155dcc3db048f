// Command benchcorpus writes N distinct report files derived from the
// bundled real ones, for `make bench` (see benchcorpus.Generate).
//
//	benchcorpus [-src testdata/corpus] [-formats txt,html] -n 1000 DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"govreport/cmd/internal/benchcorpus"
)

func main() {
	src := flag.String("src", "testdata/corpus", "folder of real reports to derive from")
	n := flag.Int("n", 1000, "number of documents to write")
	formats := flag.String("formats", "txt,html,pdf", "comma-separated formats to use")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchcorpus [-src DIR] [-formats txt,html,pdf] -n N OUTDIR")
		os.Exit(2)
	}
	paths, err := benchcorpus.Generate(*src, flag.Arg(0), *n, strings.Split(*formats, ",")...)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("%d documents in %s\n", len(paths), flag.Arg(0))
}
