package postgres

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
)

// ingestLockKey is the advisory lock that lets one ingest at a time write to
// a database (clusters are resolved globally, so two concurrent ingests
// would race on them). It is a session lock: a killed process releases it.
const ingestLockKey = 728194

// ErrIngestRunning is returned by LockIngest when another process holds the
// ingest lock of the database.
var ErrIngestRunning = errors.New("another ingest is running on this database")

// LockIngest takes the database's ingest lock on a dedicated connection and
// returns the function that releases it. It fails with ErrIngestRunning at
// once when another session holds it.
func (s *Store) LockIngest(ctx context.Context) (unlock func(), err error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire connection: %w", interpretError(err))
	}
	var ok bool
	if err := conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, ingestLockKey).Scan(&ok); err != nil {
		conn.Release()
		return nil, fmt.Errorf("take ingest lock: %w", interpretError(err))
	}
	if !ok {
		conn.Release()
		return nil, ErrIngestRunning
	}
	return func() {
		conn.Exec(context.Background(), `SELECT pg_advisory_unlock($1)`, ingestLockKey)
		conn.Release()
	}, nil
}

// BeginRun records the start of an ingest run of a source. Runs of that
// source still marked running (their process died) are marked failed first.
func (s *Store) BeginRun(ctx context.Context, sourceID int64, revision string) (int64, error) {
	if _, err := s.pool.Exec(ctx, `
UPDATE ingest_runs SET status = 'failed', error = 'interrupted: the process stopped before the run finished', finished_at = now()
WHERE source_id = $1 AND status = 'running'`, sourceID); err != nil {
		return 0, fmt.Errorf("close interrupted runs: %w", interpretError(err))
	}
	var id int64
	if err := s.pool.QueryRow(ctx, `INSERT INTO ingest_runs (source_id, revision) VALUES ($1, $2) RETURNING id`, sourceID, revision).Scan(&id); err != nil {
		return 0, fmt.Errorf("insert ingest run: %w", interpretError(err))
	}
	return id, nil
}

// FinishRun records the end of run id.
func (s *Store) FinishRun(ctx context.Context, id int64, r bigmath.RunResult) error {
	status := "failed"
	if r.Succeeded {
		status = "succeeded"
	}
	counts := r.StageCounts
	if len(counts) == 0 {
		counts = []byte("{}")
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("finish ingest run %d: %w", id, interpretError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	if _, err := tx.Exec(ctx, `
UPDATE ingest_runs SET status = $2, rows_read = $3, stage_counts = $4, error = $5, finished_at = now() WHERE id = $1`,
		id, status, r.RowsRead, string(counts), r.Error); err != nil {
		return fmt.Errorf("finish ingest run %d: %w", id, interpretError(err))
	}
	if r.Succeeded {
		// Rows an interrupted run of the source wrote and this run found
		// unchanged (so did not rewrite) become this run's: visible.
		if _, err := tx.Exec(ctx, `
UPDATE problems p SET ingest_run_id = $1
FROM ingest_runs r
WHERE r.id = p.ingest_run_id AND r.status <> 'succeeded' AND r.id <> $1
  AND r.source_id = (SELECT source_id FROM ingest_runs WHERE id = $1)`, id); err != nil {
			return fmt.Errorf("finish ingest run %d: adopt the rows of interrupted runs: %w", id, interpretError(err))
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("finish ingest run %d: %w", id, interpretError(err))
	}
	return nil
}

// WriteBatches writes the batches it receives from in, each in one
// transaction, on one dedicated connection with its own temporary staging
// tables, and calls done after each batch commits. It returns when in is
// closed, or at the first error (ctx's included); run several at once to
// write on several connections.
func (s *Store) WriteBatches(ctx context.Context, in <-chan bigmath.IngestBatch, done func(bigmath.IngestBatch, bigmath.BatchResult)) error {
	w, err := s.newIngestWriter(ctx)
	if err != nil {
		return err
	}
	defer w.close()
	for {
		var b bigmath.IngestBatch
		var ok bool
		select {
		case b, ok = <-in:
		case <-ctx.Done():
			return ctx.Err()
		}
		if !ok {
			return nil
		}
		t := time.Now()
		res, err := w.write(ctx, b)
		if err != nil {
			return err
		}
		res.Duration = time.Since(t)
		if done != nil {
			done(b, res)
		}
	}
}

// ingestWriter writes ingest batches on one dedicated connection with its
// own temporary staging tables. It is not safe for concurrent use.
type ingestWriter struct {
	conn *pgxpool.Conn
}

// newIngestWriter acquires a connection and creates its staging tables.
// close releases it.
func (s *Store) newIngestWriter(ctx context.Context) (*ingestWriter, error) {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return nil, fmt.Errorf("acquire connection: %w", interpretError(err))
	}
	_, err = conn.Exec(ctx, `
CREATE TEMP TABLE IF NOT EXISTS ingest_stage (
    id text, row_key text, row_index bigint, raw_hash bytea, problem_raw text, problem_norm text,
    solution text, extra jsonb, domain text, difficulty double precision, level text, answer_raw text,
    answer_canonical text, answer_kind text, status text, stage text, reason text, verdicts jsonb,
    text_hash bytea, lsh_bands bigint[], benchmark_overlaps text[],
    derived_from text, transform text, original_text text, search tsvector, cluster_id text, duplicate_of text
) ON COMMIT DELETE ROWS;
CREATE TEMP TABLE IF NOT EXISTS ingest_links_stage (a text, b text, similarity real, edits text[]) ON COMMIT DELETE ROWS;`)
	if err != nil {
		conn.Release()
		return nil, fmt.Errorf("create staging tables: %w", interpretError(err))
	}
	return &ingestWriter{conn: conn}, nil
}

// close releases the writer's connection.
func (w *ingestWriter) close() {
	if w.conn != nil {
		w.conn.Release()
		w.conn = nil
	}
}

// stageValues are the values of stageColumns for problem p.
func stageValues(p *bigmath.Problem) []any {
	extra := p.Extra
	if len(extra) == 0 {
		extra = []byte("{}")
	}
	verdicts, err := json.Marshal(p.Verdicts)
	if err != nil || p.Verdicts == nil {
		verdicts = []byte("[]")
	}
	return []any{p.ID, p.RowKey, p.RowIndex, p.RawHash, p.ProblemRaw, p.ProblemNorm, p.Solution, string(extra),
		p.Domain, p.Difficulty, p.Level, p.Answer.Raw, p.Answer.Canonical, p.Answer.Kind, string(p.Status), string(p.Stage), p.Reason,
		string(verdicts), p.TextHash, p.Bands, nonNil(p.Overlaps),
		nullable(p.DerivedFrom), nullable(p.Transform), nullable(p.OriginalText), searchVector(p),
		cmp.Or(p.ClusterID, p.ID), nullable(p.DuplicateOf)}
}

// searchVector is the problems.search value of p: the search terms of its
// normalized text, or of its source's text when there is none (see
// bigmath.SearchTerms), without positions.
func searchVector(p *bigmath.Problem) pgtype.TSVector {
	text := p.ProblemNorm
	if text == "" {
		text = p.ProblemRaw
	}
	terms := bigmath.SearchTerms(text)
	v := pgtype.TSVector{Lexemes: make([]pgtype.TSVectorLexeme, len(terms)), Valid: true}
	for i, t := range terms {
		v.Lexemes[i].Word = t
	}
	return v
}

// nullable is nil for an empty string: a problem read from its source has
// no derived_from, transform or original_text.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var stageColumns = []string{"id", "row_key", "row_index", "raw_hash", "problem_raw", "problem_norm", "solution", "extra",
	"domain", "difficulty", "level", "answer_raw", "answer_canonical", "answer_kind", "status", "stage", "reason",
	"verdicts", "text_hash", "lsh_bands", "benchmark_overlaps", "derived_from", "transform", "original_text", "search",
	"cluster_id", "duplicate_of"}

// write stores a batch in one transaction: rows are copied into a staging
// table and upserted on (source_id, row_key); a stored row is rewritten only
// when its raw_hash differs (unchanged rows keep their updated_at and
// xmin). A rewritten row's cluster state is reset and its old duplicate
// links removed (ResolveClusters recomputes them); the batch's links are
// then added.
func (w *ingestWriter) write(ctx context.Context, b bigmath.IngestBatch) (bigmath.BatchResult, error) {
	var res bigmath.BatchResult
	tx, err := w.conn.Begin(ctx)
	if err != nil {
		return res, fmt.Errorf("begin: %w", interpretError(err))
	}
	defer tx.Rollback(context.Background())
	// Inserting in id order keeps the index inserts local.
	slices.SortFunc(b.Problems, func(x, y bigmath.Problem) int { return strings.Compare(x.ID, y.ID) })
	if b.Fresh {
		return w.copyFresh(ctx, tx, b)
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"ingest_stage"}, stageColumns, pgx.CopyFromSlice(len(b.Problems), func(i int) ([]any, error) {
		return stageValues(&b.Problems[i]), nil
	}))
	if err != nil {
		return res, fmt.Errorf("copy rows: %w", interpretError(err))
	}
	rows, err := tx.Query(ctx, `
INSERT INTO problems AS p (id, source_id, source_revision, row_key, row_index, raw_hash, license, ingest_run_id,
    problem_raw, problem_norm, solution, extra, domain, difficulty, level, answer_raw, answer_canonical, answer_kind,
    status, stage, reason, verdicts, text_hash, lsh_bands, benchmark_overlaps, derived_from, transform, original_text, search,
    cluster_id, duplicate_of)
SELECT id, $1, $2, row_key, row_index, raw_hash, $3, $4, problem_raw, problem_norm, solution, extra, domain,
    difficulty, level, answer_raw, answer_canonical, answer_kind, status, stage, reason, verdicts, text_hash, lsh_bands, benchmark_overlaps,
    derived_from, transform, original_text, search, cluster_id, duplicate_of
FROM ingest_stage ORDER BY id
ON CONFLICT (source_id, row_key) DO UPDATE SET
    source_revision = EXCLUDED.source_revision, row_index = EXCLUDED.row_index, raw_hash = EXCLUDED.raw_hash,
    license = EXCLUDED.license, ingest_run_id = EXCLUDED.ingest_run_id, problem_raw = EXCLUDED.problem_raw,
    problem_norm = EXCLUDED.problem_norm, solution = EXCLUDED.solution, extra = EXCLUDED.extra,
    domain = EXCLUDED.domain, difficulty = EXCLUDED.difficulty, level = EXCLUDED.level,
    answer_raw = EXCLUDED.answer_raw, answer_canonical = EXCLUDED.answer_canonical,
    answer_kind = EXCLUDED.answer_kind, status = EXCLUDED.status, stage = EXCLUDED.stage,
    reason = EXCLUDED.reason, verdicts = EXCLUDED.verdicts, text_hash = EXCLUDED.text_hash,
    lsh_bands = EXCLUDED.lsh_bands, benchmark_overlaps = EXCLUDED.benchmark_overlaps,
    derived_from = EXCLUDED.derived_from, transform = EXCLUDED.transform, original_text = EXCLUDED.original_text, search = EXCLUDED.search,
    cluster_id = EXCLUDED.cluster_id, duplicate_of = EXCLUDED.duplicate_of, conflict = false,
    contaminated = '{}', updated_at = now()
WHERE p.raw_hash IS DISTINCT FROM EXCLUDED.raw_hash
RETURNING p.id, (xmax = 0)`, b.SourceID, b.Revision, b.License, b.RunID)
	if err != nil {
		return res, fmt.Errorf("upsert problems: %w", interpretError(err))
	}
	var updated []string
	changed := map[string]bool{}
	for rows.Next() {
		var id string
		var inserted bool
		if err := rows.Scan(&id, &inserted); err != nil {
			rows.Close()
			return res, fmt.Errorf("upsert problems: %w", interpretError(err))
		}
		changed[id] = true
		if inserted {
			res.Inserted++
		} else {
			res.Updated++
			updated = append(updated, id)
		}
	}
	if err := rows.Err(); err != nil {
		return res, fmt.Errorf("upsert problems: %w", interpretError(err))
	}
	if len(updated) > 0 {
		if _, err := tx.Exec(ctx, `DELETE FROM problem_links WHERE a = ANY($1) OR b = ANY($1)`, updated); err != nil {
			return res, fmt.Errorf("delete stale links: %w", interpretError(err))
		}
		if err := deleteStaleDerived(ctx, tx, updated, b.Problems); err != nil {
			return res, err
		}
	}
	if err := w.finishBatch(ctx, tx, b, changed, &res); err != nil {
		return res, err
	}
	return res, nil
}

// deleteStaleDerived removes the derived problems of rewritten rows that
// the batch no longer derives (a rule that recovered a multiple-choice
// problem no longer does), with their links. A derived problem is always
// in the batch of the row it comes from.
func deleteStaleDerived(ctx context.Context, tx pgx.Tx, updated []string, batch []bigmath.Problem) error {
	ids := make([]string, len(batch))
	for i := range batch {
		ids[i] = batch[i].ID
	}
	_, err := tx.Exec(ctx, `
WITH stale AS (
    DELETE FROM problems WHERE derived_from = ANY($1) AND NOT (id = ANY($2)) RETURNING id
)
DELETE FROM problem_links WHERE a IN (SELECT id FROM stale) OR b IN (SELECT id FROM stale)`, updated, ids)
	if err != nil {
		return fmt.Errorf("delete stale derived problems: %w", interpretError(err))
	}
	return nil
}

// finishBatch confirms the cross-source candidates of the changed rows
// (all rows when changed is nil), stores the links and commits.
func (w *ingestWriter) finishBatch(ctx context.Context, tx pgx.Tx, b bigmath.IngestBatch, changed map[string]bool, res *bigmath.BatchResult) error {
	links := b.Links
	if b.Confirm != nil && len(b.Candidates) > 0 {
		var cands []bigmath.Link
		var ids []string
		for _, c := range b.Candidates {
			if changed == nil || changed[c.A] {
				cands = append(cands, c)
				ids = append(ids, c.B)
			}
		}
		if len(cands) > 0 {
			stored, err := dedupTexts(ctx, tx, ids)
			if err != nil {
				return err
			}
			cross := b.Confirm(cands, stored)
			res.CrossLinks = int64(len(cross))
			links = append(slices.Clip(links), cross...)
		}
	}
	if err := insertLinks(ctx, tx, links); err != nil {
		return err
	}
	res.Links = int64(len(links))
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit batch: %w", interpretError(err))
	}
	return nil
}

// copyFresh copies a batch straight into problems (see IngestBatch.Fresh).
func (w *ingestWriter) copyFresh(ctx context.Context, tx pgx.Tx, b bigmath.IngestBatch) (bigmath.BatchResult, error) {
	cols := append([]string{"source_id", "source_revision", "license", "ingest_run_id"}, stageColumns...)
	n, err := tx.CopyFrom(ctx, pgx.Identifier{"problems"}, cols, pgx.CopyFromSlice(len(b.Problems), func(i int) ([]any, error) {
		p := &b.Problems[i]
		return append([]any{b.SourceID, b.Revision, b.License, b.RunID}, stageValues(p)...), nil
	}))
	if err != nil {
		return bigmath.BatchResult{}, fmt.Errorf("copy rows: %w", interpretError(err))
	}
	res := bigmath.BatchResult{Inserted: n}
	if err := w.finishBatch(ctx, tx, b, nil, &res); err != nil {
		return res, err
	}
	return res, nil
}

// HasRows reports whether any problem of the source is stored.
func (s *Store) HasRows(ctx context.Context, sourceID int64) (bool, error) {
	var ok bool
	if err := s.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM problems WHERE source_id = $1)`, sourceID).Scan(&ok); err != nil {
		return false, fmt.Errorf("source rows: %w", interpretError(err))
	}
	return ok, nil
}

func insertLinks(ctx context.Context, tx pgx.Tx, links []bigmath.Link) error {
	if len(links) == 0 {
		return nil
	}
	if _, err := tx.CopyFrom(ctx, pgx.Identifier{"ingest_links_stage"}, []string{"a", "b", "similarity", "edits"},
		pgx.CopyFromSlice(len(links), func(i int) ([]any, error) {
			return []any{links[i].A, links[i].B, links[i].Similarity, nonNil(links[i].Edits)}, nil
		})); err != nil {
		return fmt.Errorf("copy links: %w", interpretError(err))
	}
	if _, err := tx.Exec(ctx, `INSERT INTO problem_links (a, b, similarity, edits) SELECT a, b, similarity, edits FROM ingest_links_stage ON CONFLICT DO NOTHING`); err != nil {
		return fmt.Errorf("insert links: %w", interpretError(err))
	}
	return nil
}

// CopyRaw copies rows into a throw-away temporary table in one
// transaction: the bare-COPY baseline that ingest benchmarks compare with.
func (s *Store) CopyRaw(ctx context.Context, keys []string, raws [][]byte) error {
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return fmt.Errorf("acquire connection: %w", interpretError(err))
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS copy_baseline (row_key text, raw text)`); err != nil {
		return fmt.Errorf("create baseline table: %w", interpretError(err))
	}
	_, err = conn.CopyFrom(ctx, pgx.Identifier{"copy_baseline"}, []string{"row_key", "raw"}, pgx.CopyFromSlice(len(keys), func(i int) ([]any, error) {
		return []any{keys[i], string(raws[i])}, nil
	}))
	if err != nil {
		return fmt.Errorf("copy baseline rows: %w", interpretError(err))
	}
	return nil
}

// StoredBands calls fn with the id and LSH band keys of every stored problem
// that is not from source excludeSource, streaming.
func (s *Store) StoredBands(ctx context.Context, excludeSource int64, fn func(id string, bands []int64) error) error {
	rows, err := s.pool.Query(ctx, `SELECT id, lsh_bands FROM problems WHERE source_id <> $1 AND lsh_bands IS NOT NULL ORDER BY source_id, row_index, id`, excludeSource)
	var id string
	var bands []int64
	return forEachRow(rows, err, "stored bands", []any{&id, &bands}, func() error { return fn(id, bands) })
}

// DedupTexts returns the given problems by id, with their normalized text
// and canonical answer only (missing ids are absent from the map).
func (s *Store) DedupTexts(ctx context.Context, ids []string) (map[string]bigmath.Problem, error) {
	return dedupTexts(ctx, s.pool, ids)
}

type ingestQuerier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func dedupTexts(ctx context.Context, q ingestQuerier, ids []string) (map[string]bigmath.Problem, error) {
	out := make(map[string]bigmath.Problem, len(ids))
	rows, err := q.Query(ctx, `
SELECT p.id, p.problem_norm, p.answer_canonical, s.role
FROM problems p JOIN sources s ON s.id = p.source_id WHERE p.id = ANY($1)`, ids)
	var p bigmath.Problem
	err = forEachRow(rows, err, "problem texts", []any{&p.ID, &p.ProblemNorm, &p.Answer.Canonical, &p.SourceRole}, func() error {
		out[p.ID] = p
		return nil
	})
	return out, err
}

// forEachRow scans each row of the answer to a query (rows and err, as
// Query returns them) into dst and calls fn after each. An error of the
// database is wrapped with what; fn's error is returned as it is.
func forEachRow(rows pgx.Rows, err error, what string, dst []any, fn func() error) error {
	if err != nil {
		return fmt.Errorf("%s: %w", what, interpretError(err))
	}
	var fnErr error
	if _, err := pgx.ForEachRow(rows, dst, func() error { fnErr = fn(); return fnErr }); err != nil {
		if fnErr != nil {
			return fnErr
		}
		return fmt.Errorf("%s: %w", what, interpretError(err))
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// BenchmarkTexts calls fn with the source name and normalized text of every
// stored problem of a benchmark source, in source and row order.
func (s *Store) BenchmarkTexts(ctx context.Context, fn func(benchmark, norm string) error) error {
	rows, err := s.pool.Query(ctx, `
SELECT s.name, p.problem_norm FROM problems p JOIN sources s ON s.id = p.source_id
WHERE s.role = 'benchmark' AND p.problem_norm <> '' ORDER BY s.name, p.row_index, p.id`)
	var name, norm string
	return forEachRow(rows, err, "benchmark texts", []any{&name, &norm}, func() error { return fn(name, norm) })
}

// BenchmarkFingerprint identifies the stored set of benchmark problems: it
// changes when a benchmark problem is added, rewritten or removed, or a
// source changes role ("" when there are none).
func (s *Store) BenchmarkFingerprint(ctx context.Context) (string, error) {
	var fp string
	err := s.pool.QueryRow(ctx, `
SELECT coalesce(md5(string_agg(s.name || ' ' || p.id || ' ' || encode(p.raw_hash, 'hex'), E'\n' ORDER BY p.id)), '')
FROM problems p JOIN sources s ON s.id = p.source_id WHERE s.role = 'benchmark'`).Scan(&fp)
	if err != nil {
		return "", fmt.Errorf("benchmark fingerprint: %w", interpretError(err))
	}
	return fp, nil
}

// IngestState returns the value stored under key ("" when none).
func (s *Store) IngestState(ctx context.Context, key string) (string, error) {
	var v string
	err := s.pool.QueryRow(ctx, `SELECT value FROM ingest_state WHERE key = $1`, key).Scan(&v)
	if err = interpretError(err); err != nil && err != bigmath.ErrNotFound {
		return "", fmt.Errorf("ingest state %s: %w", key, err)
	}
	return v, nil
}

// SetIngestState stores value under key.
func (s *Store) SetIngestState(ctx context.Context, key, value string) error {
	if _, err := s.pool.Exec(ctx, `
INSERT INTO ingest_state (key, value) VALUES ($1, $2)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, key, value); err != nil {
		return fmt.Errorf("set ingest state %s: %w", key, interpretError(err))
	}
	return nil
}

// CorpusTexts calls fn with the id, normalized text and stored overlaps of
// every problem of a corpus source, streaming.
func (s *Store) CorpusTexts(ctx context.Context, fn func(id, norm string, overlaps []string) error) error {
	rows, err := s.pool.Query(ctx, `
SELECT p.id, p.problem_norm, p.benchmark_overlaps FROM problems p JOIN sources s ON s.id = p.source_id WHERE s.role <> 'benchmark'`)
	if err != nil {
		return fmt.Errorf("corpus texts: %w", interpretError(err))
	}
	defer rows.Close()
	var id, norm string
	var ov []string
	for rows.Next() {
		if err := rows.Scan(&id, &norm, &ov); err != nil {
			return fmt.Errorf("corpus texts: %w", interpretError(err))
		}
		if err := fn(id, norm, ov); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("corpus texts: %w", interpretError(err))
	}
	return nil
}

// SetOverlaps sets the benchmark overlaps of problems (id -> benchmarks) in one transaction, and records
// value under stateKey in the same transaction (so that a killed
// recheck is redone).
func (s *Store) SetOverlaps(ctx context.Context, overlaps map[string][]string, stateKey, value string) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", interpretError(err))
	}
	defer tx.Rollback(context.Background())
	if len(overlaps) > 0 {
		ids := slices.Sorted(maps.Keys(overlaps))
		if _, err := tx.Exec(ctx, `CREATE TEMP TABLE overlap_stage (id text, benchmark_overlaps text[]) ON COMMIT DROP`); err != nil {
			return fmt.Errorf("create overlap staging table: %w", interpretError(err))
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"overlap_stage"}, []string{"id", "benchmark_overlaps"}, pgx.CopyFromSlice(len(ids), func(i int) ([]any, error) {
			return []any{ids[i], nonNil(overlaps[ids[i]])}, nil
		})); err != nil {
			return fmt.Errorf("copy overlaps: %w", interpretError(err))
		}
		if _, err := tx.Exec(ctx, `UPDATE problems p SET benchmark_overlaps = t.benchmark_overlaps, updated_at = now() FROM overlap_stage t WHERE p.id = t.id AND p.benchmark_overlaps <> t.benchmark_overlaps`); err != nil {
			return fmt.Errorf("update overlaps: %w", interpretError(err))
		}
	}
	if _, err := tx.Exec(ctx, `
INSERT INTO ingest_state (key, value) VALUES ($1, $2)
ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`, stateKey, value); err != nil {
		return fmt.Errorf("set ingest state %s: %w", stateKey, interpretError(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("commit overlaps: %w", interpretError(err))
	}
	return nil
}
