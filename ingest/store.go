package ingest

import (
	"context"

	"github.com/bigmath/bigmath"
)

// Store is what the pipeline needs of the database; postgres.Store
// implements it. The pipeline hands it domain values (bigmath.Problem,
// bigmath.Link) and never sees how they are stored.
type Store interface {
	ResolveStore
	OverlapStore
	// UpsertSource registers a source (by name) and returns its id.
	UpsertSource(ctx context.Context, src bigmath.Source, spec []byte) (int64, error)
	// BeginRun records the start of an ingest run and returns its id.
	BeginRun(ctx context.Context, sourceID int64, revision string) (int64, error)
	// FinishRun records the end of a run.
	FinishRun(ctx context.Context, id int64, r bigmath.RunResult) error
	// HasRows reports whether any problem of the source is stored.
	HasRows(ctx context.Context, sourceID int64) (bool, error)
	// StoredBands streams the LSH band keys of every stored problem that
	// is not of source excludeSource.
	StoredBands(ctx context.Context, excludeSource int64, fn func(id string, bands []int64) error) error
	// WriteBatches writes the batches of in, each in one transaction, on
	// one connection, calling done after each; it returns when in is
	// closed or at the first error.
	WriteBatches(ctx context.Context, in <-chan bigmath.IngestBatch, done func(bigmath.IngestBatch, bigmath.BatchResult)) error
	// CopyRaw copies raw rows into a throw-away table (the speed baseline).
	CopyRaw(ctx context.Context, keys []string, raws [][]byte) error
}

// ResolveStore is what cluster resolution needs of the database.
type ResolveStore interface {
	// ClusterState loads every duplicate link and every problem whose
	// cluster state may change.
	ClusterState(ctx context.Context) ([]bigmath.Link, []bigmath.ClusterMember, error)
	// ApplyClusters writes cluster updates in one transaction and returns
	// how many problems changed.
	ApplyClusters(ctx context.Context, updates []bigmath.ClusterUpdate) (int64, error)
}

// OverlapStore is what benchmark overlap detection needs of the database.
type OverlapStore interface {
	// BenchmarkTexts streams the normalized text of every benchmark problem.
	BenchmarkTexts(ctx context.Context, fn func(benchmark, norm string) error) error
	// BenchmarkFingerprint identifies the stored set of benchmark problems.
	BenchmarkFingerprint(ctx context.Context) (string, error)
	// IngestState returns the value stored under key ("" when none).
	IngestState(ctx context.Context, key string) (string, error)
	// CorpusTexts streams the normalized text and stored overlaps of every
	// corpus problem.
	CorpusTexts(ctx context.Context, fn func(id, norm string, overlaps []string) error) error
	// SetOverlaps sets problems' overlaps (id -> benchmarks) and records
	// value under stateKey, in one transaction.
	SetOverlaps(ctx context.Context, overlaps map[string][]string, stateKey, value string) error
}
