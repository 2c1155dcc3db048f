package main

import (
	"fmt"
	"runtime/debug"

	"govreport/normalize"
)

// version is what --version prints: the module's version, the commit and
// its time when the binary was built from a git checkout, and the parser's
// version (normalize.Version, stored with every document imported).
func version() string {
	v, rev, at, modified := "(devel)", "", "", false
	if bi, ok := debug.ReadBuildInfo(); ok {
		if bi.Main.Version != "" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.time":
				at = s.Value
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
	}
	s := "govreport " + v
	if rev != "" {
		s += ", commit " + rev[:min(len(rev), 12)]
		if at != "" {
			s += " of " + at
		}
		if modified {
			s += " with local changes"
		}
	}
	return s + fmt.Sprintf("\nparser version %s", normalize.Version)
}
