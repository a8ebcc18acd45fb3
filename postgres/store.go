package postgres

import (
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
)

// Store runs bigmath's queries on a pool. Its methods are split by concept
// across files: source.go, ingest.go, problem.go, split.go, attempt.go,
// stats.go.
type Store struct {
	pool *pgxpool.Pool
}

// NewStore returns a Store on pool.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// Pool returns the underlying pool.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// interpretError maps driver errors to the domain's sentinels: no rows is
// bigmath.ErrNotFound, a unique violation is bigmath.ErrConflict, a failed
// connection is bigmath.ErrUnavailable. Other errors pass through.
func interpretError(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return bigmath.ErrNotFound
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch pgErr.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%w: %s", bigmath.ErrConflict, pgErr.Detail)
		case "57P01", "57P02", "57P03": // admin_shutdown, crash_shutdown, cannot_connect_now
			return fmt.Errorf("%w: %s", bigmath.ErrUnavailable, pgErr.Message)
		}
		return err
	}
	if pgconn.SafeToRetry(err) || isConnError(err) {
		return fmt.Errorf("%w: %w", bigmath.ErrUnavailable, err)
	}
	return err
}

func isConnError(err error) bool {
	var ce *pgconn.ConnectError
	return errors.As(err, &ce)
}
