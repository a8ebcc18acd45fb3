package api

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/sync/semaphore"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/internal/parallel"
	"github.com/bigmath/bigmath/verify"
)

// GoldStore looks up gold answers by problem id.
type GoldStore interface {
	// Golds returns the gold answers of those ids that exist; an id missing
	// from the map is unknown. An error means the store could not answer.
	// A response is checked against bigmath.Answer.Gold.
	Golds(ctx context.Context, ids []string) (map[string]bigmath.Answer, error)
}

// Reasons the API adds to the verifier's (verify.Reason values). Like the
// verifier's failure reasons they come with reward 0.
const (
	// ReasonInvalidItem: the item lacks a field or has one of the wrong type.
	ReasonInvalidItem verify.Reason = "invalid_item"
	// ReasonUnknownProblem: no problem has the item's problem_id.
	ReasonUnknownProblem verify.Reason = "unknown_problem"
	// ReasonUnavailable: the gold of a problem_id could not be looked up
	// (the database is down or not configured).
	ReasonUnavailable verify.Reason = "unavailable"
)

// Limits of the reward routes.
const (
	// MaxBatchItems is the largest number of items in one reward request.
	MaxBatchItems = 10000
	// DefaultMaxInFlight is the default reward capacity in items.
	DefaultMaxInFlight = 4 * MaxBatchItems
	// DefaultRewardTimeout is the per-item deadline when none is configured.
	DefaultRewardTimeout = 50 * time.Millisecond
	// maxSignificantDigits bounds options.significant_digits.
	maxSignificantDigits = 100
	// goldCacheSize and goldCacheTTL bound the cache of golds by problem id.
	goldCacheSize = 100000
	goldCacheTTL  = 5 * time.Minute
	// MaxRequestTime bounds the checking of one request, well below
	// trainers' HTTP timeouts (slime 120 s, OpenRLHF 180 s): a request
	// whose items are not all started by then is answered 503 with
	// Retry-After (the server is over capacity), not with rewards of 0.
	MaxRequestTime = 30 * time.Second
	// goldLookupTimeout bounds one gold lookup in the database.
	goldLookupTimeout = 2 * time.Second
)

// rewarder serves the reward routes.
type rewarder struct {
	golds    GoldStore
	recorder *Recorder
	timeout  time.Duration
	// maxRequestTime is MaxRequestTime (a field so that tests can shorten it).
	maxRequestTime time.Duration
	sem            *semaphore.Weighted
	capacity       int64
	workers        int
	metrics        *metrics
	logger         *slog.Logger

	cacheMu sync.Mutex
	cache   *lru[string, bigmath.Answer]
}

func newRewarder(d Deps, m *metrics) *rewarder {
	timeout := d.RewardTimeout
	if timeout <= 0 {
		timeout = DefaultRewardTimeout
	}
	capacity := d.MaxInFlight
	if capacity <= 0 {
		capacity = DefaultMaxInFlight
	}
	return &rewarder{
		golds:          d.Golds,
		recorder:       d.Recorder,
		timeout:        timeout,
		maxRequestTime: MaxRequestTime,
		sem:            semaphore.NewWeighted(capacity),
		capacity:       capacity,
		workers:        runtime.GOMAXPROCS(0),
		metrics:        m,
		logger:         d.Logger,
		cache:          newLRU[string, bigmath.Answer](goldCacheSize, goldCacheTTL),
	}
}

func (rw *rewarder) register(g *gin.RouterGroup) {
	g.POST("/v1/verify", rw.verify)
	g.POST("/v1/reward", rw.reward)
	g.POST("/v1/reward/batch", rw.rewardBatch)
	g.POST("/get_reward", rw.getReward)
}

// checkOptions are the per-item options a client may send.
type checkOptions struct {
	SignificantDigits int `json:"significant_digits"`
}

func (o *checkOptions) validate(prefix string) error {
	if o == nil {
		return nil
	}
	if o.SignificantDigits < 0 || o.SignificantDigits > maxSignificantDigits {
		return badRequest(prefix+"options.significant_digits", "%soptions.significant_digits: want 0 (exact) to %d, got %d", prefix, maxSignificantDigits, o.SignificantDigits)
	}
	return nil
}

// task is one check to run: a response (or an extracted answer) against a
// gold answer.
type task struct {
	gold     string
	text     string // the response, or the answer when isAnswer
	isAnswer bool
	sig      int

	problemID string
	needGold  bool // the gold comes from problemID
	record    bool

	// set when the item cannot be checked
	reason verify.Reason
	detail string
}

// result is the JSON of one checked item: the verdict, the verifier
// version, and what identifies the item.
type result struct {
	ID        json.RawMessage `json:"id,omitempty"`
	ProblemID string          `json:"problem_id,omitempty"`
	verify.Verdict
	Detail          string `json:"detail,omitempty"`
	Recorded        bool   `json:"recorded,omitempty"`
	VerifierVersion string `json:"verifier_version"`
}

// errOverCapacity answers a request that would exceed the reward capacity.
var errOverCapacity = errors.New("reward capacity in use")

// run checks every task and returns the verdicts in order. It resolves
// golds by problem id first (one lookup for the whole batch), then checks
// on up to GOMAXPROCS goroutines, each item under the reward deadline.
// It returns errOverCapacity when the reward capacity is used up, or when
// the items could not all be started within MaxRequestTime.
func (rw *rewarder) run(ctx context.Context, tasks []task) ([]result, error) {
	rw.resolveGolds(ctx, tasks)
	weight := min(int64(len(tasks)), rw.capacity)
	if !rw.sem.TryAcquire(weight) {
		rw.metrics.rejected.Inc()
		return nil, errOverCapacity
	}
	results, started := rw.checkAll(ctx, tasks, func() { rw.sem.Release(weight) })
	for i := range results {
		switch {
		case started[i].Load():
		case ctx.Err() != nil: // the client went away: the rest was skipped
			results[i] = result{Verdict: verify.Verdict{Reason: verify.ReasonBudgetExceeded}, Detail: "the request was canceled"}
		default:
			// The server is too slow for this request: answering 503 lets
			// the trainer retry, where rewards of 0 would train on noise.
			rw.metrics.rejected.Inc()
			return nil, errOverCapacity
		}
	}
	rw.count(results, tasks)
	return results, nil
}

// checkAll checks tasks on up to rw.workers goroutines (parallel.Map)
// and calls release once every check has ended. However slow its items, a
// request ends within maxRequestTime (plus one item's deadline): items not
// started by then are not checked (started[i] is false). The verifier
// stops itself at its deadline; a backstop answers anyway should it not,
// and the capacity stays taken until the work really ends.
func (rw *rewarder) checkAll(ctx context.Context, tasks []task, release func()) ([]result, []atomic.Bool) {
	results := make([]result, len(tasks))
	started := make([]atomic.Bool, len(tasks))
	finished := make([]atomic.Bool, len(tasks))
	startBy, cancel := context.WithDeadline(ctx, time.Now().Add(rw.maxRequestTime))
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer release()
		defer cancel()
		_ = parallel.Map(startBy, rw.workers, len(tasks), func(_ context.Context, i int) {
			started[i].Store(true)
			// Checks run under the request's context, not startBy: an item
			// started in time is checked to its own deadline.
			results[i] = rw.check(ctx, &tasks[i])
			finished[i].Store(true)
		})
	}()
	backstop := time.NewTimer(rw.maxRequestTime + 2*rw.timeout + time.Second)
	defer backstop.Stop()
	select {
	case <-done:
		return results, started
	case <-backstop.C:
	}
	out := make([]result, len(tasks))
	for i := range tasks {
		if finished[i].Load() {
			out[i] = results[i]
			continue
		}
		out[i] = result{Verdict: verify.Verdict{Reason: verify.ReasonBudgetExceeded}, Detail: "the check did not stop at its deadline"}
	}
	rw.logger.Error("reward check overran its deadline", "items", len(tasks), "timeout", rw.timeout.String())
	all := make([]atomic.Bool, len(tasks))
	for i := range all {
		all[i].Store(true)
	}
	return out, all
}

// count fills the verifier version and problem ids of results and adds
// them to the metrics: one metric update per reason, not per item.
func (rw *rewarder) count(results []result, tasks []task) {
	var reasons [8]struct {
		r verify.Reason
		n int
	}
	other := map[verify.Reason]int{}
	for i := range results {
		results[i].VerifierVersion = bigmath.Version
		if results[i].ProblemID == "" {
			results[i].ProblemID = tasks[i].problemID
		}
		r := results[i].Reason
		counted := false
		for j := range reasons {
			if reasons[j].r == r || reasons[j].r == "" {
				reasons[j].r = r
				reasons[j].n++
				counted = true
				break
			}
		}
		if !counted {
			other[r]++
		}
	}
	for _, rc := range reasons {
		if rc.n > 0 {
			rw.metrics.verdicts.WithLabelValues(string(rc.r)).Add(float64(rc.n))
		}
	}
	for r, n := range other {
		rw.metrics.verdicts.WithLabelValues(string(r)).Add(float64(n))
	}
	rw.metrics.items.Add(float64(len(results)))
}

// check runs one task under the reward deadline.
func (rw *rewarder) check(ctx context.Context, t *task) (r result) {
	if t.reason != "" {
		return result{Verdict: verify.Verdict{Reason: t.reason}, Detail: t.detail}
	}
	defer func() {
		if p := recover(); p != nil {
			rw.logger.Error("panic in reward check", "panic", p)
			r = result{Verdict: verify.Verdict{Reason: verify.ReasonInternalError}}
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, rw.timeout)
	defer cancel()
	opts := verify.Options{Timeout: rw.timeout, SignificantDigits: t.sig}
	if t.isAnswer {
		r.Verdict = verify.Answer(ctx, t.gold, t.text, opts)
	} else {
		r.Verdict = verify.Response(ctx, t.gold, t.text, opts)
	}
	if t.record && t.problemID != "" && rw.recorder != nil {
		r.Recorded = rw.recorder.Record(bigmath.Attempt{ProblemID: t.problemID, Correct: r.Correct, Reason: string(r.Reason), Extracted: r.Extracted})
	}
	return r
}

// resolveGolds fills the gold of tasks that name a problem: from the cache,
// then with one store lookup for the rest. Failures become per-item
// reasons.
func (rw *rewarder) resolveGolds(ctx context.Context, tasks []task) {
	var missing []string
	seen := map[string]bool{}
	now := time.Now()
	rw.cacheMu.Lock()
	for i := range tasks {
		t := &tasks[i]
		if !t.needGold || t.reason != "" {
			continue
		}
		if g, ok := rw.cache.get(t.problemID, now); ok {
			t.gold, t.needGold = g.Gold(), false
			continue
		}
		if !seen[t.problemID] {
			seen[t.problemID] = true
			missing = append(missing, t.problemID)
		}
	}
	rw.cacheMu.Unlock()
	if len(missing) == 0 {
		return
	}
	var golds map[string]bigmath.Answer
	err := errors.New("no database is configured")
	if rw.golds != nil {
		lctx, cancel := context.WithTimeout(ctx, goldLookupTimeout)
		golds, err = rw.golds.Golds(lctx, missing)
		cancel()
	}
	if err != nil {
		if rw.golds != nil {
			rw.logger.Warn("gold lookup", "ids", len(missing), "err", err)
		}
		for i := range tasks {
			if tasks[i].needGold && tasks[i].reason == "" {
				tasks[i].reason, tasks[i].detail = ReasonUnavailable, "cannot look up the gold answer of problem "+strconv.Quote(tasks[i].problemID)+": the database is unavailable"
			}
		}
		return
	}
	rw.cacheMu.Lock()
	for id, g := range golds {
		rw.cache.put(id, g, now)
	}
	rw.cacheMu.Unlock()
	for i := range tasks {
		t := &tasks[i]
		if !t.needGold || t.reason != "" {
			continue
		}
		g, ok := golds[t.problemID]
		if !ok {
			t.reason, t.detail = ReasonUnknownProblem, "no problem has id "+strconv.Quote(t.problemID)
			continue
		}
		t.gold, t.needGold = g.Gold(), false
	}
}

// overCapacity answers 503 with Retry-After.
func overCapacity(c *gin.Context) {
	c.Header("Retry-After", "1")
	writeError(c, http.StatusServiceUnavailable, "over_capacity", "the server is checking as many reward items as it can take; retry shortly", "")
}

// verifyRequest is the body of POST /v1/verify.
type verifyRequest struct {
	Gold    flexString    `json:"gold"`
	Answer  *string       `json:"answer"`
	Options *checkOptions `json:"options"`
}

// verify compares an extracted answer with a gold answer. Unlike the reward
// routes it is strict: a missing field or a wrong type is a 400.
func (rw *rewarder) verify(c *gin.Context) {
	var req verifyRequest
	if err := decodeJSON(c, &req); err != nil {
		respondError(c, err)
		return
	}
	if !req.Gold.set {
		respondError(c, badRequest("gold", "gold: required (a string or a number)"))
		return
	}
	if req.Answer == nil {
		respondError(c, badRequest("answer", "answer: required (a string)"))
		return
	}
	if err := req.Options.validate(""); err != nil {
		respondError(c, err)
		return
	}
	t := task{gold: req.Gold.s, text: *req.Answer, isAnswer: true}
	if req.Options != nil {
		t.sig = req.Options.SignificantDigits
	}
	res, err := rw.run(c.Request.Context(), []task{t})
	if err != nil {
		overCapacity(c)
		return
	}
	c.JSON(http.StatusOK, res[0])
}

// rewardItem is one item of POST /v1/reward and /v1/reward/batch.
type rewardItem struct {
	Gold      flexString      `json:"gold"`
	ProblemID *string         `json:"problem_id"`
	Response  *string         `json:"response"`
	ID        json.RawMessage `json:"id"`
	Record    bool            `json:"record"`
	Options   *checkOptions   `json:"options"`
}

// itemTask turns one raw item into a task. Problems with the item become
// the task's reason (reward 0), never an error: prefix names the item in
// the detail.
func itemTask(raw json.RawMessage, prefix string) (task, json.RawMessage) {
	var it rewardItem
	if err := json.Unmarshal(raw, &it); err != nil {
		re := jsonError(raw, err, prefix)
		msg := re.message
		if re.field == "" {
			msg = strings.TrimSuffix(prefix, ".") + ": must be a JSON object"
		}
		return task{reason: ReasonInvalidItem, detail: msg}, nil
	}
	return it.task(prefix), it.ID
}

// task checks a decoded item's fields and turns it into a task.
func (it *rewardItem) task(prefix string) task {
	t := task{record: it.Record}
	if it.ProblemID != nil {
		t.problemID = *it.ProblemID
	}
	switch {
	case it.Response == nil:
		t.reason, t.detail = ReasonInvalidItem, prefix+"response: required (a string)"
	case !it.Gold.set && t.problemID == "":
		t.reason, t.detail = ReasonInvalidItem, prefix+"gold: required (a string or a number), or a problem_id"
	}
	if err := it.Options.validate(prefix); err != nil && t.reason == "" {
		t.reason, t.detail = ReasonInvalidItem, err.Error()
	}
	if t.reason != "" {
		return t
	}
	t.text = *it.Response
	if it.Gold.set {
		t.gold = it.Gold.s
	} else {
		t.needGold = true
	}
	if it.Options != nil {
		t.sig = it.Options.SignificantDigits
	}
	return t
}

// reward checks one response. Item-level problems are a 200 with reward 0
// and the reason; only a body that is not a JSON object is a 400.
func (rw *rewarder) reward(c *gin.Context) {
	b, err := readBody(c)
	if err != nil {
		respondError(c, err)
		return
	}
	var t task
	var id json.RawMessage
	var it rewardItem
	if err := unmarshalBody(b, &it); err != nil {
		var re *requestError
		if errors.As(err, &re) && re.code == "invalid_type" {
			// A field of the wrong type: an item-level problem.
			t, id = itemTask(b, "")
		} else {
			respondError(c, err)
			return
		}
	} else if bytes.HasPrefix(bytes.TrimSpace(b), []byte("null")) {
		respondError(c, &requestError{status: http.StatusBadRequest, code: "invalid_json", message: "the body must be a JSON object, not null"})
		return
	} else {
		t, id = it.task(""), it.ID
	}
	res, err := rw.run(c.Request.Context(), []task{t})
	if err != nil {
		overCapacity(c)
		return
	}
	res[0].ID = id
	c.JSON(http.StatusOK, res[0])
}

// batchRequest is the body of POST /v1/reward/batch.
type batchRequest struct {
	Items *[]json.RawMessage `json:"items"`
}

// batchResponse is the answer of POST /v1/reward/batch.
type batchResponse struct {
	Results []result `json:"results"`
}

// fastBatch is the batch body decoded in one pass, for the common case of
// well-typed items.
type fastBatch struct {
	Items *[]rewardItem `json:"items"`
}

// rewardBatch checks up to MaxBatchItems items, answering in order. The
// body is decoded in one pass into typed items; only when some item has a
// value of the wrong type is it decoded again item by item, so that the
// bad item alone gets reason invalid_item.
func (rw *rewarder) rewardBatch(c *gin.Context) {
	b, err := readBody(c)
	if err != nil {
		respondError(c, err)
		return
	}
	var tasks []task
	var ids []json.RawMessage
	var fast fastBatch
	ferr := json.Unmarshal(b, &fast)
	var te *json.UnmarshalTypeError
	switch {
	case ferr == nil && fast.Items != nil:
		items := *fast.Items
		if len(items) == 0 || len(items) > MaxBatchItems {
			respondError(c, badRequest("items", "items: want 1 to %d items, got %d", MaxBatchItems, len(items)))
			return
		}
		tasks = make([]task, len(items))
		ids = make([]json.RawMessage, len(items))
		for i := range items {
			prefix := ""
			if items[i].Options != nil || items[i].Response == nil || !items[i].Gold.set {
				prefix = "items[" + strconv.Itoa(i) + "]."
			}
			tasks[i], ids[i] = items[i].task(prefix), items[i].ID
		}
	case ferr == nil || errors.As(ferr, &te):
		// No items, null, items not a list, or an item with a wrongly
		// typed value: the careful path names the field or the item.
		tasks, ids, err = slowBatch(b)
		if err != nil {
			respondError(c, err)
			return
		}
	default:
		respondError(c, jsonError(b, ferr, ""))
		return
	}
	res, err := rw.run(c.Request.Context(), tasks)
	if err != nil {
		overCapacity(c)
		return
	}
	for i := range res {
		res[i].ID = ids[i]
	}
	c.JSON(http.StatusOK, batchResponse{Results: res})
}

// slowBatch decodes a batch item by item.
func slowBatch(b []byte) ([]task, []json.RawMessage, error) {
	var req batchRequest
	if err := unmarshalBody(b, &req); err != nil {
		return nil, nil, err
	}
	if req.Items == nil {
		return nil, nil, badRequest("items", "items: required (a list of 1 to %d items)", MaxBatchItems)
	}
	items := *req.Items
	if len(items) == 0 || len(items) > MaxBatchItems {
		return nil, nil, badRequest("items", "items: want 1 to %d items, got %d", MaxBatchItems, len(items))
	}
	tasks := make([]task, len(items))
	ids := make([]json.RawMessage, len(items))
	for i, raw := range items {
		tasks[i], ids[i] = itemTask(raw, "items["+strconv.Itoa(i)+"].")
	}
	return tasks, ids, nil
}

// fieldError describes a wrong value found in a list element.
func fieldError(field, want, got string) string {
	return fmt.Sprintf("%s: want %s, got %s", field, want, got)
}
