package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/export"
)

// freezeBatch is the number of rows a freeze fetches and copies at once.
const freezeBatch = 2000

// freezeColumns are the columns of split_version_rows a freeze copies, in
// order.
var freezeColumns = []string{"split_name", "version", "ord", "part", "problem_id", "source", "source_revision", "license",
	"problem", "answer_raw", "answer_canonical", "answer_kind", "domain", "difficulty", "level", "derived_from", "transform"}

// freeze stores version of split sp in tx: the rows its filter selects in
// tx's snapshot, each with its part (Fractions.PartOfHash) and its
// exported content, then the version's counts, sources, funnel and the
// sha256 of its JSON Lines export read back from the stored rows.
func freeze(ctx context.Context, tx pgx.Tx, sp bigmath.Split, version int, funnel bigmath.Funnel) (bigmath.SplitVersion, error) {
	var args []any
	base := baseSQL(sp, &args, `, s.name, p.source_revision, p.license, p.problem_raw, p.problem_norm,
		p.answer_raw, p.answer_canonical, p.answer_kind, p.domain, p.difficulty, p.level,
		coalesce(p.derived_from, ''), coalesce(p.transform, '')`)
	if _, err := tx.Exec(ctx, `DECLARE freeze_rows NO SCROLL CURSOR FOR `+base+` ORDER BY h, p.id`, args...); err != nil {
		return bigmath.SplitVersion{}, interpretError(err)
	}
	v := bigmath.SplitVersion{Split: sp.Name, Version: version, FormatVersion: bigmath.FrozenFormatVersion,
		Filter: sp.Filter, Seed: sp.Seed, Fractions: sp.Fractions, Stratify: sp.Stratify, Funnel: funnel}
	sources := map[string]*sourceAcc{}
	ord := 0
	for {
		batch, err := fetchFrozen(ctx, tx, sp.Fractions)
		if err != nil {
			return bigmath.SplitVersion{}, err
		}
		if len(batch) == 0 {
			break
		}
		rows := make([][]any, len(batch))
		for i, r := range batch {
			v.Counts.Add(r.Part)
			acc := sources[r.Source]
			if acc == nil {
				acc = &sourceAcc{revisions: map[string]bool{}, licenses: map[string]bool{}}
				sources[r.Source] = acc
			}
			acc.rows++
			acc.revisions[r.SourceRevision], acc.licenses[r.License] = true, true
			rows[i] = []any{sp.Name, version, ord, string(r.Part), r.ID, r.Source, r.SourceRevision, r.License,
				r.Problem, r.Answer, r.AnswerCanonical, r.AnswerKind, r.Domain, r.Difficulty, r.Level, r.DerivedFrom, r.Transform}
			ord++
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"split_version_rows"}, freezeColumns, pgx.CopyFromRows(rows)); err != nil {
			return bigmath.SplitVersion{}, interpretError(err)
		}
	}
	if _, err := tx.Exec(ctx, `CLOSE freeze_rows`); err != nil {
		return bigmath.SplitVersion{}, interpretError(err)
	}
	v.Sources = versionSources(sources)
	h := sha256.New()
	w := export.NewWriter(h, export.FormatJSONL)
	if err := exportRows(ctx, tx, sp.Name, version, "", w.WriteFrozen); err != nil {
		return bigmath.SplitVersion{}, err
	}
	if err := w.Close(); err != nil {
		return bigmath.SplitVersion{}, err
	}
	v.ContentHash = hex.EncodeToString(h.Sum(nil))
	return v, insertVersion(ctx, tx, &v)
}

// sourceAcc gathers what a version says about one source.
type sourceAcc struct {
	rows                int64
	revisions, licenses map[string]bool
}

// versionSources lists the sources of a version by name; a source whose
// members came from several revisions (or licences) lists them all,
// sorted, joined by ", ".
func versionSources(m map[string]*sourceAcc) []bigmath.VersionSource {
	join := func(set map[string]bool) string {
		var l []string
		for k := range set {
			if k != "" {
				l = append(l, k)
			}
		}
		slices.Sort(l)
		return strings.Join(l, ", ")
	}
	out := []bigmath.VersionSource{}
	for name, a := range m {
		out = append(out, bigmath.VersionSource{Name: name, Revision: join(a.revisions), License: join(a.licenses), Rows: a.rows})
	}
	slices.SortFunc(out, func(a, b bigmath.VersionSource) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// fetchFrozen fetches the next rows of the freeze_rows cursor as frozen
// rows.
func fetchFrozen(ctx context.Context, tx pgx.Tx, f bigmath.Fractions) ([]bigmath.FrozenRow, error) {
	rows, err := tx.Query(ctx, fmt.Sprintf(`FETCH %d FROM freeze_rows`, freezeBatch))
	if err != nil {
		return nil, interpretError(err)
	}
	defer rows.Close()
	var out []bigmath.FrozenRow
	for rows.Next() {
		var (
			p bigmath.Problem
			h int64
		)
		if err := rows.Scan(&p.ID, &h, &p.SourceName, &p.SourceRevision, &p.License, &p.ProblemRaw, &p.ProblemNorm,
			&p.Answer.Raw, &p.Answer.Canonical, &p.Answer.Kind, &p.Domain, &p.Difficulty, &p.Level, &p.DerivedFrom, &p.Transform); err != nil {
			return nil, interpretError(err)
		}
		out = append(out, export.Freeze(&p, f.PartOfHash(h)))
	}
	return out, interpretError(rows.Err())
}

// insertVersion records the version v (its rows are already stored) and
// sets its creation time.
func insertVersion(ctx context.Context, tx pgx.Tx, v *bigmath.SplitVersion) error {
	js := func(x any) []byte { b, _ := json.Marshal(x); return b }
	err := tx.QueryRow(ctx, `INSERT INTO split_versions
		(split_name, version, format_version, filter, seed, fractions, stratify, counts, content_hash, sources, funnel)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING created_at`,
		v.Split, v.Version, v.FormatVersion, js(v.Filter), v.Seed, js(v.Fractions), v.Stratify,
		js(v.Counts), v.ContentHash, js(v.Sources), js(v.Funnel)).Scan(&v.CreatedAt)
	return interpretError(err)
}

const versionColumns = `split_name, version, format_version, filter, seed, fractions, stratify, counts, content_hash, sources, funnel, created_at`

func scanVersion(row pgx.Row) (bigmath.SplitVersion, error) {
	var (
		v                                              bigmath.SplitVersion
		filter, fractions, counts, sources, funnelJSON []byte
	)
	if err := row.Scan(&v.Split, &v.Version, &v.FormatVersion, &filter, &v.Seed, &fractions, &v.Stratify,
		&counts, &v.ContentHash, &sources, &funnelJSON, &v.CreatedAt); err != nil {
		return bigmath.SplitVersion{}, err
	}
	for _, x := range []struct {
		b   []byte
		dst any
	}{{filter, &v.Filter}, {fractions, &v.Fractions}, {counts, &v.Counts}, {sources, &v.Sources}, {funnelJSON, &v.Funnel}} {
		if err := json.Unmarshal(x.b, x.dst); err != nil {
			return bigmath.SplitVersion{}, fmt.Errorf("split %s version %d: stored value: %w", v.Split, v.Version, err)
		}
	}
	return v, nil
}

// GetSplitVersion returns version of the named split, the latest when
// version is 0, or an error wrapping bigmath.ErrNotFound.
func (s *Store) GetSplitVersion(ctx context.Context, name string, version int) (bigmath.SplitVersion, error) {
	v, err := scanVersion(s.pool.QueryRow(ctx, `SELECT `+versionColumns+` FROM split_versions
		WHERE split_name = $1 AND ($2 = 0 OR version = $2) ORDER BY version DESC LIMIT 1`, name, version))
	if err != nil {
		return bigmath.SplitVersion{}, fmt.Errorf("split %s version %d: %w", name, version, interpretError(err))
	}
	return v, nil
}

// ListSplitVersions returns the versions of the named split, oldest
// first, or an error wrapping bigmath.ErrNotFound when there is no such
// split.
func (s *Store) ListSplitVersions(ctx context.Context, name string) ([]bigmath.SplitVersion, error) {
	if _, err := s.GetSplit(ctx, name); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+versionColumns+` FROM split_versions WHERE split_name = $1 ORDER BY version`, name)
	if err != nil {
		return nil, fmt.Errorf("split %s versions: %w", name, interpretError(err))
	}
	defer rows.Close()
	out := []bigmath.SplitVersion{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("split %s versions: %w", name, interpretError(err))
		}
		out = append(out, v)
	}
	return out, interpretError(rows.Err())
}

// NewSplitVersion freezes the next version of the named split from its
// definition over today's corpus and returns it with its difference from
// the version before (none for a split that had no version: one created
// before versions existed). Concurrent calls for one split are
// serialized.
func (s *Store) NewSplitVersion(ctx context.Context, name string) (bigmath.SplitVersion, bigmath.SplitDiff, error) {
	funnel, err := s.Funnel(ctx)
	if err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, err)
	}
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, interpretError(err))
	}
	defer tx.Rollback(context.WithoutCancel(ctx))
	// The lock first, then the snapshot of the rows: repeatable read from
	// the first query after the lock would miss a version committed while
	// waiting, so this stays read committed and the freeze reads one
	// cursor (one snapshot).
	sp, err := scanSplit(tx.QueryRow(ctx, `SELECT `+splitColumns+` FROM splits WHERE name = $1 FOR UPDATE`, name))
	if err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, interpretError(err))
	}
	var last int
	if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM split_versions WHERE split_name = $1`, name).Scan(&last); err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, interpretError(err))
	}
	v, err := freeze(ctx, tx, sp, last+1, funnel)
	if err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, err)
	}
	diff, err := splitDiff(ctx, tx, name, last, last+1)
	if err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return bigmath.SplitVersion{}, bigmath.SplitDiff{}, fmt.Errorf("new version of split %s: %w", name, interpretError(err))
	}
	return v, diff, nil
}

// splitDiff returns what changed in each part from version from to version
// to of the split (from 0: everything is added).
func splitDiff(ctx context.Context, q querier, name string, from, to int) (bigmath.SplitDiff, error) {
	d := bigmath.SplitDiff{From: from, To: to, Parts: map[bigmath.Part]bigmath.PartDiff{}}
	for _, p := range bigmath.Parts {
		d.Parts[p] = bigmath.PartDiff{AddedIDs: []string{}, RemovedIDs: []string{}}
	}
	rows, err := q.Query(ctx, `SELECT a.part, a.version = $3, count(*), (array_agg(a.problem_id ORDER BY a.problem_id))[1:$4]
		FROM split_version_rows a
		WHERE a.split_name = $1 AND a.version IN ($2, $3) AND NOT EXISTS (
			SELECT 1 FROM split_version_rows b
			WHERE b.split_name = $1 AND b.version = $2 + $3 - a.version AND b.problem_id = a.problem_id AND b.part = a.part)
		GROUP BY 1, 2`, name, from, to, bigmath.MaxDiffIDs)
	if err != nil {
		return d, interpretError(err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			part  string
			added bool
			n     int64
			ids   []string
		)
		if err := rows.Scan(&part, &added, &n, &ids); err != nil {
			return d, interpretError(err)
		}
		pd := d.Parts[bigmath.Part(part)]
		if added {
			pd.Added, pd.AddedIDs = n, ids
		} else {
			pd.Removed, pd.RemovedIDs = n, ids
		}
		d.Parts[bigmath.Part(part)] = pd
	}
	return d, interpretError(rows.Err())
}

// GoneMembers returns up to limit members of the version (in id order)
// that its filter no longer selects in today's corpus, and how many there
// are in all. The version still exports them as frozen.
func (s *Store) GoneMembers(ctx context.Context, name string, version, limit int) ([]bigmath.GoneMember, int64, error) {
	v, err := s.GetSplitVersion(ctx, name, version)
	if err != nil {
		return nil, 0, err
	}
	args := []any{name, v.Version, limit}
	cond := filterSQL(v.Filter, &args)
	rows, err := s.pool.Query(ctx, `SELECT r.problem_id, coalesce(p.status, 'deleted'), coalesce(p.stage, ''),
			coalesce(p.reason, ''), coalesce(p.duplicate_of, ''), count(*) OVER ()
		FROM split_version_rows r
		LEFT JOIN problems p ON p.id = r.problem_id LEFT JOIN sources s ON s.id = p.source_id
		WHERE r.split_name = $1 AND r.version = $2 AND NOT coalesce(`+cond+`, false)
		ORDER BY r.problem_id LIMIT $3`, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("split %s version %d: %w", name, v.Version, interpretError(err))
	}
	defer rows.Close()
	out := []bigmath.GoneMember{}
	var total int64
	for rows.Next() {
		var g bigmath.GoneMember
		if err := rows.Scan(&g.ID, &g.Status, &g.Stage, &g.Reason, &g.DuplicateOf, &total); err != nil {
			return nil, 0, fmt.Errorf("split %s version %d: %w", name, v.Version, interpretError(err))
		}
		out = append(out, g)
	}
	return out, total, interpretError(rows.Err())
}

// ExportSplitVersion streams the frozen rows of a version of the named
// split (the latest when version is 0) to fn: only those of part, or every
// part when part is "", in the version's order (by the split's hash of
// the id, then the id). fn gets the same *FrozenRow each time,
// overwritten: it must not keep it. It returns an error wrapping
// bigmath.ErrNotFound when there is no such version (before fn is first
// called), a *bigmath.ValidationError for an unknown part, and fn's error
// when fn fails.
func (s *Store) ExportSplitVersion(ctx context.Context, name string, version int, part bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
	if part != "" && !part.Valid() {
		return &bigmath.ValidationError{Field: "part", Reason: fmt.Sprintf("must be train, validation or test, not %q", part)}
	}
	v, err := s.GetSplitVersion(ctx, name, version)
	if err != nil {
		return err
	}
	if err := exportRows(ctx, s.pool, name, v.Version, part, fn); err != nil {
		return fmt.Errorf("export split %s version %d: %w", name, v.Version, err)
	}
	return nil
}

// exportRows streams the stored rows of a version, by ord.
func exportRows(ctx context.Context, q querier, name string, version int, part bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
	rows, err := q.Query(ctx, `SELECT part, problem_id, source, source_revision, license, problem,
			answer_raw, answer_canonical, answer_kind, domain, difficulty, level, derived_from, transform
		FROM split_version_rows
		WHERE split_name = $1 AND version = $2 AND ($3 = '' OR part = $3)
		ORDER BY ord`, name, version, string(part))
	if err != nil {
		return interpretError(err)
	}
	defer rows.Close()
	var r bigmath.FrozenRow
	for rows.Next() {
		if err := rows.Scan(&r.Part, &r.ID, &r.Source, &r.SourceRevision, &r.License, &r.Problem,
			&r.Answer, &r.AnswerCanonical, &r.AnswerKind, &r.Domain, &r.Difficulty, &r.Level, &r.DerivedFrom, &r.Transform); err != nil {
			return interpretError(err)
		}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return interpretError(rows.Err())
}
