package bigmath

import "time"

// IngestBatch is one transaction's worth of an ingest run's writes: the
// processed problems of a source and the duplicate links they make.
type IngestBatch struct {
	SourceID int64
	Revision string
	License  string
	RunID    int64
	Problems []Problem
	Links    []Link
	// Candidates are near-duplicate candidates (A: a problem of the batch,
	// B: a stored problem of another source). Those whose problem is new or
	// changed are passed to Confirm with the stored problems (their
	// ProblemNorm and Answer are filled), in the batch's transaction; the
	// links it returns are stored with the batch.
	Candidates []Link
	Confirm    func(candidates []Link, stored map[string]Problem) []Link
	// Fresh says the source had no stored problems when the run started:
	// the batch is then copied straight in (none of its problems can exist
	// yet), the fast path of a first load.
	Fresh bool
}

// BatchResult says what writing a batch changed.
type BatchResult struct {
	Inserted, Updated int64
	Links             int64         // links written (in-run and confirmed cross-source)
	CrossLinks        int64         // confirmed cross-source links
	Duration          time.Duration // the time the batch took to write
}

// RunResult is how an ingest run ended.
type RunResult struct {
	Succeeded   bool
	RowsRead    int64
	StageCounts []byte // JSON object: stage -> counts
	Error       string
}
