package api_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/parquet-go/parquet-go"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/internal/testutil"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/postgres/pgtest"
)

// verlRow is the verl row as the test expects it, declared independently
// of export.VerlRow so that a renamed column fails the test.
type verlRow struct {
	DataSource string `parquet:"data_source"`
	Prompt     []struct {
		Role    string `parquet:"role"`
		Content string `parquet:"content"`
	} `parquet:"prompt,list"`
	Ability     string `parquet:"ability"`
	RewardModel struct {
		Style       string `parquet:"style"`
		GroundTruth string `parquet:"ground_truth"`
	} `parquet:"reward_model"`
	ExtraInfo struct {
		Split     string `parquet:"split"`
		Index     int64  `parquet:"index"`
		ProblemID string `parquet:"problem_id"`
	} `parquet:"extra_info"`
}

func TestExportRoute(t *testing.T) {
	t.Parallel()
	srv, _ := splitServer(t, `{"name":"s","seed":9,"fractions":{"train":0.6,"validation":0.2,"test":0.2}}`)

	// jsonl of every part: the reference for the other formats.
	r := do(t, srv, get("/v1/splits/s/export?format=jsonl"))
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-ndjson" ||
		r.header.Get("Content-Disposition") != `attachment; filename="s-v1.jsonl"` || r.header.Get("X-Bigmath-Split-Version") != "1" {
		t.Fatalf("GET jsonl = %d %v", r.status, r.header)
	}
	byID := map[string]export.Row{}
	perPart := map[string]int{}
	var order []string
	sc := bufio.NewScanner(bytes.NewReader(r.body))
	for line := 1; sc.Scan(); line++ {
		dec := json.NewDecoder(bytes.NewReader(sc.Bytes()))
		dec.DisallowUnknownFields()
		var row export.Row
		if err := dec.Decode(&row); err != nil {
			t.Fatalf("jsonl line %d: %v: %s", line, err, sc.Bytes())
		}
		byID[row.ID] = row
		perPart[row.Split]++
		order = append(order, row.ID)
	}
	c := counts(t, do(t, srv, get("/v1/splits/s")))
	if diff := cmp.Diff(map[string]int{"train": int(c["train"].(float64)), "validation": int(c["validation"].(float64)), "test": int(c["test"].(float64))}, perPart); diff != "" ||
		len(order) != 100 || perPart["validation"] == 0 || perPart["test"] == 0 {
		t.Errorf("jsonl rows per part (-counts +got):\n%s", diff)
	}
	if sum := sha256.Sum256(r.body); r.header.Get("X-Bigmath-Content-Hash") != "sha256:"+hex.EncodeToString(sum[:]) {
		t.Errorf("X-Bigmath-Content-Hash = %s, the body's sha256 is %x", r.header.Get("X-Bigmath-Content-Hash"), sum)
	}
	if v1 := do(t, srv, get("/v1/splits/s/versions/1/export")); !bytes.Equal(v1.body, r.body) {
		t.Error("GET /v1/splits/s/export differs from the export of its latest version, 1")
	}
	// The order is the split's deterministic shuffle: the same every time,
	// and not the id order.
	again := do(t, srv, get("/v1/splits/s/export?format=jsonl"))
	if !bytes.Equal(again.body, r.body) {
		t.Error("two jsonl exports of the same split differ")
	}
	if slices.IsSorted(order) {
		t.Error("jsonl rows are in id order, not shuffled by the split's hash")
	}
	a5, b5 := byID["a005"], byID["b005"]
	if a5.Source != "alpha" || a5.Problem != "What is a005?" || a5.Answer != `\frac{1}{2}` || a5.AnswerCanonical != "1/2" ||
		a5.AnswerKind != "integer" || a5.Domain != "algebra" || a5.Difficulty == nil || *a5.Difficulty != 6 {
		t.Errorf("jsonl row a005 = %+v", a5)
	}
	if b5.Difficulty != nil || b5.Source != "beta" {
		t.Errorf("jsonl row b005 = %+v, want no difficulty", b5)
	}
	if _, ok := byID["x-dropped"]; ok {
		t.Error("a dropped problem is in the export")
	}

	t.Run("jsonl one part", func(t *testing.T) {
		r := do(t, srv, get("/v1/splits/s/export?part=train"))
		lines := strings.Split(strings.TrimSuffix(string(r.body), "\n"), "\n")
		if len(lines) != perPart["train"] || !strings.Contains(r.header.Get("Content-Disposition"), "s-v1-train.jsonl") {
			t.Errorf("jsonl train: %d lines, %q", len(lines), r.header.Get("Content-Disposition"))
		}
		for _, l := range lines {
			var row export.Row
			if err := json.Unmarshal([]byte(l), &row); err != nil || row.Split != "train" {
				t.Fatalf("jsonl train line %s: %v", l, err)
			}
		}
	})

	t.Run("parquet", func(t *testing.T) {
		r := do(t, srv, get("/v1/splits/s/export?format=parquet&part=validation"))
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/vnd.apache.parquet" {
			t.Fatalf("GET parquet = %d %v", r.status, r.header)
		}
		rows := testutil.ReadParquet[export.Row](t, r.body)
		if len(rows) != perPart["validation"] {
			t.Fatalf("parquet validation has %d rows, want %d", len(rows), perPart["validation"])
		}
		for _, row := range rows {
			if diff := cmp.Diff(byID[row.ID], row); diff != "" || row.Split != "validation" {
				t.Errorf("parquet row %s differs from jsonl (-jsonl +parquet):\n%s", row.ID, diff)
			}
		}
		// The columns are flat and named as documented.
		f, err := parquet.OpenFile(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		var cols []string
		for _, c := range f.Schema().Columns() {
			cols = append(cols, strings.Join(c, "."))
		}
		want := []string{"id", "source", "problem", "answer", "answer_canonical", "answer_kind", "domain", "difficulty", "level", "split", "derived_from", "transform"}
		if diff := cmp.Diff(want, cols); diff != "" {
			t.Errorf("parquet columns (-want +got):\n%s", diff)
		}
	})

	t.Run("verl", func(t *testing.T) {
		r := do(t, srv, get("/v1/splits/s/export?format=verl&part=train"))
		if r.status != http.StatusOK || !strings.Contains(r.header.Get("Content-Disposition"), "s-v1-train-verl.parquet") {
			t.Fatalf("GET verl = %d %v", r.status, r.header)
		}
		rows := testutil.ReadParquet[verlRow](t, r.body)
		if len(rows) != perPart["train"] {
			t.Fatalf("verl train has %d rows, want %d", len(rows), perPart["train"])
		}
		for i, row := range rows {
			ref := byID[row.ExtraInfo.ProblemID]
			if ref.ID == "" || ref.Split != "train" {
				t.Fatalf("verl row %d: problem %q is not a train problem", i, row.ExtraInfo.ProblemID)
			}
			if row.DataSource != "bigmath/"+ref.Source || row.Ability != "math" ||
				row.RewardModel.Style != "rule" || row.RewardModel.GroundTruth != `\frac{1}{2}` ||
				row.ExtraInfo.Split != "train" || row.ExtraInfo.Index != int64(i) ||
				len(row.Prompt) != 1 || row.Prompt[0].Role != "user" ||
				row.Prompt[0].Content != ref.Problem+"\n\n"+export.VerlInstruction ||
				!strings.Contains(row.Prompt[0].Content, `\boxed{}`) {
				t.Errorf("verl row %d = %+v", i, row)
			}
		}
		// prompt is a Parquet LIST of structs, reward_model and extra_info
		// are structs: the shape verl (pyarrow) reads.
		f, err := parquet.OpenFile(bytes.NewReader(r.body), int64(len(r.body)))
		if err != nil {
			t.Fatal(err)
		}
		for _, path := range [][]string{
			{"prompt", "list", "element", "role"}, {"prompt", "list", "element", "content"},
			{"reward_model", "ground_truth"}, {"extra_info", "index"}, {"extra_info", "problem_id"},
		} {
			if _, ok := f.Schema().Lookup(path...); !ok {
				t.Errorf("verl schema has no column %s:\n%s", strings.Join(path, "."), f.Schema())
			}
		}
		if !strings.Contains(f.Schema().String(), "prompt (LIST)") {
			t.Errorf("verl prompt column is not a LIST: %s", f.Schema())
		}
	})

	bad := []struct{ query, field string }{
		{"format=csv", "format"},
		{"part=dev", "part"},
		{"format=parquet&format=jsonl", "format"},
		{"limit=10", "limit"},
	}
	for _, tc := range bad {
		t.Run("bad "+tc.query, func(t *testing.T) {
			r := do(t, srv, badGet("/v1/splits/s/export?"+tc.query))
			r.wantError(t, "GET export?"+tc.query, http.StatusBadRequest, "invalid_request", tc.field)
		})
	}
}

// failingExport is a CorpusStore whose export fails after some rows.
type failingExport struct {
	api.CorpusStore
	rows int
}

func (f failingExport) GetSplitVersion(_ context.Context, name string, _ int) (bigmath.SplitVersion, error) {
	return bigmath.SplitVersion{Split: name, Version: 1}, nil
}

func (f failingExport) ExportSplitVersion(_ context.Context, _ string, _ int, _ bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
	for i := range f.rows {
		r := bigmath.FrozenRow{Part: bigmath.PartTrain, ID: fmt.Sprintf("p%06d", i), Problem: strings.Repeat("x", 100)}
		if err := fn(&r); err != nil {
			return err
		}
	}
	return errors.New("connection to the database lost")
}

func TestExportCutShort(t *testing.T) {
	t.Parallel()
	// Enough rows that bytes reach the client before the failure: 5000
	// JSON lines, or two Parquet row groups.
	for format, rows := range map[string]int{"jsonl": 5000, "parquet": 2*export.RowGroupRows + 1} {
		t.Run(format, func(t *testing.T) {
			srv := httptestServer(t, api.Deps{Corpus: failingExport{rows: rows}})
			resp, err := http.Get(srv.URL + "/v1/splits/s/export?format=" + format)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			_, err = io.ReadAll(resp.Body)
			if resp.StatusCode != http.StatusOK || err == nil {
				t.Errorf("export failing after %d rows: status %d, read error %v; want 200 and a truncated body", rows, resp.StatusCode, err)
			}
		})
	}
	t.Run("before the first byte", func(t *testing.T) {
		srv := httptestServer(t, api.Deps{Corpus: failingExport{rows: 0}})
		r := do(t, srv, get("/v1/splits/s/export"))
		r.wantError(t, "export failing at once", http.StatusInternalServerError, "internal", "")
	})
}

// BenchmarkExportParquet streams a split of 25,000 and of 250,000 problems
// as Parquet through the router (real Postgres, real HTTP) into a file, and
// reports the peak heap sampled during the export: flat memory means the
// two peaks are about the same. Run with
//
//	go test ./api -run '^$' -bench ExportParquet -benchtime 3x
//
// (-bench 'ExportParquet/rows=250000' for the large one only).
func BenchmarkExportParquet(b *testing.B) {
	// The framework calls each sub-benchmark more than once (b.N = 1
	// first); the database of a size is set up once, on the parent.
	servers := map[int]*httptest.Server{}
	setup := func(n int) *httptest.Server {
		if srv, ok := servers[n]; ok {
			return srv
		}
		pool := pgtest.New(b)
		ctx := context.Background()
		copyProblems(b, pool, "bench", n)
		sp := bigmath.Split{Name: "bench", Seed: 1, Fractions: bigmath.Fractions{Train: 1}}
		if _, err := postgres.NewStore(pool).CreateSplit(ctx, sp); err != nil {
			b.Fatal(err)
		}
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE problems"); err != nil {
			b.Fatal(err)
		}
		servers[n] = httptestServer(b, api.Deps{Corpus: postgres.NewStore(pool)})
		return servers[n]
	}
	for _, n := range []int{25000, 250000} {
		b.Run(fmt.Sprintf("rows=%d", n), func(b *testing.B) {
			srv := setup(n)
			out := filepath.Join(b.TempDir(), "export.parquet")
			var peak atomic.Uint64
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				t := time.NewTicker(10 * time.Millisecond)
				defer t.Stop()
				var ms runtime.MemStats
				for {
					select {
					case <-stop:
						return
					case <-t.C:
						runtime.ReadMemStats(&ms)
						if ms.HeapAlloc > peak.Load() {
							peak.Store(ms.HeapAlloc)
						}
					}
				}
			})
			b.ReportAllocs()
			b.ResetTimer()
			var size int64
			for range b.N {
				size = exportTo(b, srv.URL+"/v1/splits/bench/export?format=parquet&part=train", out)
			}
			b.StopTimer()
			close(stop)
			wg.Wait()
			f, err := os.Open(out)
			if err != nil {
				b.Fatal(err)
			}
			defer f.Close()
			pf, err := parquet.OpenFile(f, size)
			if err != nil {
				b.Fatalf("the export does not read back: %v", err)
			}
			if pf.NumRows() != int64(n) {
				b.Fatalf("the export has %d rows, want %d", pf.NumRows(), n)
			}
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-heap-MB")
			b.ReportMetric(float64(before.HeapAlloc)/(1<<20), "heap-before-MB")
			b.ReportMetric(float64(size)/(1<<20), "file-MB")
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// exportTo downloads url into the file out and returns its size.
func exportTo(tb testing.TB, url, out string) int64 {
	tb.Helper()
	resp, err := http.Get(url)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(resp.Body)
		tb.Fatalf("GET %s = %d %s", url, resp.StatusCode, body)
	}
	f, err := os.Create(out)
	if err != nil {
		tb.Fatal(err)
	}
	defer f.Close()
	n, err := io.Copy(f, resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return n
}

// copyProblems inserts n kept problems of a new source with COPY; their
// texts and answers are the size of real ones (about 300 and 10 bytes).
func copyProblems(tb testing.TB, pool *pgxpool.Pool, source string, n int) {
	tb.Helper()
	ctx := context.Background()
	var sourceID int64
	if err := pool.QueryRow(ctx, `INSERT INTO sources (name, role) VALUES ($1, 'corpus') RETURNING id`, source).Scan(&sourceID); err != nil {
		tb.Fatal(err)
	}
	cols := []string{"id", "source_id", "row_key", "raw_hash", "problem_raw", "problem_norm", "domain", "difficulty", "level",
		"answer_raw", "answer_canonical", "answer_kind", "status"}
	filler := strings.Repeat("Let $f(x) = x^2 + 3x + 2$ and consider the values it takes. ", 5)
	i := 0
	copied, err := pool.CopyFrom(ctx, pgx.Identifier{"problems"}, cols, pgx.CopyFromFunc(func() ([]any, error) {
		if i == n {
			return nil, nil
		}
		i++
		key := fmt.Sprintf("row-%d", i)
		text := fmt.Sprintf("Problem %d. %s What is f(%d)?", i, filler, i)
		return []any{bigmath.ProblemID(source, key), sourceID, key, []byte{byte(i), byte(i >> 8)}, text, text,
			"algebra", float64(i % 10), "Level 3", fmt.Sprintf("\\frac{%d}{7}", i), fmt.Sprintf("%d/7", i), "rational", "kept"}, nil
	}))
	if err != nil || copied != int64(n) {
		tb.Fatalf("copy %d problems: %d, %v", n, copied, err)
	}
}

// httptestServer serves the router of d for the test's duration.
func httptestServer(tb testing.TB, d api.Deps) *httptest.Server {
	tb.Helper()
	srv := httptest.NewServer(api.NewRouter(d))
	tb.Cleanup(srv.Close)
	return srv
}

// blockingExport is a CorpusStore whose exports wait for release.
type blockingExport struct {
	api.CorpusStore
	started chan struct{}
	release chan struct{}
}

func (b blockingExport) GetSplitVersion(_ context.Context, name string, _ int) (bigmath.SplitVersion, error) {
	return bigmath.SplitVersion{Split: name, Version: 1}, nil
}

func (b blockingExport) ExportSplitVersion(ctx context.Context, _ string, _ int, _ bigmath.Part, fn func(*bigmath.FrozenRow) error) error {
	b.started <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return fn(&bigmath.FrozenRow{Part: bigmath.PartTrain, ID: "p1"})
}

func TestExportConcurrencyLimit(t *testing.T) {
	t.Parallel()
	store := blockingExport{started: make(chan struct{}), release: make(chan struct{})}
	srv := httptestServer(t, api.Deps{Corpus: store})
	var wg sync.WaitGroup
	codes := make(chan int, api.MaxConcurrentExports)
	for range api.MaxConcurrentExports {
		wg.Go(func() {
			resp, err := http.Get(srv.URL + "/v1/splits/s/export")
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		})
		<-store.started
	}
	r := do(t, srv, get("/v1/splits/s/export"))
	if code, _, _ := r.errorOf(t); r.status != http.StatusServiceUnavailable || code != "busy" || r.header.Get("Retry-After") == "" {
		t.Errorf("export beyond the limit = %d %v %s, want 503 busy with Retry-After", r.status, r.header, r.body)
	}
	close(store.release)
	wg.Wait()
	close(codes)
	for code := range codes {
		if code != http.StatusOK {
			t.Errorf("a running export ended with %d, want 200", code)
		}
	}
	// The tokens are back: the next export runs.
	go func() { <-store.started }()
	if r := do(t, srv, get("/v1/splits/s/export")); r.status != http.StatusOK {
		t.Errorf("export after the others ended = %d %s", r.status, r.body)
	}
}
