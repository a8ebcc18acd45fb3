// Command bigmath-load is the load benchmark of the reward API. It runs on
// the loopback interface only, is bounded in time and in request count, and
// stops by itself.
//
// By default it starts the router in-process (no database: every item
// carries its gold answer) and runs three phases:
//
//  1. batch: clients post /v1/reward/batch with -batch-size items each, back
//     to back over kept-alive connections, for -batch-duration; it reports
//     checked items per second.
//  2. rate: /v1/reward at a fixed -rate requests per second for
//     -rate-duration, each request on a NEW connection (keep-alives off, as
//     OpenRLHF opens a new session per sample); it reports latency
//     percentiles, measured from the scheduled send time (so a stalled
//     server is not hidden by a stalled client), and every error.
//  3. trivial: the same two loads against a trivial gin handler (reads the
//     body, answers a constant JSON), for the ratio: what the verifier and
//     the API cost on top of HTTP itself.
//
// Example:
//
//	go run ./cmd/bigmath-load -rate-duration 60s
//
// The client runs in the same process as the server and shares its CPUs,
// so the numbers are conservative for a server on its own machine.
package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"runtime"
	"runtime/pprof"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/bigmath/bigmath/api"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "bigmath-load:", err)
		os.Exit(1)
	}
}

type config struct {
	target          string // "" = in-process
	phases          string
	batchDuration   time.Duration
	batchSize       int
	batchClients    int
	rate            int
	rateDuration    time.Duration
	trivialDuration time.Duration
	responseBytes   int
	jsonOut         bool
	cpuProfile      string
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	cfg, err := parseConfig(args)
	if err != nil {
		return err
	}
	// A hard bound on the whole run, whatever happens.
	total := cfg.batchDuration + cfg.rateDuration + 2*max(cfg.trivialDuration, cfg.batchDuration, cfg.rateDuration) + time.Minute
	ctx, cancel := context.WithTimeout(ctx, total)
	defer cancel()

	base := cfg.target
	if base == "" {
		router := api.NewRouter(api.Deps{Logger: slog.New(slog.DiscardHandler)})
		u, closeSrv, err := serve(router)
		if err != nil {
			return err
		}
		defer closeSrv()
		base = u
	}
	return withCPUProfile(cfg.cpuProfile, func() error { return runPhases(ctx, cfg, base, args, stdout) })
}

// runPhases runs the phases against base, prints their results (and the
// report as JSON when asked) and fails on any error.
func runPhases(ctx context.Context, cfg config, base string, args []string, stdout io.Writer) error {
	report := map[string]any{
		"gomaxprocs": runtime.GOMAXPROCS(0), "num_cpu": runtime.NumCPU(), "target": base,
		"command": "bigmath-load " + strings.Join(args, " "),
	}
	report["loadavg_before"] = loadavg()
	fmt.Fprintf(stdout, "bigmath-load: target %s, GOMAXPROCS %d, %d CPUs, responses ~%d bytes, machine load average %s\n", base, runtime.GOMAXPROCS(0), runtime.NumCPU(), cfg.responseBytes, loadavg())
	defer func() { fmt.Fprintf(stdout, "\nmachine load average at the end: %s\n", loadavg()) }()

	ph := &phaseRun{cfg: cfg, work: newWorkload(cfg.responseBytes), stdout: stdout, report: report}
	if err := ph.runAll(ctx, base); err != nil {
		return err
	}
	if cfg.jsonOut {
		b, _ := json.MarshalIndent(report, "", "  ")
		fmt.Fprintf(stdout, "\n%s\n", b)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("stopped early: %w", ctx.Err())
	}
	if ph.batch.Errors > 0 || ph.rate.Errors > 0 {
		return fmt.Errorf("%d batch and %d rate errors", ph.batch.Errors, ph.rate.Errors)
	}
	return nil
}

// parseConfig reads and checks the command line.
func parseConfig(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("bigmath-load", flag.ContinueOnError)
	fs.StringVar(&cfg.target, "url", "", "base URL of a running bigmath on loopback (default: start the router in-process)")
	fs.StringVar(&cfg.phases, "phases", "batch,rate,trivial", "phases to run: batch, rate, trivial")
	fs.DurationVar(&cfg.batchDuration, "batch-duration", 10*time.Second, "length of the batch phase (at most 5m)")
	fs.IntVar(&cfg.batchSize, "batch-size", 1000, "items per batch request (1 to 10000)")
	fs.IntVar(&cfg.batchClients, "batch-clients", 4, "concurrent batch clients (1 to 64)")
	fs.IntVar(&cfg.rate, "rate", 1000, "requests per second of the rate phase (1 to 5000)")
	fs.DurationVar(&cfg.rateDuration, "rate-duration", 60*time.Second, "length of the rate phase (at most 5m)")
	fs.DurationVar(&cfg.trivialDuration, "trivial-duration", 0, "length of each trivial-handler run (default: the same as the phases it compares with)")
	fs.IntVar(&cfg.responseBytes, "response-bytes", 1000, "approximate size of a model response (100 to 100000)")
	fs.BoolVar(&cfg.jsonOut, "json", false, "also print the results as one JSON object")
	fs.StringVar(&cfg.cpuProfile, "cpuprofile", "", "write a CPU profile of the whole run (client and in-process server) to this file")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	return cfg, cfg.validate()
}

// withCPUProfile runs fn, writing a CPU profile of it to path when path is
// set.
func withCPUProfile(path string, fn func() error) error {
	if path == "" {
		return fn()
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("-cpuprofile: %w", err)
	}
	defer f.Close()
	if err := pprof.StartCPUProfile(f); err != nil {
		return fmt.Errorf("-cpuprofile: %w", err)
	}
	defer pprof.StopCPUProfile()
	return fn()
}

// phaseRun runs the phases the configuration asks for, prints each one's
// results and adds them to the report.
type phaseRun struct {
	cfg    config
	work   *workload
	stdout io.Writer
	report map[string]any

	batch, trivialBatch batchResult
	rate, trivialRate   rateResult
}

// runAll runs the batch and rate phases against base, then, for the
// trivial phase, the same loads against a trivial handler.
func (ph *phaseRun) runAll(ctx context.Context, base string) error {
	cfg := ph.cfg
	phases := map[string]bool{}
	for _, p := range strings.Split(cfg.phases, ",") {
		phases[strings.TrimSpace(p)] = true
	}
	if phases["batch"] {
		fmt.Fprintf(ph.stdout, "\n[batch] %d clients x %d items per request, %s ...\n", cfg.batchClients, cfg.batchSize, cfg.batchDuration)
		ph.batch = ph.runBatch(ctx, base, "bigmath", "batch", cfg.batchDuration)
	}
	if phases["rate"] {
		fmt.Fprintf(ph.stdout, "\n[rate] POST /v1/reward at %d/s, new connection per request, %s ...\n", cfg.rate, cfg.rateDuration)
		ph.rate = ph.runRate(ctx, base, "bigmath", "rate", cfg.rateDuration)
	}
	if !phases["trivial"] {
		return nil
	}
	u, closeSrv, err := serve(trivialRouter())
	if err != nil {
		return err
	}
	defer closeSrv()
	if phases["batch"] {
		d := or(cfg.trivialDuration, cfg.batchDuration)
		fmt.Fprintf(ph.stdout, "\n[trivial batch] the same batch load against a trivial gin handler, %s ...\n", d)
		ph.trivialBatch = ph.runBatch(ctx, u, "trivial", "trivial_batch", d)
		if ph.trivialBatch.ItemsPerSecond > 0 {
			fmt.Fprintf(ph.stdout, "  ratio: bigmath checks %.3gx the items/s of a handler that only parses and answers\n", ph.batch.ItemsPerSecond/ph.trivialBatch.ItemsPerSecond)
		}
	}
	if phases["rate"] {
		d := or(cfg.trivialDuration, cfg.rateDuration)
		fmt.Fprintf(ph.stdout, "\n[trivial rate] the same rate load against a trivial gin handler, %s ...\n", d)
		ph.trivialRate = ph.runRate(ctx, u, "trivial", "trivial_rate", d)
		if ph.trivialRate.P50Ms > 0 && ph.trivialRate.P99Ms > 0 {
			fmt.Fprintf(ph.stdout, "  ratio bigmath/trivial: p50 %.3gx, p99 %.3gx\n", ph.rate.P50Ms/ph.trivialRate.P50Ms, ph.rate.P99Ms/ph.trivialRate.P99Ms)
		}
	}
	return nil
}

// runBatch runs the batch load against base for d and reports it under
// name (printed) and key (in the report).
func (ph *phaseRun) runBatch(ctx context.Context, base, name, key string, d time.Duration) batchResult {
	r := runBatch(ctx, base, ph.work.batchBodies(ph.cfg.batchSize), ph.cfg.batchSize, ph.cfg.batchClients, d)
	r.print(ph.stdout, name)
	ph.report[key] = r
	return r
}

// runRate runs the rate load against base for d and reports it under name
// (printed) and key (in the report).
func (ph *phaseRun) runRate(ctx context.Context, base, name, key string, d time.Duration) rateResult {
	r := runRate(ctx, base+"/v1/reward", ph.work.singleBodies(), ph.cfg.rate, d)
	r.print(ph.stdout, name)
	ph.report[key] = r
	return r
}

// loadavg returns the 1, 5 and 15 minute load averages (Linux), so that a
// run on a busy machine says so.
func loadavg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

func (c *config) validate() error {
	if c.target != "" {
		u, err := url.Parse(c.target)
		if err != nil || u.Scheme != "http" {
			return fmt.Errorf("-url=%q: want http://127.0.0.1:PORT", c.target)
		}
		ip := net.ParseIP(u.Hostname())
		if u.Hostname() != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return fmt.Errorf("-url=%q: the load benchmark only targets loopback addresses", c.target)
		}
		c.target = strings.TrimRight(c.target, "/")
	}
	checks := []struct {
		ok  bool
		msg string
	}{
		{c.batchDuration > 0 && c.batchDuration <= 5*time.Minute, "-batch-duration: want 1s to 5m"},
		{c.rateDuration > 0 && c.rateDuration <= 5*time.Minute, "-rate-duration: want 1s to 5m"},
		{c.trivialDuration >= 0 && c.trivialDuration <= 5*time.Minute, "-trivial-duration: want 0 to 5m"},
		{c.batchSize >= 1 && c.batchSize <= api.MaxBatchItems, "-batch-size: want 1 to 10000"},
		{c.batchClients >= 1 && c.batchClients <= 64, "-batch-clients: want 1 to 64"},
		{c.rate >= 1 && c.rate <= 5000, "-rate: want 1 to 5000"},
		{c.responseBytes >= 100 && c.responseBytes <= 100000, "-response-bytes: want 100 to 100000"},
	}
	for _, ch := range checks {
		if !ch.ok {
			return errors.New(ch.msg)
		}
	}
	return nil
}

func or(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}

// serve runs h on a loopback port and returns its base URL.
func serve(h http.Handler) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, fmt.Errorf("listen on loopback: %w", err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	}, nil
}

// trivialRouter answers the reward paths with a constant, after reading
// (and, for batches, parsing) the body: HTTP and JSON without the verifier.
func trivialRouter() http.Handler {
	gin.SetMode(gin.ReleaseMode)
	r := gin.New()
	r.POST("/v1/reward", func(c *gin.Context) {
		io.Copy(io.Discard, c.Request.Body)
		c.JSON(http.StatusOK, gin.H{"reward": 1.0, "correct": true, "reason": "equal"})
	})
	r.POST("/v1/reward/batch", func(c *gin.Context) {
		var req struct {
			Items []json.RawMessage `json:"items"`
		}
		if err := json.NewDecoder(c.Request.Body).Decode(&req); err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": err.Error()})
			return
		}
		type res struct {
			Reward          float64 `json:"reward"`
			Reason          string  `json:"reason"`
			VerifierVersion string  `json:"verifier_version"`
		}
		out := make([]res, len(req.Items))
		for i := range out {
			out[i] = res{1, "equal", "trivial"}
		}
		c.JSON(http.StatusOK, gin.H{"results": out})
	})
	return r
}

// failures is what a phase counted of its failed requests.
type failures struct {
	Errors     int64  `json:"errors"`
	FirstError string `json:"first_error,omitempty"`
}

// printFirst prints the first error, if there was one.
func (f failures) printFirst(w io.Writer) {
	if f.FirstError != "" {
		fmt.Fprintf(w, "  first error: %s\n", f.FirstError)
	}
}

// errorTally counts failed requests and keeps the first error; it is safe
// for concurrent use.
type errorTally struct {
	n     atomic.Int64
	first atomic.Value
}

func (e *errorTally) add(err error) {
	e.n.Add(1)
	e.first.CompareAndSwap(nil, err.Error())
}

func (e *errorTally) failures() failures {
	first, _ := e.first.Load().(string)
	return failures{Errors: e.n.Load(), FirstError: first}
}

// batchResult is what the batch phase measured.
type batchResult struct {
	Requests       int64   `json:"requests"`
	Items          int64   `json:"items"`
	Seconds        float64 `json:"seconds"`
	ItemsPerSecond float64 `json:"items_per_second"`
	P50Ms          float64 `json:"request_p50_ms"`
	P99Ms          float64 `json:"request_p99_ms"`
	failures
}

// runBatch posts batch bodies back to back from clients goroutines until d
// has passed.
func runBatch(ctx context.Context, base string, bodies [][]byte, size, clients int, d time.Duration) batchResult {
	tr := &http.Transport{MaxIdleConnsPerHost: clients, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 60 * time.Second}
	var res batchResult
	var mu sync.Mutex
	var lat []time.Duration
	var errs errorTally
	var requests, items atomic.Int64
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	start := time.Now()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var local []time.Duration
			for i := c; ctx.Err() == nil; i += clients {
				t0 := time.Now()
				n, err := postBatch(ctx, client, base+"/v1/reward/batch", bodies[i%len(bodies)], size)
				if ctx.Err() != nil && err != nil {
					break // the phase ended during the request
				}
				requests.Add(1)
				if err != nil {
					errs.add(err)
					continue
				}
				items.Add(int64(n))
				local = append(local, time.Since(t0))
			}
			mu.Lock()
			lat = append(lat, local...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	res.Requests, res.Items, res.failures = requests.Load(), items.Load(), errs.failures()
	res.ItemsPerSecond = float64(res.Items) / res.Seconds
	res.P50Ms, res.P99Ms = percentile(lat, 50), percentile(lat, 99)
	return res
}

// print writes the result as one line named name, and the first error.
func (r batchResult) print(w io.Writer, name string) {
	fmt.Fprintf(w, "  %s: %d requests, %d items in %.1fs: %.0f items/s; request latency p50 %.1f ms, p99 %.1f ms; %d errors\n",
		name, r.Requests, r.Items, r.Seconds, r.ItemsPerSecond, r.P50Ms, r.P99Ms, r.Errors)
	r.printFirst(w)
}

func postBatch(ctx context.Context, client *http.Client, u string, body []byte, size int) (int, error) {
	req, _ := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, err
	}
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
	}
	if n := bytes.Count(b, []byte(`"verifier_version"`)); n != size {
		return 0, fmt.Errorf("%d results for %d items", n, size)
	}
	return size, nil
}

// rateResult is what the rate phase measured.
type rateResult struct {
	Rate     int     `json:"rate"`
	Seconds  float64 `json:"seconds"`
	Requests int64   `json:"requests"`
	P50Ms    float64 `json:"p50_ms"`
	P90Ms    float64 `json:"p90_ms"`
	P99Ms    float64 `json:"p99_ms"`
	P999Ms   float64 `json:"p99_9_ms"`
	MaxMs    float64 `json:"max_ms"`
	failures
}

// runRate sends rate requests per second for d, open loop: request i is due
// at start + i/rate whatever happened to the others, and its latency counts
// from that due time. Every request opens a new connection.
func runRate(ctx context.Context, u string, bodies [][]byte, rate int, d time.Duration) rateResult {
	n := int(d.Seconds() * float64(rate))
	tr := &http.Transport{DisableKeepAlives: true, DisableCompression: true, MaxConnsPerHost: 0}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	lat := make([]time.Duration, n)
	var errs errorTally
	interval := time.Second / time.Duration(rate)
	start := time.Now()
	var wg sync.WaitGroup
	sent := 0
	for i := 0; i < n && ctx.Err() == nil; i++ {
		due := start.Add(time.Duration(i) * interval)
		if wait := time.Until(due); wait > 0 {
			time.Sleep(wait)
		}
		sent++
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := postOne(ctx, client, u, bodies[i%len(bodies)])
			lat[i] = time.Since(due)
			if err != nil {
				errs.add(err)
			}
		}()
	}
	wg.Wait()
	res := rateResult{Rate: rate, Seconds: time.Since(start).Seconds(), Requests: int64(sent), failures: errs.failures()}
	lat = lat[:sent]
	res.P50Ms, res.P90Ms, res.P99Ms, res.P999Ms, res.MaxMs = percentile(lat, 50), percentile(lat, 90), percentile(lat, 99), percentile(lat, 99.9), percentile(lat, 100)
	return res
}

// print writes the result as one line named name, and the first error.
func (r rateResult) print(w io.Writer, name string) {
	fmt.Fprintf(w, "  %s: %d requests at %d/s in %.1fs: latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, max %.2f ms; %d errors\n",
		name, r.Requests, r.Rate, r.Seconds, r.P50Ms, r.P90Ms, r.P99Ms, r.P999Ms, r.MaxMs, r.Errors)
	r.printFirst(w)
}

func postOne(ctx context.Context, client *http.Client, u string, body []byte) error {
	req, _ := http.NewRequestWithContext(ctx, "POST", u, bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d: %.200s", resp.StatusCode, b)
	}
	if !bytes.Contains(b, []byte(`"reward"`)) {
		return fmt.Errorf("no reward in %.200s", b)
	}
	return nil
}

// percentile returns the p-th percentile of ds in milliseconds (it sorts ds).
func percentile(ds []time.Duration, p float64) float64 {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	i := int(float64(len(ds)-1) * p / 100)
	return float64(ds[i].Microseconds()) / 1000
}
