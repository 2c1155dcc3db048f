package store_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/simplifiedchinese"

	"govreport/store"
)

func TestExportT3CSV(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	var buf bytes.Buffer
	n, err := st.Export(ctx, &buf, store.ExportOptions{Table: "t3"})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(buf.Bytes(), []byte("\xEF\xBB\xBF")) {
		t.Fatalf("no UTF-8 BOM: % x", buf.Bytes()[:8])
	}
	recs, err := csv.NewReader(bytes.NewReader(buf.Bytes()[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(recs) != n+1 {
		t.Fatalf("%d records, %d rows reported", len(recs), n)
	}
	head := recs[0]
	for i, c := range []string{"doc_id", "agency", "year", "layout", "source", "row_key"} {
		if head[i] != c {
			t.Fatalf("header %q, want %s at %d", head, c, i)
		}
	}
	// One line per document and row key, as many as the stored pairs.
	var want int
	st.DB().QueryRow(`SELECT count(*) FROM (SELECT DISTINCT doc_id, row_key FROM cells WHERE tbl = 't3')`).Scan(&want)
	if n != want || want == 0 {
		t.Fatalf("%d rows, want %d", n, want)
	}
	seen := map[string]bool{}
	total := slices.Index(head, "total")
	var granted2023 string
	for _, r := range recs[1:] {
		k := r[0] + "/" + r[5]
		if seen[k] {
			t.Errorf("duplicate line for %s", k)
		}
		seen[k] = true
		if strings.HasSuffix(r[4], "2023_pingtan_1.html") && r[5] == "granted" {
			granted2023 = r[total]
		}
	}
	if granted2023 != "22" {
		t.Errorf("2023 Pingtan granted total = %q, want 22", granted2023)
	}
	// Round trip: writing the records back gives the same bytes.
	var again bytes.Buffer
	w := csv.NewWriter(&again)
	w.UseCRLF = true
	w.WriteAll(recs)
	if !bytes.Equal(again.Bytes(), buf.Bytes()[3:]) {
		t.Error("CSV does not round-trip through encoding/csv")
	}

	// GBK: no BOM, decodes back to the same records.
	var gbk bytes.Buffer
	if _, err := st.Export(ctx, &gbk, store.ExportOptions{Table: "t3", Encoding: "gbk"}); err != nil {
		t.Fatal(err)
	}
	dec, err := simplifiedchinese.GBK.NewDecoder().Bytes(gbk.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	recs2, err := csv.NewReader(bytes.NewReader(dec)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(recs2) != fmt.Sprint(recs) {
		t.Error("GBK export decodes to other records")
	}
}

func TestExportJSONLAndFilters(t *testing.T) {
	ctx := context.Background()
	st := openCorpus(t)
	for _, table := range store.ExportTables {
		var buf bytes.Buffer
		n, err := st.Export(ctx, &buf, store.ExportOptions{Table: table, Format: "jsonl", YearFrom: 2023, YearTo: 2023})
		if err != nil {
			t.Fatalf("%s: %v", table, err)
		}
		lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
		if n == 0 || len(lines) != n {
			t.Fatalf("%s: %d rows, %d lines", table, n, len(lines))
		}
		for _, l := range lines {
			var m map[string]any
			if err := json.Unmarshal([]byte(l), &m); err != nil {
				t.Fatalf("%s: %v: %s", table, err, l)
			}
			if m["year"] != float64(2023) || m["source"] == nil {
				t.Errorf("%s: %s", table, l)
			}
		}
	}
	if _, err := st.Export(ctx, &bytes.Buffer{}, store.ExportOptions{Table: "cells; DROP TABLE x"}); err == nil {
		t.Error("unknown table accepted")
	}
}
