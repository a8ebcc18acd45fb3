package ingest_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/ingest"
	"github.com/bigmath/bigmath/ingest/synth"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// TestSplitVersionFrozenAcrossIngests is the acceptance test of frozen
// split versions (issue 13): a version's export keeps its sha256 after
// another source is ingested whose copies of the version's members win as
// canonical copies, and after a member's text and answer change on
// re-ingest; the version lists the members it lost; the next version
// differs by the added and removed problems only, and problems in both
// keep their part.
func TestSplitVersionFrozenAcrossIngests(t *testing.T) {
	t.Parallel()
	base, write, specs := frozenFixture(t)
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	p := &ingest.Pipeline{Store: store}
	ctx := context.Background()
	if _, err := p.Ingest(ctx, specs[:1]); err != nil {
		t.Fatal(err)
	}
	sp := bigmath.Split{Name: "math-rl-v1", Seed: 11, Fractions: bigmath.Fractions{Train: 0.6, Validation: 0.2, Test: 0.2}}
	if _, err := store.CreateSplit(ctx, sp); err != nil {
		t.Fatal(err)
	}
	v1, err := store.GetSplitVersion(ctx, sp.Name, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Counts.Total() != 40 || v1.FormatVersion != bigmath.FrozenFormatVersion {
		t.Fatalf("version 1 = %+v, want 40 problems", v1)
	}
	exportSum := func(version int, format export.Format) string {
		t.Helper()
		h := sha256.New()
		w := export.NewWriter(h, format)
		if err := store.ExportSplitVersion(ctx, sp.Name, version, "", w.WriteFrozen); err != nil {
			t.Fatal(err)
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return hex.EncodeToString(h.Sum(nil))
	}
	jsonl, parquet := exportSum(1, export.FormatJSONL), exportSum(1, export.FormatParquet)
	if jsonl != v1.ContentHash {
		t.Errorf("sha256 of version 1's jsonl export = %s, its content hash says %s", jsonl, v1.ContentHash)
	}
	parts1 := partsOf(t, store, sp.Name, 1)

	// beta's copies win as canonical copies of alpha's first 10.
	if _, err := p.Ingest(ctx, specs[1:]); err != nil {
		t.Fatal(err)
	}
	if n := queryInt(t, pool, `SELECT count(*) FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE s.name = 'alpha' AND p.duplicate_of IS NOT NULL`); n != 10 {
		t.Fatalf("%d alpha problems are duplicates of beta's copies after ingesting beta, want 10", n)
	}
	if got := exportSum(1, export.FormatJSONL); got != jsonl {
		t.Errorf("version 1's jsonl export changed after ingesting beta: %s, was %s", got, jsonl)
	}
	if got := exportSum(1, export.FormatParquet); got != parquet {
		t.Errorf("version 1's parquet export changed after ingesting beta")
	}

	// alpha again, one member's text and answer changed.
	changed := base[20]
	base[20] = map[string]any{"id": changed["id"], "problem": "Tara has 7 kites and buys 2 more. How many kites does she have?", "answer": "9"}
	write("alpha", base[:40])
	if _, err := p.Ingest(ctx, specs[:1]); err != nil {
		t.Fatal(err)
	}
	changedID := bigmath.ProblemID("alpha", changed["id"].(string))
	if n := queryInt(t, pool, `SELECT count(*) FROM problems WHERE id = $1 AND answer_raw = '9'`, changedID); n != 1 {
		t.Fatalf("the re-ingest did not change %s", changedID)
	}
	if got := exportSum(1, export.FormatJSONL); got != jsonl {
		t.Errorf("version 1's jsonl export changed after a member changed on re-ingest")
	}

	gone, total, err := store.GoneMembers(ctx, sp.Name, 1, 100)
	if err != nil {
		t.Fatal(err)
	}
	if total != 10 || len(gone) != 10 || gone[0].DuplicateOf == "" {
		t.Errorf("version 1 lists %d gone members (%d in all): %+v; want the 10 now duplicates of beta", len(gone), total, gone)
	}

	v2, diff, err := store.NewSplitVersion(ctx, sp.Name)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Counts.Total() != 60 || v2.ContentHash == v1.ContentHash {
		t.Errorf("version 2 = %+v, want 60 problems (30 of alpha, 30 of beta) and a new hash", v2)
	}
	parts2 := partsOf(t, store, sp.Name, 2)
	added, removed := checkDiff(t, diff, parts1, parts2)
	if added != 30 || removed != 10 {
		t.Errorf("diff: %d added, %d removed; want 30 (beta) and 10 (alpha's duplicates)", added, removed)
	}
	for id, part := range parts1 {
		if p2, ok := parts2[id]; ok && p2 != part {
			t.Errorf("%s moved from %s to %s between versions", id, part, p2)
		}
	}
	if got := exportSum(1, export.FormatJSONL); got != jsonl {
		t.Errorf("version 1's export changed after version 2 was frozen")
	}
}

// frozenFixture writes alpha.jsonl (the first 40 of 60 synthetic
// problems) and beta.jsonl (copies of alpha's first 10, then the last 20)
// and returns the rows, a function that rewrites a file, and the specs of
// alpha and beta (beta has the higher priority, so its copies win).
func frozenFixture(t *testing.T) ([]map[string]any, func(string, []map[string]any), []ingest.Spec) {
	t.Helper()
	base, _ := synthRows(t, synth.Options{N: 60, Seed: 3, ExactRate: -1, NearRate: -1})
	dir := t.TempDir()
	write := func(name string, rows []map[string]any) {
		writeJSONL(t, filepath.Join(dir, name+".jsonl"), rows)
	}
	write("alpha", base[:40])
	var beta []map[string]any
	for _, r := range base[:10] {
		beta = append(beta, map[string]any{"id": "copy" + r["id"].(string), "problem": r["problem"], "answer": r["answer"]})
	}
	beta = append(beta, base[40:60]...)
	write("beta", beta)
	specs := parseSpecs(t, dir, `sources:
  - {name: alpha, role: corpus, path: alpha.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 10}
  - {name: beta, role: corpus, path: beta.jsonl, fields: {problem: problem, answer: answer, id: id}, priority: 90}
`)
	return base, write, specs
}

// checkDiff checks that the ids a diff lists are added to or removed
// from the part it names, and returns the counts it reports.
func checkDiff(t *testing.T, diff bigmath.SplitDiff, parts1, parts2 map[string]bigmath.Part) (added, removed int64) {
	t.Helper()
	for _, part := range bigmath.Parts {
		d := diff.Parts[part]
		added, removed = added+d.Added, removed+d.Removed
		for _, id := range d.AddedIDs {
			if _, ok := parts1[id]; ok || parts2[id] != part {
				t.Errorf("%s is reported added to %s, but is in version 1 or not in that part of version 2", id, part)
			}
		}
		for _, id := range d.RemovedIDs {
			if _, ok := parts2[id]; ok || parts1[id] != part {
				t.Errorf("%s is reported removed from %s, but is in version 2 or was not in that part", id, part)
			}
		}
	}
	return added, removed
}

// partsOf returns the part of each member of a version.
func partsOf(t *testing.T, store *postgres.Store, name string, version int) map[string]bigmath.Part {
	t.Helper()
	out := map[string]bigmath.Part{}
	err := store.ExportSplitVersion(context.Background(), name, version, "", func(r *bigmath.FrozenRow) error {
		out[r.ID] = r.Part
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// synthRows returns the rows synth.Generate writes for opt, and its counts.
func synthRows(t *testing.T, opt synth.Options) ([]map[string]any, synth.Counts) {
	t.Helper()
	var gen bytes.Buffer
	counts, err := synth.Generate(&gen, opt)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(gen.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(l), &m); err != nil {
			t.Fatal(err)
		}
		rows = append(rows, m)
	}
	return rows, counts
}
