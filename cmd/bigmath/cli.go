package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/alecthomas/kong"
)

// Exit codes of the binary.
const (
	exitOK      = 0
	exitFailure = 1
	exitUsage   = 2
)

// cli is the command tree. Each command is a struct in its own file with a
// Run(*env) error method.
type cli struct {
	DataDir string `name:"data-dir" placeholder:"DIR" help:"Data directory of the embedded PostgreSQL and the cache (overrides BIGMATH_DATA_DIR)."`

	Serve   serveCmd   `cmd:"" help:"Serve the HTTP API (migrates first; starts the embedded PostgreSQL when DATABASE_URL is unset)."`
	Migrate migrateCmd `cmd:"" help:"Apply the database migrations and exit."`
	Ingest  ingestCmd  `cmd:"" help:"Ingest sources into the database: normalize, classify, verify, dedup, decontaminate."`
	Stats   statsCmd   `cmd:"" help:"Print the curation funnel per source (--json for the API shape)."`
	Export  exportCmd  `cmd:"" help:"Write a split (or one part) to a file: jsonl, parquet, or verl parquet."`
	DB      dbCmd      `cmd:"" name:"db" help:"Manage the embedded PostgreSQL cluster."`
	Verify  verifyCmd  `cmd:"" help:"Verify JSON Lines of gold answers and model responses (or answers); one verdict per line, in input order. Needs no database."`
	Class   classCmd   `cmd:"" name:"classify" help:"Classify JSON Lines of problems: keep, or why not (multiple_choice, proof, ...); one line per input, in order. Needs no database."`
	Dedup   dedupCmd   `cmd:"" help:"Cluster JSON Lines of problems into exact and near-duplicate clusters; one line per input, in order. Needs no database."`
	Version versionCmd `cmd:"" help:"Print the version."`
}

// lineFiles are the files of a command that reads JSON Lines and writes one
// line for each line it reads, in the same order; the command's Help says
// what the lines hold.
type lineFiles struct {
	In  string `default:"-" placeholder:"FILE|-" help:"JSON Lines input; - is standard input."`
	Out string `default:"-" placeholder:"FILE|-" help:"JSON Lines output, one line per input line, in input order; - is standard output."`
}

// env is what every command gets: the process's streams, environment and
// logger, injected so that tests can run commands in-process.
type env struct {
	ctx    context.Context
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	getenv func(string) string
	logger *slog.Logger
}

// usageError marks an error in how the command was called (exit code 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// run parses args, runs the chosen command and returns the exit code. Errors
// are printed as one line on stderr, never as a stack trace.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	var c cli
	exited := -1
	parser, err := kong.New(&c,
		kong.Name("bigmath"),
		kong.Description("bigmath curates and verifies math problems for RL training, backed by PostgreSQL."),
		kong.UsageOnError(),
		kong.Writers(stdout, stderr),
		kong.Exit(func(code int) { exited = code; panic(kongExit{}) }),
		kong.ConfigureHelp(kong.HelpOptions{Compact: true}),
	)
	if err != nil {
		fmt.Fprintf(stderr, "bigmath: %v\n", err)
		return exitFailure
	}
	kctx, code, done := parse(parser, args)
	if done {
		if exited >= 0 {
			return exited
		}
		return code
	}
	if kctx == nil {
		return exitUsage
	}
	if c.DataDir != "" {
		getenv = withDataDir(getenv, c.DataDir)
	}
	logger, err := newLogger(stderr, getenv)
	if err != nil {
		fmt.Fprintf(stderr, "bigmath: %v\n", err)
		return exitFailure
	}
	e := &env{ctx: ctx, stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv, logger: logger}
	if err := kctx.Run(e); err != nil {
		fmt.Fprintf(stderr, "bigmath: %s\n", oneLine(err.Error()))
		var ue usageError
		if errors.As(err, &ue) {
			return exitUsage
		}
		return exitFailure
	}
	return exitOK
}

// kongExit is the panic value used to stop kong from calling os.Exit.
type kongExit struct{}

// parse runs the kong parser, turning --help (which exits) and parse errors
// into exit codes. done reports that the process should exit with code.
func parse(parser *kong.Kong, args []string) (kctx *kong.Context, code int, done bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(kongExit); !ok {
				panic(r)
			}
			kctx, code, done = nil, exitOK, true
		}
	}()
	kctx, err := parser.Parse(args)
	if err != nil {
		fmt.Fprintf(parser.Stderr, "bigmath: %s\n", oneLine(err.Error()))
		return nil, exitUsage, true
	}
	return kctx, exitOK, false
}

// oneLine folds a multi-line message so that every error is one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// versionCmd prints the version.
type versionCmd struct{}

// Run prints the version.
func (versionCmd) Run(e *env) error {
	_, err := fmt.Fprintf(e.stdout, "bigmath %s\n", bigmathVersion())
	return err
}
