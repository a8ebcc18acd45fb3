package api

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestRequestLogLevels: the documented back-pressure 503s (busy,
// over_capacity) are logged as warnings with their code; other 5xx,
// including a 503 for an unavailable database, as errors; the rest as info.
func TestRequestLogLevels(t *testing.T) {
	tests := []struct {
		status    int
		code      string
		wantLevel string
	}{
		{http.StatusServiceUnavailable, "busy", "WARN"},
		{http.StatusServiceUnavailable, "over_capacity", "WARN"},
		{http.StatusServiceUnavailable, "unavailable", "ERROR"},
		{http.StatusInternalServerError, "internal", "ERROR"},
		{http.StatusBadRequest, "invalid_request", "INFO"},
		{http.StatusOK, "", "INFO"},
	}
	for _, tc := range tests {
		t.Run(tc.code+"_"+http.StatusText(tc.status), func(t *testing.T) {
			var logged bytes.Buffer
			r := gin.New()
			r.Use(requestLog(slog.New(slog.NewTextHandler(&logged, nil))))
			r.GET("/x", func(c *gin.Context) {
				if tc.code == "" {
					c.Status(tc.status)
					return
				}
				writeError(c, tc.status, tc.code, "m", "")
			})
			r.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/x", nil))
			line := logged.String()
			if !strings.Contains(line, "level="+tc.wantLevel+" ") || !strings.Contains(line, "code="+tc.code) {
				t.Errorf("%d %s logged as %q, want level %s with the code", tc.status, tc.code, line, tc.wantLevel)
			}
		})
	}
}
