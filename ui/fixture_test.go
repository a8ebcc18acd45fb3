package ui_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
	"github.com/bigmath/bigmath/ui"
)

// fixture is one stored problem of the test corpus.
type fixture struct {
	id, source, text, kind, status, reason, dupOf, cluster string
	difficulty                                             *float64
	contaminated                                           []string
	attempts, correct                                      int64
}

func fp(f float64) *float64 { return &f }

// corpus is the test corpus: three sources (one a benchmark), a duplicate
// cluster of two with a stored link and its edits, a dropped problem, a
// contaminated one and problems with difficulties and attempts.
var corpus = []fixture{
	{id: "p_a1", source: "alpha", text: "Natalie sold clips to $48$ of her friends in April. How many clips did she sell?", cluster: "p_a1", difficulty: fp(2), attempts: 4, correct: 3},
	{id: "p_b1", source: "beta", text: "Maria sold clips to $48$ of her friends in April. How many clips did she sell?", cluster: "p_a1", dupOf: "p_a1", difficulty: fp(2)},
	{id: "p_a2", source: "alpha", text: "Compute $\\frac{1}{2}+\\frac{1}{3}$.", kind: "rational", difficulty: fp(3)},
	{id: "p_a3", source: "alpha", text: "Prove that there are infinitely many primes.", status: "dropped", reason: "proof"},
	{id: "p_b2", source: "beta", text: "Find the sum of the roots of $x^2-5x+6=0$.", contaminated: []string{"bench"}, difficulty: fp(5)},
	{id: "p_b3", source: "beta", text: "How many sides does a hexagon have?", difficulty: fp(1)},
	{id: "p_c1", source: "bench", text: "Find the sum of the roots of $x^2-5x+6=0$."},
}

// insert stores the fixtures, their sources and the cluster's link.
func insert(tb testing.TB, pool *pgxpool.Pool) {
	tb.Helper()
	ctx := context.Background()
	for _, f := range corpus {
		role := "corpus"
		if f.source == "bench" {
			role = "benchmark"
		}
		if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role, license, revision) VALUES ($1, $2, 'MIT', 'rev-'||$1) ON CONFLICT (name) DO NOTHING`, f.source, role); err != nil {
			tb.Fatal(err)
		}
		status, kind := f.status, f.kind
		if status == "" {
			status = "kept"
		}
		if kind == "" {
			kind = "integer"
		}
		contaminated := f.contaminated
		if contaminated == nil {
			contaminated = []string{}
		}
		_, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, source_revision, row_key, raw_hash, license,
				problem_raw, problem_norm, solution, domain, difficulty, answer_raw, answer_canonical, answer_kind,
				status, stage, reason, duplicate_of, cluster_id, contaminated, attempts, correct, verdicts, extra, search)
			VALUES ($1, (SELECT id FROM sources WHERE name = $2), 'rev1', 'row-' || $1, '\xbeef', 'MIT',
				$3 || E'\n', $3, 'Because.', 'algebra', $4, '48', '48', $5,
				$6, CASE WHEN $6 = 'dropped' THEN 'classify' ELSE '' END, $7, NULLIF($8, ''), NULLIF($9, ''), $10, $11, $12,
				CASE WHEN $6 = 'dropped' THEN '[{"stage":"normalize","pass":true,"reason":""},{"stage":"classify","pass":false,"reason":"proof"}]'::jsonb
				ELSE '[{"stage":"normalize","pass":true,"reason":""},{"stage":"classify","pass":true,"reason":""},{"stage":"dedup","pass":true,"reason":"canonical copy"}]'::jsonb END,
				'{"topic":"x"}', coalesce(array_to_tsvector($13::text[]), ''))`,
			f.id, f.source, f.text, f.difficulty, kind, status, f.reason, f.dupOf, f.cluster, contaminated, f.attempts, f.correct,
			bigmath.SearchTerms(f.text))
		if err != nil {
			tb.Fatalf("insert %s: %v", f.id, err)
		}
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problem_links (a, b, similarity, edits) VALUES ('p_a1', 'p_b1', 0.9, '{rename:Natalie->Maria}')`); err != nil {
		tb.Fatal(err)
	}
}

// tokens configure a test server; empty means unset.
type tokens struct {
	api, admin string
	adminOff   bool
}

// newServer starts the real API router with the browser mounted, on a new
// database holding the test corpus.
func newServer(tb testing.TB, tk tokens) *httptest.Server {
	tb.Helper()
	pool := pgtest.New(tb)
	insert(tb, pool)
	store := postgres.NewStore(pool)
	browser := ui.New(ui.Config{Store: store, APIToken: tk.api, AdminToken: tk.admin, AdminOff: tk.adminOff})
	srv := httptest.NewServer(api.NewRouter(api.Deps{
		Corpus: store, Golds: store, UI: browser.Mount,
		APIToken: tk.api, AdminToken: tk.admin, AdminOff: tk.adminOff,
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// browser is an HTTP client with a cookie jar that does not follow
// redirects.
type browser struct {
	tb     testing.TB
	srv    *httptest.Server
	client *http.Client
}

// tokensBrowser returns a server that has both an API and an admin token,
// and a browser on it.
func tokensBrowser(tb testing.TB) (*httptest.Server, *browser) {
	srv := newServer(tb, tokens{api: apiTok, admin: adminTok})
	return srv, newBrowser(tb, srv)
}

func newBrowser(tb testing.TB, srv *httptest.Server) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{tb: tb, srv: srv, client: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// response is a read answer.
type response struct {
	status int
	header http.Header
	body   string
}

func (b *browser) do(req *http.Request) response {
	b.tb.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.tb.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		b.tb.Fatal(err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: string(body)}
}

func (b *browser) get(path string) response {
	b.tb.Helper()
	req, err := http.NewRequest(http.MethodGet, b.srv.URL+path, nil)
	if err != nil {
		b.tb.Fatal(err)
	}
	return b.do(req)
}

func (b *browser) post(path string, form url.Values) response {
	b.tb.Helper()
	req, err := http.NewRequest(http.MethodPost, b.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.tb.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

var csrfRe = regexp.MustCompile(`name="csrf" value="([0-9a-f]+)"`)

// csrf returns the CSRF token of the forms of the page at path.
func (b *browser) csrf(path string) string {
	b.tb.Helper()
	r := b.get(path)
	m := csrfRe.FindStringSubmatch(r.body)
	if m == nil {
		b.tb.Fatalf("GET %s = %d: no CSRF field in %.400s", path, r.status, r.body)
	}
	return m[1]
}

// login logs in with tok and checks it worked.
func (b *browser) login(tok string) {
	b.tb.Helper()
	r := b.post("/ui/login", url.Values{"csrf": {b.csrf("/ui/login")}, "token": {tok}, "next": {"/ui/"}})
	if r.status != http.StatusSeeOther {
		b.tb.Fatalf("login = %d %.300s", r.status, r.body)
	}
}
