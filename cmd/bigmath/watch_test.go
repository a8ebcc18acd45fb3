package main

import (
	"context"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"syscall"
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
		cmd := exec.Command(bin, "serve", "--addr", addr)
		cmd.Env = append(os.Environ(), "BIGMATH_DATA_DIR="+dir, "BIGMATH_LOG_LEVEL=warn", "DATABASE_URL=")
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(time.Minute)
		for {
			resp, err := http.Get("http://" + addr + "/readyz")
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == 200 {
					break
				}
			}
			if time.Now().After(deadline) {
				cmd.Process.Kill()
				cmd.Wait()
				t.Fatal("serve did not become ready")
			}
			time.Sleep(100 * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}

	serveAndKill()
	deadline := time.Now().Add(time.Minute)
	for !strings.HasPrefix(status(), "stopped") {
		if time.Now().After(deadline) {
			t.Fatalf("a minute after serve was killed the cluster it started is %q", status())
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
