package api

import (
	"archive/tar"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// exportSplit serves GET /v1/splits/{name}/versions/{version}/export and
// GET /v1/splits/{name}/export (the latest version): the version's frozen
// rows (one part, or all) streamed as they are read, in the version's
// order (see CorpusStore.ExportSplitVersion). The headers
// X-Bigmath-Split-Version and X-Bigmath-Content-Hash name the version and
// its hash (the sha256 of the version's full JSON Lines export). The format defaults
// to jsonl. An error before the first byte is a JSON error; after it, the
// connection is cut so that the client sees a truncated transfer rather
// than a short file that looks complete.
func (h *corpus) exportSplit(c *gin.Context) {
	var q exportQuery
	if err := bindQuery(c, &q); err != nil {
		respondError(c, err)
		return
	}
	v, release, ok := h.exportVersion(c)
	if !ok {
		return
	}
	defer release()
	format := export.FormatJSONL
	if q.Format != "" {
		format = export.Format(q.Format)
	}
	name := c.Param("name")
	file := fmt.Sprintf("%s-v%d", name, v.Version)
	if q.Part != "" {
		file += "-" + q.Part
	}
	if format == export.FormatVerl {
		file += "-verl"
	}
	download(c, format.ContentType(), file+format.Extension(), v)

	iw := newIdleWriter(c.Writer, h.d.ExportIdleTimeout)
	defer iw.clear() // the connection may serve more requests
	w := export.NewWriter(iw, format)
	err := h.store.ExportSplitVersion(c.Request.Context(), name, v.Version, bigmath.Part(q.Part), w.WriteFrozen)
	h.endDownload(c, iw, err, w.Close, func() []any { return []any{"split", name, "format", format, "rows", w.Rows()} })
}

// endDownload ends a streamed download whose rows ended with err (nil when
// all were written). It closes the stream; on an error, when no byte was
// written yet it answers JSON, else it logs why the download broke off
// (with what describes it) and aborts the response: net/http then closes
// the connection without ending the chunked body, so the client sees an
// error.
func (h *corpus) endDownload(c *gin.Context, iw *idleWriter, err error, close func() error, what func() []any) {
	if err == nil {
		err = close()
	}
	if err == nil || h.failUnwritten(c, err) {
		return
	}
	switch {
	case iw.cutOff:
		h.d.Logger.Warn("export cut off: the reader took no bytes for the idle time", append(what(), "idle", iw.idle.String(), "client", c.ClientIP())...)
	case c.Request.Context().Err() == nil:
		h.d.Logger.Error("export cut short", append(what(), "err", err)...)
	}
	panic(http.ErrAbortHandler)
}

// DefaultExportIdleTimeout is how long an export waits for a reader that
// takes no bytes before it cuts the connection (Deps.ExportIdleTimeout).
// The server sees a reader's progress only as TCP delivers it: a reader
// that takes at least 256 KB per idle time (9 KB/s at the default) is not
// cut off when served through Listener; a slower one may be.
const DefaultExportIdleTimeout = 30 * time.Second

// idleWriter gives each write to the connection a deadline of idle from
// now, so that an export whose reader stops taking bytes fails its write
// after idle and ends, freeing its export slot and database connection. A
// slow reader that makes progress is not cut off. The deadline is moved at
// most every idle/8, not on every row.
type idleWriter struct {
	w     http.ResponseWriter
	rc    *http.ResponseController
	idle  time.Duration
	moved time.Time
	// cutOff is set when a write met the deadline: the reader took no
	// bytes for idle.
	cutOff bool
}

func newIdleWriter(w http.ResponseWriter, idle time.Duration) *idleWriter {
	if idle <= 0 {
		idle = DefaultExportIdleTimeout
	}
	return &idleWriter{w: w, rc: http.NewResponseController(w), idle: idle}
}

// idlePiece is the most bytes one write to the connection carries: the
// deadline moves between pieces, so a reader that takes a piece within the
// idle time is not cut off in the middle of a larger write.
const idlePiece = 8 << 10

func (iw *idleWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		piece := p[:min(len(p), idlePiece)]
		if now := time.Now(); now.Sub(iw.moved) > iw.idle/8 {
			// An error means the writer cannot take deadlines (a test
			// recorder): write without one.
			_ = iw.rc.SetWriteDeadline(now.Add(iw.idle))
			iw.moved = now
		}
		n, err := iw.w.Write(piece)
		written += n
		if err != nil {
			if errors.Is(err, os.ErrDeadlineExceeded) {
				iw.cutOff = true
			}
			return written, err
		}
		p = p[n:]
	}
	return written, nil
}

// clear removes the write deadline.
func (iw *idleWriter) clear() { _ = iw.rc.SetWriteDeadline(time.Time{}) }

// exportVersion takes an export slot and looks up the version of the split
// the request names. When it cannot, it has answered the request and ok is
// false; else the caller must call release when done.
func (h *corpus) exportVersion(c *gin.Context) (v bigmath.SplitVersion, release func(), ok bool) {
	n, err := versionParam(c)
	if err != nil {
		respondError(c, err)
		return v, nil, false
	}
	if release, ok = h.exportSlot(c); !ok {
		return v, nil, false
	}
	if v, err = h.store.GetSplitVersion(c.Request.Context(), c.Param("name"), n); err != nil {
		release()
		h.storeError(c, err)
		return v, nil, false
	}
	return v, release, true
}

// download sets the headers of a download of version v as file: its type,
// its file name, and the version served with its content hash.
func download(c *gin.Context, contentType, file string, v bigmath.SplitVersion) {
	c.Header("Content-Type", contentType)
	c.Header("Content-Disposition", fmt.Sprintf("attachment; filename=%q", file))
	c.Header("X-Content-Type-Options", "nosniff")
	c.Header("X-Bigmath-Split-Version", strconv.Itoa(v.Version))
	c.Header("X-Bigmath-Content-Hash", "sha256:"+v.ContentHash)
}

// exportHub serves GET /v1/splits/{name}/versions/{version}/hub and
// GET /v1/splits/{name}/hub (the latest version): the version in the
// Hugging Face Hub layout (export.WriteHub) as a tar stream whose files sit
// under "<name>-v<version>/", the same files `bigmath export --dir`
// writes. It takes an export slot like exportSplit.
func (h *corpus) exportHub(c *gin.Context) {
	v, release, ok := h.exportVersion(c)
	if !ok {
		return
	}
	defer release()
	ctx := c.Request.Context()
	name := c.Param("name")
	root := fmt.Sprintf("%s-v%d", name, v.Version)
	download(c, "application/x-tar", root+".tar", v)
	iw := newIdleWriter(c.Writer, h.d.ExportIdleTimeout)
	defer iw.clear()
	tw := tar.NewWriter(iw)
	rows := func(part bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
		return h.store.ExportSplitVersion(ctx, name, v.Version, part, fn)
	}
	err := export.WriteHub(export.TarSink{W: tw, Prefix: root, ModTime: v.CreatedAt.UTC().Truncate(time.Second)}, v, rows)
	h.endDownload(c, iw, err, tw.Close, func() []any { return []any{"split", name, "format", "hub", "version", v.Version} })
}

// failUnwritten answers err as a JSON error, without the download's
// headers, when no byte of the body was written yet, and reports whether
// it did; after the first byte only aborting the response can tell the
// client.
func (h *corpus) failUnwritten(c *gin.Context, err error) bool {
	if c.Writer.Written() {
		return false
	}
	c.Writer.Header().Del("Content-Disposition")
	c.Writer.Header().Del("Content-Type")
	h.storeError(c, err)
	return true
}

// exportSlot takes one of the MaxConcurrentExports slots, or answers 503
// busy with Retry-After and reports false. The caller defers release.
func (h *corpus) exportSlot(c *gin.Context) (release func(), ok bool) {
	select {
	case h.exports <- struct{}{}:
		return func() { <-h.exports }, true
	default:
		c.Header("Retry-After", "5")
		writeError(c, http.StatusServiceUnavailable, "busy",
			fmt.Sprintf("%d exports are running, the most this server runs at once; retry shortly", MaxConcurrentExports), "")
		return nil, false
	}
}
