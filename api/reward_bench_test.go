package api_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/api"
)

// benchItems builds n reward items with responses of about 1 KB.
func benchItems(n int) []map[string]any {
	golds := [][2]string{{"42", "42"}, {"\\frac{3}{4}", "0.75"}, {"(1, 2)", "(1,2)"}, {"-7", "-8"}, {"2^{10}", "1024"}}
	filler := strings.Repeat("We rewrite the condition as $x^2 - 5x + 6 = 0$, which factors as $(x-2)(x-3) = 0$. ", 11)
	items := make([]map[string]any, n)
	for i := range items {
		g := golds[i%len(golds)]
		items[i] = map[string]any{"id": i, "gold": g[0], "response": filler + fmt.Sprintf("The final answer is $\\boxed{%s}$.", g[1])}
	}
	return items
}

// benchPost posts body to path on the router once a benchmark iteration,
// failing on a status other than 200.
func benchPost(b *testing.B, r http.Handler, path string, body []byte) {
	b.Helper()
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("POST", path, bytes.NewReader(body)))
		if w.Code != http.StatusOK {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkRewardBatch measures the batch route in-process (no network):
// decoding, checking and encoding 1,000 items per request.
func BenchmarkRewardBatch(b *testing.B) {
	r := api.NewRouter(api.Deps{})
	body, _ := json.Marshal(map[string]any{"items": benchItems(1000)})
	b.SetBytes(int64(len(body)))
	benchPost(b, r, "/v1/reward/batch", body)
	b.ReportMetric(float64(1000*b.N)/b.Elapsed().Seconds(), "items/s")
}

// BenchmarkReward measures one /v1/reward request in-process.
func BenchmarkReward(b *testing.B) {
	r := api.NewRouter(api.Deps{})
	body, _ := json.Marshal(benchItems(1)[0])
	benchPost(b, r, "/v1/reward", body)
}
