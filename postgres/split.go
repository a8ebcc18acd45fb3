package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// CreateSplit saves the split sp and freezes its version 1 over today's
// corpus, in one transaction, and returns the split with its creation
// time. It returns a *bigmath.ValidationError when sp is invalid and an
// error wrapping bigmath.ErrConflict when a split of that name exists.
func (s *Store) CreateSplit(ctx context.Context, sp bigmath.Split) (bigmath.Split, error) {
	if err := sp.Validate(); err != nil {
		return bigmath.Split{}, err
	}
	filter, err := json.Marshal(sp.Filter)
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, err)
	}
	fractions, err := json.Marshal(sp.Fractions)
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, err)
	}
	funnel, err := s.Funnel(ctx)
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, err)
	}
	tx, err := s.pool.BeginTx(ctx, pgx.TxOptions{IsoLevel: pgx.RepeatableRead})
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, interpretError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	err = tx.QueryRow(ctx, `INSERT INTO splits (name, filter, seed, fractions, stratify)
		VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
		sp.Name, filter, sp.Seed, fractions, sp.Stratify).Scan(&sp.CreatedAt)
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, interpretError(err))
	}
	if _, err := freeze(ctx, tx, sp, 1, funnel); err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return bigmath.Split{}, fmt.Errorf("create split %s: %w", sp.Name, interpretError(err))
	}
	return sp, nil
}

const splitColumns = `name, filter, seed, fractions, stratify, created_at`

func scanSplit(row pgx.Row) (bigmath.Split, error) {
	var (
		sp                bigmath.Split
		filter, fractions []byte
	)
	if err := row.Scan(&sp.Name, &filter, &sp.Seed, &fractions, &sp.Stratify, &sp.CreatedAt); err != nil {
		return bigmath.Split{}, err
	}
	if err := json.Unmarshal(filter, &sp.Filter); err != nil {
		return bigmath.Split{}, fmt.Errorf("split %s: stored filter: %w", sp.Name, err)
	}
	if err := json.Unmarshal(fractions, &sp.Fractions); err != nil {
		return bigmath.Split{}, fmt.Errorf("split %s: stored fractions: %w", sp.Name, err)
	}
	return sp, nil
}

// GetSplit returns the split of that name, or an error wrapping
// bigmath.ErrNotFound.
func (s *Store) GetSplit(ctx context.Context, name string) (bigmath.Split, error) {
	sp, err := scanSplit(s.pool.QueryRow(ctx, `SELECT `+splitColumns+` FROM splits WHERE name = $1`, name))
	if err != nil {
		return bigmath.Split{}, fmt.Errorf("get split %s: %w", name, interpretError(err))
	}
	return sp, nil
}

// ListSplits returns every split, by name.
func (s *Store) ListSplits(ctx context.Context) ([]bigmath.Split, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+splitColumns+` FROM splits ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("list splits: %w", interpretError(err))
	}
	defer rows.Close()
	out := []bigmath.Split{}
	for rows.Next() {
		sp, err := scanSplit(rows)
		if err != nil {
			return nil, fmt.Errorf("list splits: %w", interpretError(err))
		}
		out = append(out, sp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list splits: %w", interpretError(err))
	}
	return out, nil
}

// SplitCounts returns how many problems each part of the latest version
// of the named split has, or an error wrapping bigmath.ErrNotFound.
func (s *Store) SplitCounts(ctx context.Context, name string) (bigmath.SplitCounts, error) {
	v, err := s.GetSplitVersion(ctx, name, 0)
	if err != nil {
		return bigmath.SplitCounts{}, err
	}
	return v.Counts, nil
}

// baseSQL returns the query of the problems sp's filter selects, each with
// its hash h (see bigmath.Split), then the select list cols (", expr, ..."
// over problems p and sources s, or ""). The parameters are appended to
// args.
func baseSQL(sp bigmath.Split, args *[]any, cols string) string {
	where := filterSQL(sp.Filter, args)
	*args = append(*args, sp.Seed)
	seed := "$" + strconv.Itoa(len(*args))
	return `SELECT p.id, hashtextextended(p.id, ` + seed + `::bigint) AS h` + cols + `
		FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE ` + where
}

// querier is a pool or a transaction.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}
