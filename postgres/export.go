package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// ExportSplit streams the problems of the named split to fn: only those of
// part, or of every part when part is "". Each row carries the problem's
// lineage (id, source name), its text (raw and normalized), its
// answer, domain, difficulty and level; other fields are left empty. fn
// gets the same *SplitRow each time, overwritten: it must not keep it.
//
// Rows come in the split's own order: by the hash h of bigmath.Split (a
// deterministic shuffle), grouped by stratum first when the split is
// stratified. Ordering by h is what the partition sorts by anyway, so the
// wide rows are sorted once, by the server, and streamed from one query as
// they arrive: memory here stays flat whatever the size of the split. The
// export sees one snapshot.
//
// It returns an error wrapping bigmath.ErrNotFound when there is no such
// split (before fn is first called), a *bigmath.ValidationError for an
// unknown part, and fn's error when fn fails.
func (s *Store) ExportSplit(ctx context.Context, name string, part bigmath.Part, fn func(*bigmath.SplitRow) error) error {
	if part != "" && !part.Valid() {
		return &bigmath.ValidationError{Field: "part", Reason: fmt.Sprintf("must be train, validation or test, not %q", part)}
	}
	sp, err := s.GetSplit(ctx, name)
	if err != nil {
		return err
	}
	// Repeatable read: the stratum sizes and the rows come from the same
	// snapshot.
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// The sort of the wide rows stays in memory up to a few hundred
	// thousand problems (it spills to disk beyond); parallel workers would
	// only add the cost of shipping wide rows between processes.
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '256MB'; SET LOCAL max_parallel_workers_per_gather = 0"); err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	sizes, err := strataSizes(ctx, tx, sp)
	if err != nil {
		return fmt.Errorf("export split %s: %w", name, err)
	}
	var args []any
	base := baseSQL(sp, &args, `, s.name AS source_name,
			p.problem_raw, p.problem_norm,
			p.answer_raw, p.answer_canonical, p.answer_kind, p.domain, p.difficulty, p.level,
			coalesce(p.derived_from, '') AS derived_from, coalesce(p.transform, '') AS transform`)
	q := `WITH base AS (` + base + `), ranked AS (
			SELECT base.*, row_number() OVER (PARTITION BY stratum ORDER BY h, id) - 1 AS r FROM base
		)
		SELECT id, source_name, problem_raw, problem_norm, answer_raw, answer_canonical, answer_kind, domain, difficulty, level,
			derived_from, transform, stratum, r
		FROM ranked`
	if part != "" {
		// Keep the ranks of the part in each stratum, so that only its rows
		// leave the server.
		var strata []string
		var lo, hi []int64
		for stratum, n := range sizes {
			a, b := partRanks(sp.Fractions, part, n)
			strata, lo, hi = append(strata, stratum), append(lo, a), append(hi, b)
		}
		args = append(args, strata, lo, hi)
		n := len(args)
		pos := fmt.Sprintf("array_position($%d::text[], stratum)", n-2)
		q += fmt.Sprintf(" WHERE r >= ($%d::bigint[])[%s] AND r < ($%d::bigint[])[%s]", n-1, pos, n, pos)
	}
	if sp.Stratify == bigmath.StratifyNone {
		q += ` ORDER BY h, id`
	} else {
		q += ` ORDER BY stratum, h, id`
	}
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	defer rows.Close()
	var (
		row     bigmath.SplitRow
		stratum string
		rank    int64
	)
	p := &row.Problem
	for rows.Next() {
		if err := rows.Scan(&p.ID, &p.SourceName, &p.ProblemRaw, &p.ProblemNorm, &p.Answer.Raw, &p.Answer.Canonical, &p.Answer.Kind,
			&p.Domain, &p.Difficulty, &p.Level, &p.DerivedFrom, &p.Transform, &stratum, &rank); err != nil {
			return fmt.Errorf("export split %s: %w", name, interpretError(err))
		}
		row.Part = sp.Fractions.PartOf(rank, sizes[stratum])
		if err := fn(&row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	return nil
}

// partRanks returns the ranks [lo, hi) of part in a stratum of n problems.
func partRanks(f bigmath.Fractions, part bigmath.Part, n int64) (lo, hi int64) {
	train, validation := f.Bounds(n)
	switch part {
	case bigmath.PartTrain:
		return 0, train
	case bigmath.PartValidation:
		return train, validation
	}
	return validation, n
}
