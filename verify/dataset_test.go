package verify

import (
	"context"
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/internal/testutil"
)

// datasetGolds reads the gold answers of the real datasets in ../shared (at
// test time; the test skips when they are absent): math500 "answer" fields,
// the gold of every MATH test solution as GoldFromSolution reads it, the
// "#### N" of GSM8K test answers and the DeepScaleR test answers.
func datasetGolds(t testing.TB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	read := func(name, path string, pick func(map[string]any) (string, bool)) {
		testutil.EachJSONL(t, path, func(row map[string]any) {
			if g, ok := pick(row); ok {
				out[name] = append(out[name], g)
			}
		})
	}
	read("math500", sharedtest.Datasets(t, "math500", "test.jsonl"), func(r map[string]any) (string, bool) {
		s, ok := r["answer"].(string)
		return s, ok
	})
	read("math_test", sharedtest.Datasets(t, "math_test", "test.jsonl"), func(r map[string]any) (string, bool) {
		p, _ := r["problem"].(string)
		s, _ := r["solution"].(string)
		a, st := GoldFromSolution(context.Background(), p, s)
		return a, st == GoldFound
	})
	read("gsm8k", sharedtest.Datasets(t, "gsm8k", "test.jsonl"), func(r map[string]any) (string, bool) {
		s, _ := r["answer"].(string)
		i := strings.LastIndex(s, "#### ")
		if i < 0 {
			return "", false
		}
		return strings.TrimSpace(s[i+5:]), true
	})
	for _, f := range []string{"math", "aime", "amc"} {
		path := sharedtest.Datasets(t, "deepscaler", "test", f+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("read dataset: %v", err)
		}
		var rows []map[string]any
		if err := json.Unmarshal(b, &rows); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, r := range rows {
			switch a := r["answer"].(type) {
			case string:
				out["deepscaler_test"] = append(out["deepscaler_test"], a)
			case float64:
				out["deepscaler_test"] = append(out["deepscaler_test"], strconv.FormatFloat(a, 'f', -1, 64))
			}
		}
	}
	return out
}

// TestDatasetGoldsSelfConsistent checks every real gold against itself:
// no internal error, and every gold that parses equals itself (through the
// full comparison, not the identical-text shortcut).
func TestDatasetGoldsSelfConsistent(t *testing.T) {
	ctx := context.Background()
	for name, golds := range datasetGolds(t) {
		parsed, reasons := 0, map[Reason]int{}
		for _, g := range golds {
			st := newState(ctx, Options{Timeout: 10 * time.Second})
			gn, err := st.parseAnswer(g)
			if err != nil {
				reasons[reasonOf(err, ReasonUnparsableGold)]++
				v := Answer(ctx, g, g, Options{Timeout: 10 * time.Second})
				if v.Reason == ReasonInternalError {
					t.Errorf("%s: internal error on %q", name, g)
				}
				continue
			}
			parsed++
			pn, _ := st.parseAnswer(g)
			pn.raw = "" // force the comparison
			eq, err := st.equal(gn, pn)
			if err != nil || !eq {
				t.Errorf("%s: gold %q not equal to itself (err %v)", name, g, err)
			}
			v := Answer(ctx, g, g, Options{Timeout: 10 * time.Second})
			if !v.Correct || v.Reason == ReasonInternalError {
				t.Errorf("%s: Answer(%q, itself) = %+v", name, g, v)
			}
			if _, _, err := Canonical(ctx, g, Options{}); err != nil {
				t.Errorf("%s: Canonical(%q): %v", name, g, err)
			}
		}
		share := float64(parsed) / float64(len(golds))
		t.Logf("%s: %d golds, %d parse (%.1f%%); unparsable by reason: %v", name, len(golds), parsed, 100*share, reasons)
		if share < 0.9 {
			t.Errorf("%s: only %.1f%% of golds parse", name, 100*share)
		}
	}
}

// TestNoInternalErrorOnCorpora runs every conformance pair in both
// directions and checks that no check panics (internal_error).
func TestNoInternalErrorOnCorpora(t *testing.T) {
	ctx := context.Background()
	for _, file := range confFiles {
		for _, c := range loadCases(t, file) {
			for _, pair := range [][2]string{{c.Gold, c.Pred}, {c.Pred, c.Gold}, {c.Gold, c.Gold}} {
				if v := Answer(ctx, pair[0], pair[1], Options{}); v.Reason == ReasonInternalError {
					t.Errorf("%s: internal error on %q vs %q", c.ID, pair[0], pair[1])
				}
				if _, _, err := Canonical(ctx, pair[0], Options{}); err != nil {
					var e *Error
					if asErr(err, &e) && e.Reason == ReasonInternalError {
						t.Errorf("%s: Canonical internal error on %q", c.ID, pair[0])
					}
				}
			}
		}
	}
}

func asErr(err error, target **Error) bool {
	e, ok := err.(*Error)
	if ok {
		*target = e
	}
	return ok
}
