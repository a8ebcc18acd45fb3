// Command bigmath-soak runs bigmath under mixed load while its database is
// restarted and an ingest is killed, and checks that nothing was lost:
//
//	make soak                           # 10 minutes (go run ./cmd/bigmath-soak)
//	go run ./cmd/bigmath-soak -duration 2m -rows 5000
//
// It is bounded and stops by itself: everything it starts lives under a
// temporary directory (an embedded PostgreSQL of its own, on 127.0.0.1, and
// `bigmath serve` on a free loopback port) and is stopped at the end, and the
// whole run has a hard deadline of the duration plus 10 minutes. Nothing
// listens beyond loopback.
//
// Timeline, as fractions of the duration: the server starts on a database
// holding source A; load runs throughout (reward batches and single checks,
// problem listing with cursors and search, two exports read in full, a slow
// export reader, and a reader that stops reading); PostgreSQL is restarted at
// 15% and 65%; at 30% an ingest of sources A and B is SIGKILLed in the middle
// of B and run again to completion.
//
// It fails (exit 1) on: any 5xx other than a documented 503 (codes
// over_capacity, busy, unavailable); a transport error outside a database
// restart; a checksum over (source, source row id, normalized-text hash,
// status, canonical answer, cluster) of every problem that differs from a
// clean run's (A then A+B, uninterrupted, into another database); the
// server's RSS growing more than 20% over its level after warm-up (RSS is
// sampled every 5 s; the level is the median of the samples from 20% to 30%
// of the run, compared with the median of the last fifth: a leak moves the
// median, a burst of work such as a Parquet export does not); an export
// reader that stops reading and is not cut off within the server's
// documented idle time plus a margin (-idle), or is cut off before 7/8 of
// it (the time of the cut-off is the server's "export cut off" warning), or
// any other export cut off as idle (a reader that kept reading).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bigmath/bigmath/ingest/synth"
)

// options are the command-line settings of one soak run.
type options struct {
	bin      string
	duration time.Duration
	rows     int
	idle     time.Duration // the server's export idle cut-off
	keep     bool
	jsonOut  bool
}

func main() {
	var o options
	flag.StringVar(&o.bin, "bin", "bin/bigmath", "the bigmath binary to run")
	flag.DurationVar(&o.duration, "duration", 10*time.Minute, "how long to run the load (at most 1h)")
	flag.IntVar(&o.rows, "rows", 20000, "rows in each of the two synthetic sources")
	flag.DurationVar(&o.idle, "idle", 30*time.Second, "the server's export idle cut-off (BIGMATH_EXPORT_IDLE_TIMEOUT) the stalled reader expects")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (data, logs)")
	flag.BoolVar(&o.jsonOut, "json", false, "print the report as JSON too")
	flag.Parse()
	if o.duration <= 0 || o.duration > time.Hour || o.rows < 100 || o.rows > 1000000 {
		fmt.Fprintln(os.Stderr, "bigmath-soak: want 0 < -duration <= 1h and 100 <= -rows <= 1000000")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, o.duration+10*time.Minute)
	defer cancel()
	rep, err := run(ctx, o, os.Stderr)
	if o.jsonOut {
		b, _ := json.MarshalIndent(rep, "", "  ")
		fmt.Println(string(b))
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "bigmath-soak: FAIL: %v\n", err)
		os.Exit(1)
	}
	fmt.Fprintln(os.Stderr, "bigmath-soak: PASS")
}

// report is what a soak run measured.
type report struct {
	Duration        string           `json:"duration"`
	Requests        map[string]int64 `json:"requests"` // by kind
	Statuses        map[string]int64 `json:"statuses"` // "kind status[ code]" -> count
	Failures        []string         `json:"failures"` // what went wrong, first 50
	FailureCount    int64            `json:"failure_count"`
	RSSBaselineKB   int64            `json:"rss_baseline_kb"`
	RSSMaxKB        int64            `json:"rss_max_kb"`
	RSSEndKB        int64            `json:"rss_end_median_kb"`
	RSSSamples      []int64          `json:"rss_samples_kb"`
	KilledAtRows    int64            `json:"killed_at_rows"`
	Checksum        string           `json:"checksum"`
	CleanChecksum   string           `json:"clean_checksum"`
	Problems        int64            `json:"problems"`
	StalledCutAfter string           `json:"stalled_reader_cut_after"`
	IdleCutOffs     int              `json:"idle_cut_offs"` // "export cut off" warnings in the server's log
	Restarts        int              `json:"postgres_restarts"`
}

// soak is one run's state.
type soak struct {
	o       options
	dir     string
	log     io.Writer
	bin     string
	env     []string // for bigmath commands: the data directory, quiet logs
	adminDB string   // URL of the cluster's bigmath database
	cleanDB string
	soakDB  string
	specA   string
	specAB  string
	base    string // http://127.0.0.1:port
	serve   *exec.Cmd
	stats   *tally
}

func run(ctx context.Context, o options, log io.Writer) (*report, error) {
	rep := &report{Duration: o.duration.String()}
	bin, err := filepath.Abs(o.bin)
	if err != nil {
		return rep, err
	}
	if _, err := os.Stat(bin); err != nil {
		return rep, fmt.Errorf("-bin %s: %w (run make build)", o.bin, err)
	}
	dir, err := os.MkdirTemp("", "bigmath-soak-")
	if err != nil {
		return rep, err
	}
	os.Chmod(dir, 0o755) // the unprivileged user that runs postgres for root must reach it
	s := &soak{o: o, dir: dir, log: log, bin: bin, stats: newTally()}
	s.env = append(os.Environ(), "BIGMATH_DATA_DIR="+filepath.Join(dir, "data"), "BIGMATH_LOG_LEVEL=warn", "BIGMATH_LOG_FORMAT=text", "DATABASE_URL=")
	defer func() {
		if !o.keep {
			os.RemoveAll(dir)
		} else {
			fmt.Fprintf(log, "soak: kept %s\n", dir)
		}
	}()
	defer s.stopCluster()
	if err := s.setup(ctx); err != nil {
		return rep, err
	}
	err = s.soak(ctx, rep)
	s.stats.fill(rep)
	return rep, err
}

func (s *soak) say(format string, args ...any) {
	fmt.Fprintf(s.log, "soak: "+format+"\n", args...)
}

// bigmath runs one bigmath command to completion and returns its stdout.
func (s *soak) bigmath(ctx context.Context, extraEnv []string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, s.bin, args...)
	cmd.Env = append(append([]string{}, s.env...), extraEnv...)
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("bigmath %s: %w: %s", strings.Join(args, " "), err, lastLines(stderr.String(), 3))
	}
	return strings.TrimSpace(stdout.String()), nil
}

func (s *soak) stopCluster() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if s.serve != nil && s.serve.ProcessState == nil {
		s.serve.Process.Kill()
		s.serve.Wait()
	}
	s.bigmath(ctx, nil, "db", "stop")
}

// setup starts the cluster, writes the sources, makes the clean database
// (A, then A+B) and the soak database (A), and starts the server.
func (s *soak) setup(ctx context.Context) error {
	s.say("temporary directory %s", s.dir)
	u, err := s.bigmath(ctx, nil, "db", "start")
	if err != nil {
		return err
	}
	s.adminDB = u
	if s.cleanDB, err = s.createDB(ctx, "soak_clean"); err != nil {
		return err
	}
	if s.soakDB, err = s.createDB(ctx, "soak_served"); err != nil {
		return err
	}
	if err := s.writeSources(); err != nil {
		return err
	}
	start := time.Now()
	for _, spec := range []string{s.specA, s.specAB} {
		if _, err := s.bigmath(ctx, []string{"DATABASE_URL=" + s.cleanDB}, "ingest", "--sources", spec); err != nil {
			return fmt.Errorf("clean run: %w", err)
		}
	}
	s.say("clean run (A, then A+B, %d rows each): %s", s.o.rows, time.Since(start).Round(time.Second))
	if _, err := s.bigmath(ctx, []string{"DATABASE_URL=" + s.soakDB}, "ingest", "--sources", s.specA); err != nil {
		return fmt.Errorf("soak database: %w", err)
	}
	return s.startServer(ctx)
}

func (s *soak) createDB(ctx context.Context, name string) (string, error) {
	conn, err := pgx.Connect(ctx, s.adminDB)
	if err != nil {
		return "", fmt.Errorf("connect to the soak cluster: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize()); err != nil {
		return "", fmt.Errorf("create database %s: %w", name, err)
	}
	cfg, err := pgx.ParseConfig(s.adminDB)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("postgres://%s:%s@%s:%d/%s?sslmode=disable", cfg.User, cfg.Password, cfg.Host, cfg.Port, name), nil
}

func (s *soak) writeSources() error {
	for i, name := range []string{"a.jsonl", "b.jsonl"} {
		f, err := os.Create(filepath.Join(s.dir, name))
		if err != nil {
			return err
		}
		_, err = synth.Generate(f, synth.Options{N: s.o.rows, Seed: uint64(11 + i)})
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	src := func(name, file string, prio int) string {
		return fmt.Sprintf("  - {name: %s, role: corpus, path: %s, fields: {problem: problem, answer: answer, id: id}, license: CC0, priority: %d}\n", name, file, prio)
	}
	s.specA = filepath.Join(s.dir, "a.yaml")
	s.specAB = filepath.Join(s.dir, "ab.yaml")
	if err := os.WriteFile(s.specA, []byte("sources:\n"+src("soak-a", "a.jsonl", 10)), 0o644); err != nil {
		return err
	}
	return os.WriteFile(s.specAB, []byte("sources:\n"+src("soak-a", "a.jsonl", 10)+src("soak-b", "b.jsonl", 5)), 0o644)
}

func (s *soak) startServer(ctx context.Context) error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	addr := ln.Addr().String()
	ln.Close()
	s.base = "http://" + addr
	logf, err := os.Create(filepath.Join(s.dir, "serve.log"))
	if err != nil {
		return err
	}
	cmd := exec.Command(s.bin, "serve", "--addr", addr)
	cmd.Env = append(append([]string{}, s.env...), "DATABASE_URL="+s.soakDB, "BIGMATH_EXPORT_IDLE_TIMEOUT="+s.o.idle.String())
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return err
	}
	s.serve = cmd
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		if code, _, err := get(ctx, s.base+"/readyz"); err == nil && code == 200 {
			s.say("serving on %s (pid %d)", s.base, cmd.Process.Pid)
			return s.createSplit(ctx)
		}
		time.Sleep(200 * time.Millisecond)
	}
	return fmt.Errorf("the server did not become ready within a minute (log %s)", logf.Name())
}

func (s *soak) createSplit(ctx context.Context) error {
	code, body, err := post(ctx, s.base+"/v1/splits", `{"name":"soak","seed":7,"fractions":{"train":0.8,"test":0.2}}`)
	if err != nil || code != 201 {
		return fmt.Errorf("create the soak split: %d %s %v", code, body, err)
	}
	return nil
}

// soak runs the load and the chaos, then the checks.
func (s *soak) soak(ctx context.Context, rep *report) error {
	loadCtx, stopLoad := context.WithTimeout(ctx, s.o.duration)
	defer stopLoad()
	begin := time.Now()
	at := func(frac float64) time.Time { return begin.Add(time.Duration(frac * float64(s.o.duration))) }

	done := s.startLoad(loadCtx)
	rss := s.sampleRSS(loadCtx, at(0.2), at(0.3))
	stalled := make(chan stalledResult, 1)
	go func() { stalled <- s.stalledReader(loadCtx) }()

	var chaosErr error
	for _, step := range []struct {
		at   float64
		name string
		do   func(context.Context) error
	}{
		{0.15, "restart postgres (1 of 2)", s.restartPostgres},
		{0.30, "SIGKILL an ingest of A+B in the middle of B, then run it again", func(ctx context.Context) error { return s.killedIngest(ctx, rep) }},
		{0.65, "restart postgres (2 of 2)", s.restartPostgres},
	} {
		if !sleepUntil(loadCtx, at(step.at)) {
			break
		}
		s.say("%s: %s", time.Since(begin).Round(time.Second), step.name)
		if err := step.do(ctx); err != nil {
			chaosErr = errors.Join(chaosErr, fmt.Errorf("%s: %w", step.name, err))
		}
		if strings.HasPrefix(step.name, "restart") && chaosErr == nil {
			rep.Restarts++
		}
	}
	<-loadCtx.Done()
	<-done
	samples := <-rss
	st := <-stalled
	s.say("load over after %s", time.Since(begin).Round(time.Second))

	var errs []error
	if chaosErr != nil {
		errs = append(errs, chaosErr)
	}
	if n := s.stats.failureCount(); n > 0 {
		errs = append(errs, fmt.Errorf("%d requests failed (5xx other than a documented 503, or a transport error outside a restart), first: %s", n, s.stats.firstFailure()))
	}
	rep.RSSSamples = samples.all
	rep.RSSBaselineKB, rep.RSSMaxKB, rep.RSSEndKB = samples.baseline, samples.max, samples.end
	if samples.baseline == 0 || samples.end == 0 {
		errs = append(errs, errors.New("no RSS level: the run was too short or /proc is not readable"))
	} else if float64(samples.end) > 1.2*float64(samples.baseline) {
		errs = append(errs, fmt.Errorf("server RSS grew from a median of %d KB after warm-up to %d KB in the last fifth (over 20%%)", samples.baseline, samples.end))
	}
	rep.StalledCutAfter = st.after.Round(time.Second).String()
	if st.err != nil {
		errs = append(errs, fmt.Errorf("stalled export reader: %w", st.err))
	}
	if err := s.stopServer(); err != nil {
		errs = append(errs, err)
	}
	// Only the stalled reader stops reading: any other cut-off is of a
	// reader that kept reading (the slow one cannot see it behind the
	// kernel's buffers).
	rep.IdleCutOffs = len(s.loggedCutOffs())
	if rep.IdleCutOffs != 1 {
		errs = append(errs, fmt.Errorf("the server cut off %d export readers as idle, want 1 (the stalled reader): see the \"export cut off\" warnings in %s",
			rep.IdleCutOffs, filepath.Join(s.dir, "serve.log")))
	}
	sum, n, err := checksum(ctx, s.soakDB)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	clean, cleanN, err := checksum(ctx, s.cleanDB)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	rep.Checksum, rep.CleanChecksum, rep.Problems = sum, clean, n
	if sum != clean {
		errs = append(errs, fmt.Errorf("checksum of the soaked database %s (%d problems) differs from the clean run's %s (%d problems)", sum, n, clean, cleanN))
	}
	s.say("checksum %s over %d problems (clean run: %s over %d); RSS median %d KB after warm-up, %d KB in the last fifth, max %d KB; stalled reader cut off after %s",
		sum, n, clean, cleanN, samples.baseline, samples.end, samples.max, rep.StalledCutAfter)
	return errors.Join(errs...)
}

func (s *soak) stopServer() error {
	if err := s.serve.Process.Signal(syscall.SIGTERM); err != nil {
		return fmt.Errorf("stop the server: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- s.serve.Wait() }()
	select {
	case err := <-errc:
		if err != nil {
			return fmt.Errorf("the server exited badly at SIGTERM: %w (log %s)", err, filepath.Join(s.dir, "serve.log"))
		}
		return nil
	case <-time.After(time.Minute):
		s.serve.Process.Kill()
		return errors.New("the server did not stop within a minute of SIGTERM")
	}
}

// restartPostgres stops the cluster, waits a few seconds, and starts it
// again; requests meanwhile may fail to connect only with documented 503s.
func (s *soak) restartPostgres(ctx context.Context) error {
	s.stats.restarting.Store(true)
	defer func() {
		// Requests in flight at the restart may still end badly a moment later.
		time.AfterFunc(5*time.Second, func() { s.stats.restarting.Store(false) })
	}()
	if _, err := s.bigmath(ctx, nil, "db", "stop"); err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	_, err := s.bigmath(ctx, nil, "db", "start")
	return err
}

// killedIngest runs an ingest of A+B into the served database, SIGKILLs it
// once it has stored a quarter of B, and runs it again to completion.
func (s *soak) killedIngest(ctx context.Context, rep *report) error {
	cmd := exec.CommandContext(ctx, s.bin, "ingest", "--sources", s.specAB, "--batch-size", "500")
	cmd.Env = append(append([]string{}, s.env...), "DATABASE_URL="+s.soakDB)
	if err := cmd.Start(); err != nil {
		return err
	}
	conn, err := pgx.Connect(ctx, s.soakDB)
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return err
	}
	defer conn.Close(ctx)
	var stored int64
	deadline := time.Now().Add(5 * time.Minute)
	for stored < int64(s.o.rows/4) && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
		conn.QueryRow(ctx, `SELECT count(*) FROM problems p JOIN sources s ON s.id = p.source_id WHERE s.name = 'soak-b'`).Scan(&stored)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	rep.KilledAtRows = stored
	s.say("ingest killed with %d of %d rows of B stored", stored, s.o.rows)
	if stored == 0 || stored >= int64(s.o.rows) {
		return fmt.Errorf("the kill did not land in the middle of B (%d of %d rows stored)", stored, s.o.rows)
	}
	start := time.Now()
	if _, err := s.bigmath(ctx, []string{"DATABASE_URL=" + s.soakDB}, "ingest", "--sources", s.specAB); err != nil {
		return fmt.Errorf("re-run: %w", err)
	}
	s.say("ingest re-run in %s", time.Since(start).Round(time.Second))
	return nil
}

// checksum digests (source, source row id, normalized-text hash, status,
// canonical answer, cluster) of every problem.
func checksum(ctx context.Context, dbURL string) (string, int64, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return "", 0, err
	}
	defer conn.Close(ctx)
	var sum string
	var n int64
	err = conn.QueryRow(ctx, `
SELECT count(*), coalesce(md5(string_agg(concat_ws('|', s.name, p.row_key, encode(p.text_hash, 'hex'), p.status, p.answer_canonical, p.cluster_id),
    E'\n' ORDER BY s.name, p.row_key)), '')
FROM problems p JOIN sources s ON s.id = p.source_id`).Scan(&n, &sum)
	if err != nil {
		return "", 0, fmt.Errorf("checksum: %w", err)
	}
	return sum, n, nil
}

// rssSamples are the server's resident set sizes over the run.
type rssSamples struct {
	all                []int64
	baseline, end, max int64
}

func median(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	ys := append([]int64(nil), xs...)
	sort.Slice(ys, func(i, j int) bool { return ys[i] < ys[j] })
	return ys[len(ys)/2]
}

// sampleRSS reads the server's VmRSS every 5 s until ctx ends. The baseline
// is the median of the samples between from and to, end the median of the
// last fifth of all samples; max is the largest sample after to.
func (s *soak) sampleRSS(ctx context.Context, from, to time.Time) <-chan rssSamples {
	out := make(chan rssSamples, 1)
	go func() {
		var r rssSamples
		var window []int64
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				r.baseline = median(window)
				r.end = median(r.all[len(r.all)-len(r.all)/5:])
				out <- r
				return
			case now := <-t.C:
				kb := rssKB(s.serve.Process.Pid)
				if kb == 0 {
					continue
				}
				r.all = append(r.all, kb)
				switch {
				case now.After(from) && now.Before(to):
					window = append(window, kb)
				case now.After(to) && kb > r.max:
					r.max = kb
				}
			}
		}
	}()
	return out
}

func rssKB(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(l, "VmRSS:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			return n
		}
	}
	return 0
}

func sleepUntil(ctx context.Context, t time.Time) bool {
	select {
	case <-ctx.Done():
		return false
	case <-time.After(time.Until(t)):
		return true
	}
}

func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " / ")
}
