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
	_, n, closeDB, err := e.openStore(cfg)
	if err != nil {
		return err
	}
	defer closeDB()
	if n == 0 {
		fmt.Fprintln(e.stdout, "schema is up to date")
	} else {
		fmt.Fprintf(e.stdout, "applied %d migration(s)\n", n)
	}
	return nil
}
