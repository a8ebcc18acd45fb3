package verify

import (
	"context"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/sharedtest"
	"github.com/bigmath/bigmath/internal/testutil"
)

// realResponse is one row of shared/conformance/real_responses_dev.jsonl: a
// real model response to a benchmark problem, with its gold and a hand
// label (expected) of whether the response's final answer is right; rows
// with expected null are unlabelled and not scored.
type realResponse struct {
	ID       string `json:"id"`
	Dataset  string `json:"dataset"`
	Problem  string `json:"problem"`
	Gold     string `json:"gold"`
	Response string `json:"response"`
	Expected *bool  `json:"expected"`
	Category string `json:"category"`
}

// loadRealResponses reads the real responses from ../shared at test time
// (skipping when the folder is absent).
func loadRealResponses(t testing.TB) []realResponse {
	t.Helper()
	return testutil.ReadJSONL[realResponse](t, sharedtest.Conformance(t, "real_responses_dev.jsonl"))
}

// TestRealResponses grades every labelled real response with Response and
// requires at least 97% agreement with the hand labels and no false
// positive (a wrong answer rewarded).
func TestRealResponses(t *testing.T) {
	rows := loadRealResponses(t)
	ctx := context.Background()
	right, labelled, falsePos := 0, 0, 0
	for _, r := range rows {
		if r.Expected == nil {
			continue
		}
		labelled++
		v := Response(ctx, r.Gold, r.Response, Options{Timeout: time.Second})
		if v.Reason == ReasonInternalError {
			t.Errorf("%s: internal error", r.ID)
		}
		switch {
		case v.Correct == *r.Expected:
			right++
		case v.Correct:
			falsePos++
			t.Errorf("FALSE POSITIVE %s (%s): gold %q, extracted %q", r.ID, r.Dataset, r.Gold, v.Extracted)
		default:
			t.Logf("miss %s (%s/%s): gold %q, extracted %q: %s", r.ID, r.Dataset, r.Category, r.Gold, v.Extracted, v.Reason)
		}
	}
	if labelled == 0 {
		t.Fatal("no labelled rows in real_responses_dev.jsonl")
	}
	checkAccuracy(t, "real responses", right, labelled, falsePos)
}
