package verify

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/internal/testutil"
)

// TestExtractGSM8KSolutions reads every GSM8K test solution (../shared, at
// test time) as a response and as a source solution: both must give the
// text of its "#### N" line, and that answer must grade as equal to the
// number.
func TestExtractGSM8KSolutions(t *testing.T) {
	ctx := context.Background()
	n := 0
	testutil.EachJSONL(t, sharedtest.Datasets(t, "gsm8k", "test.jsonl"), func(row map[string]any) {
		sol, _ := row["answer"].(string)
		problem, _ := row["question"].(string)
		i := strings.LastIndex(sol, "####")
		if i < 0 {
			t.Fatalf("gsm8k row without ####: %.60q", sol)
		}
		want := strings.TrimSpace(sol[i+4:])
		n++
		if got, ok := Extract(sol); !ok || got != want {
			t.Errorf("Extract(gsm8k solution ending %q) = %q, %v", want, got, ok)
		}
		if got, st := GoldFromSolution(ctx, problem, sol); st != GoldFound || got != want {
			t.Errorf("GoldFromSolution(gsm8k solution ending %q) = %q, %s", want, got, st)
		}
		if v := Response(ctx, want, sol, Options{Timeout: time.Second}); !v.Correct {
			t.Errorf("Response(gold %q, its own solution) = %s", want, v.Reason)
		}
	})
	t.Logf("gsm8k: %d test solutions read", n)
}

// TestExtractMATHSolutions grades every MATH-500 reference solution
// against the row's answer field, both as a response (Response, committing
// to one final answer) and as a source solution (GoldFromSolution), and
// counts the MATH test solutions whose gold GoldFromSolution finds, collects
// from several boxes or calls unclear.
func TestExtractMATHSolutions(t *testing.T) {
	ctx := context.Background()
	opts := Options{Timeout: time.Second}
	rows, asResponse, asGold := 0, 0, 0
	testutil.EachJSONL(t, sharedtest.Datasets(t, "math500", "test.jsonl"), func(row map[string]any) {
		problem, _ := row["problem"].(string)
		sol, _ := row["solution"].(string)
		answer, _ := row["answer"].(string)
		rows++
		if v := Response(ctx, answer, sol, opts); v.Correct {
			asResponse++
		} else {
			t.Logf("math500 as response: gold %q, extracted %q: %s", answer, v.Extracted, v.Reason)
		}
		if g, st := GoldFromSolution(ctx, problem, sol); st == GoldFound && Answer(ctx, answer, g, opts).Correct {
			asGold++
		} else {
			t.Logf("math500 as gold: answer %q, solution gives %q (%s)", answer, g, st)
		}
	})
	t.Logf("math500: %d rows; solution graded right as a response %d, as a gold %d", rows, asResponse, asGold)
	for name, got := range map[string]int{"as a response": asResponse, "as a gold": asGold} {
		if float64(got) < 0.98*float64(rows) {
			t.Errorf("math500 %s: only %d of %d solutions give the answer field", name, got, rows)
		}
	}

	status := map[GoldStatus]int{}
	collected := 0
	testutil.EachJSONL(t, sharedtest.Datasets(t, "math_test", "test.jsonl"), func(row map[string]any) {
		problem, _ := row["problem"].(string)
		sol, _ := row["solution"].(string)
		g, st := GoldFromSolution(ctx, problem, sol)
		status[st]++
		if st == GoldFound && strings.Count(sol, `\boxed`) > 1 && strings.Contains(g, ", ") && asksForAll(problem) {
			collected++
		}
	})
	t.Logf("math_test: GoldFromSolution statuses %v; %d golds collected from several boxes of a find-all problem", status, collected)
	if total := status[GoldFound] + status[GoldNone] + status[GoldUnclear]; float64(status[GoldFound]) < 0.98*float64(total) {
		t.Errorf("math_test: only %d of %d solutions give a gold", status[GoldFound], total)
	}
}
