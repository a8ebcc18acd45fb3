package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// MaxGoneMembers bounds the members a version page lists as no longer
// selected.
const MaxGoneMembers = 100

// versionJSON is a frozen split version in answers.
type versionJSON struct {
	Split         string                  `json:"split"`
	Version       int                     `json:"version"`
	FormatVersion int                     `json:"format_version"`
	Filter        bigmath.ProblemFilter   `json:"filter"`
	Seed          int64                   `json:"seed"`
	Fractions     bigmath.Fractions       `json:"fractions"`
	Stratify      string                  `json:"stratify"`
	Counts        countsJSON              `json:"counts"`
	ContentHash   string                  `json:"content_hash"`
	Sources       []bigmath.VersionSource `json:"sources"`
	CreatedAt     time.Time               `json:"created_at"`
	// Funnel and Gone are only on GET /v1/splits/{name}/versions/{version}.
	Funnel *bigmath.Funnel `json:"funnel,omitempty"`
	Gone   *goneJSON       `json:"gone,omitempty"`
}

// goneJSON lists the members of a version that today's filter no longer
// selects: the version still exports them as frozen.
type goneJSON struct {
	Total   int64                `json:"total"`
	Members []bigmath.GoneMember `json:"members"`
}

func versionToJSON(v bigmath.SplitVersion) versionJSON {
	sources := v.Sources
	if sources == nil {
		sources = []bigmath.VersionSource{}
	}
	return versionJSON{
		Split: v.Split, Version: v.Version, FormatVersion: v.FormatVersion,
		Filter: v.Filter, Seed: v.Seed, Fractions: v.Fractions, Stratify: v.Stratify,
		Counts: *versionCounts(v), ContentHash: v.ContentHash, Sources: sources, CreatedAt: v.CreatedAt,
	}
}

func versionCounts(v bigmath.SplitVersion) *countsJSON {
	return &countsJSON{SplitCounts: v.Counts, Total: v.Counts.Total()}
}

func ptrTo[T any](v T) *T { return &v }

// versionParam reads the {version} path parameter: a positive integer, or
// 0 (the latest) when the route has none.
func versionParam(c *gin.Context) (int, error) {
	s := c.Param("version")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		return 0, badRequest("version", "version: must be a positive integer, not %q", s)
	}
	return n, nil
}

// diffJSON is the answer of POST /v1/splits/{name}/versions.
type diffJSON struct {
	Version versionJSON                       `json:"version"`
	From    int                               `json:"from"`
	Diff    map[bigmath.Part]bigmath.PartDiff `json:"diff"`
}

// newSplitVersion serves POST /v1/splits/{name}/versions (admin): it
// freezes the next version from the split's definition over today's corpus
// and answers 201 with it and what each part gained and lost.
func (h *corpus) newSplitVersion(c *gin.Context) {
	v, d, err := h.store.NewSplitVersion(c.Request.Context(), c.Param("name"))
	if err != nil {
		h.storeError(c, err)
		return
	}
	c.Header("Location", "/v1/splits/"+v.Split+"/versions/"+strconv.Itoa(v.Version))
	c.JSON(http.StatusCreated, diffJSON{Version: versionToJSON(v), From: d.From, Diff: d.Parts})
}

// listSplitVersions serves GET /v1/splits/{name}/versions.
func (h *corpus) listSplitVersions(c *gin.Context) {
	vs, err := h.store.ListSplitVersions(c.Request.Context(), c.Param("name"))
	listJSON(h, c, "versions", vs, err, versionToJSON)
}

// getSplitVersion serves GET /v1/splits/{name}/versions/{version}: the
// version with its funnel, and the members that today's filter no longer
// selects.
func (h *corpus) getSplitVersion(c *gin.Context) {
	n, err := versionParam(c)
	if err != nil {
		respondError(c, err)
		return
	}
	ctx := c.Request.Context()
	v, err := h.store.GetSplitVersion(ctx, c.Param("name"), n)
	if err != nil {
		h.storeError(c, err)
		return
	}
	gone, total, err := h.store.GoneMembers(ctx, v.Split, v.Version, MaxGoneMembers)
	if err != nil {
		h.storeError(c, err)
		return
	}
	out := versionToJSON(v)
	out.Funnel, out.Gone = &v.Funnel, &goneJSON{Total: total, Members: gone}
	c.JSON(http.StatusOK, out)
}
