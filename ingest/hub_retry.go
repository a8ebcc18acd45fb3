package ingest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"

	"github.com/bigmath/bigmath"
)

// The Hub client's retries are go-retryablehttp's loop with our policy in
// its hooks: CheckRetry retries network errors, 408, 429 and 5xx, and the
// answer handler's transient failures (a body cut short), at most
// maxAttempts in a row without progress; Backoff waits what Retry-After or
// the RateLimit header's t= asks, else exponential back-off with jitter;
// PrepareRetry lets a download resume with Range where it stopped.

// retryable marks an error of an answer handler worth another attempt.
type retryable struct{ err error }

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// retryStatus reports whether an HTTP status is transient.
func retryStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooManyRequests,
		http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

var rateLimitReset = regexp.MustCompile(`(?:^|[;,\s])t=(\d+)`)

// serverWait reads how long the server asked us to wait: Retry-After
// (seconds or an HTTP date), else the t= of the RateLimit header.
func serverWait(h http.Header, now time.Time) time.Duration {
	if ra := strings.TrimSpace(h.Get("Retry-After")); ra != "" {
		if s, err := strconv.Atoi(ra); err == nil && s >= 0 {
			return time.Duration(s) * time.Second
		}
		if t, err := http.ParseTime(ra); err == nil {
			if d := t.Sub(now); d > 0 {
				return d
			}
			return 0
		}
	}
	if m := rateLimitReset.FindStringSubmatch(h.Get("RateLimit")); m != nil {
		if s, err := strconv.Atoi(m[1]); err == nil {
			return time.Duration(s) * time.Second
		}
	}
	return 0
}

// statusError turns an unwanted answer into a *HubError, wrapped in
// *retryable when the status is transient. It drains and closes the body.
func statusError(resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	resp.Body.Close()
	e := &HubError{Method: resp.Request.Method, URL: resp.Request.URL.String(), Status: resp.StatusCode,
		Body: strings.Join(strings.Fields(string(body)), " ")}
	if retryStatus(resp.StatusCode) {
		return &retryable{err: e}
	}
	return e
}

// transportError classifies a failed read of an answer body: retryable
// unless the context ended or the error is not the network's (a full disk).
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return &retryable{err: err}
	}
	return err
}

// backoff is delay * 2^(attempt-1), capped, with full jitter on its upper half.
func (c *hubClient) backoff(attempt int) time.Duration {
	d := c.delay << min(max(attempt, 1)-1, 16)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

// hubRequest is one logical GET with its retry state: the hooks of a
// retryablehttp.Client made for it.
type hubRequest struct {
	c         *hubClient
	ctx       context.Context
	url       string
	n         int    // attempts since the last one that made progress
	cause     string // why the last attempt failed, for the log
	exhausted bool   // stopped because n reached maxAttempts
}

// get runs a GET of u with retries. handle reads an answer that is not
// retried by status (every 2xx, 3xx and 4xx but 408 and 429, and a
// transient status on the last attempt); it returns a *retryable for a
// failure worth another attempt and may call progressed. prepare, if not
// nil, adjusts the request before every attempt (downloads set Range).
func (c *hubClient) get(ctx context.Context, u string, handle func(*hubRequest, *http.Response) error, prepare func(*http.Request)) error {
	r := &hubRequest{c: c, ctx: ctx, url: u}
	client := &retryablehttp.Client{
		HTTPClient:     c.http,
		RetryMax:       math.MaxInt32, // CheckRetry bounds the attempts
		CheckRetry:     r.checkRetry,
		Backoff:        r.backoff,
		ErrorHandler:   r.giveUp,
		RequestLogHook: func(retryablehttp.Logger, *http.Request, int) { r.n++ },
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("User-Agent", "bigmath/"+bigmath.Version)
	req.SetResponseHandler(func(resp *http.Response) error { return handle(r, resp) })
	if prepare != nil {
		prepare(req.Request)
		client.PrepareRetry = func(req *http.Request) error { prepare(req); return nil }
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// progressed restarts the attempt count: the current attempt moved on.
func (r *hubRequest) progressed() { r.n = 1 }

// checkRetry is the CheckRetry hook.
func (r *hubRequest) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	var rt *retryable
	var ue *url.Error
	switch {
	case err == nil:
		if !retryStatus(resp.StatusCode) {
			return false, nil
		}
		r.cause = resp.Status
	case errors.As(err, &rt):
		r.cause = rt.err.Error()
	case errors.As(err, &ue):
		if retry, _ := retryablehttp.DefaultRetryPolicy(ctx, nil, err); !retry {
			return false, nil
		}
		r.cause = err.Error()
	default:
		return false, nil
	}
	if r.n >= r.c.maxAttempts {
		r.exhausted = true
		return false, nil
	}
	return true, nil
}

// backoff is the Backoff hook: the wait a transient answer asks for
// (capped at maxWait), else exponential back-off from the attempt count.
func (r *hubRequest) backoff(_, _ time.Duration, _ int, resp *http.Response) time.Duration {
	var wait time.Duration
	if resp != nil && retryStatus(resp.StatusCode) {
		wait = min(serverWait(resp.Header, time.Now()), r.c.maxWait)
	}
	if wait <= 0 {
		wait = r.c.backoff(r.n)
	}
	r.c.log.Warn("hub request failed, retrying", "url", r.url, "attempt", r.n, "wait", wait.String(), "err", r.cause)
	if r.c.retryWait != nil {
		wait = r.c.retryWait(wait)
	}
	return wait
}

// giveUp is the ErrorHandler hook: the last failure, saying so when the
// attempts ran out.
func (r *hubRequest) giveUp(resp *http.Response, err error, tries int) (*http.Response, error) {
	if resp != nil {
		resp.Body.Close()
	}
	if err == nil && resp != nil {
		err = statusError(resp)
	}
	var rt *retryable
	if errors.As(err, &rt) {
		err = rt.err
	}
	if r.exhausted {
		return nil, fmt.Errorf("giving up after %d attempts: %w", tries, err)
	}
	return nil, err
}

// idleTransport cancels a request that receives nothing for idle, from
// sending it to the last byte of its answer, so that a connection that
// hangs is retried (and a download resumed) instead of blocking forever.
type idleTransport struct {
	base http.RoundTripper
	idle time.Duration
}

// stallError is the cause of a request cut by idleTransport. It is a
// timeout net.Error, so it is retried.
type stallError struct{ idle time.Duration }

func (e *stallError) Error() string   { return fmt.Sprintf("no data for %s", e.idle) }
func (e *stallError) Timeout() bool   { return true }
func (e *stallError) Temporary() bool { return true }

// RoundTrip implements http.RoundTripper.
func (t *idleTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx, cancel := context.WithCancelCause(req.Context())
	timer := time.AfterFunc(t.idle, func() { cancel(&stallError{idle: t.idle}) })
	resp, err := t.base.RoundTrip(req.WithContext(ctx))
	if err != nil {
		timer.Stop()
		if cause := context.Cause(ctx); ctx.Err() != nil && req.Context().Err() == nil {
			err = cause
		}
		cancel(nil)
		return nil, err
	}
	resp.Body = &idleBody{ReadCloser: resp.Body, ctx: ctx, parent: req.Context(), cancel: cancel, timer: timer, idle: t.idle}
	return resp, nil
}

// idleBody pushes the idle timer back on every read that returns data.
type idleBody struct {
	io.ReadCloser
	ctx, parent context.Context
	cancel      context.CancelCauseFunc
	timer       *time.Timer
	idle        time.Duration
}

func (b *idleBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if n > 0 {
		b.timer.Reset(b.idle)
	}
	if err != nil && err != io.EOF && b.ctx.Err() != nil && b.parent.Err() == nil {
		err = context.Cause(b.ctx)
	}
	return n, err
}

func (b *idleBody) Close() error {
	b.timer.Stop()
	b.cancel(nil)
	return b.ReadCloser.Close()
}
