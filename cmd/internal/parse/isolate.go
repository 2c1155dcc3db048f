package parse

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"govreport"
	"govreport/extract"
	"govreport/normalize"
)

// Isolator parses documents in child processes, so that whatever a file
// does to its parser costs that one file: a crash Go cannot recover from
// (a stack overflow, running out of memory), a parse past its time limit,
// or one past its memory limit ends the child, the document's error says
// what happened, and the next file gets a fresh child. Each child parses
// one document at a time and is reused while it is sound.
type Isolator struct {
	Command []string // the child: a program whose stdin and stdout ServeWorker serves
	Env     []string // added to the child's environment
	// MemoryLimit bounds a child's resident memory while it parses a
	// file of n bytes to MemoryLimit + MemoryPerByte×n; past it the
	// child is killed and the file fails. 0: DefaultMemoryLimit and
	// DefaultMemoryPerByte.
	MemoryLimit   int64
	MemoryPerByte int64

	mu     sync.Mutex
	idle   []*child
	closed bool
}

// The default memory bound of a parse: a child may use 512 MiB plus 16
// bytes per byte of the file (1.5 GiB for a file of 64 MiB, the default
// size limit). Text and HTML stay far below (see MaxLines, MaxCells and
// the benchmark of peak memory per MB in cmd/benchcorpus/bench.sh); the
// bound is for what a damaged PDF can make its library do (a page's
// operands that never meet an operator pile up without end).
const (
	DefaultMemoryLimit   = 512 << 20
	DefaultMemoryPerByte = 16
)

type child struct {
	cmd    *exec.Cmd
	in     io.WriteCloser
	out    *bufio.Reader
	outR   *os.File // read end of the child's stdout, closed by discard
	gone   sync.Once
	stderr *stderrLog
	done   chan struct{} // closed when the process has exited
	mu     sync.Mutex
	killed string // why the parent killed it; "" when it did not
}

// request heads each document sent to a child; Size bytes of the file
// follow it.
type request struct {
	Source      string `json:"source"`
	SHA256      string `json:"sha256"`
	ContentType string `json:"content_type,omitempty"`
	BaseURL     string `json:"base_url,omitempty"`
	Size        int    `json:"size"`
	Explain     bool   `json:"explain,omitempty"` // answer the lines and events too
}

// response is a child's answer, one line of JSON. Before it, while the
// document is parsed, the child may write progress lines: Progress set, no
// Doc, Page the page just read by OCR.
type response struct {
	Progress bool                 `json:"progress,omitempty"`
	Page     int                  `json:"page,omitempty"`
	Doc      *govreport.Document  `json:"doc,omitempty"`
	Lines    *govreport.Extracted `json:"lines,omitempty"`
	Events   []normalize.Event    `json:"events,omitempty"`
	// Retire says the child left work running (a reader call it gave up
	// on past its own time limit): it must not be given another file.
	Retire bool `json:"retire,omitempty"`
}

// ErrTransient wraps the error of a parse that failed for a reason outside
// the file (the child was killed by someone else, as the kernel's OOM
// killer does; the run was interrupted): the file is not stored as a
// failure, and the next run parses it again.
var ErrTransient = errors.New("not stored: the next run parses it again")

// Parse parses one file bounded by Timeout, pushed by its progress up to
// MaxTimeout (and, in a child, by the memory limit); opt.Progress, when
// set, is called on the caller's goroutine for each page read by OCR.
// Every format is parsed in a child process; when iso is nil, in-process.
// sha is the file's SHA256, computed when empty. Like Bytes it returns a
// document whose status and error say why a file could not be read, its
// parser crashed, hung or used too much memory; the error is non-nil only
// for a failure that is not the file's (ErrTransient), or when ctx is
// cancelled, and then the document is nil.
func (iso *Isolator) Parse(ctx context.Context, source, sha string, data []byte, opt extract.Options) (*govreport.Document, error) {
	d, _, _, err := iso.run(ctx, source, sha, data, opt, false)
	return d, err
}

// Explain is Parse recording how the document was read, as Explained
// does: the extracted lines and the normalizer's events.
func (iso *Isolator) Explain(ctx context.Context, source string, data []byte, opt extract.Options) (*govreport.Document, *govreport.Extracted, []normalize.Event, error) {
	return iso.run(ctx, source, "", data, opt, true)
}

func (iso *Isolator) run(ctx context.Context, source, sha string, data []byte, opt extract.Options, explain bool) (*govreport.Document, *govreport.Extracted, []normalize.Event, error) {
	if sha == "" {
		sha = SHA256(data)
	}
	if iso == nil {
		return readTimeout(ctx, source, sha, data, opt, explain)
	}
	// A child killed from outside gets one more try in a fresh child.
	for attempt := 1; ; attempt++ {
		r, err := iso.try(ctx, source, sha, data, opt, explain)
		var killed signalError
		switch {
		case errors.As(err, &killed) && attempt == 1 && ctx.Err() == nil:
			continue
		case errors.As(err, &killed):
			return nil, nil, nil, fmt.Errorf("parser process %v (out of memory?); %w", killed, ErrTransient)
		case err != nil:
			return nil, nil, nil, err
		}
		return r.Doc, r.Lines, r.Events, nil
	}
}

// signalError is a child killed by a signal the parent did not send.
type signalError struct{ sig syscall.Signal }

func (e signalError) Error() string { return "killed by signal " + e.sig.String() }

// try parses one file in a child. The file's own failures (a crash, the
// time or memory limit) are in the document; err is a signalError for a
// child killed from outside, or ctx's error.
func (iso *Isolator) try(ctx context.Context, source, sha string, data []byte, opt extract.Options, explain bool) (response, error) {
	failed := func(format string, args ...any) response {
		return response{Doc: failedDoc(source, sha, data, opt, fmt.Sprintf(format, args...))}
	}
	c, err := iso.get()
	if err != nil {
		return failed("parser process: %v", err), nil
	}
	type result struct {
		r   response
		err error
	}
	res := make(chan result, 1)
	progress, stop := make(chan int), make(chan struct{})
	defer close(stop)
	go func() {
		var r response
		err := c.send(request{Source: source, SHA256: sha, ContentType: opt.ContentType, BaseURL: opt.BaseURL, Size: len(data), Explain: explain}, data)
		for err == nil {
			var line []byte
			if line, err = c.out.ReadBytes('\n'); err != nil {
				break
			}
			r = response{}
			if err = json.Unmarshal(line, &r); err != nil {
				break
			}
			if r.Progress && r.Doc == nil {
				select {
				case progress <- r.Page:
				case <-stop:
				}
				continue
			}
			if r.Doc == nil {
				err = errors.New("no document in the answer")
			}
			break
		}
		res <- result{r, err}
	}()
	limit := iso.memoryLimit(len(data))
	watch := time.NewTicker(50 * time.Millisecond)
	defer watch.Stop()
	dl := newDeadline(time.Now())
	timeout := after(source, Timeout)
	for {
		select {
		case r := <-res:
			if r.err == nil {
				if r.r.Retire {
					c.kill("retired")
				} else {
					iso.put(c)
				}
				return r.r, nil
			}
			// The child died, or broke the protocol: wait for its end
			// to tell which.
			select {
			case <-c.done:
			case <-time.After(2 * time.Second):
			}
			switch why := c.kill("broken"); {
			case why == "memory":
				return failed("parser used more than %d MB of memory (parser process killed)", limit>>20), nil
			case why != "broken":
				return failed("%s (parser process killed)", dl.timedOut()), nil
			}
			msg, fatal := c.stderr.crash()
			if fatal {
				return failed("parser crashed: %s", msg), nil
			}
			if sig, ok := c.signaled(); ok {
				return response{}, signalError{sig}
			}
			if msg != "" {
				return failed("parser process: %v: %s", r.err, msg), nil
			}
			return failed("parser process: %v", r.err), nil
		case <-watch.C:
			if rss := residentBytes(c.cmd.Process.Pid); rss > limit {
				c.kill("memory") // the read above then fails
			}
		case page := <-progress:
			dl.progress(time.Now())
			timeout = after(source, dl.left(time.Now()))
			if opt.Progress != nil {
				opt.Progress(page)
			}
		case <-timeout:
			c.kill("timeout")
			return failed("%s (parser process killed)", dl.timedOut()), nil
		case <-ctx.Done():
			c.kill("interrupted")
			return response{}, fmt.Errorf("interrupted: %w", ctx.Err())
		}
	}
}

func (iso *Isolator) memoryLimit(n int) int64 {
	base, per := iso.MemoryLimit, iso.MemoryPerByte
	if base <= 0 {
		base = DefaultMemoryLimit
	}
	if per <= 0 {
		per = DefaultMemoryPerByte
	}
	return base + per*int64(n)
}

// residentBytes is a process's resident memory (Linux: /proc/PID/statm);
// 0 when it cannot be read.
func residentBytes(pid int) int64 {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/statm")
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) < 2 {
		return 0
	}
	pages, _ := strconv.ParseInt(f[1], 10, 64)
	return pages * int64(os.Getpagesize())
}

// Close ends the idle children; children still parsing end when their
// document is done.
func (iso *Isolator) Close() {
	if iso == nil {
		return
	}
	iso.mu.Lock()
	idle := iso.idle
	iso.idle, iso.closed = nil, true
	iso.mu.Unlock()
	for _, c := range idle {
		c.discard()
		c.in.Close() // the child exits at EOF
		select {
		case <-c.done:
		case <-time.After(5 * time.Second):
			c.kill("closed")
		}
	}
}

func (iso *Isolator) get() (*child, error) {
	iso.mu.Lock()
	if n := len(iso.idle); n > 0 {
		c := iso.idle[n-1]
		iso.idle = iso.idle[:n-1]
		iso.mu.Unlock()
		select {
		case <-c.done: // died while idle
			c.discard()
			return iso.get()
		default:
			return c, nil
		}
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
	// Not cmd.StdoutPipe: Wait closes that pipe when the child exits,
	// and a child that retires exits right after its answer, which the
	// parent may not have read yet ("read |0: file already closed").
	// This read end stays open until the parent discards the child.
	outR, outW, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.Stdout = outW
	c := &child{cmd: cmd, in: in, out: bufio.NewReaderSize(outR, 1<<16), outR: outR, stderr: &stderrLog{}, done: make(chan struct{})}
	cmd.Stderr = c.stderr
	err = cmd.Start()
	outW.Close() // the child's copy is its own
	if err != nil {
		outR.Close()
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
		c.discard()
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

// kill ends the child, if it runs, and waits for its end. why is recorded
// unless an earlier kill gave a reason; kill returns the reason recorded.
func (c *child) kill(why string) string {
	c.mu.Lock()
	if c.killed == "" {
		select {
		case <-c.done:
		default:
			c.killed = why
			c.cmd.Process.Kill()
		}
	}
	killed := c.killed
	c.mu.Unlock()
	<-c.done
	c.discard()
	if killed == "" {
		return why
	}
	return killed
}

// discard closes the read end of the child's stdout once it has exited:
// the parent reads no more from a child it discards.
func (c *child) discard() {
	c.gone.Do(func() {
		go func() {
			<-c.done
			c.outR.Close()
		}()
	})
}

// signaled reports the signal that ended the child when the parent did
// not send it.
func (c *child) signaled() (syscall.Signal, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.killed != "" || c.cmd.ProcessState == nil {
		return 0, false
	}
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() {
		return 0, false
	}
	return ws.Signal(), true
}

// ServeWorker is the child's side of an Isolator: it reads documents from r
// and writes each one's parse to w as a line of JSON, until r ends, each
// page read by OCR meanwhile as a progress line. A file that panics the
// parser is answered like any other (the panic is recovered); what Go
// cannot recover from ends the process, which the parent reports. After a
// parse that left work running (a reader call abandoned past its time
// limit) the answer asks the parent to retire this child, which then
// exits.
func ServeWorker(r io.Reader, w io.Writer) error {
	// A parser that recurses without end fails at 64 MB of stack, soon
	// and within the memory limit, rather than at the default 1 GB. No
	// reader needs more than a few megabytes.
	debug.SetMaxStack(64 << 20)
	in := bufio.NewReaderSize(r, 1<<16)
	out := &answers{out: bufio.NewWriterSize(w, 1<<16)}
	out.enc = json.NewEncoder(out.out)
	idle := runtime.NumGoroutine()
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
		var res response
		opt := extract.Options{ContentType: req.ContentType, BaseURL: req.BaseURL, Progress: out.progress()}
		res.Doc, res.Lines, res.Events = read(req.Source, req.SHA256, data, opt, req.Explain)
		res.Retire = leftRunning(idle)
		if err := out.answer(res); err != nil {
			return err
		}
		if res.Retire {
			return nil
		}
	}
}

// answers writes a child's lines: progress while a document is parsed,
// then its answer. Progress from work a parse abandoned, after its answer,
// is dropped.
type answers struct {
	mu  sync.Mutex
	out *bufio.Writer
	enc *json.Encoder
	doc int // answers written
}

// progress is the progress callback of the document being parsed.
func (a *answers) progress() func(page int) {
	a.mu.Lock()
	doc := a.doc
	a.mu.Unlock()
	return func(page int) {
		a.mu.Lock()
		defer a.mu.Unlock()
		if a.doc == doc {
			a.write(response{Progress: true, Page: page}) // a broken pipe fails the answer
		}
	}
}

func (a *answers) answer(r response) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.doc++
	return a.write(r)
}

func (a *answers) write(r response) error {
	if err := a.enc.Encode(r); err != nil {
		return err
	}
	return a.out.Flush()
}

// leftRunning reports goroutines beyond the idle count that do not end
// within a moment: work a parse abandoned.
func leftRunning(idle int) bool {
	for i := 0; i < 10 && runtime.NumGoroutine() > idle; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	return runtime.NumGoroutine() > idle
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
// hit), fatal true, or the last line it printed.
func (t *stderrLog) crash() (msg string, fatal bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.fatal != "" && t.limit != "":
		return t.fatal + " (" + t.limit + ")", true
	case t.fatal != "":
		return t.fatal, true
	}
	return t.last, false
}
