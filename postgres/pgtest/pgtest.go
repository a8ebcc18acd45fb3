// Package pgtest gives each test its own migrated PostgreSQL database.
//
// The server is the one at TEST_DATABASE_URL; when that is unset, it is
// bigmath's embedded cluster under BIGMATH_TEST_DATA_DIR (default
// <module root>/.bigmath/test), started on first use and left running so that
// the next test run reuses it (`bigmath db stop` stops it).
//
// The schema is migrated once into a template database whose name carries a
// hash of the migrations; every test then gets a fresh database created from
// that template (fast: a file copy), dropped in t.Cleanup. Tests using it can
// run in parallel.
package pgtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath/migrations"
	"github.com/bigmath/bigmath/postgres"
)

var (
	serverOnce sync.Once
	serverURL  string
	serverErr  error
)

// ServerURL returns the URL of the test server (see the package doc),
// starting the embedded cluster if needed.
func ServerURL(tb testing.TB) string {
	tb.Helper()
	serverOnce.Do(func() {
		if u := os.Getenv("TEST_DATABASE_URL"); u != "" {
			serverURL = u
			return
		}
		dir := os.Getenv("BIGMATH_TEST_DATA_DIR")
		if dir == "" {
			root, err := moduleRoot()
			if err != nil {
				serverErr = err
				return
			}
			dir = filepath.Join(root, ".bigmath", "test")
		}
		c := &postgres.Cluster{Dir: dir}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		serverURL, _, serverErr = c.Start(ctx)
	})
	if serverErr != nil {
		tb.Fatalf("pgtest: no test database: set TEST_DATABASE_URL or install the PostgreSQL server binaries: %v", serverErr)
	}
	return serverURL
}

func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
	}
}

// New returns a pool on a new database, migrated to the latest schema, that
// is dropped when the test ends.
func New(tb testing.TB) *pgxpool.Pool {
	tb.Helper()
	url := NewDatabase(tb)
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		tb.Fatalf("pgtest: open pool: %v", err)
	}
	tb.Cleanup(pool.Close)
	return pool
}

// NewDatabase creates a new migrated database and returns its URL; the
// database is dropped when the test ends (after the cleanups registered
// later, such as closing pools, have run).
func NewDatabase(tb testing.TB) string {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := ServerURL(tb)
	tmpl, err := template(ctx, admin)
	if err != nil {
		tb.Fatalf("pgtest: template database: %v", err)
	}
	name := dbName(tb.Name())
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		tb.Fatalf("pgtest: connect to %s: %v", redact(admin), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, fmt.Sprintf("CREATE DATABASE %s TEMPLATE %s", pgx.Identifier{name}.Sanitize(), pgx.Identifier{tmpl}.Sanitize())); err != nil {
		tb.Fatalf("pgtest: create database %s: %v", name, err)
	}
	tb.Cleanup(func() { drop(admin, name) })
	return WithDatabase(admin, name)
}

// drop removes a test database, disconnecting whoever is still on it.
func drop(admin, name string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return
	}
	defer conn.Close(ctx)
	conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS %s WITH (FORCE)", pgx.Identifier{name}.Sanitize()))
}

var templateMu sync.Mutex
var templateName string

// template returns the name of the migrated template database, creating it
// once per migration set. An advisory lock keeps concurrent test processes
// from racing.
func template(ctx context.Context, admin string) (string, error) {
	templateMu.Lock()
	defer templateMu.Unlock()
	if templateName != "" {
		return templateName, nil
	}
	sum, err := migrationsHash()
	if err != nil {
		return "", err
	}
	name := "bigmath_tmpl_" + sum[:12]
	conn, err := pgx.Connect(ctx, admin)
	if err != nil {
		return "", fmt.Errorf("connect to %s: %w", redact(admin), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock(728193)"); err != nil {
		return "", err
	}
	defer conn.Exec(context.Background(), "SELECT pg_advisory_unlock(728193)")
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1 AND datistemplate)", name).Scan(&exists); err != nil {
		return "", err
	}
	if !exists {
		ident := pgx.Identifier{name}.Sanitize()
		if _, err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+ident+" WITH (FORCE)"); err != nil {
			return "", err
		}
		if _, err := conn.Exec(ctx, "CREATE DATABASE "+ident); err != nil {
			return "", err
		}
		pool, err := pgxpool.New(ctx, WithDatabase(admin, name))
		if err != nil {
			return "", err
		}
		_, err = postgres.Migrate(ctx, pool)
		pool.Close()
		if err != nil {
			return "", err
		}
		if _, err := conn.Exec(ctx, "ALTER DATABASE "+ident+" WITH is_template true"); err != nil {
			return "", err
		}
	}
	templateName = name
	return name, nil
}

func migrationsHash() (string, error) {
	h := sha256.New()
	err := fs.WalkDir(migrations.FS, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(migrations.FS, path)
		if err != nil {
			return err
		}
		fmt.Fprintf(h, "%s\x00%d\x00", path, len(b))
		h.Write(b)
		return nil
	})
	return hex.EncodeToString(h.Sum(nil)), err
}

var unsafeChars = regexp.MustCompile(`[^a-z0-9_]+`)

// dbName makes a unique database name from a test name (63 bytes at most).
func dbName(test string) string {
	s := unsafeChars.ReplaceAllString(strings.ToLower(test), "_")
	if len(s) > 30 {
		s = s[:30]
	}
	now := time.Now().UnixNano()
	sum := sha256.Sum256([]byte(fmt.Sprintf("%s-%d-%d", test, now, os.Getpid())))
	return "t_" + s + "_" + hex.EncodeToString(sum[:6])
}

// WithDatabase returns url with its database name replaced by name.
func WithDatabase(url, name string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return url
	}
	host := cfg.Host
	if strings.HasPrefix(host, "/") {
		return fmt.Sprintf("postgres://%s@/%s?host=%s&port=%d&sslmode=disable", cfg.User, name, host, cfg.Port)
	}
	userinfo := cfg.User
	if cfg.Password != "" {
		userinfo += ":" + cfg.Password
	}
	return fmt.Sprintf("postgres://%s@%s:%d/%s?sslmode=disable", userinfo, host, cfg.Port, name)
}

func redact(url string) string {
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return "the test database"
	}
	return fmt.Sprintf("%s:%d", cfg.Host, cfg.Port)
}
