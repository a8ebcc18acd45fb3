// Package api is bigmath's HTTP interface: a gin router with the health,
// corpus and reward routes, request validation, and one mapping from errors
// to JSON error responses of the shape {"error":{"code","message","field"}}.
//
// The api package does not import postgres: it declares the small interfaces
// it needs (see Deps) and cmd/bigmath wires the implementations.
//
// Middleware order, outermost first: panic recovery, request log, metrics,
// body limit, the check of path and query parameters (no NUL byte, valid
// UTF-8: a 400 naming the parameter), then per route group: rate limit and bearer-token checks (the
// health and metrics routes skip both). Reward routes also take a share of
// the reward capacity (see Deps.MaxInFlight) and answer 503 with
// Retry-After when it is used up, instead of queuing without bound.
package api

import (
	"context"
	_ "embed"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// OpenAPI is the OpenAPI 3.0 description of every route (api/openapi.yaml),
// served on GET /openapi.yaml.
//
//go:embed openapi.yaml
var OpenAPI []byte

// Deps is what the router needs from the rest of the program. Only Logger
// and Ready are needed for the health routes; the zero value of every other
// field turns its feature off or takes a default.
type Deps struct {
	Logger *slog.Logger
	// Ready reports whether the database is reachable and migrated; nil
	// means there is no database.
	Ready func(ctx context.Context) error

	Corpus CorpusStore // problems, splits, exports and stats (corpus.go); nil leaves those routes out
	// Golds looks up gold answers by problem id for the reward routes; nil
	// means no database: items with a problem_id get reason "unavailable".
	Golds GoldStore
	// Recorder stores the outcome of reward items sent with "record": true;
	// nil turns recording off. The caller starts and closes it.
	Recorder *Recorder
	// DBStats reads the database pool statistics exported on /metrics; nil
	// leaves them out.
	DBStats func() DBStats

	// AdminToken, when set, is the bearer token admin routes require.
	AdminToken string
	// AdminOff leaves the admin routes out: they answer 404 as unknown
	// routes do. cmd/bigmath sets it when the server listens beyond
	// loopback without an AdminToken.
	AdminOff bool
	// APIToken, when set, is the bearer token read and reward routes require
	// (the admin token is accepted too).
	APIToken string
	// BodyLimit is the largest request body in bytes; 0 means 8 MiB.
	BodyLimit int64
	// RateLimit is the number of requests per second allowed per client
	// (token bucket with a burst of twice the rate); 0 turns it off.
	RateLimit float64
	// RewardTimeout is the hard deadline of one reward check; 0 means 50 ms.
	RewardTimeout time.Duration
	// BatchTimeout is the time one reward request may spend checking; items
	// not reached by then come back with reason deadline_exceeded,
	// retryable. 0 means MaxRequestTime (30 s).
	BatchTimeout time.Duration
	// ExportIdleTimeout cuts off an export whose reader takes no bytes for
	// this long (a per-write deadline); 0 means DefaultExportIdleTimeout.
	ExportIdleTimeout time.Duration
	// UI, when set, mounts the corpus browser (ui.UI.Mount) on a group of
	// the router that is rate limited like the API; the browser checks the
	// tokens itself (a session cookie) and calls the API routes in process
	// through router. nil leaves /ui/ out.
	UI func(g *gin.RouterGroup, router http.Handler)
	// MaxInFlight caps the reward items being checked at once, over all
	// requests; a request that would exceed it gets 503 with Retry-After.
	// 0 means DefaultMaxInFlight.
	MaxInFlight int64
}

// NewRouter returns the HTTP handler of bigmath. Every router owns its
// metrics registry, gold cache and rate limiter, so tests can build many.
func NewRouter(d Deps) *gin.Engine {
	if d.Logger == nil {
		d.Logger = slog.New(slog.DiscardHandler)
	}
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	// The client address is the peer address: X-Forwarded-For is not
	// trusted, so a client cannot pick its own rate-limit bucket.
	_ = r.SetTrustedProxies(nil)
	m := newMetrics(d)
	r.Use(recoverJSON(d.Logger), requestLog(d.Logger), m.middleware(), bodyLimit(d.BodyLimit), validParams())
	r.NoRoute(func(c *gin.Context) {
		writeError(c, http.StatusNotFound, "not_found", "no route "+c.Request.Method+" "+c.Request.URL.Path, "")
	})
	r.HandleMethodNotAllowed = true
	r.NoMethod(func(c *gin.Context) {
		writeError(c, http.StatusMethodNotAllowed, "method_not_allowed", "method "+c.Request.Method+" is not allowed on "+c.Request.URL.Path, "")
	})

	// Unauthenticated, not rate limited: probes and scrapers.
	r.GET("/healthz", func(c *gin.Context) {
		c.JSON(http.StatusOK, gin.H{"status": "ok"})
	})
	r.GET("/readyz", readyz(d.Ready, d.Logger))
	r.GET("/metrics", m.handler())
	r.GET("/openapi.yaml", func(c *gin.Context) {
		c.Data(http.StatusOK, "application/yaml", OpenAPI)
	})

	// Read and reward routes: rate limit, then the API token. Admin routes
	// add requireAdmin(d.AdminToken, d.AdminOff) on top.
	open := r.Group("", rateLimit(d.RateLimit), requireAPI(d.APIToken, d.AdminToken))

	rw := newRewarder(d, m)
	rw.register(open)
	// Corpus routes (corpus-API helper) register on `open` here.
	registerCorpusRoutes(open, d)
	if d.UI != nil {
		d.UI(r.Group("", rateLimit(d.RateLimit)), r)
	}
	return r
}

// readyz answers the readiness probe. The reason of a 503 says what is wrong
// in general terms only: the error itself, which names the database's user,
// host and port, goes to the log.
func readyz(ready func(ctx context.Context) error, logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		if ready == nil {
			writeError(c, http.StatusServiceUnavailable, "not_ready", "no database configured", "")
			return
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), 2*time.Second)
		defer cancel()
		if err := ready(ctx); err != nil {
			reason := "database not ready (not migrated?): see the server log"
			if errors.Is(err, bigmath.ErrUnavailable) || errors.Is(err, context.DeadlineExceeded) {
				reason = "database unreachable"
			}
			logger.Warn("not ready", "err", err)
			c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "reason": reason})
			return
		}
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
	}
}

// errorBody is the JSON shape of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Field   string `json:"field,omitempty"`
}

func writeError(c *gin.Context, status int, code, message, field string) {
	c.Set(errorCodeKey, code)
	c.AbortWithStatusJSON(status, errorBody{Error: errorDetail{Code: code, Message: message, Field: field}})
}

// recoverJSON turns a panic in a handler into a logged 500 with the JSON error shape.
func recoverJSON(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					panic(r)
				}
				logger.Error("panic in handler", "method", c.Request.Method, "path", c.FullPath(), "panic", r)
				writeError(c, http.StatusInternalServerError, "internal", "internal error", "")
			}
		}()
		c.Next()
	}
}

// errorCodeKey is the gin context key under which writeError keeps the
// answer's error code, for the request log.
const errorCodeKey = "bigmath.error_code"

// backPressure are the codes of the 503s that say the server is at its
// documented capacity (the client retries after Retry-After): the request
// log shows them as warnings, not errors.
var backPressure = map[string]bool{"busy": true, "over_capacity": true}

// requestLog logs one line per request: 5xx at ERROR, except the
// documented back-pressure 503s, at WARN.
func requestLog(logger *slog.Logger) gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		status := c.Writer.Status()
		code := c.GetString(errorCodeKey)
		level := slog.LevelInfo
		switch {
		case status == http.StatusServiceUnavailable && backPressure[code]:
			level = slog.LevelWarn
		case status >= 500:
			level = slog.LevelError
		}
		if !logger.Enabled(c.Request.Context(), level) {
			return
		}
		logger.LogAttrs(c.Request.Context(), level, "request",
			slog.String("method", c.Request.Method),
			slog.String("route", c.FullPath()),
			slog.String("path", c.Request.URL.Path),
			slog.Int("status", status),
			slog.String("code", code),
			slog.Int("bytes", c.Writer.Size()),
			slog.Float64("duration_ms", float64(time.Since(start).Microseconds())/1000),
			slog.String("client", c.ClientIP()),
		)
	}
}
