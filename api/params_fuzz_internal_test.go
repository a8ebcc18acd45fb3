package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

// FuzzValidParams sends arbitrary path segments and query strings through
// validParams: a segment or a query value with a NUL byte or bytes that are
// not UTF-8 is a 400 naming its parameter, a query that does not decode is
// a 400 naming a field, and everything else reaches the handler.
func FuzzValidParams(f *testing.F) {
	for _, seed := range [][2]string{
		{"p1", "q=a"}, {"p%001", ""}, {"%ff", "q=1"}, {"ok", "q=a%00b"}, {"ok", "source=%c3%28"},
		{"ok", "%zz=1"}, {"ok", "cursor=%%%"}, {"ok", "a%00=1"}, {"ok", "=%ff"}, {"ok", "a;b=1"}, {"%e2%82%ac", "q=%e2%82%ac"},
	} {
		f.Add(seed[0], seed[1])
	}
	r := gin.New()
	r.Use(validParams())
	r.GET("/x/:id", func(c *gin.Context) { c.Status(http.StatusOK) })
	f.Fuzz(func(t *testing.T, segment, query string) {
		if segment == "" || strings.ContainsAny(segment, "/?#") || strings.ContainsAny(query, "#") {
			return
		}
		u, err := url.Parse("http://h/x/" + segment + "?" + query)
		if err != nil {
			return
		}
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL = u
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code == http.StatusNotFound || w.Code == http.StatusMovedPermanently || w.Code == http.StatusTemporaryRedirect {
			return // the router's own answer to a path it does not route
		}
		var body struct {
			Error struct{ Code, Field string } `json:"error"`
		}
		json.Unmarshal(w.Body.Bytes(), &body)
		id, _ := url.PathUnescape(u.EscapedPath()[len("/x/"):])
		want := http.StatusOK
		wantField := ""
		if badText(id) != "" {
			want, wantField = http.StatusBadRequest, "id"
		} else if q, err := url.ParseQuery(query); err != nil {
			want = http.StatusBadRequest
		} else {
			for k, vs := range q {
				bad := badText(k) != ""
				for _, v := range vs {
					bad = bad || badText(v) != ""
				}
				if bad {
					want = http.StatusBadRequest
				}
			}
		}
		if w.Code != want {
			t.Fatalf("/x/%s?%s = %d %s, want %d", segment, query, w.Code, w.Body, want)
		}
		if want == http.StatusBadRequest && (body.Error.Field == "" || wantField != "" && body.Error.Field != wantField) {
			t.Fatalf("/x/%s?%s: 400 naming %q, want a field (%q)", segment, query, body.Error.Field, wantField)
		}
	})
}
