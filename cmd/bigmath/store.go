package main

import (
	"github.com/bigmath/bigmath/postgres"
)

// openStore opens the database of cfg (DATABASE_URL, or the embedded
// cluster, started for this command when it is not running), applies the
// pending migrations, and returns the store and the number of migrations
// applied. closeDB releases the pool and stops a cluster that this command
// started. Every subcommand that uses the database starts here.
func (e *env) openStore(cfg Config) (store *postgres.Store, migrated int, closeDB func(), err error) {
	pool, closeDB, err := e.openDB(cfg)
	if err != nil {
		return nil, 0, nil, err
	}
	n, err := postgres.Migrate(e.ctx, pool)
	if err != nil {
		closeDB()
		return nil, n, nil, err
	}
	if n > 0 {
		e.logger.Info("migrations applied", "count", n)
	}
	return postgres.NewStore(pool), n, closeDB, nil
}

// loadStore loads the configuration and opens its store (openStore).
func (e *env) loadStore() (Config, *postgres.Store, func(), error) {
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return cfg, nil, nil, err
	}
	store, _, closeDB, err := e.openStore(cfg)
	return cfg, store, closeDB, err
}
