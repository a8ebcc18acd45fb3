package postgres

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// ErrNoServerBinaries means that initdb, pg_ctl and postgres were found
// neither on PATH nor under /usr/lib/postgresql/*/bin.
var ErrNoServerBinaries = errors.New("PostgreSQL server binaries (initdb, pg_ctl, postgres) not found on PATH or under /usr/lib/postgresql/*/bin: install them (Debian/Ubuntu: apt-get install postgresql; Fedora: dnf install postgresql-server; macOS: brew install postgresql) or set DATABASE_URL")

// DatabaseName is the database bigmath creates in its embedded cluster.
const DatabaseName = "bigmath"

// Cluster is the private PostgreSQL cluster that bigmath runs under its data
// directory when no DATABASE_URL is given. Its files live in Dir/pg, its log
// in Dir/log, its unix socket in Dir/run, and its port in Dir/cluster.json.
// It listens on 127.0.0.1 only, on a port that was free when it was first
// started, so a server already on 5432 does not matter.
//
// Every connection, over TCP or the socket, must give the password of the
// superuser postgres (SCRAM-SHA-256): it is generated at initdb and kept in
// Dir/password, readable by the owner only, and URL carries it. A cluster
// made by an older bigmath with trust authentication is switched to the
// password on its next Start.
//
// initdb and postgres refuse to run as root; when the process is root, the
// cluster runs as the unprivileged system user RunAs (default "postgres").
//
// Start, Stop and Status are safe to call from several processes at once: a
// file lock in Dir serialises them.
type Cluster struct {
	Dir    string       // the data directory (BIGMATH_DATA_DIR)
	RunAs  string       // the user to run as when root; "" means "postgres"
	Logger *slog.Logger // nil discards
	// BinGlob is where to look for the server binaries when they are not on
	// PATH; "" means /usr/lib/postgresql/*/bin.
	BinGlob string
}

// clusterState is what Dir/cluster.json records.
type clusterState struct {
	Port   int    `json:"port"`
	BinDir string `json:"bin_dir"`
	// Auth is the authentication method of the cluster: "scram-sha-256",
	// or "" for a cluster made with trust authentication.
	Auth string `json:"auth,omitempty"`
}

// authSCRAM is the authentication method of clusters bigmath makes.
const authSCRAM = "scram-sha-256"

func (c *Cluster) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

func (c *Cluster) pgdata() string    { return filepath.Join(c.Dir, "pg") }
func (c *Cluster) sockDir() string   { return filepath.Join(c.Dir, "run") }
func (c *Cluster) statePath() string { return filepath.Join(c.Dir, "cluster.json") }
func (c *Cluster) logDir() string    { return filepath.Join(c.Dir, "log") }
func (c *Cluster) logPath() string   { return filepath.Join(c.logDir(), "postgres.log") }
func (c *Cluster) passwordPath() string {
	return filepath.Join(c.Dir, "password")
}

// FindBinDir returns the directory holding initdb, pg_ctl and postgres: from
// PATH, else the newest match of glob (by default
// /usr/lib/postgresql/<version>/bin). It returns ErrNoServerBinaries when
// there is none.
func FindBinDir(glob string) (string, error) {
	if glob == "" {
		glob = "/usr/lib/postgresql/*/bin"
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil {
		dir := filepath.Dir(p)
		if isExec(filepath.Join(dir, "initdb")) && isExec(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	matches, _ := filepath.Glob(glob)
	sort.Slice(matches, func(i, j int) bool { return versionOf(matches[i]) > versionOf(matches[j]) })
	for _, dir := range matches {
		if isExec(filepath.Join(dir, "pg_ctl")) && isExec(filepath.Join(dir, "initdb")) && isExec(filepath.Join(dir, "postgres")) {
			return dir, nil
		}
	}
	return "", ErrNoServerBinaries
}

func versionOf(binDir string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(binDir)), 64)
	return v
}

func isExec(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0
}

// Status describes a cluster.
type Status struct {
	Initialized bool
	Running     bool
	// Stopping is true while the server shuts down: it still holds its
	// port and answers "shutting down", and neither Running nor stopped.
	Stopping bool
	Port     int
	URL      string
}

// Status reports whether the cluster exists and runs, and its URL.
func (c *Cluster) Status(ctx context.Context) (Status, error) {
	var st Status
	s, err := c.readState()
	if errors.Is(err, os.ErrNotExist) {
		return st, nil
	}
	if err != nil {
		return st, err
	}
	st.Initialized = true
	st.Port = s.Port
	if st.URL, err = c.url(s.Port); err != nil {
		return st, err
	}
	st.Stopping = c.stopping()
	st.Running = !st.Stopping && c.running(ctx, s)
	return st, nil
}

// URL returns the connection URL of the cluster (TCP on 127.0.0.1, with the
// password). It fails when the cluster was never initialized.
func (c *Cluster) URL() (string, error) {
	s, err := c.readState()
	if err != nil {
		return "", fmt.Errorf("embedded cluster in %s is not initialized (run bigmath db start): %w", c.Dir, err)
	}
	return c.url(s.Port)
}

func (c *Cluster) url(port int) (string, error) {
	return c.dbURL(port, DatabaseName)
}

// dbURL is the URL of database db on the cluster, with the password when
// the cluster has one.
func (c *Cluster) dbURL(port int, db string) (string, error) {
	u := &url.URL{Scheme: "postgres", Host: fmt.Sprintf("127.0.0.1:%d", port), Path: "/" + db, RawQuery: "sslmode=disable"}
	pw, err := c.password()
	switch {
	case err == nil:
		u.User = url.UserPassword("postgres", pw)
	case errors.Is(err, os.ErrNotExist): // a trust cluster not yet switched
		u.User = url.User("postgres")
	default:
		return "", err
	}
	return u.String(), nil
}

// password reads the superuser's password from Dir/password.
func (c *Cluster) password() (string, error) {
	b, err := os.ReadFile(c.passwordPath())
	if err != nil {
		return "", fmt.Errorf("read the embedded cluster's password: %w", err)
	}
	pw := strings.TrimSpace(string(b))
	if pw == "" {
		return "", fmt.Errorf("the embedded cluster's password file %s is empty: remove the data directory %s to start afresh", c.passwordPath(), c.Dir)
	}
	return pw, nil
}

// newPassword makes a random password (hex, so that it is safe inside a
// quoted SQL literal) and writes it to Dir/password, mode 0600, replacing an
// older one.
func (c *Cluster) newPassword() (string, error) {
	var b [24]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("generate a password: %w", err)
	}
	pw := hex.EncodeToString(b[:])
	tmp := c.passwordPath() + ".tmp"
	os.Remove(tmp)
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return "", fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	_, werr := f.WriteString(pw + "\n")
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp, c.passwordPath())
	}
	if werr != nil {
		os.Remove(tmp)
		return "", fmt.Errorf("write the password file: %w", werr)
	}
	return pw, nil
}

// Start initializes the cluster if needed and starts it if it is not
// running. started reports whether this call started it, so that the caller
// that started it can stop it when done.
func (c *Cluster) Start(ctx context.Context) (url string, started bool, err error) {
	if c.Dir == "" {
		return "", false, errors.New("embedded cluster: no data directory")
	}
	dir, err := filepath.Abs(c.Dir)
	if err != nil {
		return "", false, fmt.Errorf("data directory %s: %w", c.Dir, err)
	}
	c.Dir = dir
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return "", false, fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	unlock, err := c.lock()
	if err != nil {
		return "", false, err
	}
	defer unlock()

	cred, err := c.credential()
	if err != nil {
		return "", false, err
	}
	if cred != nil {
		c.logger().Info("bigmath runs as root and PostgreSQL refuses to: the embedded postgres runs as an unprivileged system user", "user", c.runAs())
	}
	s, err := c.readState()
	if errors.Is(err, os.ErrNotExist) {
		if s, err = c.initdb(ctx, cred); err != nil {
			return "", false, err
		}
	} else if err != nil {
		return "", false, err
	}
	// A server still shutting down (a watchdog, or another bigmath, is
	// stopping it) answers connections with "shutting down": wait for it
	// to go, then start a new one, rather than hand out a server about to
	// disappear.
	if err := c.waitStopped(ctx, time.Minute); err != nil {
		return "", false, err
	}
	if c.running(ctx, s) {
		if err := c.switchToPassword(ctx, &s); err != nil {
			return "", false, err
		}
		u, err := c.url(s.Port)
		return u, false, err
	}
	if !portFree(s.Port) {
		// Another server took our port while we were stopped: move.
		if s.Port, err = freePort(); err != nil {
			return "", false, err
		}
		if err := c.writeState(s); err != nil {
			return "", false, err
		}
	}
	if err := c.pgctlStart(ctx, s, cred); err != nil {
		return "", false, err
	}
	if err := c.switchToPassword(ctx, &s); err != nil {
		return "", true, err
	}
	if err := c.ensureDatabase(ctx, s.Port); err != nil {
		return "", true, err
	}
	c.logger().Info("embedded postgres started", "data_dir", c.Dir, "port", s.Port)
	u, err := c.url(s.Port)
	return u, true, err
}

// Stop stops the cluster if it runs (fast shutdown: open sessions are
// disconnected, data is flushed).
func (c *Cluster) Stop(ctx context.Context) error {
	unlock, err := c.lock()
	if err != nil {
		return err
	}
	defer unlock()
	s, err := c.readState()
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if !c.pidFileExists() {
		return nil
	}
	if c.stopping() { // stopped by someone else already: see it through
		return c.waitStopped(ctx, time.Minute)
	}
	cred, err := c.credential()
	if err != nil {
		return err
	}
	out, err := c.command(ctx, cred, filepath.Join(s.BinDir, "pg_ctl"), "-D", c.pgdata(), "-m", "fast", "-w", "-t", "60", "stop")
	if err != nil {
		return fmt.Errorf("stop embedded postgres: %s", lastLine(out, err))
	}
	c.logger().Info("embedded postgres stopped", "data_dir", c.Dir)
	return nil
}

// Watch makes sure the cluster stops when this process ends, however it
// ends, SIGKILL included: it starts a watchdog (a shell in its own process
// group, so that a Ctrl-C aimed at this process does not reach it) that
// waits on a pipe this process holds open; when the process dies the pipe
// closes and the watchdog stops the cluster. A command that started the
// cluster for itself calls Watch and, when it is done, cancel (which ends
// the watchdog) and then Stop.
func (c *Cluster) Watch() (cancel func(), err error) {
	s, err := c.readState()
	if err != nil {
		return nil, err
	}
	cred, err := c.credential()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("watchdog pipe: %w", err)
	}
	// read returns at end of file, when every writer is gone: this
	// process (the child gets only the read end).
	cmd := exec.Command("/bin/sh", "-c", `read -r _; exec "$0" -D "$1" -m fast -w -t 60 stop >/dev/null 2>&1`,
		filepath.Join(s.BinDir, "pg_ctl"), c.pgdata())
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	cmd.Stdin = r
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if cred != nil {
		cmd.SysProcAttr.Credential = cred
	}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("start the watchdog of embedded postgres: %w", err)
	}
	r.Close()
	done := make(chan struct{})
	go func() { cmd.Wait(); close(done) }()
	return func() {
		cmd.Process.Kill()
		<-done
		w.Close()
	}, nil
}

// postmasterStatus returns the server's process id and its state as the
// server writes them in postmaster.pid (line 1, and line 8: "starting",
// "stopping", "ready" or "standby"); ok is false when there is no such
// file or it cannot be read.
func (c *Cluster) postmasterStatus() (pid int, state string, ok bool) {
	b, err := os.ReadFile(filepath.Join(c.pgdata(), "postmaster.pid"))
	if err != nil {
		return 0, "", false
	}
	lines := strings.Split(string(b), "\n")
	pid, err = strconv.Atoi(strings.TrimSpace(lines[0]))
	if err != nil {
		return 0, "", false
	}
	if len(lines) >= 8 {
		state = strings.TrimSpace(lines[7])
	}
	return pid, state, true
}

// stopping reports whether the server is shutting down: its postmaster.pid
// says "stopping" and its process is alive.
func (c *Cluster) stopping() bool {
	pid, state, ok := c.postmasterStatus()
	return ok && state == "stopping" && processAlive(pid)
}

// waitStopped waits, at most limit, for a server that is shutting down to
// be gone.
func (c *Cluster) waitStopped(ctx context.Context, limit time.Duration) error {
	if !c.stopping() {
		return nil
	}
	c.logger().Info("embedded postgres is shutting down: waiting for it to stop", "data_dir", c.Dir)
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for c.stopping() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("embedded postgres of %s was still shutting down after %s (log: %s)", c.Dir, limit, c.logPath())
		case <-tick.C:
		}
	}
	return nil
}

// processAlive reports whether process pid exists (one of another user
// counts: signal 0 then fails with EPERM).
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

func (c *Cluster) pidFileExists() bool {
	_, err := os.Stat(filepath.Join(c.pgdata(), "postmaster.pid"))
	return err == nil
}

// running reports whether the cluster's server accepts connections.
func (c *Cluster) running(ctx context.Context, s clusterState) bool {
	if !c.pidFileExists() {
		return false
	}
	cctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	u, err := c.dbURL(s.Port, "postgres")
	if err != nil {
		return false
	}
	conn, err := pgx.Connect(cctx, u+"&connect_timeout=2")
	if err != nil {
		var pgErr *pgconn.PgError
		// A server that refuses our password is running all the same.
		return errors.As(err, &pgErr)
	}
	conn.Close(ctx)
	return true
}

func (c *Cluster) initdb(ctx context.Context, cred *syscall.Credential) (clusterState, error) {
	binDir, err := FindBinDir(c.BinGlob)
	if err != nil {
		return clusterState{}, err
	}
	port, err := freePort()
	if err != nil {
		return clusterState{}, err
	}
	pgdata := c.pgdata()
	if err := os.RemoveAll(pgdata); err != nil { // a half-made cluster from a killed initdb
		return clusterState{}, fmt.Errorf("data directory %s: %w", c.Dir, rootCause(err))
	}
	for _, d := range []string{pgdata, c.sockDir(), c.logDir()} {
		if err := os.MkdirAll(d, 0o700); err != nil {
			return clusterState{}, fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
		}
		if cred != nil {
			if err := os.Chown(d, int(cred.Uid), int(cred.Gid)); err != nil {
				return clusterState{}, fmt.Errorf("give %s to user %s: %w", d, c.runAs(), rootCause(err))
			}
		}
	}
	if cred != nil {
		if err := c.checkReachable(ctx, cred); err != nil {
			return clusterState{}, err
		}
	}
	pw, err := c.newPassword()
	if err != nil {
		return clusterState{}, err
	}
	// initdb reads the password from a file that the user it runs as can
	// read: a copy in the socket directory, removed at once.
	pwfile := filepath.Join(c.sockDir(), ".initdb-password")
	if err := os.WriteFile(pwfile, []byte(pw+"\n"), 0o600); err != nil {
		return clusterState{}, fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	defer os.Remove(pwfile)
	if cred != nil {
		if err := os.Chown(pwfile, int(cred.Uid), int(cred.Gid)); err != nil {
			return clusterState{}, fmt.Errorf("give %s to user %s: %w", pwfile, c.runAs(), rootCause(err))
		}
	}
	c.logger().Info("creating embedded postgres cluster", "data_dir", c.Dir, "bin_dir", binDir)
	out, err := c.command(ctx, cred, filepath.Join(binDir, "initdb"), "-D", pgdata, "-U", "postgres", "--auth="+authSCRAM, "--pwfile="+pwfile, "-E", "UTF8", "--locale=C", "--no-sync")
	if err != nil {
		return clusterState{}, fmt.Errorf("initdb: %s", lastLine(out, err))
	}
	os.Remove(pwfile)
	conf := "\n# written by bigmath\nlisten_addresses = '127.0.0.1'\nmax_connections = 200\nshared_buffers = 128MB\nunix_socket_permissions = 0700\npassword_encryption = 'scram-sha-256'\n"
	f, err := os.OpenFile(filepath.Join(pgdata, "postgresql.conf"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		return clusterState{}, fmt.Errorf("configure cluster: %w", err)
	}
	_, werr := f.WriteString(conf)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return clusterState{}, fmt.Errorf("configure cluster: %w", werr)
	}
	s := clusterState{Port: port, BinDir: binDir, Auth: authSCRAM}
	// The state file is written last: its presence means "initialized".
	if err := c.writeState(s); err != nil {
		return clusterState{}, err
	}
	return s, nil
}

// checkReachable makes sure the unprivileged user can reach the data
// directory (every parent must be searchable by it).
func (c *Cluster) checkReachable(ctx context.Context, cred *syscall.Credential) error {
	out, err := c.command(ctx, cred, "/bin/sh", "-c", `test -w "$1"`, "sh", c.pgdata())
	if err != nil {
		return fmt.Errorf("data directory %s cannot be reached by user %q, which runs the embedded postgres because bigmath runs as root (%s): set BIGMATH_DATA_DIR to a directory it can reach, such as /var/tmp/bigmath", c.Dir, c.runAs(), lastLine(out, err))
	}
	return nil
}

func (c *Cluster) pgctlStart(ctx context.Context, s clusterState, cred *syscall.Credential) error {
	opts := fmt.Sprintf("-p %d -c listen_addresses=127.0.0.1", s.Port)
	if len(filepath.Join(c.sockDir(), ".s.PGSQL.00000")) < 100 {
		opts += " -k " + c.sockDir()
	} else {
		opts += " -k ''"
		c.logger().Warn("data directory path too long for a unix socket; listening on TCP only", "data_dir", c.Dir)
	}
	out, err := c.command(ctx, cred, filepath.Join(s.BinDir, "pg_ctl"), "-D", c.pgdata(), "-l", c.logPath(), "-o", opts, "-w", "-t", "60", "start")
	if err != nil {
		if b, rerr := os.ReadFile(c.logPath()); rerr == nil && len(bytes.TrimSpace(b)) > 0 {
			out = b
		}
		return fmt.Errorf("start embedded postgres (log: %s): %s", c.logPath(), lastLine(out, err))
	}
	return nil
}

// hbaSCRAM is the pg_hba.conf of a cluster with password authentication:
// the superuser's password over the socket and over TCP on loopback.
const hbaSCRAM = `# written by bigmath: every connection gives the password (see the data directory's password file)
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 scram-sha-256
host    all       all   127.0.0.1/32  scram-sha-256
host    all       all   ::1/128       scram-sha-256
`

// switchToPassword gives a running cluster made with trust authentication
// (by an older bigmath) a password: it sets one, requires it in
// pg_hba.conf, reloads the configuration and records the change.
func (c *Cluster) switchToPassword(ctx context.Context, s *clusterState) error {
	if s.Auth == authSCRAM {
		return nil
	}
	c.logger().Info("embedded postgres used trust authentication: setting a password", "data_dir", c.Dir)
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", s.Port))
	if err != nil {
		return fmt.Errorf("connect to embedded postgres to set its password: %w", err)
	}
	defer conn.Close(ctx)
	// The password file first: should we stop before pg_hba.conf is
	// written, the next Start sets a new one over trust again.
	pw, err := c.newPassword()
	if err != nil {
		return err
	}
	if _, err := conn.Exec(ctx, "SET password_encryption = 'scram-sha-256'"); err != nil {
		return fmt.Errorf("set the password of embedded postgres: %w", err)
	}
	if _, err := conn.Exec(ctx, "ALTER ROLE postgres PASSWORD '"+pw+"'"); err != nil {
		return fmt.Errorf("set the password of embedded postgres: %w", err)
	}
	hba := filepath.Join(c.pgdata(), "pg_hba.conf")
	f, err := os.OpenFile(hba, os.O_WRONLY|os.O_TRUNC, 0) // keeps the owner and mode
	if err != nil {
		return fmt.Errorf("require the password in %s: %w", hba, err)
	}
	_, werr := f.WriteString(hbaSCRAM)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("require the password in %s: %w", hba, werr)
	}
	if _, err := conn.Exec(ctx, "SELECT pg_reload_conf()"); err != nil {
		return fmt.Errorf("reload the configuration of embedded postgres: %w", err)
	}
	s.Auth = authSCRAM
	return c.writeState(*s)
}

func (c *Cluster) ensureDatabase(ctx context.Context, port int) error {
	u, err := c.dbURL(port, "postgres")
	if err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return fmt.Errorf("connect to embedded postgres: %w", err)
	}
	defer conn.Close(ctx)
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", DatabaseName).Scan(&exists); err != nil {
		return fmt.Errorf("look up database %s: %w", DatabaseName, err)
	}
	if exists {
		return nil
	}
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{DatabaseName}.Sanitize()); err != nil {
		return fmt.Errorf("create database %s: %w", DatabaseName, err)
	}
	return nil
}

func (c *Cluster) runAs() string {
	if c.RunAs == "" {
		return "postgres"
	}
	return c.RunAs
}

// credential returns the user to run server commands as: nil when this
// process is not root, else the unprivileged RunAs user.
func (c *Cluster) credential() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup(c.runAs())
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses to run as root, but the system user %q to run it as does not exist (create it, e.g. useradd --system postgres, or run bigmath as a normal user): %w", c.runAs(), err)
	}
	uid, _ := strconv.ParseUint(u.Uid, 10, 32)
	gid, _ := strconv.ParseUint(u.Gid, 10, 32)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func (c *Cluster) command(ctx context.Context, cred *syscall.Credential, name string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = c.Dir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	// Put the server in its own process group, so that a Ctrl-C aimed at
	// bigmath does not kill it before bigmath stops it cleanly.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if cred != nil {
		cmd.SysProcAttr.Credential = cred
		cmd.Env = append(cmd.Env, "HOME="+c.Dir)
	}
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	// pg_ctl start leaves the server running with our pipes open unless its
	// output is redirected; -l does that, and WaitDelay bounds the rest.
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	return buf.Bytes(), err
}

func (c *Cluster) lock() (func(), error) {
	if err := os.MkdirAll(c.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	f, err := os.OpenFile(filepath.Join(c.Dir, "cluster.lock"), os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		return nil, fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s: %w", f.Name(), err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

func (c *Cluster) readState() (clusterState, error) {
	var s clusterState
	b, err := os.ReadFile(c.statePath())
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil || s.Port == 0 || s.BinDir == "" {
		return s, fmt.Errorf("corrupt %s: remove the data directory %s to start afresh", c.statePath(), c.Dir)
	}
	return s, nil
}

func (c *Cluster) writeState(s clusterState) error {
	b, _ := json.Marshal(s)
	tmp := c.statePath() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("data directory %s is not writable: %w", c.Dir, rootCause(err))
	}
	return os.Rename(tmp, c.statePath())
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

func portFree(port int) bool {
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port))
	if err != nil {
		return false
	}
	l.Close()
	return true
}

func lastLine(out []byte, err error) string {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if l := strings.TrimSpace(lines[i]); l != "" {
			return l
		}
	}
	return err.Error()
}

// rootCause strips *PathError and friends to their plain cause ("permission denied").
func rootCause(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
