package ui_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

const (
	apiTok   = "read-token-123"
	adminTok = "admin-token-456"
)

func TestLoginNeededWithAPIToken(t *testing.T) {
	t.Parallel()
	_, b := tokensBrowser(t)
	for _, path := range []string{"/ui/", "/ui/problems?q=clips", "/ui/problems/p_a1", "/ui/splits", "/ui/playground", "/ui/download/splits/x/export"} {
		r := b.get(path)
		if r.status != http.StatusSeeOther || !strings.HasPrefix(r.header.Get("Location"), "/ui/login?next=") {
			t.Errorf("GET %s without login = %d Location %q, want 303 to the login page", path, r.status, r.header.Get("Location"))
		}
	}
	// The static files (no data) load without a login, so does the login page.
	for _, path := range []string{"/ui/login", "/ui/static/app/app.css", "/ui/static/katex/katex.min.css"} {
		if r := b.get(path); r.status != http.StatusOK {
			t.Errorf("GET %s = %d", path, r.status)
		}
	}
	csrf := b.csrf("/ui/login")
	logins := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"no csrf", url.Values{"token": {apiTok}}, http.StatusForbidden},
		{"wrong csrf", url.Values{"token": {apiTok}, "csrf": {strings.Repeat("0", 64)}}, http.StatusForbidden},
		{"wrong token", url.Values{"token": {"guess"}, "csrf": {csrf}}, http.StatusUnauthorized},
		{"empty token", url.Values{"token": {""}, "csrf": {csrf}}, http.StatusUnauthorized},
	}
	for _, tc := range logins {
		if r := b.post("/ui/login", tc.form); r.status != tc.status {
			t.Errorf("login %s = %d, want %d", tc.name, r.status, tc.status)
		}
	}
	if r := b.get("/ui/"); r.status != http.StatusSeeOther {
		t.Fatalf("after failed logins GET /ui/ = %d", r.status)
	}
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	srv, b := tokensBrowser(t)
	r := b.post("/ui/login", url.Values{"csrf": {b.csrf("/ui/login")}, "token": {apiTok}, "next": {"/ui/problems?q=clips"}})
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ui/problems?q=clips" {
		t.Fatalf("login = %d Location %q", r.status, r.header.Get("Location"))
	}
	var cookie string
	for _, c := range r.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "bigmath_session=") {
			cookie = c
		}
	}
	for _, attr := range []string{"HttpOnly", "SameSite=Strict", "Path=/ui/"} {
		if !strings.Contains(cookie, attr) {
			t.Errorf("session cookie %q lacks %s", cookie, attr)
		}
	}
	if strings.Contains(cookie, apiTok) {
		t.Errorf("session cookie %q holds the token itself", cookie)
	}
	if r := b.get("/ui/problems?q=clips"); r.status != http.StatusOK || !strings.Contains(r.body, "/ui/problems/p_a1") {
		t.Fatalf("search after login = %d %.300s", r.status, r.body)
	}
	// A tampered cookie is no session.
	u, _ := url.Parse(srv.URL + "/ui/")
	for _, c := range b.client.Jar.Cookies(u) {
		if c.Name == "bigmath_session" {
			forged := *c
			forged.Value = strings.Replace(c.Value, "api.", "admin.", 1)
			other := newBrowser(t, srv)
			other.client.Jar.SetCookies(u, []*http.Cookie{&forged})
			if r := other.get("/ui/"); r.status != http.StatusSeeOther {
				t.Errorf("forged admin cookie: GET /ui/ = %d, want 303", r.status)
			}
		}
	}
	// Read-only: no admin form, and its POST is refused even with a CSRF token.
	page := b.get("/ui/splits")
	if strings.Contains(page.body, `id="new-split"`) {
		t.Error("the API token sees the admin form")
	}
	if r := b.post("/ui/splits", url.Values{"csrf": {b.csrf("/ui/splits")}, "name": {"s1"}, "train": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("POST /ui/splits with the API token = %d, want 403", r.status)
	}
	// Logout ends the session.
	if r := b.post("/ui/logout", url.Values{"csrf": {b.csrf("/ui/")}}); r.status != http.StatusSeeOther {
		t.Fatalf("logout = %d", r.status)
	}
	if r := b.get("/ui/"); r.status != http.StatusSeeOther {
		t.Errorf("after logout GET /ui/ = %d, want 303", r.status)
	}
}

func TestAdminCreatesSplit(t *testing.T) {
	t.Parallel()
	srv, b := tokensBrowser(t)
	b.login(adminTok)
	form := url.Values{"name": {"ui-split"}, "seed": {"7"}, "train": {"0.5"}, "validation": {"0"}, "test": {"0.5"}, "source": {"alpha,beta"}}
	if r := b.post("/ui/splits", form); r.status != http.StatusForbidden {
		t.Errorf("POST /ui/splits without CSRF = %d, want 403", r.status)
	}
	bad := url.Values{"csrf": {b.csrf("/ui/splits")}, "name": {"bad"}, "train": {"0.5"}, "test": {"0.2"}}
	if r := b.post("/ui/splits", bad); r.status != http.StatusBadRequest || !strings.Contains(r.body, `id="split-error"`) {
		t.Errorf("POST /ui/splits with fractions summing to 0.7 = %d %s", r.status, section(r.body, "split-error"))
	}
	form.Set("csrf", b.csrf("/ui/splits"))
	r := b.post("/ui/splits", form)
	if r.status != http.StatusSeeOther || r.header.Get("Location") != "/ui/splits?created=ui-split" {
		t.Fatalf("POST /ui/splits = %d Location %q %s", r.status, r.header.Get("Location"), section(r.body, "<main>"))
	}
	page := b.get("/ui/splits?created=ui-split")
	for _, want := range []string{`id="created"`, `data-split="ui-split"`, `href="/ui/download/splits/ui-split/export?format=jsonl&amp;part=train"`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("splits page lacks %q", want)
		}
	}
	// The download link goes through the export route with the session's token.
	dl := b.get("/ui/download/splits/ui-split/export?format=jsonl")
	if dl.status != http.StatusOK || strings.Count(dl.body, "\n") != 3 { // p_a1, p_a2, p_b3
		t.Errorf("download = %d, %d lines: %.300s", dl.status, strings.Count(dl.body, "\n"), dl.body)
	}
	// The split is the API's: visible on GET /v1/splits/ui-split with a bearer token.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/v1/splits/ui-split", nil)
	req.Header.Set("Authorization", "Bearer "+apiTok)
	if r := b.do(req); r.status != http.StatusOK || !strings.Contains(r.body, `"seed":7`) {
		t.Errorf("GET /v1/splits/ui-split = %d %s", r.status, r.body)
	}
}

func TestAdminOff(t *testing.T) {
	t.Parallel()
	srv := newServer(t, tokens{adminOff: true})
	b := newBrowser(t, srv)
	if r := b.get("/ui/splits"); r.status != http.StatusOK || strings.Contains(r.body, `id="new-split"`) {
		t.Errorf("GET /ui/splits = %d, admin form shown: %v", r.status, strings.Contains(r.body, `id="new-split"`))
	}
	if r := b.post("/ui/splits", url.Values{"csrf": {b.csrf("/ui/login")}, "name": {"x"}, "train": {"1"}}); r.status != http.StatusForbidden {
		t.Errorf("POST /ui/splits with admin off = %d, want 403", r.status)
	}
	// With no token at all, downloads link to the API route itself.
	open := newBrowser(t, newServer(t, tokens{}))
	r := open.post("/ui/splits", url.Values{"csrf": {open.csrf("/ui/splits")}, "name": {"open"}, "train": {"1"}})
	if r.status != http.StatusSeeOther {
		t.Fatalf("POST /ui/splits (open) = %d %s", r.status, section(r.body, "<main>"))
	}
	if page := open.get("/ui/splits"); !strings.Contains(page.body, `href="/v1/splits/open/export?format=parquet"`) {
		t.Errorf("no direct download link: %s", section(page.body, `id="splits"`))
	}
}
