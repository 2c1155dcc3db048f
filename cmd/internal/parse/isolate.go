package parse

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"govreport"
	"govreport/extract"
)

// Isolator parses documents in child processes. A crash that Go cannot
// recover from (the PDF library exhausting its stack on object streams
// that refer to each other) or a parse past its time limit then costs that
// one document, whose error says what happened, and the child is replaced;
// in-process, the first ends the whole run and the second leaves the parse
// running. Each child parses one document at a time and is reused.
type Isolator struct {
	Command []string // the child: a program whose stdin and stdout ServeWorker serves
	Env     []string // added to the child's environment

	mu     sync.Mutex
	idle   []*child
	closed bool
}

type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	stderr *stderrLog
	done   chan struct{} // closed when the process has exited
}

// request heads each document sent to a child; Size bytes of the file
// follow it.
type request struct {
	Source      string `json:"source"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type,omitempty"`
	BaseURL     string `json:"base_url,omitempty"`
	Size        int    `json:"size"`
}

// Parse parses one file bounded by Timeout: a PDF in a child process;
// other formats, and every file when iso is nil, in-process. sha is the
// file's SHA256, computed when empty. Like Bytes it never returns nil: a
// child that crashes, hangs or cannot be started yields a document whose
// status is error.
func (iso *Isolator) Parse(source, sha string, data []byte, opt extract.Options) *govreport.Document {
	if sha == "" {
		sha = SHA256(data)
	}
	if iso == nil || extract.Format(source, data, opt.ContentType) != "pdf" {
		return parseTimeout(source, sha, data, opt)
	}
	failed := func(format string, args ...any) *govreport.Document {
		return failedDoc(source, sha, data, opt, fmt.Sprintf(format, args...))
	}
	c, err := iso.get()
	if err != nil {
		return failed("parser process: %v", err)
	}
	type result struct {
		d   *govreport.Document
		err error
	}
	res := make(chan result, 1)
	go func() {
		var d govreport.Document
		err := c.send(request{Source: source, SHA256: sha, ContentType: opt.ContentType, BaseURL: opt.BaseURL, Size: len(data)}, data)
		if err == nil {
			var line []byte
			if line, err = c.out.ReadBytes('\n'); err == nil {
				err = json.Unmarshal(line, &d)
			}
		}
		res <- result{&d, err}
	}()
	select {
	case r := <-res:
		if r.err == nil {
			iso.put(c)
			return r.d
		}
		c.kill()
		if msg := c.stderr.crash(); msg != "" {
			return failed("parser crashed: %s", msg)
		}
		return failed("parser process: %v", r.err)
	case <-after(source, Timeout):
		c.kill()
		return failed("parse timed out after %s (parser process killed)", Timeout)
	}
}

// Close ends the idle children; children still parsing end when their
// document is done.
func (iso *Isolator) Close() {
	iso.mu.Lock()
	idle := iso.idle
	iso.idle, iso.closed = nil, true
	iso.mu.Unlock()
	for _, c := range idle {
		c.in.Close() // the child exits at EOF
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			c.kill()
		}
	}
}

func (iso *Isolator) get() (*child, error) {
	iso.mu.Lock()
	if n := len(iso.idle); n > 0 {
		c := iso.idle[n-1]
		iso.idle = iso.idle[:n-1]
		iso.mu.Unlock()
		return c, nil
	}
	iso.mu.Unlock()
	if len(iso.Command) == 0 {
		return nil, errors.New("no command")
	}
	cmd := exec.Command(iso.Command[0], iso.Command[1:]...)
	cmd.Env = append(os.Environ(), iso.Env...)
	in, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, in: in, out: bufio.NewReaderSize(out, 1<<16), stderr: &stderrLog{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	go func() { cmd.Wait(); close(c.done) }()
	return c, nil
}

func (iso *Isolator) put(c *child) {
	iso.mu.Lock()
	defer iso.mu.Unlock()
	if iso.closed {
		c.in.Close()
		return
	}
	iso.idle = append(iso.idle, c)
}

func (c *child) send(r request, data []byte) error {
	head, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if _, err := c.in.Write(append(head, '\n')); err != nil {
		return err
	}
	_, err = c.in.Write(data)
	return err
}

func (c *child) kill() {
	c.cmd.Process.Kill()
	<-c.done
}

// ServeWorker is the child's side of an Isolator: it reads documents from r
// and writes each one's parse to w as a line of JSON, until r ends. A file
// that panics the parser is answered like any other (the panic is recovered); what
// Go cannot recover from ends the process, which the parent reports.
func ServeWorker(r io.Reader, w io.Writer) error {
	// A parser that recurses without end fails at 256 MB of stack, soon,
	// rather than at the default 1 GB.
	debug.SetMaxStack(256 << 20)
	in := bufio.NewReaderSize(r, 1<<16)
	out := bufio.NewWriterSize(w, 1<<16)
	enc := json.NewEncoder(out)
	for {
		line, err := in.ReadBytes('\n')
		if err == io.EOF && len(line) == 0 {
			return nil
		}
		if err != nil {
			return err
		}
		var req request
		if err := json.Unmarshal(line, &req); err != nil {
			return fmt.Errorf("parse worker: bad request: %w", err)
		}
		data := make([]byte, req.Size)
		if _, err := io.ReadFull(in, data); err != nil {
			return fmt.Errorf("parse worker: %s: %w", req.Source, err)
		}
		d := parse(req.Source, req.SHA256, data, extract.Options{ContentType: req.ContentType, BaseURL: req.BaseURL})
		if err := enc.Encode(d); err != nil {
			return err
		}
		if err := out.Flush(); err != nil {
			return err
		}
	}
}

// stderrLog reads a child's stderr line by line and keeps what says why it
// died: Go prints "fatal error: …" or "panic: …" first, then goroutine
// stacks that may run to megabytes.
type stderrLog struct {
	mu      sync.Mutex
	partial []byte
	fatal   string // the first fatal error or panic line
	limit   string // the stack limit a runaway recursion hit
	last    string // the last line, when nothing else
}

func (t *stderrLog) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.partial = append(t.partial, p...)
	for {
		i := bytes.IndexByte(t.partial, '\n')
		if i < 0 {
			break
		}
		t.line(string(bytes.TrimSpace(t.partial[:i])))
		t.partial = t.partial[i+1:]
	}
	if len(t.partial) > 4096 {
		t.partial = t.partial[:0] // no line of interest is that long
	}
	return len(p), nil
}

func (t *stderrLog) line(l string) {
	switch {
	case l == "":
		return
	case t.fatal == "" && (strings.HasPrefix(l, "fatal error:") || strings.HasPrefix(l, "panic:")):
		t.fatal = l
	case t.limit == "" && strings.HasPrefix(l, "runtime: goroutine stack exceeds"):
		t.limit = strings.TrimPrefix(l, "runtime: ")
	}
	if t.fatal == "" {
		t.last = l
	}
}

// crash says why the child died: its fatal error (with the stack limit it
// hit), or the last line it printed.
func (t *stderrLog) crash() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.fatal != "" && t.limit != "":
		return t.fatal + " (" + t.limit + ")"
	case t.fatal != "":
		return t.fatal
	}
	return t.last
}
