package api_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/bigmath/bigmath/api"
)

// TestPythonClient runs clients/python/test_bigmath_client.py against a
// live server.
func TestPythonClient(t *testing.T) {
	t.Parallel()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the Python client (clients/python) is not tested")
	}
	srv := newServer(t, api.Deps{})
	script, err := filepath.Abs(filepath.Join("..", "clients", "python", "test_bigmath_client.py"))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, script)
	cmd.Env = append(cmd.Environ(), "BIGMATH_TEST_URL="+srv.URL, "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", script, err, out)
	}
	t.Logf("%s", out)
}
