package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/user"
	"time"

	"github.com/spf13/pflag"

	"govreport/cmd/internal/review"
)

func init() {
	register(&command{
		name:    "serve",
		summary: "review the database in a browser: tables beside their source, flagged cells, corrections",
		help: `Serves a local web interface to review the database: the reports, filtered
(year, agency, region, layout, format, status, flagged cells, failing
checks) and sorted; a report's tables drawn as printed, every flagged cell
coloured by its flag (raw text, why and where it was printed on hover),
its failed checks beside each table, and the source beside the table: the
PDF page with the cell marked (drawn by pdftoppm, poppler-utils; without
it a link to the PDF at that page), the stored HTML page, or the lines of
a text file around the cell; an agency's key figures over the years with
the cross-year findings of check; the review queue, worst first.

It is read-only unless --allow-edit: then a cell's value can be set (or
the machine's confirmed, or a correction reverted) with a note. A
correction is stored by the file's sha256 and the cell, survives --reparse
and re-import, is applied by the views and exports (flag corrected, the
machine's value beside it), and re-runs the checks of its table;
export --table corrections lists them, corrections import reads them.

Stored files are read from inside --store only (the crawler's store, or the
folder the reports were imported from), and only while their bytes still
have the document's sha256. It listens on 127.0.0.1 by default; another
address exposes the database to whoever can reach it. Ctrl-C stops it.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file")
			addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
			dir := fs.String("store", "govreport-store", "folder the stored files are read from (nothing outside it is read)")
			edit := fs.Bool("allow-edit", false, "allow corrections (the server is read-only otherwise)")
			author := fs.String("author", "", "name recorded with each correction (default: your login name)")
			pdftoppm := fs.String("pdftoppm", "", "path of pdftoppm, which draws PDF pages (default: looked up in PATH; none: do not draw)")
			return func(ctx context.Context, args []string) error {
				// Read-only unless corrections are allowed: a read-only
				// database can be reviewed, and the server never holds a
				// writer's place beside an import.
				st, err := openDB(*db, *edit)
				if err != nil {
					return err
				}
				defer st.Close()
				if *author == "" {
					*author = defaultAuthor()
				}
				storeDir := *dir
				if _, err := os.Stat(storeDir); err != nil {
					fmt.Fprintf(stderr, "serve: no folder %s: stored files will not be shown (--store names the folder the reports were imported or crawled into)\n", storeDir)
					storeDir = ""
				}
				srv, err := review.New(review.Options{Store: st, StoreDir: storeDir, AllowEdit: *edit, Author: *author, Pdftoppm: *pdftoppm})
				if err != nil {
					return err
				}
				defer srv.Close()
				ln, err := net.Listen("tcp", *addr)
				if err != nil {
					return err
				}
				hs := &http.Server{Handler: srv.Handler(ln.Addr().String()), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute}
				mode := "read-only (--allow-edit to correct values)"
				if *edit {
					mode = "corrections allowed, recorded as " + *author
				}
				fmt.Fprintf(stdout, "serving %s on http://%s/ — %s; Ctrl-C stops\n", *db, ln.Addr(), mode)
				if host, _, _ := net.SplitHostPort(ln.Addr().String()); !net.ParseIP(host).IsLoopback() {
					fmt.Fprintf(stderr, "serve: %s is not a loopback address: whoever can reach it can read the database%s\n", host, map[bool]string{true: " and change it", false: ""}[*edit])
				}
				done := make(chan error, 1)
				go func() { done <- hs.Serve(ln) }()
				select {
				case err := <-done:
					return err
				case <-ctx.Done():
					sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
					defer cancel()
					if err := hs.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
						return err
					}
					return nil
				}
			}
		},
	})
}

// defaultAuthor is the user's login name.
func defaultAuthor() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return os.Getenv("USER")
}
