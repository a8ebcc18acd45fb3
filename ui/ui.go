// Package ui is bigmath's corpus browser, served under /ui/: the curation
// funnel as inline SVG charts, a problem search with the filters of
// GET /v1/problems, a page per problem (lineage, stage verdicts, the
// duplicate cluster side by side with its differences marked, contamination,
// attempts), the splits with download links, and a reward playground.
//
// Pages are rendered on the server with html/template; the only script is
// static/app.js, which runs the vendored KaTeX (third_party/katex, embedded
// in the binary) over the page. Nothing is fetched from another host.
//
// The browser is read-only unless the admin token is given, and protected
// by the same tokens as the API: with BIGMATH_API_TOKEN set, a visitor
// enters a token once on /ui/login and gets a signed HttpOnly cookie;
// admin forms carry a CSRF token. The search, split creation and downloads
// go through the API's own routes in process (with the visitor's token), so
// they validate and answer exactly as the API does.
package ui

import (
	"context"
	"crypto/rand"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/third_party/katex"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Store is what the browser reads directly from the database;
// *postgres.Store implements it.
type Store interface {
	Funnel(ctx context.Context) (bigmath.Funnel, error)
	// DifficultyCounts counts kept problems by difficulty (rounded to one
	// decimal) and those without one.
	DifficultyCounts(ctx context.Context) (map[float64]int64, int64, error)
	GetProblem(ctx context.Context, id string) (bigmath.Problem, error)
	ClusterMembers(ctx context.Context, clusterID, exceptID string, limit int) ([]string, int64, error)
	// LinksAmong returns the duplicate links between the given problems.
	LinksAmong(ctx context.Context, ids []string) ([]bigmath.Link, error)
	ListSplits(ctx context.Context) ([]bigmath.Split, error)
	SplitCounts(ctx context.Context, name string) (bigmath.SplitCounts, error)
	// ListSplitVersions returns the frozen versions of a split, oldest
	// first.
	ListSplitVersions(ctx context.Context, name string) ([]bigmath.SplitVersion, error)
}

// Config configures the browser. The token fields have the meaning of the
// api.Deps fields of the same names.
type Config struct {
	Store  Store
	Logger *slog.Logger
	// APIToken, when set, is needed (or the admin token) to see any page.
	APIToken string
	// AdminToken, when set, is needed for the admin forms; when empty the
	// forms are open, unless AdminOff.
	AdminToken string
	// AdminOff leaves the admin forms out, as the API leaves its admin
	// routes out.
	AdminOff bool
	// RewardTimeout bounds one playground check; 0 means 50 ms.
	RewardTimeout time.Duration
	// SessionTTL is how long a login lasts; 0 means 7 days.
	SessionTTL time.Duration
}

// UI is the corpus browser. Mount registers its routes.
type UI struct {
	cfg    Config
	pages  map[string]*template.Template
	router http.Handler // the whole API router, for in-process API calls
	// csrfKey signs the CSRF tokens of this process's forms.
	csrfKey []byte
}

// New returns the browser for cfg.
func New(cfg Config) *UI {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.RewardTimeout <= 0 {
		cfg.RewardTimeout = 50 * time.Millisecond
	}
	if cfg.SessionTTL <= 0 {
		cfg.SessionTTL = 7 * 24 * time.Hour
	}
	key := make([]byte, 32)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	return &UI{cfg: cfg, pages: parsePages(), csrfKey: key}
}

// Mount registers the browser's routes on g (a group of the API router,
// rate limited as the API is); router is that whole router, which the
// browser calls in process for the search, split creation and downloads.
// It has the signature of api.Deps.UI.
func (u *UI) Mount(g *gin.RouterGroup, router http.Handler) {
	u.router = router
	static, _ := fs.Sub(staticFS, "static")
	g.GET("/ui", func(c *gin.Context) { c.Redirect(http.StatusMovedPermanently, "/ui/") })
	s := g.Group("/ui", securityHeaders)
	s.GET("/static/katex/*file", serveFS(katex.FS))
	s.GET("/static/app/*file", serveFS(static))
	s.GET("/login", u.loginPage)
	s.POST("/login", u.login)
	s.POST("/logout", u.logout)
	r := s.Group("", u.requireRead)
	r.GET("/", u.overview)
	r.GET("/problems", u.problems)
	r.GET("/problems/:id", u.problem)
	r.GET("/splits", u.splits)
	r.POST("/splits", u.requireAdminForm, u.createSplit)
	r.GET("/download/*path", u.download)
	r.GET("/playground", u.playground)
	r.POST("/playground", u.playground)
}

// securityHeaders keeps every script, style and font on this host and the
// pages out of frames.
func securityHeaders(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "+
		"font-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	c.Next()
}

// serveFS serves the files of fsys under the route's *file parameter;
// they are immutable for the life of the binary.
func serveFS(fsys fs.FS) gin.HandlerFunc {
	files := http.FileServerFS(fsys)
	return func(c *gin.Context) {
		name := c.Param("file")
		if name == "" || strings.HasSuffix(name, "/") { // no directory listings
			c.Status(http.StatusNotFound)
			return
		}
		c.Header("Cache-Control", "public, max-age=86400")
		req := c.Request.Clone(c.Request.Context())
		req.URL.Path = name
		files.ServeHTTP(c.Writer, req)
	}
}
