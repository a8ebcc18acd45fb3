package api

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath/verify"
)

// compatRequest is the body of POST /get_reward: OpenRLHF's remote reward
// ({query, prompts, labels}) or slime's remote_rm ({prompt, response,
// label}). List elements are decoded one by one so that one bad element
// only zeroes its own reward.
type compatRequest struct {
	Query   *[]json.RawMessage `json:"query"`
	Prompts *[]json.RawMessage `json:"prompts"`
	Labels  *[]json.RawMessage `json:"labels"`

	Prompt   json.RawMessage `json:"prompt"`
	Response json.RawMessage `json:"response"`
	Label    json.RawMessage `json:"label"`
}

// openRLHFResponse is what OpenRLHF reads back: rewards (required), scores
// (for dynamic filtering) and extra_logs (per-sample numeric lists logged
// as metrics). reasons, extracted and verifier_version are extra keys
// OpenRLHF ignores.
type openRLHFResponse struct {
	Rewards         []float64            `json:"rewards"`
	Scores          []float64            `json:"scores"`
	ExtraLogs       map[string][]float64 `json:"extra_logs"`
	Reasons         []verify.Reason      `json:"reasons"`
	Extracted       []string             `json:"extracted"`
	VerifierVersion string               `json:"verifier_version"`
}

// slimeResponse is what slime reads with --reward-key score.
type slimeResponse struct {
	Score float64 `json:"score"`
	Acc   bool    `json:"acc"`
	Pred  string  `json:"pred"`
	result
}

// getReward serves OpenRLHF and slime on one path, told apart by their
// fields: "query" is OpenRLHF, otherwise "response"/"label" is slime.
func (rw *rewarder) getReward(c *gin.Context) {
	var req compatRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, err)
		return
	}
	if req.Query == nil {
		if req.Response != nil || req.Label != nil || req.Prompt != nil {
			rw.slime(c, req)
			return
		}
		respondError(c, badRequest("query", "query: required (OpenRLHF: {query, prompts, labels}; slime: {prompt, response, label})"))
		return
	}
	queries := *req.Query
	if len(queries) == 0 || len(queries) > MaxBatchItems {
		respondError(c, badRequest("query", "query: want 1 to %d queries, got %d", MaxBatchItems, len(queries)))
		return
	}
	var prompts, labels []json.RawMessage
	if req.Prompts != nil {
		prompts = *req.Prompts
	}
	if req.Labels != nil {
		labels = *req.Labels
	}
	tasks := make([]task, len(queries))
	for i, q := range queries {
		t := &tasks[i]
		idx := "[" + strconv.Itoa(i) + "]"
		query, got, ok := stringOf(q, false)
		if !ok {
			t.reason, t.detail = ReasonInvalidItem, fieldError("query"+idx, "a string", got)
			continue
		}
		var prompt string
		if i < len(prompts) {
			prompt, _, _ = stringOf(prompts[i], false)
		}
		if i >= len(labels) {
			t.reason, t.detail = ReasonInvalidItem, "labels"+idx+": missing (labels must have one label per query)"
			continue
		}
		label, got, ok := stringOf(labels[i], true)
		if !ok {
			t.reason, t.detail = ReasonInvalidItem, fieldError("labels"+idx, "a string or a number", got)
			continue
		}
		t.gold, t.text = label, responseOf(query, prompt)
	}
	res, err := rw.run(c.Request.Context(), tasks)
	if err != nil {
		overCapacity(c)
		return
	}
	out := openRLHFResponse{
		Rewards:         make([]float64, len(res)),
		Scores:          make([]float64, len(res)),
		ExtraLogs:       map[string][]float64{"accuracy": make([]float64, len(res)), "no_answer": make([]float64, len(res)), "error": make([]float64, len(res))},
		Reasons:         make([]verify.Reason, len(res)),
		Extracted:       make([]string, len(res)),
		VerifierVersion: res[0].VerifierVersion,
	}
	for i, r := range res {
		out.Rewards[i], out.Scores[i] = r.Reward, r.Reward
		if r.Correct {
			out.ExtraLogs["accuracy"][i] = 1
		}
		switch r.Reason {
		case verify.ReasonEqual, verify.ReasonNotEqual, verify.ReasonUnparsableAnswer:
		case verify.ReasonNoAnswer:
			out.ExtraLogs["no_answer"][i] = 1
		default:
			out.ExtraLogs["error"][i] = 1
		}
		out.Reasons[i], out.Extracted[i] = r.Reason, r.Extracted
	}
	c.JSON(http.StatusOK, out)
}

// slime answers a slime remote_rm request: one sample.
func (rw *rewarder) slime(c *gin.Context, req compatRequest) {
	var t task
	response, got, ok := stringOf(req.Response, false)
	switch {
	case req.Response == nil:
		t.reason, t.detail = ReasonInvalidItem, "response: required (a string)"
	case !ok:
		t.reason, t.detail = ReasonInvalidItem, fieldError("response", "a string", got)
	}
	label, got, ok := stringOf(req.Label, true)
	if t.reason == "" {
		switch {
		case req.Label == nil:
			t.reason, t.detail = ReasonInvalidItem, "label: required (a string or a number)"
		case !ok:
			t.reason, t.detail = ReasonInvalidItem, fieldError("label", "a string or a number", got)
		}
	}
	if t.reason == "" {
		prompt, _, _ := stringOf(req.Prompt, false)
		t.gold, t.text = label, responseOf(response, prompt)
	}
	res, err := rw.run(c.Request.Context(), []task{t})
	if err != nil {
		overCapacity(c)
		return
	}
	r := res[0]
	c.JSON(http.StatusOK, slimeResponse{Score: r.Reward, Acc: r.Correct, Pred: r.Extracted, result: r})
}

// responseOf returns the response part of an OpenRLHF query: the prompt is
// cut from the start when the query begins with it (or, when the query
// holds it further in, up to its end), then end tokens and padding are
// removed from the end (verify.StripChatEnd, the one end-token list).
func responseOf(query, prompt string) string {
	resp := query
	if prompt != "" {
		if strings.HasPrefix(query, prompt) {
			resp = query[len(prompt):]
		} else if i := strings.LastIndex(query, prompt); i >= 0 {
			resp = query[i+len(prompt):]
		}
	}
	return verify.StripChatEnd(resp)
}
