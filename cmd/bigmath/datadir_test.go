package main

import (
	"context"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/postgres/pgtest"
)

func TestResolveDataDir(t *testing.T) {
	t.Parallel()
	cwd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		env     map[string]string
		euid    int
		want    string
		wantErr bool
	}{
		{"variable wins", map[string]string{"BIGMATH_DATA_DIR": "/srv/bm", "HOME": "/home/u", "XDG_DATA_HOME": "/x"}, 1000, "/srv/bm", false},
		{"variable wins for root too", map[string]string{"BIGMATH_DATA_DIR": "/srv/bm"}, 0, "/srv/bm", false},
		{"relative variable made absolute", map[string]string{"BIGMATH_DATA_DIR": "rel"}, 1000, filepath.Join(cwd, "rel"), false},
		{"xdg", map[string]string{"HOME": "/home/u", "XDG_DATA_HOME": "/home/u/data"}, 1000, "/home/u/data/bigmath", false},
		{"home", map[string]string{"HOME": "/home/u"}, 1000, "/home/u/.local/share/bigmath", false},
		{"root", map[string]string{"HOME": "/root"}, 0, "/var/lib/bigmath", false},
		{"nothing to go by", nil, 1000, "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, from, err := resolveDataDir(func(k string) string { return tc.env[k] }, tc.euid)
			if (err != nil) != tc.wantErr || got != tc.want {
				t.Errorf("resolveDataDir = %q, %v; want %q (error %v)", got, err, tc.want, tc.wantErr)
			}
			if err == nil && got != "" && from == "" {
				t.Errorf("no source named for %q", got)
			}
		})
	}
}

// TestDataDirFlag checks that --data-dir, before or after the command,
// overrides BIGMATH_DATA_DIR.
func TestDataDirFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	env := map[string]string{"BIGMATH_DATA_DIR": filepath.Join(t.TempDir(), "other"), "BIGMATH_LOG_LEVEL": "warn"}
	for _, args := range [][]string{
		{"--data-dir", dir, "db", "status"},
		{"db", "status", "--data-dir", dir},
	} {
		code, out, stderr := runCmd(t, context.Background(), env, args...)
		if code != exitOK || !strings.Contains(out, "not initialized (data directory "+dir+")") {
			t.Errorf("bigmath %v: exit %d, stdout %q, stderr %q; want the flag's directory", args, code, out, stderr)
		}
	}
}

// TestCommandSaysWhichDatabase checks the one line on stderr naming the
// database, without its password.
func TestCommandSaysWhichDatabase(t *testing.T) {
	t.Parallel()
	dbURL := pgtest.NewDatabase(t)
	code, _, stderr := runCmd(t, context.Background(), map[string]string{"DATABASE_URL": dbURL, "BIGMATH_LOG_LEVEL": "warn"}, "migrate")
	if code != exitOK {
		t.Fatalf("migrate: exit %d, %s", code, stderr)
	}
	line := databaseLine(stderr)
	u, _ := url.Parse(dbURL)
	if line == "" || !strings.Contains(line, u.Host) || !strings.Contains(line, "(DATABASE_URL)") {
		t.Errorf("stderr %q: want one line naming %s and DATABASE_URL", stderr, u.Host)
	}
	if pw, ok := u.User.Password(); ok && strings.Contains(stderr, pw) {
		t.Errorf("stderr shows the password: %q", stderr)
	}
}

// TestEmbeddedDatabaseFollowsDataDir checks that commands find the embedded
// cluster by the data directory, not by the current directory, and say so.
func TestEmbeddedDatabaseFollowsDataDir(t *testing.T) {
	t.Parallel()
	dir, env := dataDirEnv(t, "bigmath-datadir-")
	ctx := context.Background()
	code, _, stderr := runCmd(t, ctx, env, "migrate")
	if code != exitOK {
		t.Fatalf("migrate: exit %d, %s", code, stderr)
	}
	line := databaseLine(stderr)
	if !strings.Contains(line, "embedded PostgreSQL of data directory "+dir+" (BIGMATH_DATA_DIR)") {
		t.Errorf("stderr %q: want the line naming the data directory", stderr)
	}
	pw, err := os.ReadFile(filepath.Join(dir, "password"))
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(stderr, strings.TrimSpace(string(pw))) {
		t.Errorf("stderr shows the password: %q", stderr)
	}
}

// databaseLine returns the "database: " line of stderr.
func databaseLine(stderr string) string {
	for _, l := range strings.Split(stderr, "\n") {
		if strings.HasPrefix(l, "database: ") {
			return l
		}
	}
	return ""
}

// withoutDatabaseLine drops the "database: " line from stderr, so that
// tests of one-line errors see the error alone.
func withoutDatabaseLine(stderr string) string {
	var keep []string
	for _, l := range strings.Split(stderr, "\n") {
		if !strings.HasPrefix(l, "database: ") {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
