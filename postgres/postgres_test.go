package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	t.Parallel()
	pool := pgtest.New(t) // already migrated from the template
	ctx := context.Background()
	n, err := postgres.Migrate(ctx, pool)
	if err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	if n != 0 {
		t.Errorf("Migrate on a migrated database applied %d migrations, want 0", n)
	}
	if err := postgres.Ready(ctx, pool); err != nil {
		t.Errorf("Ready after Migrate: %v", err)
	}
}

func TestConcurrentMigrateCreatesOneSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := emptyDatabase(t)
	const workers = 4
	var wg sync.WaitGroup
	applied := make([]int, workers)
	errs := make([]error, workers)
	for i := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pool, err := pgxpool.New(ctx, url)
			if err != nil {
				errs[i] = err
				return
			}
			defer pool.Close()
			applied[i], errs[i] = postgres.Migrate(ctx, pool)
		}()
	}
	wg.Wait()
	total := 0
	for i, err := range errs {
		if err != nil {
			t.Fatalf("migrator %d: %v", i, err)
		}
		total += applied[i]
	}
	latest, err := postgres.LatestVersion()
	if err != nil {
		t.Fatal(err)
	}
	if total != latest {
		t.Errorf("migrations applied across %d concurrent migrators = %d, want %d (each exactly once)", workers, total, latest)
	}
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	v, err := postgres.SchemaVersion(ctx, pool)
	if err != nil || v != latest {
		t.Errorf("SchemaVersion = %d, %v; want %d", v, err, latest)
	}
}

func TestReadyReportsUnmigratedSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, emptyDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	err = postgres.Ready(ctx, pool)
	if err == nil || !strings.Contains(err.Error(), "schema at version 0") {
		t.Errorf("Ready on an empty database = %v, want a schema version error", err)
	}
}

func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	_, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable", time.Second)
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") {
		t.Errorf("Open(unreachable) = %v, want an error naming the address", err)
	}
	_, err = postgres.Open(ctx, "postgres://user:secret@host:notaport/db", time.Second)
	if err == nil || strings.Contains(err.Error(), "secret") {
		t.Errorf("Open(bad URL) = %v, want an error that does not leak the password", err)
	}
}

// emptyDatabase returns the URL of a new database with no schema at all.
func emptyDatabase(t *testing.T) string {
	t.Helper()
	pool := pgtest.New(t)
	if _, err := pool.Exec(context.Background(), "DROP SCHEMA public CASCADE; CREATE SCHEMA public"); err != nil {
		t.Fatal(err)
	}
	return pool.Config().ConnString()
}
