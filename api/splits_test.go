package api_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/internal/testutil"
)

func post(path, body string) call {
	return call{method: http.MethodPost, path: path, body: body, validRequest: true}
}

// badPost is a POST the spec need not accept.
func badPost(path, body string) call { return call{method: http.MethodPost, path: path, body: body} }

// splitFixtures are 60 kept problems of alpha (difficulty 1..60) and 40 of
// beta (no difficulty), plus problems no default filter selects.
func splitFixtures() []testutil.Problem {
	var fs []testutil.Problem
	for i := range 60 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("a%03d", i), Source: "alpha", Domain: "algebra", Difficulty: new(float64(i + 1))})
	}
	for i := range 40 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("b%03d", i), Source: "beta", Domain: "geometry"})
	}
	return append(fs,
		testutil.Problem{ID: "x-dropped", Source: "beta", Status: "dropped", Reason: "proof"},
		testutil.Problem{ID: "x-dup", Source: "beta", DupOf: "b000", Cluster: "b000"},
		testutil.Problem{ID: "x-contaminated", Source: "alpha", Contaminated: []string{"aime24"}},
	)
}

func counts(tb testing.TB, r reply) map[string]any {
	tb.Helper()
	c, ok := r.json(tb)["counts"].(map[string]any)
	if !ok {
		tb.Fatalf("no counts: %.300s", r.body)
	}
	return c
}

// pick returns the entries of m whose keys are in want.
func pick(m, want map[string]any) map[string]any {
	out := map[string]any{}
	for k := range want {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

func TestSplitRoutes(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, splitFixtures())

	created := []struct {
		name, body string
		want       map[string]any
	}{
		// Parts come from the hash of each id (bigmath.Fractions.PartOfHash):
		// the shares hold up to sampling, so only totals are fixed here
		// (the postgres tests check the parts against the hash).
		{"plain", `{"name":"plain","seed":3,"fractions":{"train":0.8,"validation":0.1,"test":0.1}}`,
			map[string]any{"total": 100.0}},
		{"by-source", `{"name":"by-source","fractions":{"train":0.5,"validation":0.3,"test":0.2},"stratify":"source"}`,
			map[string]any{"total": 100.0}},
		{"by-difficulty", `{"name":"by-difficulty","fractions":{"train":0.5,"test":0.5},"stratify":"difficulty"}`,
			map[string]any{"validation": 0.0, "total": 100.0}},
		{"filtered", `{"name":"filtered","filter":{"source":"alpha","min_difficulty":11,"include_contaminated":true},"fractions":{"train":1}}`,
			map[string]any{"train": 50.0, "validation": 0.0, "test": 0.0, "total": 50.0}},
		{"filter lists", `{"name":"lists","filter":{"source":["alpha","beta"],"domain":["geometry"],"status":"all"},"fractions":{"test":1}}`,
			map[string]any{"train": 0.0, "validation": 0.0, "test": 40.0, "total": 40.0}},
	}
	for _, tc := range created {
		t.Run("create "+tc.name, func(t *testing.T) {
			r := do(t, srv, post("/v1/splits", tc.body))
			if r.status != http.StatusCreated {
				t.Fatalf("POST /v1/splits %s = %d %s", tc.body, r.status, r.body)
			}
			if diff := cmp.Diff(tc.want, pick(counts(t, r), tc.want)); diff != "" {
				t.Errorf("counts (-want +got):\n%s", diff)
			}
			c := counts(t, r)
			if c["train"].(float64)+c["validation"].(float64)+c["test"].(float64) != c["total"] {
				t.Errorf("counts %v do not add up", c)
			}
			latest := r.json(t)["latest"].(map[string]any)
			if latest["version"] != 1.0 || len(latest["content_hash"].(string)) != 64 {
				t.Errorf("POST: latest version %v, want version 1 with a sha256", latest)
			}
			name := r.json(t)["name"].(string)
			if loc := r.header.Get("Location"); loc != "/v1/splits/"+name {
				t.Errorf("Location = %q", loc)
			}
			g := do(t, srv, get("/v1/splits/"+name))
			if g.status != http.StatusOK {
				t.Fatalf("GET /v1/splits/%s = %d %s", name, g.status, g.body)
			}
			if diff := cmp.Diff(counts(t, r), counts(t, g)); diff != "" {
				t.Errorf("GET counts (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("saved definition", func(t *testing.T) {
		s := do(t, srv, get("/v1/splits/filtered")).json(t)
		f := s["filter"].(map[string]any)
		if diff := cmp.Diff(map[string]any{"source": []any{"alpha"}, "min_difficulty": 11.0, "include_contaminated": true}, f); diff != "" {
			t.Errorf("filter (-want +got):\n%s", diff)
		}
		if s["fractions"].(map[string]any)["train"] != 1.0 || s["seed"] != 0.0 || s["stratify"] != "" || s["created_at"] == "" {
			t.Errorf("split = %v", s)
		}
	})

	t.Run("list", func(t *testing.T) {
		r := do(t, srv, get("/v1/splits"))
		var names []string
		for _, s := range r.json(t)["splits"].([]any) {
			names = append(names, s.(map[string]any)["name"].(string))
		}
		if diff := cmp.Diff([]string{"by-difficulty", "by-source", "filtered", "lists", "plain"}, names); diff != "" {
			t.Errorf("GET /v1/splits names (-want +got):\n%s", diff)
		}
	})

	t.Run("duplicate name", func(t *testing.T) {
		r := do(t, srv, post("/v1/splits", `{"name":"plain","fractions":{"train":1}}`))
		r.wantError(t, "POST an existing name", http.StatusConflict, "conflict", "name")
	})

	t.Run("unknown split", func(t *testing.T) {
		for _, path := range []string{"/v1/splits/nope", "/v1/splits/nope/export", "/v1/splits/nope/export?format=parquet&part=test"} {
			r := do(t, srv, get(path))
			r.wantError(t, "GET "+path, http.StatusNotFound, "not_found", "")
			if cd := r.header.Get("Content-Disposition"); cd != "" {
				t.Errorf("GET %s: a 404 with Content-Disposition %q", path, cd)
			}
		}
	})

	bad := []struct {
		name, body, code, field string
	}{
		{"malformed JSON", `{"name":"x",`, "invalid_json", ""},
		{"not an object", `["x"]`, "invalid_json", ""},
		{"empty body", ``, "invalid_json", ""},
		{"trailing data", `{"name":"x","fractions":{"train":1}} {}`, "invalid_json", ""},
		{"missing name", `{"fractions":{"train":1}}`, "invalid_request", "name"},
		{"name with a slash", `{"name":"a/b","fractions":{"train":1}}`, "invalid_request", "name"},
		{"name too long", `{"name":"` + strings.Repeat("n", 65) + `","fractions":{"train":1}}`, "invalid_request", "name"},
		{"name not a string", `{"name":5,"fractions":{"train":1}}`, "invalid_type", "name"},
		{"missing fractions", `{"name":"x"}`, "invalid_request", "fractions"},
		{"fractions not summing to 1", `{"name":"x","fractions":{"train":0.5,"test":0.2}}`, "invalid_request", "fractions"},
		{"fraction above 1", `{"name":"x","fractions":{"train":1.5}}`, "invalid_request", "fractions.train"},
		{"negative fraction", `{"name":"x","fractions":{"train":0.6,"validation":0.6,"test":-0.2}}`, "invalid_request", "fractions.test"},
		{"fraction a string", `{"name":"x","fractions":{"train":"all"}}`, "invalid_type", "fractions.train"},
		{"unknown part", `{"name":"x","fractions":{"train":0.5,"dev":0.5}}`, "invalid_request", "dev"},
		{"seed not an integer", `{"name":"x","seed":1.5,"fractions":{"train":1}}`, "invalid_type", "seed"},
		{"stratify unknown", `{"name":"x","fractions":{"train":1},"stratify":"level"}`, "invalid_request", "stratify"},
		{"filter typo", `{"name":"x","filter":{"sorce":"a"},"fractions":{"train":1}}`, "invalid_request", "sorce"},
		{"filter status", `{"name":"x","filter":{"status":"gone"},"fractions":{"train":1}}`, "invalid_request", "filter.status"},
		{"filter source a number", `{"name":"x","filter":{"source":3},"fractions":{"train":1}}`, "invalid_type", "filter.source"},
		{"filter min above max", `{"name":"x","filter":{"min_difficulty":3,"max_difficulty":1},"fractions":{"train":1}}`, "invalid_request", "filter.min_difficulty"},
		{"filter pass rate above 1", `{"name":"x","filter":{"max_pass_rate":2},"fractions":{"train":1}}`, "invalid_request", "filter.max_pass_rate"},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.name, func(t *testing.T) {
			r := do(t, srv, badPost("/v1/splits", tc.body))
			code, field, msg := r.errorOf(t)
			if r.status != http.StatusBadRequest || code != tc.code || field != tc.field || msg == "" {
				t.Errorf("POST /v1/splits %s = %d %s, want 400 %s on %q", tc.body, r.status, r.body, tc.code, tc.field)
			}
		})
	}
	if r := do(t, srv, get("/v1/splits/x")); r.status != http.StatusNotFound {
		t.Errorf("a rejected split was saved: GET /v1/splits/x = %d", r.status)
	}
}

func TestCreateSplitNeedsTheAdminToken(t *testing.T) {
	t.Parallel()
	srv, _ := corpusServer(t, func(d *api.Deps) { d.AdminToken = "admin-secret"; d.APIToken = "reader" })
	body := `{"name":"s","fractions":{"train":1}}`
	tests := []struct {
		name, auth string
		status     int
	}{
		{"no token", "", http.StatusUnauthorized},
		{"the read token", "Bearer reader", http.StatusForbidden},
		{"a wrong token", "Bearer guess", http.StatusUnauthorized},
		{"the admin token", "Bearer admin-secret", http.StatusCreated},
	}
	for _, tc := range tests {
		if r := do(t, srv, post("/v1/splits", body).auth(tc.auth)); r.status != tc.status {
			t.Errorf("POST /v1/splits with %s = %d %s, want %d", tc.name, r.status, r.body, tc.status)
		}
	}
	// So does freezing a new version.
	for _, tc := range tests {
		if r := do(t, srv, post("/v1/splits/s/versions", ``).auth(tc.auth)); r.status != tc.status {
			t.Errorf("POST /v1/splits/s/versions with %s = %d %s, want %d", tc.name, r.status, r.body, tc.status)
		}
	}
	// Reading splits needs only the read token.
	if r := do(t, srv, get("/v1/splits/s").auth("Bearer reader")); r.status != http.StatusOK {
		t.Errorf("GET /v1/splits/s with the read token = %d %s", r.status, r.body)
	}
}

func TestCreateSplitBodyLimit(t *testing.T) {
	t.Parallel()
	srv, _ := corpusServer(t, func(d *api.Deps) { d.BodyLimit = 200 })
	body := `{"name":"big","filter":{"q":"` + strings.Repeat("x", 300) + `"},"fractions":{"train":1}}`
	r := do(t, srv, badPost("/v1/splits", body))
	r.wantError(t, fmt.Sprintf("POST /v1/splits with %d bytes over a 200-byte limit", len(body)), http.StatusRequestEntityTooLarge, "body_too_large", "")
	if r := do(t, srv, get("/v1/splits/big")); r.status != http.StatusNotFound {
		t.Errorf("the oversized split was saved: GET = %d", r.status)
	}
}
