package ingest_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// TestIngestDerivesMultipleChoice ingests multiple-choice problems: the
// recoverable ones get a derived open-ended problem with its lineage, which
// goes through verify, dedup and decontamination like any problem; the
// originals stay dropped as multiple_choice; filters and splits include,
// exclude or take only the derived problems.
func TestIngestDerivesMultipleChoice(t *testing.T) {
	t.Parallel()
	bench := "Let $a$ and $b$ be positive real numbers with $a+b=10$ whose product is as large as possible. Find the largest possible value of $a^2b^2$ in that case."
	rows := []map[string]any{
		{"id": "mc0", "problem": "What is the value of $3\\cdot 7$?\n(A) 18 (B) 21 (C) 24 (D) 27", "answer": "B"},
		{"id": "mc1", "problem": "Which of the following is prime? (A) 4 (B) 6 (C) 7 (D) 9", "answer": "C"},
		{"id": "open", "problem": "A train travels 120 kilometers in 2 hours. What is its average speed in kilometers per hour?", "answer": "60"},
		{"id": "mc3", "problem": bench + "\n$\\textbf{(A)}\\ 25\\qquad\\textbf{(B)}\\ 100\\qquad\\textbf{(C)}\\ 625\\qquad\\textbf{(D)}\\ 2500$", "answer": "625"},
	}
	dir := t.TempDir()
	writeJSONL(t, filepath.Join(dir, "corpus.jsonl"), rows)
	writeJSONL(t, filepath.Join(dir, "bench.jsonl"), []map[string]any{{"id": "b0", "problem": bench, "answer": "625"}})
	specs := parseSpecs(t, dir, `sources:
  - {name: bench, role: benchmark, path: bench.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 100}
  - {name: corpus, role: corpus, path: corpus.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 10}
`)
	ctx := context.Background()
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	p := &ingest.Pipeline{Store: store}
	reps, err := p.Ingest(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	rf := reps[1].Stages[ingest.ReformulateStage]
	if rf == nil || rf.In != 3 || rf.Passed != 2 || rf.Dropped["stem_needs_options"] != 1 {
		t.Errorf("reformulate stage %+v, want 3 in, 2 recovered, 1 stem_needs_options", rf)
	}
	if c := reps[1].Stages["classify"]; c.In != 4 {
		t.Errorf("classify counted %d rows, want the source's 4 (derived problems apart)", c.In)
	}

	orig := bigmath.ProblemID("corpus", "mc0")
	o, err := store.GetProblem(ctx, orig)
	if err != nil {
		t.Fatal(err)
	}
	if o.Status != bigmath.StatusDropped || o.Reason != "multiple_choice" || o.Derived() {
		t.Errorf("original: status %s reason %s derived_from %q, want dropped multiple_choice, not derived", o.Status, o.Reason, o.DerivedFrom)
	}
	d, err := store.GetProblem(ctx, bigmath.ProblemID("corpus", "mc0"+ingest.DerivedKeySuffix))
	if err != nil {
		t.Fatal(err)
	}
	if d.DerivedFrom != orig || d.Transform != bigmath.TransformMCReformulated || d.OriginalText != o.ProblemRaw {
		t.Errorf("derived lineage: from %q transform %q original %q", d.DerivedFrom, d.Transform, d.OriginalText)
	}
	if d.Status != bigmath.StatusKept || d.Answer.Raw != "21" || d.Answer.Kind != "integer" || strings.Contains(d.ProblemNorm, "(B)") {
		t.Errorf("derived problem: status %s answer %q kind %q text %q", d.Status, d.Answer.Raw, d.Answer.Kind, d.ProblemNorm)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE derived_from = $1`, bigmath.ProblemID("corpus", "mc1")); n != 0 {
		t.Errorf("a not-recoverable problem has %d derived problems", n)
	}
	// The recovered AMC-style copy of a benchmark problem is flagged.
	d3 := bigmath.ProblemID("corpus", "mc3"+ingest.DerivedKeySuffix)
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1 AND contaminated = '{bench}'`, d3); n != 1 {
		t.Errorf("the derived copy of a benchmark problem is not contaminated by it")
	}

	ids := func(f bigmath.ProblemFilter) []string {
		ps, err := store.ListProblems(ctx, f, bigmath.ProblemCursor{}, 100)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, p := range ps {
			if p.SourceName == "corpus" {
				out = append(out, p.RowKey)
			}
		}
		return out
	}
	for _, c := range []struct {
		derived string
		want    string
	}{
		{"", "mc0" + ingest.DerivedKeySuffix + " open"},
		{bigmath.DerivedInclude, "mc0" + ingest.DerivedKeySuffix + " open"},
		{bigmath.DerivedExclude, "open"},
		{bigmath.DerivedOnly, "mc0" + ingest.DerivedKeySuffix},
	} {
		got := ids(bigmath.ProblemFilter{Sources: []string{"corpus"}, Derived: c.derived})
		if g := sortedJoin(got); g != sortedJoin(strings.Fields(c.want)) {
			t.Errorf("derived=%q: %s, want %s", c.derived, g, c.want)
		}
	}
	if err := (bigmath.ProblemFilter{Derived: "some"}).Validate(); err == nil {
		t.Errorf("derived=some validates")
	}
	for _, c := range []struct {
		derived string
		n       int64
	}{{"", 2}, {bigmath.DerivedExclude, 1}, {bigmath.DerivedOnly, 1}} {
		name := "s-" + c.derived + "x"
		if _, err := store.CreateSplit(ctx, bigmath.Split{Name: name, Filter: bigmath.ProblemFilter{Sources: []string{"corpus"}, Derived: c.derived},
			Fractions: bigmath.Fractions{Train: 1}}); err != nil {
			t.Fatal(err)
		}
		v, err := store.GetSplitVersion(ctx, name, 0)
		if err != nil {
			t.Fatal(err)
		}
		if v.Counts.Total() != c.n {
			t.Errorf("split derived=%q has %d problems, want %d", c.derived, v.Counts.Total(), c.n)
		}
		var exported []bigmath.FrozenRow
		if err := store.ExportSplitVersion(ctx, name, 0, "", func(r *bigmath.FrozenRow) error {
			exported = append(exported, *r)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, e := range exported {
			want := e.ID == d.ID
			if (e.DerivedFrom != "") != want || want && (e.DerivedFrom != orig || e.Transform != bigmath.TransformMCReformulated) {
				t.Errorf("split derived=%q exports %s derived from %q (%q)", c.derived, e.ID, e.DerivedFrom, e.Transform)
			}
		}
		if int64(len(exported)) != c.n {
			t.Errorf("split derived=%q exports %d problems, want %d", c.derived, len(exported), c.n)
		}
	}

	f, err := store.Funnel(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, sf := range f.Sources {
		if sf.Name == "corpus" && (sf.Derived != 2 || sf.DerivedKept != 1 || sf.Rows != 6 || sf.Dropped["multiple_choice"] != 3) {
			t.Errorf("corpus funnel: %d derived, %d kept, %d rows, %d multiple_choice; want 2, 1 (one is contaminated), 6, 3",
				sf.Derived, sf.DerivedKept, sf.Rows, sf.Dropped["multiple_choice"])
		}
	}

	// A second run changes nothing.
	before := clusterDigest(t, pool)
	reps, err = p.Ingest(ctx, specs)
	if err != nil {
		t.Fatal(err)
	}
	if reps[1].Inserted != 0 || reps[1].Updated != 0 || clusterDigest(t, pool) != before {
		t.Errorf("second run: %d inserted, %d updated", reps[1].Inserted, reps[1].Updated)
	}

	// The row changes so that it is no longer recoverable (its key names
	// no option): its derived problem goes.
	rows[0]["answer"] = "E"
	writeJSONL(t, filepath.Join(dir, "corpus.jsonl"), rows)
	if _, err := p.Ingest(ctx, specs); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE derived_from = $1 OR id = $2`, orig, d.ID); n != 0 {
		t.Errorf("%d derived problems of a row that is no longer recoverable remain", n)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problem_links WHERE a = $1 OR b = $1`, d.ID); n != 0 {
		t.Errorf("links of a removed derived problem remain")
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1 AND reason = 'multiple_choice'`, orig); n != 1 {
		t.Errorf("the original is no longer dropped as multiple_choice")
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1`, d3); n != 1 {
		t.Errorf("an unchanged row's derived problem was removed")
	}
}

func sortedJoin(s []string) string {
	c := append([]string(nil), s...)
	for i := range c {
		for j := i + 1; j < len(c); j++ {
			if c[j] < c[i] {
				c[i], c[j] = c[j], c[i]
			}
		}
	}
	return strings.Join(c, " ")
}
