package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestKilledServeStopsItsCluster SIGKILLs a `bigmath serve` that started the
// embedded cluster for itself and checks that the cluster stops too, while
// one started by `bigmath db start` stays up.
func TestKilledServeStopsItsCluster(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	dir, env := dataDirEnv(t, "bigmath-watch-")
	t.Cleanup(func() { runCmd(t, context.Background(), env, "db", "stop") })
	status := func() string {
		_, out, _ := runCmd(t, context.Background(), env, "db", "status")
		return out
	}
	serveAndKill := func() {
		t.Helper()
		addr := freeAddr(t)
		cmd := command(bin, map[string]string{"BIGMATH_DATA_DIR": dir, "BIGMATH_LOG_LEVEL": "info", "DATABASE_URL": ""}, "serve", "--addr", addr)
		// Read only after Wait, which ends the copy into it.
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		cmd.WaitDelay = 5 * time.Second
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		exited := make(chan error, 1)
		go func() { exited <- cmd.Wait() }()
		fail := func(why string) {
			t.Helper()
			pglog, _ := os.ReadFile(filepath.Join(dir, "log", "postgres.log"))
			t.Fatalf("%s; its log:\n%s\npostgres log:\n%s", why, stderr.String(), pglog)
		}
		// Minutes, not seconds: initdb on a machine busy with the rest
		// of the suite.
		deadline := time.Now().Add(3 * time.Minute)
		for {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			select {
			case err := <-exited:
				fail(fmt.Sprintf("serve exited before it was ready (%v)", err))
			default:
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				<-exited
				fail("serve did not become ready within 3 minutes")
			}
			time.Sleep(100 * time.Millisecond)
		}
		cmd.Process.Kill()
		<-exited
	}

	serveAndKill()
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.HasPrefix(status(), "stopped") {
		if time.Now().After(deadline) {
			t.Fatalf("2 minutes after serve was killed the cluster it started is %q", status())
		}
		time.Sleep(200 * time.Millisecond)
	}

	// Started by db start: a killed serve leaves it running.
	if code, _, stderr := runCmd(t, context.Background(), env, "db", "start"); code != exitOK {
		t.Fatalf("db start: %s", stderr)
	}
	serveAndKill()
	time.Sleep(2 * time.Second)
	if st := status(); !strings.HasPrefix(st, "running") {
		t.Errorf("a killed serve stopped the cluster db start had started: %q", st)
	}
}

// TestKilledIngestStopsItsCluster SIGKILLs a `bigmath ingest` that started
// the embedded cluster for itself, in the middle of its source, and checks
// that the cluster stops too.
func TestKilledIngestStopsItsCluster(t *testing.T) {
	t.Parallel()
	bin := buildBinary(t)
	spec := writeSynthSources(t, 200000)
	dir, env := dataDirEnv(t, "bigmath-watch-")
	t.Cleanup(func() { runCmd(t, context.Background(), env, "db", "stop") })
	status := func() string {
		_, out, _ := runCmd(t, context.Background(), env, "db", "status")
		return out
	}
	cmd := command(bin, map[string]string{"BIGMATH_DATA_DIR": dir, "BIGMATH_LOG_LEVEL": "warn", "DATABASE_URL": ""}, "ingest", "--sources", spec, "--batch-size", "500")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.Now().Add(3 * time.Minute)
	for !strings.HasPrefix(status(), "running") {
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			t.Fatalf("3 minutes after ingest started its cluster is %q", status())
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(time.Second) // into the source
	cmd.Process.Kill()
	if err := <-exited; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("ingest ended by itself (%v) before the kill: the test needs a longer source", err)
	}
	killed := time.Now()
	for !strings.HasPrefix(status(), "stopped") {
		if time.Since(killed) > 2*time.Minute {
			t.Fatalf("2 minutes after ingest was killed the cluster it started is %q", status())
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Logf("the cluster stopped %s after the ingest was killed", time.Since(killed).Round(10*time.Millisecond))
}
