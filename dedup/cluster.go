package dedup

import (
	"cmp"
	"slices"
	"strings"

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

// DuplicateVerdict is the dedup verdict of a problem that is a copy of
// its cluster's canonical member.
func DuplicateVerdict() bigmath.StageVerdict {
	return bigmath.StageVerdict{Stage: bigmath.StageDedup, Reason: ReasonDuplicate}
}

// Clusters returns the updates that bring members to the cluster state
// that links imply (only the members whose state changes, in id order),
// and the number of clusters of two or more members.
//
// Clusters start as the connected components of the links. A component
// whose members disagree on the canonical gold answer is split (see split):
// different answers are different problems, however alike the texts. Each
// cluster has one canonical member (a complete copy before a cut-off one,
// then CanonicalOrder); the others are its duplicates. Non-benchmark
// members of a component that holds a benchmark problem are contaminated
// with the names of those benchmarks, also when the split puts them in
// another cluster, and so is a problem that embeds a benchmark problem
// (ClusterMember.Overlaps). Conflict is never set: no cluster keeps
// members with different answers. The result depends only on its inputs,
// not on their order.
func Clusters(links []bigmath.Link, members []bigmath.ClusterMember) ([]bigmath.ClusterUpdate, int) {
	var updates []bigmath.ClusterUpdate
	clusters := 0
	comps, index := components(links, members)
	cut := cutOffs(links)
	var adj map[int32][]int32
	for _, comp := range comps {
		if len(comp) == 1 {
			if u, ok := singleton(&members[comp[0]]); ok {
				updates = append(updates, u)
			}
			continue
		}
		benches := benchmarks(members, comp)
		parts := [][]int32{comp}
		if answersDiffer(members, comp) {
			if adj == nil {
				adj = adjacency(links, index)
			}
			parts = split(members, comp, adj, cut)
		}
		for _, part := range parts {
			if len(part) > 1 {
				clusters++
			}
			updates = append(updates, cluster(members, part, benches, cut)...)
		}
	}
	slices.SortFunc(updates, func(a, b bigmath.ClusterUpdate) int { return cmp.Compare(a.ID, b.ID) })
	return updates, clusters
}

// components returns the connected components of links over members, as
// member indexes, and the index of each member id. Links naming an unknown
// member are ignored.
func components(links []bigmath.Link, members []bigmath.ClusterMember) (map[int32][]int32, map[string]int32) {
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
	return comps, index
}

// adjacency returns the members each member is linked to.
func adjacency(links []bigmath.Link, index map[string]int32) map[int32][]int32 {
	adj := map[int32][]int32{}
	for _, l := range links {
		a, okA := index[l.A]
		b, okB := index[l.B]
		if okA && okB && a != b {
			adj[a] = append(adj[a], b)
			adj[b] = append(adj[b], a)
		}
	}
	return adj
}

// CutOffEdit prefixes the link edit that names the cut-off copy of a pair:
// "cut_off:" + its id (see Decision.LinkEdits).
const CutOffEdit = EditCutOff + ":"

// cutOffs returns the ids that some link names as a cut-off copy.
func cutOffs(links []bigmath.Link) map[string]bool {
	var cut map[string]bool
	for _, l := range links {
		for _, e := range l.Edits {
			if id, ok := strings.CutPrefix(e, CutOffEdit); ok {
				if cut == nil {
					cut = map[string]bool{}
				}
				cut[id] = true
			}
		}
	}
	return cut
}

func answersDiffer(members []bigmath.ClusterMember, comp []int32) bool {
	first := ""
	for _, i := range comp {
		if a := members[i].Answer; a != "" {
			if first == "" {
				first = a
			} else if a != first {
				return true
			}
		}
	}
	return false
}

// benchmarks returns the sorted names of the benchmark sources in comp.
func benchmarks(members []bigmath.ClusterMember, comp []int32) []string {
	var benches []string
	for _, i := range comp {
		m := &members[i]
		if m.Role == bigmath.RoleBenchmark && !slices.Contains(benches, m.SourceName) {
			benches = append(benches, m.SourceName)
		}
	}
	slices.Sort(benches)
	return benches
}

// split cuts a component whose members disagree on the gold answer into
// clusters of one answer each. Every member with an answer keeps it; a
// member without one joins the answer that reaches it first through the
// links (a breadth-first search from all answered members at once, in
// canonical order, so the best copy of each answer claims its neighbours
// first). Links between members of different answers are dropped, and the
// clusters are the components of what remains.
func split(members []bigmath.ClusterMember, comp []int32, adj map[int32][]int32, cut map[string]bool) [][]int32 {
	order := slices.Clone(comp)
	slices.SortFunc(order, func(a, b int32) int { return orderCut(&members[a], &members[b], cut) })
	label := make(map[int32]string, len(comp))
	var queue []int32
	for _, i := range order {
		if a := members[i].Answer; a != "" {
			label[i] = a
			queue = append(queue, i)
		}
	}
	for len(queue) > 0 {
		x := queue[0]
		queue = queue[1:]
		next := slices.Clone(adj[x])
		slices.SortFunc(next, func(a, b int32) int { return orderCut(&members[a], &members[b], cut) })
		for _, y := range next {
			if _, ok := label[y]; !ok {
				label[y] = label[x]
				queue = append(queue, y)
			}
		}
	}
	seen := map[int32]bool{}
	var parts [][]int32
	for _, start := range order {
		if seen[start] {
			continue
		}
		seen[start] = true
		part := []int32{start}
		for k := 0; k < len(part); k++ {
			for _, y := range adj[part[k]] {
				if !seen[y] && label[y] == label[start] {
					seen[y] = true
					part = append(part, y)
				}
			}
		}
		parts = append(parts, part)
	}
	return parts
}

// singleton returns the update of a problem that is in no cluster, if its
// stored state, dedup reason included, differs (a stored "canonical": the
// problem lost its copies).
func singleton(m *bigmath.ClusterMember) (bigmath.ClusterUpdate, bool) {
	bench := m.Role == bigmath.RoleBenchmark
	var cont []string
	if !bench {
		cont = m.Overlaps
	}
	if m.ClusterID == m.ID && m.DuplicateOf == "" && !m.Conflict && slices.Equal(cont, m.Contaminated) && m.DedupReason == ReasonUnique {
		return bigmath.ClusterUpdate{}, false
	}
	tail := DefaultTail(bench)
	if len(cont) > 0 {
		tail[1] = bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Reason: ReasonContaminated}
	}
	return bigmath.ClusterUpdate{ID: m.ID, ClusterID: m.ID, Contaminated: cont, Tail: tail}, true
}

// cluster returns the updates of the members of one cluster whose stored
// state, dedup reason included, differs; benches are the benchmarks of the
// whole component (a split keeps them).
func cluster(members []bigmath.ClusterMember, comp []int32, benches []string, cut map[string]bool) []bigmath.ClusterUpdate {
	slices.SortFunc(comp, func(a, b int32) int { return orderCut(&members[a], &members[b], cut) })
	canon := &members[comp[0]]
	var updates []bigmath.ClusterUpdate
	for _, i := range comp {
		m := &members[i]
		u := bigmath.ClusterUpdate{ID: m.ID, ClusterID: canon.ID}
		dedupV := bigmath.StageVerdict{Stage: bigmath.StageDedup, Pass: true, Reason: ReasonCanonical}
		switch {
		case len(comp) == 1:
			dedupV.Reason = ReasonUnique
		case m != canon:
			u.DuplicateOf = canon.ID
			dedupV = DuplicateVerdict()
		}
		contV := bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Pass: true, Reason: ReasonClean}
		switch {
		case m.Role == bigmath.RoleBenchmark:
			contV.Reason = ReasonBenchmark
		case len(benches) > 0 || len(m.Overlaps) > 0:
			u.Contaminated = union(benches, m.Overlaps)
			contV = bigmath.StageVerdict{Stage: bigmath.StageDecontaminate, Reason: ReasonContaminated}
		}
		if u.ClusterID == m.ClusterID && u.DuplicateOf == m.DuplicateOf && u.Conflict == m.Conflict && slices.Equal(u.Contaminated, m.Contaminated) && m.DedupReason == dedupV.Reason {
			continue
		}
		u.Tail = []bigmath.StageVerdict{dedupV, contV}
		updates = append(updates, u)
	}
	return updates
}

// orderCut is CanonicalOrder with a complete copy before a cut-off one
// right after the status rank.
func orderCut(a, b *bigmath.ClusterMember, cut map[string]bool) int {
	if ca, cb := cut[a.ID], cut[b.ID]; ca != cb && statusRank(a.Status) == statusRank(b.Status) {
		if ca {
			return 1
		}
		return -1
	}
	return CanonicalOrder(a, b)
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
	return cmp.Or(
		cmp.Compare(statusRank(a.Status), statusRank(b.Status)),
		cmp.Compare(b.Priority, a.Priority),
		cmp.Compare(a.SourceID, b.SourceID),
		cmp.Compare(a.RowIndex, b.RowIndex),
		cmp.Compare(a.ID, b.ID),
	)
}

func statusRank(s bigmath.Status) int {
	switch s {
	case bigmath.StatusKept:
		return 0
	case bigmath.StatusPending:
		return 1
	}
	return 2
}
