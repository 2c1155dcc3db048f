// Command govreport turns Chinese government open-information annual
// reports (政府信息公开工作年度报告) into a SQLite database.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// command is one subcommand; each lives in its own file and registers
// itself in init. run builds the cobra commands from them afresh on every
// call, so that no flag value outlives a run.
type command struct {
	name    string
	summary string
	usage   string // arguments after the flags
	help    string // longer description
	args    nargs  // the arguments taken
	flags   func(fs *pflag.FlagSet) func(ctx context.Context, args []string) error
	hidden  bool // internal: not listed in the usage
	// values completes a flag's value in the shell: flag name → its values.
	values map[string]func() []string
	// words are the only values a flag takes: completed like values, and
	// any other given value is a usage error before the command runs ("":
	// also taken when it is the default).
	words map[string]func() []string
	// parent names the command this one is a subcommand of (corrections
	// import); "" for a top-level command. A command with subcommands and
	// no flags func does nothing itself: it prints its help.
	parent string
}

// nargs is how many arguments a command takes.
type nargs int

const (
	noArgs    nargs = iota // none: an argument is an error
	oneArg                 // exactly one
	oneOrMore              // at least one
	anyArgs                // any number, the command checks
)

var commands = map[string]*command{}

// fixed is the values of a flag that takes one of a few words.
func fixed(words ...string) func() []string { return func() []string { return words } }

func register(c *command) { commands[strings.TrimSpace(c.parent+" "+c.name)] = c }

// exitError carries an exit status without printing more.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// usageError is an error in how a command was called that only its
// action can see (a flag's value out of range, no seed given): like
// cobra's own, exit status 2 and how to get help.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }

// runError is an error of a command's work, as opposed to an error in how
// it was called (a usage error, exit status 2).
type runError struct{ err error }

func (e runError) Error() string { return e.err.Error() }
func (e runError) Unwrap() error { return e.err }

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

var stdout io.Writer = os.Stdout
var stderr io.Writer = os.Stderr

// run runs govreport with args and returns the exit status: 0, 1 when the
// work failed, 2 on a usage error (reported in one line, with how to get
// help, not the whole help text).
func run(args []string, out, errw io.Writer) int {
	stdout, stderr = out, errw
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := newRoot()
	root.SetOut(out)
	root.SetErr(errw)
	if len(args) == 0 {
		// No command: the help, with the status of a usage error.
		root.SetArgs([]string{"--help"})
		root.Execute()
		return 2
	}
	root.SetArgs(singleDashFlags(root, args))
	cmd, err := root.ExecuteContextC(ctx)
	if err == nil {
		return 0
	}
	var ee exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	var re runError
	if errors.As(err, &re) {
		fmt.Fprintf(errw, "%s: %v\n", cmd.CommandPath(), re.err)
		return 1
	}
	fmt.Fprintf(errw, "%s: %v\nRun '%s --help' for usage.\n", cmd.CommandPath(), strings.TrimSpace(err.Error()), cmd.CommandPath())
	return 2
}

const about = `govreport turns government open-information annual reports (政府信息公开工作年度报告)
into a SQLite database: sections, statistics tables as typed rows, checks of their arithmetic.`

// newRoot builds the command tree: cobra's conventions (flags anywhere on
// the line, --version, help on stdout, suggestions, shell completion).
func newRoot() *cobra.Command {
	root := &cobra.Command{
		Use:           "govreport",
		Short:         "turn government open-information annual reports into a SQLite database",
		Long:          about,
		Version:       version(),
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetVersionTemplate("{{.Version}}\n")
	root.SetFlagErrorFunc(flagError)
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names) // a parent before its subcommands
	built := map[string]*cobra.Command{}
	for _, n := range names {
		c := commands[n]
		cc := c.cobra()
		built[n] = cc
		if p := built[c.parent]; c.parent != "" && p != nil {
			p.AddCommand(cc)
		} else {
			root.AddCommand(cc)
		}
	}
	return root
}

func (c *command) cobra() *cobra.Command {
	use := c.name
	if c.usage != "" {
		use += " [flags] " + c.usage
	}
	cc := &cobra.Command{
		Use:    use,
		Short:  c.summary,
		Long:   strings.TrimSpace(c.help),
		Hidden: c.hidden,
		Args:   c.checkArgs,
	}
	if c.flags == nil {
		// subcommands only: an unknown one, or none, is a usage error
		cc.Args = cobra.NoArgs
		cc.RunE = func(cmd *cobra.Command, _ []string) error {
			var subs []string
			for _, s := range cmd.Commands() {
				subs = append(subs, s.Name())
			}
			return fmt.Errorf("want a subcommand: %s", strings.Join(subs, ", "))
		}
		return cc
	}
	action := c.flags(cc.Flags())
	if cc.Flags().Lookup("db") != nil {
		cc.MarkFlagFilename("db", "db")
	}
	for name, values := range c.values {
		complete(cc, name, values)
	}
	for name, words := range c.words {
		complete(cc, name, words)
	}
	cc.RunE = func(cmd *cobra.Command, args []string) error {
		if err := c.checkWords(cmd.Flags()); err != nil {
			return err
		}
		if err := action(cmd.Context(), args); err != nil {
			var ue usageError
			if errors.As(err, &ue) {
				return ue.err
			}
			return runError{err}
		}
		return nil
	}
	return cc
}

// complete offers a flag's values in the shell, those that begin with
// what was typed.
func complete(cc *cobra.Command, name string, values func() []string) {
	cc.RegisterFlagCompletionFunc(name, func(_ *cobra.Command, _ []string, prefix string) ([]string, cobra.ShellCompDirective) {
		var out []string
		for _, v := range values() {
			if strings.HasPrefix(v, prefix) {
				out = append(out, v)
			}
		}
		return out, cobra.ShellCompDirectiveNoFileComp
	})
}

// checkWords refuses a value given to a flag of c.words that is not one of
// its words.
func (c *command) checkWords(fs *pflag.FlagSet) error {
	for name, words := range c.words {
		f := fs.Lookup(name)
		v := f.Value.String()
		w := words()
		if !f.Changed || v == "" && f.DefValue == "" || slices.Contains(w, v) {
			continue
		}
		want := "one of " + strings.Join(w, ", ")
		if len(w) == 2 {
			want = w[0] + " or " + w[1]
		}
		return fmt.Errorf("--%s %q: want %s", name, v, want)
	}
	return nil
}

func (c *command) checkArgs(_ *cobra.Command, args []string) error {
	switch {
	case c.args == noArgs && len(args) > 0:
		return fmt.Errorf("unexpected argument %q (%s takes none)", args[0], c.name)
	case c.args == oneArg && len(args) != 1:
		return fmt.Errorf("want one %s, got %d arguments", c.usage, len(args))
	case c.args == oneOrMore && len(args) == 0:
		return fmt.Errorf("no %s given", strings.TrimSuffix(c.usage, "..."))
	}
	return nil
}

// flagError adds to an unknown flag the closest one the command has.
func flagError(cmd *cobra.Command, err error) error {
	var ne *pflag.NotExistError
	if !errors.As(err, &ne) {
		return err
	}
	name := ne.GetSpecifiedName()
	if name == "" || len(name) == 1 {
		name = ne.GetSpecifiedShortnames()
	}
	best, bestD := "", 3
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		d := levenshtein(name, f.Name)
		if strings.HasPrefix(f.Name, name) || strings.HasPrefix(name, f.Name) {
			d = min(d, 1)
		}
		if d < bestD {
			best, bestD = f.Name, d
		}
	})
	if best == "" {
		return err
	}
	return fmt.Errorf("%w (did you mean --%s?)", err, best)
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur := make([]int, len(rb)+1)
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

// singleDashFlags rewrites -name and -name=value to --name for the long
// flags of the command named in args: the form the Go flag package
// accepted, which earlier versions of govreport used.
func singleDashFlags(root *cobra.Command, args []string) []string {
	cmd, _, err := root.Find(args)
	if err != nil || cmd == nil {
		return args
	}
	out := make([]string, len(args))
	copy(out, args)
	for i, a := range out {
		if a == "--" {
			break
		}
		if len(a) < 3 || a[0] != '-' || a[1] == '-' {
			continue
		}
		name, _, _ := strings.Cut(a[1:], "=")
		if cmd.Flags().Lookup(name) != nil || name == "help" || cmd == root && name == "version" {
			out[i] = "-" + a
		}
	}
	return out
}
