package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/postgres"
	"github.com/bigmath/bigmath/ui"
)

// serveCmd runs the HTTP server.
type serveCmd struct {
	Addr string `help:"Listen address (overrides BIGMATH_ADDR)."`
}

// Run serves until the context ends (SIGINT/SIGTERM), then shuts down
// gracefully: in-flight requests finish, the pool closes, and the embedded
// cluster stops if this command started it.
func (s serveCmd) Run(e *env) error {
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	if s.Addr != "" {
		if err := validateAddr(s.Addr); err != nil {
			return usageError{fmt.Errorf("--addr=%q: %w", s.Addr, err)}
		}
		cfg.Addr = s.Addr
	}
	// Listen first: a port in use is reported before any database work.
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("BIGMATH_ADDR=%q: cannot listen: %w", cfg.Addr, unwrapNet(err))
	}
	defer ln.Close()

	store, _, closeDB, err := e.openStore(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	pool := store.Pool()
	recorder := api.NewRecorder(store, api.RecorderOptions{Logger: e.logger})
	recorder.Start()
	defer func() { // on an early return; a no-op after the Close below
		ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		recorder.Close(ctx)
	}()
	router := api.NewRouter(newDeps(e, cfg, pool, store, recorder))
	// ReadTimeout cuts off a client that sends its request too slowly (a
	// body at a byte every few seconds); exports are bounded per write
	// instead (BIGMATH_EXPORT_IDLE_TIMEOUT), so there is no WriteTimeout.
	srv := &http.Server{
		Handler:           router,
		ReadHeaderTimeout: min(10*time.Second, cfg.ReadTimeout),
		ReadTimeout:       cfg.ReadTimeout,
		IdleTimeout:       120 * time.Second,
	}
	errc := make(chan error, 1)
	// api.Listener caps each connection's unsent bytes, so that the export
	// idle cut-off sees a slow reader's progress.
	go func() { errc <- srv.Serve(api.Listener(ln)) }()
	e.logger.Info("serving", "addr", "http://"+ln.Addr().String(), "healthz", "http://"+ln.Addr().String()+"/healthz")
	fmt.Fprintf(e.stderr, "bigmath is serving on http://%s (readiness: http://%s/readyz)\n", ln.Addr(), ln.Addr())
	if adminRoutesOff(cfg.Addr, cfg.AdminToken) {
		fmt.Fprintf(e.stderr, "admin routes (POST /v1/splits) are off: %s is not a loopback address and BIGMATH_ADMIN_TOKEN is unset\n", cfg.Addr)
	}

	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-e.ctx.Done():
	}
	e.logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	ctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(ctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	// No request can record any more: write what is queued.
	if err := recorder.Close(ctx); err != nil {
		e.logger.Warn("recorded attempts not all written at shutdown", "err", err, "queued", recorder.Stats().Queued)
	}
	e.logger.Info("stopped")
	return nil
}

// newDeps wires the router's dependencies: the store (through the small
// adapters below, since api does not import postgres), the limits from the
// configuration, and the pool statistics for /metrics.
func newDeps(e *env, cfg Config, pool *pgxpool.Pool, store *postgres.Store, rec *api.Recorder) api.Deps {
	browser := ui.New(ui.Config{Store: store, Logger: e.logger, APIToken: cfg.APIToken, AdminToken: cfg.AdminToken,
		AdminOff: adminRoutesOff(cfg.Addr, cfg.AdminToken), RewardTimeout: cfg.RewardTimeout})
	return api.Deps{
		UI:            browser.Mount,
		Logger:        e.logger,
		Ready:         func(ctx context.Context) error { return postgres.Ready(ctx, pool) },
		Golds:         store,
		Corpus:        store,
		Recorder:      rec,
		DBStats:       func() api.DBStats { return dbStats(pool.Stat()) },
		AdminToken:    cfg.AdminToken,
		APIToken:      cfg.APIToken,
		BodyLimit:     cfg.BodyLimit,
		RateLimit:     cfg.RateLimit,
		RewardTimeout: cfg.RewardTimeout,

		AdminOff:          adminRoutesOff(cfg.Addr, cfg.AdminToken),
		BatchTimeout:      cfg.BatchTimeout,
		ExportIdleTimeout: cfg.ExportIdle,
	}
}

func dbStats(s *pgxpool.Stat) api.DBStats {
	return api.DBStats{
		TotalConns:           int64(s.TotalConns()),
		AcquiredConns:        int64(s.AcquiredConns()),
		IdleConns:            int64(s.IdleConns()),
		ConstructingConns:    int64(s.ConstructingConns()),
		MaxConns:             int64(s.MaxConns()),
		AcquireCount:         s.AcquireCount(),
		AcquireDuration:      s.AcquireDuration(),
		EmptyAcquireCount:    s.EmptyAcquireCount(),
		CanceledAcquireCount: s.CanceledAcquireCount(),
		NewConnsCount:        s.NewConnsCount(),
	}
}

func unwrapNet(err error) error {
	var oe *net.OpError
	if errors.As(err, &oe) && oe.Err != nil {
		return oe.Err
	}
	return err
}
