package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/bigmath/bigmath"
)

// Config is every setting of bigmath, read from the environment in one place
// (loadConfig) and checked by Validate. Commands' flags override fields.
type Config struct {
	DatabaseURL     string        // DATABASE_URL; empty means the embedded cluster
	DataDir         string        // --data-dir, BIGMATH_DATA_DIR, or the user's data directory
	DataDirFrom     string        // where DataDir came from, for messages
	Addr            string        // BIGMATH_ADDR
	LogLevel        slog.Level    // BIGMATH_LOG_LEVEL
	LogFormat       string        // BIGMATH_LOG_FORMAT: json | text
	AdminToken      string        // BIGMATH_ADMIN_TOKEN
	APIToken        string        // BIGMATH_API_TOKEN
	BodyLimit       int64         // BIGMATH_BODY_LIMIT, bytes
	RateLimit       float64       // BIGMATH_RATE_LIMIT, requests/s per client; 0 = off
	RewardTimeout   time.Duration // BIGMATH_REWARD_TIMEOUT, per item
	BatchTimeout    time.Duration // BIGMATH_BATCH_TIMEOUT, per reward request
	ReadTimeout     time.Duration // BIGMATH_READ_TIMEOUT, a whole request
	ExportIdle      time.Duration // BIGMATH_EXPORT_IDLE_TIMEOUT
	ShutdownTimeout time.Duration // BIGMATH_SHUTDOWN_TIMEOUT
	ConnectTimeout  time.Duration // BIGMATH_CONNECT_TIMEOUT
	HFEndpoint      string        // HF_ENDPOINT
	HFToken         string        // HF_TOKEN
	CacheDir        string        // BIGMATH_CACHE_DIR
}

// configVar documents one environment variable: the README's table is
// checked against this list by a test.
type configVar struct {
	Name, Default, Help string
}

// configVars lists every variable loadConfig reads, with its default.
var configVars = []configVar{
	{"DATABASE_URL", "(unset: embedded cluster)", "PostgreSQL URL. Unset: bigmath runs its own cluster under BIGMATH_DATA_DIR."},
	{"BIGMATH_DATA_DIR", "$XDG_DATA_HOME/bigmath (~/.local/share/bigmath; /var/lib/bigmath as root)", "Data directory: the embedded cluster, its password, the download cache. The --data-dir flag overrides it. Not the current directory: every command finds the same database wherever it runs."},
	{"BIGMATH_ADDR", "127.0.0.1:8080", "Address the HTTP server listens on."},
	{"BIGMATH_LOG_LEVEL", "info", "debug, info, warn or error."},
	{"BIGMATH_LOG_FORMAT", "json", "json or text."},
	{"BIGMATH_ADMIN_TOKEN", "(unset: admin routes open on loopback, left out beyond it)", "Bearer token for admin routes (POST /v1/splits)."},
	{"BIGMATH_API_TOKEN", "(unset: open)", "Bearer token for read and reward routes."},
	{"BIGMATH_BODY_LIMIT", "8388608", "Largest request body, in bytes (suffixes KB, MB allowed)."},
	{"BIGMATH_RATE_LIMIT", "0", "Requests per second per client (token bucket, burst 2x); 0 turns it off."},
	{"BIGMATH_REWARD_TIMEOUT", "50ms", "Hard deadline of one reward check."},
	{"BIGMATH_BATCH_TIMEOUT", "30s", "Time a reward request may spend checking; items not reached by then come back with reason deadline_exceeded, retryable."},
	{"BIGMATH_READ_TIMEOUT", "60s", "Time a client has to send a whole request, headers and body."},
	{"BIGMATH_EXPORT_IDLE_TIMEOUT", "30s", "An export whose reader takes nothing for this long is cut off."},
	{"BIGMATH_SHUTDOWN_TIMEOUT", "15s", "How long in-flight requests may take to finish at shutdown."},
	{"BIGMATH_CONNECT_TIMEOUT", "5s", "How long to wait for PostgreSQL at start-up."},
	{"HF_ENDPOINT", "https://huggingface.co", "Hugging Face Hub endpoint for hub sources."},
	{"HF_TOKEN", "(unset)", "Hugging Face token, sent as a bearer token."},
	{"BIGMATH_CACHE_DIR", "$BIGMATH_DATA_DIR/cache", "Where downloaded source files are cached."},
}

// loadConfig reads the environment through getenv, applying defaults. Bad
// values are reported by name.
func loadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		DatabaseURL:     getenv("DATABASE_URL"),
		Addr:            or(getenv("BIGMATH_ADDR"), "127.0.0.1:8080"),
		LogFormat:       strings.ToLower(or(getenv("BIGMATH_LOG_FORMAT"), "json")),
		AdminToken:      getenv("BIGMATH_ADMIN_TOKEN"),
		APIToken:        getenv("BIGMATH_API_TOKEN"),
		HFEndpoint:      strings.TrimRight(or(getenv("HF_ENDPOINT"), "https://huggingface.co"), "/"),
		HFToken:         getenv("HF_TOKEN"),
		CacheDir:        getenv("BIGMATH_CACHE_DIR"),
		BodyLimit:       8 << 20,
		RewardTimeout:   50 * time.Millisecond,
		BatchTimeout:    30 * time.Second,
		ReadTimeout:     60 * time.Second,
		ExportIdle:      30 * time.Second,
		ShutdownTimeout: 15 * time.Second,
		ConnectTimeout:  5 * time.Second,
	}
	var err error
	if c.DataDir, c.DataDirFrom, err = resolveDataDir(getenv, os.Geteuid()); err != nil {
		return c, err
	}
	if c.LogLevel, err = parseLevel(getenv("BIGMATH_LOG_LEVEL")); err != nil {
		return c, err
	}
	if v := getenv("BIGMATH_BODY_LIMIT"); v != "" {
		if c.BodyLimit, err = parseBytes(v); err != nil || c.BodyLimit <= 0 {
			return c, fmt.Errorf("BIGMATH_BODY_LIMIT=%q: want a positive size in bytes such as 8388608 or 8MB", v)
		}
	}
	if v := getenv("BIGMATH_RATE_LIMIT"); v != "" {
		if c.RateLimit, err = strconv.ParseFloat(v, 64); err != nil || c.RateLimit < 0 {
			return c, fmt.Errorf("BIGMATH_RATE_LIMIT=%q: want a number of requests per second, 0 to turn it off", v)
		}
	}
	for _, d := range []struct {
		name string
		dst  *time.Duration
	}{
		{"BIGMATH_REWARD_TIMEOUT", &c.RewardTimeout},
		{"BIGMATH_BATCH_TIMEOUT", &c.BatchTimeout},
		{"BIGMATH_READ_TIMEOUT", &c.ReadTimeout},
		{"BIGMATH_EXPORT_IDLE_TIMEOUT", &c.ExportIdle},
		{"BIGMATH_SHUTDOWN_TIMEOUT", &c.ShutdownTimeout},
		{"BIGMATH_CONNECT_TIMEOUT", &c.ConnectTimeout},
	} {
		if v := getenv(d.name); v != "" {
			if *d.dst, err = time.ParseDuration(v); err != nil || *d.dst <= 0 {
				return c, fmt.Errorf("%s=%q: want a positive duration such as 50ms or 5s", d.name, v)
			}
		}
	}
	if c.CacheDir == "" && c.DataDir != "" {
		c.CacheDir = filepath.Join(c.DataDir, "cache")
	}
	return c, c.Validate()
}

// resolveDataDir is the one rule for the data directory: BIGMATH_DATA_DIR
// (which the --data-dir flag sets) when set, else the user's data directory,
// $XDG_DATA_HOME/bigmath or $HOME/.local/share/bigmath, or /var/lib/bigmath
// for root (whose home the unprivileged user running the embedded postgres
// cannot reach). The result is absolute; from says which rule gave it. With
// none of these set, dir is "": commands that need the data directory say
// so (see env.cluster).
func resolveDataDir(getenv func(string) string, euid int) (dir, from string, err error) {
	switch {
	case getenv("BIGMATH_DATA_DIR") != "":
		dir, from = getenv("BIGMATH_DATA_DIR"), "BIGMATH_DATA_DIR"
	case euid == 0:
		dir, from = "/var/lib/bigmath", "default for root"
	case getenv("XDG_DATA_HOME") != "":
		dir, from = filepath.Join(getenv("XDG_DATA_HOME"), "bigmath"), "default: $XDG_DATA_HOME/bigmath"
	case getenv("HOME") != "":
		dir, from = filepath.Join(getenv("HOME"), ".local", "share", "bigmath"), "default: ~/.local/share/bigmath"
	default:
		return "", "", nil
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", fmt.Errorf("BIGMATH_DATA_DIR=%q: %w", dir, err)
	}
	return abs, from, nil
}

// Validate checks the values that loadConfig cannot check while parsing,
// naming the variable at fault.
func (c Config) Validate() error {
	if err := validateAddr(c.Addr); err != nil {
		return fmt.Errorf("BIGMATH_ADDR=%q: %w", c.Addr, err)
	}
	if c.LogFormat != "json" && c.LogFormat != "text" {
		return fmt.Errorf("BIGMATH_LOG_FORMAT=%q: want json or text", c.LogFormat)
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") && !strings.Contains(c.DatabaseURL, "=") {
		return fmt.Errorf("DATABASE_URL: want a URL such as postgres://user@host:5432/db or a key=value connection string")
	}
	if !strings.HasPrefix(c.HFEndpoint, "http://") && !strings.HasPrefix(c.HFEndpoint, "https://") {
		return fmt.Errorf("HF_ENDPOINT=%q: want an http(s) URL", c.HFEndpoint)
	}
	return nil
}

func validateAddr(addr string) error {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("want host:port such as 127.0.0.1:8080")
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 0 || p > 65535 {
		return fmt.Errorf("port %q is not a number from 0 to 65535", port)
	}
	if host != "" && net.ParseIP(host) == nil && !validHostname(host) {
		return fmt.Errorf("host %q is not an IP address or host name", host)
	}
	return nil
}

func validHostname(h string) bool {
	if len(h) > 253 {
		return false
	}
	for _, r := range h {
		if !(r == '.' || r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

func parseLevel(v string) (slog.Level, error) {
	switch strings.ToLower(v) {
	case "", "info":
		return slog.LevelInfo, nil
	case "debug":
		return slog.LevelDebug, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("BIGMATH_LOG_LEVEL=%q: want debug, info, warn or error", v)
}

func parseBytes(v string) (int64, error) {
	s := strings.ToUpper(strings.TrimSpace(v))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n * mult, err
}

func or(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// newLogger builds the process's logger from BIGMATH_LOG_LEVEL and
// BIGMATH_LOG_FORMAT (JSON by default).
func newLogger(w io.Writer, getenv func(string) string) (*slog.Logger, error) {
	level, err := parseLevel(getenv("BIGMATH_LOG_LEVEL"))
	if err != nil {
		return nil, err
	}
	opts := &slog.HandlerOptions{Level: level}
	switch strings.ToLower(or(getenv("BIGMATH_LOG_FORMAT"), "json")) {
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	case "text":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("BIGMATH_LOG_FORMAT=%q: want json or text", getenv("BIGMATH_LOG_FORMAT"))
}

// bigmathVersion is the module version when built with go install, else bigmath.Version.
func bigmathVersion() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return bigmath.Version
}

// checkWritableDir makes dir if needed and checks that files can be created in it.
func checkWritableDir(name, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("%s=%q: cannot create the directory: %w", name, dir, unwrapPath(err))
	}
	f, err := os.CreateTemp(dir, ".write-test-*")
	if err != nil {
		return fmt.Errorf("%s=%q: directory is not writable: %w", name, dir, unwrapPath(err))
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

func unwrapPath(err error) error {
	if pe, ok := err.(*os.PathError); ok {
		return pe.Err
	}
	return err
}

// withDataDir returns getenv with BIGMATH_DATA_DIR set to dir (the
// --data-dir flag), so that every command reads it in one place.
func withDataDir(getenv func(string) string, dir string) func(string) string {
	return func(k string) string {
		if k == "BIGMATH_DATA_DIR" {
			return dir
		}
		return getenv(k)
	}
}

// adminRoutesOff reports whether serve leaves the admin routes out: when it
// listens beyond loopback (any interface, a non-loopback address or a host
// name other than localhost) and no BIGMATH_ADMIN_TOKEN is set. Secure by
// default: an image listening on 0.0.0.0 still serves, without them.
func adminRoutesOff(addr, adminToken string) bool {
	if adminToken != "" {
		return false
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return true
	}
	if strings.EqualFold(host, "localhost") {
		return false
	}
	ip := net.ParseIP(host)
	return ip == nil || !ip.IsLoopback()
}
