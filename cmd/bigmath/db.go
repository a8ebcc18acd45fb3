package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
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
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("no data directory for the embedded PostgreSQL: set BIGMATH_DATA_DIR (or --data-dir), HOME, or DATABASE_URL")
	}
	dir, err := filepath.Abs(cfg.DataDir)
	if err != nil {
		return nil, fmt.Errorf("BIGMATH_DATA_DIR=%q: %w", cfg.DataDir, err)
	}
	if err := checkWritableDir("BIGMATH_DATA_DIR", dir); err != nil {
		return nil, err
	}
	e.noteOldDataDir(dir)
	return &postgres.Cluster{Dir: dir, Logger: e.logger}, nil
}

// noteOldDataDir warns once when the current directory holds a data
// directory of an older bigmath (./.bigmath), which is no longer used.
func (e *env) noteOldDataDir(dir string) {
	old, err := filepath.Abs(".bigmath")
	if err != nil || old == dir {
		return
	}
	if _, err := os.Stat(filepath.Join(old, "cluster.json")); err == nil {
		e.logger.Warn("the current directory holds an older data directory, not used: set BIGMATH_DATA_DIR to use it", "old", old, "data_dir", dir)
	}
}

// sayDatabase prints which database the command uses, one line on stderr;
// the password, if any, is left out.
func (e *env) sayDatabase(cfg Config, dbURL string) {
	shown := "a key=value connection string"
	if u, err := url.Parse(dbURL); err == nil && u.Scheme != "" {
		shown = redactURL(dbURL)
	}
	if cfg.DatabaseURL != "" {
		fmt.Fprintf(e.stderr, "database: %s (DATABASE_URL)\n", shown)
		return
	}
	fmt.Fprintf(e.stderr, "database: %s, embedded PostgreSQL of data directory %s (%s)\n", shown, cfg.DataDir, cfg.DataDirFrom)
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
	u, _, err := c.Start(e.ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "embedded PostgreSQL of data directory %s\n", c.Dir)
	fmt.Fprintln(e.stdout, u)
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
			"data_dir": c.Dir, "initialized": st.Initialized, "running": st.Running, "stopping": st.Stopping, "port": st.Port, "url": st.URL,
		})
	}
	switch {
	case !st.Initialized:
		fmt.Fprintf(e.stdout, "not initialized (data directory %s)\n", c.Dir)
	case st.Stopping:
		fmt.Fprintf(e.stdout, "stopping (port %d)\n", st.Port)
	case st.Running:
		fmt.Fprintf(e.stdout, "running on port %d: %s (data directory %s; bigmath db url prints the URL with the password)\n", st.Port, redactURL(st.URL), c.Dir)
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
	dbURL := cfg.DatabaseURL
	stop := func() {}
	if dbURL == "" {
		c, err := e.cluster(cfg)
		if err != nil {
			return nil, nil, err
		}
		u, started, err := c.Start(e.ctx)
		if err != nil {
			return nil, nil, err
		}
		dbURL = u
		if started {
			e.logger.Info("started the embedded postgres for this command; it stops when the command exits, even if killed", "data_dir", c.Dir)
			unwatch, werr := c.Watch()
			if werr != nil {
				e.logger.Warn("the embedded postgres would outlive this command if it were killed", "err", werr)
				unwatch = func() {}
			}
			stop = func() {
				unwatch()
				ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
				defer cancel()
				if err := c.Stop(ctx); err != nil {
					e.logger.Error("stop embedded postgres", "err", err)
				}
			}
		}
	}
	e.sayDatabase(cfg, dbURL)
	pool, err = postgres.Open(e.ctx, dbURL, cfg.ConnectTimeout)
	if err != nil {
		stop()
		if cfg.DatabaseURL != "" {
			return nil, nil, fmt.Errorf("DATABASE_URL: %w", err)
		}
		return nil, nil, err
	}
	return pool, func() { pool.Close(); stop() }, nil
}

// redactURL drops the password from a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	u.User = url.User(u.User.Username())
	return u.String()
}
