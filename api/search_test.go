package api_test

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestProblemsSearchRoute(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{
		{ID: "s1", Source: "alpha", Text: "Prime, prime, prime: is the number 7 prime?"},
		{ID: "s2", Source: "alpha", Text: "Let a be a prime number. Find a."},
		{ID: "s3", Source: "beta", Text: "The number seven is odd."},
		{ID: "s4", Source: "beta", Text: "Is 91 prime?"},
	})
	var got []string
	var ranks []float64
	path := "/v1/problems?limit=1&q=" + url.QueryEscape("prime")
	for next := ""; ; {
		p := path
		if next != "" {
			p += "&cursor=" + next
		}
		r := do(t, srv, get(p))
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d %s", p, r.status, r.body)
		}
		body := r.json(t)
		for _, pr := range body["problems"].([]any) {
			m := pr.(map[string]any)
			got = append(got, m["id"].(string))
			rank, _ := m["rank"].(float64)
			ranks = append(ranks, rank)
		}
		n, ok := body["next_cursor"].(string)
		if !ok || len(got) > 10 {
			break
		}
		next = n
	}
	if diff := cmp.Diff([]string{"s1", "s2", "s4"}, got); diff != "" {
		t.Errorf("pages of q=prime (-want +got):\n%s", diff)
	}
	if len(ranks) != 3 || ranks[0] <= ranks[1] || ranks[1] != ranks[2] || ranks[2] <= 0 {
		t.Errorf("ranks %v: want s1 first, s2 and s4 tied", ranks)
	}
	// A cursor of an unranked listing is no cursor of a search.
	plain := base64.RawURLEncoding.EncodeToString([]byte("s1"))
	if r := do(t, srv, badGet("/v1/problems?q=prime&cursor="+plain)); r.status != http.StatusBadRequest {
		t.Errorf("q=prime with an id cursor = %d %s, want 400", r.status, r.body)
	}
	if r := do(t, srv, get("/v1/problems?q=seven")); len(problemIDs(t, r)) != 1 {
		t.Errorf("q=seven = %s", r.body)
	}
	if r := do(t, srv, get("/v1/problems")); r.json(t)["problems"].([]any)[0].(map[string]any)["rank"] != nil {
		t.Error("an unranked listing has ranks")
	}
}
