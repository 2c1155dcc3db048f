package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/spf13/pflag"
	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport"
	"govreport/store"
)

func init() {
	register(&command{
		name:    "corrections",
		summary: "share corrections made in review (import; export --table corrections writes them)",
		help: `Corrections are a person's values for cells, made in govreport serve
--allow-edit. export --table corrections writes them as CSV; corrections
import reads such a file into another database, so that a team shares
its review.`,
	})
	register(&command{
		name:    "import",
		parent:  "corrections",
		summary: "import corrections from a CSV file (as export --table corrections writes)",
		usage:   "FILE",
		args:    oneArg,
		help: `Reads corrections from a CSV file with a header line naming its columns:
sha256, tbl (or table), row_key, col_key, value, and optionally action
(set, confirm, revert; default set), note, author and made_at (RFC 3339;
default now). Other columns are ignored, so the file export --table
corrections writes is read back as it is. UTF-8 (with or without a
byte-order mark) or GBK.

Each correction is recorded once: one already recorded (same cell, time,
action and value) is skipped, an older one than the cell's current
correction is kept as history. A correction may name a cell the reader
did not store, if the template of the document's layout defines it (a
row it did not place): it fills that cell in. One of a document this
database does not hold, or of a cell neither stored nor in the template
(a legacy table's row the reader did not store), is recorded too and
applies when the document is imported or read so that the cell exists.
The checks of every table touched are run again. A malformed
line is an error naming the file and line, and nothing is imported.`,
		flags: func(fs *pflag.FlagSet) func(context.Context, []string) error {
			db := fs.String("db", "govreport.db", "database file (created if missing)")
			return func(ctx context.Context, args []string) error {
				cs, lines, err := readCorrections(args[0])
				if err != nil {
					return err
				}
				st, err := openStore(*db)
				if err != nil {
					return err
				}
				defer st.Close()
				added, skipped, absent, err := st.ImportCorrections(ctx, cs)
				var ce *store.CorrectionError
				if errors.As(err, &ce) {
					return fmt.Errorf("%s:%d: %w", args[0], lines[ce.Index], ce.Err)
				}
				if err != nil {
					return fmt.Errorf("%s: %w", args[0], err)
				}
				fmt.Fprintf(stdout, "%s: %d corrections recorded, %d already recorded", args[0], added, skipped)
				if absent > 0 {
					fmt.Fprintf(stdout, ", %d of documents or cells this database does not hold (they apply when the documents are imported)", absent)
				}
				fmt.Fprintln(stdout)
				return nil
			}
		},
	})
}

// readCorrections reads a CSV file of corrections, and the line each
// one is on.
func readCorrections(path string) (cs []govreport.Correction, lines []int, err error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		if data, err = simplifiedchinese.GB18030.NewDecoder().Bytes(data); err != nil {
			return nil, nil, fmt.Errorf("%s: neither UTF-8 nor GBK: %w", path, err)
		}
	}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	header, err := r.Read()
	if errors.Is(err, io.EOF) {
		return nil, nil, fmt.Errorf("%s: empty: want a header line (sha256, tbl, row_key, col_key, value, …)", path)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "table" {
			h = "tbl"
		}
		if _, dup := col[h]; !dup {
			col[h] = i
		}
	}
	for _, need := range []string{"sha256", "tbl", "row_key", "col_key", "value"} {
		if _, ok := col[need]; !ok {
			return nil, nil, fmt.Errorf("%s:1: no column %s (want sha256, tbl, row_key, col_key, value; action, note, author, made_at optional)", path, need)
		}
	}
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		get := func(k string) string {
			if i, ok := col[k]; ok && i < len(rec) {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		c := govreport.Correction{SHA256: get("sha256"), Table: get("tbl"), Row: get("row_key"), Col: get("col_key"),
			Action: get("action"), Note: get("note"), Author: get("author"), Time: get("made_at")}
		if v := get("value"); v != "" {
			x, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return nil, nil, fmt.Errorf("%s:%d: value %q: want a number, or nothing for not reported", path, line, v)
			}
			c.Value = &x
		}
		if c.SHA256 == "" || c.Table == "" || c.Row == "" || c.Col == "" {
			return nil, nil, fmt.Errorf("%s:%d: sha256, tbl, row_key and col_key are required", path, line)
		}
		cs, lines = append(cs, c), append(lines, line)
	}
	return cs, lines, nil
}
