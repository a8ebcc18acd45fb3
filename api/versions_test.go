package api_test

import (
	"archive/tar"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/export"
	"github.com/bigmath/bigmath/internal/testutil"
)

func TestSplitVersionRoutes(t *testing.T) {
	t.Parallel()
	srv, pool := splitServer(t, `{"name":"s","seed":5,"fractions":{"train":0.5,"validation":0.25,"test":0.25}}`)
	v1 := do(t, srv, get("/v1/splits/s/export"))
	// The corpus changes: a member is dropped, and 20 problems arrive.
	if _, err := pool.Exec(context.Background(), `UPDATE problems SET status = 'dropped', stage = 'verify', reason = 'proof' WHERE id = 'a001'`); err != nil {
		t.Fatal(err)
	}
	var more []testutil.Problem
	for i := range 20 {
		more = append(more, testutil.Problem{ID: fmt.Sprintf("c%03d", i), Source: "gamma"})
	}
	insertCorpus(t, pool, more)

	page := do(t, srv, get("/v1/splits/s/versions/1")).json(t)
	gone := page["gone"].(map[string]any)
	if gone["total"] != 1.0 || gone["members"].([]any)[0].(map[string]any)["id"] != "a001" ||
		gone["members"].([]any)[0].(map[string]any)["reason"] != "proof" {
		t.Errorf("version 1 page: gone = %v, want a001, dropped as proof", gone)
	}
	if page["funnel"] == nil || page["counts"].(map[string]any)["total"] != 100.0 {
		t.Errorf("version 1 page = %v", page)
	}

	r := do(t, srv, post("/v1/splits/s/versions", ``))
	if r.status != http.StatusCreated || r.header.Get("Location") != "/v1/splits/s/versions/2" {
		t.Fatalf("POST /v1/splits/s/versions = %d %s", r.status, r.body)
	}
	body := r.json(t)
	var added, removed float64
	for _, part := range []string{"train", "validation", "test"} {
		d := body["diff"].(map[string]any)[part].(map[string]any)
		added, removed = added+d["added"].(float64), removed+d["removed"].(float64)
	}
	if added != 20 || removed != 1 || body["from"] != 1.0 || body["version"].(map[string]any)["counts"].(map[string]any)["total"] != 119.0 {
		t.Errorf("new version: %d added, %d removed, answer %s; want 20 and 1", int(added), int(removed), r.body)
	}

	latest := do(t, srv, get("/v1/splits/s/export"))
	if latest.header.Get("X-Bigmath-Split-Version") != "2" || bytes.Equal(latest.body, v1.body) {
		t.Errorf("GET /v1/splits/s/export after version 2: version %q", latest.header.Get("X-Bigmath-Split-Version"))
	}
	if again := do(t, srv, get("/v1/splits/s/versions/1/export")); !bytes.Equal(again.body, v1.body) {
		t.Error("version 1's export changed after the corpus changed and version 2 was frozen")
	}
	list := do(t, srv, get("/v1/splits/s/versions")).json(t)["versions"].([]any)
	if len(list) != 2 || list[1].(map[string]any)["version"] != 2.0 {
		t.Errorf("GET /v1/splits/s/versions = %v", list)
	}
	if g := do(t, srv, get("/v1/splits/s")).json(t); g["latest"].(map[string]any)["version"] != 2.0 {
		t.Errorf("GET /v1/splits/s: latest = %v, want version 2", g["latest"])
	}
	for path, status := range map[string]int{
		"/v1/splits/s/versions/9": http.StatusNotFound, "/v1/splits/s/versions/9/export": http.StatusNotFound,
		"/v1/splits/nope/versions": http.StatusNotFound, "/v1/splits/s/versions/x": http.StatusBadRequest,
		"/v1/splits/s/versions/0": http.StatusBadRequest,
	} {
		if r := do(t, srv, badGet(path)); r.status != status {
			t.Errorf("GET %s = %d %s, want %d", path, r.status, r.body, status)
		}
	}
	if r := do(t, srv, badPost("/v1/splits/nope/versions", ``)); r.status != http.StatusNotFound {
		t.Errorf("POST /v1/splits/nope/versions = %d, want 404", r.status)
	}
}

func TestHubTarRoute(t *testing.T) {
	t.Parallel()
	srv, _ := splitServer(t, `{"name":"s","seed":2,"fractions":{"train":0.6,"validation":0.2,"test":0.2}}`)
	c := counts(t, do(t, srv, get("/v1/splits/s")))
	r := do(t, srv, get("/v1/splits/s/hub"))
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "application/x-tar" || r.header.Get("X-Bigmath-Split-Version") != "1" ||
		!strings.Contains(r.header.Get("Content-Disposition"), `"s-v1.tar"`) {
		t.Fatalf("GET /v1/splits/s/hub = %d %v", r.status, r.header)
	}
	tr := tar.NewReader(bytes.NewReader(r.body))
	files := map[string][]byte{}
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(tr)
		files[h.Name] = b
	}
	for _, part := range []string{"train", "validation", "test"} {
		name := "s-v1/data/" + part + "-00000-of-00001.parquet"
		rows := testutil.ReadParquet[export.Row](t, files[name])
		if float64(len(rows)) != c[part].(float64) {
			t.Errorf("%s: %d rows, the version has %v", name, len(rows), c[part])
		}
	}
	if card := string(files["s-v1/README.md"]); !strings.HasPrefix(card, "---\nlicense:\n") || !strings.Contains(card, "path: data/train-*") {
		t.Errorf("s-v1/README.md = %.200s", card)
	}
	if len(files) != 4 {
		t.Errorf("tar holds %d files, want README.md and three shards", len(files))
	}
	if again := do(t, srv, get("/v1/splits/s/versions/1/hub")); !bytes.Equal(again.body, r.body) {
		t.Error("two tar streams of version 1 differ")
	}
	if r := do(t, srv, get("/v1/splits/nope/hub")); r.status != http.StatusNotFound {
		t.Errorf("GET /v1/splits/nope/hub = %d", r.status)
	}
}
