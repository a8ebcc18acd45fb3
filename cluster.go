package bigmath

// Link is a confirmed duplicate pair of problems, with A < B.
type Link struct {
	A, B       string
	Similarity float32
	// Edits name the allowed edits that explain every difference between
	// the two texts (empty for an exact copy, or when the link predates
	// explained dedup).
	Edits []string
}

// NewLink returns the link between a and b with the ids in order.
func NewLink(a, b string, similarity float64) Link {
	if b < a {
		a, b = b, a
	}
	return Link{A: a, B: b, Similarity: float32(similarity)}
}

// ClusterMember is what cluster resolution needs to know of a problem: its
// place in the canonical order, its gold answer, and its stored cluster
// state.
type ClusterMember struct {
	ID         string
	SourceID   int64
	SourceName string
	Role       SourceRole
	Priority   int
	RowIndex   int64
	Status     Status
	// Answer is the canonical gold answer ("" when the problem has none).
	Answer string

	// The stored cluster state, and the reason of its stored dedup
	// verdict ("unique", "canonical" or "duplicate"; "" for none).
	ClusterID    string
	DuplicateOf  string
	Conflict     bool
	Contaminated []string
	DedupReason  string
	// Overlaps are the benchmarks whose problems the problem embeds.
	Overlaps []string
}

// ClusterUpdate is the new cluster state of one problem. Tail holds its
// dedup and decontaminate verdicts, which replace the stored ones.
type ClusterUpdate struct {
	ID           string
	ClusterID    string
	DuplicateOf  string // "" for none
	Conflict     bool
	Contaminated []string
	Tail         []StageVerdict
}
