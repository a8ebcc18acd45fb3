package api

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// Limits of GET /v1/problems.
const (
	DefaultProblemsLimit = 100
	MaxProblemsLimit     = 1000
	// MaxClusterMembers bounds the member ids listed on a problem.
	MaxClusterMembers = 100
)

// answerJSON is a gold answer.
type answerJSON struct {
	Raw       string `json:"raw"`
	Canonical string `json:"canonical"`
	Kind      string `json:"kind"`
}

// problemSummary is one problem of GET /v1/problems.
type problemSummary struct {
	ID           string     `json:"id"`
	Source       string     `json:"source"`
	Problem      string     `json:"problem"`
	Answer       answerJSON `json:"answer"`
	Domain       string     `json:"domain"`
	Difficulty   *float64   `json:"difficulty"`
	Level        string     `json:"level"`
	Status       string     `json:"status"`
	Stage        string     `json:"stage"`
	Reason       string     `json:"reason"`
	DuplicateOf  *string    `json:"duplicate_of"`
	Contaminated []string   `json:"contaminated"`
	Attempts     int64      `json:"attempts"`
	Correct      int64      `json:"correct"`
	// PassRate is correct/attempts, null without attempts.
	PassRate *float64 `json:"pass_rate"`
	// DerivedFrom is the id of the problem this one was derived from (a
	// recovered multiple-choice problem), null for a problem as its source
	// gives it; Transform names the rule ("mc_reformulated").
	DerivedFrom *string `json:"derived_from"`
	Transform   *string `json:"transform"`
	// Rank is the text-search rank, only when q searches.
	Rank *float32 `json:"rank,omitempty"`
}

func summarize(p bigmath.Problem) problemSummary {
	s := problemSummary{
		ID: p.ID, Source: p.SourceName, Problem: export.DisplayText(p),
		Answer: answerJSON{Raw: p.Answer.Raw, Canonical: p.Answer.Canonical, Kind: p.Answer.Kind},
		Domain: p.Domain, Difficulty: p.Difficulty, Level: p.Level,
		Status: string(p.Status), Stage: string(p.Stage), Reason: p.Reason,
		DuplicateOf: nullable(p.DuplicateOf), Contaminated: p.Contaminated,
		Attempts: p.Attempts, Correct: p.Correct,
		DerivedFrom: nullable(p.DerivedFrom), Transform: nullable(p.Transform),
	}
	if s.Contaminated == nil {
		s.Contaminated = []string{}
	}
	if p.Attempts > 0 {
		r := float64(p.Correct) / float64(p.Attempts)
		s.PassRate = &r
	}
	return s
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// problemsPage is the answer of GET /v1/problems.
type problemsPage struct {
	Problems []problemSummary `json:"problems"`
	// NextCursor is passed as cursor to get the next page; null on the
	// last page.
	NextCursor *string `json:"next_cursor"`
}

// A cursor is base64url of the last id of the page, or, when the listing
// is ranked by a search, of "<rank>:<id>" with the rank's float32 bits in 8
// hex digits: pages of a search are ordered by rank, then id.
func encodeCursor(p bigmath.Problem, ranked bool) string {
	s := p.ID
	if ranked {
		s = fmt.Sprintf("%08x:%s", math.Float32bits(p.Rank), p.ID)
	}
	return base64.RawURLEncoding.EncodeToString([]byte(s))
}

func decodeCursor(s string, ranked bool) (bigmath.ProblemCursor, *requestError) {
	bad := badRequest("cursor", "cursor: not a cursor this server gave for this query (pass next_cursor back unchanged, with the same q)")
	if s == "" {
		return bigmath.ProblemCursor{}, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) == 0 || badText(string(b)) != "" {
		return bigmath.ProblemCursor{}, bad
	}
	if !ranked {
		return bigmath.ProblemCursor{ID: string(b)}, nil
	}
	bits, id, ok := strings.Cut(string(b), ":")
	n, err := strconv.ParseUint(bits, 16, 32)
	if !ok || len(bits) != 8 || err != nil || id == "" {
		return bigmath.ProblemCursor{}, bad
	}
	r := math.Float32frombits(uint32(n))
	if math.IsNaN(float64(r)) || math.IsInf(float64(r), 0) {
		return bigmath.ProblemCursor{}, bad
	}
	return bigmath.ProblemCursor{Rank: r, ID: id}, nil
}

// listProblems serves GET /v1/problems: a page of problems in id order,
// or, when q searches, by rank then id.
func (h *corpus) listProblems(c *gin.Context) {
	q := problemsQuery{Limit: DefaultProblemsLimit}
	if err := bindQuery(c, &q); err != nil {
		respondError(c, err)
		return
	}
	f := q.filter()
	ranked := f.Q != "" && bigmath.Searches(f.Q)
	after, cerr := decodeCursor(q.Cursor, ranked)
	if cerr != nil {
		respondError(c, cerr)
		return
	}
	// One more than asked says whether there is a next page.
	ps, err := h.store.ListProblems(c.Request.Context(), f, after, q.Limit+1)
	if err != nil {
		h.storeError(c, err)
		return
	}
	page := problemsPage{Problems: make([]problemSummary, 0, min(len(ps), q.Limit))}
	for i, p := range ps {
		if i == q.Limit {
			next := encodeCursor(ps[i-1], ranked)
			page.NextCursor = &next
			break
		}
		sum := summarize(p)
		if ranked {
			sum.Rank = &p.Rank
		}
		page.Problems = append(page.Problems, sum)
	}
	c.JSON(http.StatusOK, page)
}

// lineageJSON says where a problem comes from.
type lineageJSON struct {
	SourceID       int64  `json:"source_id"`
	Source         string `json:"source"`
	SourceRevision string `json:"source_revision"`
	RowKey         string `json:"row_key"`
	RawHash        string `json:"raw_hash"` // hex
	License        string `json:"license"`
	// OriginalText is, for a derived problem, the text of the problem it
	// was derived from; null otherwise.
	OriginalText *string `json:"original_text"`
}

// clusterJSON is a problem's duplicate cluster.
type clusterJSON struct {
	ClusterID   *string `json:"cluster_id"`
	DuplicateOf *string `json:"duplicate_of"`
	Conflict    bool    `json:"conflict"`
	// Members are the other members' ids, at most MaxClusterMembers of
	// them; MembersTotal counts them all.
	Members      []string `json:"members"`
	MembersTotal int64    `json:"members_total"`
	// Links are the duplicate links among the problem and the listed
	// members, each with the edits that explain it (dedup.Explain).
	Links []linkJSON `json:"links"`
}

// linkJSON is one duplicate link of a cluster.
type linkJSON struct {
	A          string   `json:"a"`
	B          string   `json:"b"`
	Similarity float64  `json:"similarity"`
	Edits      []string `json:"edits"`
}

// clusterLinks lists the links among the problem and its listed members.
func (h *corpus) clusterLinks(ctx context.Context, id string, members []string) ([]linkJSON, error) {
	out := []linkJSON{}
	if len(members) == 0 {
		return out, nil
	}
	links, err := h.store.LinksAmong(ctx, append([]string{id}, members...))
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		edits := l.Edits
		if edits == nil {
			edits = []string{}
		}
		out = append(out, linkJSON{A: l.A, B: l.B, Similarity: math.Round(float64(l.Similarity)*1e4) / 1e4, Edits: edits})
	}
	return out, nil
}

// problemDetail is the answer of GET /v1/problems/{id}.
type problemDetail struct {
	problemSummary
	Lineage  lineageJSON            `json:"lineage"`
	Text     textJSON               `json:"text"`
	Solution string                 `json:"solution"`
	Extra    json.RawMessage        `json:"extra"`
	Verdicts []bigmath.StageVerdict `json:"verdicts"`
	Cluster  clusterJSON            `json:"cluster"`
	Created  time.Time              `json:"created_at"`
	Updated  time.Time              `json:"updated_at"`
}

// textJSON is a problem's text as the source gave it and normalized.
type textJSON struct {
	Raw        string `json:"raw"`
	Normalized string `json:"normalized"`
}

// getProblem serves GET /v1/problems/{id}.
func (h *corpus) getProblem(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := h.store.GetProblem(ctx, c.Param("id"))
	if err != nil {
		h.storeError(c, err)
		return
	}
	members, total, err := h.store.ClusterMembers(ctx, p.ClusterID, p.ID, MaxClusterMembers)
	if err != nil {
		h.storeError(c, err)
		return
	}
	if members == nil {
		members = []string{}
	}
	links, err := h.clusterLinks(ctx, p.ID, members)
	if err != nil {
		h.storeError(c, err)
		return
	}
	d := problemDetail{
		problemSummary: summarize(p),
		Lineage: lineageJSON{SourceID: p.SourceID, Source: p.SourceName, SourceRevision: p.SourceRevision,
			RowKey: p.RowKey, RawHash: hex.EncodeToString(p.RawHash), License: p.License, OriginalText: nullable(p.OriginalText)},
		Text:     textJSON{Raw: p.ProblemRaw, Normalized: p.ProblemNorm},
		Solution: p.Solution,
		Extra:    json.RawMessage(p.Extra),
		Verdicts: p.Verdicts,
		Cluster: clusterJSON{ClusterID: nullable(p.ClusterID), DuplicateOf: nullable(p.DuplicateOf), Conflict: p.Conflict,
			Members: members, MembersTotal: total, Links: links},
		Created: p.CreatedAt,
		Updated: p.UpdatedAt,
	}
	if len(d.Extra) == 0 {
		d.Extra = json.RawMessage("{}")
	}
	if d.Verdicts == nil {
		d.Verdicts = []bigmath.StageVerdict{}
	}
	c.JSON(http.StatusOK, d)
}
