package ui

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
)

func contextWithCookie(value string) *gin.Context {
	c, _ := gin.CreateTestContext(httptest.NewRecorder())
	c.Request = httptest.NewRequest(http.MethodGet, "/ui/", nil)
	c.Request.AddCookie(&http.Cookie{Name: sessionCookie, Value: value})
	return c
}

func TestSessionRole(t *testing.T) {
	u := New(Config{APIToken: "api-tok", AdminToken: "admin-tok"})
	future := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	past := strconv.FormatInt(time.Now().Add(-time.Second).Unix(), 10)
	tests := []struct {
		name, cookie, want string
	}{
		{"admin", "admin." + future + "." + sessionMAC("admin-tok", "admin", future), roleAdmin},
		{"api", "api." + future + "." + sessionMAC("api-tok", "api", future), roleAPI},
		{"expired", "api." + past + "." + sessionMAC("api-tok", "api", past), roleNone},
		{"role swapped", "admin." + future + "." + sessionMAC("api-tok", "api", future), roleNone},
		{"signed with the other token", "admin." + future + "." + sessionMAC("api-tok", "admin", future), roleNone},
		{"unknown role", "root." + future + "." + sessionMAC("admin-tok", "root", future), roleNone},
		{"no mac", "admin." + future + ".", roleNone},
		{"garbage", "x", roleNone},
	}
	for _, tc := range tests {
		if got := u.sessionRole(contextWithCookie(tc.cookie)); got != tc.want {
			t.Errorf("%s: role %q, want %q", tc.name, got, tc.want)
		}
	}
	// A role whose token is not configured has no sessions.
	open := New(Config{})
	if got := open.sessionRole(contextWithCookie("admin." + future + "." + sessionMAC("", "admin", future))); got != roleNone {
		t.Errorf("session without a configured token: role %q", got)
	}
}

// FuzzSessionCookie: no cookie value but a signed one gives a role, and
// none makes sessionRole panic.
func FuzzSessionCookie(f *testing.F) {
	u := New(Config{APIToken: "api-tok", AdminToken: "admin-tok"})
	future := strconv.FormatInt(time.Now().Add(time.Hour).Unix(), 10)
	f.Add("admin." + future + "." + sessionMAC("admin-tok", "admin", future))
	f.Add("api.1.2.3")
	f.Add("..")
	f.Fuzz(func(t *testing.T, v string) {
		if (&http.Cookie{Name: sessionCookie, Value: v}).Valid() != nil {
			return
		}
		role := u.sessionRole(contextWithCookie(v))
		if role == roleNone {
			return
		}
		parts := strings.Split(v, ".")
		if len(parts) != 3 || parts[0] != role || parts[2] != sessionMAC(u.tokenOf(role), role, parts[1]) {
			t.Fatalf("cookie %q gives role %q without the role's signature", v, role)
		}
	})
}

func TestSafeNext(t *testing.T) {
	for in, want := range map[string]string{
		"/ui/problems?q=x": "/ui/problems?q=x",
		"":                 "/ui/",
		"https://evil/ui/": "/ui/",
		"//evil/ui/":       "/ui/",
		"/v1/splits":       "/ui/",
		"/ui/\\evil":       "/ui/",
	} {
		if got := safeNext(in); got != want {
			t.Errorf("safeNext(%q) = %q, want %q", in, got, want)
		}
	}
}
