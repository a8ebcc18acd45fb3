package normalize

import (
	"archive/zip"
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/verify"
)

// datasetsDir returns the shared datasets folder, or skips the test when
// ../shared is not beside this clone (see internal/sharedtest).
func datasetsDir(t testing.TB) string {
	t.Helper()
	return filepath.Dir(sharedtest.Datasets(t, "README.md"))
}

// readJSONL decodes every line of a JSON Lines stream into maps.
func readJSONL(t testing.TB, r io.Reader) []map[string]any {
	t.Helper()
	var rows []map[string]any
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for n := 1; sc.Scan(); n++ {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d: %v", n, err)
		}
		rows = append(rows, m)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return rows
}

func readJSONLFile(t testing.TB, path string) []map[string]any {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return readJSONL(t, f)
}

func readJSONArray(t testing.TB, path string) []map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]any
	if err := json.Unmarshal(b, &rows); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return rows
}

// readHARP unzips the HARP proof split in memory.
func readHARP(t testing.TB, dir string) []map[string]any {
	t.Helper()
	zr, err := zip.OpenReader(filepath.Join(dir, "harp", "HARP_proof-based.jsonl.zip"))
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	if len(zr.File) != 1 {
		t.Fatalf("HARP zip holds %d files, want 1", len(zr.File))
	}
	rc, err := zr.File[0].Open()
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	return readJSONL(t, rc)
}

func str(m map[string]any, k string) (string, bool) {
	v, ok := m[k]
	if !ok || v == nil {
		return "", false
	}
	switch x := v.(type) {
	case string:
		return x, true
	case float64:
		return fmt.Sprint(x), true
	}
	return fmt.Sprint(v), true
}

// tally classifies inputs and returns the count per reason, logging a few
// examples of each non-keep reason.
func tally(t *testing.T, name string, ins []ClassifyInput) map[Reason]int {
	t.Helper()
	counts := map[Reason]int{}
	shown := map[Reason]int{}
	for _, in := range ins {
		v := Classify(in)
		counts[v.Reason]++
		if testing.Verbose() && v.Reason != Keep && shown[v.Reason] < 3 && os.Getenv("SHOW") != "" {
			shown[v.Reason]++
			t.Logf("%s %s [%s]: %.200q answer=%q", name, v.Reason, v.Evidence, in.Problem, in.Answer)
		}
	}
	var keys []string
	for r, n := range counts {
		keys = append(keys, fmt.Sprintf("%s=%d", r, n))
	}
	sort.Strings(keys)
	t.Logf("%s: %d rows, keep %.1f%%: %s", name, len(ins), 100*float64(counts[Keep])/float64(len(ins)), strings.Join(keys, " "))
	return counts
}

// solutionInputs reads the problems and solutions (under problemKey and
// solutionKey) of a JSONL file as Classify inputs whose answer find takes
// from the solution; clean, when set, rewrites the solution Classify sees.
// solutionInputs reads classify inputs whose gold is taken from the
// solution as ingest takes it (verify.GoldFromSolution).
func solutionInputs(t *testing.T, path, problemKey, solutionKey string, clean func(string) string) []ClassifyInput {
	t.Helper()
	var ins []ClassifyInput
	for _, r := range readJSONLFile(t, path) {
		p, _ := str(r, problemKey)
		sol, _ := str(r, solutionKey)
		a, st := verify.GoldFromSolution(context.Background(), p, sol)
		ok := st == verify.GoldFound
		if clean != nil {
			sol = clean(sol)
		}
		ins = append(ins, ClassifyInput{Problem: p, Answer: a, Solution: sol, HasAnswer: ok})
	}
	return ins
}

func TestClassifyRealData(t *testing.T) {
	dir := datasetsDir(t)

	t.Run("gsm8k train keeps at least 99%", func(t *testing.T) {
		ins := solutionInputs(t, filepath.Join(dir, "gsm8k", "train.jsonl"), "question", "answer", StripCalculatorNotes)
		c := tally(t, "gsm8k/train", ins)
		if got := float64(c[Keep]) / float64(len(ins)); got < 0.99 {
			t.Errorf("keep rate %.4f, want >= 0.99", got)
		}
	})

	t.Run("HARP proof split is all dropped, as proof or no_answer", func(t *testing.T) {
		var ins []ClassifyInput
		for _, r := range readHARP(t, dir) {
			p, _ := str(r, "problem")
			sol, _ := str(r, "solution_1")
			ins = append(ins, ClassifyInput{Problem: p, Solution: sol})
		}
		c := tally(t, "harp/proof", ins)
		if c[Proof]+c[NoAnswer] != len(ins) {
			t.Errorf("%d of %d rows dropped as proof or no_answer, want all", c[Proof]+c[NoAnswer], len(ins))
		}
		// The split has no answers: a problem that asks for a value without
		// asking for a proof is no_answer, the rest proof.
		if got := float64(c[Proof]) / float64(len(ins)); got < 0.8 {
			t.Errorf("proof rate %.4f, want >= 0.8", got)
		}
	})

	t.Run("MATH test and MATH-500 keep rates", func(t *testing.T) {
		ins := solutionInputs(t, filepath.Join(dir, "math_test", "test.jsonl"), "problem", "solution", nil)
		c := tally(t, "math_test", ins)
		if got := float64(c[Keep]) / float64(len(ins)); got < 0.85 {
			t.Errorf("MATH test keep rate %.4f, want >= 0.85 (MATH is a single-answer set)", got)
		}
		ins = ins[:0]
		for _, r := range readJSONLFile(t, filepath.Join(dir, "math500", "test.jsonl")) {
			p, _ := str(r, "problem")
			a, ok := str(r, "answer")
			sol, _ := str(r, "solution")
			ins = append(ins, ClassifyInput{Problem: p, Answer: a, Solution: sol, HasAnswer: ok})
		}
		c = tally(t, "math500", ins)
		if got := float64(c[Keep]) / float64(len(ins)); got < 0.85 {
			t.Errorf("MATH-500 keep rate %.4f, want >= 0.85", got)
		}
	})

	t.Run("deepscaler MATH train null answers are no_answer", func(t *testing.T) {
		var ins []ClassifyInput
		nulls := 0
		for _, r := range readJSONArray(t, filepath.Join(dir, "deepscaler", "train", "math.json")) {
			p, _ := str(r, "problem")
			a, ok := str(r, "answer")
			in := ClassifyInput{Problem: p, Answer: a, HasAnswer: ok}
			ins = append(ins, in)
			if !ok {
				nulls++
				if v := Classify(in); v.Reason != NoAnswer {
					t.Errorf("null-answer row %.80q: %s (%s), want no_answer", p, v.Reason, v.Evidence)
				}
			}
		}
		if nulls != 2 {
			t.Errorf("found %d null answers, want 2", nulls)
		}
		tally(t, "deepscaler/train/math", ins)
	})

	t.Run("other benchmark sets", func(t *testing.T) {
		for _, f := range []string{"aime24/test.jsonl", "amc23/test.jsonl", "aime25/test.jsonl", "gsm8k/test.jsonl"} {
			var ins []ClassifyInput
			for _, r := range readJSONLFile(t, filepath.Join(dir, f)) {
				p, _ := str(r, "problem")
				if p == "" {
					p, _ = str(r, "question")
				}
				a, ok := str(r, "answer")
				if strings.HasPrefix(f, "gsm8k") {
					var st verify.GoldStatus
					a, st = verify.GoldFromSolution(context.Background(), p, a)
					ok = st == verify.GoldFound
				}
				ins = append(ins, ClassifyInput{Problem: p, Answer: a, HasAnswer: ok})
			}
			tally(t, f, ins)
		}
		for _, f := range []string{"deepscaler/train/aime.json", "deepscaler/test/amc.json", "deepscaler/test/aime.json"} {
			var ins []ClassifyInput
			for _, r := range readJSONArray(t, filepath.Join(dir, f)) {
				p, _ := str(r, "problem")
				a, ok := str(r, "answer")
				ins = append(ins, ClassifyInput{Problem: p, Answer: a, HasAnswer: ok})
			}
			tally(t, f, ins)
		}
	})
}
