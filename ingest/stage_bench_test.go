package ingest

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/ingest/synth"
)

// BenchmarkProcess measures the per-row stages (normalize, classify,
// verify, fingerprint) on synthetic rows; see b.ReportMetric for each stage.
func BenchmarkProcess(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{N: 2000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	var rows []Row
	dec := json.NewDecoder(&buf)
	dec.UseNumber()
	for dec.More() {
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			b.Fatal(err)
		}
		raw, _ := json.Marshal(m)
		rows = append(rows, Row{Key: m["id"].(string), Fields: m, Raw: raw})
	}
	sc := newStageContext(Spec{Name: "synth", Role: bigmath.RoleCorpus, Fields: FieldMap{Problem: "problem", Answer: "answer", ID: "id"}, AnswerFrom: AnswerFromField})
	var t stageTimes
	h := dedup.NewHasher()
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := rows[i%len(rows)]
		sc.process(ctx, h, r, r.Key, int64(i), &t)
	}
	n := float64(b.N)
	b.ReportMetric(float64(t.normalize.Nanoseconds())/n, "normalize-ns/row")
	b.ReportMetric(float64(t.classify.Nanoseconds())/n, "classify-ns/row")
	b.ReportMetric(float64(t.verify.Nanoseconds())/n, "verify-ns/row")
	b.ReportMetric(float64(t.fingerprint.Nanoseconds())/n, "fingerprint-ns/row")
}
