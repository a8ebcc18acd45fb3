package api_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/api"
)

// acceptingStore is a CorpusStore that accepts whatever reaches it, so that
// the fuzz tests exercise only the request parsing in front of it.
type acceptingStore struct {
	api.CorpusStore
}

func (acceptingStore) ListProblems(_ context.Context, f bigmath.ProblemFilter, _ bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return []bigmath.Problem{}, nil
}

func (acceptingStore) CreateSplit(_ context.Context, s bigmath.Split) (bigmath.Split, error) {
	return s, s.Validate()
}

func (acceptingStore) GetSplitVersion(_ context.Context, name string, _ int) (bigmath.SplitVersion, error) {
	return bigmath.SplitVersion{Split: name, Version: 1}, nil
}

// checkAnswer fails unless the answer is a success or a 4xx with the JSON
// error shape (a field named for 400s that are about one parameter).
func checkAnswer(t *testing.T, input string, w *httptest.ResponseRecorder, ok int) {
	t.Helper()
	if w.Code == ok {
		return
	}
	if w.Code < 400 || w.Code >= 500 {
		t.Fatalf("input %q: status %d %s, want %d or a 4xx", input, w.Code, w.Body, ok)
	}
	var body struct {
		Error struct{ Code, Message, Field string } `json:"error"`
	}
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Code == "" || body.Error.Message == "" {
		t.Fatalf("input %q: %d with a body that is not the error shape: %s", input, w.Code, w.Body)
	}
	if body.Error.Code == "invalid_request" && body.Error.Field == "" {
		t.Fatalf("input %q: invalid_request names no field: %s", input, w.Body)
	}
}

func FuzzProblemsQuery(f *testing.F) {
	for _, seed := range []string{
		"", "limit=10", "limit=0", "limit=x", "source=a,b&source=c", "min_difficulty=1e308&max_difficulty=-1e308",
		"min_pass_rate=NaN", "status=all&include_contaminated=1", "q=%25_%5C", "cursor=cDE", "cursor=%%%", "a=b", "limit=1&limit=2",
	} {
		f.Add(seed)
	}
	r := api.NewRouter(api.Deps{Corpus: acceptingStore{}})
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/v1/problems", nil)
		req.URL.RawQuery = query
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		checkAnswer(t, query, w, http.StatusOK)
	})
}

func FuzzCreateSplitBody(f *testing.F) {
	for _, seed := range []string{
		`{"name":"s","fractions":{"train":1}}`,
		`{"name":"s","filter":{"source":["a"],"min_pass_rate":0.5},"seed":-3,"fractions":{"train":0.5,"test":0.5},"stratify":"source"}`,
		`{"name":"s","fractions":{"train":0.3333333333,"validation":0.3333333333,"test":0.3333333334}}`,
		`{"name":"","fractions":{}}`, `{"filter":{"source":{}}}`, `[]`, `null`, `{"name":"s"} x`, `{"seed":1e400}`,
	} {
		f.Add(seed)
	}
	r := api.NewRouter(api.Deps{Corpus: acceptingStore{}})
	f.Fuzz(func(t *testing.T, body string) {
		req := httptest.NewRequest(http.MethodPost, "/v1/splits", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		checkAnswer(t, body, w, http.StatusCreated)
	})
}
