package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestPages(t *testing.T) {
	t.Parallel()
	srv := newServer(t, tokens{})
	b := newBrowser(t, srv)
	tests := []struct {
		path   string
		status int
		want   []string // substrings of the body
		absent []string
	}{
		{"/ui/", 200, []string{`id="funnel"`, `data-source="alpha"`, `data-source="beta"`, `data-source="bench"`,
			`<span class="tag">proof 1</span>`, `<span class="tag warn">bench 1</span>`, `class="chart histogram"`, "rev-alpha",
			// kept: p_a1 (2), p_a2 (3, rational), p_b3 (1), p_c1 (none)
			"<title>integer: 3</title>", "<title>rational: 1</title>", "<title>1: 1</title>", "<title>2: 1</title>", "<title>3: 1</title>",
			"1 kept problems have no difficulty"}, nil},
		{"/ui/problems", 200, []string{`href="/ui/problems/p_a1"`, `href="/ui/problems/p_a2"`, `href="/ui/problems/p_b3"`},
			[]string{`/ui/problems/p_b1"`, `/ui/problems/p_a3"`, `/ui/problems/p_b2"`}}, // kept and canonical, no contamination: the API's default
		{"/ui/problems?q=hexagon", 200, []string{`/ui/problems/p_b3"`}, []string{`/ui/problems/p_a1"`}},
		{"/ui/problems?source=alpha&status=all&min_difficulty=&include_contaminated=true", 200,
			[]string{`/ui/problems/p_a1"`, `/ui/problems/p_a3"`}, []string{`/ui/problems/p_b3"`}},
		{"/ui/problems?min_difficulty=2.5&max_difficulty=5&include_contaminated=true", 200,
			[]string{`/ui/problems/p_a2"`, `/ui/problems/p_b2"`}, []string{`/ui/problems/p_a1"`}},
		{"/ui/problems?limit=2", 200, []string{`id="next-page"`, "cursor="}, nil},
		{"/ui/problems?min_pass_rate=2", 400, []string{`id="search-error"`, "min_pass_rate: must be at most 1"}, nil},
		{"/ui/problems/p_a1", 200, []string{`id="cluster"`, `data-member="p_b1"`, `<span class="tag edit">rename:Natalie-&gt;Maria</span>`,
			"<mark>Natalie</mark>", "<mark>Maria</mark>", "4 attempts, 3 correct", "75.0%", "canonical copy", "rev1", "beef"}, nil},
		{"/ui/problems/p_b1", 200, []string{`data-member="p_a1"`, "copy of", `<span class="tag ok">canonical</span>`}, nil},
		{"/ui/problems/p_a3", 200, []string{`<span class="fail">drop</span>`, "proof", `id="no-cluster"`}, nil},
		{"/ui/problems/p_b2", 200, []string{`<span class="tag warn">bench</span>`}, nil},
		{"/ui/problems/nope", 404, []string{`id="error-message"`}, nil},
		{"/ui/splits", 200, []string{`id="no-splits"`, `id="new-split"`, `name="csrf"`}, nil},
		{"/ui/playground", 200, []string{`id="playground"`}, []string{`id="verdict"`}},
		{"/ui/login", 200, []string{"No token is configured"}, nil},
		{"/ui/static/katex/katex.min.js", 200, []string{"katex"}, nil},
		{"/ui/static/katex/fonts/", 404, nil, nil},
		{"/ui/static/app/app.js", 200, []string{"renderMathInElement"}, nil},
		{"/ui/download/problems", 404, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.path, func(t *testing.T) {
			r := b.get(tc.path)
			if r.status != tc.status {
				t.Fatalf("GET %s = %d, want %d: %.500s", tc.path, r.status, tc.status, r.body)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("GET %s: no %q in the page", tc.path, s)
				}
			}
			for _, s := range tc.absent {
				if strings.Contains(r.body, s) {
					t.Errorf("GET %s: %q should not be in the page", tc.path, s)
				}
			}
		})
	}
}

func TestFunnelHasOneGroupPerSource(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, newServer(t, tokens{}))
	r := b.get("/ui/")
	if n := strings.Count(r.body, `class="bar-group"`); n != 3 {
		t.Errorf("%d bar groups, want 3 (alpha, beta, bench)", n)
	}
	// alpha: 3 rows, 2 kept, 0 duplicates, 1 dropped, 0 contaminated.
	group := r.body[strings.Index(r.body, `data-source="alpha"`):]
	group = group[:strings.Index(group, "</g>")]
	for _, want := range []string{"<title>rows: 3</title>", "<title>kept: 2</title>", "<title>dropped: 1</title>", "<title>duplicates: 0</title>"} {
		if !strings.Contains(group, want) {
			t.Errorf("alpha group lacks %q: %s", want, group)
		}
	}
	if ct := r.header.Get("Content-Security-Policy"); !strings.Contains(ct, "script-src 'self'") {
		t.Errorf("Content-Security-Policy = %q", ct)
	}
}

func TestPlayground(t *testing.T) {
	t.Parallel()
	b := newBrowser(t, newServer(t, tokens{}))
	tests := []struct {
		gold, response, mode string
		want                 []string
	}{
		{`\frac{1}{2}`, `so the answer is \boxed{0.5}`, "response",
			[]string{`<span class="pass">correct</span>`, `id="verdict-reason">equal<`, `id="extracted">0.5<`, `id="gold-canonical">1/2<`, `id="pred-canonical">1/2<`}},
		{`\frac{1}{2}`, `The answer is \boxed{3}.`, "response", []string{`<span class="fail">not correct</span>`, `>not_equal<`, `id="extracted">3<`}},
		{`7`, ``, "response", []string{`>no_answer<`}},
		{`\{1,2\}`, `\{2,1\}`, "answer", []string{`>equal<`}},
		{`3.14159`, `3.1416`, "answer", []string{`>not_equal<`}},
		{`3.14159`, `3.1416`, "answer:3", []string{`>equal<`}},
		{`1`, `1`, "answer:x", []string{`id="playground-error"`, "significant digits: want a whole number"}},
	}
	for _, tc := range tests {
		t.Run(tc.response, func(t *testing.T) {
			mode, sig, _ := strings.Cut(tc.mode, ":")
			r := b.post("/ui/playground", url.Values{"gold": {tc.gold}, "response": {tc.response}, "mode": {mode}, "significant_digits": {sig}})
			want := http.StatusOK
			if sig == "x" {
				want = http.StatusBadRequest
			}
			if r.status != want {
				t.Fatalf("POST = %d, want %d: %.300s", r.status, want, r.body)
			}
			for _, s := range tc.want {
				if !strings.Contains(r.body, s) {
					t.Errorf("no %q in %s", s, section(r.body, `id="verdict"`))
				}
			}
		})
	}
}

// section returns the page from marker on, for failure messages.
func section(body, marker string) string {
	if i := strings.Index(body, marker); i >= 0 {
		body = body[i:]
	}
	return body[:min(len(body), 1200)]
}
