package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestTallyCountsOnlyUndocumentedFailures: documented 503s and 429 are
// load, every other 5xx and 4xx is a failure.
func TestTallyCountsOnlyUndocumentedFailures(t *testing.T) {
	tests := []struct {
		status int
		code   string
		fail   bool
	}{
		{200, "", false},
		{503, "busy", false},
		{503, "over_capacity", false},
		{503, "unavailable", false},
		{429, "rate_limited", false},
		{503, "", true},
		{503, "internal", true},
		{500, "internal", true},
		{502, "", true},
		{400, "invalid_request", true},
		{404, "not_found", true},
	}
	for _, tc := range tests {
		tl := newTally()
		tl.add("k", tc.status, tc.code)
		if got := tl.failureCount() == 1; got != tc.fail {
			t.Errorf("%d %q: failure %v, want %v", tc.status, tc.code, got, tc.fail)
		}
	}
}

func TestMedian(t *testing.T) {
	tests := []struct {
		in   []int64
		want int64
	}{
		{nil, 0},
		{[]int64{5}, 5},
		{[]int64{3, 1, 2}, 2},
		{[]int64{100, 1, 2, 3}, 3},
	}
	for _, tc := range tests {
		if got := median(tc.in); got != tc.want {
			t.Errorf("median(%v) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestLoggedCutOffs reads the times of the server's "export cut off"
// warnings from a text log, and the first at or after a time.
func TestLoggedCutOffs(t *testing.T) {
	dir := t.TempDir()
	log := `database: postgres://postgres@127.0.0.1:1/x (DATABASE_URL)
time=2026-12-06T00:46:07.133Z level=ERROR msg="export cut short" split=soak format=jsonl rows=4114 err="x"
time=2026-12-06T00:46:42.721Z level=WARN msg="export cut off: the reader took no bytes for the idle time" split=soak rows=9796
time=2026-12-06T00:46:50.000Z level=WARN msg=request method=GET status=503 code=busy
time=2026-12-06T00:47:20.399+01:00 level=WARN msg="export cut off: the reader took no bytes for the idle time" split=soak rows=14146
`
	if err := os.WriteFile(filepath.Join(dir, "serve.log"), []byte(log), 0o644); err != nil {
		t.Fatal(err)
	}
	s := &soak{dir: dir}
	got := s.loggedCutOffs()
	want := []time.Time{
		time.Date(2026, 12, 6, 0, 46, 42, 721e6, time.UTC),
		time.Date(2026, 12, 5, 23, 47, 20, 399e6, time.UTC),
	}
	if len(got) != len(want) {
		t.Fatalf("loggedCutOffs = %v, want %v", got, want)
	}
	for i := range want {
		if !got[i].Equal(want[i]) {
			t.Errorf("cut-off %d at %v, want %v", i, got[i], want[i])
		}
	}
	// The second warning is an hour earlier in UTC: none is after the first.
	if c, ok := s.loggedCutOff(want[0].Add(time.Millisecond)); ok {
		t.Errorf("found %v at or after %v", c, want[0].Add(time.Millisecond))
	}
	if c, ok := s.loggedCutOff(want[1]); !ok || !c.Equal(want[0]) {
		t.Errorf("first cut-off at or after %v = %v %v, want %v", want[1], c, ok, want[0])
	}
}
