package ui

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/verify"
)

// storeStatus maps an error of the store to a status and a message that
// names nothing internal.
func storeStatus(err error) (int, string) {
	var ve *bigmath.ValidationError
	switch {
	case errors.As(err, &ve):
		return http.StatusBadRequest, ve.Error()
	case errors.Is(err, bigmath.ErrNotFound):
		return http.StatusNotFound, "not found"
	case errors.Is(err, bigmath.ErrUnavailable), errors.Is(err, context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "the database is unavailable; retry later"
	}
	return http.StatusInternalServerError, "internal error (see the server log)"
}

func urlQueryEscape(s string) string { return url.QueryEscape(s) }

// overview serves GET /ui/: the funnel per source and the histograms of
// the kept problems.
func (u *UI) overview(c *gin.Context) {
	ctx := c.Request.Context()
	f, err := u.cfg.Store.Funnel(ctx)
	if err != nil {
		u.failErr(c, "funnel", err)
		return
	}
	byValue, unknown, err := u.cfg.Store.DifficultyCounts(ctx)
	if err != nil {
		u.failErr(c, "difficulty", err)
		return
	}
	u.render(c, http.StatusOK, "overview", gin.H{
		"Title": "Corpus", "Funnel": f, "Chart": funnelChart(f),
		"Kinds": hbarsOf(kindBins(f.Kinds)), "Difficulty": histogramOf(difficultyBins(byValue)),
		"NoDifficulty": unknown,
	})
}

// problemRow is one problem of GET /v1/problems, as the API answers it.
type problemRow struct {
	ID      string `json:"id"`
	Source  string `json:"source"`
	Problem string `json:"problem"`
	Answer  struct {
		Raw       string `json:"raw"`
		Canonical string `json:"canonical"`
		Kind      string `json:"kind"`
	} `json:"answer"`
	Domain       string   `json:"domain"`
	Difficulty   *float64 `json:"difficulty"`
	Status       string   `json:"status"`
	Reason       string   `json:"reason"`
	DuplicateOf  *string  `json:"duplicate_of"`
	Contaminated []string `json:"contaminated"`
	Attempts     int64    `json:"attempts"`
	PassRate     *float64 `json:"pass_rate"`
}

// searchParams are the query parameters of GET /v1/problems that the
// search form has; the browser passes them on as they are.
var searchParams = []string{"q", "source", "domain", "kind", "min_difficulty", "max_difficulty",
	"min_pass_rate", "max_pass_rate", "status", "include_contaminated", "limit", "cursor"}

// problems serves GET /ui/problems: the search form and a page of
// GET /v1/problems with the same parameters (with none: the first kept
// problems).
func (u *UI) problems(c *gin.Context) {
	in := c.Request.URL.Query()
	q := url.Values{}
	for _, k := range searchParams {
		for _, v := range in[k] {
			if v = strings.TrimSpace(v); v != "" {
				q.Add(k, v)
			}
		}
	}
	if q.Get("limit") == "" {
		q.Set("limit", "50")
	}
	data := gin.H{"Title": "Problems", "Form": formOf(in)}
	status := http.StatusOK
	{
		var page struct {
			Problems   []problemRow `json:"problems"`
			NextCursor *string      `json:"next_cursor"`
		}
		if err := u.callAPI(c, http.MethodGet, "/v1/problems", q, nil, &page); err != nil {
			var ae *apiError
			if !errors.As(err, &ae) {
				u.failErr(c, "search", err)
				return
			}
			status, data["Error"] = ae.Status, ae.Message
		}
		data["Rows"] = page.Problems
		if page.NextCursor != nil {
			next := url.Values{}
			for k, vs := range q {
				next[k] = vs
			}
			next.Set("cursor", *page.NextCursor)
			data["Next"] = "/ui/problems?" + next.Encode()
		}
	}
	u.render(c, status, "problems", data)
}

// formOf returns the search form's values: one string per field.
func formOf(q url.Values) map[string]string {
	out := map[string]string{}
	for _, k := range searchParams {
		out[k] = strings.Join(q[k], ",")
	}
	return out
}

// maxSignificantDigits bounds the playground's approximate policy.
const maxSignificantDigits = 15

// playgroundResult is the outcome shown by the playground.
type playgroundResult struct {
	verify.Verdict
	Mode string
}

// playground serves GET and POST /ui/playground: a gold and a response
// (or a bare final answer) in, the verifier's verdict out, checked as
// POST /v1/verify checks it.
func (u *UI) playground(c *gin.Context) {
	data := gin.H{"Title": "Reward playground", "Gold": "", "Response": "", "Mode": "response", "Sig": ""}
	if c.Request.Method == http.MethodPost {
		gold, resp, mode, sigText := c.PostForm("gold"), c.PostForm("response"), c.PostForm("mode"), strings.TrimSpace(c.PostForm("significant_digits"))
		if mode != "answer" {
			mode = "response"
		}
		data["Gold"], data["Response"], data["Mode"], data["Sig"] = gold, resp, mode, sigText
		sig := 0
		if sigText != "" {
			n, err := strconv.Atoi(sigText)
			if err != nil || n < 1 || n > maxSignificantDigits {
				data["Error"] = fmt.Sprintf("significant digits: want a whole number from 1 to %d, got %q", maxSignificantDigits, sigText)
				u.render(c, http.StatusBadRequest, "playground", data)
				return
			}
			sig = n
		}
		ctx, cancel := context.WithTimeout(c.Request.Context(), u.cfg.RewardTimeout)
		defer cancel()
		opts := verify.Options{Timeout: u.cfg.RewardTimeout, SignificantDigits: sig}
		var v verify.Verdict
		if mode == "answer" {
			v = verify.Answer(ctx, gold, resp, opts)
		} else {
			v = verify.Response(ctx, gold, resp, opts)
		}
		data["Result"] = playgroundResult{Verdict: v, Mode: mode}
	}
	u.render(c, http.StatusOK, "playground", data)
}

// prettyJSON indents a JSON object for display ("" for an empty one).
func prettyJSON(b []byte) string {
	var v any
	if len(b) == 0 || json.Unmarshal(b, &v) != nil {
		return ""
	}
	if m, ok := v.(map[string]any); ok && len(m) == 0 {
		return ""
	}
	out, _ := json.MarshalIndent(v, "", "  ")
	return string(out)
}
