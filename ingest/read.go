package ingest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/zeebo/xxh3"
)

// Row is one raw record of a source.
type Row struct {
	// Key identifies the row within its source, stably across runs: the
	// value of the spec's id column (Fields.ID) when it is mapped and the row
	// has a non-null value there, else "<file>:<index>", where file is the
	// base name of a local file (of the archive, for a .zip) or the path inside
	// the Hub repository, and index is the 0-based position of the record in
	// that file (blank JSONL lines are not counted; malformed ones are).
	// Keys are unique within a source: the second row with an id already
	// seen gets "<id>#2", the third "<id>#3", and so on (see
	// Reader.DuplicateKeys).
	Key string
	// Fields are the record's columns, decoded as encoding/json decodes into
	// any with UseNumber: string, json.Number (never float64, so "142.0" and
	// "025" keep their exact spelling), bool, nil, []any and map[string]any.
	// CSV cells are always strings. Parquet values are converted through their
	// JSON form (byte arrays become strings, NaN and infinities become nil).
	Fields map[string]any
	// Raw is the record's bytes: the line itself for JSON Lines (without the
	// line end), and a canonical JSON encoding (keys sorted, no HTML escaping,
	// no trailing newline) for JSON arrays, Parquet and CSV.
	Raw []byte
	// File is the file the row came from, named as in Key.
	File string
	// Line is the 1-based line of the record for JSON Lines and CSV, 0 for
	// other formats.
	Line int64
	// Index is the 0-based position of the record in File.
	Index int64
}

// RowError reports one bad record (a malformed JSON line, a CSV row with the
// wrong number of cells, a JSON array element that is not an object). The
// reader has skipped it: Next may be called again and continues with the next
// record. Any other error from Next is final and is returned again by every
// later call.
type RowError struct {
	File  string
	Line  int64 // 1-based line, 0 when the format has no lines
	Index int64 // 0-based record index in File
	Err   error
}

// Error implements error: "file:line: reason" or "file: record N: reason".
func (e *RowError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.File, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: record %d: %v", e.File, e.Index, e.Err)
}

// Unwrap returns the underlying error.
func (e *RowError) Unwrap() error { return e.Err }

// OpenOptions configure Open. The zero value reads local files and fetches Hub
// sources from the public Hub anonymously with the default HTTP client.
type OpenOptions struct {
	// CacheDir holds Hub downloads as CacheDir/<owner>/<name>/<sha>/<path>.
	// Required for Hub sources.
	CacheDir string
	// HFEndpoint is the Hub base URL (HF_ENDPOINT); default
	// https://huggingface.co.
	HFEndpoint string
	// HFToken is sent as "Authorization: Bearer <token>" (HF_TOKEN).
	HFToken string
	// HTTPClient makes the Hub requests; default a client with a 30s
	// response-header timeout and no overall timeout (downloads are long).
	HTTPClient *http.Client
	// Logger receives download progress and retries; default discards.
	Logger *slog.Logger
	// MaxAttempts bounds the tries of one Hub request (default 6).
	MaxAttempts int
	// RetryDelay is the first back-off delay, doubled per retry with jitter
	// (default 1s). A Retry-After or RateLimit t= header overrides it.
	RetryDelay time.Duration
	// MaxRetryWait caps a single wait asked for by the server (default 5m).
	MaxRetryWait time.Duration
	// StallTimeout aborts a download that receives no byte for this long
	// (default 60s); the download is then retried from where it stopped.
	StallTimeout time.Duration

	// retryWait replaces each retry wait in tests (the client waits what
	// it returns).
	retryWait func(time.Duration) time.Duration
}

// Reader streams the rows of one source. It is not safe for concurrent use,
// except Size, which may be called from another goroutine (a progress bar).
type Reader struct {
	spec     Spec
	files    []dataFile
	revision string
	total    int64
	done     atomic.Int64 // bytes read from the open file (reads may overlap: zip, parquet)
	base     atomic.Int64 // total size of the files already read
	curSize  atomic.Int64 // size of the open file

	fi    int          // index of the open file in files
	dec   recordSource // decoder of files[fi]; nil before the first and after the last
	index int64        // index of the next record in files[fi]
	err   error        // sticky final error
	tmp   string       // folder for spooling compressed parquet

	seen map[uint64]uint32 // xxh3 of each id key -> rows with it (only when an id column is mapped)
	dups int
	log  *slog.Logger
}

// dataFile is one file of a source on local disk.
type dataFile struct {
	path string // on disk
	name string // in keys and errors: base name, or the path inside a Hub repo
	size int64
}

// Open resolves the spec to files on disk and returns a Reader over their
// rows, in order (Hub files sorted by path). Hub sources are fetched into
// opt.CacheDir first (see the Hub section of the package doc); local files
// are hashed for Revision. The first file is opened at once, so a bad format
// or a broken archive fails here. The caller must Close the Reader.
func Open(ctx context.Context, s Spec, opt OpenOptions) (*Reader, error) {
	r := &Reader{spec: s, tmp: opt.CacheDir, log: opt.Logger}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	if s.Fields.ID != "" {
		r.seen = map[uint64]uint32{}
	}
	if s.Hub != "" {
		files, sha, err := fetchHub(ctx, s, opt)
		if err != nil {
			return nil, fmt.Errorf("open source %s: %w", s.Name, err)
		}
		r.files, r.revision = files, sha
	} else {
		p := s.LocalPath()
		if p == "" {
			return nil, fmt.Errorf("open source %s: no path or hub", s.Name)
		}
		if _, err := formatOf(p); err != nil {
			return nil, fmt.Errorf("open source %s: %s: %w", s.Name, p, err)
		}
		sum, size, err := hashFile(ctx, p)
		if err != nil {
			return nil, fmt.Errorf("open source %s: %w", s.Name, err)
		}
		r.files = []dataFile{{path: p, name: filepath.Base(p), size: size}}
		r.revision = "sha256:" + sum
	}
	for _, f := range r.files {
		r.total += f.size
	}
	if len(r.files) > 0 {
		dec, err := openRecords(r.files[0], &r.done, r.tmp)
		if err != nil {
			return nil, fmt.Errorf("open source %s: %w", s.Name, err)
		}
		r.dec = dec
		r.curSize.Store(r.files[0].size)
	}
	return r, nil
}

// Next returns the next row, io.EOF after the last one. A *RowError reports a
// skipped bad record (call Next again to go on); any other error is final and
// names the file and the position in it.
func (r *Reader) Next() (Row, error) {
	if r.err != nil {
		return Row{}, r.err
	}
	for {
		if r.dec == nil {
			if r.fi >= len(r.files) {
				r.err = io.EOF
				return Row{}, io.EOF
			}
			r.done.Store(0)
			r.curSize.Store(r.files[r.fi].size)
			dec, err := openRecords(r.files[r.fi], &r.done, r.tmp)
			if err != nil {
				r.err = err
				return Row{}, err
			}
			r.dec, r.index = dec, 0
		}
		rec, err := r.dec.next()
		f := r.files[r.fi]
		switch {
		case err == nil:
		case errors.Is(err, io.EOF):
			cerr := r.dec.close()
			r.dec = nil
			r.fi++
			r.base.Add(f.size)
			r.curSize.Store(0)
			r.done.Store(0)
			if cerr != nil {
				r.err = fmt.Errorf("%s: %w", f.name, cerr)
				return Row{}, r.err
			}
			continue
		case errors.As(err, new(*RowError)):
			r.index++
			return Row{}, err
		default:
			r.err = err
			return Row{}, err
		}
		row := Row{Fields: rec.fields, Raw: rec.raw, File: f.name, Line: rec.line, Index: r.index}
		r.index++
		if k, ok := keyOf(rec.fields, r.spec.Fields.ID); ok {
			row.Key = r.uniqueKey(k, f.name, row.Index)
		} else {
			row.Key = fmt.Sprintf("%s:%d", f.name, row.Index)
		}
		return row, nil
	}
}

// uniqueKey returns k, or k with a "#n" suffix when k was seen before.
func (r *Reader) uniqueKey(k, file string, index int64) string {
	h := xxh3.HashString(k)
	n := r.seen[h] + 1
	r.seen[h] = n
	if n == 1 {
		return k
	}
	r.dups++
	if r.dups == 1 {
		r.log.Warn("duplicate row id; later rows get a #n suffix", "source", r.spec.Name, "id", k, "file", file, "index", index)
	}
	for {
		cand := k + "#" + strconv.FormatUint(uint64(n), 10)
		ch := xxh3.HashString(cand)
		if r.seen[ch] == 0 {
			r.seen[ch] = 1
			return cand
		}
		n++
	}
}

// DuplicateKeys reports how many rows so far had an id that an earlier row
// of the source already had (their Keys got a "#n" suffix).
func (r *Reader) DuplicateKeys() int { return r.dups }

// Revision is the pinned revision of the rows: the Hub commit sha for Hub
// sources, "sha256:<hex>" of the file's bytes for a local file (so an
// unchanged file is recognised on the next ingest).
func (r *Reader) Revision() string { return r.revision }

// Size reports the bytes read so far and the total bytes of the source's
// files on disk (compressed bytes for .gz and .zip), for a progress bar.
// Archive and Parquet readers may read some bytes twice, so the count of the
// open file is capped at its size.
func (r *Reader) Size() (done, total int64) {
	return r.base.Load() + min(r.done.Load(), r.curSize.Load()), r.total
}

// Files lists the files of the source on disk, in reading order.
func (r *Reader) Files() []string {
	out := make([]string, len(r.files))
	for i, f := range r.files {
		out[i] = f.path
	}
	return out
}

// Close releases the open file. It is safe to call more than once.
func (r *Reader) Close() error {
	if r.dec == nil {
		return nil
	}
	err := r.dec.close()
	r.dec = nil
	r.fi = len(r.files)
	if r.err == nil {
		r.err = errors.New("reader closed")
	}
	return err
}

// hashFile returns the hex sha256 and the size of the file at p.
func hashFile(ctx context.Context, p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, ctxReader{ctx, f})
	if err != nil {
		return "", 0, fmt.Errorf("hash %s: %w", p, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// ctxReader stops reading once ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
