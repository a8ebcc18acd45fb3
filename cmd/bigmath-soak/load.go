package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

// documented503 are the codes of the 503s the API documents: reward
// capacity in use, exports busy, the database unavailable.
var documented503 = map[string]bool{"over_capacity": true, "busy": true, "unavailable": true}

// tally counts requests by kind and outcome, and keeps the first failures.
type tally struct {
	mu         sync.Mutex
	requests   map[string]int64
	statuses   map[string]int64
	failures   []string
	failed     int64
	restarting atomic.Bool // a database restart is under way
}

func newTally() *tally {
	return &tally{requests: map[string]int64{}, statuses: map[string]int64{}}
}

// add records one answer; code is the JSON error code of an error answer.
func (t *tally) add(kind string, status int, code string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests[kind]++
	key := fmt.Sprintf("%s %d", kind, status)
	if code != "" {
		key += " " + code
	}
	t.statuses[key]++
	bad := status >= 500 && !(status == 503 && documented503[code]) || status >= 400 && status < 500 && status != 429
	if bad {
		t.failLocked(fmt.Sprintf("%s: HTTP %d %s", kind, status, code))
	}
}

// count counts one event that is not a request, under kind.
func (t *tally) count(kind string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.statuses[kind]++
}

func (t *tally) fail(format string, args ...any) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.failLocked(fmt.Sprintf(format, args...))
}

func (t *tally) failLocked(msg string) {
	t.failed++
	if len(t.failures) < 50 {
		t.failures = append(t.failures, time.Now().UTC().Format("15:04:05 ")+msg)
	}
}

func (t *tally) failureCount() int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.failed
}

func (t *tally) firstFailure() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.failures) == 0 {
		return ""
	}
	return t.failures[0]
}

func (t *tally) fill(r *report) {
	t.mu.Lock()
	defer t.mu.Unlock()
	r.Requests, r.Statuses, r.Failures, r.FailureCount = t.requests, t.statuses, t.failures, t.failed
}

var client = &http.Client{Timeout: 2 * time.Minute}

func get(ctx context.Context, url string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, nil, err
	}
	return do(req)
}

func post(ctx context.Context, url, body string) (int, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return do(req)
}

func do(req *http.Request) (int, []byte, error) {
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, b, err
}

// errorCode is the code of a JSON error answer, or "".
func errorCode(body []byte) string {
	var e struct {
		Error struct{ Code string } `json:"error"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Error.Code
}

// startLoad starts the load workers; the channel closes when all stopped.
func (s *soak) startLoad(ctx context.Context) <-chan struct{} {
	ids := &idPool{}
	workers := []func(context.Context, int){
		func(ctx context.Context, n int) { s.rewardBatch(ctx, n, ids) },
		func(ctx context.Context, n int) { s.rewardBatch(ctx, n, ids) },
		s.rewardSingle,
		s.rewardSingle,
		func(ctx context.Context, n int) { s.listing(ctx, n, ids) },
		s.export,
		s.export,
		s.slowReader,
	}
	var wg sync.WaitGroup
	for i, w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ctx.Err() == nil; n++ {
				w(ctx, n+i)
			}
		}()
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	return done
}

// idPool holds problem ids seen in listings, for reward items by id.
type idPool struct {
	mu  sync.Mutex
	ids []string
}

func (p *idPool) add(ids []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) < 5000 {
		p.ids = append(p.ids, ids...)
	}
}

func (p *idPool) pick(n int) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ids) == 0 {
		return ""
	}
	return p.ids[n%len(p.ids)]
}

// responses are the reward responses the load sends, with their golds: a
// mix of forms, equal and not, and one costly to check.
var responses = []struct{ response, gold string }{
	{`So the answer is \boxed{\frac{1}{2}}.`, "0.5"},
	{`Thus \boxed{3\sqrt{2}}`, `\sqrt{18}`},
	{`The roots are \boxed{(1, 2)}`, "(1,2)"},
	{`I get \boxed{x^2+2x+1}`, "(x+1)^2"},
	{`Answer: \boxed{7}`, "8"},
	{`\boxed{[0, \infty)}`, `[0,\infty)`},
	{`No answer here.`, "4"},
	{`\boxed{\tan(\frac{\pi}{2}-10^{-1000})}`, "1"},
}

func (s *soak) rewardBatch(ctx context.Context, n int, ids *idPool) {
	var items []string
	for i := range 200 {
		r := responses[(n+i)%len(responses)]
		if id := ids.pick(n*200 + i); id != "" && i%4 == 0 {
			items = append(items, fmt.Sprintf(`{"id":%d,"response":%q,"problem_id":%q}`, i, r.response, id))
			continue
		}
		items = append(items, fmt.Sprintf(`{"id":%d,"response":%q,"gold":%q}`, i, r.response, r.gold))
	}
	code, body, err := post(ctx, s.base+"/v1/reward/batch", `{"items":[`+strings.Join(items, ",")+`]}`)
	if s.transport(ctx, "reward batch", err) {
		return
	}
	s.stats.add("reward batch", code, errorCode(body))
	if code == 200 {
		var out struct {
			Results []struct {
				Reason    string `json:"reason"`
				Retryable bool   `json:"retryable"`
			}
		}
		if json.Unmarshal(body, &out) != nil || len(out.Results) != len(items) {
			s.stats.fail("reward batch: %d results for %d items", len(out.Results), len(items))
		}
		for _, r := range out.Results {
			if r.Reason == "deadline_exceeded" && r.Retryable {
				s.stats.count("reward items not reached in time (deadline_exceeded, retryable)")
			}
		}
	}
}

func (s *soak) rewardSingle(ctx context.Context, n int) {
	r := responses[n%len(responses)]
	b, _ := json.Marshal(map[string]string{"response": r.response, "gold": r.gold})
	code, body, err := post(ctx, s.base+"/v1/reward", string(b))
	if s.transport(ctx, "reward single", err) {
		return
	}
	s.stats.add("reward single", code, errorCode(body))
	time.Sleep(20 * time.Millisecond)
}

func (s *soak) listing(ctx context.Context, n int, ids *idPool) {
	url := s.base + "/v1/problems?limit=100"
	if n%3 == 0 {
		url = s.base + "/v1/problems?limit=20&q=stamps"
	}
	for page := 0; page < 5 && url != ""; page++ {
		code, body, err := get(ctx, url)
		if s.transport(ctx, "problem listing", err) {
			return
		}
		s.stats.add("problem listing", code, errorCode(body))
		if code != 200 {
			time.Sleep(time.Second)
			return
		}
		var p struct {
			Problems []struct {
				ID string `json:"id"`
			} `json:"problems"`
			NextCursor *string `json:"next_cursor"`
		}
		if err := json.Unmarshal(body, &p); err != nil {
			s.stats.fail("problem listing: %v", err)
			return
		}
		var got []string
		for _, pr := range p.Problems {
			got = append(got, pr.ID)
		}
		ids.add(got)
		url = ""
		if p.NextCursor != nil {
			url = s.base + "/v1/problems?limit=100&cursor=" + *p.NextCursor
		}
	}
}

// export reads the soak split's train part in full.
func (s *soak) export(ctx context.Context, n int) {
	format := []string{"jsonl", "parquet"}[n%2]
	resp := s.getExport(ctx, "export", format)
	if resp == nil {
		return
	}
	defer resp.Body.Close()
	_, err := io.Copy(io.Discard, resp.Body)
	s.stats.add("export", 200, "")
	if err != nil && ctx.Err() == nil && !s.stats.restarting.Load() {
		s.stats.fail("export: body cut off: %v", err)
	}
	// A pause, so that the two exporters do not keep both export slots
	// from the slow and the stalled readers.
	time.Sleep(time.Second)
}

// slowReader reads an export at about 16 KB/s (480 KB per default idle
// time; the server promises not to cut off a reader of 256 KB per idle
// time) for up to a minute: it makes progress, so the server's idle
// cut-off must not end it.
func (s *soak) slowReader(ctx context.Context, n int) {
	rctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	resp := s.getExport(rctx, "slow reader", "jsonl")
	if resp == nil {
		return
	}
	defer resp.Body.Close()
	s.stats.add("slow reader", 200, "")
	buf := make([]byte, 4096)
	for rctx.Err() == nil {
		if _, err := resp.Body.Read(buf); err != nil {
			if !errors.Is(err, io.EOF) && rctx.Err() == nil && !s.stats.restarting.Load() {
				s.stats.fail("slow reader cut off while reading: %v", err)
			}
			return
		}
		time.Sleep(250 * time.Millisecond)
	}
}

// getExport requests the soak split's train part in the format and returns
// the response when it is 200; a transport error or another status is
// recorded under kind (after which it waits a second) and gives nil.
func (s *soak) getExport(ctx context.Context, kind, format string) *http.Response {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/v1/splits/soak/export?part=train&format="+format, nil)
	resp, err := (&http.Client{}).Do(req)
	if s.transport(ctx, kind, err) {
		return nil
	}
	if resp.StatusCode != 200 {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		s.stats.add(kind, resp.StatusCode, errorCode(b))
		time.Sleep(time.Second)
		return nil
	}
	return resp
}

// transport records a transport error; it reports whether there was one.
// The end of the load is not an error.
func (s *soak) transport(ctx context.Context, kind string, err error) bool {
	if err == nil {
		return false
	}
	if ctx.Err() == nil {
		s.stats.add(kind, 0, "transport")
		s.stats.fail("%s: %v", kind, err)
	}
	return true
}

// stalledResult is what the stalled reader saw.
type stalledResult struct {
	after time.Duration // from the stall to the end of the body
	err   error
}

// stalledReader opens an export on a connection with a small receive
// buffer, reads its first line, and stops reading. The server must cut it
// off once it has made no progress for its idle time: reading again after
// idle + 15 s must meet the end of a cut body, not the rest of the export,
// and the server's "export cut off" warning, whose time is the one
// reported, must come no sooner than 7/8 of the idle time after the stall
// (the deadline moves at most every idle/8).
func (s *soak) stalledReader(ctx context.Context) stalledResult {
	dialer := &net.Dialer{Control: func(_, _ string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	cl := &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableCompression: true}}
	time.Sleep(5 * time.Second)
	var resp *http.Response
	for try := 0; ; try++ { // exports may be busy (503): retry
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/v1/splits/soak/export?part=train&format=jsonl", nil)
		var err error
		if resp, err = cl.Do(req); err != nil {
			return stalledResult{err: fmt.Errorf("open the export: %w", err)}
		}
		if resp.StatusCode == 200 {
			break
		}
		resp.Body.Close()
		if resp.StatusCode != 503 || try == 180 || !sleepUntil(ctx, time.Now().Add(time.Second)) {
			return stalledResult{err: fmt.Errorf("export answered %d (try %d, a second apart)", resp.StatusCode, try+1)}
		}
	}
	defer resp.Body.Close()
	br := bufio.NewReaderSize(resp.Body, 1024)
	if _, err := br.ReadString('\n'); err != nil {
		return stalledResult{err: fmt.Errorf("first line: %w", err)}
	}
	stall := time.Now()
	wait := s.o.idle + 15*time.Second
	if !sleepUntil(ctx, stall.Add(wait)) {
		return stalledResult{err: fmt.Errorf("the run ended within %s of the stall", wait)}
	}
	_, err := io.Copy(io.Discard, br)
	if err == nil {
		return stalledResult{after: time.Since(stall), err: fmt.Errorf("not cut off: after %s without reading, the whole export came", wait)}
	}
	cut, ok := s.loggedCutOff(stall)
	if !ok {
		return stalledResult{after: time.Since(stall), err: errors.New(`cut off, but the server logged no "export cut off" warning`)}
	}
	after := cut.Sub(stall)
	if after < s.o.idle*7/8 {
		return stalledResult{after: after, err: fmt.Errorf("cut off %s after it stopped reading, before the idle time %s", after, s.o.idle)}
	}
	return stalledResult{after: after}
}

// loggedCutOff is the time of the server's first "export cut off" warning
// at or after since.
func (s *soak) loggedCutOff(since time.Time) (time.Time, bool) {
	for _, t := range s.loggedCutOffs() {
		if !t.Before(since) {
			return t, true
		}
	}
	return time.Time{}, false
}

// loggedCutOffs are the times of the server's "export cut off" warnings,
// from its log (text format).
func (s *soak) loggedCutOffs() []time.Time {
	b, err := os.ReadFile(filepath.Join(s.dir, "serve.log"))
	if err != nil {
		return nil
	}
	var out []time.Time
	for _, line := range strings.Split(string(b), "\n") {
		if !strings.Contains(line, `msg="export cut off`) {
			continue
		}
		stamp, _, _ := strings.Cut(strings.TrimPrefix(line, "time="), " ")
		if t, err := time.Parse(time.RFC3339Nano, stamp); err == nil {
			out = append(out, t)
		}
	}
	return out
}
