// Package postgres holds every SQL statement of bigmath (pgx v5) and maps rows
// to domain values. It also applies the embedded migrations (Migrate) and
// manages the private PostgreSQL cluster that bigmath runs when no
// DATABASE_URL is given (Cluster).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/migrations"
)

// VersionTable is the table in which applied migrations are recorded.
const VersionTable = "schema_version"

// Open connects a pool to the database at url and checks that it answers
// within connectTimeout. The error names the cause in one line: a bad URL, a
// refused connection, a failed login, a missing database.
func Open(ctx context.Context, url string, connectTimeout time.Duration) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database URL: %w", redactURLError(err))
	}
	if connectTimeout > 0 {
		cfg.ConnConfig.ConnectTimeout = connectTimeout
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("open database pool: %w", err)
	}
	pctx, cancel := context.WithTimeout(ctx, connectTimeout+time.Second)
	defer cancel()
	if err := pool.Ping(pctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("connect to database %s:%d/%s: %w", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, describeConnError(err))
	}
	return pool, nil
}

// redactURLError drops the URL (which may hold a password) from pgx's parse errors.
func redactURLError(err error) error {
	var pe *pgconn.ParseConfigError
	if errors.As(err, &pe) && pe.Unwrap() != nil {
		return pe.Unwrap()
	}
	if errors.As(err, &pe) {
		return errors.New("invalid database URL")
	}
	return err
}

// describeConnError turns a connection failure into its root cause.
func describeConnError(err error) error {
	var netErr *net.OpError
	if errors.As(err, &netErr) {
		return netErr
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return fmt.Errorf("%s (SQLSTATE %s)", pgErr.Message, pgErr.Code)
	}
	return err
}

// Migrate applies every pending migration from migrations.FS, in order, each
// in its own transaction, recording the version in VersionTable. An advisory
// lock makes concurrent callers (two processes starting at once) wait for
// each other, so the schema is created once. It returns the number of
// migrations applied by this call.
func Migrate(ctx context.Context, pool *pgxpool.Pool) (applied int, err error) {
	conn, err := pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("acquire connection: %w", err)
	}
	defer conn.Release()
	return migrateConn(ctx, conn.Conn(), migrations.FS)
}

func migrateConn(ctx context.Context, conn *pgx.Conn, fsys fs.FS) (int, error) {
	m, err := migrate.NewMigrator(ctx, conn, VersionTable)
	if err != nil {
		return 0, fmt.Errorf("create migrator: %w", err)
	}
	if err := m.LoadMigrations(fsys); err != nil {
		return 0, fmt.Errorf("load migrations: %w", err)
	}
	applied := 0
	m.OnStart = func(int32, string, string, string) { applied++ }
	if err := m.Migrate(ctx); err != nil {
		return applied, fmt.Errorf("apply migrations: %w", err)
	}
	return applied, nil
}

// LatestVersion returns the number of the newest embedded migration.
func LatestVersion() (int, error) {
	names, err := migrate.FindMigrations(migrations.FS)
	if err != nil {
		return 0, fmt.Errorf("find migrations: %w", err)
	}
	return len(names), nil
}

// SchemaVersion returns the version recorded in VersionTable, or 0 when no
// migration has run.
func SchemaVersion(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}) (int, error) {
	var v int32
	err := q.QueryRow(ctx, "SELECT version FROM "+VersionTable).Scan(&v)
	if err != nil {
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.Code == "42P01" { // undefined_table
			return 0, nil
		}
		return 0, fmt.Errorf("read schema version: %w", err)
	}
	return int(v), nil
}

// Ready reports whether the database answers and its schema is at the latest
// migration. The error says which of the two is wrong; it wraps
// bigmath.ErrUnavailable when the database cannot be reached.
func Ready(ctx context.Context, pool *pgxpool.Pool) error {
	v, err := SchemaVersion(ctx, pool)
	if err != nil {
		return fmt.Errorf("database unreachable: %w: %w", bigmath.ErrUnavailable, err)
	}
	latest, err := LatestVersion()
	if err != nil {
		return err
	}
	if v < latest {
		return fmt.Errorf("schema at version %d, want %d: run bigmath migrate", v, latest)
	}
	return nil
}
