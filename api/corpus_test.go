package api_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// insertCorpus inserts the fixtures and their sources with plain SQL.
func insertCorpus(tb testing.TB, pool *pgxpool.Pool, fs []testutil.Problem) {
	tb.Helper()
	testutil.InsertProblems(tb, pool, fs, corpusColumns)
}

// corpusColumns gives a fixture the lineage, solution, answer, verdicts and
// extra the corpus tests read back (a dropped one dropped by classify).
func corpusColumns(p *testutil.Problem) {
	if p.Status == "dropped" {
		p.Stage = "classify"
	}
	p.SourceLicense, p.Revision, p.RowKey, p.License, p.RawHash = "MIT", "rev1", "row-"+p.ID, "MIT", []byte{0xbe, 0xef}
	p.RawSuffix, p.Solution, p.AnswerRaw, p.AnswerCanonical = "\n", "Because.", `\frac{1}{2}`, "1/2"
	p.Verdicts = `[{"stage":"normalize","pass":true,"reason":""},{"stage":"classify","pass":true,"reason":""}]`
	p.Extra = `{"topic":"x"}`
}

// corpusServer starts the real router on a fresh database.
func corpusServer(tb testing.TB, tweak func(*api.Deps)) (*httptest.Server, *pgxpool.Pool) {
	tb.Helper()
	pool := pgtest.New(tb)
	d := api.Deps{Corpus: postgres.NewStore(pool)}
	if tweak != nil {
		tweak(&d)
	}
	srv := httptest.NewServer(api.NewRouter(d))
	tb.Cleanup(srv.Close)
	return srv, pool
}

// splitServer serves splitFixtures with the split that body (a POST
// /v1/splits body) creates.
func splitServer(t *testing.T, body string) (*httptest.Server, *pgxpool.Pool) {
	t.Helper()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, splitFixtures())
	if r := do(t, srv, post("/v1/splits", body)); r.status != http.StatusCreated {
		t.Fatalf("POST /v1/splits = %d %s", r.status, r.body)
	}
	return srv, pool
}

func get(path string) call { return call{method: http.MethodGet, path: path, validRequest: true} }

// badGet is a GET the spec need not accept.
func badGet(path string) call { return call{method: http.MethodGet, path: path} }

func problemIDs(tb testing.TB, r reply) []string {
	tb.Helper()
	ps, ok := r.json(tb)["problems"].([]any)
	if !ok {
		tb.Fatalf("no problems list: %.300s", r.body)
	}
	out := []string{}
	for _, p := range ps {
		out = append(out, p.(map[string]any)["id"].(string))
	}
	return out
}

func TestProblemsRoute(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{
		{ID: "a1", Source: "alpha", Domain: "algebra", Difficulty: new(1.0), Text: "Solve x+1=2, 100% sure"},
		{ID: "a2", Source: "alpha", Domain: "geometry", Difficulty: new(3.0), Kind: "rational", Attempts: 4, Correct: 1},
		{ID: "a3", Source: "alpha", Status: "dropped", Reason: "proof"},
		{ID: "a4", Source: "alpha", DupOf: "a1", Cluster: "a1"},
		{ID: "b1", Source: "beta", Domain: "algebra", Difficulty: new(5.0), Attempts: 2, Correct: 2},
		{ID: "b2", Source: "beta", Contaminated: []string{"math500"}},
		{ID: "b3", Source: "beta", Status: "pending"},
	})

	tests := []struct {
		name, query string
		want        []string
	}{
		{"default: kept, canonical, clean", "", []string{"a1", "a2", "b1"}},
		{"status dropped", "status=dropped", []string{"a3", "a4"}},
		{"status all, contaminated too", "status=all&include_contaminated=true", []string{"a1", "a2", "a3", "a4", "b1", "b2", "b3"}},
		{"source repeated", "source=beta&source=alpha", []string{"a1", "a2", "b1"}},
		{"source comma-separated", "source=beta,gamma", []string{"b1"}},
		{"domain and kind", "domain=algebra,geometry&kind=rational", []string{"a2"}},
		{"difficulty", "min_difficulty=2&max_difficulty=5", []string{"a2", "b1"}},
		{"pass rate", "min_pass_rate=0.5", []string{"b1"}},
		{"pass rate skips problems without attempts", "max_pass_rate=1", []string{"a2", "b1"}},
		{"text search is literal", "q=" + url.QueryEscape("100%"), []string{"a1"}},
		{"text search wildcard is not one", "q=_", []string{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, get("/v1/problems?"+tc.query))
			if r.status != http.StatusOK {
				t.Fatalf("GET /v1/problems?%s = %d %s", tc.query, r.status, r.body)
			}
			if diff := cmp.Diff(tc.want, problemIDs(t, r)); diff != "" {
				t.Errorf("GET /v1/problems?%s ids (-want +got):\n%s", tc.query, diff)
			}
		})
	}

	t.Run("summary fields", func(t *testing.T) {
		r := do(t, srv, get("/v1/problems?source=alpha&kind=rational"))
		p := r.json(t)["problems"].([]any)[0].(map[string]any)
		if p["pass_rate"] != 0.25 || p["attempts"] != 4.0 || p["source"] != "alpha" || p["problem"] != "What is a2?" ||
			p["answer"].(map[string]any)["canonical"] != "1/2" || p["difficulty"] != 3.0 || p["duplicate_of"] != nil {
			t.Errorf("summary of a2 = %v", p)
		}
	})

	t.Run("keyset pages", func(t *testing.T) {
		var got []string
		path := "/v1/problems?status=all&include_contaminated=true&limit=3"
		for pages := 0; ; pages++ {
			if pages > 5 {
				t.Fatal("more than 5 pages of 3 for 7 problems")
			}
			r := do(t, srv, get(path))
			if r.status != http.StatusOK {
				t.Fatalf("GET %s = %d %s", path, r.status, r.body)
			}
			got = append(got, problemIDs(t, r)...)
			next, _ := r.json(t)["next_cursor"].(string)
			if next == "" {
				break
			}
			path = "/v1/problems?status=all&include_contaminated=true&limit=3&cursor=" + url.QueryEscape(next)
		}
		if diff := cmp.Diff([]string{"a1", "a2", "a3", "a4", "b1", "b2", "b3"}, got); diff != "" {
			t.Errorf("pages (-want +got):\n%s", diff)
		}
		// A full last page still says there is no next one.
		r := do(t, srv, get("/v1/problems?limit=3"))
		if r.json(t)["next_cursor"] != nil {
			t.Errorf("next_cursor after exactly 3 of 3 = %v, want null", r.json(t)["next_cursor"])
		}
	})

	bad := []struct {
		name, query, code, field string
	}{
		{"limit zero", "limit=0", "invalid_request", "limit"},
		{"limit over 1000", "limit=1001", "invalid_request", "limit"},
		{"limit not a number", "limit=x", "invalid_request", "limit"},
		{"limit twice", "limit=1&limit=2", "invalid_request", "limit"},
		{"min_difficulty not a number", "min_difficulty=hard", "invalid_request", "min_difficulty"},
		{"min_difficulty NaN", "min_difficulty=NaN", "invalid_request", "min_difficulty"},
		{"min above max", "min_difficulty=5&max_difficulty=1", "invalid_request", "min_difficulty"},
		{"pass rate above 1", "min_pass_rate=1.5", "invalid_request", "min_pass_rate"},
		{"pass rate negative", "max_pass_rate=-0.1", "invalid_request", "max_pass_rate"},
		{"status unknown", "status=gone", "invalid_request", "status"},
		{"include_contaminated not a bool", "include_contaminated=maybe", "invalid_request", "include_contaminated"},
		{"unknown parameter", "min_dificulty=1", "invalid_request", "min_dificulty"},
		{"cursor not base64", "cursor=%21%21%21", "invalid_request", "cursor"},
		{"q too long", "q=" + strings.Repeat("x", 501), "invalid_request", "q"},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.name, func(t *testing.T) {
			r := do(t, srv, badGet("/v1/problems?"+tc.query))
			code, field, msg := r.errorOf(t)
			if r.status != http.StatusBadRequest || code != tc.code || field != tc.field || msg == "" {
				t.Errorf("GET /v1/problems?%s = %d %s, want 400 %s on %s", tc.query, r.status, r.body, tc.code, tc.field)
			}
		})
	}
}

func TestProblemRoute(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	fs := []testutil.Problem{{ID: "c1", Source: "alpha", Cluster: "c1", Difficulty: new(2.0), Attempts: 3, Correct: 3}}
	for i := range 120 {
		fs = append(fs, testutil.Problem{ID: fmt.Sprintf("d%03d", i), Source: "beta", Cluster: "c1", DupOf: "c1", Contaminated: []string{"aime24"}})
	}
	insertCorpus(t, pool, fs)

	r := do(t, srv, get("/v1/problems/c1"))
	if r.status != http.StatusOK {
		t.Fatalf("GET /v1/problems/c1 = %d %s", r.status, r.body)
	}
	p := r.json(t)
	lineage := p["lineage"].(map[string]any)
	if lineage["source"] != "alpha" || lineage["raw_hash"] != "beef" || lineage["row_key"] != "row-c1" ||
		lineage["source_revision"] != "rev1" || lineage["license"] != "MIT" {
		t.Errorf("lineage = %v", lineage)
	}
	text := p["text"].(map[string]any)
	if text["raw"] != "What is c1?\n" || text["normalized"] != "What is c1?" || p["solution"] != "Because." {
		t.Errorf("text = %v, solution %v", text, p["solution"])
	}
	if v := p["verdicts"].([]any); len(v) != 2 || v[1].(map[string]any)["stage"] != "classify" {
		t.Errorf("verdicts = %v", v)
	}
	cluster := p["cluster"].(map[string]any)
	members := cluster["members"].([]any)
	if cluster["cluster_id"] != "c1" || cluster["duplicate_of"] != nil || cluster["members_total"] != 120.0 ||
		len(members) != api.MaxClusterMembers || members[0] != "d000" {
		t.Errorf("cluster = %v (members: %d)", cluster, len(members))
	}
	if p["attempts"] != 3.0 || p["correct"] != 3.0 || p["pass_rate"] != 1.0 || p["extra"].(map[string]any)["topic"] != "x" {
		t.Errorf("attempts, correct, pass_rate, extra = %v %v %v %v", p["attempts"], p["correct"], p["pass_rate"], p["extra"])
	}

	r = do(t, srv, get("/v1/problems/d005"))
	d := r.json(t)
	if d["duplicate_of"] != "c1" || d["contaminated"].([]any)[0] != "aime24" || d["pass_rate"] != nil {
		t.Errorf("GET /v1/problems/d005 = %s", r.body)
	}
	if c := d["cluster"].(map[string]any); c["members"].([]any)[0] != "c1" || c["members_total"] != 120.0 {
		t.Errorf("cluster of d005 = %v", c)
	}
	// The links of the cluster carry the edits that explain them.
	if _, err := pool.Exec(context.Background(), `INSERT INTO problem_links (a, b, similarity, edits)
		VALUES ('d005', 'c1', 0.85, '{rename:Natalie->Maria,unit:km->kilometers}'), ('d006', 'd007', 1, '{}')`); err != nil {
		t.Fatal(err)
	}
	d = do(t, srv, get("/v1/problems/d005")).json(t)
	links := d["cluster"].(map[string]any)["links"].([]any)
	if len(links) != 2 {
		t.Fatalf("links of d005 = %v, want the two links among d005 and its listed members", links)
	}
	l := links[0].(map[string]any)
	if e := l["edits"].([]any); l["a"] != "d005" || l["b"] != "c1" || l["similarity"] != 0.85 || len(e) != 2 || e[0] != "rename:Natalie->Maria" {
		t.Errorf("link = %v", l)
	}

	r = do(t, srv, get("/v1/problems/p_nope"))
	r.wantError(t, "GET /v1/problems/p_nope", http.StatusNotFound, "not_found", "")
}

func TestStatsRoute(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{
		{ID: "a1", Source: "alpha"},
		{ID: "a2", Source: "alpha", Status: "dropped", Reason: "proof"},
		{ID: "b1", Source: "beta", Contaminated: []string{"math500"}},
	})
	r := do(t, srv, get("/v1/stats"))
	if r.status != http.StatusOK {
		t.Fatalf("GET /v1/stats = %d %s", r.status, r.body)
	}
	f := r.json(t)
	total := f["total"].(map[string]any)
	if total["rows"] != 3.0 || total["kept"] != 1.0 {
		t.Errorf("total = %v, want 3 rows, 1 kept", total)
	}
	sources := f["sources"].([]any)
	if len(sources) != 2 || sources[0].(map[string]any)["dropped"].(map[string]any)["proof"] != 1.0 {
		t.Errorf("sources = %v", sources)
	}
	r = do(t, srv, badGet("/v1/stats?x=1"))
	r.wantError(t, "GET /v1/stats?x=1", http.StatusBadRequest, "", "x")
}

func TestCorpusRoutesNeedTheAPIToken(t *testing.T) {
	t.Parallel()
	srv, _ := corpusServer(t, func(d *api.Deps) { d.APIToken = "reader" })
	for _, path := range []string{"/v1/problems", "/v1/problems/x", "/v1/splits", "/v1/splits/x", "/v1/splits/x/export", "/v1/stats"} {
		r := do(t, srv, badGet(path))
		r.wantError(t, "GET "+path+" without a token", http.StatusUnauthorized, "unauthorized", "")
	}
	if r := do(t, srv, get("/v1/problems").auth("Bearer reader")); r.status != http.StatusOK {
		t.Errorf("GET /v1/problems with the token = %d %s", r.status, r.body)
	}
}

// TestProblemsRouteDerived checks that problems derived from others (a
// recovered multiple-choice problem) say so, and that the derived filter
// includes, excludes or takes only them.
func TestProblemsRouteDerived(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{
		{ID: "a1", Source: "alpha"},
		{ID: "m1", Source: "alpha", Status: "dropped", Reason: "multiple_choice", Text: "What is 2+3? (A) 4 (B) 5 (C) 6"},
		{ID: "m1d", Source: "alpha", Text: "What is 2+3?"},
	})
	if _, err := pool.Exec(context.Background(), `UPDATE problems SET derived_from = 'm1', transform = 'mc_reformulated',
		original_text = 'What is 2+3? (A) 4 (B) 5 (C) 6' WHERE id = 'm1d'`); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		query string
		want  []string
	}{
		{"", []string{"a1", "m1d"}},
		{"derived=include", []string{"a1", "m1d"}},
		{"derived=exclude", []string{"a1"}},
		{"derived=only", []string{"m1d"}},
		{"derived=only&status=all", []string{"m1d"}},
	} {
		r := do(t, srv, get("/v1/problems?"+tc.query))
		if r.status != http.StatusOK {
			t.Fatalf("GET /v1/problems?%s = %d %s", tc.query, r.status, r.body)
		}
		if diff := cmp.Diff(tc.want, problemIDs(t, r)); diff != "" {
			t.Errorf("GET /v1/problems?%s ids (-want +got):\n%s", tc.query, diff)
		}
	}
	r := do(t, srv, get("/v1/problems"))
	for _, p := range r.json(t)["problems"].([]any) {
		m := p.(map[string]any)
		switch m["id"] {
		case "a1":
			if m["derived_from"] != nil || m["transform"] != nil {
				t.Errorf("a1 says it is derived: %v", m)
			}
		case "m1d":
			if m["derived_from"] != "m1" || m["transform"] != "mc_reformulated" {
				t.Errorf("m1d does not say it is derived: %v", m)
			}
		}
	}
	r = do(t, srv, get("/v1/problems/m1d"))
	if l := r.json(t)["lineage"].(map[string]any); l["original_text"] != "What is 2+3? (A) 4 (B) 5 (C) 6" {
		t.Errorf("lineage of m1d = %v", l)
	}
	r = do(t, srv, get("/v1/problems/a1"))
	if l := r.json(t)["lineage"].(map[string]any); l["original_text"] != nil {
		t.Errorf("lineage of a1 = %v", l)
	}
	r = do(t, srv, badGet("/v1/problems?derived=some"))
	if code, field, _ := r.errorOf(t); r.status != http.StatusBadRequest || code != "invalid_request" || field != "derived" {
		t.Errorf("GET /v1/problems?derived=some = %d %s, want 400 on derived", r.status, r.body)
	}
}

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

// TestBadParameters sends NUL bytes, bytes that are not UTF-8 and a garbage
// cursor in every kind of parameter, to the real router on a real database:
// each is a 400 naming the parameter, never a 500.
func TestBadParameters(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{{ID: "p1", Source: "s1"}})
	garbage := base64.RawURLEncoding.EncodeToString([]byte("\x00\xff\xfe"))
	tests := []struct {
		name, path, field string
	}{
		{"NUL in q", "/v1/problems?q=a%00b", "q"},
		{"invalid UTF-8 in q", "/v1/problems?q=%ff%fe", "q"},
		{"NUL in source", "/v1/problems?source=s%001", "source"},
		{"invalid UTF-8 in source", "/v1/problems?source=%c3%28", "source"},
		{"NUL in a problem id", "/v1/problems/p%001", "id"},
		{"invalid UTF-8 in a problem id", "/v1/problems/%ff", "id"},
		{"NUL in a split name", "/v1/splits/s%00", "name"},
		{"invalid UTF-8 in a split name", "/v1/splits/%80x", "name"},
		{"NUL in a split export", "/v1/splits/s%00/export", "name"},
		{"garbage cursor", "/v1/problems?cursor=" + garbage, "cursor"},
		{"cursor not percent-decodable", "/v1/problems?cursor=%%%", "cursor"},
		{"name not percent-decodable", "/v1/problems?%zz=1", "%zz"},
		{"NUL in a parameter name", "/v1/problems?a%00=1", "a\x00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error struct{ Code, Message, Field string }
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("GET %s: status %d, body not the JSON error shape: %v", tc.path, resp.StatusCode, err)
			}
			if resp.StatusCode != http.StatusBadRequest || body.Error.Field != tc.field {
				t.Errorf("GET %s = %d field %q (%s); want 400 naming %q", tc.path, resp.StatusCode, body.Error.Field, body.Error.Message, tc.field)
			}
		})
	}
	// The good forms still work.
	for _, path := range []string{"/v1/problems?q=What&source=s1", "/v1/problems/p1", "/v1/problems?q=%C3%A9"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
}
