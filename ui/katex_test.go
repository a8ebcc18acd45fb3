package ui_test

import (
	"io/fs"
	"net/http"
	"regexp"
	"testing"

	"github.com/bigmath/bigmath/third_party/katex"
)

// TestKaTeXAssets checks that every WOFF2 font the vendored stylesheet
// names is embedded and served, with the right content types: a font
// missing from third_party/katex would only show as boxes in a browser.
func TestKaTeXAssets(t *testing.T) {
	t.Parallel()
	css, err := fs.ReadFile(katex.FS, "katex.min.css")
	if err != nil {
		t.Fatal(err)
	}
	fonts := regexp.MustCompile(`url\((fonts/[A-Za-z0-9_-]+\.woff2)\)`).FindAllSubmatch(css, -1)
	if len(fonts) < 15 {
		t.Fatalf("only %d WOFF2 fonts named in katex.min.css", len(fonts))
	}
	b := newBrowser(t, newServer(t, tokens{api: apiTok})) // static files need no login
	for _, m := range fonts {
		if _, err := fs.Stat(katex.FS, string(m[1])); err != nil {
			t.Errorf("%s is named by katex.min.css but not embedded: %v", m[1], err)
			continue
		}
		if r := b.get("/ui/static/katex/" + string(m[1])); r.status != http.StatusOK || r.header.Get("Content-Type") != "font/woff2" {
			t.Errorf("GET %s = %d %s", m[1], r.status, r.header.Get("Content-Type"))
		}
	}
	for path, ctype := range map[string]string{
		"/ui/static/katex/katex.min.css":              "text/css; charset=utf-8",
		"/ui/static/katex/katex.min.js":               "text/javascript; charset=utf-8",
		"/ui/static/katex/contrib/auto-render.min.js": "text/javascript; charset=utf-8",
		"/ui/static/katex/LICENSE":                    "",
		"/ui/static/app/app.css":                      "text/css; charset=utf-8",
	} {
		r := b.get(path)
		if r.status != http.StatusOK || (ctype != "" && r.header.Get("Content-Type") != ctype) {
			t.Errorf("GET %s = %d %q, want 200 %q", path, r.status, r.header.Get("Content-Type"), ctype)
		}
	}
}
