package api

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"math"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/gin-gonic/gin/binding"
	"github.com/go-playground/validator/v10"

	"github.com/bigmath/bigmath"
)

// CorpusStore is what the corpus routes (problems, splits, exports, stats) need
// from the database. *postgres.Store implements it. Errors wrap the
// bigmath sentinels (ErrNotFound, ErrConflict, ErrUnavailable) or are a
// *bigmath.ValidationError; the routes map them to 404, 409, 503 and 400.
type CorpusStore interface {
	// ListProblems returns up to limit problems that f selects, after the
	// cursor after (zero = from the start): in id order, or by search rank
	// (highest first, Problem.Rank set) then id when f.Q has a word.
	ListProblems(ctx context.Context, f bigmath.ProblemFilter, after bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error)
	// GetProblem returns one problem with its lineage and verdicts.
	GetProblem(ctx context.Context, id string) (bigmath.Problem, error)
	// ClusterMembers returns up to limit ids of the duplicate cluster other
	// than exceptID, and how many there are in all.
	ClusterMembers(ctx context.Context, clusterID, exceptID string, limit int) ([]string, int64, error)
	// LinksAmong returns the stored duplicate links whose two ends are both
	// in ids, with the edits that explain them.
	LinksAmong(ctx context.Context, ids []string) ([]bigmath.Link, error)
	// CreateSplit saves a split definition.
	CreateSplit(ctx context.Context, s bigmath.Split) (bigmath.Split, error)
	// GetSplit returns a split definition.
	GetSplit(ctx context.Context, name string) (bigmath.Split, error)
	// ListSplits returns every split definition.
	ListSplits(ctx context.Context) ([]bigmath.Split, error)
	// GetSplitVersion returns a frozen version of a split, the latest
	// when version is 0.
	GetSplitVersion(ctx context.Context, name string, version int) (bigmath.SplitVersion, error)
	// ListSplitVersions returns the versions of a split, oldest first.
	ListSplitVersions(ctx context.Context, name string) ([]bigmath.SplitVersion, error)
	// NewSplitVersion freezes the next version of a split from its
	// definition and returns it with its difference from the one before.
	NewSplitVersion(ctx context.Context, name string) (bigmath.SplitVersion, bigmath.SplitDiff, error)
	// GoneMembers lists up to limit members of a version that its filter
	// no longer selects, and how many there are.
	GoneMembers(ctx context.Context, name string, version, limit int) ([]bigmath.GoneMember, int64, error)
	// ExportSplitVersion streams the frozen rows of a version (one part,
	// or all when part is "") to fn, which must not keep the row it is
	// given, in the version's order. Version 0 is the latest.
	ExportSplitVersion(ctx context.Context, name string, version int, part bigmath.Part, fn func(*bigmath.FrozenRow) error) error
	// FunnelStore serves GET /v1/stats.
	FunnelStore
}

// FunnelStore serves the curation funnel of GET /v1/stats.
type FunnelStore interface {
	Funnel(ctx context.Context) (bigmath.Funnel, error)
}

// MaxConcurrentExports bounds the split exports running at once: each one
// holds a database connection and a large sort on the server for its whole
// duration. One more gets 503 with Retry-After.
const MaxConcurrentExports = 2

// corpus holds the handlers of the corpus routes.
type corpus struct {
	store CorpusStore
	d     Deps
	// exports holds one token per running export.
	exports chan struct{}
}

// registerCorpusRoutes adds the problem, split, export and stats routes to
// g (the group of read routes: rate limited, API token). POST /v1/splits
// also needs the admin token. Without d.Corpus there are no corpus routes.
func registerCorpusRoutes(g gin.IRoutes, d Deps) {
	if d.Corpus == nil {
		return
	}
	h := &corpus{store: d.Corpus, d: d, exports: make(chan struct{}, MaxConcurrentExports)}
	g.GET("/v1/problems", h.listProblems)
	g.GET("/v1/problems/:id", h.getProblem)
	g.POST("/v1/splits", requireAdmin(d.AdminToken, d.AdminOff), h.createSplit)
	g.GET("/v1/splits", h.listSplits)
	g.GET("/v1/splits/:name", h.getSplit)
	g.GET("/v1/splits/:name/export", h.exportSplit)
	g.POST("/v1/splits/:name/versions", requireAdmin(d.AdminToken, d.AdminOff), h.newSplitVersion)
	g.GET("/v1/splits/:name/versions", h.listSplitVersions)
	g.GET("/v1/splits/:name/versions/:version", h.getSplitVersion)
	g.GET("/v1/splits/:name/versions/:version/export", h.exportSplit)
	g.GET("/v1/splits/:name/hub", h.exportHub)
	g.GET("/v1/splits/:name/versions/:version/hub", h.exportHub)
	g.GET("/v1/stats", h.stats)
}

// storeError writes the answer for an error of the store.
func (h *corpus) storeError(c *gin.Context, err error) {
	var ve *bigmath.ValidationError
	switch {
	case errors.As(err, &ve):
		writeError(c, http.StatusBadRequest, "invalid_request", ve.Error(), ve.Field)
	case errors.Is(err, bigmath.ErrNotFound):
		writeError(c, http.StatusNotFound, "not_found", err.Error(), "")
	case errors.Is(err, bigmath.ErrConflict):
		writeError(c, http.StatusConflict, "conflict", err.Error(), "")
	case errors.Is(err, bigmath.ErrUnavailable):
		writeError(c, http.StatusServiceUnavailable, "unavailable", "the database is unavailable; retry later", "")
	case errors.Is(err, context.Canceled) && c.Request.Context().Err() != nil:
		// The client went away; nobody reads the answer.
		c.Abort()
	default:
		h.d.Logger.Error("corpus route", "method", c.Request.Method, "route", c.FullPath(), "err", err)
		writeError(c, http.StatusInternalServerError, "internal", "internal error", "")
	}
}

// requestValidator checks the `binding` rules of the request types. Its
// errors name a field by its query (form) or JSON name, so a 400 names the
// parameter the client wrote.
var requestValidator = newRequestValidator()

func newRequestValidator() *validator.Validate {
	// An embedded struct (problemsQuery's filterParams) adds no name to a
	// field's path: the tag-name function names it "".
	v := validator.New(validator.WithTagNameFuncBlankOmit())
	v.SetTagName("binding")
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		if f.Anonymous {
			return ""
		}
		for _, tag := range []string{"form", "json"} {
			if name, _, _ := strings.Cut(f.Tag.Get(tag), ","); name != "" && name != "-" {
				return name
			}
		}
		return f.Name
	})
	// finite: a number that is neither NaN nor infinite.
	if err := v.RegisterValidation("finite", func(fl validator.FieldLevel) bool {
		x := fl.Field().Float()
		return !math.IsNaN(x) && !math.IsInf(x, 0)
	}); err != nil {
		panic(err)
	}
	return v
}

// validationError turns the validator's first complaint into a 400 naming
// the field by its path of query or JSON names (fractions.train).
func validationError(err error, what string) *requestError {
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) || len(verrs) == 0 {
		return badRequest("", "invalid %s: %s", what, err.Error())
	}
	fe := verrs[0]
	name := fe.Namespace()
	if _, rest, ok := strings.Cut(name, "."); ok {
		name = rest // drop the struct's own name
	}
	return badRequest(name, "%s: %s", name, describeRule(fe))
}

// queryParam is one parameter a query type takes.
type queryParam struct {
	name  string
	multi bool // a list: repeated or comma-separated values
}

// queryParams lists the `form` parameters of a query struct type.
func queryParams(t reflect.Type) map[string]queryParam {
	out := map[string]queryParam{}
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			maps.Copy(out, queryParams(f.Type))
		} else if name := f.Tag.Get("form"); name != "" {
			out[name] = queryParam{name: name, multi: f.Type.Kind() == reflect.Slice}
		}
	}
	return out
}

// bindQuery decodes the query string into dst, a pointer to a struct whose
// fields carry `form:"name"` tags (lists take `collection_format:"csv"`),
// with gin's form mapping, then checks its `binding` rules. An unknown
// parameter, a scalar given twice, a value of the wrong type and a value
// the rules reject are 400s that name the parameter.
func bindQuery(c *gin.Context, dst any) *requestError {
	params := queryParams(reflect.TypeOf(dst).Elem())
	q := c.Request.URL.Query()
	names := make([]string, 0, len(q))
	for name := range q {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name == "" {
			// "?=x" or "?&": no name, so nothing a typo could have meant.
			continue
		}
		p, ok := params[name]
		if !ok {
			return unknownParam(name, params)
		}
		if !p.multi && len(q[name]) > 1 {
			return badRequest(name, "%s: given %d times, want once", name, len(q[name]))
		}
		// One parameter at a time, so that a value of the wrong type is
		// reported against its own name.
		if err := binding.MapFormWithTag(dst, map[string][]string{name: trimList(q[name], p.multi)}, "form"); err != nil {
			return badRequest(name, "%s: %s", name, typeProblem(err, q[name][0]))
		}
	}
	if err := requestValidator.Struct(dst); err != nil {
		return validationError(err, "query")
	}
	return nil
}

func unknownParam(name string, params map[string]queryParam) *requestError {
	if len(params) == 0 {
		return badRequest(name, "unknown query parameter %q: this route takes none", name)
	}
	known := make([]string, 0, len(params))
	for k := range params {
		known = append(known, k)
	}
	slices.Sort(known)
	return badRequest(name, "unknown query parameter %q; known: %s", name, strings.Join(known, ", "))
}

// trimList splits the values of a list parameter at commas and drops the
// blanks around and between items.
func trimList(values []string, multi bool) []string {
	if !multi {
		return values
	}
	var out []string
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			if part = strings.TrimSpace(part); part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

// typeProblem says in words why a value did not decode.
func typeProblem(err error, value string) string {
	var ne *strconv.NumError
	if errors.As(err, &ne) {
		switch ne.Func {
		case "ParseBool":
			return fmt.Sprintf("want true or false, got %q", value)
		case "ParseFloat":
			return fmt.Sprintf("want a number, got %q", value)
		default:
			return fmt.Sprintf("want an integer, got %q", value)
		}
	}
	return fmt.Sprintf("cannot read %q: %v", value, err)
}

// describeRule says in words what a validator rule wants.
func describeRule(fe validator.FieldError) string {
	switch fe.Tag() {
	case "required":
		return "required"
	case "min", "gte":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", fe.Param())
		}
		return fmt.Sprintf("must be at least %s, got %v", fe.Param(), reflectValue(fe.Value()))
	case "max", "lte":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", fe.Param())
		}
		return fmt.Sprintf("must be at most %s, got %v", fe.Param(), reflectValue(fe.Value()))
	case "oneof":
		return fmt.Sprintf("must be one of %s, got %q", strings.ReplaceAll(fe.Param(), " ", ", "), fmt.Sprint(fe.Value()))
	}
	return fmt.Sprintf("fails the %q rule", fe.Tag())
}

func reflectValue(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Pointer && !rv.IsNil() {
		return rv.Elem().Interface()
	}
	return v
}
