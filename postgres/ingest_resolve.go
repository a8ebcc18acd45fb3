package postgres

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// ClusterState loads every duplicate link, and every problem that is in a
// link, overlaps a benchmark, or whose stored cluster state is not the
// singleton default (cluster_id = id, no duplicate_of, no conflict, not
// contaminated, a dedup verdict other than "canonical").
func (s *Store) ClusterState(ctx context.Context) ([]bigmath.Link, []bigmath.ClusterMember, error) {
	var links []bigmath.Link
	rows, err := s.pool.Query(ctx, `SELECT a, b, similarity, edits FROM problem_links`)
	if err != nil {
		return nil, nil, fmt.Errorf("load links: %w", interpretError(err))
	}
	for rows.Next() {
		var l bigmath.Link
		if err := rows.Scan(&l.A, &l.B, &l.Similarity, &l.Edits); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("load links: %w", interpretError(err))
		}
		links = append(links, l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load links: %w", interpretError(err))
	}
	rows, err = s.pool.Query(ctx, `
SELECT p.id, p.source_id, s.name, s.role, s.priority, p.row_index, p.status, p.answer_canonical,
    coalesce(p.cluster_id, ''), coalesce(p.duplicate_of, ''), p.conflict, p.contaminated, p.benchmark_overlaps,
    coalesce(`+dedupReason("p.verdicts")+`, '')
FROM (SELECT a AS id FROM problem_links
      UNION SELECT b FROM problem_links
      UNION SELECT id FROM problems
            WHERE cluster_id IS DISTINCT FROM id OR duplicate_of IS NOT NULL OR conflict OR contaminated <> '{}' OR benchmark_overlaps <> '{}'
                OR verdicts @> '[{"stage": "dedup", "reason": "canonical"}]') m
JOIN problems p ON p.id = m.id JOIN sources s ON s.id = p.source_id`)
	if err != nil {
		return nil, nil, fmt.Errorf("load cluster members: %w", interpretError(err))
	}
	defer rows.Close()
	var members []bigmath.ClusterMember
	for rows.Next() {
		var m bigmath.ClusterMember
		var role, status string
		if err := rows.Scan(&m.ID, &m.SourceID, &m.SourceName, &role, &m.Priority, &m.RowIndex, &status,
			&m.Answer, &m.ClusterID, &m.DuplicateOf, &m.Conflict, &m.Contaminated, &m.Overlaps, &m.DedupReason); err != nil {
			return nil, nil, fmt.Errorf("load cluster members: %w", interpretError(err))
		}
		m.Role, m.Status = bigmath.SourceRole(role), bigmath.Status(status)
		members = append(members, m)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("load cluster members: %w", interpretError(err))
	}
	return links, members, nil
}

// dedupReason is the SQL of the reason of the dedup verdict in the jsonb
// array of verdicts col (NULL when it has none).
func dedupReason(col string) string {
	return `(SELECT v->>'reason' FROM jsonb_array_elements(` + col + `) v WHERE v->>'stage' = 'dedup' LIMIT 1)`
}

// ApplyClusters writes cluster updates in one transaction and returns how
// many problems changed.
func (s *Store) ApplyClusters(ctx context.Context, updates []bigmath.ClusterUpdate) (int64, error) {
	if len(updates) == 0 {
		return 0, nil
	}
	conn, err := s.pool.Acquire(ctx)
	if err != nil {
		return 0, fmt.Errorf("acquire connection: %w", interpretError(err))
	}
	defer conn.Release()
	tx, err := conn.Begin(ctx)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", interpretError(err))
	}
	defer tx.Rollback(context.Background())
	if _, err := tx.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS cluster_stage (
    id text, cluster_id text, duplicate_of text, conflict boolean, contaminated text[], tail jsonb) ON COMMIT DELETE ROWS`); err != nil {
		return 0, fmt.Errorf("create cluster staging table: %w", interpretError(err))
	}
	_, err = tx.CopyFrom(ctx, pgx.Identifier{"cluster_stage"}, []string{"id", "cluster_id", "duplicate_of", "conflict", "contaminated", "tail"},
		pgx.CopyFromSlice(len(updates), func(i int) ([]any, error) {
			u := &updates[i]
			var dup *string
			if u.DuplicateOf != "" {
				dup = &u.DuplicateOf
			}
			cont := u.Contaminated
			if cont == nil {
				cont = []string{}
			}
			tail, err := json.Marshal(u.Tail)
			if err != nil {
				return nil, fmt.Errorf("verdicts of %s: %w", u.ID, err)
			}
			return []any{u.ID, u.ClusterID, dup, u.Conflict, cont, string(tail)}, nil
		}))
	if err != nil {
		return 0, fmt.Errorf("copy cluster updates: %w", interpretError(err))
	}
	tag, err := tx.Exec(ctx, `
UPDATE problems p SET cluster_id = t.cluster_id, duplicate_of = t.duplicate_of, conflict = t.conflict,
    contaminated = t.contaminated,
    verdicts = coalesce((SELECT jsonb_agg(v ORDER BY o) FROM jsonb_array_elements(p.verdicts) WITH ORDINALITY e(v, o)
                         WHERE v->>'stage' NOT IN ('dedup', 'decontaminate')), '[]'::jsonb) || t.tail,
    updated_at = now()
FROM cluster_stage t
WHERE p.id = t.id AND (p.cluster_id, p.duplicate_of, p.conflict, p.contaminated,
        `+dedupReason("p.verdicts")+`)
    IS DISTINCT FROM (t.cluster_id, t.duplicate_of, t.conflict, t.contaminated,
        `+dedupReason("t.tail")+`)`)
	if err != nil {
		return 0, fmt.Errorf("update clusters: %w", interpretError(err))
	}
	if err := tx.Commit(ctx); err != nil {
		return 0, fmt.Errorf("commit clusters: %w", interpretError(err))
	}
	return tag.RowsAffected(), nil
}
