// Command benchcorpus writes N distinct report files derived from the
// bundled real ones, for `make bench` (see benchcorpus.Generate).
//
//	benchcorpus [-src testdata/corpus] [-formats txt,html] -n 1000 DIR
//	benchcorpus [-src testdata/corpus] -grow MB DIR
//	benchcorpus -hostile DIR
//
// -grow writes one document of about MB megabytes per format instead
// (benchcorpus.Grow), and -hostile the adversarial shapes just within the
// readers' bounds (benchcorpus.Hostile), for the benchmark of peak memory
// against size.
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
	grow := flag.Int("grow", 0, "write one document of about this many MB per format instead")
	hostile := flag.Bool("hostile", false, "write the adversarial shapes just within the readers' bounds instead")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: benchcorpus [-src DIR] [-formats txt,html,pdf] -n N OUTDIR | -grow MB OUTDIR | -hostile OUTDIR")
		os.Exit(2)
	}
	var paths []string
	var err error
	switch {
	case *hostile:
		paths, err = benchcorpus.Hostile(flag.Arg(0))
	case *grow > 0:
		paths, err = benchcorpus.Grow(*src, flag.Arg(0), *grow)
	default:
		paths, err = benchcorpus.Generate(*src, flag.Arg(0), *n, strings.Split(*formats, ",")...)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchcorpus:", err)
		os.Exit(1)
	}
	fmt.Printf("%d documents in %s\n", len(paths), flag.Arg(0))
}
