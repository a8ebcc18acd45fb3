package ingest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
)

const (
	fakeRepo  = "openai/gsm8k"
	fakeSHA   = "e53f048856ff4f594e959d75785d2c2d37b678ee"
	fakeToken = "hf_test_token"
	sharedDir = "../../shared/datasets"
)

// fakeHub is an httptest server speaking the Hub API shapes that ingest uses:
// revision metadata, a paginated recursive tree, resolve downloads with
// optional 302 redirects to a CDN path, Range requests, and scripted
// failures. It records every request.
type fakeHub struct {
	t        testing.TB
	srv      *httptest.Server
	files    map[string][]byte
	lfs      map[string]bool // served as LFS files (sha256 oid)
	pageSize int

	mu       sync.Mutex
	requests []fakeRequest
	fail     map[string][]failure // URL path -> answers to give before serving
	cut      map[string]int       // URL path -> cut the next full answer after n bytes
	stall    map[string]int       // URL path -> stop sending after n bytes, connection open
	redirect map[string]bool      // repo file path -> resolve answers 302
	corrupt  map[string]bool      // repo file path -> serve one flipped byte
}

type fakeRequest struct {
	Path, Range string
	Auth        bool
}

type failure struct {
	status int
	header map[string]string
}

// gsm8kParquet writes the GSM8K test split (from the shared datasets) as a
// Parquet file, the way the Hub's openai/gsm8k ships it.
func gsm8kParquet(t testing.TB) []byte {
	t.Helper()
	f, err := os.Open(filepath.Join(sharedDir, "gsm8k", "test.jsonl"))
	if err != nil {
		t.Skipf("shared datasets not available: %v", err)
	}
	defer f.Close()
	type row struct {
		Question string `parquet:"question"`
		Answer   string `parquet:"answer"`
	}
	var buf bytes.Buffer
	w := parquet.NewGenericWriter[row](&buf, parquet.MaxRowsPerRowGroup(500))
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r row
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]row{r}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func newFakeHub(t testing.TB) *fakeHub {
	t.Helper()
	train, err := os.ReadFile(filepath.Join(sharedDir, "gsm8k", "train.jsonl"))
	if err != nil {
		t.Skipf("shared datasets not available: %v", err)
	}
	h := &fakeHub{
		t: t,
		files: map[string][]byte{
			".gitattributes":                   []byte("*.parquet filter=lfs diff=lfs merge=lfs -text\n"),
			"README.md":                        []byte("---\nlicense: mit\n---\n# GSM8K\n"),
			"main/train.jsonl":                 train,
			"main/test-00000-of-00001.parquet": gsm8kParquet(t),
			"socratic/train.jsonl":             []byte(`{"question":"q","answer":"#### 1"}` + "\n"),
		},
		lfs:      map[string]bool{"main/test-00000-of-00001.parquet": true},
		pageSize: 2,
		fail:     map[string][]failure{},
		cut:      map[string]int{},
		stall:    map[string]int{},
		redirect: map[string]bool{"main/test-00000-of-00001.parquet": true},
		corrupt:  map[string]bool{},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/datasets/{owner}/{name}/revision/{rev}", h.revision)
	mux.HandleFunc("GET /api/datasets/{owner}/{name}/tree/{rev}", h.tree)
	mux.HandleFunc("GET /datasets/{owner}/{name}/resolve/{rev}/{path...}", h.resolve)
	mux.HandleFunc("GET /cdn/{path...}", h.cdn)
	h.srv = httptest.NewServer(h.record(mux))
	t.Cleanup(h.srv.Close)
	return h
}

// record logs the request, checks the token and plays scripted failures.
func (h *fakeHub) record(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization") == "Bearer "+fakeToken
		h.mu.Lock()
		h.requests = append(h.requests, fakeRequest{Path: r.URL.Path, Range: r.Header.Get("Range"), Auth: auth})
		var f *failure
		if q := h.fail[r.URL.Path]; len(q) > 0 {
			f, h.fail[r.URL.Path] = &q[0], q[1:]
		}
		h.mu.Unlock()
		if !auth {
			http.Error(w, `{"error":"Invalid credentials in Authorization header"}`, http.StatusUnauthorized)
			return
		}
		if f != nil {
			for k, v := range f.header {
				w.Header().Set(k, v)
			}
			http.Error(w, "scripted failure", f.status)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (h *fakeHub) repoOK(w http.ResponseWriter, r *http.Request) bool {
	if r.PathValue("owner")+"/"+r.PathValue("name") != fakeRepo {
		http.Error(w, `{"error":"Repository not found"}`, http.StatusNotFound)
		return false
	}
	return true
}

func (h *fakeHub) revision(w http.ResponseWriter, r *http.Request) {
	if !h.repoOK(w, r) {
		return
	}
	if rev := r.PathValue("rev"); rev != "main" && rev != fakeSHA {
		http.Error(w, `{"error":"Invalid rev id"}`, http.StatusNotFound)
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"id": fakeRepo, "sha": fakeSHA, "private": false,
		"siblings": []map[string]string{{"rfilename": "main/train.jsonl"}}})
}

func (h *fakeHub) tree(w http.ResponseWriter, r *http.Request) {
	if !h.repoOK(w, r) {
		return
	}
	if r.PathValue("rev") != fakeSHA || r.URL.Query().Get("recursive") != "true" {
		http.Error(w, `{"error":"want the pinned sha and recursive=true"}`, http.StatusBadRequest)
		return
	}
	paths := make([]string, 0, len(h.files))
	for p := range h.files {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	// The real tree lists directories too.
	entries := []map[string]any{{"type": "directory", "path": "main", "oid": strings.Repeat("d", 40), "size": 0}}
	for _, p := range paths {
		data := h.files[p]
		blob := sha1.New()
		fmt.Fprintf(blob, "blob %d\x00", len(data))
		blob.Write(data)
		e := map[string]any{"type": "file", "path": p, "size": len(data), "oid": hex.EncodeToString(blob.Sum(nil))}
		if h.lfs[p] {
			sum := sha256.Sum256(data)
			e["lfs"] = map[string]any{"oid": hex.EncodeToString(sum[:]), "size": len(data), "pointerSize": 134}
		}
		entries = append(entries, e)
	}
	start, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
	end := min(start+h.pageSize, len(entries))
	if end < len(entries) {
		next := fmt.Sprintf("%s%s?recursive=true&expand=false&cursor=%d", h.srv.URL, r.URL.Path, end)
		w.Header().Set("Link", fmt.Sprintf(`<%s>; rel="next"`, next))
	}
	json.NewEncoder(w).Encode(entries[start:end])
}

func (h *fakeHub) resolve(w http.ResponseWriter, r *http.Request) {
	if !h.repoOK(w, r) {
		return
	}
	p := r.PathValue("path")
	if r.PathValue("rev") != fakeSHA {
		http.Error(w, "want the pinned sha", http.StatusBadRequest)
		return
	}
	if _, ok := h.files[p]; !ok {
		http.Error(w, "Entry not found", http.StatusNotFound)
		return
	}
	w.Header().Set("X-Repo-Commit", fakeSHA)
	if h.redirect[p] {
		http.Redirect(w, r, "/cdn/"+p, http.StatusFound)
		return
	}
	h.serve(w, r, p)
}

func (h *fakeHub) cdn(w http.ResponseWriter, r *http.Request) { h.serve(w, r, r.PathValue("path")) }

// serve answers with the file, honouring Range, or cuts the connection
// mid-body when scripted.
func (h *fakeHub) serve(w http.ResponseWriter, r *http.Request, p string) {
	data := h.files[p]
	h.mu.Lock()
	n, cut := h.cut[r.URL.Path]
	delete(h.cut, r.URL.Path)
	stallAt, stall := h.stall[r.URL.Path]
	delete(h.stall, r.URL.Path)
	if h.corrupt[p] {
		data = bytes.Clone(data)
		data[len(data)/2] ^= 1
	}
	h.mu.Unlock()
	sum := sha256.Sum256(data)
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:8])+`"`)
	if cut {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:n])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler) // close the connection mid-body
	}
	if stall {
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		w.Write(data[:stallAt])
		w.(http.Flusher).Flush()
		select { // hang, as a dead peer would, until the client gives up
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
		return
	}
	http.ServeContent(w, r, p, time.Time{}, bytes.NewReader(data))
}

// count returns how many recorded requests have a path with the prefix.
func (h *fakeHub) count(prefix string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, r := range h.requests {
		if strings.HasPrefix(r.Path, prefix) {
			n++
		}
	}
	return n
}

func (h *fakeHub) reset() {
	h.mu.Lock()
	h.requests = nil
	h.mu.Unlock()
}

func (h *fakeHub) options(cache string, sleeps *[]time.Duration) OpenOptions {
	return OpenOptions{
		CacheDir: cache, HFEndpoint: h.srv.URL + "/", HFToken: fakeToken, HTTPClient: h.srv.Client(),
		retryWait: func(d time.Duration) time.Duration {
			if sleeps != nil {
				*sleeps = append(*sleeps, d)
			}
			return 0
		},
	}
}

func hubSpec(name, glob, rev string) Spec {
	return Spec{Name: name, Role: bigmath.RoleCorpus, Hub: fakeRepo, Revision: rev, Files: []string{glob},
		Fields: FieldMap{Problem: "question", Solution: "answer"}, AnswerFrom: AnswerFromGSM8K}
}

const (
	treePath    = "/api/datasets/" + fakeRepo + "/tree/"
	revPath     = "/api/datasets/" + fakeRepo + "/revision/"
	resolvePath = "/datasets/" + fakeRepo + "/resolve/"
	trainURL    = resolvePath + fakeSHA + "/main/train.jsonl"
)

func TestHubFetch(t *testing.T) {
	h := newFakeHub(t)
	cache := t.TempDir()
	var sleeps []time.Duration
	opt := h.options(cache, &sleeps)

	// First fetch: the revision call is rate limited once (RateLimit t=7),
	// the train download fails once with 503 (Retry-After 2).
	h.fail[revPath+"main"] = []failure{{429, map[string]string{"RateLimit": `"api";r=0;t=7`, "RateLimit-Policy": `"fixed window";"api";q=500;w=300`}}}
	h.fail[trainURL] = []failure{{503, map[string]string{"Retry-After": "2"}}}

	train, r := readAll(t, hubSpec("gsm8k-train", "main/train*.jsonl", "main"), opt)
	if len(train) != 7473 {
		t.Errorf("train rows = %d, want 7473", len(train))
	}
	if r.Revision() != fakeSHA {
		t.Errorf("Revision() = %q, want the pinned sha %s", r.Revision(), fakeSHA)
	}
	if train[5].Key != "main/train.jsonl:5" {
		t.Errorf("Key = %q, want main/train.jsonl:5 (the path in the repo)", train[5].Key)
	}
	if diff := cmp.Diff([]time.Duration{7 * time.Second, 2 * time.Second}, sleeps); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
	// 6 entries (a folder and 5 files) in pages of 2: 3 tree requests.
	if n := h.count(treePath); n != 3 {
		t.Errorf("tree requests = %d, want 3 (pagination)", n)
	}
	if n := h.count(resolvePath); n != 2 {
		t.Errorf("resolve requests = %d, want 2 (a 503, then the file)", n)
	}

	test, r2 := readAll(t, hubSpec("gsm8k-test", "main/test-*.parquet", "main"), opt)
	if len(test) != 1319 {
		t.Errorf("test rows = %d, want 1319", len(test))
	}
	if got, _ := test[0].Text("answer"); !strings.Contains(got, "#### 18") {
		t.Errorf("first test answer = %q, want the GSM8K answer ending #### 18", got)
	}
	if n := h.count("/cdn/main/test-00000-of-00001.parquet"); n != 1 {
		t.Errorf("CDN requests after the 302 = %d, want 1", n)
	}
	if done, total := r2.Size(); total != int64(len(h.files["main/test-00000-of-00001.parquet"])) || done == 0 {
		t.Errorf("Size() = %d, %d", done, total)
	}
	for _, req := range h.requests {
		if !req.Auth {
			t.Errorf("request %s without the bearer token", req.Path)
		}
	}
	cached := filepath.Join(cache, "openai", "gsm8k", fakeSHA, "main", "train.jsonl")
	if b, err := os.ReadFile(cached); err != nil || !bytes.Equal(b, h.files["main/train.jsonl"]) {
		t.Errorf("cached file %s missing or different: %v", cached, err)
	}
	if parts, _ := filepath.Glob(filepath.Join(cache, "openai", "gsm8k", fakeSHA, "main", "*.part")); len(parts) > 0 {
		t.Errorf("leftover .part files: %v", parts)
	}

	// Second open: pinned again, but nothing downloaded.
	h.reset()
	readAll(t, hubSpec("gsm8k-train", "main/train*.jsonl", "main"), opt)
	if n := h.count(resolvePath); n != 0 {
		t.Errorf("second open made %d downloads, want 0", n)
	}
	if n := h.count(revPath); n != 1 {
		t.Errorf("second open made %d revision calls, want 1", n)
	}
	// Pinned to the sha: no request at all.
	h.reset()
	rows, _ := readAll(t, hubSpec("gsm8k-train", "main/train*.jsonl", fakeSHA), opt)
	if len(rows) != 7473 || len(h.requests) != 0 {
		t.Errorf("open at the sha: %d rows, %d requests; want 7473, 0", len(rows), len(h.requests))
	}
	// Offline: the Hub is gone, the remembered sha and the cache serve "main".
	h.srv.Close()
	rows, r3 := readAll(t, hubSpec("gsm8k-train", "main/train*.jsonl", "main"), opt)
	if len(rows) != 7473 || r3.Revision() != fakeSHA {
		t.Errorf("offline open: %d rows at %q", len(rows), r3.Revision())
	}
}

func TestHubResumeInterruptedDownload(t *testing.T) {
	h := newFakeHub(t)
	cache := t.TempDir()
	const cutAt = 1 << 20
	h.cut[trainURL] = cutAt
	checkResumedAt(t, h, h.options(cache, nil), cutAt)
}

// checkResumedAt reads the train file with opt and checks that all its rows
// came, from a first download and one resumed at byte at.
func checkResumedAt(t *testing.T, h *fakeHub, opt OpenOptions, at int) {
	t.Helper()
	rows, _ := readAll(t, hubSpec("gsm8k-train", "main/train.jsonl", "main"), opt)
	if len(rows) != 7473 {
		t.Errorf("rows = %d, want 7473", len(rows))
	}
	var ranges []string
	for _, r := range h.requests {
		if r.Path == trainURL {
			ranges = append(ranges, r.Range)
		}
	}
	if diff := cmp.Diff([]string{"", fmt.Sprintf("bytes=%d-", at)}, ranges); diff != "" {
		t.Errorf("download requests' Range headers (-want +got):\n%s", diff)
	}
}

func TestHubStalledDownload(t *testing.T) {
	h := newFakeHub(t)
	const stallAt = 300000
	h.stall[trainURL] = stallAt
	opt := h.options(t.TempDir(), nil)
	opt.StallTimeout = 300 * time.Millisecond
	checkResumedAt(t, h, opt, stallAt)
}

func TestHubResumeLeftoverPart(t *testing.T) {
	// A previous run died mid-download and left a .part file.
	h := newFakeHub(t)
	cache := t.TempDir()
	part := filepath.Join(cache, "openai", "gsm8k", fakeSHA, "main", "train.jsonl.part")
	os.MkdirAll(filepath.Dir(part), 0o755)
	os.WriteFile(part, h.files["main/train.jsonl"][:1000], 0o644)
	rows, _ := readAll(t, hubSpec("gsm8k-train", "main/train.jsonl", fakeSHA), h.options(cache, nil))
	if len(rows) != 7473 {
		t.Errorf("rows = %d, want 7473", len(rows))
	}
	if len(h.requests) == 0 || h.requests[len(h.requests)-1].Range != "bytes=1000-" {
		t.Errorf("requests = %+v, want the download to resume at byte 1000", h.requests)
	}
}

func TestHubErrors(t *testing.T) {
	h := newFakeHub(t)
	always503 := make([]failure, 20)
	for i := range always503 {
		always503[i] = failure{status: 503}
	}
	tests := []struct {
		name     string
		spec     Spec
		setup    func(*OpenOptions)
		wantErr  string
		wantIs   error
		requests int // -1: do not check
	}{
		{name: "unknown dataset", spec: Spec{Name: "x", Hub: "nobody/nothing", Revision: "main", Files: []string{"*"}},
			wantErr: "404 Not Found", wantIs: bigmath.ErrNotFound, requests: 1},
		{name: "unknown revision", spec: hubSpec("x", "main/*", "v9"), wantErr: "revision v9 of openai/gsm8k", wantIs: bigmath.ErrNotFound, requests: 1},
		{name: "bad token is not retried", spec: hubSpec("x", "main/*", "main"),
			setup: func(o *OpenOptions) { o.HFToken = "wrong" }, wantErr: "401 Unauthorized", requests: 1},
		{name: "no file matches", spec: hubSpec("x", "data/train-*.parquet", "main"), wantErr: "no file of openai/gsm8k", wantIs: bigmath.ErrNotFound, requests: -1},
		{name: "corrupt download is rejected", spec: hubSpec("x", "main/test-*.parquet", "main"), wantErr: "digest", requests: -1},
		{name: "retries are bounded", spec: hubSpec("x", "socratic/*", "main"), wantErr: "giving up after 6 attempts", requests: -1},
		{name: "no cache dir", spec: hubSpec("x", "main/*", "main"), setup: func(o *OpenOptions) { o.CacheDir = "" }, wantErr: "cache folder", requests: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h.reset()
			h.corrupt = map[string]bool{"main/test-00000-of-00001.parquet": tc.name == "corrupt download is rejected"}
			if tc.name == "retries are bounded" {
				h.fail[resolvePath+fakeSHA+"/socratic/train.jsonl"] = always503
			}
			cache := t.TempDir()
			opt := h.options(cache, nil)
			if tc.setup != nil {
				tc.setup(&opt)
			}
			r, err := Open(context.Background(), tc.spec, opt)
			if err == nil {
				r.Close()
				t.Fatalf("Open succeeded, want an error containing %q", tc.wantErr)
			}
			if !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("error = %v, want it to contain %q", err, tc.wantErr)
			}
			if tc.wantIs != nil && !errors.Is(err, tc.wantIs) {
				t.Errorf("error = %v, want errors.Is %v", err, tc.wantIs)
			}
			if tc.requests >= 0 && len(h.requests) != tc.requests {
				t.Errorf("%d requests, want %d", len(h.requests), tc.requests)
			}
			if tc.name == "retries are bounded" && h.count(resolvePath) != defaultMaxAttempts {
				t.Errorf("%d download attempts, want %d", h.count(resolvePath), defaultMaxAttempts)
			}
			// Nothing half-written is left as a complete file.
			files, _ := filepath.Glob(filepath.Join(cache, "openai", "gsm8k", fakeSHA, "*", "*"))
			for _, f := range files {
				if !strings.HasSuffix(f, ".part") {
					t.Errorf("complete file %s left after a failed fetch", f)
				}
			}
		})
	}
}

func TestHubCancel(t *testing.T) {
	h := newFakeHub(t)
	h.fail[revPath+"main"] = []failure{{503, nil}}
	ctx, cancel := context.WithCancel(context.Background())
	opt := h.options(t.TempDir(), nil)
	opt.retryWait = func(d time.Duration) time.Duration {
		cancel()
		return d
	}
	_, err := Open(ctx, hubSpec("x", "main/*", "main"), opt)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("error = %v, want context.Canceled", err)
	}
}

func TestServerWait(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		header map[string]string
		want   time.Duration
	}{
		{"none", nil, 0},
		{"retry-after seconds", map[string]string{"Retry-After": "12"}, 12 * time.Second},
		{"retry-after date", map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}, 30 * time.Second},
		{"retry-after in the past", map[string]string{"Retry-After": now.Add(-time.Hour).Format(http.TimeFormat)}, 0},
		{"ratelimit t", map[string]string{"RateLimit": `"api";r=0;t=55`}, 55 * time.Second},
		{"ratelimit without t", map[string]string{"RateLimit": `"api";r=0`}, 0},
		{"retry-after wins", map[string]string{"Retry-After": "3", "RateLimit": `"api";r=0;t=55`}, 3 * time.Second},
	}
	for _, tc := range tests {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if got := serverWait(h, now); got != tc.want {
			t.Errorf("%s: serverWait = %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBackoff(t *testing.T) {
	c := newHubClient(OpenOptions{RetryDelay: 100 * time.Millisecond})
	for attempt := 1; attempt <= 12; attempt++ {
		full := min(100*time.Millisecond<<(attempt-1), maxBackoff)
		for range 20 {
			if d := c.backoff(attempt); d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want in [%v, %v]", attempt, d, full/2, full)
			}
		}
	}
}

func TestNextLink(t *testing.T) {
	base, _ := http.NewRequest("GET", "https://hub.example/api/datasets/a/b/tree/x?recursive=true", nil)
	tests := []struct {
		links []string
		want  string
	}{
		{nil, ""},
		{[]string{`<https://hub.example/api/next?cursor=abc>; rel="next"`}, "https://hub.example/api/next?cursor=abc"},
		{[]string{`</api/p2?c=1,2>; rel="next"`}, "https://hub.example/api/p2?c=1,2"},
		{[]string{`<https://x/prev>; rel="prev", <https://x/next>; rel=next`}, "https://x/next"},
		{[]string{`<https://x/last>; rel="last"`}, ""},
	}
	for _, tc := range tests {
		if got := nextLink(base.URL, tc.links); got != tc.want {
			t.Errorf("nextLink(%q) = %q, want %q", tc.links, got, tc.want)
		}
	}
}

// TestBuiltinGSM8KFromHub opens the built-in GSM8K specs against the fake
// Hub, which lays openai/gsm8k out as the real one does.
func TestBuiltinGSM8KFromHub(t *testing.T) {
	h := newFakeHub(t)
	h.files["main/train-00000-of-00001.parquet"] = h.files["main/test-00000-of-00001.parquet"]
	specs, err := LoadSpecs("builtin:gsm8k")
	if err != nil {
		t.Fatal(err)
	}
	opt := h.options(t.TempDir(), nil)
	for _, s := range specs {
		rows, r := readAll(t, s, opt)
		if len(rows) != 1319 || r.Revision() != fakeSHA {
			t.Errorf("%s: %d rows at %q, want 1319 at %s", s.Name, len(rows), r.Revision(), fakeSHA)
		}
		if q, ok := rows[0].Text(s.Fields.Problem); !ok || !strings.HasPrefix(q, "Janet") {
			t.Errorf("%s: first problem %q", s.Name, q)
		}
		if sol, ok := rows[0].Text(s.Fields.Solution); !ok || !strings.Contains(sol, "####") {
			t.Errorf("%s: first solution %q has no #### answer", s.Name, sol)
		}
	}
}

func TestSafeRepoPath(t *testing.T) {
	for p, want := range map[string]bool{
		"main/train.jsonl": true, "data/v1..2.parquet": true, "a": true,
		"": false, "/etc/passwd": false, "../x": false, "a/../../x": false, "a//b": false, "./a": false, `a\\..\\b`: false,
	} {
		if got := safeRepoPath(p); got != want {
			t.Errorf("safeRepoPath(%q) = %v, want %v", p, got, want)
		}
	}
}
