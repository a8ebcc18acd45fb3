# bigmath — `make help` lists the targets.
SHELL := /bin/bash
GO ?= go
BIN := bin/bigmath

.PHONY: help run test build lint fuzz db db-stop migrate bench soak clean

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

run: build ## install what is missing, start the embedded Postgres (unless DATABASE_URL is set), migrate, serve
	@scripts/ensure-postgres.sh
	$(BIN) serve

test: ## run gofmt, go vet and every test against a real Postgres (embedded unless TEST_DATABASE_URL is set)
	@scripts/test.sh

build: ## build bin/bigmath
	@if [ -x $(BIN) ]; then echo "build: $(GO) build -o $(BIN) ./cmd/bigmath" >&2; \
	else echo "build: compiling bin/bigmath and its dependencies with $(GO) build; the first build takes a few minutes, later ones seconds" >&2; fi
	@$(GO) build -o $(BIN) ./cmd/bigmath

lint: ## gofmt and go vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || (gofmt -l $$(git ls-files '*.go'); exit 1)
	$(GO) vet ./...

fuzz: ## run every fuzz target for FUZZTIME each (default 30s)
	@for pkg in $$($(GO) list ./...); do \
	  for f in $$($(GO) test -list '^Fuzz' $$pkg | grep '^Fuzz'); do \
	    echo "== $$pkg $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $${FUZZTIME:-30s} $$pkg || exit 1; \
	  done; \
	done

bench: ## run the Go benchmarks
	$(GO) test -run '^$$' -bench . -benchmem ./...

db: build ## start the embedded Postgres and print its URL
	@scripts/ensure-postgres.sh --always
	$(BIN) db start

db-stop: build ## stop the embedded Postgres
	$(BIN) db stop

migrate: build ## apply the migrations to DATABASE_URL (or the embedded cluster)
	$(BIN) migrate

soak: build ## 10 minutes of mixed load while Postgres restarts and an ingest is killed (loopback only; SOAK_FLAGS="-duration 2m")
	@scripts/ensure-postgres.sh --always
	$(GO) run ./cmd/bigmath-soak -bin $(BIN) $(SOAK_FLAGS)

clean: ## remove build output (not the data directory)
	rm -rf bin
