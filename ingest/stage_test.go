package ingest

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/postgres"
)

func TestExtractGold(t *testing.T) {
	t.Parallel()
	field := Spec{AnswerFrom: AnswerFromField, Fields: FieldMap{Problem: "problem", Answer: "answer", Solution: "solution"}}
	fieldNoSolution := Spec{AnswerFrom: AnswerFromField, Fields: FieldMap{Problem: "problem", Answer: "answer"}}
	boxed := Spec{AnswerFrom: AnswerFromBoxed, Fields: FieldMap{Problem: "problem", Solution: "solution"}}
	gsm := Spec{AnswerFrom: AnswerFromGSM8K, Fields: FieldMap{Problem: "question", Solution: "answer"}}
	tests := []struct {
		name   string
		spec   Spec
		fields string // a JSON object, decoded with UseNumber as readers do
		want   Gold
	}{
		// answer_from: field
		{"field string", fieldNoSolution, `{"answer": " 42 "}`, Gold{Answer: "42", HasAnswer: true}},
		{"field with leading zeros kept", fieldNoSolution, `{"answer": "025"}`, Gold{Answer: "025", HasAnswer: true}},
		{"field JSON float is exact", fieldNoSolution, `{"answer": 142.0}`, Gold{Answer: "142", HasAnswer: true}},
		{"field JSON decimal kept", fieldNoSolution, `{"answer": 0.25}`, Gold{Answer: "0.25", HasAnswer: true}},
		{"field null", fieldNoSolution, `{"answer": null}`, Gold{}},
		{"field missing", fieldNoSolution, `{"problem": "x"}`, Gold{}},
		{"field empty", fieldNoSolution, `{"answer": "  "}`, Gold{}},
		{"field with boxed solution", field, `{"answer": "\\frac{1}{2}", "solution": "so \\boxed{\\dfrac12}."}`,
			Gold{Answer: `\frac{1}{2}`, HasAnswer: true, SolutionFinal: `\dfrac12`, HasFinal: true, Solution: `so \boxed{\dfrac12}.`}},
		{"field with unboxed solution", field, `{"answer": "3", "solution": "It is 3."}`,
			Gold{Answer: "3", HasAnswer: true, Solution: "It is 3."}},
		// answer_from: boxed_in_solution
		{"boxed last of two", boxed, `{"solution": "first \\boxed{1}, then \\boxed{\\{2, 3\\}}"}`,
			Gold{Answer: `\{2, 3\}`, HasAnswer: true, Solution: `first \boxed{1}, then \boxed{\{2, 3\}}`}},
		{"boxed nested braces", boxed, `{"solution": "\\boxed{\\frac{a}{b^{2}}}"}`,
			Gold{Answer: `\frac{a}{b^{2}}`, HasAnswer: true, Solution: `\boxed{\frac{a}{b^{2}}}`}},
		{"boxed none", boxed, `{"solution": "no box here"}`, Gold{Solution: "no box here"}},
		{"boxed unclosed", boxed, `{"solution": "\\boxed{12"}`, Gold{Solution: `\boxed{12`}},
		// answer_from: gsm8k_hash
		{"gsm8k", gsm, `{"answer": "48+24 = <<48+24=72>>72 clips\n#### 72"}`,
			Gold{Answer: "72", HasAnswer: true, Solution: "48+24 = 72 clips\n#### 72"}},
		{"gsm8k thousands separator kept for the verifier", gsm, `{"answer": "so\n#### 1,080"}`,
			Gold{Answer: "1,080", HasAnswer: true, Solution: "so\n#### 1,080"}},
		{"gsm8k no marker", gsm, `{"answer": "72"}`, Gold{Solution: "72"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var fields map[string]any
			dec := json.NewDecoder(strings.NewReader(tc.fields))
			dec.UseNumber()
			if err := dec.Decode(&fields); err != nil {
				t.Fatal(err)
			}
			if got := ExtractGold(tc.spec, fields); got != tc.want {
				t.Errorf("ExtractGold(%s) = %+v, want %+v", tc.fields, got, tc.want)
			}
		})
	}
}

func TestComputeClusters(t *testing.T) {
	t.Parallel()
	m := func(id string, source int64, name, role string, prio int, row int64, status, answer string) postgres.ClusterMember {
		return postgres.ClusterMember{ID: id, SourceID: source, SourceName: name, Role: role, Priority: prio, RowIndex: row, Status: status, AnswerCanonical: answer, ClusterID: id}
	}
	members := []postgres.ClusterMember{
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
	links := []postgres.Link{{A: "a1", B: "b1"}, {A: "b1", B: "bench1"}, {A: "a2", B: "b2"}, {A: "a3", B: "b2"}, {A: "a4", B: "a5"}, {A: "a1", B: "missing"}}
	updates, clusters := computeClusters(links, members)
	if clusters != 3 {
		t.Errorf("%d clusters, want 3", clusters)
	}
	got := map[string]postgres.ClusterUpdate{}
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
	if again, _ := computeClusters(links, members); len(again) != 0 {
		t.Errorf("second pass: %d updates, want 0: %+v", len(again), again)
	}
}
