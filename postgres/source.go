package postgres

import (
	"context"
	"fmt"

	"github.com/bigmath/bigmath"
)

// UpsertSource registers src by name, or updates its role, location,
// revision, license, priority and spec when they changed (an unchanged
// source is left untouched), and returns its id. spec is the source's
// declaration as a JSON object.
func (s *Store) UpsertSource(ctx context.Context, src bigmath.Source, spec []byte) (int64, error) {
	if len(spec) == 0 {
		spec = []byte("{}")
	}
	var id int64
	err := s.pool.QueryRow(ctx, `
INSERT INTO sources AS s (name, role, location, revision, license, priority, spec)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (name) DO UPDATE SET
    role = EXCLUDED.role, location = EXCLUDED.location, revision = EXCLUDED.revision,
    license = EXCLUDED.license, priority = EXCLUDED.priority, spec = EXCLUDED.spec, updated_at = now()
WHERE (s.role, s.location, s.revision, s.license, s.priority, s.spec)
    IS DISTINCT FROM (EXCLUDED.role, EXCLUDED.location, EXCLUDED.revision, EXCLUDED.license, EXCLUDED.priority, EXCLUDED.spec)
RETURNING id`, src.Name, string(src.Role), src.Location, src.Revision, src.License, src.Priority, string(spec)).Scan(&id)
	if err == nil {
		return id, nil
	}
	if err := interpretError(err); err != bigmath.ErrNotFound {
		return 0, fmt.Errorf("upsert source %s: %w", src.Name, err)
	}
	// Unchanged: the conditional update returned no row.
	if err := s.pool.QueryRow(ctx, `SELECT id FROM sources WHERE name = $1`, src.Name).Scan(&id); err != nil {
		return 0, fmt.Errorf("look up source %s: %w", src.Name, interpretError(err))
	}
	return id, nil
}

// SourceByName returns the source with the given name, or bigmath.ErrNotFound.
func (s *Store) SourceByName(ctx context.Context, name string) (bigmath.Source, error) {
	var src bigmath.Source
	var role string
	err := s.pool.QueryRow(ctx, `SELECT id, name, role, location, revision, license, priority FROM sources WHERE name = $1`, name).
		Scan(&src.ID, &src.Name, &role, &src.Location, &src.Revision, &src.License, &src.Priority)
	if err != nil {
		return src, fmt.Errorf("source %s: %w", name, interpretError(err))
	}
	src.Role = bigmath.SourceRole(role)
	return src, nil
}
