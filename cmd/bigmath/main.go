// Command bigmath builds and serves a corpus of machine-checkable math
// problems: it ingests datasets into PostgreSQL, verifies answers exactly, and
// serves splits and reward checks over HTTP. Run `bigmath --help`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
