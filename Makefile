GO ?= go
TAGS := sqlite_fts5
BIN := bin/govreport

.PHONY: build test demo bench accuracy vet fmt clean

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

accuracy: build
	$(GO) test -tags $(TAGS) -run TestAccuracy -v ./normalize/ | grep -E '^(ACCURACY|    accuracy|---|ok|FAIL)' || true

bench:
	$(GO) test -tags $(TAGS) -run '^$$' -bench . -benchmem ./...

clean:
	rm -rf bin govreport.db govreport.db-wal govreport.db-shm
