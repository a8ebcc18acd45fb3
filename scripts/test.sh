#!/usr/bin/env bash
# test.sh: the whole test suite, as `make test` and CI run it. Uses
# TEST_DATABASE_URL when set; otherwise starts bigmath's embedded PostgreSQL
# under .bigmath/test (installing the server binaries if missing) and stops it
# afterwards if this script started it.
set -euo pipefail
cd "$(dirname "$0")/.."

command -v go >/dev/null 2>&1 || { echo "test: Go 1.26 or newer is required (https://go.dev/dl/)" >&2; exit 1; }
export GOFLAGS="${GOFLAGS:-} -buildvcs=false"

started=""
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  DATABASE_URL= scripts/ensure-postgres.sh
  go build -o bin/bigmath ./cmd/bigmath
  export BIGMATH_TEST_DATA_DIR="${BIGMATH_TEST_DATA_DIR:-$PWD/.bigmath/test}"
  if ! BIGMATH_DATA_DIR="$BIGMATH_TEST_DATA_DIR" bin/bigmath db status | grep -q '^running'; then
    started=1
  fi
  TEST_DATABASE_URL="$(BIGMATH_DATA_DIR="$BIGMATH_TEST_DATA_DIR" BIGMATH_LOG_LEVEL=warn bin/bigmath db start)"
  export TEST_DATABASE_URL
  if [ -n "$started" ]; then
    trap 'BIGMATH_DATA_DIR="$BIGMATH_TEST_DATA_DIR" BIGMATH_LOG_LEVEL=warn bin/bigmath db stop' EXIT
  fi
fi

scripts/ensure-chromium.sh # for the corpus browser's test (ui); it skips without one

echo "== gofmt"
unformatted="$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go' -not -path './vendor/*'))"
if [ -n "$unformatted" ]; then echo "gofmt would change: $unformatted" >&2; exit 1; fi
echo "== go vet"
go vet ./...
echo "== go test"
go test -race -timeout 30m ./... "$@"
