package main

import (
	"os"
	"strings"
	"testing"
)

// TestMain lets the test binary serve as import's parse worker: import
// starts os.Executable() parse-worker, which in a test is this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "parse-worker" {
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func TestParseWorkerHidden(t *testing.T) {
	out, _, _ := runCLI(t)
	if strings.Contains(out, "parse-worker") {
		t.Errorf("usage lists the internal parse-worker:\n%s", out)
	}
	if _, _, code := runCLI(t, "parse-worker", "-h"); code != 0 {
		t.Errorf("parse-worker -h: exit %d", code)
	}
}
