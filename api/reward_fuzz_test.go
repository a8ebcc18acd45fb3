package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bigmath/bigmath/verify"
)

// FuzzRewardBodies posts arbitrary bodies to the reward routes: nothing
// panics, the status is 200 or a 4xx with the JSON error shape, and a 200
// has one result per item.
func FuzzRewardBodies(f *testing.F) {
	for _, seed := range []string{
		`{"items":[{"gold":"1","response":"\\boxed{1}"}]}`,
		`{"items":[{"gold":1,"response":5},"x",null,{"problem_id":"p","response":"r","options":{"significant_digits":3}}]}`,
		`{"items":{}}`, `{"items":null}`, `[]`, `null`, `{"gold":"1","response":"\\boxed{1}"}`,
		`{"query":["P\\boxed{2}<|im_end|>"],"prompts":["P"],"labels":[2]}`,
		`{"prompt":"p","response":"\\boxed{3}","label":"3"}`, `{"gold":"1",`, "\x00", `{"id":{"a":[1]},"gold":"x^2","response":"\\boxed{x*x}"}`,
	} {
		f.Add(seed)
	}
	r := NewRouter(Deps{RewardTimeout: 20e6})
	paths := []string{"/v1/reward/batch", "/v1/reward", "/get_reward", "/v1/verify"}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range paths {
			w := httptest.NewRecorder()
			r.ServeHTTP(w, httptest.NewRequest("POST", p, strings.NewReader(body)))
			var m map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
				t.Fatalf("POST %s %q: answer is not a JSON object: %d %q", p, body, w.Code, w.Body)
			}
			switch {
			case w.Code == http.StatusOK:
				if p == "/v1/reward/batch" {
					var req struct{ Items []json.RawMessage }
					if json.Unmarshal([]byte(body), &req) == nil {
						if res, _ := m["results"].([]any); len(res) != len(req.Items) {
							t.Fatalf("POST %s %q: %d results for %d items", p, body, len(res), len(req.Items))
						}
					}
				}
			case w.Code == http.StatusBadRequest:
				if e, ok := m["error"].(map[string]any); !ok || e["code"] == "" || e["message"] == "" {
					t.Fatalf("POST %s %q: 400 without the error shape: %s", p, body, w.Body)
				}
			default:
				t.Fatalf("POST %s %q: status %d: %s", p, body, w.Code, w.Body)
			}
		}
	})
}

// FuzzResponseOf checks that the response is a part of the query with no
// end token left at its end, and that stripping again changes nothing.
func FuzzResponseOf(f *testing.F) {
	f.Add("P\\boxed{1}<|im_end|>\n", "P")
	f.Add("<|endoftext|></s> <|im_end|>", "")
	f.Add("xPyP z", "P")
	f.Fuzz(func(t *testing.T, query, prompt string) {
		got := responseOf(query, prompt)
		if !strings.Contains(query, got) {
			t.Fatalf("responseOf(%q, %q) = %q, not a part of the query", query, prompt, got)
		}
		if again := responseOf(got, ""); again != got {
			t.Fatalf("responseOf(%q, %q) = %q, stripping again gives %q", query, prompt, got, again)
		}
		for _, tok := range verify.EndTokens() {
			if bytes.HasSuffix([]byte(strings.TrimRight(got, " \t\r\n")), []byte(tok)) {
				t.Fatalf("responseOf(%q, %q) = %q ends with %q", query, prompt, got, tok)
			}
		}
	})
}
