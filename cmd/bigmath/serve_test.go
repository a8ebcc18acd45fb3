package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath/postgres"

	"github.com/bigmath/bigmath/internal/testutil"
)

// TestServeSurvivesPostgresRestart is the acceptance test of issue 5: with
// `bigmath serve` running against a private cluster, the cluster is stopped
// and started again. /readyz goes 503 and back to 200 without restarting
// bigmath, reward requests with a gold answer stay 200 throughout, problem_id
// items get reward 0 with reason "unavailable" while the database is down,
// and recorded attempts are written at shutdown.
func TestServeSurvivesPostgresRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and restarts a PostgreSQL cluster")
	}
	if _, err := postgres.FindBinDir(""); err != nil {
		t.Skip(err)
	}
	// As root the cluster runs as user postgres, which must reach the
	// directory.
	dir := testutil.ReachableTempDir(t, "bigmath-restart-")
	cluster := &postgres.Cluster{Dir: dir}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	dbURL, _, err := cluster.Start(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cluster.Stop(context.Background())
	})

	srv := runServe(t, map[string]string{"DATABASE_URL": dbURL, "BIGMATH_ADDR": freeAddr(t), "BIGMATH_LOG_LEVEL": "error"})
	base := "http://" + srv.addr
	client := &http.Client{Timeout: 10 * time.Second}
	srv.waitReady(t, 200, 30*time.Second)

	// Two problems, inserted after serve migrated the database.
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO sources (name, role) VALUES ('restart', 'corpus')`,
		`INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, status)
		 SELECT 'p_cached', id, '1', '\x00'::bytea, 'q', '12', 'kept' FROM sources`,
		`INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, answer_raw, status)
		 SELECT 'p_cold', id, '2', '\x00'::bytea, 'q', '13', 'kept' FROM sources`,
	} {
		if _, err := conn.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	conn.Close(ctx)

	reward := func(body string) (int, map[string]any) {
		resp, err := client.Post(base+"/v1/reward", "application/json", strings.NewReader(body))
		if err != nil {
			return 0, nil
		}
		defer resp.Body.Close()
		var m map[string]any
		json.NewDecoder(resp.Body).Decode(&m)
		return resp.StatusCode, m
	}
	if code, m := reward(`{"problem_id":"p_cached","response":"\\boxed{12}","record":true}`); code != 200 || m["reward"] != float64(1) || m["recorded"] != true {
		t.Fatalf("reward by problem_id = %d %v, want 200, reward 1, recorded", code, m)
	}

	// Reward requests with a gold answer, all along.
	var sent, failed atomic.Int64
	var firstFailure atomic.Value
	stopLoad := make(chan struct{})
	loadDone := make(chan struct{})
	go func() {
		defer close(loadDone)
		for {
			select {
			case <-stopLoad:
				return
			case <-time.After(10 * time.Millisecond):
			}
			sent.Add(1)
			if code, m := reward(`{"gold":"\\frac{1}{2}","response":"so \\boxed{0.5}"}`); code != 200 || m["reward"] != float64(1) {
				failed.Add(1)
				firstFailure.CompareAndSwap(nil, code)
			}
		}
	}()

	if err := cluster.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	srv.waitReady(t, 503, 15*time.Second)
	if code, m := reward(`{"problem_id":"p_cold","response":"\\boxed{13}"}`); code != 200 || m["reward"] != float64(0) || m["reason"] != "unavailable" {
		t.Errorf("problem_id with the database down = %d %v, want 200, reward 0, reason unavailable", code, m)
	}
	// A gold cached before the outage still serves.
	if code, m := reward(`{"problem_id":"p_cached","response":"\\boxed{12}"}`); code != 200 || m["reward"] != float64(1) {
		t.Errorf("cached problem_id with the database down = %d %v, want reward 1", code, m)
	}
	time.Sleep(300 * time.Millisecond) // some load while down

	if _, _, err := cluster.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv.waitReady(t, 200, 30*time.Second)
	close(stopLoad)
	<-loadDone
	if n := failed.Load(); n > 0 || sent.Load() < 10 {
		t.Errorf("reward requests with a gold answer: %d of %d failed (first status %v), want all 200 with reward 1", n, sent.Load(), firstFailure.Load())
	}
	if code, m := reward(`{"problem_id":"p_cold","response":"\\boxed{13}","record":true}`); code != 200 || m["reward"] != float64(1) || m["recorded"] != true {
		t.Errorf("problem_id after the restart = %d %v, want reward 1, recorded", code, m)
	}

	srv.shutdown(t, 30*time.Second) // as SIGINT does: the queued attempts are written before exit
	conn, err = pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var attempts, correct int64
	if err := conn.QueryRow(ctx, `SELECT sum(attempts), sum(correct) FROM problems`).Scan(&attempts, &correct); err != nil {
		t.Fatal(err)
	}
	if attempts != 2 || correct != 2 {
		t.Errorf("after shutdown: %d attempts, %d correct recorded; want 2 and 2 (one before the outage, one after)", attempts, correct)
	}
}
