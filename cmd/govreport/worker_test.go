package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"govreport/cmd/internal/parse"
)

// killEnv names a file on which the parse worker kills itself.
const killEnv = "GOVREPORT_TEST_KILL_ON"

// mainEnv set to 1 makes the test binary run as govreport (see self).
const mainEnv = "GOVREPORT_TEST_MAIN"

// TestMain lets the test binary serve as govreport itself: as import's
// parse worker (import starts os.Executable() parse-worker, which in a
// test is this binary), and as the command the tests kill or copy (self),
// so that no test builds the cgo binary again.
func TestMain(m *testing.M) {
	if os.Getenv(mainEnv) == "1" || len(os.Args) > 1 && os.Args[1] == "parse-worker" {
		if name := os.Getenv(killEnv); name != "" && os.Args[1] == "parse-worker" {
			// The worker is killed, as by the kernel's OOM killer, on
			// the files so named.
			parse.SetHook(func(source string) {
				if filepath.Base(source) == name {
					syscall.Kill(os.Getpid(), syscall.SIGKILL)
				}
			})
		}
		os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// self is this test binary run as `govreport args...`.
func self(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, os.Args[0], args...)
	cmd.Env = append(os.Environ(), mainEnv+"=1")
	return cmd
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
