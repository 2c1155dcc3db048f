package main

import (
	"context"
	"os"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// docDir is where the Markdown reference is checked in (make docs).
const docDir = "cmd/govreport/doc"

func init() {
	register(&command{
		name:    "docs",
		summary: "internal: write the command reference to DIR (Markdown, or man pages with --man)",
		usage:   "DIR",
		args:    oneArg,
		hidden:  true,
		help: `Writes the reference of every command to DIR: one Markdown file per
command (the one checked in under ` + docDir + `, by make docs), or
with --man one man page per command, in section 1.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			man := fs.Bool("man", false, "write man pages instead of Markdown")
			return func(_ context.Context, args []string) error {
				dir := args[0]
				if err := os.MkdirAll(dir, 0o755); err != nil {
					return err
				}
				root := referenceRoot()
				if *man {
					return doc.GenManTree(root, &doc.GenManHeader{Title: "GOVREPORT", Section: "1", Source: "govreport"}, dir)
				}
				return doc.GenMarkdownTree(root, dir)
			}
		},
	})
}

// referenceRoot is the command tree as run builds it, with the commands
// and flags cobra adds when it runs (completion, help, --version), and
// no generation date, so that the reference changes only with the
// commands.
func referenceRoot() *cobra.Command {
	root := newRoot()
	root.InitDefaultHelpCmd()
	root.InitDefaultCompletionCmd()
	root.InitDefaultVersionFlag()
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		c.DisableAutoGenTag = true
		c.InitDefaultHelpFlag()
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	return root
}
