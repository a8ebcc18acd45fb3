package ui

import (
	"encoding/hex"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath"
)

// maxClusterShown bounds the cluster members shown side by side.
const maxClusterShown = 12

// memberView is one other member of a problem's duplicate cluster, beside
// the problem itself.
type memberView struct {
	Problem bigmath.Problem
	// Canonical marks the cluster's canonical member.
	Canonical bool
	// Linked says a stored link joins it to the problem directly; Edits
	// and Similarity are that link's.
	Linked     bool
	Edits      []string
	Similarity float32
	// Self and Other are the two normalized texts, differences marked.
	Self, Other []span
	Compared    bool
}

// problem serves GET /ui/problems/:id.
func (u *UI) problem(c *gin.Context) {
	ctx := c.Request.Context()
	p, err := u.cfg.Store.GetProblem(ctx, c.Param("id"))
	if err != nil {
		u.failErr(c, "problem "+c.Param("id"), err)
		return
	}
	ids, total, err := u.cfg.Store.ClusterMembers(ctx, p.ClusterID, p.ID, maxClusterShown)
	if err != nil {
		u.failErr(c, "cluster", err)
		return
	}
	links, err := u.cfg.Store.LinksAmong(ctx, append([]string{p.ID}, ids...))
	if err != nil {
		u.failErr(c, "links", err)
		return
	}
	members := make([]memberView, 0, len(ids))
	for _, id := range ids {
		m, err := u.cfg.Store.GetProblem(ctx, id)
		if err != nil {
			continue // a member of a run still going is not served
		}
		members = append(members, memberOf(p, m, links))
	}
	var passRate *float64
	if p.Attempts > 0 {
		r := float64(p.Correct) / float64(p.Attempts)
		passRate = &r
	}
	u.render(c, http.StatusOK, "problem", gin.H{
		"Title": "Problem " + p.ID, "P": p, "RawHash": hex.EncodeToString(p.RawHash),
		"PassRate": passRate, "Members": members, "MembersTotal": total,
		"SelfCanonical": p.ClusterID == p.ID,
		"Extra":         prettyJSON(p.Extra), "Links": len(links),
	})
}

// memberOf compares the member m with the problem p.
func memberOf(p, m bigmath.Problem, links []bigmath.Link) memberView {
	v := memberView{Problem: m, Canonical: m.ClusterID == m.ID}
	want := bigmath.NewLink(p.ID, m.ID, 0)
	for _, l := range links {
		if l.A == want.A && l.B == want.B {
			v.Linked, v.Edits, v.Similarity = true, l.Edits, l.Similarity
		}
	}
	v.Self, v.Other, v.Compared = diffSpans(p.ProblemNorm, m.ProblemNorm)
	return v
}
