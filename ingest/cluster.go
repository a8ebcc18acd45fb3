package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/postgres"
)

// ResolveReport says what cluster resolution did.
type ResolveReport struct {
	Links    int     `json:"links"`
	Clusters int     `json:"clusters"` // components with at least two members
	Updated  int64   `json:"updated"`  // problems whose cluster state changed
	Seconds  float64 `json:"seconds"`
}

// Resolve recomputes every problem's cluster state from the stored
// duplicate links, in one transaction: clusters are the connected
// components of the links; each has one canonical member (passed the
// per-problem stages first, then higher source priority, then the source
// registered first, then the earlier row); members that disagree on the
// canonical gold answer are marked conflict; non-benchmark members of a
// cluster holding a benchmark problem are contaminated with the names of
// those benchmarks, and so is a problem that embeds a benchmark problem
// (problems.benchmark_overlaps, see RecheckOverlaps). It depends only on the stored problems and links, so
// the result does not depend on the order sources were ingested in, and
// running it again changes nothing.
func Resolve(ctx context.Context, store *postgres.Store) (ResolveReport, error) {
	start := time.Now()
	var rep ResolveReport
	links, members, err := store.ClusterState(ctx)
	if err != nil {
		return rep, err
	}
	rep.Links = len(links)
	updates, clusters := computeClusters(links, members)
	rep.Clusters = clusters
	if rep.Updated, err = store.ApplyClusters(ctx, updates); err != nil {
		return rep, err
	}
	rep.Seconds = time.Since(start).Seconds()
	return rep, nil
}

// computeClusters returns the updates that bring members to the cluster
// state the links imply (only members whose state changes), and the number
// of clusters.
func computeClusters(links []postgres.Link, members []postgres.ClusterMember) ([]postgres.ClusterUpdate, int) {
	index := make(map[string]int32, len(members))
	for i, m := range members {
		index[m.ID] = int32(i)
	}
	parent := make([]int32, len(members))
	for i := range parent {
		parent[i] = int32(i)
	}
	var find func(int32) int32
	find = func(x int32) int32 {
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
	var updates []postgres.ClusterUpdate
	clusters := 0
	for _, comp := range comps {
		if len(comp) == 1 {
			m := &members[comp[0]]
			bench := m.Role == string(bigmath.RoleBenchmark)
			var cont []string
			if !bench {
				cont = m.Overlaps
			}
			if m.ClusterID != m.ID || m.DuplicateOf != "" || m.Conflict || !slices.Equal(cont, m.Contaminated) {
				tail := defaultTail(bench)
				if len(cont) > 0 {
					tail[1] = stageVerdict(bigmath.StageDecontaminate, false, ReasonContaminated)
				}
				updates = append(updates, postgres.ClusterUpdate{ID: m.ID, ClusterID: m.ID, Contaminated: cont, Tail: tailJSON(tail)})
			}
			continue
		}
		clusters++
		slices.SortFunc(comp, func(a, b int32) int { return canonicalOrder(&members[a], &members[b]) })
		canon := &members[comp[0]]
		answers := map[string]bool{}
		var benches []string
		for _, i := range comp {
			m := &members[i]
			if m.AnswerCanonical != "" {
				answers[m.AnswerCanonical] = true
			}
			if m.Role == string(bigmath.RoleBenchmark) && !slices.Contains(benches, m.SourceName) {
				benches = append(benches, m.SourceName)
			}
		}
		slices.Sort(benches)
		conflict := len(answers) > 1
		for _, i := range comp {
			m := &members[i]
			u := postgres.ClusterUpdate{ID: m.ID, ClusterID: canon.ID, Conflict: conflict}
			dedupV := stageVerdict(bigmath.StageDedup, true, ReasonCanonical)
			if m != canon {
				u.DuplicateOf = canon.ID
				dedupV = stageVerdict(bigmath.StageDedup, false, ReasonDuplicate)
			}
			contV := stageVerdict(bigmath.StageDecontaminate, true, ReasonClean)
			switch {
			case m.Role == string(bigmath.RoleBenchmark):
				contV.Reason = ReasonBenchmark
			case len(benches) > 0 || len(m.Overlaps) > 0:
				u.Contaminated = union(benches, m.Overlaps)
				contV = stageVerdict(bigmath.StageDecontaminate, false, ReasonContaminated)
			}
			if u.ClusterID == m.ClusterID && u.DuplicateOf == m.DuplicateOf && u.Conflict == m.Conflict && slices.Equal(u.Contaminated, m.Contaminated) {
				continue
			}
			u.Tail = tailJSON([]bigmath.StageVerdict{dedupV, contV})
			updates = append(updates, u)
		}
	}
	slices.SortFunc(updates, func(a, b postgres.ClusterUpdate) int { return cmp.Compare(a.ID, b.ID) })
	return updates, clusters
}

// union returns the sorted union of two sorted string sets.
func union(a, b []string) []string {
	out := slices.Concat(a, b)
	slices.Sort(out)
	return slices.Compact(out)
}

// canonicalOrder orders the members of a cluster, canonical first.
func canonicalOrder(a, b *postgres.ClusterMember) int {
	rank := func(s string) int {
		switch bigmath.Status(s) {
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

func tailJSON(vs []bigmath.StageVerdict) []byte {
	b, err := json.Marshal(vs)
	if err != nil {
		panic(fmt.Sprintf("marshal verdicts: %v", err)) // plain structs always marshal
	}
	return b
}
