package postgres

import (
	"context"
	"fmt"
	"math"

	"github.com/bigmath/bigmath"
)

// LinksAmong returns the stored duplicate links whose two ends are both in
// ids, with the edits that explain them (migration 004), ordered by a, b.
// The corpus browser shows them beside a problem's cluster.
func (s *Store) LinksAmong(ctx context.Context, ids []string) ([]bigmath.Link, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT a, b, similarity, edits FROM problem_links
		WHERE a = ANY($1::text[]) AND b = ANY($1::text[]) ORDER BY a, b`, ids)
	if err != nil {
		return nil, fmt.Errorf("links: %w", interpretError(err))
	}
	defer rows.Close()
	var out []bigmath.Link
	for rows.Next() {
		var l bigmath.Link
		if err := rows.Scan(&l.A, &l.B, &l.Similarity, &l.Edits); err != nil {
			return nil, fmt.Errorf("links: %w", interpretError(err))
		}
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("links: %w", interpretError(err))
	}
	return out, nil
}

// DifficultyCounts counts the kept problems (as the funnel counts them) by
// difficulty, rounded to one decimal, and those without a difficulty.
func (s *Store) DifficultyCounts(ctx context.Context) (byValue map[float64]int64, unknown int64, err error) {
	rows, err := s.pool.Query(ctx, `SELECT round(p.difficulty::numeric, 1)::float8, count(*)
		FROM problems p WHERE `+keptCond+` AND `+visibleCond+` GROUP BY 1`)
	if err != nil {
		return nil, 0, fmt.Errorf("difficulty counts: %w", interpretError(err))
	}
	defer rows.Close()
	byValue = map[float64]int64{}
	for rows.Next() {
		var d *float64
		var n int64
		if err := rows.Scan(&d, &n); err != nil {
			return nil, 0, fmt.Errorf("difficulty counts: %w", interpretError(err))
		}
		switch {
		case d == nil || math.IsNaN(*d) || math.IsInf(*d, 0):
			unknown += n
		default:
			byValue[*d] += n
		}
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("difficulty counts: %w", interpretError(err))
	}
	return byValue, unknown, nil
}
