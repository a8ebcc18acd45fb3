package api

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// splitJSON is a split definition in answers.
type splitJSON struct {
	Name      string                `json:"name"`
	Filter    bigmath.ProblemFilter `json:"filter"`
	Seed      int64                 `json:"seed"`
	Fractions bigmath.Fractions     `json:"fractions"`
	Stratify  string                `json:"stratify"`
	CreatedAt time.Time             `json:"created_at"`
	// Counts is the number of problems per part of the latest version;
	// only on GET /v1/splits/{name} and POST /v1/splits.
	Counts *countsJSON `json:"counts,omitempty"`
	// Latest is the latest frozen version (same routes as Counts).
	Latest *versionJSON `json:"latest,omitempty"`
}

// countsJSON is the size of each part of a split.
type countsJSON struct {
	bigmath.SplitCounts
	Total int64 `json:"total"`
}

func splitToJSON(s bigmath.Split) splitJSON {
	return splitJSON{Name: s.Name, Filter: s.Filter, Seed: s.Seed, Fractions: s.Fractions, Stratify: s.Stratify, CreatedAt: s.CreatedAt}
}

// createSplit serves POST /v1/splits (admin): it saves a split and answers
// 201 with its definition and counts.
func (h *corpus) createSplit(c *gin.Context) {
	var req splitRequest
	if err := decodeStrict(c, &req); err != nil {
		respondError(c, err)
		return
	}
	sp := bigmath.Split{
		Name:      req.Name,
		Filter:    req.Filter.filter(),
		Seed:      req.Seed,
		Fractions: bigmath.Fractions{Train: req.Fractions.Train, Validation: req.Fractions.Validation, Test: req.Fractions.Test},
		Stratify:  req.Stratify,
	}
	if err := sp.Validate(); err != nil {
		h.storeError(c, err)
		return
	}
	ctx := c.Request.Context()
	saved, err := h.store.CreateSplit(ctx, sp)
	if err != nil {
		if errors.Is(err, bigmath.ErrConflict) {
			writeError(c, http.StatusConflict, "conflict", fmt.Sprintf("a split named %q exists; split definitions are immutable, pick another name", sp.Name), "name")
			return
		}
		h.storeError(c, err)
		return
	}
	v, err := h.store.GetSplitVersion(ctx, saved.Name, 0)
	if err != nil {
		h.storeError(c, err)
		return
	}
	out := splitToJSON(saved)
	out.Counts, out.Latest = versionCounts(v), ptrTo(versionToJSON(v))
	c.Header("Location", "/v1/splits/"+saved.Name)
	c.JSON(http.StatusCreated, out)
}

// listSplits serves GET /v1/splits: every definition, without counts.
func (h *corpus) listSplits(c *gin.Context) {
	splits, err := h.store.ListSplits(c.Request.Context())
	listJSON(h, c, "splits", splits, err, splitToJSON)
}

// listJSON answers 200 with {key: [conv(item), ...]}, or err as the
// store's error.
func listJSON[T, J any](h *corpus, c *gin.Context, key string, items []T, err error, conv func(T) J) {
	if err != nil {
		h.storeError(c, err)
		return
	}
	out := make([]J, len(items))
	for i, it := range items {
		out[i] = conv(it)
	}
	c.JSON(http.StatusOK, gin.H{key: out})
}

// getSplit serves GET /v1/splits/{name}: the definition and the current
// counts per part.
func (h *corpus) getSplit(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("name")
	sp, err := h.store.GetSplit(ctx, name)
	if err != nil {
		h.storeError(c, err)
		return
	}
	out := splitToJSON(sp)
	v, err := h.store.GetSplitVersion(ctx, name, 0)
	switch {
	case err == nil:
		out.Counts, out.Latest = versionCounts(v), ptrTo(versionToJSON(v))
	case !errors.Is(err, bigmath.ErrNotFound):
		// A split saved before versions existed has none until
		// POST /v1/splits/{name}/versions freezes one.
		h.storeError(c, err)
		return
	}
	c.JSON(http.StatusOK, out)
}
