package dedup

import (
	"cmp"
	"slices"

	"github.com/bigmath/bigmath"
)

// Reasons of the dedup and decontaminate stages.
const (
	ReasonUnique       = "unique"       // dedup: no copy of it is stored
	ReasonCanonical    = "canonical"    // dedup: the copy of its cluster that is kept
	ReasonDuplicate    = "duplicate"    // dedup: a copy of the cluster's canonical member
	ReasonClean        = "clean"        // decontaminate: overlaps no benchmark
	ReasonBenchmark    = "benchmark"    // decontaminate: it is a benchmark problem
	ReasonContaminated = "contaminated" // decontaminate: it overlaps a benchmark
)

// DefaultTail is the dedup and decontaminate verdicts of a problem before
// cluster resolution, and of a problem with no copy.
func DefaultTail(benchmark bool) []bigmath.StageVerdict {
	d := bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Pass: true, Reason: ReasonClean}
	if benchmark {
		d.Reason = ReasonBenchmark
	}
	return []bigmath.StageVerdict{{Stage: bigmath.StageDedup, Pass: true, Reason: ReasonUnique}, d}
}

// Clusters returns the updates that bring members to the cluster state
// that links imply (only the members whose state changes, in id order),
// and the number of clusters of two or more members.
//
// Clusters are the connected components of the links. Each has one
// canonical member (see CanonicalOrder); the others are its duplicates.
// Members that disagree on the canonical gold answer mark the cluster as a
// conflict. Non-benchmark members of a cluster that holds a benchmark
// problem are contaminated with the names of those benchmarks, and so is a
// problem that embeds a benchmark problem (ClusterMember.Overlaps). The
// result depends only on its inputs, not on their order.
func Clusters(links []bigmath.Link, members []bigmath.ClusterMember) ([]bigmath.ClusterUpdate, int) {
	var updates []bigmath.ClusterUpdate
	clusters := 0
	for _, comp := range components(links, members) {
		if len(comp) == 1 {
			if u, ok := singleton(&members[comp[0]]); ok {
				updates = append(updates, u)
			}
			continue
		}
		clusters++
		updates = append(updates, cluster(members, comp)...)
	}
	slices.SortFunc(updates, func(a, b bigmath.ClusterUpdate) int { return cmp.Compare(a.ID, b.ID) })
	return updates, clusters
}

// components returns the connected components of links over members, as
// member indexes. Links naming an unknown member are ignored.
func components(links []bigmath.Link, members []bigmath.ClusterMember) map[int32][]int32 {
	index := make(map[string]int32, len(members))
	for i, m := range members {
		index[m.ID] = int32(i)
	}
	parent := make([]int32, len(members))
	for i := range parent {
		parent[i] = int32(i)
	}
	find := func(x int32) int32 {
		for parent[x] != x {
			parent[x] = parent[parent[x]]
			x = parent[x]
		}
		return x
	}
	for _, l := range links {
		a, okA := index[l.A]
		b, okB := index[l.B]
		if !okA || !okB {
			continue
		}
		if ra, rb := find(a), find(b); ra != rb {
			parent[ra] = rb
		}
	}
	comps := map[int32][]int32{}
	for i := range members {
		r := find(int32(i))
		comps[r] = append(comps[r], int32(i))
	}
	return comps
}

// singleton returns the update of a problem that is in no cluster, if its
// stored state differs.
func singleton(m *bigmath.ClusterMember) (bigmath.ClusterUpdate, bool) {
	bench := m.Role == bigmath.RoleBenchmark
	var cont []string
	if !bench {
		cont = m.Overlaps
	}
	if m.ClusterID == m.ID && m.DuplicateOf == "" && !m.Conflict && slices.Equal(cont, m.Contaminated) {
		return bigmath.ClusterUpdate{}, false
	}
	tail := DefaultTail(bench)
	if len(cont) > 0 {
		tail[1] = bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Reason: ReasonContaminated}
	}
	return bigmath.ClusterUpdate{ID: m.ID, ClusterID: m.ID, Contaminated: cont, Tail: tail}, true
}

// cluster returns the updates of the members of one component of two or
// more members whose stored state differs.
func cluster(members []bigmath.ClusterMember, comp []int32) []bigmath.ClusterUpdate {
	slices.SortFunc(comp, func(a, b int32) int { return CanonicalOrder(&members[a], &members[b]) })
	canon := &members[comp[0]]
	answers := map[string]bool{}
	var benches []string
	for _, i := range comp {
		m := &members[i]
		if m.Answer != "" {
			answers[m.Answer] = true
		}
		if m.Role == bigmath.RoleBenchmark && !slices.Contains(benches, m.SourceName) {
			benches = append(benches, m.SourceName)
		}
	}
	slices.Sort(benches)
	conflict := len(answers) > 1
	var updates []bigmath.ClusterUpdate
	for _, i := range comp {
		m := &members[i]
		u := bigmath.ClusterUpdate{ID: m.ID, ClusterID: canon.ID, Conflict: conflict}
		dedupV := bigmath.StageVerdict{Stage: bigmath.StageDedup, Pass: true, Reason: ReasonCanonical}
		if m != canon {
			u.DuplicateOf = canon.ID
			dedupV = bigmath.StageVerdict{Stage: bigmath.StageDedup, Reason: ReasonDuplicate}
		}
		contV := bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Pass: true, Reason: ReasonClean}
		switch {
		case m.Role == bigmath.RoleBenchmark:
			contV.Reason = ReasonBenchmark
		case len(benches) > 0 || len(m.Overlaps) > 0:
			u.Contaminated = union(benches, m.Overlaps)
			contV = bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Reason: ReasonContaminated}
		}
		if u.ClusterID == m.ClusterID && u.DuplicateOf == m.DuplicateOf && u.Conflict == m.Conflict && slices.Equal(u.Contaminated, m.Contaminated) {
			continue
		}
		u.Tail = []bigmath.StageVerdict{dedupV, contV}
		updates = append(updates, u)
	}
	return updates
}

// union returns the sorted union of two sorted string sets.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// CanonicalOrder orders the members of a cluster, canonical first: a
// problem that passed the per-problem stages, then one still pending, then
// a dropped one; then higher source priority, the source registered first,
// the earlier row, and the smaller id.
func CanonicalOrder(a, b *bigmath.ClusterMember) int {
	rank := func(s bigmath.Status) int {
		switch s {
		case bigmath.StatusKept:
			return 0
		case bigmath.StatusPending:
			return 1
		}
		return 2
	}
	return cmp.Or(
		cmp.Compare(rank(a.Status), rank(b.Status)),
		cmp.Compare(b.Priority, a.Priority),
		cmp.Compare(a.SourceID, b.SourceID),
		cmp.Compare(a.RowIndex, b.RowIndex),
		cmp.Compare(a.ID, b.ID),
	)
}
