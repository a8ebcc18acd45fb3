package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestExportCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := pgtest.New(t)
	url := pool.Config().ConnString()
	if _, err := pool.Exec(ctx, `INSERT INTO sources (name, role) VALUES ('alpha', 'corpus')`); err != nil {
		t.Fatal(err)
	}
	if _, err := pool.Exec(ctx, `INSERT INTO problems (id, source_id, row_key, raw_hash, problem_raw, problem_norm, answer_raw, answer_kind, status)
		SELECT 'p' || lpad(i::text, 3, '0'), 1, i::text, '\x00', 'What is ' || i || '?', 'What is ' || i || '?', i::text, 'integer', 'kept'
		FROM generate_series(1, 50) i`); err != nil {
		t.Fatal(err)
	}
	store := postgres.NewStore(pool)
	if _, err := store.CreateSplit(ctx, bigmath.Split{Name: "s", Seed: 4, Fractions: bigmath.Fractions{Train: 0.8, Test: 0.2}}); err != nil {
		t.Fatal(err)
	}
	// Parts come from the hash of each id: about 40/10.
	counts, err := store.SplitCounts(ctx, "s")
	if err != nil || counts.Total() != 50 || counts.Train < 30 || counts.Test < 5 {
		t.Fatalf("split s: %+v %v", counts, err)
	}
	train, test := int(counts.Train), int(counts.Test)
	env := map[string]string{"DATABASE_URL": url}
	dir := t.TempDir()

	t.Run("verl train", func(t *testing.T) {
		out := filepath.Join(dir, "train.parquet")
		code, _, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--format", "verl", "--part", "train", "--out", out)
		if code != exitOK || !strings.Contains(stderr, fmt.Sprintf("exported %d problems", train)) {
			t.Fatalf("export verl: exit %d, stderr %q", code, stderr)
		}
		rows, err := parquet.ReadFile[export.VerlRow](out)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != train || rows[0].ExtraInfo.Split != "train" || rows[train-1].ExtraInfo.Index != int64(train-1) ||
			rows[0].DataSource != "bigmath/alpha" || !strings.HasPrefix(rows[0].Prompt[0].Content, "What is ") {
			t.Errorf("verl file: %d rows, first %+v", len(rows), rows[0])
		}
	})

	t.Run("parquet all parts", func(t *testing.T) {
		out := filepath.Join(dir, "all.parquet")
		if code, _, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--format", "parquet", "--out", out); code != exitOK {
			t.Fatalf("export parquet: exit %d, stderr %q", code, stderr)
		}
		rows, err := parquet.ReadFile[export.Row](out)
		if err != nil {
			t.Fatal(err)
		}
		parts := map[string]int{}
		for _, r := range rows {
			parts[r.Split]++
		}
		if len(rows) != 50 || parts["train"] != train || parts["test"] != test {
			t.Errorf("parquet file: %d rows, parts %v", len(rows), parts)
		}
	})

	t.Run("jsonl to stdout", func(t *testing.T) {
		code, stdout, stderr := runCmd(t, ctx, env, "export", "--split", "s", "--part", "test", "--out", "-")
		if code != exitOK {
			t.Fatalf("export jsonl: exit %d, stderr %q", code, stderr)
		}
		n := 0
		sc := bufio.NewScanner(strings.NewReader(stdout))
		for sc.Scan() {
			var r export.Row
			if err := json.Unmarshal(sc.Bytes(), &r); err != nil || r.Split != "test" || r.Source != "alpha" {
				t.Fatalf("line %d: %v %s", n+1, err, sc.Bytes())
			}
			n++
		}
		if n != test {
			t.Errorf("jsonl test part: %d lines, want %d", n, test)
		}
	})

	errs := []struct {
		name    string
		args    []string
		code    int
		message string
	}{
		{"unknown split", []string{"--split", "nope", "--out", filepath.Join(dir, "nope.jsonl")}, exitFailure, "--split=nope: no such split"},
		{"unknown format", []string{"--split", "s", "--format", "csv", "--out", filepath.Join(dir, "x.csv")}, exitUsage, "--format"},
		{"unknown part", []string{"--split", "s", "--part", "dev", "--out", filepath.Join(dir, "x.jsonl")}, exitUsage, "--part"},
		{"no out", []string{"--split", "s"}, exitUsage, "--out"},
		{"unwritable out", []string{"--split", "s", "--out", "/proc/nope/x.jsonl"}, exitFailure, "--out=/proc/nope/x.jsonl"},
	}
	for _, tc := range errs {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := runCmd(t, ctx, env, append([]string{"export"}, tc.args...)...)
			if code != tc.code || !strings.Contains(stderr, tc.message) || strings.Count(strings.TrimSpace(withoutDatabaseLine(stderr)), "\n") > 0 && tc.code == exitFailure {
				t.Errorf("bigmath export %v: exit %d, stderr %q; want exit %d mentioning %q on one line", tc.args, code, stderr, tc.code, tc.message)
			}
		})
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := fmt.Sprint(names); got != "[all.parquet train.parquet]" {
		t.Errorf("files left in the output directory: %s, want only the two exports", got)
	}
}
