package main

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bigmath/bigmath/postgres/pgtest"

	"github.com/bigmath/bigmath/internal/testutil"
)

// runCmd runs the binary's entry point in-process with the given environment.
func runCmd(t *testing.T, ctx context.Context, envVars map[string]string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	getenv := func(k string) string { return envVars[k] }
	var out, errb bytes.Buffer
	code = run(ctx, args, getenv, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestExitCodes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	tests := []struct {
		name     string
		args     []string
		env      map[string]string
		wantCode int
		wantErr  string // substring of stderr
	}{
		{"version", []string{"version"}, nil, exitOK, ""},
		{"help", []string{"--help"}, nil, exitOK, ""},
		{"serve help", []string{"serve", "--help"}, nil, exitOK, ""},
		{"unknown command", []string{"frobnicate"}, nil, exitUsage, "unexpected argument frobnicate"},
		{"unknown flag", []string{"migrate", "--nope"}, nil, exitUsage, "unknown flag --nope"},
		{"bad addr", []string{"serve"}, map[string]string{"BIGMATH_ADDR": "localhost"}, exitFailure, `BIGMATH_ADDR="localhost"`},
		{"bad addr port", []string{"serve"}, map[string]string{"BIGMATH_ADDR": "127.0.0.1:99999"}, exitFailure, "BIGMATH_ADDR"},
		{"bad --addr flag", []string{"serve", "--addr", "x"}, nil, exitUsage, "--addr"},
		{"bad log level", []string{"migrate"}, map[string]string{"BIGMATH_LOG_LEVEL": "loud"}, exitFailure, "BIGMATH_LOG_LEVEL"},
		{"bad body limit", []string{"migrate"}, map[string]string{"BIGMATH_BODY_LIMIT": "lots"}, exitFailure, "BIGMATH_BODY_LIMIT"},
		{"bad timeout", []string{"migrate"}, map[string]string{"BIGMATH_REWARD_TIMEOUT": "-1s"}, exitFailure, "BIGMATH_REWARD_TIMEOUT"},
		{"bad database url", []string{"migrate"}, map[string]string{"DATABASE_URL": "mysql:x"}, exitFailure, "DATABASE_URL"},
		{"unreachable database", []string{"migrate"}, map[string]string{"DATABASE_URL": "postgres://u@127.0.0.1:1/db?sslmode=disable", "BIGMATH_CONNECT_TIMEOUT": "1s"}, exitFailure, "DATABASE_URL: connect to database 127.0.0.1:1/db"},
		{"unwritable data dir", []string{"db", "start"}, map[string]string{"BIGMATH_DATA_DIR": "/dev/null/bigmath"}, exitFailure, `BIGMATH_DATA_DIR="/dev/null/bigmath"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCmd(t, ctx, tc.env, tc.args...)
			if code != tc.wantCode {
				t.Errorf("bigmath %v: exit %d, want %d (stderr %q)", tc.args, code, tc.wantCode, stderr)
			}
			if tc.wantErr != "" && !strings.Contains(stderr, tc.wantErr) {
				t.Errorf("bigmath %v: stderr %q does not contain %q", tc.args, stderr, tc.wantErr)
			}
			if tc.wantCode != exitOK {
				if lines := strings.Count(strings.TrimSpace(lastErrorLine(stderr)), "\n"); lines != 0 {
					t.Errorf("error is %d lines, want one: %q", lines+1, stderr)
				}
				if strings.Contains(stderr, "goroutine ") || strings.Contains(stderr, "panic") {
					t.Errorf("stderr has a stack trace: %q", stderr)
				}
			}
		})
	}
}

// lastErrorLine returns the "bigmath: ..." line of stderr.
func lastErrorLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "bigmath: ") {
			return l
		}
	}
	return stderr
}

func TestMigrateTwiceAndConcurrently(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := emptyDB(t)
	env := map[string]string{"DATABASE_URL": url, "BIGMATH_LOG_LEVEL": "warn"}

	// Two migrate commands started at the same moment both succeed.
	var wg sync.WaitGroup
	codes := make([]int, 2)
	outs := make([]string, 2)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], outs[i], _ = runCmd(t, ctx, env, "migrate")
		}()
	}
	wg.Wait()
	for i, c := range codes {
		if c != exitOK {
			t.Fatalf("concurrent migrate %d exited %d", i, c)
		}
	}
	if applied := strings.Count(outs[0]+outs[1], "applied"); applied != 1 {
		t.Errorf("concurrent migrates: outputs %q, want exactly one to apply the migrations", outs)
	}
	code, out, _ := runCmd(t, ctx, env, "migrate")
	if code != exitOK || !strings.Contains(out, "up to date") {
		t.Errorf("second migrate: exit %d, output %q; want a no-op", code, out)
	}
}

func TestServeReadyAndGracefulShutdown(t *testing.T) {
	t.Parallel()
	url := pgtest.NewDatabase(t)
	srv := runServe(t, map[string]string{"DATABASE_URL": url, "BIGMATH_ADDR": freeAddr(t), "BIGMATH_LOG_LEVEL": "warn"})
	srv.waitReady(t, http.StatusOK, 30*time.Second)
	srv.shutdown(t, 20*time.Second)
}

func TestServePortInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	code, _, stderr := runCmd(t, context.Background(), map[string]string{"BIGMATH_ADDR": ln.Addr().String()}, "serve")
	if code != exitFailure || !strings.Contains(stderr, "cannot listen") {
		t.Errorf("serve on a busy port: exit %d, stderr %q; want 1 and a clear error", code, stderr)
	}
}

func TestConfigDefaultsAndREADME(t *testing.T) {
	t.Parallel()
	cfg, err := loadConfig(func(string) string { return "" })
	if err != nil {
		t.Fatalf("loadConfig with an empty environment: %v", err)
	}
	if cfg.Addr != "127.0.0.1:8080" || !filepath.IsAbs(cfg.DataDir) || cfg.BodyLimit != 8<<20 || cfg.RewardTimeout != 50*time.Millisecond {
		t.Errorf("defaults = %+v", cfg)
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range configVars {
		if !bytes.Contains(readme, []byte("`"+v.Name+"`")) {
			t.Errorf("README.md does not document %s", v.Name)
		}
	}
}

func TestParseBytes(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1024", 1024, true}, {"8MB", 8 << 20, true}, {"2 kb", 2048, true}, {"1GB", 1 << 30, true}, {"x", 0, false}, {"", 0, false}} {
		got, err := parseBytes(tc.in)
		if (err == nil) != tc.ok || (tc.ok && got != tc.want) {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// emptyDB returns the URL of a new database without any schema.
func emptyDB(t *testing.T) string {
	t.Helper()
	url := pgtest.NewDatabase(t)
	code, _, stderr := runCmd(t, context.Background(), nil, "version") // sanity: the binary runs
	if code != 0 {
		t.Fatal(stderr)
	}
	ctx := context.Background()
	conn, err := pgxConnect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatal(fmt.Errorf("reset schema: %w", err))
	}
	return url
}

// dataDirEnv returns a new data directory the embedded cluster's user can
// reach, removed when the test ends, and the environment that points the
// commands at it.
func dataDirEnv(t *testing.T, pattern string) (dir string, env map[string]string) {
	t.Helper()
	dir = testutil.ReachableTempDir(t, pattern)
	return dir, map[string]string{"BIGMATH_DATA_DIR": dir, "BIGMATH_LOG_LEVEL": "warn"}
}

func TestDBCommands(t *testing.T) {
	t.Parallel()
	_, env := dataDirEnv(t, "bigmath-db-cmd-")
	ctx := context.Background()
	if code, out, _ := runCmd(t, ctx, env, "db", "status"); code != exitOK || !strings.Contains(out, "not initialized") {
		t.Fatalf("db status on a new directory: exit %d, %q", code, out)
	}
	if code, _, stderr := runCmd(t, ctx, env, "db", "url"); code != exitFailure || !strings.Contains(stderr, "not initialized") {
		t.Errorf("db url before start: exit %d, %q; want 1 and a clear error", code, stderr)
	}
	code, url, stderr := runCmd(t, ctx, env, "db", "start")
	if code != exitOK {
		t.Fatalf("db start: exit %d, %s", code, stderr)
	}
	t.Cleanup(func() { runCmd(t, context.Background(), env, "db", "stop") })
	url = strings.TrimSpace(url)
	if code, out, _ := runCmd(t, ctx, env, "db", "url"); code != exitOK || strings.TrimSpace(out) != url {
		t.Errorf("db url = %q (exit %d), want %q", out, code, url)
	}
	if code, out, _ := runCmd(t, ctx, env, "db", "status"); code != exitOK || !strings.HasPrefix(out, "running") {
		t.Errorf("db status after start: exit %d, %q", code, out)
	}
	// migrate uses the running cluster and leaves it running.
	if code, _, stderr := runCmd(t, ctx, env, "migrate"); code != exitOK {
		t.Fatalf("migrate on the embedded cluster: exit %d, %s", code, stderr)
	}
	if code, out, _ := runCmd(t, ctx, env, "db", "status"); !strings.HasPrefix(out, "running") {
		t.Errorf("migrate stopped a cluster it did not start: exit %d, %q", code, out)
	}
	if code, _, stderr := runCmd(t, ctx, env, "db", "stop"); code != exitOK {
		t.Fatalf("db stop: exit %d, %s", code, stderr)
	}
	if code, out, _ := runCmd(t, ctx, env, "db", "status"); code != exitOK || !strings.HasPrefix(out, "stopped") {
		t.Errorf("db status after stop: exit %d, %q", code, out)
	}
	// A command that starts the cluster itself stops it when it exits.
	if code, _, stderr := runCmd(t, ctx, env, "migrate"); code != exitOK {
		t.Fatalf("migrate on the stopped cluster: exit %d, %s", code, stderr)
	}
	if code, out, _ := runCmd(t, ctx, env, "db", "status"); code != exitOK || !strings.HasPrefix(out, "stopped") {
		t.Errorf("db status after a migrate that started the cluster: exit %d, %q; want stopped", code, out)
	}
}
