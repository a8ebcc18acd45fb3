// Package testutil holds small helpers that the tests of several packages
// share: reading JSONL fixtures and the extraction samples of
// verify/testdata/extract. It is imported by _test.go files only.
package testutil

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// EachJSONLine calls fn with the 1-based number and the bytes of every
// non-blank line of the file at path; an unreadable file fails the test.
func EachJSONLine(tb testing.TB, path string, fn func(line int, b []byte)) {
	tb.Helper()
	f, err := os.Open(path)
	if err != nil {
		tb.Fatalf("open %s: %v", path, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for line := 1; sc.Scan(); line++ {
		if len(bytes.TrimSpace(sc.Bytes())) > 0 {
			fn(line, sc.Bytes())
		}
	}
	if err := sc.Err(); err != nil {
		tb.Fatalf("read %s: %v", path, err)
	}
}

// EachJSONL decodes every non-blank line of the JSONL file at path into a
// T and calls fn with it; a line that does not decode fails the test.
func EachJSONL[T any](tb testing.TB, path string, fn func(T)) {
	tb.Helper()
	EachJSONLine(tb, path, func(line int, b []byte) {
		var v T
		if err := json.Unmarshal(b, &v); err != nil {
			tb.Fatalf("%s:%d: %v", path, line, err)
		}
		fn(v)
	})
}

// ReadJSONL returns the rows of the JSONL file at path decoded as T.
func ReadJSONL[T any](tb testing.TB, path string) []T {
	tb.Helper()
	var out []T
	EachJSONL(tb, path, func(v T) { out = append(out, v) })
	return out
}

// ExtractSample is one real-world sample of verify/testdata/extract: the
// response in NAME.txt and the expected answer in NAME.want (as written,
// "!no_answer" where the response has none).
type ExtractSample struct {
	Path     string // the .txt file
	Name     string // NAME
	Response string
	Want     string
}

// ExtractSamples reads every NAME.txt with its NAME.want in dir; a missing
// .want file fails the test.
func ExtractSamples(tb testing.TB, dir string) []ExtractSample {
	tb.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil {
		tb.Fatal(err)
	}
	out := make([]ExtractSample, 0, len(files))
	for _, f := range files {
		resp, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		want, err := os.ReadFile(strings.TrimSuffix(f, ".txt") + ".want")
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, ExtractSample{
			Path:     f,
			Name:     strings.TrimSuffix(filepath.Base(f), ".txt"),
			Response: string(resp),
			Want:     string(want),
		})
	}
	return out
}

// ReachableTempDir returns a new temporary directory, mode 0755, removed
// when the test ends: the unprivileged postgres user can reach it when the
// tests run as root (t.TempDir's parents are private to root).
func ReachableTempDir(tb testing.TB, pattern string) string {
	tb.Helper()
	dir, err := os.MkdirTemp("", pattern)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { os.RemoveAll(dir) })
	if err := os.Chmod(dir, 0o755); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// CheckStrings runs f, named name in failures, on every case: an input
// and the output f should give.
func CheckStrings(t *testing.T, name string, f func(string) string, cases [][2]string) {
	t.Helper()
	for _, c := range cases {
		if got := f(c[0]); got != c[1] {
			t.Errorf("%s(%q) = %q, want %q", name, c[0], got, c[1])
		}
	}
}

// LockedBuffer is a bytes.Buffer that several goroutines may write to (a
// logger's handlers, a process's output) while a test reads it.
type LockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (l *LockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns what was written so far.
func (l *LockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
