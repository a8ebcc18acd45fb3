// Package bigmath holds the domain types of the bigmath corpus service and
// their data: sources, problems (with everything a stored row needs),
// answers, stage verdicts, reward attempts, duplicate links and cluster
// state, ingest batches, splits, the funnel, and the sentinel errors that
// every layer shares. Every other package speaks in these types and none
// defines its own copy: ingest emits Problem values to the store interface
// it declares, postgres converts rows at its edge, api serves them. It
// imports nothing from this module, so every other package can depend on it.
//
// The flow of data is described in DESIGN.md: sources are read by ingest,
// normalized, classified, verified, deduplicated and decontaminated into
// Postgres, and served by the api package.
package bigmath

import (
	"encoding/hex"
	"time"

	"github.com/zeebo/xxh3"
)

// Version is the version of the bigmath binary and of its verifier. Reward
// responses carry it so trainers can log which verifier scored a sample.
// Release builds override it with -ldflags "-X github.com/bigmath/bigmath.Version=...".
var Version = "0.1.0-dev"

// SourceRole says what a source is used for.
type SourceRole string

// Source roles.
const (
	// RoleCorpus marks a source whose problems may go into training splits.
	RoleCorpus SourceRole = "corpus"
	// RoleBenchmark marks an evaluation set: it is used to decontaminate the
	// corpus and for evaluation splits, never for training.
	RoleBenchmark SourceRole = "benchmark"
)

// Valid reports whether r is a known role.
func (r SourceRole) Valid() bool { return r == RoleCorpus || r == RoleBenchmark }

// Source is one dataset that problems are ingested from.
type Source struct {
	ID       int64
	Name     string     // unique, e.g. "gsm8k-train"
	Role     SourceRole // corpus or benchmark
	Location string     // a local path or a Hub dataset id
	Revision string     // the pinned revision (commit sha) or a content hash for local files
	License  string
	Priority int // which copy of a duplicate is canonical: higher wins
}

// Status is where a problem stands after the pipeline.
type Status string

// Problem statuses.
const (
	// StatusKept: the problem passed every stage.
	StatusKept Status = "kept"
	// StatusDropped: a stage dropped the problem; Stage and Reason say which and why.
	StatusDropped Status = "dropped"
	// StatusPending: the problem was read but not every stage has run yet.
	StatusPending Status = "pending"
)

// Stage names one step of the curation pipeline.
type Stage string

// Pipeline stages, in order.
const (
	StageNormalize     Stage = "normalize"
	StageClassify      Stage = "classify"
	StageVerify        Stage = "verify"
	StageDedup         Stage = "dedup"
	StageDecontaminate Stage = "decontaminate"
)

// Stages lists the pipeline stages in the order they run.
var Stages = []Stage{StageNormalize, StageClassify, StageVerify, StageDedup, StageDecontaminate}

// StageVerdict is the outcome of one stage for one problem.
type StageVerdict struct {
	Stage  Stage  `json:"stage"`
	Pass   bool   `json:"pass"`
	Reason string `json:"reason"`
}

// Problem is one math problem with its lineage and the verdict of every stage.
type Problem struct {
	ID             string // stable: see ProblemID
	SourceID       int64
	SourceName     string
	SourceRole     SourceRole // the role of its source (filled where a query joins sources)
	SourceRevision string
	RowKey         string // the row's id in its source, or its position when it has none
	RowIndex       int64  // the row's position in its source
	RawHash        []byte // hash of the raw row bytes
	License        string

	ProblemRaw  string
	ProblemNorm string
	Solution    string
	Domain      string
	Difficulty  *float64
	Level       string
	Extra       []byte // the source columns that were not mapped, as a JSON object

	Answer Answer

	Status   Status
	Stage    Stage  // the stage that dropped the problem, when Status is dropped
	Reason   string // why
	Verdicts []StageVerdict

	TextHash []byte
	Bands    []int64  // the dedup LSH band keys of its normalized text
	Overlaps []string // benchmarks whose problems its text embeds
	// ClusterID is the id of the canonical member of its duplicate
	// cluster, and DuplicateOf that member when this problem is not it. An
	// ingest writes each row with the state its links to earlier rows of
	// the run suggest (empty ClusterID: a cluster of its own); cluster
	// resolution then settles every problem's state.
	ClusterID    string
	DuplicateOf  string
	Conflict     bool // a duplicate of it has a different gold answer
	Contaminated []string

	// DerivedFrom is the id of the problem this one was derived from by a
	// rule (Transform), empty for a problem read from its source as it
	// is. OriginalText is that problem's text, kept beside the derived one.
	DerivedFrom  string
	Transform    string
	OriginalText string

	Attempts int64
	Correct  int64

	// Rank is the text-search rank of the problem for ProblemFilter.Q, in
	// listings that search; 0 otherwise.
	Rank float32

	CreatedAt time.Time
	UpdatedAt time.Time
}

// Transforms that derive a problem from another.
const (
	// TransformMCReformulated: a multiple-choice problem recovered as an
	// open-ended one (normalize.Reformulate): the stem without its options,
	// the keyed option's value as the gold.
	TransformMCReformulated = "mc_reformulated"
)

// Derived reports whether the problem was derived from another one.
func (p Problem) Derived() bool { return p.DerivedFrom != "" }

// Answer is a gold answer: as the source wrote it, and as the verifier reads it.
type Answer struct {
	Raw       string // as extracted from the source
	Canonical string // the verifier's canonical form; equal values have equal forms
	Kind      string // the verifier's kind: integer, rational, real, set, ...
}

// Gold returns the answer a response is checked against: the source's
// answer as written, or the canonical form when the source gave none (a
// gold recovered from elsewhere). It is the one rule every gold lookup uses.
func (a Answer) Gold() string {
	if a.Raw != "" {
		return a.Raw
	}
	return a.Canonical
}

// ProblemID returns the stable id of the row with key rowKey in the named
// source. It depends only on its inputs, so re-ingesting a source yields the
// same ids, and a database rebuilt from the same sources serves the same ids.
func ProblemID(source, rowKey string) string {
	h := xxh3.HashString128(source + "\x00" + rowKey).Bytes()
	return "p_" + hex.EncodeToString(h[:10])
}
