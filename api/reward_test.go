package api_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

func newServer(tb testing.TB, d api.Deps) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(api.NewRouter(d))
	tb.Cleanup(srv.Close)
	return srv
}

// insertProblem adds a kept problem with the given gold answer.
func insertProblem(tb testing.TB, pool *pgxpool.Pool, id, gold string) {
	tb.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role) VALUES ('test', 'corpus') ON CONFLICT (name) DO NOTHING`); err != nil {
		tb.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, status)
		SELECT $1, id, $1, '\x00'::bytea, 'What is it?', $2, 'kept' FROM sources WHERE name = 'test'`, id, gold); err != nil {
		tb.Fatal(err)
	}
}

func TestVerifyRoute(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{})
	tests := []struct {
		name        string
		body        string
		valid       bool
		wantStatus  int
		wantCorrect bool
		wantCode    string
		wantField   string
		wantMessage string // a substring of the error message
	}{
		{name: "equal", body: `{"gold":"\\frac{1}{2}","answer":"0.5"}`, valid: true, wantStatus: 200, wantCorrect: true},
		{name: "number gold", body: `{"gold":42,"answer":"42"}`, valid: true, wantStatus: 200, wantCorrect: true},
		{name: "not equal", body: `{"gold":"42","answer":"41"}`, valid: true, wantStatus: 200},
		{name: "options", body: `{"gold":"3.14159","answer":"3.14","options":{"significant_digits":3}}`, valid: true, wantStatus: 200, wantCorrect: true},
		{name: "missing gold", body: `{"answer":"1"}`, wantStatus: 400, wantCode: "invalid_request", wantField: "gold"},
		{name: "missing answer", body: `{"gold":"1"}`, wantStatus: 400, wantCode: "invalid_request", wantField: "answer"},
		{name: "answer wrong type", body: `{"gold":"1","answer":5}`, wantStatus: 400, wantCode: "invalid_type", wantField: "answer", wantMessage: "want a string, got a number"},
		{name: "gold wrong type", body: `{"gold":[1],"answer":"1"}`, wantStatus: 400, wantCode: "invalid_type", wantField: "gold"},
		{name: "options wrong type", body: `{"gold":"1","answer":"1","options":{"significant_digits":"3"}}`, wantStatus: 400, wantCode: "invalid_type", wantField: "options.significant_digits"},
		{name: "significant digits out of range", body: `{"gold":"1","answer":"1","options":{"significant_digits":-1}}`, wantStatus: 400, wantField: "options.significant_digits"},
		{name: "malformed", body: `{"gold": "1",`, wantStatus: 400, wantCode: "invalid_json", wantMessage: "line 1, column 14"},
		{name: "malformed on line 3", body: "{\n  \"gold\": 1,\n  \"answer\": x\n}", wantStatus: 400, wantCode: "invalid_json", wantMessage: "line 3, column 13"},
		{name: "array body", body: `[1,2]`, wantStatus: 400, wantCode: "invalid_json", wantMessage: "must be a JSON object, not an array"},
		{name: "empty body", body: ``, wantStatus: 400, wantCode: "invalid_json"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, call{method: "POST", path: "/v1/verify", body: tc.body, validRequest: tc.valid})
			if r.status != tc.wantStatus {
				t.Fatalf("POST /v1/verify %s = %d %s, want %d", tc.body, r.status, r.body, tc.wantStatus)
			}
			if tc.wantStatus == 200 {
				m := r.json(t)
				if m["correct"] != tc.wantCorrect || m["verifier_version"] == "" {
					t.Errorf("POST /v1/verify %s = %s, want correct=%v and a verifier_version", tc.body, r.body, tc.wantCorrect)
				}
				return
			}
			code, field, msg := r.errorOf(t)
			if tc.wantCode != "" && code != tc.wantCode || field != tc.wantField || !strings.Contains(msg, tc.wantMessage) {
				t.Errorf("POST /v1/verify %s: error code %q field %q message %q; want code %q field %q message containing %q",
					tc.body, code, field, msg, tc.wantCode, tc.wantField, tc.wantMessage)
			}
		})
	}
}

func TestRewardRoute(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{}) // no database
	tests := []struct {
		name       string
		body       string
		valid      bool
		wantStatus int
		wantReward float64
		wantReason string
		wantDetail string
	}{
		{name: "correct", body: `{"gold":"42","response":"So the answer is \\boxed{42}.","id":"a"}`, valid: true, wantStatus: 200, wantReward: 1, wantReason: "equal"},
		{name: "wrong", body: `{"gold":"42","response":"\\boxed{41}"}`, valid: true, wantStatus: 200, wantReason: "not_equal"},
		{name: "no answer", body: `{"gold":"42","response":"I am not sure about this one at all, sorry."}`, valid: true, wantStatus: 200, wantReason: "no_answer"},
		{name: "unparsable gold", body: `{"gold":"","response":"\\boxed{1}"}`, valid: true, wantStatus: 200, wantReason: "unparsable_gold"},
		{name: "missing response", body: `{"gold":"42"}`, wantStatus: 200, wantReason: "invalid_item", wantDetail: "response"},
		{name: "response wrong type", body: `{"gold":"42","response":42}`, wantStatus: 200, wantReason: "invalid_item", wantDetail: "response: want a string, got a number"},
		{name: "no gold nor problem", body: `{"response":"\\boxed{1}"}`, valid: true, wantStatus: 200, wantReason: "invalid_item", wantDetail: "gold"},
		{name: "problem id without a database", body: `{"problem_id":"p_1","response":"\\boxed{1}"}`, valid: true, wantStatus: 200, wantReason: "unavailable"},
		{name: "not an object", body: `"hello"`, wantStatus: 400},
		{name: "malformed", body: `{"gold":`, wantStatus: 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, call{method: "POST", path: "/v1/reward", body: tc.body, validRequest: tc.valid})
			if r.status != tc.wantStatus {
				t.Fatalf("POST /v1/reward %s = %d %s, want %d", tc.body, r.status, r.body, tc.wantStatus)
			}
			if r.status != 200 {
				return
			}
			m := r.json(t)
			detail, _ := m["detail"].(string)
			if m["reward"] != tc.wantReward || m["reason"] != tc.wantReason || !strings.Contains(detail, tc.wantDetail) {
				t.Errorf("POST /v1/reward %s = %s; want reward %v, reason %q, detail containing %q", tc.body, r.body, tc.wantReward, tc.wantReason, tc.wantDetail)
			}
		})
	}
	r := do(t, srv, call{method: "POST", path: "/v1/reward", body: `{"gold":"1","response":"\\boxed{1}","id":7}`, validRequest: true})
	if m := r.json(t); m["id"] != float64(7) {
		t.Errorf("the item id was not echoed: %s", r.body)
	}
}

func TestRewardBatch(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{})
	body := `{"items":[
		{"id":"good","gold":"\\frac{1}{3}","response":"Thus \\boxed{\\frac{1}{3}}"},
		{"id":"bad","gold":"2"},
		{"id":"gold","gold":"","response":"\\boxed{3}"},
		"not an item",
		{"id":4,"gold":5,"response":"The answer is 5."}
	]}`
	r := do(t, srv, call{method: "POST", path: "/v1/reward/batch", body: body})
	results := batchResults(t, r)
	want := []struct {
		id     any
		reward float64
		reason string
		detail string
	}{
		{"good", 1, "equal", ""},
		{"bad", 0, "invalid_item", "items[1].response: required"},
		{"gold", 0, "unparsable_gold", ""},
		{nil, 0, "invalid_item", "items[3]: must be a JSON object"},
		{float64(4), 1, "equal", ""},
	}
	if len(results) != len(want) {
		t.Fatalf("got %d results, want %d: %s", len(results), len(want), r.body)
	}
	for i, w := range want {
		g := results[i]
		if g.ID != w.id || g.Reward != w.reward || g.Reason != w.reason || !strings.Contains(g.Detail, w.detail) {
			t.Errorf("result %d = %+v, want id %v reward %v reason %q detail containing %q", i, g, w.id, w.reward, w.reason, w.detail)
		}
	}

	items := func(n int) string {
		var b strings.Builder
		b.WriteString(`{"items":[`)
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			fmt.Fprintf(&b, `{"id":%d,"gold":"%d","response":"\\boxed{%d}"}`, i, i, i%7)
		}
		b.WriteString("]}")
		return b.String()
	}
	bad := []struct {
		name, body, field, message string
	}{
		{"items not a list", `{"items":{"gold":"1"}}`, "items", "items: want an array, got an object"},
		{"items missing", `{"results":[]}`, "items", "required"},
		{"items empty", `{"items":[]}`, "items", "got 0"},
		{"too many items", items(api.MaxBatchItems + 1), "items", "got 10001"},
		{"malformed", `{"items":[{"gold":"1",}]}`, "", "line 1, column 23"},
		{"body a list", `[{"gold":"1"}]`, "", "not an array"},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			r := do(t, srv, call{method: "POST", path: "/v1/reward/batch", body: tc.body})
			if r.status != 400 {
				t.Fatalf("%s: status %d, want 400: %.300s", tc.name, r.status, r.body)
			}
			_, field, msg := r.errorOf(t)
			if field != tc.field || !strings.Contains(msg, tc.message) {
				t.Errorf("%s: field %q message %q, want field %q and a message containing %q", tc.name, field, msg, tc.field, tc.message)
			}
		})
	}

	t.Run("full batch in order", func(t *testing.T) {
		results := batchResults(t, do(t, srv, call{method: "POST", path: "/v1/reward/batch", body: items(api.MaxBatchItems), validRequest: true}))
		if len(results) != api.MaxBatchItems {
			t.Fatalf("%d results, want %d", len(results), api.MaxBatchItems)
		}
		for i, res := range results {
			want := i == i%7
			if res.ID != float64(i) || res.Correct != want || (res.Reward == 1) != want {
				t.Fatalf("result %d = %+v, want id %d correct %v", i, res, i, want)
			}
		}
	})
}

func TestBodyLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{BodyLimit: 200})
	big := `{"gold":"1","response":"` + strings.Repeat("x", 300) + `"}`
	r := do(t, srv, call{method: "POST", path: "/v1/reward", body: big})
	if code, _, msg := r.errorOf(t); r.status != http.StatusRequestEntityTooLarge || code != "body_too_large" || !strings.Contains(msg, "200 bytes") {
		t.Errorf("oversized body = %d %s, want 413 body_too_large naming the limit", r.status, r.body)
	}
	// Without a Content-Length the limit applies while reading.
	req, _ := http.NewRequest("POST", srv.URL+"/v1/reward/batch", struct{ *strings.Reader }{strings.NewReader(`{"items":[` + big + `]}`)})
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized chunked body = %d, want 413", resp.StatusCode)
	}
	r = do(t, srv, call{method: "POST", path: "/v1/reward", body: `{"gold":"1","response":"\\boxed{1}"}`, validRequest: true})
	if r.status != 200 {
		t.Errorf("small body = %d, want 200", r.status)
	}
}

func TestGetRewardOpenRLHF(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{})
	prompt := "<|im_start|>user\nWhat is 3+4? Write the result like \\boxed{7}.<|im_end|>\n<|im_start|>assistant\n"
	req := map[string]any{
		"query": []any{
			prompt + "3+4 = 7, so \\boxed{7}<|im_end|><|endoftext|><|endoftext|>",
			prompt + "I refuse to answer this question.<|im_end|>", // the box of the prompt must not count
			"1+1 is \\boxed{2}</s>", // no prompt given for it
			prompt + "\\boxed{7}",   // no label
			12,
		},
		"prompts": []any{prompt, prompt},
		"labels":  []any{"7", 7, 2, nil},
	}
	b, _ := json.Marshal(req)
	r := do(t, srv, call{method: "POST", path: "/get_reward", body: string(b)})
	if r.status != 200 {
		t.Fatalf("status %d: %s", r.status, r.body)
	}
	var got struct {
		Rewards   []float64            `json:"rewards"`
		Scores    []float64            `json:"scores"`
		ExtraLogs map[string][]float64 `json:"extra_logs"`
		Reasons   []string             `json:"reasons"`
	}
	if err := json.Unmarshal(r.body, &got); err != nil {
		t.Fatal(err)
	}
	wantRewards := []float64{1, 0, 1, 0, 0}
	wantReasons := []string{"equal", "no_answer", "equal", "invalid_item", "invalid_item"}
	if fmt.Sprint(got.Rewards) != fmt.Sprint(wantRewards) || fmt.Sprint(got.Scores) != fmt.Sprint(wantRewards) || fmt.Sprint(got.Reasons) != fmt.Sprint(wantReasons) {
		t.Errorf("rewards %v scores %v reasons %v; want rewards and scores %v, reasons %v", got.Rewards, got.Scores, got.Reasons, wantRewards, wantReasons)
	}
	for k, v := range got.ExtraLogs {
		if len(v) != len(wantRewards) {
			t.Errorf("extra_logs[%q] has %d values, want one per query", k, len(v))
		}
	}
	if fmt.Sprint(got.ExtraLogs["accuracy"]) != fmt.Sprint(wantRewards) {
		t.Errorf("extra_logs.accuracy = %v, want %v", got.ExtraLogs["accuracy"], wantRewards)
	}

	// One sample per request, as current OpenRLHF sends.
	r = do(t, srv, call{method: "POST", path: "/get_reward", body: `{"query":["Q: 2+2?\nA: \\boxed{4}"],"prompts":["Q: 2+2?\nA: "],"labels":["4"]}`, validRequest: true})
	if m := r.json(t); r.status != 200 || fmt.Sprint(m["rewards"]) != "[1]" {
		t.Errorf("single sample = %d %s, want rewards [1]", r.status, r.body)
	}

	bad := []struct{ name, body, field string }{
		{"query not a list", `{"query":"x","labels":["1"]}`, "query"},
		{"query empty", `{"query":[],"labels":[]}`, "query"},
		{"neither shape", `{"foo":1}`, "query"},
		{"labels not a list", `{"query":["x"],"labels":"1"}`, "labels"},
	}
	for _, tc := range bad {
		r := do(t, srv, call{method: "POST", path: "/get_reward", body: tc.body})
		r.wantError(t, tc.name, 400, "", tc.field)
	}
}

func TestGetRewardSlime(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{})
	tests := []struct {
		body   string
		valid  bool
		score  float64
		reason string
		pred   string
	}{
		{`{"prompt":"What is 1+2?","response":"It is \\boxed{3}.","label":"3"}`, true, 1, "equal", "3"},
		{`{"prompt":"What is 1+2?","response":"It is \\boxed{4}.","label":3}`, true, 0, "not_equal", "4"},
		{`{"prompt":"What is 1+2?","response":"It is \\boxed{3}."}`, false, 0, "invalid_item", ""},
		{`{"response":["x"],"label":"3"}`, false, 0, "invalid_item", ""},
	}
	for _, tc := range tests {
		r := do(t, srv, call{method: "POST", path: "/get_reward", body: tc.body, validRequest: tc.valid})
		if r.status != 200 {
			t.Fatalf("slime %s = %d %s", tc.body, r.status, r.body)
		}
		m := r.json(t)
		if m["score"] != tc.score || m["reward"] != tc.score || m["reason"] != tc.reason || m["pred"] != tc.pred || m["acc"] != (tc.score == 1) {
			t.Errorf("slime %s = %s; want score %v reason %q pred %q", tc.body, r.body, tc.score, tc.reason, tc.pred)
		}
	}
}

func TestAPIToken(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{APIToken: "s3cret", AdminToken: "admin"})
	body := `{"gold":"1","response":"\\boxed{1}"}`
	tests := []struct {
		name   string
		header string
		want   int
	}{
		{"no token", "", 401},
		{"wrong token", "Bearer nope", 401},
		{"not bearer", "Basic czNjcmV0", 401},
		{"api token", "Bearer s3cret", 200},
		{"api token, lower-case scheme", "bearer s3cret", 200},
		{"admin token", "Bearer admin", 200},
	}
	for _, tc := range tests {
		h := map[string]string{}
		if tc.header != "" {
			h["Authorization"] = tc.header
		}
		r := do(t, srv, call{method: "POST", path: "/v1/reward", body: body, header: h, validRequest: true})
		if r.status != tc.want {
			t.Errorf("%s: POST /v1/reward = %d %s, want %d", tc.name, r.status, r.body, tc.want)
		}
		if tc.want == 401 {
			if code, _, _ := r.errorOf(t); code != "unauthorized" || r.header.Get("WWW-Authenticate") == "" {
				t.Errorf("%s: 401 without the unauthorized code or WWW-Authenticate: %v %s", tc.name, r.header, r.body)
			}
		}
	}
	for _, path := range []string{"/healthz", "/metrics", "/openapi.yaml"} {
		if r := do(t, srv, call{method: "GET", path: path, validRequest: true}); r.status != 200 {
			t.Errorf("GET %s with a token configured and none sent = %d, want 200 (open)", path, r.status)
		}
	}
	// Without a token configured, everything is open.
	open := newServer(t, api.Deps{})
	if r := do(t, open, call{method: "POST", path: "/v1/reward", body: body, validRequest: true}); r.status != 200 {
		t.Errorf("no token configured: %d, want 200", r.status)
	}
}

func TestRateLimit(t *testing.T) {
	t.Parallel()
	srv := newServer(t, api.Deps{RateLimit: 1}) // burst 2
	body := `{"gold":"1","response":"\\boxed{1}"}`
	var codes []int
	var last reply
	for range 4 {
		last = do(t, srv, call{method: "POST", path: "/v1/reward", body: body, validRequest: true})
		codes = append(codes, last.status)
	}
	if fmt.Sprint(codes[:2]) != "[200 200]" || codes[3] != http.StatusTooManyRequests {
		t.Fatalf("statuses %v, want the burst of 2 to pass and then 429", codes)
	}
	ra, err := strconv.Atoi(last.header.Get("Retry-After"))
	if code, _, _ := last.errorOf(t); err != nil || ra < 1 || code != "rate_limited" {
		t.Errorf("429 with Retry-After %q and code %q, want a positive number of seconds and rate_limited", last.header.Get("Retry-After"), code)
	}
	// Another client (another token) has its own bucket; health checks are not limited.
	if r := do(t, srv, call{method: "POST", path: "/v1/reward", body: body, header: map[string]string{"Authorization": "Bearer other"}, validRequest: true}); r.status != 200 {
		t.Errorf("another client: %d, want 200", r.status)
	}
	for range 5 {
		if r := do(t, srv, call{method: "GET", path: "/healthz", validRequest: true}); r.status != 200 {
			t.Fatalf("GET /healthz rate limited: %d", r.status)
		}
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	rec := api.NewRecorder(nil, api.RecorderOptions{QueueSize: 1}) // never started: the second record is dropped
	srv := newServer(t, api.Deps{
		Recorder: rec,
		DBStats:  func() api.DBStats { return api.DBStats{TotalConns: 3, MaxConns: 8, AcquireCount: 11} },
		Golds:    fakeGolds{"p_x": "5"},
	})
	do(t, srv, call{method: "POST", path: "/v1/reward/batch", validRequest: true, body: `{"items":[
		{"gold":"1","response":"\\boxed{1}"},
		{"gold":"1","response":"\\boxed{2}"},
		{"problem_id":"p_x","response":"\\boxed{5}","record":true},
		{"problem_id":"p_x","response":"\\boxed{5}","record":true}]}`})
	do(t, srv, call{method: "GET", path: "/nowhere/42"})
	r := do(t, srv, call{method: "GET", path: "/metrics", validRequest: true})
	text := string(r.body)
	for _, want := range []string{
		`bigmath_http_requests_total{method="POST",route="/v1/reward/batch",status="200"} 1`,
		`bigmath_http_requests_total{method="GET",route="unmatched",status="404"} 1`,
		`bigmath_http_request_duration_seconds_bucket{method="POST",route="/v1/reward/batch",status="200",le="+Inf"} 1`,
		`bigmath_reward_verdicts_total{reason="equal"} 3`,
		`bigmath_reward_verdicts_total{reason="not_equal"} 1`,
		`bigmath_record_dropped_total 1`,
		`bigmath_record_queue_length 1`,
		`bigmath_db_pool_total_conns 3`,
		`bigmath_db_pool_max_conns 8`,
		`bigmath_db_pool_acquires_total 11`,
		`go_goroutines`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if strings.Contains(text, "/nowhere/42") {
		t.Errorf("/metrics labels an unmatched path by its raw path")
	}
}

// fakeGolds is a GoldStore from a map (the database paths are tested
// against real PostgreSQL below).
type fakeGolds map[string]string

func (f fakeGolds) Golds(_ context.Context, ids []string) (map[string]bigmath.Answer, error) {
	out := map[string]bigmath.Answer{}
	for _, id := range ids {
		if g, ok := f[id]; ok {
			out[id] = bigmath.Answer{Raw: g}
		}
	}
	return out, nil
}

func TestRewardWithDatabase(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	store := postgres.NewStore(pool)
	insertProblem(t, pool, "p_a", "42")
	insertProblem(t, pool, "p_b", "\\frac{1}{2}")
	rec := api.NewRecorder(store, api.RecorderOptions{FlushInterval: 10 * time.Millisecond})
	rec.Start()
	srv := newServer(t, api.Deps{Golds: store, Recorder: rec})

	r := do(t, srv, call{method: "POST", path: "/v1/reward/batch", validRequest: true, body: `{"items":[
		{"problem_id":"p_a","response":"\\boxed{42}","record":true},
		{"problem_id":"p_a","response":"\\boxed{41}","record":true},
		{"problem_id":"p_b","response":"The answer is 0.5","record":true},
		{"problem_id":"p_nope","response":"\\boxed{1}","record":true},
		{"problem_id":"p_b","response":"\\boxed{0.5}"},
		{"problem_id":"p_a","gold":"41","response":"\\boxed{41}"}]}`})
	results := batchResults(t, r)
	want := []struct {
		reward   float64
		reason   string
		recorded bool
	}{{1, "equal", true}, {0, "not_equal", true}, {1, "equal", true}, {0, "unknown_problem", false}, {1, "equal", false}, {1, "equal", false}}
	for i, w := range want {
		g := results[i]
		if g.Reward != w.reward || g.Reason != w.reason || g.Recorded != w.recorded || g.ProblemID == "" {
			t.Errorf("result %d = %+v, want reward %v reason %q recorded %v", i, g, w.reward, w.reason, w.recorded)
		}
	}
	// A second request is served from the gold cache, with the same verdicts.
	r = do(t, srv, call{method: "POST", path: "/v1/reward", validRequest: true, body: `{"problem_id":"p_a","response":"\\boxed{42}"}`})
	if m := r.json(t); m["reward"] != float64(1) {
		t.Errorf("cached gold: %s", r.body)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := rec.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if s := rec.Stats(); s.Written != 3 || s.Dropped != 0 || s.Failed != 0 {
		t.Errorf("recorder stats %+v, want 3 written", s)
	}
	testutil.CheckAttempts(t, pool, "p_a", 2, 1)
	testutil.CheckAttempts(t, pool, "p_b", 1, 1)
}

func TestRewardDatabaseDown(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t)
	insertProblem(t, pool, "p_a", "42")
	srv := newServer(t, api.Deps{Golds: postgres.NewStore(pool)})
	pool.Close() // the database is gone
	r := do(t, srv, call{method: "POST", path: "/v1/reward/batch", validRequest: true, body: `{"items":[
		{"problem_id":"p_a","response":"\\boxed{42}"},
		{"gold":"42","response":"\\boxed{42}"}]}`})
	results := batchResults(t, r)
	if len(results) != 2 || results[0].Reason != "unavailable" || results[0].Reward != 0 || results[1].Reason != "equal" {
		t.Errorf("with the database down: %s; want the problem_id item unavailable and the gold item scored", r.body)
	}
}
