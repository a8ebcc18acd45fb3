package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// problemColumns is the select list that scanProblem reads; the query must
// join sources as s and problems as p.
const problemColumns = `p.id, p.source_id, s.name, p.source_revision, p.row_key, p.raw_hash, p.license,
	p.problem_raw, p.problem_norm, p.solution, p.extra, p.domain, p.difficulty, p.level,
	p.answer_raw, p.answer_canonical, p.answer_kind,
	p.status, p.stage, p.reason, p.verdicts,
	p.text_hash, p.cluster_id, p.duplicate_of, p.conflict, p.contaminated,
	p.attempts, p.correct, p.created_at, p.updated_at,
	coalesce(p.derived_from, ''), coalesce(p.transform, ''), coalesce(p.original_text, '')`

// scanProblem reads one row of problemColumns, then the columns of
// extra.
func scanProblem(row pgx.Row, extra ...any) (bigmath.Problem, error) {
	var (
		p                    bigmath.Problem
		status, stage        string
		clusterID, duplicate *string
	)
	dest := []any{&p.ID, &p.SourceID, &p.SourceName, &p.SourceRevision, &p.RowKey, &p.RawHash, &p.License,
		&p.ProblemRaw, &p.ProblemNorm, &p.Solution, &p.Extra, &p.Domain, &p.Difficulty, &p.Level,
		&p.Answer.Raw, &p.Answer.Canonical, &p.Answer.Kind,
		&status, &stage, &p.Reason, &p.Verdicts,
		&p.TextHash, &clusterID, &duplicate, &p.Conflict, &p.Contaminated,
		&p.Attempts, &p.Correct, &p.CreatedAt, &p.UpdatedAt,
		&p.DerivedFrom, &p.Transform, &p.OriginalText}
	err := row.Scan(append(dest, extra...)...)
	if err != nil {
		return bigmath.Problem{}, err
	}
	p.Status, p.Stage = bigmath.Status(status), bigmath.Stage(stage)
	if clusterID != nil {
		p.ClusterID = *clusterID
	}
	if duplicate != nil {
		p.DuplicateOf = *duplicate
	}
	return p, nil
}

// visibleCond (over problems p) holds for the rows that are served: those
// written by a run that completed (or by no run). Rows of a run still
// running, or killed, stay out of listings, splits, exports and reward
// lookups until a run of their source completes (FinishRun adopts them).
const visibleCond = `(p.ingest_run_id IS NULL OR p.ingest_run_id NOT IN (SELECT id FROM ingest_runs WHERE status <> 'succeeded'))`

// filterSQL returns the WHERE condition (over problems p joined to sources
// s) that selects the problems f selects, appending its parameters to args.
// Every value goes through a parameter; nothing from f is spliced into SQL.
func filterSQL(f bigmath.ProblemFilter, args *[]any) string {
	param := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	conds := []string{visibleCond}
	switch f.Status {
	case "", string(bigmath.StatusKept):
		conds = append(conds, "p.status = 'kept' AND p.duplicate_of IS NULL")
	case string(bigmath.StatusDropped):
		conds = append(conds, "(p.status = 'dropped' OR (p.status = 'kept' AND p.duplicate_of IS NOT NULL))")
	case string(bigmath.StatusPending):
		conds = append(conds, "p.status = 'pending'")
	case bigmath.FilterAll:
	}
	if !f.IncludeContaminated {
		conds = append(conds, "cardinality(p.contaminated) = 0")
	}
	if len(f.Sources) > 0 {
		conds = append(conds, "s.name = ANY("+param(f.Sources)+"::text[])")
	}
	if len(f.Domains) > 0 {
		conds = append(conds, "p.domain = ANY("+param(f.Domains)+"::text[])")
	}
	if len(f.Kinds) > 0 {
		conds = append(conds, "p.answer_kind = ANY("+param(f.Kinds)+"::text[])")
	}
	if f.MinDifficulty != nil {
		conds = append(conds, "p.difficulty >= "+param(*f.MinDifficulty)+"::float8")
	}
	if f.MaxDifficulty != nil {
		conds = append(conds, "p.difficulty <= "+param(*f.MaxDifficulty)+"::float8")
	}
	if f.MinPassRate != nil {
		conds = append(conds, "p.attempts > 0 AND p.correct::float8 / p.attempts >= "+param(*f.MinPassRate)+"::float8")
	}
	if f.MaxPassRate != nil {
		conds = append(conds, "p.attempts > 0 AND p.correct::float8 / p.attempts <= "+param(*f.MaxPassRate)+"::float8")
	}
	switch f.Derived {
	case bigmath.DerivedExclude:
		conds = append(conds, "p.derived_from IS NULL")
	case bigmath.DerivedOnly:
		conds = append(conds, "p.derived_from IS NOT NULL")
	}
	switch {
	case f.Q == "":
	case bigmath.Searches(f.Q):
		conds = append(conds, "p.search @@ plainto_tsquery('simple', "+param(f.Q)+")")
	default:
		pat := param("%" + escapeLike(f.Q) + "%")
		conds = append(conds, "(p.problem_norm ILIKE "+pat+" ESCAPE '\\' OR p.problem_raw ILIKE "+pat+" ESCAPE '\\')")
	}
	if len(conds) == 0 {
		return "true"
	}
	return strings.Join(conds, " AND ")
}

// escapeLike makes s match itself in a LIKE pattern with escape '\'.
func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ListProblems returns up to limit problems that f selects, starting after
// the cursor after. Without a search (f.Q with a word, see HasSearchWord)
// they come in id order; with one, by rank (ts_rank over the problem's
// text index, highest first), then id, and each problem's Rank is set. It
// returns a *bigmath.ValidationError when f is invalid.
func (s *Store) ListProblems(ctx context.Context, f bigmath.ProblemFilter, after bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, &bigmath.ValidationError{Field: "limit", Reason: "must be positive"}
	}
	var args []any
	where := filterSQL(f, &args)
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	ranked := f.Q != "" && bigmath.Searches(f.Q)
	var q string
	if ranked {
		// Rank narrow (id, rank) rows and keep the page, then read the
		// page's wide rows: the sort never carries problem texts.
		rank := "ts_rank(p.search, plainto_tsquery('simple', " + param(f.Q) + "))"
		if after.ID != "" {
			r, id := param(after.Rank), param(after.ID)
			where += ` AND (` + rank + ` < ` + r + `::real OR (` + rank + ` = ` + r + `::real AND p.id > ` + id + `))`
		}
		q = `WITH top AS (SELECT p.id, ` + rank + ` AS rank
				FROM problems p JOIN sources s ON s.id = p.source_id
				WHERE ` + where + `
				ORDER BY rank DESC, p.id LIMIT ` + param(limit) + `)
			SELECT ` + problemColumns + `, top.rank
			FROM top JOIN problems p ON p.id = top.id JOIN sources s ON s.id = p.source_id
			ORDER BY top.rank DESC, p.id`
	} else {
		if after.ID != "" {
			where += " AND p.id > " + param(after.ID)
		}
		q = `SELECT ` + problemColumns + `
			FROM problems p JOIN sources s ON s.id = p.source_id
			WHERE ` + where + `
			ORDER BY p.id
			LIMIT ` + param(limit)
	}
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list problems: %w", interpretError(err))
	}
	defer rows.Close()
	out := make([]bigmath.Problem, 0, min(limit, 1000))
	for rows.Next() {
		var rank float32
		var extra []any
		if ranked {
			extra = []any{&rank}
		}
		p, err := scanProblem(rows, extra...)
		if err != nil {
			return nil, fmt.Errorf("list problems: %w", interpretError(err))
		}
		p.Rank = rank
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list problems: %w", interpretError(err))
	}
	return out, nil
}

// GetProblem returns the problem with the given id, or an error wrapping
// bigmath.ErrNotFound.
func (s *Store) GetProblem(ctx context.Context, id string) (bigmath.Problem, error) {
	p, err := scanProblem(s.pool.QueryRow(ctx, `SELECT `+problemColumns+`
		FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE p.id = $1 AND `+visibleCond, id))
	if err != nil {
		return bigmath.Problem{}, fmt.Errorf("get problem %s: %w", id, interpretError(err))
	}
	return p, nil
}

// ClusterMembers returns the ids of up to limit members of the duplicate
// cluster clusterID other than exceptID, in id order, and the number of
// such members in all.
func (s *Store) ClusterMembers(ctx context.Context, clusterID, exceptID string, limit int) (ids []string, total int64, err error) {
	if clusterID == "" {
		return nil, 0, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT id, count(*) OVER ()
		FROM problems WHERE cluster_id = $1 AND id <> $2
		ORDER BY id LIMIT $3`, clusterID, exceptID, limit)
	if err != nil {
		return nil, 0, fmt.Errorf("cluster %s: %w", clusterID, interpretError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id, &total); err != nil {
			return nil, 0, fmt.Errorf("cluster %s: %w", clusterID, interpretError(err))
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("cluster %s: %w", clusterID, interpretError(err))
	}
	return ids, total, nil
}
