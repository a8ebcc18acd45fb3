package postgres

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
)

// CreateSplit saves s. It returns a *bigmath.ValidationError when s is
// invalid and an error wrapping bigmath.ErrConflict when a split of that name
// exists.
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
	err = s.pool.QueryRow(ctx, `INSERT INTO splits (name, filter, seed, fractions, stratify)
		VALUES ($1, $2, $3, $4, $5) RETURNING created_at`,
		sp.Name, filter, sp.Seed, fractions, sp.Stratify).Scan(&sp.CreatedAt)
	if err != nil {
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

// SplitCounts returns how many problems each part of the named split has
// now, or an error wrapping bigmath.ErrNotFound.
func (s *Store) SplitCounts(ctx context.Context, name string) (bigmath.SplitCounts, error) {
	sp, err := s.GetSplit(ctx, name)
	if err != nil {
		return bigmath.SplitCounts{}, err
	}
	var args []any
	q := `WITH ` + partitionSQL(sp, &args) + `
		SELECT part, count(*) FROM parted GROUP BY part`
	rows, err := s.pool.Query(ctx, q, args...)
	if err != nil {
		return bigmath.SplitCounts{}, fmt.Errorf("count split %s: %w", name, interpretError(err))
	}
	defer rows.Close()
	var c bigmath.SplitCounts
	for rows.Next() {
		var (
			part string
			n    int64
		)
		if err := rows.Scan(&part, &n); err != nil {
			return bigmath.SplitCounts{}, fmt.Errorf("count split %s: %w", name, interpretError(err))
		}
		switch bigmath.Part(part) {
		case bigmath.PartTrain:
			c.Train = n
		case bigmath.PartValidation:
			c.Validation = n
		case bigmath.PartTest:
			c.Test = n
		}
	}
	if err := rows.Err(); err != nil {
		return bigmath.SplitCounts{}, fmt.Errorf("count split %s: %w", name, interpretError(err))
	}
	return c, nil
}

// partitionSQL returns the common table expressions (without the leading
// WITH) that end in "parted (id, part)": the problems sp's filter selects,
// each with its part, as bigmath.Split documents. The parameters are
// appended to args.
func partitionSQL(sp bigmath.Split, args *[]any) string {
	where := filterSQL(sp.Filter, args)
	param := func(v any) string {
		*args = append(*args, v)
		return "$" + strconv.Itoa(len(*args))
	}
	var stratum string
	switch sp.Stratify {
	case bigmath.StratifySource:
		stratum = "p.source_id::text"
	case bigmath.StratifyDifficulty:
		// Deciles of the difficulty among the problems that have one; one
		// more stratum for those without.
		stratum = "CASE WHEN p.difficulty IS NULL THEN 'none' ELSE (ntile(10) OVER (PARTITION BY p.difficulty IS NULL ORDER BY p.difficulty, p.id))::text END"
	default:
		stratum = "''"
	}
	seed := param(strconv.FormatInt(sp.Seed, 10) + ":")
	train := param(strconv.FormatFloat(sp.Fractions.Train, 'f', -1, 64))
	val := param(strconv.FormatFloat(sp.Fractions.Validation, 'f', -1, 64))
	return `base AS (
			SELECT p.id, ` + stratum + ` AS stratum,
				('x' || substr(md5(` + seed + `::text || p.id), 1, 16))::bit(64)::bigint AS h
			FROM problems p JOIN sources s ON s.id = p.source_id
			WHERE ` + where + `
		), ranked AS (
			SELECT id,
				row_number() OVER (PARTITION BY stratum ORDER BY h, id) - 1 AS r,
				count(*) OVER (PARTITION BY stratum) AS n
			FROM base
		), parted AS (
			SELECT id, CASE
				WHEN r < round(n * ` + train + `::numeric) THEN 'train'
				WHEN r < round(n * (` + train + `::numeric + ` + val + `::numeric)) THEN 'validation'
				ELSE 'test' END AS part
			FROM ranked
		)`
}
