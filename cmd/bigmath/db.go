package main

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bigmath/bigmath/postgres"
)

// dbCmd manages the embedded PostgreSQL cluster.
type dbCmd struct {
	Start  dbStartCmd  `cmd:"" help:"Create (if needed) and start the embedded cluster; leave it running."`
	Stop   dbStopCmd   `cmd:"" help:"Stop the embedded cluster."`
	Status dbStatusCmd `cmd:"" help:"Say whether the embedded cluster exists and runs."`
	URL    dbURLCmd    `cmd:"" name:"url" help:"Print the embedded cluster's connection URL."`
}

type dbStartCmd struct{}
type dbStopCmd struct{}
type dbStatusCmd struct {
	JSON bool `help:"Print JSON."`
}
type dbURLCmd struct{}

func (e *env) cluster(cfg Config) (*postgres.Cluster, error) {
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("BIGMATH_DATA_DIR=%q: %w", cfg.DataDir, err)
	}
	if err := checkWritableDir("BIGMATH_DATA_DIR", dir); err != nil {
		return nil, err
	}
	return &postgres.Cluster{Dir: dir, Logger: e.logger}, nil
}

// configuredCluster is the embedded cluster of the configured data directory.
func (e *env) configuredCluster() (*postgres.Cluster, error) {
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return nil, err
	}
	return e.cluster(cfg)
}

// Run starts the cluster.
func (dbStartCmd) Run(e *env) error {
	c, err := e.configuredCluster()
	if err != nil {
		return err
	}
	url, _, err := c.Start(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, url)
	return nil
}

// Run stops the cluster.
func (dbStopCmd) Run(e *env) error {
	c, err := e.configuredCluster()
	if err != nil {
		return err
	}
	return c.Stop(e.ctx)
}

// Run prints the cluster's status.
func (s dbStatusCmd) Run(e *env) error {
	c, err := e.configuredCluster()
	if err != nil {
		return err
	}
	st, err := c.Status(e.ctx)
	if err != nil {
		return err
	}
	if s.JSON {
		return json.NewEncoder(e.stdout).Encode(map[string]any{
			"data_dir": c.Dir, "initialized": st.Initialized, "running": st.Running, "port": st.Port, "url": st.URL,
		})
	}
	switch {
	case !st.Initialized:
		fmt.Fprintf(e.stdout, "not initialized (data directory %s)\n", c.Dir)
	case st.Running:
		fmt.Fprintf(e.stdout, "running on port %d: %s\n", st.Port, st.URL)
	default:
		fmt.Fprintf(e.stdout, "stopped (port %d when running)\n", st.Port)
	}
	return nil
}

// Run prints the cluster's URL.
func (dbURLCmd) Run(e *env) error {
	c, err := e.configuredCluster()
	if err != nil {
		return err
	}
	url, err := c.URL()
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, url)
	return nil
}

// openDB connects to DATABASE_URL, or starts the embedded cluster when it is
// unset. close closes the pool and stops the cluster if this call started it.
func (e *env) openDB(cfg Config) (pool *pgxpool.Pool, close func(), err error) {
	url := cfg.DatabaseURL
	stop := func() {}
	if url == "" {
		c, err := e.cluster(cfg)
		if err != nil {
			return nil, nil, err
		}
		u, started, err := c.Start(e.ctx)
		if err != nil {
			return nil, nil, err
		}
		url = u
		if started {
			e.logger.Info("started the embedded postgres for this command; it stops when the command exits", "data_dir", c.Dir)
			stop = func() {
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if err := c.Stop(ctx); err != nil {
					e.logger.Error("stop embedded postgres", "err", err)
				}
			}
		}
	}
	pool, err = postgres.Open(e.ctx, url, cfg.ConnectTimeout)
	if err != nil {
		stop()
		if cfg.DatabaseURL != "" {
			return nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		return nil, nil, err
	}
	return pool, func() { pool.Close(); stop() }, nil
}
