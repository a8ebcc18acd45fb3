package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
)

func TestDedupCLI(t *testing.T) {
	input := strings.Join([]string{
		`{"id": "a", "problem": "Compute $\\dfrac{1}{2}+\\dfrac{1}{3}$ and give the result as a fraction."}`,
		`{"id": "b", "problem": "Compute \\(\\frac{1}{2}+\\frac{1}{3}\\) and give the result as a fraction."}`,
		`{"id": "c", "problem": "compute 3+5"}`,
		`{"id": "d", "problem": "compute 4+7"}`,
		`{"id": "e", "problem": "compute 3+5"}`,
		`{broken`,
		`{"problem": "no id"}`,
		`{"id": 8}`,
		`{"id": 9, "problem": ["x"]}`,
		`{"id": 10, "problem": "Compute $\\tfrac12+\\tfrac13$ and give the result as a fraction."}`,
	}, "\n") + "\n"
	code, stdout, stderr := runOffline(t, input, "dedup")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	got := decodeOffline(t, stdout)
	want := []struct {
		id, cluster, dupOf string // cluster "" for an error line
		exact              bool
	}{
		{`"a"`, `"a"`, "null", false},
		{`"b"`, `"a"`, `"a"`, true}, // identical after normalize.Text
		{`"c"`, `"c"`, "null", false},
		{`"d"`, `"d"`, "null", false},
		{`"e"`, `"c"`, `"c"`, true},
		{"null", "", "", false},
		{"null", "", "", false},
		{"8", "", "", false},
		{"9", "", "", false},
		{"10", `"a"`, `"a"`, true},
	}
	if len(got) != len(want) {
		t.Fatalf("%d output lines for %d inputs:\n%s", len(got), len(want), stdout)
	}
	for i, w := range want {
		g := got[i]
		if string(g.ID) != w.id {
			t.Errorf("line %d: id %s, want %s", i+1, g.ID, w.id)
		}
		if w.cluster == "" {
			if g.Error == nil || g.Line == nil || *g.Line != i+1 || g.Cluster != nil {
				t.Errorf("line %d: want an error line, got %s", i+1, lineOf(stdout, i))
			}
			continue
		}
		if string(g.Cluster) != w.cluster || string(g.DuplicateOf) != w.dupOf || g.Exact == nil || *g.Exact != w.exact || g.Similarity == nil {
			t.Errorf("line %d: %s, want cluster %s duplicate_of %s exact %v", i+1, lineOf(stdout, i), w.cluster, w.dupOf, w.exact)
			continue
		}
		if w.dupOf == "null" && *g.Similarity != 0 || w.dupOf != "null" && *g.Similarity < 0.8 {
			t.Errorf("line %d: similarity %v", i+1, *g.Similarity)
		}
	}
}

func TestDedupCLIThreshold(t *testing.T) {
	for _, bad := range []string{"0", "1.5", "-1", "NaN"} {
		code, _, stderr := runOffline(t, "", "dedup", "--threshold", bad)
		if code != exitUsage || !strings.Contains(stderr, "--threshold") {
			t.Errorf("--threshold %s: exit %d, stderr %q", bad, code, stderr)
		}
	}
	// A higher threshold keeps apart what the default merges.
	long := "A bag has 7 red marbles and 5 blue marbles. Two marbles are drawn at random without replacement. " +
		"What is the probability that both marbles are red? Express your answer as a common fraction."
	other := strings.Replace(long, "drawn at random", "picked at random", 1)
	input := fmt.Sprintf("{\"id\":1,\"problem\":%q}\n{\"id\":2,\"problem\":%q}\n", long, other)
	_, out08, _ := runOffline(t, input, "dedup")
	_, out095, _ := runOffline(t, input, "dedup", "--threshold", "0.95")
	if g := decodeOffline(t, out08); string(g[1].Cluster) != "1" || *g[1].Similarity >= 0.95 {
		t.Errorf("default threshold kept a one-word variant apart: %s", out08)
	}
	if g := decodeOffline(t, out095); string(g[1].Cluster) != "2" {
		t.Errorf("threshold 0.95 merged a one-word variant: %s", out095)
	}
}

// TestDedupCLIAIME2024 runs the real AIME 2024 copies (two sources) through
// the command: every aime24 problem lands in the cluster of its
// deepscaler copy.
func TestDedupCLIAIME2024(t *testing.T) {
	b, err := os.ReadFile(sharedtest.Datasets(t, "deepscaler", "test", "aime.json"))
	if err != nil {
		t.Fatal(err)
	}
	var ds []struct{ Problem string }
	if err := json.Unmarshal(b, &ds); err != nil {
		t.Fatal(err)
	}
	var in strings.Builder
	for i, r := range ds {
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("ds-%d", i), "problem": r.Problem})
		in.Write(append(line, '\n'))
	}
	a, err := os.ReadFile(sharedtest.Datasets(t, "aime24", "test.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(strings.TrimSpace(string(a)), "\n") {
		var r struct{ Problem string }
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatal(err)
		}
		line, _ := json.Marshal(map[string]any{"id": fmt.Sprintf("q-%d", i), "problem": r.Problem})
		in.Write(append(line, '\n'))
	}
	code, stdout, stderr := runOffline(t, in.String(), "dedup")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	got := decodeOffline(t, stdout)
	if len(got) != 60 {
		t.Fatalf("%d lines", len(got))
	}
	for i, g := range got {
		isDS := strings.HasPrefix(string(g.ID), `"ds-`)
		if isDS && string(g.DuplicateOf) != "null" {
			t.Errorf("%s is a duplicate of %s", g.ID, g.DuplicateOf)
		}
		if !isDS && !strings.HasPrefix(string(g.Cluster), `"ds-`) {
			t.Errorf("line %d: %s is in cluster %s, want a deepscaler copy", i+1, g.ID, g.Cluster)
		}
	}
}

func BenchmarkDedupCLI(b *testing.B) {
	var in strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&in, "{\"id\":%d,\"problem\":\"A store sells %d apples for $%d each. How much money does it make if it sells all of them?\"}\n", i, i%977, i%131)
	}
	input := in.String()
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		if code, _, stderr := runOffline(b, input, "dedup"); code != exitOK {
			b.Fatal(stderr)
		}
	}
}

func BenchmarkClassifyCLI(b *testing.B) {
	var in strings.Builder
	for i := range 10000 {
		fmt.Fprintf(&in, "{\"id\":%d,\"problem\":\"A store sells %d apples for $%d each. How much money does it make?\",\"answer\":\"%d\"}\n", i, i%977, i%131, i)
	}
	input := in.String()
	b.SetBytes(int64(len(input)))
	for b.Loop() {
		if code, _, stderr := runOffline(b, input, "classify"); code != exitOK {
			b.Fatal(stderr)
		}
	}
}
