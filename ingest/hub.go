package ingest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/bigmath/bigmath"
)

// DefaultHFEndpoint is the public Hugging Face Hub, used when
// OpenOptions.HFEndpoint is empty.
const DefaultHFEndpoint = "https://huggingface.co"

// Defaults of the Hub client's retry policy (see OpenOptions).
const (
	defaultMaxAttempts  = 6
	defaultRetryDelay   = time.Second
	defaultMaxRetryWait = 5 * time.Minute
	defaultStallTimeout = time.Minute
	maxBackoff          = time.Minute
	maxAPIBody          = 64 << 20 // a tree page or revision answer
	maxTreePages        = 100000
)

// hubClient speaks the parts of the Hub HTTP API that ingest needs: revision
// metadata, recursive tree listing with Link pagination, and resolve
// downloads. Every request carries the token; failed requests are retried on
// network errors, 408, 429 and 5xx with exponential back-off and jitter,
// honouring Retry-After and the RateLimit header's t= parameter.
type hubClient struct {
	endpoint    string
	token       string
	http        *http.Client
	log         *slog.Logger
	maxAttempts int
	delay       time.Duration
	maxWait     time.Duration
	stall       time.Duration
	sleep       func(ctx context.Context, d time.Duration) error
}

func newHubClient(opt OpenOptions) *hubClient {
	c := &hubClient{
		endpoint:    strings.TrimRight(opt.HFEndpoint, "/"),
		token:       opt.HFToken,
		http:        opt.HTTPClient,
		log:         opt.Logger,
		maxAttempts: opt.MaxAttempts,
		delay:       opt.RetryDelay,
		maxWait:     opt.MaxRetryWait,
		stall:       opt.StallTimeout,
		sleep:       opt.sleep,
	}
	if c.endpoint == "" {
		c.endpoint = DefaultHFEndpoint
	}
	if c.http == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = 30 * time.Second
		c.http = &http.Client{Transport: tr}
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.maxAttempts <= 0 {
		c.maxAttempts = defaultMaxAttempts
	}
	if c.delay <= 0 {
		c.delay = defaultRetryDelay
	}
	if c.maxWait <= 0 {
		c.maxWait = defaultMaxRetryWait
	}
	if c.stall <= 0 {
		c.stall = defaultStallTimeout
	}
	if c.sleep == nil {
		c.sleep = sleepCtx
	}
	return c
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// hubFile is one entry of a tree listing.
type hubFile struct {
	Type string `json:"type"`
	Path string `json:"path"`
	Size int64  `json:"size"`
	Oid  string `json:"oid"` // git blob sha1
	LFS  *struct {
		Oid  string `json:"oid"` // sha256 of the content
		Size int64  `json:"size"`
	} `json:"lfs,omitempty"`
}

// HubError is an HTTP error answer from the Hub that retrying cannot fix
// (or that stayed after every retry).
type HubError struct {
	Method, URL string
	Status      int
	Body        string // the start of the answer body
}

// Error implements error.
func (e *HubError) Error() string {
	msg := fmt.Sprintf("%s %s: %d %s", e.Method, e.URL, e.Status, http.StatusText(e.Status))
	if e.Body != "" {
		msg += ": " + e.Body
	}
	switch e.Status {
	case http.StatusUnauthorized, http.StatusForbidden:
		msg += " (gated and private datasets need HF_TOKEN, with access granted on the Hub)"
	case http.StatusNotFound:
		msg += " (check the dataset id, revision and file paths; a private dataset answers 404 without HF_TOKEN)"
	}
	return msg
}

// Unwrap maps 404 to bigmath.ErrNotFound.
func (e *HubError) Unwrap() error {
	if e.Status == http.StatusNotFound {
		return bigmath.ErrNotFound
	}
	return nil
}

// retryable marks an error worth another attempt, with the wait the server
// asked for (0 = use back-off).
type retryable struct {
	err  error
	wait time.Duration
}

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
		return &retryable{err: e, wait: serverWait(resp.Header, time.Now())}
	}
	return e
}

// transportError wraps a failed round trip: retryable unless the context
// ended.
func transportError(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var ne net.Error
	if errors.As(err, &ne) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) || errors.Is(err, net.ErrClosed) {
		return &retryable{err: err}
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		return &retryable{err: err}
	}
	return err
}

// retry runs op until it succeeds, fails for good, or maxAttempts is reached.
// op reports progress (bytes downloaded) so that a download that moves on is
// not cut short by failures that each made progress.
func (c *hubClient) retry(ctx context.Context, what string, op func() (progress bool, err error)) error {
	attempt := 0
	for {
		progress, err := op()
		if err == nil {
			return nil
		}
		var rt *retryable
		if !errors.As(err, &rt) {
			return err
		}
		if progress {
			attempt = 0
		}
		attempt++
		if attempt >= c.maxAttempts {
			return fmt.Errorf("%s: giving up after %d attempts: %w", what, attempt, rt.err)
		}
		wait := rt.wait
		if wait > c.maxWait {
			wait = c.maxWait
		}
		if wait <= 0 {
			wait = c.backoff(attempt)
		}
		c.log.Warn("hub request failed, retrying", "what", what, "attempt", attempt, "wait", wait.String(), "err", rt.err.Error())
		if err := c.sleep(ctx, wait); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
	}
}

// backoff is delay * 2^(attempt-1), capped, with full jitter on its upper half.
func (c *hubClient) backoff(attempt int) time.Duration {
	d := c.delay << min(attempt-1, 16)
	if d > maxBackoff || d <= 0 {
		d = maxBackoff
	}
	half := d / 2
	return half + rand.N(half+1)
}

// newRequest builds a request to the Hub with the token and user agent.
func (c *hubClient) newRequest(ctx context.Context, method, u string) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return nil, err
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	req.Header.Set("User-Agent", "bigmath/"+bigmath.Version)
	return req, nil
}

// getJSON fetches u with retries and decodes the JSON answer into v. It
// returns the answer's headers (for pagination).
func (c *hubClient) getJSON(ctx context.Context, u string, v any) (http.Header, error) {
	var hdr http.Header
	err := c.retry(ctx, "GET "+u, func() (bool, error) {
		req, err := c.newRequest(ctx, http.MethodGet, u)
		if err != nil {
			return false, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := c.http.Do(req)
		if err != nil {
			return false, transportError(ctx, err)
		}
		if resp.StatusCode != http.StatusOK {
			return false, statusError(resp)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody+1))
		if err != nil {
			return false, transportError(ctx, err)
		}
		if len(body) > maxAPIBody {
			return false, fmt.Errorf("GET %s: answer over %d bytes", u, maxAPIBody)
		}
		if err := json.Unmarshal(body, v); err != nil {
			return false, fmt.Errorf("GET %s: decode answer: %w", u, err)
		}
		hdr = resp.Header
		return false, nil
	})
	return hdr, err
}

// apiURL builds endpoint + "/api/datasets/<id>/<kind>/<rev>".
func (c *hubClient) apiURL(id, kind, rev string) string {
	return c.endpoint + "/api/datasets/" + id + "/" + kind + "/" + url.PathEscape(rev)
}

// resolveURL builds the download URL of one file at a commit.
func (c *hubClient) resolveURL(id, sha, file string) string {
	segs := strings.Split(file, "/")
	for i, s := range segs {
		segs[i] = url.PathEscape(s)
	}
	return c.endpoint + "/datasets/" + id + "/resolve/" + url.PathEscape(sha) + "/" + strings.Join(segs, "/")
}

// revisionSHA pins a revision (branch, tag or sha) to its commit sha.
func (c *hubClient) revisionSHA(ctx context.Context, id, rev string) (string, error) {
	var info struct {
		SHA string `json:"sha"`
	}
	if _, err := c.getJSON(ctx, c.apiURL(id, "revision", rev), &info); err != nil {
		return "", fmt.Errorf("revision %s of %s: %w", rev, id, err)
	}
	if !isCommitSHA(info.SHA) {
		return "", fmt.Errorf("revision %s of %s: the Hub answered no commit sha (got %q)", rev, id, info.SHA)
	}
	return info.SHA, nil
}

// listFiles lists every file of the dataset at sha, following Link
// rel="next" pagination.
func (c *hubClient) listFiles(ctx context.Context, id, sha string) ([]hubFile, error) {
	next := c.apiURL(id, "tree", sha) + "?recursive=true&expand=false"
	seen := map[string]bool{}
	var files []hubFile
	for page := 0; next != ""; page++ {
		if page >= maxTreePages || seen[next] {
			return nil, fmt.Errorf("list files of %s: pagination does not end (at %s)", id, next)
		}
		seen[next] = true
		var entries []hubFile
		hdr, err := c.getJSON(ctx, next, &entries)
		if err != nil {
			return nil, fmt.Errorf("list files of %s: %w", id, err)
		}
		for _, e := range entries {
			if e.Type == "file" {
				files = append(files, e)
			}
		}
		base, _ := url.Parse(next)
		next = nextLink(base, hdr.Values("Link"))
	}
	return files, nil
}

// nextLink finds the rel="next" target in Link headers, resolved against base.
func nextLink(base *url.URL, links []string) string {
	for _, h := range links {
		for _, part := range splitLinks(h) {
			target, params, ok := strings.Cut(part, ";")
			if !ok {
				continue
			}
			target = strings.TrimSpace(target)
			if !strings.HasPrefix(target, "<") || !strings.HasSuffix(target, ">") {
				continue
			}
			isNext := false
			for _, p := range strings.Split(params, ";") {
				k, v, _ := strings.Cut(strings.TrimSpace(p), "=")
				if strings.EqualFold(k, "rel") {
					for _, rel := range strings.Fields(strings.Trim(v, `"`)) {
						if strings.EqualFold(rel, "next") {
							isNext = true
						}
					}
				}
			}
			if !isNext {
				continue
			}
			u, err := base.Parse(target[1 : len(target)-1])
			if err != nil {
				continue
			}
			return u.String()
		}
	}
	return ""
}

// splitLinks splits a Link header on the commas between links, not those
// inside <...>.
func splitLinks(h string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(h); i++ {
		switch h[i] {
		case '<':
			depth++
		case '>':
			depth--
		case ',':
			if depth == 0 {
				parts = append(parts, h[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, h[start:])
}

var commitSHA = regexp.MustCompile(`^[0-9a-f]{40}$`)

// isCommitSHA reports whether rev is a full git commit sha.
func isCommitSHA(rev string) bool { return commitSHA.MatchString(rev) }
