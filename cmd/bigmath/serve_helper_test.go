package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/internal/testutil"
)

// served is `bigmath serve` running in-process, started by a test.
type served struct {
	addr   string             // where to reach it (0.0.0.0 is probed as 127.0.0.1)
	stop   context.CancelFunc // as SIGINT does
	exited chan struct{}      // closed once run has returned
	code   int                // run's exit code, once exited is closed

	testutil.LockedBuffer // serve's stderr
}

// stderr returns what serve has written to stderr so far.
func (s *served) stderr() string { return s.String() }

// runServe starts `bigmath serve` in-process with env (BIGMATH_ADDR among
// it); the end of the test stops it and waits for it to return.
func runServe(t *testing.T, env map[string]string) *served {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &served{addr: strings.Replace(env["BIGMATH_ADDR"], "0.0.0.0", "127.0.0.1", 1), stop: cancel, exited: make(chan struct{})}
	go func() {
		defer close(s.exited)
		s.code = run(ctx, []string{"serve"}, func(k string) string { return env[k] }, strings.NewReader(""), &bytes.Buffer{}, s)
	}()
	t.Cleanup(func() { cancel(); <-s.exited })
	return s
}

// waitReady polls /readyz until it answers want and fails the test when it
// has not within the given time.
func (s *served) waitReady(t *testing.T, want int, within time.Duration) {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	deadline := time.Now().Add(within)
	last, lastErr := 0, error(nil)
	for time.Now().Before(deadline) {
		resp, err := client.Get("http://" + s.addr + "/readyz")
		lastErr = err
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			last = resp.StatusCode
			if last == want {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("/readyz did not answer %d within %s (last %d, %v); stderr: %s", want, within, last, lastErr, s.stderr())
}

// shutdown stops serve as SIGINT does and fails the test unless it exits 0
// within the given time.
func (s *served) shutdown(t *testing.T, within time.Duration) {
	t.Helper()
	s.stop()
	select {
	case <-s.exited:
		if s.code != exitOK {
			t.Errorf("serve exited %d after shutdown, want 0; stderr %s", s.code, s.stderr())
		}
	case <-time.After(within):
		t.Fatalf("serve did not shut down within %s", within)
	}
}
