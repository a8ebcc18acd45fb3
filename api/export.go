package api

import (
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// exportQuery is the query of GET /v1/splits/{name}/export.
type exportQuery struct {
	Format string `form:"format" binding:"omitempty,oneof=jsonl parquet verl"`
	Part   string `form:"part" binding:"omitempty,oneof=train validation test"`
}

// exportSplit serves GET /v1/splits/{name}/export: the split's rows (one
// part, or all) streamed as they are read, in the split's order (see
// CorpusStore.ExportSplit). The format defaults
// to jsonl. An error before the first byte is a JSON error; after it, the
// connection is cut so that the client sees a truncated transfer rather
// than a short file that looks complete.
func (h *corpus) exportSplit(c *gin.Context) {
	var q exportQuery
	if err := bindQuery(c, &q); err != nil {
		respondError(c, err)
		return
	}
	select {
	case h.exports <- struct{}{}:
		defer func() { <-h.exports }()
	default:
		c.Header("Retry-After", "5")
		writeError(c, http.StatusServiceUnavailable, "busy",
			fmt.Sprintf("%d exports are running, the most this server runs at once; retry shortly", MaxConcurrentExports), "")
		return
	}
	format := export.FormatJSONL
	if q.Format != "" {
		format = export.Format(q.Format)
	}
	name := c.Param("name")
	file := name
	if q.Part != "" {
		file += "-" + q.Part
	}
	if format == export.FormatVerl {
		file += "-verl"
	}
	c.Header("Content-Type", format.ContentType())
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file+format.Extension()))
	c.Header("X-Content-Type-Options", "nosniff")

	w := export.NewWriter(c.Writer, format)
	err := h.store.ExportSplit(c.Request.Context(), name, bigmath.Part(q.Part), w.Write)
	if err == nil {
		err = w.Close()
	}
	if err == nil {
		return
	}
	if !c.Writer.Written() {
		c.Writer.Header().Del("Content-Disposition")
		c.Writer.Header().Del("Content-Type")
		h.storeError(c, err)
		return
	}
	if c.Request.Context().Err() == nil {
		h.d.Logger.Error("export cut short", "split", name, "format", format, "rows", w.Rows(), "err", err)
	}
	// Abort the response: net/http closes the connection without ending
	// the chunked body, so the client sees an error.
	panic(http.ErrAbortHandler)
}
