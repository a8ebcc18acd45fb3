package normalize_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/bigmath/bigmath/ingest/synth"
	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/normalize"
)

// benchInputs decodes JSON Lines of {"problem", "answer"} into inputs.
func benchInputs(b *testing.B, data []byte, problemKey, answerKey string) []normalize.ClassifyInput {
	b.Helper()
	var ins []normalize.ClassifyInput
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			b.Fatal(err)
		}
		p, _ := m[problemKey].(string)
		a, ok := m[answerKey].(string)
		ins = append(ins, normalize.ClassifyInput{Problem: p, Answer: a, HasAnswer: ok && a != ""})
	}
	return ins
}

// BenchmarkClassifySynthetic classifies the rows of the 1,000,000-row ingest
// benchmark's generator (ingest/synth), one op per row.
func BenchmarkClassifySynthetic(b *testing.B) {
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{N: 20000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	ins := benchInputs(b, buf.Bytes(), "problem", "answer")
	runClassify(b, ins)
}

// BenchmarkClassifyShared classifies the problems of the real files in
// ../shared/datasets that have a problem field (MATH, MATH-500, DeepScaleR
// test sets, AIME, AMC), one op per row.
func BenchmarkClassifyShared(b *testing.B) {
	var ins []normalize.ClassifyInput
	for _, f := range []string{"math_test/test.jsonl", "math500/test.jsonl", "aime24/test.jsonl", "amc23/test.jsonl", "aime25/test.jsonl"} {
		data, err := os.ReadFile(sharedtest.Datasets(b, filepath.FromSlash(f)))
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, benchInputs(b, data, "problem", "answer")...)
	}
	for _, f := range []string{"gsm8k/train.jsonl"} {
		data, err := os.ReadFile(sharedtest.Datasets(b, filepath.FromSlash(f)))
		if err != nil {
			b.Fatal(err)
		}
		ins = append(ins, benchInputs(b, data, "question", "answer")...)
	}
	runClassify(b, ins)
}

func runClassify(b *testing.B, ins []normalize.ClassifyInput) {
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		normalize.Classify(ins[i%len(ins)])
		i++
	}
}
