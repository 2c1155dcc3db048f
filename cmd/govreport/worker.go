package main

import (
	"context"
	"os"

	"github.com/spf13/pflag"

	"govreport/cmd/internal/parse"
)

func init() {
	register(&command{
		name:    "parse-worker",
		summary: "internal: parse documents sent on stdin (import's child process)",
		hidden:  true,
		help: `Parses the documents that import sends on stdin and writes each one as a
line of JSON on stdout, until stdin ends. import starts it; it is not meant
to be run by hand.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			return func(context.Context, []string) error {
				tuneGC()
				return parse.ServeWorker(os.Stdin, os.Stdout)
			}
		},
	})
}

// isolator runs this same executable as the import's parse workers.
func isolator() (*parse.Isolator, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, err
	}
	return &parse.Isolator{Command: []string{exe, "parse-worker"}}, nil
}
