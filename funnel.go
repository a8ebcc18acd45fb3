package bigmath

// Funnel is the curation funnel: how many rows each source gave, how many
// survived, and why the others did not. `bigmath stats --json` and
// GET /v1/stats serve it. Fields are only ever added, never renamed.
type Funnel struct {
	Sources []SourceFunnel   `json:"sources"`
	Kinds   map[string]int64 `json:"kinds"` // answer kind -> problems kept (see SourceFunnel.Kept)
	Total   FunnelTotal      `json:"total"`
}

// SourceFunnel is the funnel of one source.
type SourceFunnel struct {
	Name string     `json:"name"`
	Role SourceRole `json:"role"`
	// Rows is every problem stored for the source, whatever its status.
	Rows int64 `json:"rows"`
	// Kept counts problems that passed every stage, are the canonical
	// member of their duplicate cluster and overlap no benchmark.
	Kept int64 `json:"kept"`
	// Dropped counts dropped problems by reason (no_answer, proof, ...).
	Dropped map[string]int64 `json:"dropped"`
	// Duplicates counts problems that are a non-canonical copy of another.
	Duplicates int64 `json:"duplicates"`
	// Conflicts counts problems in a cluster whose members disagree on the
	// gold answer.
	Conflicts int64 `json:"conflicts"`
	// Contaminated counts problems overlapping each benchmark, by its name.
	Contaminated map[string]int64 `json:"contaminated"`
	// Pending counts problems whose ingest has not finished every stage.
	Pending int64 `json:"pending"`
	// Revision is the source's pinned revision (commit sha or file hash).
	Revision string `json:"revision"`
	// Derived counts the problems derived from the source's rows (a
	// recovered multiple-choice problem, transform mc_reformulated; they
	// are among Rows, their originals stay dropped as multiple_choice);
	// DerivedKept counts those of them that are kept (see Kept).
	Derived     int64 `json:"derived"`
	DerivedKept int64 `json:"derived_kept"`
}

// FunnelTotal sums the funnel over all sources.
type FunnelTotal struct {
	Rows int64 `json:"rows"`
	Kept int64 `json:"kept"`
}
