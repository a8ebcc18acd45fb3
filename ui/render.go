package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"
	"net/http"
	"net/url"
	"strconv"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// pageNames are the templates/<name>.html pages; each is parsed with
// templates/layout.html.
var pageNames = []string{"overview", "problems", "problem", "splits", "playground", "login", "error"}

var funcs = template.FuncMap{
	"pct": func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strconv.FormatFloat(100**x, 'f', 1, 64) + "%"
	},
	"num": func(x *float64) string {
		if x == nil {
			return "–"
		}
		return strconv.FormatFloat(*x, 'g', 4, 64)
	},
	"query": func(kv ...string) string {
		q := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			q.Set(kv[i], kv[i+1])
		}
		return q.Encode()
	},
	"pathEscape": url.PathEscape,
	"sub":        func(a, b int) int { return a - b },
	"short": func(s string) string {
		if len(s) > 19 {
			return s[:19] + "…"
		}
		return s
	},
	"json": func(v any) string {
		b, _ := json.Marshal(v)
		return string(b)
	},
	"list": func() []string { return []string{"", "kept", "dropped", "pending", "all"} },
	"f1":   func(x float64) string { return strconv.FormatFloat(math.Round(x*10)/10, 'f', 1, 64) },
}

func parsePages() map[string]*template.Template {
	base := template.Must(template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html"))
	pages := map[string]*template.Template{}
	for _, name := range pageNames {
		t := template.Must(template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html"))
		pages[name] = t
	}
	return pages
}

// page is what every template gets: the page's own data and the visitor.
type page struct {
	Title   string
	Nav     string
	Visitor visitor
	CSRF    string
	Data    any
	// Version is the binary's (and its verifier's) version.
	Version string
}

// render writes the page name with data, in the layout. The page is
// rendered to a buffer first, so a template error is a clean 500.
func (u *UI) render(c *gin.Context, status int, name string, data any) {
	v := u.visitorOf(c)
	p := page{Title: name, Nav: name, Visitor: v, CSRF: u.csrfToken(c), Data: data, Version: bigmath.Version}
	if m, ok := data.(gin.H); ok {
		if t, ok := m["Title"].(string); ok {
			p.Title = t
		}
	}
	var buf bytes.Buffer
	if err := u.pages[name].ExecuteTemplate(&buf, "layout.html", p); err != nil {
		u.cfg.Logger.Error("ui template", "page", name, "err", err)
		c.Data(http.StatusInternalServerError, "text/plain; charset=utf-8", []byte("internal error rendering the page"))
		c.Abort()
		return
	}
	c.Header("Cache-Control", "no-store")
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// fail renders the error page.
func (u *UI) fail(c *gin.Context, status int, msg string) {
	u.render(c, status, "error", gin.H{"Title": http.StatusText(status), "Status": status, "Message": msg})
	c.Abort()
}

// failErr renders the error page for an error of the store or an API call.
func (u *UI) failErr(c *gin.Context, what string, err error) {
	if ae, ok := err.(*apiError); ok {
		u.fail(c, ae.Status, fmt.Sprintf("%s: %s", what, ae.Message))
		return
	}
	status, msg := storeStatus(err)
	if status == http.StatusInternalServerError {
		u.cfg.Logger.Error("ui", "what", what, "err", err)
	}
	u.fail(c, status, what+": "+msg)
}
