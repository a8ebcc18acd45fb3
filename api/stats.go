package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// stats serves GET /v1/stats: the curation funnel (bigmath.Funnel), the
// same document as `bigmath stats --json`.
func (h *corpus) stats(c *gin.Context) {
	if err := bindQuery(c, &struct{}{}); err != nil {
		respondError(c, err)
		return
	}
	f, err := h.store.Funnel(c.Request.Context())
	if err != nil {
		h.storeError(c, err)
		return
	}
	c.JSON(http.StatusOK, f)
}
