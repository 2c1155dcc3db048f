// Command govreport turns Chinese government open-information annual
// reports (政府信息公开工作年度报告) into a SQLite database.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// command is one subcommand; each lives in its own file and registers
// itself in init.
type command struct {
	name    string
	summary string
	usage   string // arguments after the flags
	help    string // longer description
	flags   func(fs *flag.FlagSet) func(ctx context.Context, args []string) error
	hidden  bool // internal: not listed in the usage
}

var commands = map[string]*command{}

func register(c *command) { commands[c.name] = c }

// exitError carries an exit status without printing more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var stdout io.Writer = os.Stdout
var stderr io.Writer = os.Stderr

func run(args []string, out, errw io.Writer) int {
	stdout, stderr = out, errw
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		if len(args) > 1 {
			if c := commands[args[1]]; c != nil {
				fs := newFlagSet(c)
				c.flags(fs)
				fs.Usage()
				return 0
			}
		}
		usage(out)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	c := commands[args[0]]
	if c == nil {
		fmt.Fprintf(errw, "govreport: unknown command %q\n\n", args[0])
		usage(errw)
		return 2
	}
	fs := newFlagSet(c)
	action := c.flags(fs)
	if err := fs.Parse(args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := action(ctx, fs.Args()); err != nil {
		var ee exitError
		if errors.As(err, &ee) {
			return ee.code
		}
		fmt.Fprintf(errw, "govreport %s: %v\n", c.name, err)
		return 1
	}
	return 0
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("govreport "+c.name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: govreport %s [flags] %s\n\n%s\n", c.name, c.usage, strings.TrimSpace(c.help))
		n := 0
		fs.VisitAll(func(*flag.Flag) { n++ })
		if n > 0 {
			fmt.Fprintf(stderr, "\nflags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

func usage(w io.Writer) {
	fmt.Fprintf(w, `govreport turns government open-information annual reports (政府信息公开工作年度报告)
into a SQLite database: sections, statistics tables as typed rows, checks of their arithmetic.

usage: govreport <command> [flags] [arguments]

commands:
`)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if commands[n].hidden {
			continue
		}
		fmt.Fprintf(w, "  %-8s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'govreport help <command>' or 'govreport <command> -h' for a command's flags.\n")
}
