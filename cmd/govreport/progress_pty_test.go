//go:build linux

package main

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"

	"govreport/cmd/internal/benchcorpus"
)

// onTerminal starts govreport args with its stderr on a pseudo-terminal
// 120 columns wide (so that import draws its bar) and returns the command
// and a function that waits for it and returns what the terminal showed.
func onTerminal(t *testing.T, dir string, stdout io.Writer, args ...string) (*exec.Cmd, func() string) {
	t.Helper()
	master, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	fd := int(master.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	tty, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	if err := unix.IoctlSetWinsize(int(tty.Fd()), unix.TIOCSWINSZ, &unix.Winsize{Row: 40, Col: 120}); err != nil {
		t.Fatal(err)
	}
	cmd := self(context.Background(), args...)
	cmd.Dir, cmd.Stdout, cmd.Stderr = dir, stdout, tty
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	var screen bytes.Buffer
	read := make(chan struct{})
	go func() {
		io.Copy(&screen, master) // ends with EIO once the command exits
		close(read)
	}()
	return cmd, func() string {
		cmd.Wait()
		<-read
		master.Close()
		return strings.ReplaceAll(screen.String(), "\r\n", "\n")
	}
}

// shownLine is the line of a terminal's output that contains text, as the
// terminal shows it: what follows the line's last carriage return.
func shownLine(screen, text string) string {
	var line string
	for _, l := range strings.Split(screen, "\n") {
		if strings.Contains(l, text) {
			line = l
		}
	}
	if i := strings.LastIndex(line, "\r"); i >= 0 {
		line = line[i+1:]
	}
	return line
}

// A failure's message is printed on a line of its own above the bar,
// never glued to it, and the bar goes on below.
func TestBarMessagesAbove(t *testing.T) {
	dir := t.TempDir()
	rd := filepath.Join(dir, "rd")
	if _, err := benchcorpus.Generate(corpus, rd, 40, "txt"); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(rd, "broken.pdf"), []byte("%PDF-1.7\n1 0 obj << /Type /Catalog"), 0o644)
	var out bytes.Buffer
	_, wait := onTerminal(t, dir, &out, "import", "--db", "g.db", "--jobs", "1", "--isolate=false", "rd")
	screen := wait()
	if !strings.Contains(out.String(), "41 files: 40 imported, 0 already imported, 1 failed") {
		t.Fatalf("summary:\n%s\nterminal:\n%q", out.String(), screen)
	}
	msg := filepath.Join(rd, "broken.pdf") + ": error: "
	if line := shownLine(screen, msg); !strings.HasPrefix(line, msg) || strings.Contains(line, "importing") {
		t.Errorf("the failure shows as %q, want a line of its own; terminal:\n%q", line, screen)
	}
	if frame := lastFrame(screen); !strings.Contains(frame, "(41/41") || !strings.Contains(frame, "1 failed") {
		t.Errorf("last frame %q, want 41/41 and 1 failed", frame)
	}
}

// Ctrl-C stops the import; the bar's last frame shows the true count, the
// one the summary gives.
func TestBarCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("parses PDFs until interrupted")
	}
	dir := t.TempDir()
	rd := filepath.Join(dir, "rd")
	files, err := benchcorpus.Generate(corpus, rd, 80, "pdf")
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	db := filepath.Join(dir, "g.db")
	cmd, wait := onTerminal(t, dir, &out, "import", "--db", db, "--jobs", "1", "--isolate=false", "rd")
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatal("no document stored after 2 minutes")
		}
		time.Sleep(50 * time.Millisecond)
		if storedCount(db) >= 3 {
			break
		}
	}
	cmd.Process.Signal(os.Interrupt)
	screen := wait()
	if code := cmd.ProcessState.ExitCode(); code != 1 {
		t.Errorf("exit %d after Ctrl-C, want 1", code)
	}
	m := regexp.MustCompile(`(\d+) files: (\d+) imported, 0 already imported, (\d+) failed, \d+ not reached;`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("summary after Ctrl-C:\n%s", out.String())
	}
	imported, _ := strconv.Atoi(m[2])
	failed, _ := strconv.Atoi(m[3])
	want := fmt.Sprintf("(%d/%d", imported+failed, len(files))
	if frame := lastFrame(screen); !strings.Contains(frame, want) {
		t.Errorf("last frame %q, want %s as the summary counts; terminal:\n%q", frame, want, screen)
	}
	if line := shownLine(screen, "interrupted: "); !strings.HasPrefix(line, "interrupted: writing the documents in flight") {
		t.Errorf("the interruption's message shows as %q, want a line of its own", line)
	}
}

// storedCount is the number of documents in db, 0 while it has none or
// no table yet.
func storedCount(db string) int {
	conn, err := sql.Open("sqlite3", "file:"+db+"?mode=ro")
	if err != nil {
		return 0
	}
	defer conn.Close()
	var n int
	conn.QueryRow(`SELECT count(*) FROM documents`).Scan(&n)
	return n
}
