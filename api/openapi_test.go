package api_test

import (
	"regexp"
	"sort"
	"testing"

	"github.com/bigmath/bigmath/api"
)

// allStores satisfies every store interface of Deps without a database:
// the router only needs them to exist to register their routes.
type allStores struct {
	api.CorpusStore
}

var ginParam = regexp.MustCompile(`:([A-Za-z_]+)`)

// TestOpenAPIMatchesRouter checks that api/openapi.yaml describes exactly
// the routes the router serves, with every feature turned on.
func TestOpenAPIMatchesRouter(t *testing.T) {
	t.Parallel()
	doc, _ := spec(t)
	r := api.NewRouter(api.Deps{Corpus: allStores{}, Golds: fakeGolds{}, Recorder: api.NewRecorder(nil, api.RecorderOptions{})})
	served := map[string]bool{}
	for _, ri := range r.Routes() {
		served[ri.Method+" "+ginParam.ReplaceAllString(ri.Path, "{$1}")] = true
	}
	described := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			described[method+" "+path] = true
			if op.OperationID == "" || op.Responses == nil || op.Responses.Len() == 0 {
				t.Errorf("spec: %s %s lacks an operationId or responses", method, path)
			}
		}
	}
	var missing, extra []string
	for k := range served {
		if !described[k] {
			missing = append(missing, k)
		}
	}
	for k := range described {
		if !served[k] {
			extra = append(extra, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(extra)
	for _, k := range missing {
		t.Errorf("the router serves %s but api/openapi.yaml does not describe it", k)
	}
	for _, k := range extra {
		t.Errorf("api/openapi.yaml describes %s but the router does not serve it", k)
	}
	if len(served) < 8 {
		t.Errorf("only %d routes served: %v", len(served), served)
	}
}
