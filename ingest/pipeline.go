package ingest

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/dedup"
	"github.com/bigmath/bigmath/internal/parallel"
)

// Pipeline ingests sources into PostgreSQL. Per source:
//
//   - one reader goroutine streams rows (never a whole dataset in memory)
//     in chunks to Workers goroutines that run the per-row stages:
//     normalize (normalize.Text, gold extraction per answer_from), classify
//     (normalize.Classify), verify (verify.Canonical; verify.Answer against
//     the solution's own final answer) and the dedup fingerprint
//     (dedup.Hasher; plus dedup.OverlapIndex.Match against the stored
//     benchmarks for a corpus source);
//   - one goroutine puts the chunks back in input order and links
//     duplicates within the source (exact key, then LSH band candidates
//     confirmed with dedup.Hasher.Confirm), marks a row its links make a
//     copy of a better earlier row as that row's duplicate (provisional: it
//     spares Resolve rewriting it), and collects candidates among the
//     stored problems of other sources;
//   - Writers connections write batches of BatchSize rows, each in one
//     transaction: COPY into a staging table and INSERT ... ON CONFLICT
//     (source_id, row_key) DO UPDATE only where raw_hash differs (a first
//     load COPYs straight into problems), with the batch's links and its
//     confirmed cross-source links;
//   - then RecheckOverlaps (when the benchmark set changed) and Resolve
//     recompute clusters, canonical members, conflicts and contamination
//     from what is stored, in one transaction.
//
// Every drop is recorded in problems.status/stage/reason and in verdicts.
// A problem's status reflects the per-row stages; being a duplicate or
// contaminated is recorded in duplicate_of / contaminated and in the dedup
// and decontaminate verdicts (bigmath stats counts kept = status kept,
// canonical and not contaminated). Rerunning an unchanged source touches no
// row; a run killed at any moment leaves whole batches behind, and the next
// run writes the rest and resolves.
type Pipeline struct {
	Store  Store
	Open   OpenOptions
	Logger *slog.Logger
	// Workers run the per-row stages; default GOMAXPROCS.
	Workers int
	// BatchSize is the number of rows per write transaction; default 5000.
	BatchSize int
	// Writers is the number of connections writing batches; default 2.
	Writers int
	// Progress, when set, is called from one goroutine as rows go by:
	// rows written so far, and the reader's bytes done and total.
	Progress func(source string, rows, done, total int64)
}

// StageCount is the funnel of one stage in one run.
type StageCount struct {
	In      int64            `json:"in"`
	Passed  int64            `json:"passed"`
	Dropped map[string]int64 `json:"dropped,omitempty"`
	Seconds float64          `json:"seconds"`
	// RowsPerSecond is In / Seconds: the throughput of one worker thread
	// for per-row stages, of the single goroutine for read, dedup and write.
	RowsPerSecond float64 `json:"rows_per_second"`
}

// RunReport says what one source's ingest run did.
type RunReport struct {
	Source   string                 `json:"source"`
	RunID    int64                  `json:"run_id"`
	Revision string                 `json:"revision"`
	RowsRead int64                  `json:"rows_read"`
	BadRows  int64                  `json:"bad_rows"`
	Inserted int64                  `json:"inserted"`
	Updated  int64                  `json:"updated"`
	Links    int64                  `json:"links"`
	Stages   map[string]*StageCount `json:"stages"`
	Resolve  ResolveReport          `json:"resolve"`
	Seconds  float64                `json:"seconds"`
}

func (p *Pipeline) logger() *slog.Logger {
	if p.Logger != nil {
		return p.Logger
	}
	return slog.New(slog.DiscardHandler)
}

// Ingest runs IngestSource for each spec in order, stopping at the first
// error.
func (p *Pipeline) Ingest(ctx context.Context, specs []Spec) ([]RunReport, error) {
	var reports []RunReport
	for _, s := range specs {
		rep, err := p.IngestSource(ctx, s)
		if err != nil {
			return reports, err
		}
		reports = append(reports, rep)
	}
	return reports, nil
}

// chunk is a run of consecutive rows handed to a worker.
type chunk struct {
	rows []Row
	keys []string
	idx  []int64
	out  []processedRow
	t    stageTimes
}

const chunkSize = 256

// IngestSource ingests one source: registers it, records an ingest run,
// streams and writes its rows, then resolves clusters. Rows already stored
// unchanged are left untouched, so a second run of the same revision
// changes nothing, and a run that was killed is completed by the next one.
// The run is recorded as failed when an error (or ctx) stops it.
func (p *Pipeline) IngestSource(ctx context.Context, s Spec) (rep RunReport, err error) {
	start := time.Now()
	log := p.logger().With("source", s.Name)
	rep = RunReport{Source: s.Name, Stages: map[string]*StageCount{}}
	r, err := Open(ctx, s, p.Open)
	if err != nil {
		return rep, fmt.Errorf("source %s: %w", s.Name, err)
	}
	defer r.Close()
	rep.Revision = r.Revision()
	specJSON, _ := json.Marshal(s)
	sourceID, err := p.Store.UpsertSource(ctx, s.Source(rep.Revision), specJSON)
	if err != nil {
		return rep, err
	}
	if rep.RunID, err = p.Store.BeginRun(ctx, sourceID, rep.Revision); err != nil {
		return rep, err
	}
	log.Info("ingest started", "run_id", rep.RunID, "revision", rep.Revision, "location", s.Location())
	defer func() {
		rep.Seconds = time.Since(start).Seconds()
		res := bigmath.RunResult{Succeeded: err == nil, RowsRead: rep.RowsRead}
		res.StageCounts, _ = json.Marshal(rep.Stages)
		if err != nil {
			res.Error = err.Error()
		}
		fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
		defer cancel()
		if ferr := p.Store.FinishRun(fctx, rep.RunID, res); ferr != nil && err == nil {
			err = ferr
		}
	}()

	ix := newDedupIndex()
	if s.Role == bigmath.RoleBenchmark {
		ix.mode = dedup.Benchmark
	}
	t0 := time.Now()
	if err := p.Store.StoredBands(ctx, sourceID, func(id string, bands []int64) error {
		ix.addStored(id, bands)
		return nil
	}); err != nil {
		return rep, err
	}
	rep.Stages["load_index"] = &StageCount{In: int64(len(ix.storedIDs)), Seconds: time.Since(t0).Seconds()}

	if err := p.stream(ctx, r, s, sourceID, ix, &rep, log); err != nil {
		return rep, err
	}

	t2 := time.Now()
	rechecked, err := RecheckOverlaps(ctx, p.Store)
	if err != nil {
		return rep, err
	}
	rep.Stages["overlap_recheck"] = &StageCount{In: rechecked, Seconds: time.Since(t2).Seconds()}
	if rep.Resolve, err = Resolve(ctx, p.Store); err != nil {
		return rep, err
	}
	for _, st := range rep.Stages {
		if st.Seconds > 0 {
			st.RowsPerSecond = float64(st.In) / st.Seconds
		}
	}
	log.Info("ingest finished", "run_id", rep.RunID, "rows", rep.RowsRead, "inserted", rep.Inserted, "updated", rep.Updated,
		"links", rep.Links, "clusters", rep.Resolve.Clusters, "cluster_updates", rep.Resolve.Updated, "seconds", time.Since(start).Seconds())
	return rep, nil
}

// stream reads, processes, deduplicates and writes every row of r: a
// reader (readChunks), Workers goroutines running the per-row stages on
// chunks (stageContext.process), one goroutine putting the chunks back in
// input order and linking duplicates (dedupStage), and Writers connections
// writing batches (writeStage). The first error stops every stage.
func (p *Pipeline) stream(ctx context.Context, r *Reader, s Spec, sourceID int64, ix *dedupIndex, rep *RunReport, log *slog.Logger) error {
	sc := newStageContext(s)
	if !sc.benchmark {
		ov, err := loadOverlapIndex(ctx, p.Store)
		if err != nil {
			return err
		}
		sc.overlap = ov
	}
	hasRows, err := p.Store.HasRows(ctx, sourceID)
	if err != nil {
		return err
	}
	workers := cmp.Or(max(p.Workers, 0), runtime.GOMAXPROCS(0))
	rd := &chunkReader{r: r, spec: s, rep: rep, log: log, seen: map[string]int{}}
	dd := newDedupStage(ix, cmp.Or(max(p.BatchSize, 0), 5000), func() bigmath.IngestBatch {
		return bigmath.IngestBatch{SourceID: sourceID, Revision: r.Revision(), License: s.License, RunID: rep.RunID, Fresh: !hasRows}
	})
	dd.size = r.Size
	wr := &writeStage{pipeline: p, spec: s, reader: r, rep: rep}
	hashers := sync.Pool{New: func() any { return dedup.NewHasher() }}

	g, ctx := errgroup.WithContext(ctx)
	batches := make(chan bigmath.IngestBatch, 2)
	g.Go(func() error {
		defer close(batches)
		err := parallel.Stream(ctx, workers, 4*workers, rd.next,
			func(ctx context.Context, c *chunk) *chunk {
				h := hashers.Get().(*dedup.Hasher)
				defer hashers.Put(h)
				c.out = make([]processedRow, 0, len(c.rows))
				for i := range c.rows {
					p, d := sc.process(ctx, h, c.rows[i], c.keys[i], c.idx[i], &c.t)
					c.out = append(c.out, p)
					if d != nil {
						c.out = append(c.out, *d)
					}
				}
				c.rows = nil
				return c
			},
			func(c *chunk, _ bool) error { return dd.add(ctx, c, batches) })
		if err != nil {
			return err
		}
		return dd.flush(ctx, batches)
	})
	for range cmp.Or(max(p.Writers, 0), 2) {
		// Batches are independent (links have no foreign keys), so two
		// writers keep PostgreSQL busy on both cores while a batch commits.
		g.Go(func() error {
			if err := p.Store.WriteBatches(ctx, batches, wr.done); err != nil {
				return fmt.Errorf("source %s: %w", s.Name, err)
			}
			return nil
		})
	}
	err = g.Wait()
	rd.report(rep)
	dd.report(rep)
	wr.report(rep)
	return err
}

// chunkReader reads a source's rows in chunks, in order, making row keys
// unique within the source.
type chunkReader struct {
	r     *Reader
	spec  Spec
	rep   *RunReport
	log   *slog.Logger
	seen  map[string]int
	index int64
	time  time.Duration
}

// next returns the next chunk of up to chunkSize rows; ok is false at the
// end of the source. Bad rows are counted and skipped.
func (cr *chunkReader) next(ctx context.Context) (*chunk, bool, error) {
	c := &chunk{}
	for len(c.rows) < chunkSize {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		t := time.Now()
		row, err := cr.r.Next()
		cr.time += time.Since(t)
		if err == io.EOF {
			break
		}
		var rowErr *RowError
		if errors.As(err, &rowErr) {
			cr.rep.BadRows++
			if cr.rep.BadRows <= 10 {
				cr.log.Warn("skipped a bad row", "err", rowErr.Error())
			}
			continue
		}
		if err != nil {
			return nil, false, fmt.Errorf("source %s: %w", cr.spec.Name, err)
		}
		key := row.Key
		if n := cr.seen[key]; n > 0 {
			key = row.Key + "#" + strconv.Itoa(n+1)
		}
		cr.seen[row.Key]++
		c.rows = append(c.rows, row)
		c.keys = append(c.keys, key)
		c.idx = append(c.idx, cr.index)
		cr.index++
	}
	cr.rep.RowsRead = cr.index
	if len(c.rows) == 0 {
		return nil, false, nil
	}
	return c, true, nil
}

// report adds the read stage's counts to rep.
func (cr *chunkReader) report(rep *RunReport) {
	rep.Stages["read"] = &StageCount{In: rep.RowsRead + rep.BadRows, Passed: rep.RowsRead, Seconds: cr.time.Seconds()}
}

// dedupStage takes processed chunks in input order: it counts the per-row
// stages' outcomes, links duplicates within the run (dedupIndex), and cuts
// the rows into batches for the writers.
type dedupStage struct {
	ix        *dedupIndex
	batchSize int
	newBatch  func() bigmath.IngestBatch
	batch     bigmath.IngestBatch
	stages    map[bigmath.Stage]*StageCount
	times     stageTimes
	time      time.Duration
	rows      int64
	// reformulate counts the multiple-choice rows (In), those recovered as
	// derived problems (Passed) and why the others were not (Dropped).
	reformulate *StageCount
	// size reports the bytes of the source read so far and in all (see
	// Reader.Size), for sizing the index once (reserve); nil for none.
	size     func() (done, total int64)
	reserved bool
}

// reserveAfter is the number of rows after which the dedup index's band
// table is sized for the whole source, from the keys per byte so far.
const reserveAfter = 50000

func newDedupStage(ix *dedupIndex, batchSize int, newBatch func() bigmath.IngestBatch) *dedupStage {
	d := &dedupStage{ix: ix, batchSize: batchSize, newBatch: newBatch, batch: newBatch(), stages: map[bigmath.Stage]*StageCount{}}
	for _, st := range perRowStages {
		d.stages[st] = &StageCount{Dropped: map[string]int64{}}
	}
	d.reformulate = &StageCount{Dropped: map[string]int64{}}
	return d
}

// add takes the next chunk in input order and sends full batches to out.
func (d *dedupStage) add(ctx context.Context, c *chunk, out chan<- bigmath.IngestBatch) error {
	d.times.normalize += c.t.normalize
	d.times.classify += c.t.classify
	d.times.verify += c.t.verify
	d.times.fingerprint += c.t.fingerprint
	t := time.Now()
	for i := range c.out {
		pr := &c.out[i]
		if !pr.derived {
			countStages(d.stages, pr)
		}
		countRecovery(d.reformulate, pr)
		d.ix.add(pr, &d.batch)
		d.batch.Problems = append(d.batch.Problems, pr.row)
		d.rows++
	}
	if !d.reserved && d.rows >= reserveAfter && d.size != nil {
		d.reserved = true
		d.reserve()
	}
	d.time += time.Since(t)
	if len(d.batch.Problems) >= d.batchSize {
		return d.flush(ctx, out)
	}
	return nil
}

// reserve sizes the band table for the source's keys, estimated from the
// keys per byte read so far, a little under (the reader is ahead of the
// rows indexed, and a later grow is cheaper than room never used).
func (d *dedupStage) reserve() {
	done, total := d.size()
	if done <= 0 || total <= done {
		return
	}
	d.ix.bands.reserve(int(float64(d.ix.bands.len()) * float64(total) / float64(done) * 0.9))
}

// flush sends the batch being filled, if it has rows.
func (d *dedupStage) flush(ctx context.Context, out chan<- bigmath.IngestBatch) error {
	if len(d.batch.Problems) == 0 {
		return nil
	}
	if len(d.batch.Candidates) > 0 {
		d.batch.Confirm = confirmCandidates(d.batch.Problems, d.ix.mode)
	}
	select {
	case out <- d.batch:
	case <-ctx.Done():
		return ctx.Err()
	}
	d.batch = d.newBatch()
	return nil
}

// report adds the per-row stages' and dedup's counts to rep.
func (d *dedupStage) report(rep *RunReport) {
	for st, sec := range map[bigmath.Stage]time.Duration{bigmath.StageNormalize: d.times.normalize, bigmath.StageClassify: d.times.classify, bigmath.StageVerify: d.times.verify} {
		d.stages[st].Seconds = sec.Seconds()
		rep.Stages[string(st)] = d.stages[st]
	}
	rep.Stages[ReformulateStage] = d.reformulate
	rep.Stages["fingerprint"] = &StageCount{In: rep.RowsRead, Passed: rep.RowsRead, Seconds: d.times.fingerprint.Seconds()}
	rep.Stages[string(bigmath.StageDedup)] = &StageCount{In: rep.RowsRead, Passed: rep.Links, Seconds: d.time.Seconds()}
}

// writeStage accounts for the batches the writers commit.
type writeStage struct {
	pipeline *Pipeline
	spec     Spec
	reader   *Reader
	rep      *RunReport

	mu                           sync.Mutex
	last                         time.Time
	time                         time.Duration
	written, crossIn, crossLinks int64
}

// done is called by a writer after each committed batch.
func (w *writeStage) done(b bigmath.IngestBatch, res bigmath.BatchResult) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.rep.Inserted += res.Inserted
	w.rep.Updated += res.Updated
	w.rep.Links += res.Links
	w.crossIn += int64(len(b.Candidates))
	w.crossLinks += res.CrossLinks
	w.written += int64(len(b.Problems))
	w.time += res.Duration
	if p := w.pipeline.Progress; p != nil {
		done, total := w.reader.Size()
		p(w.spec.Name, w.written, done, total)
	}
}

// report adds the write stage's counts to rep.
func (w *writeStage) report(rep *RunReport) {
	rep.Stages["dedup_cross"] = &StageCount{In: w.crossIn, Passed: w.crossLinks}
	rep.Stages["write"] = &StageCount{In: w.written, Passed: rep.Inserted + rep.Updated, Seconds: w.time.Seconds()}
}

// perRowStages are the stages that run on each row by itself, before dedup.
var perRowStages = []bigmath.Stage{bigmath.StageNormalize, bigmath.StageClassify, bigmath.StageVerify}

// ReformulateStage names, in a run report, the count of the multiple-choice
// rows recovered as open-ended problems (derived problems are counted
// there, not in the per-row stages, which count the source's own rows).
const ReformulateStage = "reformulate"

// countRecovery adds one row's multiple-choice recovery to the counts.
func countRecovery(c *StageCount, pr *processedRow) {
	switch pr.recovery {
	case "":
	case RecoveryRecovered:
		c.In++
		c.Passed++
	default:
		c.In++
		c.Dropped[pr.recovery]++
	}
}

// countStages adds one row's per-row stage outcomes to the counts.
func countStages(stages map[bigmath.Stage]*StageCount, pr *processedRow) {
	for _, st := range perRowStages {
		c := stages[st]
		c.In++
		if pr.dropped == st {
			c.Dropped[pr.row.Reason]++
			return
		}
		c.Passed++
	}
}

// dedupIndex finds duplicate candidates for one run. This run's rows are
// indexed by exact text key and by LSH band keys; a bucket remembers its
// first member only, a row links to the first members it collides with,
// and clusters form by transitivity. The stored problems of other sources
// are indexed apart, by band key, so that the links within a source do
// not depend on what else is stored (a rerun makes the same links).
type dedupIndex struct {
	exact       map[[16]byte]int32
	bands       *keyTable
	rows        keptRows     // id, text, canonical gold and kept fingerprint, for dedup.Confirm
	clusters    provisional  // the run's clusters so far, over rows
	confirm     dedup.Hasher // confirms candidate pairs, keeping its stems
	mode        dedup.Mode   // dedup.Benchmark for a benchmark source
	storedBands *keyTable
	storedIDs   []string
}

func newDedupIndex() *dedupIndex {
	return &dedupIndex{exact: map[[16]byte]int32{}, bands: newKeyTable(), storedBands: newKeyTable()}
}

func (ix *dedupIndex) addStored(id string, bands []int64) {
	i := int32(len(ix.storedIDs))
	ix.storedIDs = append(ix.storedIDs, id)
	for _, k := range bands {
		ix.storedBands.firstOrAdd(uint64(k), i)
	}
}

// add indexes one row: it appends the links it makes with earlier rows of
// the run to b.Links, and its candidates among stored problems of other
// sources to b.Candidates (confirmed by the writer if the row changed).
// A row that its links make a copy of a better earlier row is marked as
// its duplicate (see provisional).
func (ix *dedupIndex) add(pr *processedRow, b *bigmath.IngestBatch) {
	if !pr.dedup {
		return
	}
	id := pr.row.ID
	if e, ok := ix.exact[pr.exactKey]; ok {
		b.Links = append(b.Links, bigmath.NewLink(id, ix.rows.id(e), 1))
		if c := ix.clusters.bestOf(e); !orderOf(&pr.row).before(ix.clusters.key(c, ix.rows.id(c))) {
			markDuplicate(&pr.row, ix.rows.id(c), ix.rows.doc(c).Answer)
		}
		return
	}
	doc := dedup.Doc{Text: pr.row.ProblemNorm, Answer: pr.row.Answer.Canonical}
	i := ix.rows.add(id, doc, pr.fp)
	ix.clusters.add(&pr.row)
	ix.exact[pr.exactKey] = i
	seen := make([]int32, 0, len(pr.row.Bands))
	for _, k := range pr.row.Bands {
		if c, ok := ix.bands.firstOrAdd(uint64(k), i); ok && c != i && !slices.Contains(seen, c) {
			seen = append(seen, c)
			// Every difference must be an allowed edit (dedup.Explain),
			// and different golds never merge.
			if sim, d := ix.confirm.Confirm(ix.rows.fingerprint(c), ix.rows.doc(c), pr.fp, doc, ix.mode); d.Duplicate {
				cid := ix.rows.id(c)
				l := bigmath.NewLink(id, cid, sim)
				l.Edits = d.LinkEdits(cid, id)
				b.Links = append(b.Links, l)
				ix.clusters.union(i, c, &ix.rows)
			}
		}
	}
	if c := ix.clusters.bestOf(i); c != i {
		markDuplicate(&pr.row, ix.rows.id(c), ix.rows.doc(c).Answer)
	}
	seen = seen[:0]
	for _, k := range pr.row.Bands {
		if c, ok := ix.storedBands.get(uint64(k)); ok && !slices.Contains(seen, c) {
			seen = append(seen, c)
			b.Candidates = append(b.Candidates, bigmath.Link{A: id, B: ix.storedIDs[c]})
		}
	}
}

// confirmCandidates is the writer's callback (IngestBatch.Confirm): it
// checks the candidates of the batch's changed rows against the stored
// problems' texts.
func confirmCandidates(rows []bigmath.Problem, mode dedup.Mode) func(cands []bigmath.Link, stored map[string]bigmath.Problem) []bigmath.Link {
	return func(cands []bigmath.Link, stored map[string]bigmath.Problem) []bigmath.Link {
		byID := make(map[string]int, len(rows))
		for i := range rows {
			byID[rows[i].ID] = i
		}
		h := dedup.NewHasher()
		var out []bigmath.Link
		for _, c := range cands {
			st, ok := stored[c.B]
			i, okA := byID[c.A]
			if !ok || !okA {
				continue
			}
			a := dedup.Doc{Text: rows[i].ProblemNorm, Answer: rows[i].Answer.Canonical}
			bd := dedup.Doc{Text: st.ProblemNorm, Answer: st.Answer.Canonical}
			// A pair with a benchmark on either side is judged as
			// decontamination, whichever side was ingested first: the
			// links do not depend on the order of the runs.
			m := mode
			if st.SourceRole == bigmath.RoleBenchmark {
				m = dedup.Benchmark
			}
			if sim, d := h.Confirm(h.Fingerprint(a.Text), a, h.Fingerprint(bd.Text), bd, m); d.Duplicate {
				l := bigmath.NewLink(c.A, c.B, sim)
				l.Edits = d.LinkEdits(c.A, c.B)
				out = append(out, l)
			}
		}
		return out
	}
}

// CopyBaseline reads every row of a source and only COPYs its key and raw
// bytes into a temporary table, in batches: the baseline an ingest run's
// speed is compared with. It returns the rows copied and the seconds taken.
func (p *Pipeline) CopyBaseline(ctx context.Context, s Spec) (int64, float64, error) {
	start := time.Now()
	r, err := Open(ctx, s, p.Open)
	if err != nil {
		return 0, 0, fmt.Errorf("source %s: %w", s.Name, err)
	}
	defer r.Close()
	batchSize := p.BatchSize
	if batchSize <= 0 {
		batchSize = 5000
	}
	var n int64
	var keys []string
	var raws [][]byte
	for {
		row, err := r.Next()
		if err == io.EOF {
			break
		}
		var rowErr *RowError
		if errors.As(err, &rowErr) {
			continue
		}
		if err != nil {
			return n, 0, fmt.Errorf("source %s: %w", s.Name, err)
		}
		keys = append(keys, row.Key)
		raws = append(raws, row.Raw)
		if len(keys) == batchSize {
			if err := p.Store.CopyRaw(ctx, keys, raws); err != nil {
				return n, 0, err
			}
			n += int64(len(keys))
			keys, raws = keys[:0], raws[:0]
		}
	}
	if len(keys) > 0 {
		if err := p.Store.CopyRaw(ctx, keys, raws); err != nil {
			return n, 0, err
		}
		n += int64(len(keys))
	}
	return n, time.Since(start).Seconds(), nil
}

// overlapStateKey is the ingest_state key of the fingerprint of the
// benchmark set that problems.overlaps was last computed against.
const overlapStateKey = "benchmark_overlaps"

// loadOverlapIndex builds an OverlapIndex of every stored benchmark
// problem, or returns nil when there are none.
func loadOverlapIndex(ctx context.Context, store OverlapStore) (*dedup.OverlapIndex, error) {
	ov, err := dedup.NewOverlapIndex(dedup.OverlapOptions{})
	if err != nil {
		return nil, err
	}
	if err := store.BenchmarkTexts(ctx, func(name, norm string) error {
		ov.Add(name, norm)
		return nil
	}); err != nil {
		return nil, err
	}
	if ov.Len() == 0 {
		return nil, nil
	}
	ov.Build()
	return ov, nil
}

// RecheckOverlaps recomputes the benchmark overlaps of every corpus
// problem when the set of stored benchmark problems changed since they
// were last computed (a benchmark ingested after the corpus), and returns
// how many problems it checked (0 when nothing changed). The new overlaps
// and the fingerprint of the benchmark set are written in one transaction,
// so an interrupted recheck is redone by the next run.
func RecheckOverlaps(ctx context.Context, store OverlapStore) (int64, error) {
	fp, err := store.BenchmarkFingerprint(ctx)
	if err != nil {
		return 0, err
	}
	last, err := store.IngestState(ctx, overlapStateKey)
	if err != nil {
		return 0, err
	}
	if fp == last {
		return 0, nil
	}
	ov, err := loadOverlapIndex(ctx, store)
	if err != nil {
		return 0, err
	}
	var n int64
	updates := map[string][]string{}
	err = store.CorpusTexts(ctx, func(id, norm string, stored []string) error {
		n++
		var m []string
		if ov != nil && norm != "" {
			m = ov.Match(norm)
		}
		if !slices.Equal(m, stored) {
			updates[id] = m
		}
		return nil
	})
	if err != nil {
		return n, err
	}
	return n, store.SetOverlaps(ctx, updates, overlapStateKey, fp)
}
