package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// batchResult is one result of a /v1/reward/batch answer.
type batchResult struct {
	ID        any     `json:"id"`
	ProblemID string  `json:"problem_id"`
	Reward    float64 `json:"reward"`
	Correct   bool    `json:"correct"`
	Reason    string  `json:"reason"`
	Detail    string  `json:"detail"`
	Recorded  bool    `json:"recorded"`
	Retryable bool    `json:"retryable"`
}

type rewardResults struct {
	Results []batchResult `json:"results"`
}

// batchResults decodes the results of a /v1/reward/batch reply and fails
// the test unless it is a 200.
func batchResults(t *testing.T, r reply) []batchResult {
	t.Helper()
	var got rewardResults
	if err := json.Unmarshal(r.body, &got); err != nil || r.status != 200 {
		t.Fatalf("status %d, %v: %.300s", r.status, err, r.body)
	}
	return got.Results
}

func postBatch(t *testing.T, url, token, body string) (int, rewardResults) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/reward/batch", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out rewardResults
	json.NewDecoder(resp.Body).Decode(&out)
	return resp.StatusCode, out
}

// TestRecordOnlyWithStoredGold: an item with its own gold, a problem_id
// and record is invalid_item and records nothing, so that no client can
// move a problem's pass rate with a gold of its own; with the stored gold
// it records; with BIGMATH_API_TOKEN set, recording needs the token.
func TestRecordOnlyWithStoredGold(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	insertProblem(t, pool, "p_a", "5/9")
	rec := api.NewRecorder(store, api.RecorderOptions{FlushInterval: 10 * time.Millisecond})
	rec.Start()
	srv := newServer(t, api.Deps{Golds: store, Recorder: rec, APIToken: "tok"})

	items := make([]string, 50)
	for i := range items {
		items[i] = `{"problem_id":"p_a","gold":"7","response":"\\boxed{7}","record":true}`
	}
	code, out := postBatch(t, srv.URL, "tok", `{"items":[`+strings.Join(items, ",")+`]}`)
	if code != 200 || len(out.Results) != 50 {
		t.Fatalf("status %d, %d results", code, len(out.Results))
	}
	for i, r := range out.Results {
		if r.Reason != "invalid_item" || r.Recorded || r.Reward != 0 || !strings.Contains(r.Detail, "record") {
			t.Fatalf("item %d with its own gold and record: %+v, want invalid_item naming record, nothing recorded", i, r)
		}
	}
	// Without record, the item's gold is used (and nothing is recorded).
	if _, out := postBatch(t, srv.URL, "tok", `{"items":[{"problem_id":"p_a","gold":"7","response":"\\boxed{7}"}]}`); out.Results[0].Reason != "equal" || out.Results[0].Recorded {
		t.Errorf("gold and problem_id without record: %+v, want equal, not recorded", out.Results[0])
	}
	if _, out := postBatch(t, srv.URL, "tok", `{"items":[{"problem_id":"p_a","response":"\\boxed{5/9}","record":true}]}`); out.Results[0].Reason != "equal" || !out.Results[0].Recorded {
		t.Errorf("stored gold with record: %+v, want equal and recorded", out.Results[0])
	}
	if code, _ := postBatch(t, srv.URL, "", `{"items":[{"problem_id":"p_a","response":"\\boxed{5/9}","record":true}]}`); code != http.StatusUnauthorized {
		t.Errorf("recording without the API token: %d, want 401", code)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	var attempts, correct int64
	if err := pool.QueryRow(ctx, `SELECT attempts, correct FROM problems WHERE id = 'p_a'`).Scan(&attempts, &correct); err != nil {
		t.Fatal(err)
	}
	if attempts != 1 || correct != 1 {
		t.Errorf("p_a: %d attempts, %d correct; want only the stored-gold item's 1 and 1", attempts, correct)
	}
}

// TestProblemIDWithNUL: a problem_id with a NUL byte is the item's own
// problem (invalid_item naming problem_id), not "the database is
// unavailable".
func TestProblemIDWithNUL(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	srv := newServer(t, api.Deps{Golds: postgres.NewStore(pool)})
	code, out := postBatch(t, srv.URL, "", `{"items":[{"problem_id":"p\u0000a","response":"\\boxed{1}"},{"gold":"1","response":"\\boxed{1}"}]}`)
	if code != 200 || len(out.Results) != 2 {
		t.Fatalf("status %d, %d results", code, len(out.Results))
	}
	if r := out.Results[0]; r.Reason != "invalid_item" || !strings.Contains(r.Detail, "problem_id") {
		t.Errorf("problem_id with NUL: %+v, want invalid_item naming problem_id", r)
	}
	if out.Results[1].Reason != "equal" {
		t.Errorf("the good item beside it: %+v", out.Results[1])
	}
}

// TestBatchAnswersWithinItsTime sends a batch of costly items to a router
// whose checking time is 300 ms: it answers 200 within that time plus one
// item's deadline (and a margin for a loaded machine), every item not
// reached marked deadline_exceeded and retryable with reward 0, the others
// with a verdict.
func TestBatchAnswersWithinItsTime(t *testing.T) {
	t.Parallel()
	const batchTime, itemTime = 300 * time.Millisecond, 50 * time.Millisecond
	srv := newServer(t, api.Deps{BatchTimeout: batchTime, RewardTimeout: itemTime})
	item := `{"gold":"1","response":"\\boxed{\\tan(\\frac{\\pi}{2}-10^{-1000})}"}`
	items := strings.Repeat(item+",", 999) + item
	start := time.Now()
	code, out := postBatch(t, srv.URL, "", `{"items":[`+items+`]}`)
	took := time.Since(start)
	if code != 200 || len(out.Results) != 1000 {
		t.Fatalf("status %d, %d results; want 200 with 1000", code, len(out.Results))
	}
	if took > batchTime+2*itemTime+2*time.Second {
		t.Errorf("answered after %s, want within %s plus one item's deadline", took, batchTime)
	}
	late, checked := 0, 0
	for i, r := range out.Results {
		switch {
		case r.Reason == "deadline_exceeded":
			late++
			if !r.Retryable || r.Reward != 0 {
				t.Errorf("item %d: %+v, want retryable with reward 0", i, r)
			}
		case r.Retryable:
			t.Errorf("item %d: retryable with reason %s", i, r.Reason)
		default:
			checked++
		}
	}
	if late == 0 {
		t.Errorf("no item came back deadline_exceeded: 1000 items of up to %s each fit in %s?", itemTime, batchTime)
	}
	t.Logf("%d items checked, %d not reached, in %s", checked, late, took.Round(time.Millisecond))
}
