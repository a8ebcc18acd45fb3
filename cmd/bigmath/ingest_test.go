package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/ingest/synth"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// writeSynthSources writes n synthetic rows as a corpus source, and 300 of
// its base problems as a benchmark source, with a spec file listing both.
func writeSynthSources(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{N: n, Seed: 42}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "corpus.jsonl"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	var bench bytes.Buffer
	sc := bufio.NewScanner(bytes.NewReader(buf.Bytes()))
	for i := 0; sc.Scan() && i < 3000; i++ {
		if i%10 == 0 {
			line := strings.Replace(sc.Text(), `"id":"synth-`, `"id":"bench-`, 1)
			bench.WriteString(line + "\n")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "bench.jsonl"), bench.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	spec := `sources:
  - name: synth-corpus
    role: corpus
    path: corpus.jsonl
    fields: {problem: problem, answer: answer, id: id}
    license: CC0
    priority: 10
  - name: synth-bench
    role: benchmark
    path: bench.jsonl
    fields: {problem: problem, answer: answer, id: id}
    license: CC0
    priority: 100
`
	path := filepath.Join(dir, "sources.yaml")
	if err := os.WriteFile(path, []byte(spec), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// problemsDigest hashes every problem's content, verdicts and cluster state
// (not its run id or timestamps), and every duplicate link.
func problemsDigest(t *testing.T, ctx context.Context, conn *pgx.Conn) string {
	t.Helper()
	var p, l string
	var n int64
	err := conn.QueryRow(ctx, `
SELECT count(*), coalesce(md5(string_agg(concat_ws('|', p.id, s.name, p.row_key, p.row_index, encode(p.raw_hash, 'hex'), p.source_revision,
    p.problem_raw, p.problem_norm, p.answer_raw, p.answer_canonical, p.answer_kind, p.status, p.stage, p.reason, p.verdicts::text,
    encode(p.text_hash, 'hex'), p.lsh_bands::text, p.cluster_id, p.duplicate_of, p.conflict::text, array_to_string(p.contaminated, ',')),
    E'\n' ORDER BY p.id)), '')
FROM problems p JOIN sources s ON s.id = p.source_id`).Scan(&n, &p)
	if err != nil {
		t.Fatal(err)
	}
	if err := conn.QueryRow(ctx, `SELECT coalesce(md5(string_agg(a || ' ' || b || ' ' || similarity::text, E'\n' ORDER BY a, b)), '') FROM problem_links`).Scan(&l); err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%d problems %s, links %s", n, p, l)
}

// rowVersions returns every problem's xmin and updated_at: a rewrite of an
// unchanged row would change them.
func rowVersions(t *testing.T, ctx context.Context, conn *pgx.Conn) map[string]string {
	t.Helper()
	rows, err := conn.Query(ctx, `SELECT id, xmin::text || ' ' || updated_at::text FROM problems`)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for rows.Next() {
		var id, v string
		if err := rows.Scan(&id, &v); err != nil {
			t.Fatal(err)
		}
		out[id] = v
	}
	return out
}

func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "bigmath")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// command returns bin to run with args, in this process's environment with
// the variables of env set on top.
func command(bin string, env map[string]string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Env = os.Environ()
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	return cmd
}

// TestIngestKilledAndRerun kills `bigmath ingest` with SIGKILL in the middle
// of a source, runs it again, and compares the database with an
// uninterrupted run's; then runs it a third time and checks that nothing
// changes.
func TestIngestKilledAndRerun(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	const rows = 40000
	spec := writeSynthSources(t, rows)
	bin := buildBinary(t)
	ingestCmd := func(url string) *exec.Cmd {
		return command(bin, map[string]string{"DATABASE_URL": url, "BIGMATH_LOG_LEVEL": "warn"}, "ingest", "--sources", spec, "--batch-size", "500")
	}
	run := func(url string) {
		t.Helper()
		if out, err := ingestCmd(url).CombinedOutput(); err != nil {
			t.Fatalf("bigmath ingest: %v\n%s", err, out)
		}
	}

	// The uninterrupted run.
	cleanURL := pgtest.NewDatabase(t)
	run(cleanURL)
	clean, err := pgx.Connect(ctx, cleanURL)
	if err != nil {
		t.Fatal(err)
	}
	defer clean.Close(ctx)
	want := problemsDigest(t, ctx, clean)

	// Killed in the middle of the corpus, then run again.
	url := pgtest.NewDatabase(t)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cmd := ingestCmd(url)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var stored int64
	deadline := time.Now().Add(2 * time.Minute)
	for stored < 3000 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
		// The schema may not be migrated yet.
		conn.QueryRow(ctx, `SELECT count(*) FROM problems`).Scan(&stored)
	}
	cmd.Process.Kill()
	cmd.Wait()
	var running int64
	conn.QueryRow(ctx, `SELECT count(*) FROM problems`).Scan(&stored)
	if err := conn.QueryRow(ctx, `SELECT count(*) FROM ingest_runs WHERE status = 'running'`).Scan(&running); err != nil {
		t.Fatal(err)
	}
	if stored == 0 || stored >= rows || running != 1 {
		t.Fatalf("killed with %d of %d rows stored and %d runs running: not in the middle of a run", stored, rows, running)
	}
	t.Logf("killed after %d of %d rows", stored, rows)
	run(url)
	if got := problemsDigest(t, ctx, conn); got != want {
		t.Errorf("after a kill and a rerun:\n  %s\nuninterrupted:\n  %s", got, want)
	}
	var failed, succeeded int64
	conn.QueryRow(ctx, `SELECT count(*) FILTER (WHERE status = 'failed'), count(*) FILTER (WHERE status = 'succeeded') FROM ingest_runs`).Scan(&failed, &succeeded)
	if failed != 1 || succeeded != 2 {
		t.Errorf("ingest_runs: %d failed, %d succeeded; want the killed run failed and 2 runs succeeded", failed, succeeded)
	}

	// A third run of the same revision changes nothing.
	before := rowVersions(t, ctx, conn)
	run(url)
	after := rowVersions(t, ctx, conn)
	if len(after) != len(before) {
		t.Fatalf("third run: %d problems, was %d", len(after), len(before))
	}
	changed := 0
	for id, v := range before {
		if after[id] != v {
			changed++
		}
	}
	if changed != 0 {
		t.Errorf("third run rewrote %d unchanged problems", changed)
	}
	if got := problemsDigest(t, ctx, conn); got != want {
		t.Errorf("third run changed the digest")
	}

	// The funnel: the benchmark contaminates the corpus copies of its
	// problems, and the generator's duplicates are found.
	code, out, stderr := runCmd(t, ctx, map[string]string{"DATABASE_URL": url, "BIGMATH_LOG_LEVEL": "warn"}, "stats", "--json")
	if code != exitOK {
		t.Fatalf("stats --json: exit %d: %s", code, stderr)
	}
	var f bigmath.Funnel
	if err := json.Unmarshal([]byte(out), &f); err != nil {
		t.Fatalf("stats --json: %v\n%s", err, out)
	}
	var raw map[string]any
	json.Unmarshal([]byte(out), &raw)
	for _, k := range []string{"sources", "kinds", "total"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("stats --json lacks %q", k)
		}
	}
	if len(f.Sources) != 2 || f.Sources[0].Name != "synth-bench" || f.Sources[1].Name != "synth-corpus" {
		t.Fatalf("stats sources = %+v", f.Sources)
	}
	corpus := f.Sources[1]
	if corpus.Rows != rows || corpus.Contaminated["synth-bench"] < 300 || corpus.Duplicates == 0 || f.Total.Rows != rows+300 {
		t.Errorf("corpus funnel = %+v, total %+v", corpus, f.Total)
	}
}

func TestIngestUsageErrors(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	spec := filepath.Join(t.TempDir(), "sources.yaml")
	os.WriteFile(spec, []byte("sources:\n  - {name: one, role: corpus, path: x.jsonl, fields: {problem: p, answer: a}}\n"), 0o644)
	tests := []struct {
		name string
		args []string
		want string // in the one-line error
	}{
		{"missing spec file", []string{"ingest", "--sources", "/nonexistent/sources.yaml"}, "/nonexistent/sources.yaml"},
		{"unknown source in --only", []string{"ingest", "--sources", spec, "--only", "two"}, `--only: no source "two"`},
		{"no --sources", []string{"ingest"}, "--sources"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			code, _, stderr := runCmd(t, ctx, map[string]string{"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none"}, tc.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d (stderr %q)", code, exitUsage, stderr)
			}
			if !strings.Contains(stderr, tc.want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 && !strings.Contains(stderr, "Usage") {
				t.Errorf("stderr %q, want one line naming %q", stderr, tc.want)
			}
		})
	}
}
