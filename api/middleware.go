package api

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	lru "github.com/hashicorp/golang-lru/v2"
	"golang.org/x/time/rate"
)

// DefaultBodyLimit is the request body limit when Deps.BodyLimit is 0.
const DefaultBodyLimit = 8 << 20

// bodyLimit caps request bodies at limit bytes. A body announced larger is
// refused at once; a body that turns out larger makes readBody fail with
// 413 (see readBody).
func bodyLimit(limit int64) gin.HandlerFunc {
	if limit <= 0 {
		limit = DefaultBodyLimit
	}
	return func(c *gin.Context) {
		if c.Request.ContentLength > limit {
			writeError(c, http.StatusRequestEntityTooLarge, "body_too_large",
				"request body of "+strconv.FormatInt(c.Request.ContentLength, 10)+" bytes is larger than the limit of "+strconv.FormatInt(limit, 10)+" bytes (BIGMATH_BODY_LIMIT)", "")
			return
		}
		if c.Request.Body != nil {
			c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, limit)
		}
		c.Next()
	}
}

// bearer returns the token of an "Authorization: Bearer <token>" header.
func bearer(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	const prefix = "bearer "
	if len(h) < len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	return strings.TrimSpace(h[len(prefix):]), true
}

// tokenEqual compares two tokens in time independent of where they differ
// (hashing first makes the length irrelevant too).
func tokenEqual(got, want string) bool {
	a, b := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

// requireAPI checks the bearer token of read and reward routes: the API
// token or the admin token. With no API token configured the routes are
// open.
func requireAPI(apiToken, adminToken string) gin.HandlerFunc {
	return requireToken(apiToken, "send Authorization: Bearer $BIGMATH_API_TOKEN", func(c *gin.Context, tok string) bool {
		if tokenEqual(tok, apiToken) || adminToken != "" && tokenEqual(tok, adminToken) {
			return true
		}
		unauthorized(c, "invalid bearer token")
		return false
	})
}

// requireAdmin guards admin routes (such as POST /v1/splits) with the
// admin bearer token. With no admin token configured the routes are open,
// unless off is set: then they answer 404 like a route that does not exist.
func requireAdmin(adminToken string, off bool) gin.HandlerFunc {
	if off {
		return func(c *gin.Context) {
			writeError(c, http.StatusNotFound, "not_found", "no route "+c.Request.Method+" "+c.Request.URL.Path, "")
		}
	}
	return requireToken(adminToken, "admin routes need Authorization: Bearer $BIGMATH_ADMIN_TOKEN", func(c *gin.Context, tok string) bool {
		if tokenEqual(tok, adminToken) {
			return true
		}
		writeError(c, http.StatusForbidden, "forbidden", "this route needs the admin token (BIGMATH_ADMIN_TOKEN)", "")
		return false
	})
}

// requireToken lets a request through when token is "" (the routes are
// open) or when its bearer token passes check, which answers the request
// itself when it does not. A request without a bearer token is a 401 whose
// message ends with how to send one.
func requireToken(token, how string, check func(c *gin.Context, tok string) bool) gin.HandlerFunc {
	return func(c *gin.Context) {
		if token == "" {
			c.Next()
			return
		}
		tok, ok := bearer(c.Request)
		if !ok {
			unauthorized(c, "missing bearer token: "+how)
			return
		}
		if check(c, tok) {
			c.Next()
		}
	}
}

func unauthorized(c *gin.Context, msg string) {
	c.Header("WWW-Authenticate", `Bearer realm="bigmath"`)
	writeError(c, http.StatusUnauthorized, "unauthorized", msg, "")
}

// maxClients bounds the rate limiter's table of clients; the least recently
// seen client is evicted first (and starts with a full bucket if it comes
// back).
const maxClients = 10000

// rateLimit applies a token bucket per client: the bearer token when there
// is one (hashed), else the peer IP address. Over the limit the answer is
// 429 with Retry-After in whole seconds.
func rateLimit(perSecond float64) gin.HandlerFunc {
	if perSecond <= 0 {
		return func(c *gin.Context) { c.Next() }
	}
	burst := int(math.Ceil(2 * perSecond))
	clients, err := lru.New[string, *rate.Limiter](maxClients) // safe for concurrent use
	if err != nil {
		panic(err) // only for a size below 1
	}
	return func(c *gin.Context) {
		key := "ip:" + c.ClientIP()
		if tok, ok := bearer(c.Request); ok {
			sum := sha256.Sum256([]byte(tok))
			key = "tok:" + string(sum[:8])
		}
		lim, ok := clients.Get(key)
		if !ok {
			lim = rate.NewLimiter(rate.Limit(perSecond), burst)
			if prev, found, _ := clients.PeekOrAdd(key, lim); found {
				lim = prev // another request of this client added it first
			}
		}
		now := time.Now()
		res := lim.ReserveN(now, 1)
		delay := res.DelayFrom(now)
		if delay > 0 {
			res.CancelAt(now)
			c.Header("Retry-After", strconv.Itoa(int(math.Ceil(delay.Seconds()))))
			writeError(c, http.StatusTooManyRequests, "rate_limited",
				"more than "+strconv.FormatFloat(perSecond, 'g', -1, 64)+" requests per second from this client (BIGMATH_RATE_LIMIT)", "")
			return
		}
		c.Next()
	}
}

// errBodyTooLarge marks a body cut by the body limit.
var errBodyTooLarge = errors.New("request body too large")

// validParams refuses, with a 400 naming the parameter, path and query
// parameters that PostgreSQL cannot take as text: a NUL byte or bytes that
// are not UTF-8. Without it they reach the database and come back as an
// internal error.
func validParams() gin.HandlerFunc {
	return func(c *gin.Context) {
		for _, p := range c.Params {
			if msg := badText(p.Value); msg != "" {
				writeError(c, http.StatusBadRequest, "invalid_request", p.Key+": "+msg, p.Key)
				return
			}
		}
		query, err := url.ParseQuery(c.Request.URL.RawQuery)
		if err != nil {
			field := badQueryField(c.Request.URL.RawQuery)
			writeError(c, http.StatusBadRequest, "invalid_request", field+": "+err.Error(), field)
			return
		}
		for key, values := range query {
			if msg := badText(key); msg != "" {
				writeError(c, http.StatusBadRequest, "invalid_request", "query parameter name "+strconv.QuoteToASCII(key)+": "+msg, key)
				return
			}
			for _, v := range values {
				if msg := badText(v); msg != "" {
					field := key
					if field == "" {
						field = "query"
					}
					writeError(c, http.StatusBadRequest, "invalid_request", field+": "+msg, field)
					return
				}
			}
		}
		c.Next()
	}
}

// badQueryField names the parameter of the first part of a query string
// that does not decode: its name when the name decodes, else the raw name.
func badQueryField(raw string) string {
	for part := range strings.SplitSeq(raw, "&") {
		key, value, _ := strings.Cut(part, "=")
		k, kerr := url.QueryUnescape(key)
		_, verr := url.QueryUnescape(value)
		if kerr == nil && verr == nil && !strings.Contains(part, ";") {
			continue
		}
		switch {
		case key == "":
			return "query"
		case kerr != nil || strings.Contains(key, ";"):
			return key
		}
		return k
	}
	return "query"
}

// badText says what makes s unfit to be stored or compared as text, or "".
func badText(s string) string {
	if strings.IndexByte(s, 0) >= 0 {
		return "contains a NUL byte"
	}
	if !utf8.ValidString(s) {
		return "is not valid UTF-8"
	}
	return ""
}
