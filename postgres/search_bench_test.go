package postgres_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/ingest/synth"
	"github.com/bigmath/bigmath/normalize"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// BenchmarkSearch times GET /v1/problems' search (ListProblems with q, a
// page of 100) over a corpus of 250,000 synthetic problems (ingest/synth,
// no duplicates), with queries of one and of two adjacent words taken from
// random problems' texts (so common words come as often as they occur),
// and reports the p50, p95 and p99 latencies per query kind. Run with
//
//	go test ./postgres -run '^$' -bench Search -benchtime 1x
//
// The corpus is built once (a few minutes); each run times 300 queries of
// each kind after 30 of warm-up.
func BenchmarkSearch(b *testing.B) {
	pool := pgtest.New(b)
	texts := loadSynthCorpus(b, pool, 250000)
	store := postgres.NewStore(pool)
	ctx := context.Background()
	if os.Getenv("BIGMATH_SEARCH_EXPLAIN") != "" {
		explainSearch(b, pool, "many")
	}
	for _, words := range []int{1, 2} {
		b.Run(fmt.Sprintf("words=%d", words), func(b *testing.B) {
			r := rand.New(rand.NewPCG(uint64(words), 7))
			query := func() string {
				for {
					w := searchWords(texts[r.IntN(len(texts))])
					if len(w) >= words {
						i := r.IntN(len(w) - words + 1)
						return strings.Join(w[i:i+words], " ")
					}
				}
			}
			var lat []time.Duration
			matched := 0
			for range b.N {
				lat = lat[:0]
				for i := range 330 {
					q := query()
					start := time.Now()
					ps, err := store.ListProblems(ctx, bigmath.ProblemFilter{Q: q}, bigmath.ProblemCursor{}, 101)
					d := time.Since(start)
					if err != nil {
						b.Fatal(err)
					}
					if len(ps) == 0 {
						b.Fatalf("q=%q found nothing, though it comes from a problem", q)
					}
					if i >= 30 {
						lat = append(lat, d)
						matched += len(ps)
					}
				}
			}
			slices.Sort(lat)
			pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
			b.ReportMetric(pct(0.50), "p50-ms")
			b.ReportMetric(pct(0.95), "p95-ms")
			b.ReportMetric(pct(0.99), "p99-ms")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// searchWords splits a text into its words as a reader would type them
// (runs of letters and digits, case kept).
func searchWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// loadSynthCorpus copies n synthetic problems, kept, into problems and
// returns their texts.
func loadSynthCorpus(tb testing.TB, pool *pgxpool.Pool, n int) []string {
	tb.Helper()
	ctx := context.Background()
	var buf bytes.Buffer
	if _, err := synth.Generate(&buf, synth.Options{N: n, Seed: 1, ExactRate: -1, NearRate: -1}); err != nil {
		tb.Fatal(err)
	}
	var sourceID int64
	if err := pool.QueryRow(ctx, `INSERT INTO sources (name, role) VALUES ('synth', 'corpus') RETURNING id`).Scan(&sourceID); err != nil {
		tb.Fatal(err)
	}
	texts := make([]string, 0, n)
	sc := bufio.NewScanner(&buf)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	cols := []string{"id", "source_id", "row_key", "raw_hash", "problem_raw", "problem_norm", "answer_raw", "answer_canonical", "answer_kind", "status", "search"}
	_, err := pool.CopyFrom(ctx, pgx.Identifier{"problems"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if !sc.Scan() {
			return nil, sc.Err()
		}
		var row struct{ ID, Problem, Answer string }
		if err := json.Unmarshal(sc.Bytes(), &row); err != nil {
			return nil, err
		}
		texts = append(texts, row.Problem)
		norm := normalize.Text(row.Problem)
		terms := bigmath.SearchTerms(norm)
		search := pgtype.TSVector{Lexemes: make([]pgtype.TSVectorLexeme, len(terms)), Valid: true}
		for i, t := range terms {
			search.Lexemes[i].Word = t
		}
		return []any{bigmath.ProblemID("synth", row.ID), sourceID, row.ID, []byte{0}, row.Problem, norm,
			row.Answer, row.Answer, "integer", "kept", search}, nil
	}))
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE problems"); err != nil {
		tb.Fatal(err)
	}
	return texts
}

// explainSearch logs the plans of the queries of a one-word search for q:
// the repeated word's rank, then the single occurrences.
func explainSearch(tb testing.TB, pool *pgxpool.Pool, q string) {
	for _, tsq := range []string{"'+" + q + "'", "'" + q + "' & !'+" + q + "'"} {
		rows, err := pool.Query(context.Background(), `EXPLAIN (ANALYZE, BUFFERS) SELECT p.id
		FROM problems p JOIN sources s ON s.id = p.source_id
		WHERE p.status = 'kept' AND p.duplicate_of IS NULL AND p.contaminated = '{}'
			AND p.search @@ $1::tsquery
		ORDER BY p.id LIMIT 101`, tsq)
		if err != nil {
			tb.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var l string
			_ = rows.Scan(&l)
			plan = append(plan, l)
		}
		rows.Close()
		tb.Logf("%s:\n%s", tsq, strings.Join(plan, "\n"))
	}
	var size string
	_ = pool.QueryRow(context.Background(), `SELECT pg_size_pretty(pg_table_size('problems')) || ' table, ' || pg_size_pretty(pg_relation_size('problems_search_idx')) || ' index, shared_buffers ' || current_setting('shared_buffers')`).Scan(&size)
	tb.Logf("%s", size)
}
