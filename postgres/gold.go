package postgres

import (
	"context"
	"fmt"

	"github.com/bigmath/bigmath"
)

// Golds returns the gold answers of the problems in ids, with one query
// (see bigmath.Answer.Gold for the text a response is checked against).
// Ids with no problem are absent from the map. A failed query wraps
// bigmath.ErrUnavailable when the database cannot be reached.
func (s *Store) Golds(ctx context.Context, ids []string) (map[string]bigmath.Answer, error) {
	out := make(map[string]bigmath.Answer, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx,
		`SELECT id, answer_raw, answer_canonical, answer_kind FROM problems WHERE id = ANY($1::text[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("look up %d gold answers: %w", len(ids), interpretError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		var g bigmath.Answer
		if err := rows.Scan(&id, &g.Raw, &g.Canonical, &g.Kind); err != nil {
			return nil, fmt.Errorf("read gold answer: %w", interpretError(err))
		}
		out[id] = g
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("look up %d gold answers: %w", len(ids), interpretError(err))
	}
	return out, nil
}
