package ingest

import (
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bigmath/bigmath"
)

// The Hub cache, under OpenOptions.CacheDir:
//
//	<owner>/<name>/<sha>/<path>          downloaded files, by commit
//	<owner>/<name>/<sha>/<path>.part     a download in progress (resumed with Range)
//	<owner>/<name>/refs/<revision>       the sha a branch or tag was pinned to
//	<owner>/<name>/manifests/<sha>.json  the files matched by a spec's globs
//
// A file is complete once renamed from .part, which happens only after its
// size and its digest (the LFS sha256, or the git blob sha1) match the tree
// listing. With a full commit sha as revision and a manifest for the same
// globs, Open makes no request at all.

// manifest records which files a spec's globs matched at one commit.
type manifest struct {
	SHA   string         `json:"sha"`
	Globs []string       `json:"globs"`
	Files []manifestFile `json:"files"`
}

type manifestFile struct {
	Path string `json:"path"`
	Size int64  `json:"size"`
	ETag string `json:"etag,omitempty"`
}

// fetchHub pins the spec's revision, downloads the files its globs match
// into the cache (skipping complete ones) and returns them sorted by path.
func fetchHub(ctx context.Context, s Spec, opt OpenOptions) ([]dataFile, string, error) {
	if opt.CacheDir == "" {
		return nil, "", errors.New("hub source needs a cache folder (OpenOptions.CacheDir)")
	}
	c := newHubClient(opt)
	repoDir := filepath.Join(opt.CacheDir, filepath.FromSlash(s.Hub))
	rev := s.Revision
	if rev == "" {
		rev = "main"
	}
	sha, err := pinRevision(ctx, c, repoDir, s.Hub, rev)
	if err != nil {
		return nil, "", err
	}
	shaDir := filepath.Join(repoDir, sha)
	manPath := filepath.Join(repoDir, "manifests", sha+".json")

	if files, ok := cachedFiles(manPath, shaDir, s.Files); ok {
		c.log.Debug("hub files cached", "dataset", s.Hub, "sha", sha, "files", len(files))
		return files, sha, nil
	}

	all, err := c.listFiles(ctx, s.Hub, sha)
	if err != nil {
		return nil, "", err
	}
	var matched []hubFile
	for _, f := range all {
		if matchAny(s.Files, f.Path) {
			matched = append(matched, f)
		}
	}
	if len(matched) == 0 {
		names := make([]string, 0, 20)
		for _, f := range all {
			if len(names) == 20 {
				names = append(names, "...")
				break
			}
			names = append(names, f.Path)
		}
		return nil, "", fmt.Errorf("no file of %s at %s matches %s (files: %s): %w",
			s.Hub, sha, strings.Join(s.Files, ", "), strings.Join(names, ", "), bigmath.ErrNotFound)
	}
	sort.Slice(matched, func(i, j int) bool { return matched[i].Path < matched[j].Path })

	man := manifest{SHA: sha, Globs: s.Files}
	files := make([]dataFile, 0, len(matched))
	for _, f := range matched {
		if _, err := formatOf(f.Path); err != nil {
			return nil, "", fmt.Errorf("%s: %s: %w", s.Hub, f.Path, err)
		}
		if !safeRepoPath(f.Path) {
			return nil, "", fmt.Errorf("%s: unsafe file path %q in tree listing", s.Hub, f.Path)
		}
		dst := filepath.Join(shaDir, filepath.FromSlash(f.Path))
		etag, err := c.fetchFile(ctx, s.Hub, sha, f, dst)
		if err != nil {
			return nil, "", err
		}
		man.Files = append(man.Files, manifestFile{Path: f.Path, Size: f.Size, ETag: etag})
		files = append(files, dataFile{path: dst, name: f.Path, size: f.Size})
	}
	if err := writeJSONAtomic(manPath, man); err != nil {
		return nil, "", fmt.Errorf("write cache manifest: %w", err)
	}
	return files, sha, nil
}

// pinRevision returns the commit sha of rev: rev itself when it is a full
// sha, else the Hub's answer, remembered under refs/. When the Hub cannot be
// reached (network errors or 5xx after every retry) a remembered sha is used,
// so a cached dataset can be read offline.
func pinRevision(ctx context.Context, c *hubClient, repoDir, id, rev string) (string, error) {
	if isCommitSHA(rev) {
		return rev, nil
	}
	refPath := filepath.Join(repoDir, "refs", url.PathEscape(rev))
	sha, err := c.revisionSHA(ctx, id, rev)
	if err != nil {
		var he *HubError
		if ctx.Err() == nil && (!errors.As(err, &he) || retryStatus(he.Status)) {
			if b, rerr := os.ReadFile(refPath); rerr == nil && isCommitSHA(strings.TrimSpace(string(b))) {
				cached := strings.TrimSpace(string(b))
				c.log.Warn("hub unreachable, using the cached revision", "dataset", id, "revision", rev, "sha", cached, "err", err.Error())
				return cached, nil
			}
		}
		return "", err
	}
	if err := writeFileAtomic(refPath, []byte(sha+"\n")); err != nil {
		return "", fmt.Errorf("remember revision: %w", err)
	}
	return sha, nil
}

// cachedFiles returns the files of a manifest written for the same globs,
// if every one is present with its recorded size.
func cachedFiles(manPath, shaDir string, globs []string) ([]dataFile, bool) {
	b, err := os.ReadFile(manPath)
	if err != nil {
		return nil, false
	}
	var m manifest
	if json.Unmarshal(b, &m) != nil || !slicesEqual(m.Globs, globs) || len(m.Files) == 0 {
		return nil, false
	}
	files := make([]dataFile, 0, len(m.Files))
	for _, f := range m.Files {
		p := filepath.Join(shaDir, filepath.FromSlash(f.Path))
		st, err := os.Stat(p)
		if err != nil || st.Size() != f.Size {
			return nil, false
		}
		files = append(files, dataFile{path: p, name: f.Path, size: f.Size})
	}
	return files, true
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// safeRepoPath reports whether a path from a tree listing stays inside the
// cache folder: relative, no empty, "." or ".." segments, no backslashes.
func safeRepoPath(p string) bool {
	if p == "" || path.IsAbs(p) || strings.Contains(p, "\\") {
		return false
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
	}
	return true
}

// matchAny reports whether p matches one of the globs (path.Match: * and ?
// stay within one path segment).
func matchAny(globs []string, p string) bool {
	for _, g := range globs {
		if ok, _ := path.Match(g, p); ok {
			return true
		}
	}
	return false
}

// fetchFile makes sure dst holds the complete file f, downloading it (or the
// rest of it) when needed. It returns the ETag of the download ("" when the
// file was already complete).
func (c *hubClient) fetchFile(ctx context.Context, id, sha string, f hubFile, dst string) (string, error) {
	if st, err := os.Stat(dst); err == nil && st.Size() == f.Size {
		return "", nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return "", err
	}
	part := dst + ".part"
	d := &download{url: c.resolveURL(id, sha, f.Path), part: part, size: f.Size, log: c.log}
	start := time.Now()
	if err := c.get(ctx, d.url, d.handle, d.setRange); err != nil {
		return "", fmt.Errorf("download %s/%s: %w", id, f.Path, err)
	}
	if err := checkDigest(part, f); err != nil {
		os.Remove(part)
		return "", fmt.Errorf("download %s/%s: %w", id, f.Path, err)
	}
	if err := os.Rename(part, dst); err != nil {
		return "", err
	}
	c.log.Info("hub file downloaded", "dataset", id, "file", f.Path, "bytes", f.Size, "took", time.Since(start).Round(time.Millisecond).String())
	return d.etag, nil
}

// download is the state of one file's download across attempts: each
// attempt resumes after the bytes part already holds.
type download struct {
	url, part string
	size      int64
	log       *slog.Logger
	from      int64  // bytes part held when the current attempt was sent
	etag      string // of the last answer
}

// setRange asks for the bytes after those part holds (before every attempt).
func (d *download) setRange(req *http.Request) {
	d.from = 0
	if st, err := os.Stat(d.part); err == nil {
		d.from = st.Size()
	}
	if d.size > 0 && d.from > d.size {
		os.Remove(d.part)
		d.from = 0
	}
	req.Header = req.Header.Clone()
	req.Header.Set("Accept-Encoding", "identity")
	req.Header.Del("Range")
	if d.from > 0 {
		req.Header.Set("Range", "bytes="+strconv.FormatInt(d.from, 10)+"-")
	}
}

// handle writes one answer into part: appended after a 206 that resumes
// where part ends, from the start after a 200.
func (d *download) handle(r *hubRequest, resp *http.Response) error {
	if tag := resp.Header.Get("ETag"); tag != "" {
		d.etag = tag
	}
	have, flag := d.from, os.O_WRONLY|os.O_CREATE
	switch {
	case resp.StatusCode == http.StatusPartialContent && have > 0:
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != have {
			os.Remove(d.part)
			return &retryable{err: fmt.Errorf("GET %s: server resumed at %q, not byte %d", d.url, resp.Header.Get("Content-Range"), have)}
		}
		flag |= os.O_APPEND
		d.log.Info("hub download resumed", "url", d.url, "from_byte", have)
	case resp.StatusCode == http.StatusOK:
		flag |= os.O_TRUNC // the server ignored Range: start over
		have = 0
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable && have > 0:
		if have == d.size {
			return nil // the part is already whole
		}
		os.Remove(d.part)
		return &retryable{err: fmt.Errorf("GET %s: range from byte %d not satisfiable", d.url, have)}
	default:
		return statusError(resp)
	}
	out, err := os.OpenFile(d.part, flag, 0o644)
	if err != nil {
		return err
	}
	n, cerr := io.Copy(out, resp.Body)
	if err := out.Close(); err != nil && cerr == nil {
		cerr = err
	}
	if n > 0 {
		r.progressed()
	}
	if cerr != nil {
		return transportError(r.ctx, cerr)
	}
	if d.size > 0 && have+n != d.size {
		return &retryable{err: fmt.Errorf("GET %s: got %d of %d bytes", d.url, have+n, d.size)}
	}
	return nil
}

// contentRangeStart parses the first byte of "bytes 100-199/200".
func contentRangeStart(h string) (int64, bool) {
	rest, ok := strings.CutPrefix(strings.TrimSpace(h), "bytes ")
	if !ok {
		return 0, false
	}
	first, _, ok := strings.Cut(rest, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(first, 10, 64)
	return n, err == nil
}

// checkDigest compares the file with the tree listing: size, then the LFS
// sha256 or the git blob sha1 (sha1 of "blob <size>\x00" + content).
func checkDigest(p string, f hubFile) error {
	st, err := os.Stat(p)
	if err != nil {
		return err
	}
	if st.Size() != f.Size {
		return fmt.Errorf("size %d, the Hub lists %d", st.Size(), f.Size)
	}
	var h hash.Hash
	var want string
	switch {
	case f.LFS != nil && len(f.LFS.Oid) == 64:
		h, want = sha256.New(), f.LFS.Oid
	case len(f.Oid) == 40:
		h, want = sha1.New(), f.Oid
		fmt.Fprintf(h, "blob %d\x00", f.Size)
	default:
		return nil
	}
	in, err := os.Open(p)
	if err != nil {
		return err
	}
	defer in.Close()
	if _, err := io.Copy(h, in); err != nil {
		return err
	}
	if got := hex.EncodeToString(h.Sum(nil)); got != want {
		return fmt.Errorf("digest %s, the Hub lists %s", got, want)
	}
	return nil
}

// writeJSONAtomic writes v as JSON to p via a temporary file and a rename.
func writeJSONAtomic(p string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(p, append(b, '\n'))
}

func writeFileAtomic(p string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(p), ".tmp-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), p); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return nil
}
