package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
)

func TestResponseOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, query, prompt, want string
	}{
		{"prefix", "PROMPT\\boxed{1}", "PROMPT", "\\boxed{1}"},
		{"end tokens and padding", "P: x\\boxed{1}<|im_end|>\n<|endoftext|><|endoftext|>  ", "P: ", "x\\boxed{1}"},
		{"eos", "P\\boxed{2}</s>", "P", "\\boxed{2}"},
		{"llama eot", "P\\boxed{2}<|eot_id|>", "P", "\\boxed{2}"},
		{"no prompt", "\\boxed{3}<|im_end|>", "", "\\boxed{3}"},
		{"prompt inside (left-truncated query)", "<pad>PROMPT answer", "PROMPT", " answer"},
		{"prompt absent", "something else", "PROMPT", "something else"},
		{"end token inside kept", "P a<|im_end|>b", "P", " a<|im_end|>b"},
		{"only tokens", "P<|im_end|>", "P", ""},
	}
	for _, tc := range tests {
		if got := responseOf(tc.query, tc.prompt); got != tc.want {
			t.Errorf("%s: responseOf(%q, %q) = %q, want %q", tc.name, tc.query, tc.prompt, got, tc.want)
		}
	}
}

func TestOverCapacity(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	d := Deps{MaxInFlight: 3}
	rw := newRewarder(d, newMetrics(d))
	r := gin.New()
	rw.register(r.Group(""))
	post := func(body string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		r.ServeHTTP(w, httptest.NewRequest("POST", "/v1/reward/batch", strings.NewReader(body)))
		return w
	}
	body := `{"items":[{"gold":"1","response":"\\boxed{1}"},{"gold":"1","response":"\\boxed{1}"}]}`
	if !rw.sem.TryAcquire(2) { // other requests hold 2 of the 3 slots
		t.Fatal("acquire")
	}
	w := post(body)
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") != "1" || !strings.Contains(w.Body.String(), "over_capacity") {
		t.Errorf("over capacity: %d %v %s, want 503 over_capacity with Retry-After", w.Code, w.Header(), w.Body)
	}
	rw.sem.Release(2)
	if w := post(body); w.Code != http.StatusOK {
		t.Errorf("with capacity free: %d %s, want 200", w.Code, w.Body)
	}
	// A batch larger than the whole capacity takes all of it rather than
	// never fitting.
	big := `{"items":[` + strings.Repeat(`{"gold":"1","response":"\\boxed{1}"},`, 9) + `{"gold":"1","response":"1"}]}`
	if w := post(big); w.Code != http.StatusOK {
		t.Errorf("batch over the capacity: %d %s, want 200", w.Code, w.Body)
	}
}

// TestRequestOutOfTime: items a request cannot start within its checking
// time come back retryable with reason deadline_exceeded (never as wrong
// answers, never as a 503 for the whole batch).
func TestRequestOutOfTime(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	d := Deps{}
	m := newMetrics(d)
	rw := newRewarder(d, m)
	rw.maxRequestTime = 0 // no item can start in time
	r := gin.New()
	rw.register(r.Group(""))
	w := httptest.NewRecorder()
	r.ServeHTTP(w, httptest.NewRequest("POST", "/v1/reward/batch", strings.NewReader(`{"items":[{"gold":"1","response":"\\boxed{1}"},{"gold":"2","response":"\\boxed{1}"}]}`)))
	var out struct {
		Results []struct {
			Reward    float64
			Reason    string
			Retryable bool
		}
	}
	if err := json.Unmarshal(w.Body.Bytes(), &out); w.Code != http.StatusOK || err != nil || len(out.Results) != 2 {
		t.Fatalf("a request out of time: %d %s, want 200 with 2 results", w.Code, w.Body)
	}
	for i, r := range out.Results {
		if r.Reason != "deadline_exceeded" || !r.Retryable || r.Reward != 0 {
			t.Errorf("item %d: %+v, want reward 0, reason deadline_exceeded, retryable", i, r)
		}
	}
}

func TestRequireAdmin(t *testing.T) {
	t.Parallel()
	gin.SetMode(gin.ReleaseMode)
	for _, tc := range []struct {
		name, token, header string
		want                int
	}{
		{"admin token", "adm", "Bearer adm", 200},
		{"no header", "adm", "", 401},
		{"wrong token", "adm", "Bearer api", 403},
		{"no admin token configured", "", "", 200},
	} {
		r := gin.New()
		r.POST("/admin", requireAdmin(tc.token, false), func(c *gin.Context) { c.Status(200) })
		req := httptest.NewRequest("POST", "/admin", nil)
		if tc.header != "" {
			req.Header.Set("Authorization", tc.header)
		}
		w := httptest.NewRecorder()
		r.ServeHTTP(w, req)
		if w.Code != tc.want {
			t.Errorf("%s: %d %s, want %d", tc.name, w.Code, w.Body, tc.want)
		}
	}
}
