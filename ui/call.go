package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/gin-gonic/gin"
)

// apiError is an error answer of an in-process API call.
type apiError struct {
	Status  int
	Code    string
	Message string
	Field   string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message)
}

// apiRequest builds a request of the API for the visitor of c: the same
// client address (so the rate limit sees one client) and the visitor's
// token as the bearer.
func apiRequest(c *gin.Context, method, path string, query url.Values, body io.Reader) *http.Request {
	req, _ := http.NewRequestWithContext(c.Request.Context(), method, "/", body)
	req.URL = &url.URL{Path: path, RawQuery: query.Encode()}
	req.RequestURI = req.URL.RequestURI()
	req.RemoteAddr = c.Request.RemoteAddr
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if v, ok := c.Get("visitor"); ok && v.(visitor).Bearer != "" {
		req.Header.Set("Authorization", "Bearer "+v.(visitor).Bearer)
	}
	return req
}

// callAPI calls a route of the API in process and decodes its JSON
// answer into dst; an error answer comes back as an *apiError.
func (u *UI) callAPI(c *gin.Context, method, path string, query url.Values, body any, dst any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	rec := httptest.NewRecorder()
	u.router.ServeHTTP(rec, apiRequest(c, method, path, query, rd))
	if rec.Code >= 300 {
		var eb struct {
			Error struct{ Code, Message, Field string } `json:"error"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &eb)
		if eb.Error.Message == "" {
			eb.Error.Message = strings.TrimSpace(rec.Body.String())
		}
		return &apiError{Status: rec.Code, Code: eb.Error.Code, Message: eb.Error.Message, Field: eb.Error.Field}
	}
	if dst == nil {
		return nil
	}
	return json.Unmarshal(rec.Body.Bytes(), dst)
}

// download serves GET /ui/download/<path>: a GET of /v1/<path> of the
// split routes (exports and their variants), streamed through with the
// visitor's token, so that a logged-in browser can follow a download link
// when the API needs a bearer token.
func (u *UI) download(c *gin.Context) {
	p := c.Param("path")
	if !strings.HasPrefix(p, "/splits/") || strings.Contains(p, "..") {
		u.fail(c, http.StatusNotFound, "Only split downloads go through /ui/download/splits/...")
		return
	}
	u.router.ServeHTTP(c.Writer, apiRequest(c, http.MethodGet, "/v1"+p, c.Request.URL.Query(), nil))
	c.Abort()
}
