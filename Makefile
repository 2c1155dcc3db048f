SHELL := /bin/bash
GO ?= go
TAGS := sqlite_fts5
BIN := bin/govreport

.PHONY: build test demo docs bench accuracy fuzz vet fmt clean

build:
	$(GO) build -tags $(TAGS) -o $(BIN) ./cmd/govreport

test:
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
	@set -o pipefail; $(GO) test -tags $(TAGS) -count=1 -run TestAccuracy -v ./normalize/ | grep -E '^(ACCURACY |    accuracy |--- |    --- FAIL|ok|FAIL)|^ +accuracy_test\.go:'

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

bench-corpus:
	$(GO) build -o bin/benchcorpus ./cmd/benchcorpus

clean:
	rm -rf bin govreport.db govreport.db-wal govreport.db-shm
