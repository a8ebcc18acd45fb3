package postgres

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// ExportSplit streams the problems of the named split, in id order, to fn:
// only those of part, or of every part when part is "". Each row carries
// the problem's lineage (id, source name), its text (the normalized text,
// or the raw text when there is none, in ProblemNorm; ProblemRaw is left
// empty), its answer, domain, difficulty and level; other fields are left
// empty. fn gets the same *SplitRow each time, overwritten: it must not keep
// it. Rows are read from one query as they arrive, so memory stays flat
// whatever the size of the split; the whole export sees one snapshot.
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
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{AccessMode: pgx.ReadOnly})
	if err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// The partition sorts narrow (id, hash) rows; give the sort room so that
	// it stays in memory for a few million problems.
	if _, err := tx.Exec(ctx, "SET LOCAL work_mem = '128MB'"); err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	var args []any
	q := `WITH ` + partitionSQL(sp, &args) + `
		SELECT p.id, s.name, CASE WHEN p.problem_norm <> '' THEN p.problem_norm ELSE p.problem_raw END,
			p.answer_raw, p.answer_canonical, p.answer_kind, p.domain, p.difficulty, p.level, parted.part
		FROM parted JOIN problems p ON p.id = parted.id JOIN sources s ON s.id = p.source_id`
	if part != "" {
		args = append(args, string(part))
		q += ` WHERE parted.part = $` + strconv.Itoa(len(args))
	}
	q += ` ORDER BY p.id`
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	defer rows.Close()
	var (
		row     bigmath.SplitRow
		partStr string
	)
	p := &row.Problem
	for rows.Next() {
		p.Difficulty = nil
		if err := rows.Scan(&p.ID, &p.SourceName, &p.ProblemNorm, &p.Answer.Raw, &p.Answer.Canonical, &p.Answer.Kind,
			&p.Domain, &p.Difficulty, &p.Level, &partStr); err != nil {
			return fmt.Errorf("export split %s: %w", name, interpretError(err))
		}
		row.Part = bigmath.Part(partStr)
		if err := fn(&row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("export split %s: %w", name, interpretError(err))
	}
	return nil
}
