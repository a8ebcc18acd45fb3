package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/bigmath/bigmath"
)

// maxExtractedLen bounds the extracted answer stored with an attempt.
const maxExtractedLen = 1000

// RecordAttempts stores attempts in one transaction: a COPY into attempts,
// then one UPDATE adding each problem's attempts and correct answers to its
// counters. Attempts of problems that do not exist (deleted since the
// check) are skipped. Errors wrap bigmath.ErrUnavailable when the database
// cannot be reached; nothing is stored then.
func (s *Store) RecordAttempts(ctx context.Context, attempts []bigmath.Attempt) error {
	if len(attempts) == 0 {
		return nil
	}
	err := s.recordAttempts(ctx, attempts)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23503" { // foreign_key_violation: a problem went away
		kept, ferr := s.existingOnly(ctx, attempts)
		if ferr != nil {
			return ferr
		}
		err = s.recordAttempts(ctx, kept)
	}
	if err != nil {
		return fmt.Errorf("record %d attempts: %w", len(attempts), interpretError(err))
	}
	return nil
}

func (s *Store) recordAttempts(ctx context.Context, attempts []bigmath.Attempt) error {
	if len(attempts) == 0 {
		return nil
	}
	type counts struct{ attempts, correct int64 }
	per := map[string]*counts{}
	var order []string
	for _, a := range attempts {
		c := per[a.ProblemID]
		if c == nil {
			c = &counts{}
			per[a.ProblemID] = c
			order = append(order, a.ProblemID)
		}
		c.attempts++
		if a.Correct {
			c.correct++
		}
	}
	ids := make([]string, len(order))
	nAttempts := make([]int64, len(order))
	nCorrect := make([]int64, len(order))
	for i, id := range order {
		ids[i], nAttempts[i], nCorrect[i] = id, per[id].attempts, per[id].correct
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		_, err := tx.CopyFrom(ctx, pgx.Identifier{"attempts"}, []string{"problem_id", "correct", "reason", "extracted"},
			pgx.CopyFromSlice(len(attempts), func(i int) ([]any, error) {
				a := attempts[i]
				return []any{a.ProblemID, a.Correct, cleanText(a.Reason, 100), cleanText(a.Extracted, maxExtractedLen)}, nil
			}))
		if err != nil {
			return fmt.Errorf("copy attempts: %w", err)
		}
		// One statement for the whole batch; unnest keeps the statement
		// text fixed whatever the batch size (a VALUES list would not).
		_, err = tx.Exec(ctx, `
UPDATE problems p
   SET attempts = p.attempts + v.attempts, correct = p.correct + v.correct
  FROM unnest($1::text[], $2::bigint[], $3::bigint[]) AS v(id, attempts, correct)
 WHERE p.id = v.id`, ids, nAttempts, nCorrect)
		if err != nil {
			return fmt.Errorf("update attempt counters: %w", err)
		}
		return nil
	})
}

// existingOnly drops the attempts whose problem does not exist.
func (s *Store) existingOnly(ctx context.Context, attempts []bigmath.Attempt) ([]bigmath.Attempt, error) {
	ids := make([]string, 0, len(attempts))
	for _, a := range attempts {
		ids = append(ids, a.ProblemID)
	}
	rows, err := s.pool.Query(ctx, `SELECT id FROM problems WHERE id = ANY($1::text[])`, ids)
	if err != nil {
		return nil, fmt.Errorf("check problem ids: %w", interpretError(err))
	}
	exists, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("check problem ids: %w", interpretError(err))
	}
	set := make(map[string]bool, len(exists))
	for _, id := range exists {
		set[id] = true
	}
	kept := attempts[:0:0]
	for _, a := range attempts {
		if set[a.ProblemID] {
			kept = append(kept, a)
		}
	}
	return kept, nil
}

// cleanText makes s storable as PostgreSQL text: valid UTF-8, no NUL
// bytes, at most max bytes (cut at a rune boundary).
func cleanText(s string, max int) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "")
	}
	if len(s) > max {
		cut := max
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	return s
}
