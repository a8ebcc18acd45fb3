package api_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bigmath/bigmath/api"
)

func TestHealthAndReady(t *testing.T) {
	t.Parallel()
	var dbErr error
	r := api.NewRouter(api.Deps{Ready: func(context.Context) error { return dbErr }})
	srv := httptest.NewServer(r)
	defer srv.Close()

	get := func(path string) (int, map[string]any) {
		t.Helper()
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body map[string]any
		if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
			t.Fatalf("GET %s: body is not JSON: %v", path, err)
		}
		return resp.StatusCode, body
	}
	if code, _ := get("/healthz"); code != http.StatusOK {
		t.Errorf("GET /healthz = %d, want 200", code)
	}
	if code, _ := get("/readyz"); code != http.StatusOK {
		t.Errorf("GET /readyz with a ready database = %d, want 200", code)
	}
	dbErr = errors.New("connection refused")
	code, body := get("/readyz")
	if code != http.StatusServiceUnavailable || body["reason"] == nil || body["reason"] == "connection refused" {
		t.Errorf("GET /readyz with the database down = %d %v, want 503 with a general reason, not the error", code, body)
	}
	code, body = get("/nope")
	if e, ok := body["error"].(map[string]any); code != http.StatusNotFound || !ok || e["code"] != "not_found" {
		t.Errorf("GET /nope = %d %v, want 404 with the JSON error shape", code, body)
	}
}
