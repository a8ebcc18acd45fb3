package dedup

import (
	"testing"

	"github.com/bigmath/bigmath"
)

func TestClusters(t *testing.T) {
	t.Parallel()
	m := func(id string, source int64, name, role string, prio int, row int64, status, answer string) bigmath.ClusterMember {
		return bigmath.ClusterMember{ID: id, SourceID: source, SourceName: name, Role: bigmath.SourceRole(role), Priority: prio, RowIndex: row, Status: bigmath.Status(status), Answer: answer, ClusterID: id}
	}
	members := []bigmath.ClusterMember{
		m("a1", 1, "corpus-a", "corpus", 10, 0, "kept", "5"),
		m("b1", 2, "corpus-b", "corpus", 50, 3, "kept", "5"),
		m("bench1", 3, "bench", "benchmark", 100, 0, "kept", "5"),
		// a cluster whose best-priority copy was dropped, with a conflict
		m("a2", 1, "corpus-a", "corpus", 10, 1, "kept", "7"),
		m("b2", 2, "corpus-b", "corpus", 50, 0, "dropped", ""),
		m("a3", 1, "corpus-a", "corpus", 10, 2, "kept", "8"),
		// tie on priority: the earlier row wins
		m("a4", 1, "corpus-a", "corpus", 10, 7, "kept", "1"),
		m("a5", 1, "corpus-a", "corpus", 10, 4, "kept", "1"),
		// previously in a cluster, now alone: reset
		{ID: "old", SourceID: 1, Role: "corpus", Status: "kept", ClusterID: "a1", DuplicateOf: "a1", Contaminated: []string{"bench"}},
	}
	links := []bigmath.Link{{A: "a1", B: "b1"}, {A: "b1", B: "bench1"}, {A: "a2", B: "b2"}, {A: "a3", B: "b2"}, {A: "a4", B: "a5"}, {A: "a1", B: "missing"}}
	updates, clusters := Clusters(links, members)
	if clusters != 3 {
		t.Errorf("%d clusters, want 3", clusters)
	}
	got := map[string]bigmath.ClusterUpdate{}
	for _, u := range updates {
		got[u.ID] = u
	}
	type want struct {
		cluster, dup string
		conflict     bool
		cont         string
	}
	for id, w := range map[string]want{
		"bench1": {"bench1", "", false, ""},
		"b1":     {"bench1", "bench1", false, "bench"},
		"a1":     {"bench1", "bench1", false, "bench"},
		"a2":     {"a2", "", true, ""},
		"a3":     {"a2", "a2", true, ""},
		"b2":     {"a2", "a2", true, ""},
		"a5":     {"a5", "", false, ""},
		"a4":     {"a5", "a5", false, ""},
		"old":    {"old", "", false, ""},
	} {
		u, ok := got[id]
		if !ok {
			// unchanged members produce no update: only bench1 and a5 may be absent
			if id == "bench1" || id == "a5" || id == "a2" {
				continue
			}
			t.Errorf("%s: no update", id)
			continue
		}
		cont := ""
		if len(u.Contaminated) > 0 {
			cont = u.Contaminated[0]
		}
		if u.ClusterID != w.cluster || u.DuplicateOf != w.dup || u.Conflict != w.conflict || cont != w.cont {
			t.Errorf("%s: cluster %q dup %q conflict %v contaminated %v; want %+v", id, u.ClusterID, u.DuplicateOf, u.Conflict, u.Contaminated, w)
		}
	}
	if _, ok := got["a2"]; !ok {
		t.Errorf("a2: no update, but its conflict flag changed")
	}
	// Applying the updates and recomputing changes nothing.
	for i := range members {
		if u, ok := got[members[i].ID]; ok {
			members[i].ClusterID, members[i].DuplicateOf, members[i].Conflict, members[i].Contaminated = u.ClusterID, u.DuplicateOf, u.Conflict, u.Contaminated
		}
	}
	if again, _ := Clusters(links, members); len(again) != 0 {
		t.Errorf("second pass: %d updates, want 0: %+v", len(again), again)
	}
}
