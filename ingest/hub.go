package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
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
// downloads. Every request carries the token; failed requests are retried
// (see hub_retry.go) on network errors, 408, 429 and 5xx with exponential
// back-off and jitter, honouring Retry-After and the RateLimit header's t=
// parameter.
type hubClient struct {
	endpoint    string
	token       string
	http        *http.Client // its transport cuts requests idle for StallTimeout
	log         *slog.Logger
	maxAttempts int
	delay       time.Duration
	maxWait     time.Duration
	retryWait   func(time.Duration) time.Duration // tests: replaces each retry wait
}

func newHubClient(opt OpenOptions) *hubClient {
	c := &hubClient{
		endpoint:    strings.TrimRight(opt.HFEndpoint, "/"),
		token:       opt.HFToken,
		log:         opt.Logger,
		maxAttempts: cmp.Or(max(opt.MaxAttempts, 0), defaultMaxAttempts),
		delay:       cmp.Or(max(opt.RetryDelay, 0), defaultRetryDelay),
		maxWait:     cmp.Or(max(opt.MaxRetryWait, 0), defaultMaxRetryWait),
		retryWait:   opt.retryWait,
	}
	c.endpoint = cmp.Or(c.endpoint, DefaultHFEndpoint)
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	base := opt.HTTPClient
	if base == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.ResponseHeaderTimeout = 30 * time.Second
		base = &http.Client{Transport: tr}
	}
	hc := *base
	hc.Transport = &idleTransport{
		base: cmp.Or[http.RoundTripper](base.Transport, http.DefaultTransport),
		idle: cmp.Or(max(opt.StallTimeout, 0), defaultStallTimeout),
	}
	c.http = &hc
	return c
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

// getJSON fetches u with retries and decodes the JSON answer into v. It
// returns the answer's headers (for pagination).
func (c *hubClient) getJSON(ctx context.Context, u string, v any) (http.Header, error) {
	var hdr http.Header
	err := c.get(ctx, u, func(_ *hubRequest, resp *http.Response) error {
		if resp.StatusCode != http.StatusOK {
			return statusError(resp)
		}
		body, err := io.ReadAll(io.LimitReader(resp.Body, maxAPIBody+1))
		if err != nil {
			return transportError(ctx, err)
		}
		if len(body) > maxAPIBody {
			return fmt.Errorf("GET %s: answer over %d bytes", u, maxAPIBody)
		}
		if err := json.Unmarshal(body, v); err != nil {
			return fmt.Errorf("GET %s: decode answer: %w", u, err)
		}
		hdr = resp.Header
		return nil
	}, func(req *http.Request) { req.Header.Set("Accept", "application/json") })
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
