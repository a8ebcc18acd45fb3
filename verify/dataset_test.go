package verify

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// datasetDir holds the shared real datasets (see its README).
const datasetDir = "/work/shared/datasets"

// lastBoxed returns the content of the last \boxed{...} in s.
func lastBoxed(s string) (string, bool) {
	i := strings.LastIndex(s, `\boxed{`)
	if i < 0 {
		return "", false
	}
	open := i + len(`\boxed`)
	end := matchBrace(s, open)
	if end < 0 {
		return "", false
	}
	return s[open+1 : end], true
}

// datasetGolds reads the gold answers of the real datasets: math500
// "answer" fields, the last \boxed{} of every MATH test solution, the
// "#### N" of GSM8K test answers and the DeepScaleR test answers.
func datasetGolds(t testing.TB) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	read := func(name, path string, pick func(map[string]any) (string, bool)) {
		f, err := os.Open(path)
		if err != nil {
			t.Skipf("dataset %s not available: %v", path, err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		sc.Buffer(make([]byte, 1<<20), 1<<24)
		for sc.Scan() {
			var row map[string]any
			if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if g, ok := pick(row); ok {
				out[name] = append(out[name], g)
			}
		}
		if err := sc.Err(); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	read("math500", filepath.Join(datasetDir, "math500", "test.jsonl"), func(r map[string]any) (string, bool) {
		s, ok := r["answer"].(string)
		return s, ok
	})
	read("math_test", filepath.Join(datasetDir, "math_test", "test.jsonl"), func(r map[string]any) (string, bool) {
		s, _ := r["solution"].(string)
		return lastBoxed(s)
	})
	read("gsm8k", filepath.Join(datasetDir, "gsm8k", "test.jsonl"), func(r map[string]any) (string, bool) {
		s, _ := r["answer"].(string)
		i := strings.LastIndex(s, "#### ")
		if i < 0 {
			return "", false
		}
		return strings.TrimSpace(s[i+5:]), true
	})
	for _, f := range []string{"math", "aime", "amc"} {
		path := filepath.Join(datasetDir, "deepscaler", "test", f+".json")
		b, err := os.ReadFile(path)
		if err != nil {
			t.Skipf("dataset %s not available: %v", path, err)
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
