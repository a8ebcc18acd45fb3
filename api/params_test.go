package api_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"testing"

	"github.com/bigmath/bigmath/internal/testutil"
)

// TestBadParameters sends NUL bytes, bytes that are not UTF-8 and a garbage
// cursor in every kind of parameter, to the real router on a real database:
// each is a 400 naming the parameter, never a 500.
func TestBadParameters(t *testing.T) {
	t.Parallel()
	srv, pool := corpusServer(t, nil)
	insertCorpus(t, pool, []testutil.Problem{{ID: "p1", Source: "s1"}})
	garbage := base64.RawURLEncoding.EncodeToString([]byte("\x00\xff\xfe"))
	tests := []struct {
		name, path, field string
	}{
		{"NUL in q", "/v1/problems?q=a%00b", "q"},
		{"invalid UTF-8 in q", "/v1/problems?q=%ff%fe", "q"},
		{"NUL in source", "/v1/problems?source=s%001", "source"},
		{"invalid UTF-8 in source", "/v1/problems?source=%c3%28", "source"},
		{"NUL in a problem id", "/v1/problems/p%001", "id"},
		{"invalid UTF-8 in a problem id", "/v1/problems/%ff", "id"},
		{"NUL in a split name", "/v1/splits/s%00", "name"},
		{"invalid UTF-8 in a split name", "/v1/splits/%80x", "name"},
		{"NUL in a split export", "/v1/splits/s%00/export", "name"},
		{"garbage cursor", "/v1/problems?cursor=" + garbage, "cursor"},
		{"cursor not percent-decodable", "/v1/problems?cursor=%%%", "cursor"},
		{"name not percent-decodable", "/v1/problems?%zz=1", "%zz"},
		{"NUL in a parameter name", "/v1/problems?a%00=1", "a\x00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			resp, err := http.Get(srv.URL + tc.path)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body struct {
				Error struct{ Code, Message, Field string }
			}
			if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
				t.Fatalf("GET %s: status %d, body not the JSON error shape: %v", tc.path, resp.StatusCode, err)
			}
			if resp.StatusCode != http.StatusBadRequest || body.Error.Field != tc.field {
				t.Errorf("GET %s = %d field %q (%s); want 400 naming %q", tc.path, resp.StatusCode, body.Error.Field, body.Error.Message, tc.field)
			}
		})
	}
	// The good forms still work.
	for _, path := range []string{"/v1/problems?q=What&source=s1", "/v1/problems/p1", "/v1/problems?q=%C3%A9"} {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
}
