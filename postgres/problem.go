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
		conds = append(conds, "p.contaminated = '{}'") // estimable, unlike cardinality()
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
		// A word longer than any stored term matches nothing.
		if words := bigmath.SearchWords(f.Q); len(words) > 0 {
			conds = append(conds, "p.search @@ "+param(allWords(words))+"::tsquery")
		} else {
			conds = append(conds, "false")
		}
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
// the cursor after. Without a search (f.Q with a word, see
// bigmath.Searches) they come in id order; with one, by rank (highest
// first, bigmath.SearchRank), then id, and each problem's Rank is set. It
// returns a *bigmath.ValidationError when f is invalid.
func (s *Store) ListProblems(ctx context.Context, f bigmath.ProblemFilter, after bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error) {
	if err := f.Validate(); err != nil {
		return nil, err
	}
	if limit <= 0 {
		return nil, &bigmath.ValidationError{Field: "limit", Reason: "must be positive"}
	}
	if f.Q != "" && bigmath.Searches(f.Q) {
		return s.listRanked(ctx, f, after, limit)
	}
	var args []any
	where := filterSQL(f, &args)
	if after.ID != "" {
		args = append(args, after.ID)
		where += " AND p.id > $" + strconv.Itoa(len(args))
	}
	args = append(args, limit)
	return s.queryProblems(ctx, `SELECT `+problemColumns+`
		FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE `+where+`
		ORDER BY p.id
		LIMIT $`+strconv.Itoa(len(args)), args, false, nil)
}

// listRanked is ListProblems with a search. The problems of one rank are
// those that have every word of the query and a given number of them
// twice or more, which one tsquery over the stored terms selects (see
// rankQuery); the ranks are read from the highest down, each in id order
// (rankPage), until the page is full.
func (s *Store) listRanked(ctx context.Context, f bigmath.ProblemFilter, after bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error) {
	words := bigmath.SearchWords(f.Q)
	out := []bigmath.Problem{}
	if len(words) == 0 {
		return out, nil
	}
	rest := f
	rest.Q = ""
	if len(words) > maxRankLevels {
		return s.listRankedAtOnce(ctx, rest, words, after, limit)
	}
	for repeated := len(words); repeated >= 0 && len(out) < limit; repeated-- {
		rank := bigmath.SearchRank(len(words), repeated)
		var afterID string
		switch {
		case after.ID == "" || rank < after.Rank:
		case rank == after.Rank:
			afterID = after.ID
		default:
			continue
		}
		var err error
		if out, err = s.rankPage(ctx, rest, words, repeated, afterID, limit-len(out), rank, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// maxRankLevels bounds the words of a query whose ranks listRanked reads
// one by one (a query of n words has n+1 ranks); a longer query, whose
// words together are rare, is ranked at once (listRankedAtOnce).
const maxRankLevels = 8

// listRankedAtOnce is listRanked in one query: every problem that has all
// of words (from the text index) is ranked by counting its repeated words,
// and the page is the top of that order.
func (s *Store) listRankedAtOnce(ctx context.Context, rest bigmath.ProblemFilter, words []string, after bigmath.ProblemCursor, limit int) ([]bigmath.Problem, error) {
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := filterSQL(rest, &args)
	marks := make([]string, len(words))
	for i, w := range words {
		marks[i] = quoteTerm(bigmath.RepeatMark + w)
	}
	rank := `(` + param(len(words)) + `::int + (SELECT count(*) FROM unnest(` + param(marks) + `::tsquery[]) AS t WHERE p.search @@ t))::real`
	where += " AND p.search @@ " + param(allWords(words)) + "::tsquery"
	if after.ID != "" {
		r, id := param(after.Rank), param(after.ID)
		where += ` AND (` + rank + ` < ` + r + `::real OR (` + rank + ` = ` + r + `::real AND p.id > ` + id + `))`
	}
	q := `WITH top AS (SELECT p.id, ` + rank + ` AS rank FROM problems p JOIN sources s ON s.id = p.source_id
			WHERE ` + where + ` ORDER BY rank DESC, p.id LIMIT ` + param(limit) + `)
		SELECT ` + problemColumns + `, top.rank FROM top JOIN problems p ON p.id = top.id JOIN sources s ON s.id = p.source_id
		ORDER BY top.rank DESC, p.id`
	tx, err := s.indexOnly(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background())
	return s.queryProblemsIn(ctx, tx, q, args, true, []bigmath.Problem{})
}

// indexOnly begins a read-only transaction whose planner takes matches
// from the text index rather than scanning in id order (which it may
// estimate cheaper for a rare conjunction it thinks common), and does not
// compile plans: the costs that keep it from the scans are large enough to
// call for JIT, which takes longer than the query.
func (s *Store) indexOnly(ctx context.Context) (pgx.Tx, error) {
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return nil, fmt.Errorf("list problems: %w", interpretError(err))
	}
	if _, err := tx.Exec(ctx, "SET LOCAL enable_indexscan = off; SET LOCAL enable_seqscan = off; SET LOCAL jit = off"); err != nil {
		tx.Rollback(context.Background())
		return nil, fmt.Errorf("list problems: %w", interpretError(err))
	}
	return tx, nil
}

// rankWindow is how many of the filter's problems, in id order, rankPage
// reads first for each problem the page still needs (within
// [minRankWindow, maxRankWindow]).
const (
	rankWindow    = 50
	minRankWindow = 1000
	maxRankWindow = 20000
)

// rankPage appends to out up to limit problems of rest, after afterID in id
// order, that have every one of words with exactly repeated of them twice
// or more, each with Rank rank.
//
// Problem ids are hashes, so the matches of a query are spread evenly over
// the id order. rankPage first reads a window of the filter's next
// problems in id order and keeps the matches: a query that many problems
// match fills the page there, after a few thousand rows at most. When the
// window does not fill it, the query is rare (fewer than one problem in
// rankWindow matches), and its matches, taken from the text index, are few
// enough to sort. The planner cannot choose between the two by itself: it
// estimates a conjunction of words as if they were independent, and a
// scan in id order for a rare conjunction it thinks common reads the whole
// table.
func (s *Store) rankPage(ctx context.Context, rest bigmath.ProblemFilter, words []string, repeated int, afterID string, limit int, rank float32, out []bigmath.Problem) ([]bigmath.Problem, error) {
	var args []any
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	where := filterSQL(rest, &args)
	if afterID != "" {
		where += " AND p.id > " + param(afterID)
	}
	tsq, marks := rankQuery(words, repeated)
	match := "search @@ " + param(tsq) + "::tsquery"
	if marks != nil {
		match += " AND (SELECT count(*) FROM unnest(" + param(marks) + "::tsquery[]) AS t WHERE search @@ t) = " + param(repeated)
	}
	lim, rk := param(limit), param(rank)
	// The window is the last parameter: the indexed query has all but it.
	window := param(min(max(limit*rankWindow, minRankWindow), maxRankWindow))
	page := func(from string) string {
		return `SELECT ` + problemColumns + `, ` + rk + `::real FROM (` + from + `) m
			JOIN problems p ON p.id = m.id JOIN sources s ON s.id = p.source_id
			ORDER BY p.id`
	}
	windowed := page(`SELECT id FROM (SELECT p.id, p.search FROM problems p JOIN sources s ON s.id = p.source_id
			WHERE ` + where + ` ORDER BY p.id LIMIT ` + window + `) m
		WHERE ` + match + ` ORDER BY id LIMIT ` + lim)
	n := len(out)
	out, err := s.queryProblems(ctx, windowed, args, true, out)
	if err != nil || len(out)-n == limit {
		return out, err
	}
	// Rare: sort the matches the text index finds.
	tx, err := s.indexOnly(ctx)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback(context.Background())
	indexed := page(`SELECT p.id FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE ` + where + ` AND p.` + match + ` ORDER BY p.id LIMIT ` + lim)
	return s.queryProblemsIn(ctx, tx, indexed, args[:len(args)-1], true, out[:n]) // all but the window
}

// queryProblems appends the problems q selects (problemColumns, then the
// rank when ranked) to out.
func (s *Store) queryProblems(ctx context.Context, q string, args []any, ranked bool, out []bigmath.Problem) ([]bigmath.Problem, error) {
	return s.queryProblemsIn(ctx, s.pool, q, args, ranked, out)
}

// queryProblemsIn is queryProblems on db.
func (s *Store) queryProblemsIn(ctx context.Context, db interface {
	Query(context.Context, string, ...any) (pgx.Rows, error)
}, q string, args []any, ranked bool, out []bigmath.Problem) ([]bigmath.Problem, error) {
	rows, err := db.Query(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("list problems: %w", interpretError(err))
	}
	defer rows.Close()
	if out == nil {
		out = make([]bigmath.Problem, 0, 16)
	}
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

// maxRankTerms bounds the alternatives of one rank's tsquery (see
// rankQuery).
const maxRankTerms = 10

// rankQuery returns the tsquery of the texts that have every one of words
// and exactly repeated of them twice or more (see bigmath.SearchTerms):
// one alternative per choice of the repeated words. When there are more
// than maxRankTerms choices, it returns the tsquery of the texts with every
// word and at least one repeated, and marks, the per-word tsqueries whose
// matches the caller counts.
func rankQuery(words []string, repeated int) (tsq string, marks []string) {
	once := func(w string) string { return quoteTerm(w) + " & !" + quoteTerm(bigmath.RepeatMark+w) }
	twice := func(w string) string { return quoteTerm(bigmath.RepeatMark + w) }
	if choices(len(words), repeated) > maxRankTerms {
		any := make([]string, len(words))
		for i, w := range words {
			any[i] = twice(w)
		}
		return allWords(words) + " & (" + strings.Join(any, " | ") + ")", any
	}
	var alts []string
	pick := make([]bool, len(words))
	var walk func(i, left int)
	walk = func(i, left int) {
		if i == len(words) {
			if left == 0 {
				parts := make([]string, len(words))
				for j, w := range words {
					if pick[j] {
						parts[j] = twice(w)
					} else {
						parts[j] = once(w)
					}
				}
				alts = append(alts, "("+strings.Join(parts, " & ")+")")
			}
			return
		}
		if left > 0 {
			pick[i] = true
			walk(i+1, left-1)
			pick[i] = false
		}
		if len(words)-i > left {
			walk(i+1, left)
		}
	}
	walk(0, repeated)
	return strings.Join(alts, " | "), nil
}

// choices is n choose k, saturating at maxRankTerms+1.
func choices(n, k int) int {
	c := 1
	for i := range k {
		c = c * (n - i) / (i + 1)
		if c > maxRankTerms {
			return maxRankTerms + 1
		}
	}
	return c
}

// allWords is the tsquery of the texts that have every one of words.
func allWords(words []string) string {
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = quoteTerm(w)
	}
	return strings.Join(parts, " & ")
}

// quoteTerm quotes a search term for tsquery input. Terms are letters
// and digits, with a leading RepeatMark at most; quotes and backslashes
// are escaped all the same.
func quoteTerm(t string) string {
	return "'" + termEscaper.Replace(t) + "'"
}

var termEscaper = strings.NewReplacer(`\`, `\\`, `'`, `''`)

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
