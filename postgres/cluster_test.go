package postgres_test

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath/postgres"

	"github.com/bigmath/bigmath/internal/testutil"
)

func TestClusterWithoutBinaries(t *testing.T) {
	t.Setenv("PATH", t.TempDir()) // no pg_ctl on PATH
	c := &postgres.Cluster{Dir: t.TempDir(), BinGlob: filepath.Join(t.TempDir(), "*", "bin")}
	_, _, err := c.Start(context.Background())
	if !errors.Is(err, postgres.ErrNoServerBinaries) {
		t.Fatalf("Start without binaries = %v, want ErrNoServerBinaries", err)
	}
	if msg := err.Error(); !strings.Contains(msg, "apt-get install postgresql") || strings.Contains(msg, "\n") {
		t.Errorf("error %q should be one line saying what to install", msg)
	}
}

// TestClusterLifecycle starts a private cluster while another server may
// hold 5432, checks it answers on its own port, stops it, and starts it again.
func TestClusterLifecycle(t *testing.T) {
	ctx := context.Background()
	c := newTestCluster(t)
	dir := c.Dir

	st, err := c.Status(ctx)
	if err != nil || st.Initialized || st.Running {
		t.Fatalf("Status of a new directory = %+v, %v; want not initialized", st, err)
	}
	url, started, err := c.Start(ctx)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	if !started {
		t.Errorf("first Start reported started=false")
	}
	if strings.Contains(url, ":5432/") {
		t.Errorf("embedded cluster URL %q uses 5432; it must pick a free port", url)
	}
	ping(t, url)
	if _, started, err := c.Start(ctx); err != nil || started {
		t.Errorf("second Start = started %v, %v; want a no-op on the running cluster", started, err)
	}
	if st, err := c.Status(ctx); err != nil || !st.Running || st.URL != url {
		t.Errorf("Status of the running cluster = %+v, %v", st, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "run")); err != nil {
		t.Errorf("no socket directory in the data directory: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if st, _ := c.Status(ctx); st.Running {
		t.Errorf("Status after Stop says running")
	}
	url2, started, err := c.Start(ctx)
	if err != nil || !started {
		t.Fatalf("restart = %v, %v", started, err)
	}
	ping(t, url2)
}

func ping(t *testing.T, url string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatalf("connect to %s: %v", url, err)
	}
	defer conn.Close(ctx)
	var one int
	if err := conn.QueryRow(ctx, "SELECT 1").Scan(&one); err != nil || one != 1 {
		t.Fatalf("SELECT 1 = %d, %v", one, err)
	}
	// The port is really ours: something listens there.
	host := strings.TrimPrefix(strings.Split(url, "@")[1], "")
	host = strings.Split(host, "/")[0]
	if c, err := net.DialTimeout("tcp", host, time.Second); err == nil {
		c.Close()
	} else {
		t.Errorf("dial %s: %v", host, err)
	}
}

// TestClusterPasswordAuth checks that the embedded cluster asks every
// client for the password, which only the data directory's owner can read,
// and that the URL Start returns carries it.
func TestClusterPasswordAuth(t *testing.T) {
	ctx := context.Background()
	c := newTestCluster(t)
	dir := c.Dir
	u, _, err := c.Start(ctx)
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	ping(t, u)
	checkPasswordOnly(t, dir, u)
	if got, err := c.URL(); err != nil || got != u {
		t.Errorf("URL() = %q, %v; want %q", got, err, u)
	}
}

// TestClusterSwitchesTrustToPassword makes a cluster look like one an older
// bigmath made (trust authentication, no password file) and checks that
// Start gives it a password.
func TestClusterSwitchesTrustToPassword(t *testing.T) {
	ctx := context.Background()
	c := newTestCluster(t)
	dir := c.Dir
	if _, _, err := c.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := c.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	// Back to trust, as an older bigmath left it.
	hba := filepath.Join(dir, "pg", "pg_hba.conf")
	if err := os.WriteFile(hba, []byte("local all all trust\nhost all all 127.0.0.1/32 trust\n"), 0); err != nil {
		t.Fatal(err)
	}
	state := filepath.Join(dir, "cluster.json")
	b, err := os.ReadFile(state)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(b, &st); err != nil {
		t.Fatal(err)
	}
	delete(st, "auth")
	b, _ = json.Marshal(st)
	if err := os.WriteFile(state, b, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "password")); err != nil {
		t.Fatal(err)
	}
	u, started, err := c.Start(ctx)
	if err != nil || !started {
		t.Fatalf("Start of a trust cluster = %v, %v", started, err)
	}
	ping(t, u)
	checkPasswordOnly(t, dir, u)
	// A second Start of the running cluster keeps the password.
	u2, _, err := c.Start(ctx)
	if err != nil || u2 != u {
		t.Errorf("second Start = %q, %v; want %q", u2, err, u)
	}
}

// newTestCluster returns a cluster in a new directory the postgres user can
// reach, stopped when the test ends; the test runs in parallel, and is
// skipped without the PostgreSQL server binaries.
func newTestCluster(t *testing.T) *postgres.Cluster {
	t.Helper()
	if _, err := postgres.FindBinDir(""); err != nil {
		t.Skipf("no PostgreSQL server binaries: %v", err)
	}
	t.Parallel()
	c := &postgres.Cluster{Dir: testutil.ReachableTempDir(t, "bigmath-cluster-")}
	t.Cleanup(func() { c.Stop(context.Background()) })
	return c
}

// checkPasswordOnly checks that dir/password is the owner's alone and that
// the server refuses connections without it, over TCP and the socket.
func checkPasswordOnly(t *testing.T, dir, withPassword string) {
	t.Helper()
	fi, err := os.Stat(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatalf("no password file: %v", err)
	}
	if fi.Mode().Perm() != 0o600 {
		t.Errorf("password file mode %v, want 0600", fi.Mode().Perm())
	}
	pu, err := url.Parse(withPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := pu.User.Password(); !ok {
		t.Errorf("URL %s carries no password", pu.Redacted())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for name, u := range map[string]string{
		"tcp without password":    "postgres://postgres@" + pu.Host + "/postgres?sslmode=disable",
		"tcp with wrong password": "postgres://postgres:wrong@" + pu.Host + "/postgres?sslmode=disable",
		"socket":                  "postgres://postgres@/postgres?host=" + filepath.Join(dir, "run") + "&port=" + pu.Port(),
	} {
		conn, err := pgx.Connect(ctx, u)
		if err == nil {
			conn.Close(ctx)
			t.Errorf("%s: connected; want the password asked for", name)
			continue
		}
		if !strings.Contains(err.Error(), "password") {
			t.Errorf("%s: %v; want a password error", name, err)
		}
	}
}

// TestClusterStopsWhenOwnerKilled starts a cluster in a child process that
// watches it (Watch), SIGKILLs the child, and checks that the cluster stops.
func TestClusterStopsWhenOwnerKilled(t *testing.T) {
	if dir := os.Getenv("BIGMATH_WATCH_HELPER_DIR"); dir != "" {
		// The child: start, watch, say so, and wait to be killed.
		c := &postgres.Cluster{Dir: dir}
		if _, _, err := c.Start(context.Background()); err != nil {
			fmt.Println("start:", err)
			os.Exit(1)
		}
		if _, err := c.Watch(); err != nil {
			fmt.Println("watch:", err)
			os.Exit(1)
		}
		fmt.Println("ready")
		time.Sleep(10 * time.Minute)
		os.Exit(1)
	}
	c := newTestCluster(t)
	dir := c.Dir
	cmd := exec.Command(os.Args[0], "-test.run=^TestClusterStopsWhenOwnerKilled$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BIGMATH_WATCH_HELPER_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, _ := bufio.NewReader(out).ReadString('\n')
	if strings.TrimSpace(line) != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("child: %q", line)
	}
	ctx := context.Background()
	if st, err := c.Status(ctx); err != nil || !st.Running {
		t.Fatalf("cluster not running under the child: %+v, %v", st, err)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	killed := time.Now()
	for time.Since(killed) < time.Minute {
		if st, err := c.Status(ctx); err == nil && !st.Running {
			t.Logf("the cluster stopped %s after its owner was killed", time.Since(killed).Round(10*time.Millisecond))
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatal("the cluster still runs a minute after the command that started it was killed")
}

// TestClusterStartWaitsForShutdown: a server in the middle of shutting down
// (a smart shutdown held open by one session, as a watchdog's stop is for
// a moment) is reported as stopping, not running, and Start waits for it
// to go and starts a new server instead of handing out the old one.
func TestClusterStartWaitsForShutdown(t *testing.T) {
	ctx := context.Background()
	c := newTestCluster(t)
	url, _, err := c.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Stop(context.Background()) })
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	pidLine, err := os.ReadFile(filepath.Join(c.Dir, "pg", "postmaster.pid"))
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	fmt.Sscan(string(pidLine), &pid)
	// SIGTERM: a smart shutdown, which waits for conn to close.
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := c.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if st.Stopping {
			if st.Running {
				t.Fatalf("Status = %+v: stopping and running at once", st)
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("30 s after SIGTERM Status = %+v, want stopping", st)
		}
		time.Sleep(20 * time.Millisecond)
	}
	type result struct {
		url     string
		started bool
		err     error
	}
	done := make(chan result, 1)
	go func() {
		u, started, err := c.Start(ctx)
		done <- result{u, started, err}
	}()
	select {
	case r := <-done:
		t.Fatalf("Start returned %+v while the server was shutting down; want it to wait", r)
	case <-time.After(500 * time.Millisecond):
	}
	conn.Close(ctx) // the shutdown completes
	r := <-done
	if r.err != nil || !r.started {
		t.Fatalf("Start after the shutdown = %+v; want a new server started", r)
	}
	ping(t, r.url)
}
