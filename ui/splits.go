package ui

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// splitView is one split on the splits page.
type splitView struct {
	Split  bigmath.Split
	Counts bigmath.SplitCounts
	Total  int64
	// Links are its download links: per format, the whole split and each part.
	Links []downloadLink
	// Versions are its frozen versions, newest first.
	Versions []versionView
}

// versionView is one frozen version of a split: its files never change.
type versionView struct {
	V bigmath.SplitVersion
	// Links download the version: per format, the whole version and each
	// part; Hub is the Hugging Face Hub layout as a tar.
	Links []downloadLink
	Hub   string
}

type downloadLink struct {
	Format string
	Parts  []partLink
}

type partLink struct {
	Part, URL string
	N         int64
}

// exportFormats are the formats of GET /v1/splits/{name}/export.
var exportFormats = []string{"jsonl", "parquet", "verl"}

// splits serves GET /ui/splits.
func (u *UI) splits(c *gin.Context) {
	u.renderSplits(c, http.StatusOK, nil)
}

// renderSplits renders the splits page; form is the admin form's values
// and error after a failed creation.
func (u *UI) renderSplits(c *gin.Context, status int, form gin.H) {
	ctx := c.Request.Context()
	list, err := u.cfg.Store.ListSplits(ctx)
	if err != nil {
		u.failErr(c, "splits", err)
		return
	}
	prefix := "/v1/splits/" // direct links when the API needs no token
	if u.visitorOf(c).Bearer != "" {
		prefix = "/ui/download/splits/"
	}
	views := make([]splitView, 0, len(list))
	for _, s := range list {
		n, err := u.cfg.Store.SplitCounts(ctx, s.Name)
		if err != nil {
			u.failErr(c, "split "+s.Name, err)
			return
		}
		vs, err := u.cfg.Store.ListSplitVersions(ctx, s.Name)
		if err != nil {
			u.failErr(c, "versions of split "+s.Name, err)
			return
		}
		view := splitView{Split: s, Counts: n, Total: n.Total(), Links: downloadLinks(prefix+url.PathEscape(s.Name)+"/export", n)}
		for i := len(vs) - 1; i >= 0; i-- {
			v := vs[i]
			base := prefix + url.PathEscape(s.Name) + "/versions/" + strconv.Itoa(v.Version)
			view.Versions = append(view.Versions, versionView{V: v, Links: downloadLinks(base+"/export", v.Counts), Hub: base + "/hub"})
		}
		views = append(views, view)
	}
	if form == nil {
		form = gin.H{"train": "0.8", "validation": "0.1", "test": "0.1", "seed": "0"}
	}
	u.render(c, status, "splits", gin.H{"Title": "Splits", "Splits": views, "Form": form, "Created": c.Query("created")})
}

// downloadLinks are the links of an export route base (a split's or a
// version's): per format, the whole and each part.
func downloadLinks(base string, n bigmath.SplitCounts) []downloadLink {
	var out []downloadLink
	for _, f := range exportFormats {
		d := downloadLink{Format: f, Parts: []partLink{{Part: "all", URL: base + "?format=" + f, N: n.Total()}}}
		for _, p := range []struct {
			part string
			n    int64
		}{{"train", n.Train}, {"validation", n.Validation}, {"test", n.Test}} {
			d.Parts = append(d.Parts, partLink{Part: p.part, URL: base + "?format=" + f + "&part=" + p.part, N: p.n})
		}
		out = append(out, d)
	}
	return out
}

// splitFormFields are the admin form's fields, kept to show the form again
// after an error.
var splitFormFields = []string{"name", "seed", "train", "validation", "test", "stratify",
	"source", "domain", "kind", "min_difficulty", "max_difficulty", "q", "status", "include_contaminated"}

// createSplit serves POST /ui/splits (admin, CSRF checked): the form
// becomes the body of POST /v1/splits, which validates and saves it.
func (u *UI) createSplit(c *gin.Context) {
	form := gin.H{}
	for _, k := range splitFormFields {
		form[k] = strings.TrimSpace(c.PostForm(k))
	}
	body, msg := splitBody(c)
	if msg == "" {
		var created struct {
			Name string `json:"name"`
		}
		err := u.callAPI(c, http.MethodPost, "/v1/splits", nil, body, &created)
		if err == nil {
			c.Redirect(http.StatusSeeOther, "/ui/splits?created="+url.QueryEscape(created.Name))
			return
		}
		var ae *apiError
		if !errors.As(err, &ae) {
			u.failErr(c, "create split", err)
			return
		}
		msg = ae.Message
	}
	form["Error"] = msg
	u.renderSplits(c, http.StatusBadRequest, form)
}

// splitBody turns the admin form into the JSON body of POST /v1/splits,
// or says which field is not a number.
func splitBody(c *gin.Context) (map[string]any, string) {
	fractions := map[string]any{}
	for _, k := range []string{"train", "validation", "test"} {
		if s := strings.TrimSpace(c.PostForm(k)); s != "" {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, k + ": want a number, got " + strconv.Quote(s)
			}
			fractions[k] = x
		}
	}
	body := map[string]any{"name": strings.TrimSpace(c.PostForm("name")), "fractions": fractions}
	if s := strings.TrimSpace(c.PostForm("seed")); s != "" {
		seed, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, "seed: want an integer, got " + strconv.Quote(s)
		}
		body["seed"] = seed
	}
	if s := c.PostForm("stratify"); s != "" {
		body["stratify"] = s
	}
	filter := map[string]any{}
	for _, k := range []string{"source", "domain", "kind"} {
		if s := strings.TrimSpace(c.PostForm(k)); s != "" {
			filter[k] = strings.Split(s, ",")
		}
	}
	for _, k := range []string{"min_difficulty", "max_difficulty"} {
		if s := strings.TrimSpace(c.PostForm(k)); s != "" {
			x, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, k + ": want a number, got " + strconv.Quote(s)
			}
			filter[k] = x
		}
	}
	if s := strings.TrimSpace(c.PostForm("q")); s != "" {
		filter["q"] = s
	}
	if s := c.PostForm("status"); s != "" {
		filter["status"] = s
	}
	if c.PostForm("include_contaminated") != "" {
		filter["include_contaminated"] = true
	}
	body["filter"] = filter
	return body, ""
}
