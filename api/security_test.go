package api_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bigmath/bigmath"
	"github.com/bigmath/bigmath/api"
	"github.com/bigmath/bigmath/internal/testutil"
)

// TestAdminOff checks that with Deps.AdminOff the admin route answers 404
// as an unknown route does, whatever token is sent, while the read routes
// still answer; without it the route is there.
func TestAdminOff(t *testing.T) {
	t.Parallel()
	body := `{"name":"s","seed":1,"fractions":{"train":1}}`
	for _, tc := range []struct {
		name string
		off  bool
		want int
	}{
		{"off", true, http.StatusNotFound},
		{"on", false, http.StatusCreated},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, pool := corpusServer(t, func(d *api.Deps) { d.AdminOff = tc.off })
			insertCorpus(t, pool, []testutil.Problem{{ID: "p1", Source: "s1"}, {ID: "p2", Source: "s1"}})
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/splits", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer anything")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("POST /v1/splits with AdminOff=%v = %d %s, want %d", tc.off, resp.StatusCode, b, tc.want)
			}
			if tc.off && !strings.Contains(string(b), `"not_found"`) {
				t.Errorf("POST /v1/splits with AdminOff: body %s, want the not_found shape", b)
			}
			resp, err = http.Get(srv.URL + "/v1/problems")
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("GET /v1/problems = %d, want 200", resp.StatusCode)
			}
		})
	}
}

// TestReadyzHidesTheDatabase checks that /readyz does not show the
// database's user, host and port that a connection error names.
func TestReadyzHidesTheDatabase(t *testing.T) {
	t.Parallel()
	for _, dbErr := range []error{
		fmt.Errorf("database unreachable: %w: %w", bigmath.ErrUnavailable, errors.New(`failed to connect to user=secretuser database=bm: 10.1.2.3:6543 (db.internal): dial error`)),
		errors.New(`schema check on postgres://secretuser@db.internal:6543/bm failed`),
	} {
		srv := newReadyServer(t, dbErr)
		resp, err := http.Get(srv + "/readyz")
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("/readyz = %d, want 503", resp.StatusCode)
		}
		for _, secret := range []string{"secretuser", "10.1.2.3", "6543", "db.internal"} {
			if strings.Contains(string(b), secret) {
				t.Errorf("/readyz body %s shows %q", b, secret)
			}
		}
	}
}

func newReadyServer(t *testing.T, dbErr error) string {
	t.Helper()
	srv := httptest.NewServer(api.NewRouter(api.Deps{Ready: func(context.Context) error { return dbErr }}))
	t.Cleanup(srv.Close)
	return srv.URL
}
