package dedup

import (
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
)

func TestClusters(t *testing.T) {
	t.Parallel()
	m := func(id string, source int64, name, role string, prio int, row int64, status, answer string) bigmath.ClusterMember {
		return bigmath.ClusterMember{ID: id, SourceID: source, SourceName: name, Role: bigmath.SourceRole(role), Priority: prio, RowIndex: row, Status: bigmath.Status(status), Answer: answer, ClusterID: id, DedupReason: ReasonUnique}
	}
	members := []bigmath.ClusterMember{
		m("a1", 1, "corpus-a", "corpus", 10, 0, "kept", "5"),
		m("b1", 2, "corpus-b", "corpus", 50, 3, "kept", "5"),
		m("bench1", 3, "bench", "benchmark", 100, 0, "kept", "5"),
		// linked copies whose best-priority copy was dropped and whose
		// answers differ: split into a2 (with b2, unanswered) and a3
		m("a2", 1, "corpus-a", "corpus", 10, 1, "kept", "7"),
		m("b2", 2, "corpus-b", "corpus", 50, 0, "dropped", ""),
		m("a3", 1, "corpus-a", "corpus", 10, 2, "kept", "8"),
		// tie on priority: the earlier row wins
		m("a4", 1, "corpus-a", "corpus", 10, 7, "kept", "1"),
		m("a5", 1, "corpus-a", "corpus", 10, 4, "kept", "1"),
		// previously in a cluster, now alone: reset
		{ID: "old", SourceID: 1, Role: "corpus", Status: "kept", ClusterID: "a1", DuplicateOf: "a1", Contaminated: []string{"bench"}, DedupReason: ReasonDuplicate},
		// the canonical copy of a cluster that lost its copies: unique again
		{ID: "lone", SourceID: 1, Role: "corpus", Status: "kept", ClusterID: "lone", DedupReason: ReasonCanonical},
	}
	members[3].DedupReason = ReasonCanonical // a2 is stored as its cluster's canonical copy
	links := []bigmath.Link{{A: "a1", B: "b1"}, {A: "b1", B: "bench1"}, {A: "a2", B: "b2"}, {A: "a3", B: "b2"}, {A: "a4", B: "a5"}, {A: "a1", B: "missing"}}
	updates, clusters := Clusters(links, members)
	if clusters != 3 {
		t.Errorf("%d clusters, want 3 (a3 split off)", clusters)
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
	// A canonical copy stored as "unique" (it was written before its
	// copies) is told it is canonical; one that lost its copies is unique.
	for id, reason := range map[string]string{"bench1": ReasonCanonical, "a5": ReasonCanonical, "a4": ReasonDuplicate, "lone": ReasonUnique} {
		if u, ok := got[id]; !ok || len(u.Tail) == 0 || u.Tail[0].Reason != reason {
			t.Errorf("%s: update %+v (found %v), want dedup reason %q", id, u, ok, reason)
		}
	}
	for id, w := range map[string]want{
		"bench1": {"bench1", "", false, ""},
		"b1":     {"bench1", "bench1", false, "bench"},
		"a1":     {"bench1", "bench1", false, "bench"},
		"b2":     {"a2", "a2", false, ""},
		"a5":     {"a5", "", false, ""},
		"a4":     {"a5", "a5", false, ""},
		"old":    {"old", "", false, ""},
	} {
		u, ok := got[id]
		if !ok {
			// unchanged members produce no update: only bench1 and a5 may be absent
			if id == "bench1" || id == "a5" {
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
	for _, id := range []string{"a2", "a3"} {
		if u, ok := got[id]; ok {
			t.Errorf("%s: update %+v, want none: it is its cluster's first member, as stored", id, u)
		}
	}
	// Applying the updates and recomputing changes nothing.
	for i := range members {
		if u, ok := got[members[i].ID]; ok {
			members[i].ClusterID, members[i].DuplicateOf, members[i].Conflict, members[i].Contaminated = u.ClusterID, u.DuplicateOf, u.Conflict, u.Contaminated
			members[i].DedupReason = u.Tail[0].Reason
		}
	}
	if again, _ := Clusters(links, members); len(again) != 0 {
		t.Errorf("second pass: %d updates, want 0: %+v", len(again), again)
	}
}

func TestClustersSplit(t *testing.T) {
	t.Parallel()
	m := func(id string, source int64, role string, prio int, row int64, answer string) bigmath.ClusterMember {
		return bigmath.ClusterMember{ID: id, SourceID: source, SourceName: map[int64]string{1: "corpus", 2: "other", 3: "bench"}[source],
			Role: bigmath.SourceRole(role), Priority: prio, RowIndex: row, Status: bigmath.StatusKept, Answer: answer, ClusterID: id}
	}
	tests := []struct {
		name    string
		members []bigmath.ClusterMember
		links   []bigmath.Link
		// want maps each member to its cluster, and "!" + id to its
		// contamination (benchmark name) when contaminated
		want     map[string]string
		clusters int
	}{
		{
			name:    "five answers, five problems",
			members: []bigmath.ClusterMember{m("c1", 1, "corpus", 1, 0, "1/221"), m("c2", 1, "corpus", 1, 1, "13/51"), m("c3", 1, "corpus", 1, 2, "1/4"), m("c4", 1, "corpus", 1, 3, "1/52"), m("c5", 1, "corpus", 1, 4, "3/13")},
			links:   []bigmath.Link{{A: "c1", B: "c2"}, {A: "c2", B: "c3"}, {A: "c3", B: "c4"}, {A: "c4", B: "c5"}, {A: "c1", B: "c5"}},
			want:    map[string]string{"c1": "c1", "c2": "c2", "c3": "c3", "c4": "c4", "c5": "c5"},
		},
		{
			name:     "an unanswered copy joins the best copy it links to",
			members:  []bigmath.ClusterMember{m("x", 1, "corpus", 1, 0, "5"), m("y", 2, "corpus", 9, 0, ""), m("z", 1, "corpus", 1, 1, "6"), m("w", 2, "corpus", 1, 5, "6")},
			links:    []bigmath.Link{{A: "x", B: "y"}, {A: "y", B: "z"}, {A: "z", B: "w"}},
			want:     map[string]string{"x": "y", "y": "y", "z": "z", "w": "z"},
			clusters: 2,
		},
		{
			name:     "contamination survives the split",
			members:  []bigmath.ClusterMember{m("b", 3, "benchmark", 1, 0, "10"), m("p", 1, "corpus", 1, 0, "10"), m("q", 1, "corpus", 1, 1, "12")},
			links:    []bigmath.Link{{A: "b", B: "p"}, {A: "b", B: "q"}},
			want:     map[string]string{"b": "p", "p": "p", "q": "q", "!p": "bench", "!q": "bench"},
			clusters: 1,
		},
		{
			name:     "a cut-off copy is never canonical",
			members:  []bigmath.ClusterMember{m("cut", 1, "corpus", 50, 0, "3"), m("full", 2, "corpus", 1, 0, "3")},
			links:    []bigmath.Link{{A: "cut", B: "full", Edits: []string{CutOffEdit + "cut"}}},
			want:     map[string]string{"cut": "full", "full": "full"},
			clusters: 1,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			updates, clusters := Clusters(tc.links, tc.members)
			if clusters != tc.clusters {
				t.Errorf("%d clusters, want %d", clusters, tc.clusters)
			}
			state := map[string]bigmath.ClusterUpdate{}
			for _, mm := range tc.members {
				state[mm.ID] = bigmath.ClusterUpdate{ID: mm.ID, ClusterID: mm.ClusterID}
			}
			for _, u := range updates {
				if u.Conflict {
					t.Errorf("%s: conflict set", u.ID)
				}
				state[u.ID] = u
			}
			for id, u := range state {
				if u.ClusterID != tc.want[id] {
					t.Errorf("%s: cluster %q, want %q", id, u.ClusterID, tc.want[id])
				}
				want := tc.want["!"+id]
				if got := strings.Join(u.Contaminated, ","); got != want {
					t.Errorf("%s: contaminated %q, want %q", id, got, want)
				}
			}
			for i := range tc.members {
				u := state[tc.members[i].ID]
				tc.members[i].ClusterID, tc.members[i].DuplicateOf, tc.members[i].Contaminated = u.ClusterID, u.DuplicateOf, u.Contaminated
				if len(u.Tail) > 0 {
					tc.members[i].DedupReason = u.Tail[0].Reason
				}
			}
			if again, _ := Clusters(tc.links, tc.members); len(again) != 0 {
				t.Errorf("second pass: %+v, want no updates", again)
			}
		})
	}
}
