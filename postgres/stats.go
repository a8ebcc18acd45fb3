package postgres

import (
	"context"
	"fmt"

	"github.com/bigmath/bigmath"
)

// keptCond is the definition of a kept problem: it passed every stage, is
// the canonical member of its cluster and overlaps no benchmark.
const keptCond = `p.status = 'kept' AND p.duplicate_of IS NULL AND p.contaminated = '{}'`

// Funnel computes the curation funnel of every source (sorted by name),
// the answer kinds of kept problems and the totals.
func (s *Store) Funnel(ctx context.Context) (bigmath.Funnel, error) {
	f := bigmath.Funnel{Sources: []bigmath.SourceFunnel{}, Kinds: map[string]int64{}}
	rows, err := s.pool.Query(ctx, `
SELECT s.id, s.name, s.role, s.revision, count(p.id),
    count(p.id) FILTER (WHERE `+keptCond+`),
    count(p.id) FILTER (WHERE p.duplicate_of IS NOT NULL),
    count(p.id) FILTER (WHERE p.conflict),
    count(p.id) FILTER (WHERE p.status = 'pending'),
    count(p.id) FILTER (WHERE p.derived_from IS NOT NULL),
    count(p.id) FILTER (WHERE p.derived_from IS NOT NULL AND `+keptCond+`)
FROM sources s LEFT JOIN problems p ON p.source_id = s.id
GROUP BY s.id ORDER BY s.name`)
	if err != nil {
		return f, fmt.Errorf("funnel: %w", interpretError(err))
	}
	index := map[int64]int{}
	for rows.Next() {
		var id int64
		var sf bigmath.SourceFunnel
		var role string
		if err := rows.Scan(&id, &sf.Name, &role, &sf.Revision, &sf.Rows, &sf.Kept, &sf.Duplicates, &sf.Conflicts, &sf.Pending, &sf.Derived, &sf.DerivedKept); err != nil {
			rows.Close()
			return f, fmt.Errorf("funnel: %w", interpretError(err))
		}
		sf.Role = bigmath.SourceRole(role)
		sf.Dropped = map[string]int64{}
		sf.Contaminated = map[string]int64{}
		index[id] = len(f.Sources)
		f.Sources = append(f.Sources, sf)
		f.Total.Rows += sf.Rows
		f.Total.Kept += sf.Kept
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("funnel: %w", interpretError(err))
	}
	for _, q := range []struct {
		sql string
		dst func(sf *bigmath.SourceFunnel) map[string]int64
	}{
		{`SELECT source_id, reason, count(*) FROM problems WHERE status = 'dropped' GROUP BY 1, 2`,
			func(sf *bigmath.SourceFunnel) map[string]int64 { return sf.Dropped }},
		{`SELECT source_id, c, count(*) FROM problems, unnest(contaminated) c GROUP BY 1, 2`,
			func(sf *bigmath.SourceFunnel) map[string]int64 { return sf.Contaminated }},
	} {
		rows, err := s.pool.Query(ctx, q.sql)
		if err != nil {
			return f, fmt.Errorf("funnel: %w", interpretError(err))
		}
		for rows.Next() {
			var id, n int64
			var key string
			if err := rows.Scan(&id, &key, &n); err != nil {
				rows.Close()
				return f, fmt.Errorf("funnel: %w", interpretError(err))
			}
			if i, ok := index[id]; ok {
				q.dst(&f.Sources[i])[key] = n
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return f, fmt.Errorf("funnel: %w", interpretError(err))
		}
	}
	rows, err = s.pool.Query(ctx, `SELECT p.answer_kind, count(*) FROM problems p WHERE `+keptCond+` GROUP BY 1`)
	if err != nil {
		return f, fmt.Errorf("funnel kinds: %w", interpretError(err))
	}
	defer rows.Close()
	for rows.Next() {
		var kind string
		var n int64
		if err := rows.Scan(&kind, &n); err != nil {
			return f, fmt.Errorf("funnel kinds: %w", interpretError(err))
		}
		f.Kinds[kind] = n
	}
	if err := rows.Err(); err != nil {
		return f, fmt.Errorf("funnel kinds: %w", interpretError(err))
	}
	return f, nil
}
