package ui

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
)

// Cookie names. Both are HttpOnly and SameSite=Strict, on path /ui/.
const (
	sessionCookie = "bigmath_session"
	csrfCookie    = "bigmath_csrf"
	csrfField     = "csrf"
)

// Roles a visitor can have.
const (
	roleNone  = ""
	roleAPI   = "api"
	roleAdmin = "admin"
)

// visitor is what the request may do.
type visitor struct {
	// Role is the role of a valid session cookie ("" without one).
	Role string
	// CanRead: every page; CanAdmin: the admin forms.
	CanRead, CanAdmin bool
	// Bearer is the token the in-process API calls carry ("" for none).
	Bearer string
	// LoggedIn says a session cookie is in use (so a logout button shows).
	LoggedIn bool
}

// sessionMAC signs a session of role until expiry with the role's token:
// changing the token ends every session made with it.
func sessionMAC(token, role, expiry string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("bigmath-ui-session\x00" + role + "\x00" + expiry))
	return hex.EncodeToString(m.Sum(nil))
}

// tokenOf returns the configured token of a role.
func (u *UI) tokenOf(role string) string {
	switch role {
	case roleAdmin:
		return u.cfg.AdminToken
	case roleAPI:
		return u.cfg.APIToken
	}
	return ""
}

// sessionRole returns the role of the request's session cookie when it is
// valid and unexpired.
func (u *UI) sessionRole(c *gin.Context) string {
	v, err := c.Cookie(sessionCookie)
	if err != nil {
		return roleNone
	}
	parts := strings.Split(v, ".")
	if len(parts) != 3 {
		return roleNone
	}
	role, expiry, mac := parts[0], parts[1], parts[2]
	tok := u.tokenOf(role)
	if tok == "" {
		return roleNone
	}
	exp, err := strconv.ParseInt(expiry, 10, 64)
	if err != nil || time.Now().Unix() >= exp {
		return roleNone
	}
	if !hmac.Equal([]byte(mac), []byte(sessionMAC(tok, role, expiry))) {
		return roleNone
	}
	return role
}

// visitorOf works out what the request may do, by the API's rules: with
// no API token reading is open; with no admin token the admin forms are
// open unless AdminOff.
func (u *UI) visitorOf(c *gin.Context) visitor {
	v := visitor{Role: u.sessionRole(c)}
	v.LoggedIn = v.Role != roleNone
	v.CanRead = u.cfg.APIToken == "" || v.LoggedIn
	switch {
	case u.cfg.AdminOff:
	case u.cfg.AdminToken == "":
		v.CanAdmin = v.CanRead
	default:
		v.CanAdmin = v.Role == roleAdmin
	}
	v.Bearer = u.tokenOf(v.Role)
	return v
}

// requireRead sends a visitor who may not read to the login page.
func (u *UI) requireRead(c *gin.Context) {
	v := u.visitorOf(c)
	if !v.CanRead {
		next := c.Request.URL.RequestURI()
		if c.Request.Method != http.MethodGet {
			next = "/ui/"
		}
		c.Redirect(http.StatusSeeOther, "/ui/login?next="+urlQueryEscape(next))
		c.Abort()
		return
	}
	c.Set("visitor", v)
	c.Next()
}

// requireAdminForm lets through a POST of an admin form only with admin
// rights and a valid CSRF token.
func (u *UI) requireAdminForm(c *gin.Context) {
	if !u.visitorOf(c).CanAdmin {
		u.fail(c, http.StatusForbidden, "This form needs the admin token (BIGMATH_ADMIN_TOKEN): log in with it first.")
		return
	}
	if !u.csrfOK(c) {
		u.fail(c, http.StatusForbidden, "The form's CSRF token is missing or stale: reload the page and send the form again.")
		return
	}
	c.Next()
}

// csrfToken returns the CSRF token of the request's forms, setting the
// CSRF cookie when the browser has none. The token is the HMAC of the
// cookie under this process's key, so another site can neither read nor
// forge it.
func (u *UI) csrfToken(c *gin.Context) string {
	seed, err := c.Cookie(csrfCookie)
	if err != nil || len(seed) != 32 {
		b := make([]byte, 16)
		_, _ = rand.Read(b)
		seed = hex.EncodeToString(b)
		u.setCookie(c, csrfCookie, seed, 0)
		c.Request.AddCookie(&http.Cookie{Name: csrfCookie, Value: seed})
	}
	m := hmac.New(sha256.New, u.csrfKey)
	m.Write([]byte(seed))
	return hex.EncodeToString(m.Sum(nil))
}

// csrfOK checks the CSRF field of a POSTed form against the cookie.
func (u *UI) csrfOK(c *gin.Context) bool {
	seed, err := c.Cookie(csrfCookie)
	if err != nil || len(seed) != 32 {
		return false
	}
	m := hmac.New(sha256.New, u.csrfKey)
	m.Write([]byte(seed))
	return hmac.Equal([]byte(c.PostForm(csrfField)), []byte(hex.EncodeToString(m.Sum(nil))))
}

// setCookie sets an HttpOnly, SameSite=Strict cookie on /ui/; maxAge 0
// makes a session cookie, < 0 deletes it. It is Secure over TLS.
func (u *UI) setCookie(c *gin.Context, name, value string, maxAge int) {
	http.SetCookie(c.Writer, &http.Cookie{
		Name: name, Value: value, Path: "/ui/", MaxAge: maxAge,
		HttpOnly: true, Secure: c.Request.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
}

// loginPage serves GET /ui/login.
func (u *UI) loginPage(c *gin.Context) {
	u.render(c, http.StatusOK, "login", gin.H{"Next": safeNext(c.Query("next")), "Open": u.cfg.APIToken == "" && u.cfg.AdminToken == ""})
}

// login serves POST /ui/login: a token that is the admin or the API token
// starts a session of that role.
func (u *UI) login(c *gin.Context) {
	if !u.csrfOK(c) {
		u.fail(c, http.StatusForbidden, "The form's CSRF token is missing or stale: reload the login page and try again.")
		return
	}
	tok := strings.TrimSpace(c.PostForm("token"))
	role := roleNone
	switch {
	case tok == "":
	case u.cfg.AdminToken != "" && tokenEqual(tok, u.cfg.AdminToken):
		role = roleAdmin
	case u.cfg.APIToken != "" && tokenEqual(tok, u.cfg.APIToken):
		role = roleAPI
	}
	next := safeNext(c.PostForm("next"))
	if role == roleNone {
		u.render(c, http.StatusUnauthorized, "login", gin.H{"Next": next, "Error": "That token is neither BIGMATH_API_TOKEN nor BIGMATH_ADMIN_TOKEN."})
		return
	}
	expiry := strconv.FormatInt(time.Now().Add(u.cfg.SessionTTL).Unix(), 10)
	u.setCookie(c, sessionCookie, role+"."+expiry+"."+sessionMAC(tok, role, expiry), int(u.cfg.SessionTTL.Seconds()))
	c.Redirect(http.StatusSeeOther, next)
}

// logout serves POST /ui/logout.
func (u *UI) logout(c *gin.Context) {
	if !u.csrfOK(c) {
		u.fail(c, http.StatusForbidden, "The form's CSRF token is missing or stale: reload the page and try again.")
		return
	}
	u.setCookie(c, sessionCookie, "", -1)
	c.Redirect(http.StatusSeeOther, "/ui/login")
}

// safeNext keeps a redirect target on the browser's own pages.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/ui/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/ui/"
	}
	return next
}

// tokenEqual compares two tokens in time independent of their contents
// and lengths (as the API does).
func tokenEqual(got, want string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return hmac.Equal(a[:], b[:])
}
