package main

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestAdminRoutesOff(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		addr, token string
		off         bool
	}{
		{"127.0.0.1:8080", "", false},
		{"127.1.2.3:8080", "", false},
		{"localhost:8080", "", false},
		{"[::1]:8080", "", false},
		{"0.0.0.0:8080", "", true},
		{":8080", "", true},
		{"[::]:8080", "", true},
		{"10.0.0.5:8080", "", true},
		{"example.org:8080", "", true},
		{"0.0.0.0:8080", "tok", false},
		{"10.0.0.5:8080", "tok", false},
	} {
		if got := adminRoutesOff(tc.addr, tc.token); got != tc.off {
			t.Errorf("adminRoutesOff(%q, token %q) = %v, want %v", tc.addr, tc.token, got, tc.off)
		}
	}
}

// startServe runs `bigmath serve` in-process with env until the test ends
// and returns its address and stderr once it is ready.
func startServe(t *testing.T, env map[string]string) (addr string, stderr func() string) {
	t.Helper()
	srv := runServe(t, env)
	srv.waitReady(t, http.StatusOK, 30*time.Second)
	return srv.addr, srv.stderr
}

// TestServeAdminOffBeyondLoopback: serving on 0.0.0.0 without an admin
// token leaves the admin routes out (404) and says so in one line.
func TestServeAdminOffBeyondLoopback(t *testing.T) {
	t.Parallel()
	port := strings.Split(freeAddr(t), ":")[1]
	addr, stderr := startServe(t, map[string]string{"DATABASE_URL": pgtest.NewDatabase(t), "BIGMATH_ADDR": "0.0.0.0:" + port, "BIGMATH_LOG_LEVEL": "warn"})
	if n := strings.Count(stderr(), "admin routes (POST /v1/splits) are off"); n != 1 {
		t.Errorf("stderr %q: want one line saying the admin routes are off", stderr())
	}
	resp, err := http.Post("http://"+addr+"/v1/splits", "application/json", strings.NewReader(`{"name":"s","fractions":{"train":1}}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("POST /v1/splits on 0.0.0.0 without a token = %d, want 404", resp.StatusCode)
	}
	if resp, err := http.Get("http://" + addr + "/v1/problems"); err != nil || resp.StatusCode != 200 {
		t.Errorf("GET /v1/problems = %v, %v; want 200", resp, err)
	}
}

// TestServeCutsOffSlowBody: a request body sent a byte every 2 s is cut
// off after BIGMATH_READ_TIMEOUT.
func TestServeCutsOffSlowBody(t *testing.T) {
	t.Parallel()
	addr, _ := startServe(t, map[string]string{"DATABASE_URL": pgtest.NewDatabase(t), "BIGMATH_ADDR": freeAddr(t), "BIGMATH_LOG_LEVEL": "error", "BIGMATH_READ_TIMEOUT": "2s"})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	start := time.Now()
	fmt.Fprintf(conn, "POST /v1/reward HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
	cut := false
	for i := 0; i < 15 && !cut; i++ {
		if _, err := conn.Write([]byte(" ")); err != nil {
			cut = true
			break
		}
		conn.SetReadDeadline(time.Now().Add(2 * time.Second))
		b := make([]byte, 512)
		if n, err := conn.Read(b); n > 0 || err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			cut = true // an answer (408/400) or the connection closed
		}
	}
	if !cut {
		t.Fatalf("a body at a byte every 2 s still read after %s; want it cut off after the 2s read timeout", time.Since(start).Round(time.Second))
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("cut off after %s, want about 2s", took)
	}
}
