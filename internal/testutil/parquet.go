package testutil

import (
	"bytes"
	"testing"

	"github.com/parquet-go/parquet-go"
)

// ReadParquet decodes the rows of a Parquet file held in b as T.
func ReadParquet[T any](tb testing.TB, b []byte) []T {
	tb.Helper()
	rows, err := parquet.Read[T](bytes.NewReader(b), int64(len(b)))
	if err != nil {
		tb.Fatalf("read parquet (%d bytes): %v", len(b), err)
	}
	return rows
}
