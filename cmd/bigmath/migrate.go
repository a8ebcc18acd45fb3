package main

import "fmt"

// migrateCmd applies the migrations.
type migrateCmd struct{}

// Run applies every pending migration and reports how many ran.
func (migrateCmd) Run(e *env) error {
	cfg, err := loadConfig(e.getenv)
	if err != nil {
		return err
	}
	pool, closeDB, err := e.openDB(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	n, err := postgresMigrate(e, pool)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "schema is up to date")
	} else {
		fmt.Fprintf(e.stdout, "applied %d migration(s)\n", n)
	}
	return nil
}
