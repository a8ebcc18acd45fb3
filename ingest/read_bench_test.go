package ingest

import (
	"path/filepath"
	"testing"

	"github.com/bigmath/bigmath"
)

// benchRead reads every row of s b.N times and reports rows/s and MB/s.
func benchRead(b *testing.B, s Spec) {
	b.Helper()
	var rows int
	var bytes int64
	for b.Loop() {
		r, err := Open(b.Context(), s, OpenOptions{})
		if err != nil {
			b.Skipf("open: %v", err)
		}
		eachRow(b, r, s.Location(), func(Row) { rows++ })
		_, total := r.Size()
		bytes += total
		r.Close()
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(bytes)/1e6/b.Elapsed().Seconds(), "MB/s")
}

// BenchmarkReadJSONL reads GSM8K train (7,473 rows, 4 MB) from the shared
// datasets, including the sha256 pass of Open.
func BenchmarkReadJSONL(b *testing.B) {
	benchRead(b, Spec{Name: "gsm8k", Role: bigmath.RoleCorpus, Path: filepath.Join(sharedDir, "gsm8k", "train.jsonl"),
		Fields: FieldMap{Problem: "question", Solution: "answer"}, AnswerFrom: AnswerFromGSM8K})
}

// BenchmarkReadJSONArray reads DeepScaleR's MATH train copy (7,474 rows).
func BenchmarkReadJSONArray(b *testing.B) {
	benchRead(b, Spec{Name: "ds", Role: bigmath.RoleCorpus, Path: filepath.Join(sharedDir, "deepscaler", "train", "math.json"),
		Fields: FieldMap{Problem: "problem", Answer: "answer"}})
}

// BenchmarkReadZip reads the HARP proof split from inside its zip.
func BenchmarkReadZip(b *testing.B) {
	benchRead(b, Spec{Name: "harp", Role: bigmath.RoleCorpus, Path: filepath.Join(sharedDir, "harp", "HARP_proof-based.jsonl.zip"),
		Fields: FieldMap{Problem: "problem"}})
}

// BenchmarkReadParquet reads 20,000 generated rows with nested columns.
func BenchmarkReadParquet(b *testing.B) {
	p := filepath.Join(b.TempDir(), "bench.parquet")
	writeParquet(b, p, 20000, 5000)
	b.ResetTimer()
	benchRead(b, Spec{Name: "pq", Role: bigmath.RoleCorpus, Path: p, Fields: FieldMap{Problem: "prompt.0.content"}})
}
