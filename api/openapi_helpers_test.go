package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"github.com/bigmath/bigmath/api"
)

var (
	specOnce   sync.Once
	specDoc    *openapi3.T
	specRouter routers.Router
	specErr    error
)

// spec loads and validates api/openapi.yaml once.
func spec(tb testing.TB) (*openapi3.T, routers.Router) {
	tb.Helper()
	specOnce.Do(func() {
		// The spec check reads export bodies as opaque files, whichever
		// test loads the spec first.
		openapi3filter.RegisterBodyDecoder("application/x-ndjson", openapi3filter.FileBodyDecoder)
		openapi3filter.RegisterBodyDecoder("application/vnd.apache.parquet", openapi3filter.FileBodyDecoder)
		loader := openapi3.NewLoader()
		specDoc, specErr = loader.LoadFromData(api.OpenAPI)
		if specErr != nil {
			return
		}
		if specErr = specDoc.Validate(context.Background()); specErr != nil {
			return
		}
		// Match paths whatever the test server's address.
		specDoc.Servers = nil
		specRouter, specErr = legacy.NewRouter(specDoc)
	})
	if specErr != nil {
		tb.Fatalf("api/openapi.yaml: %v", specErr)
	}
	return specDoc, specRouter
}

// call is one HTTP request of an integration test.
type call struct {
	method, path, body string
	header             map[string]string
	// validRequest: the request must satisfy the spec (false for the
	// deliberately bad requests, which the spec must then reject... or
	// which are only bad at the item level).
	validRequest bool
}

// auth returns the call with the Authorization header value v ("" for none).
func (c call) auth(v string) call {
	if v != "" {
		c.header = map[string]string{"Authorization": v}
	}
	return c
}

// reply is the answer to a call.
type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r reply) json(tb testing.TB) map[string]any {
	tb.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		tb.Fatalf("body is not a JSON object: %v: %.300s", err, r.body)
	}
	return m
}

// errorField returns the error code and field of an error reply.
func (r reply) errorOf(tb testing.TB) (code, field, message string) {
	tb.Helper()
	e, ok := r.json(tb)["error"].(map[string]any)
	if !ok {
		tb.Fatalf("reply %d has no error object: %.300s", r.status, r.body)
	}
	code, _ = e["code"].(string)
	field, _ = e["field"].(string)
	message, _ = e["message"].(string)
	return code, field, message
}

// wantError fails the test unless r is an error reply with the status
// and, where they are not empty, the error code and field; what names the
// request in the failure.
func (r reply) wantError(tb testing.TB, what string, status int, code, field string) {
	tb.Helper()
	gotCode, gotField, _ := r.errorOf(tb)
	if r.status != status || code != "" && gotCode != code || field != "" && gotField != field {
		tb.Errorf("%s = %d %s, want %d with code %q field %q", what, r.status, r.body, status, code, field)
	}
}

// do sends c to srv and checks the exchange against the OpenAPI spec: the
// response always (for routes the spec knows), the request when
// c.validRequest.
func do(tb testing.TB, srv *httptest.Server, c call) reply {
	tb.Helper()
	req, err := http.NewRequest(c.method, srv.URL+c.path, strings.NewReader(c.body))
	if err != nil {
		tb.Fatal(err)
	}
	if c.body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		req.Header.Set(k, v)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		tb.Fatalf("%s %s: %v", c.method, c.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	r := reply{status: resp.StatusCode, header: resp.Header, body: body}
	checkSpec(tb, c, r)
	return r
}

func checkSpec(tb testing.TB, c call, r reply) {
	tb.Helper()
	_, router := spec(tb)
	vreq, _ := http.NewRequest(c.method, "http://bigmath.test"+c.path, strings.NewReader(c.body))
	if c.body != "" {
		vreq.Header.Set("Content-Type", "application/json")
	}
	for k, v := range c.header {
		vreq.Header.Set(k, v)
	}
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		if r.status != http.StatusNotFound && r.status != http.StatusMethodNotAllowed {
			tb.Errorf("%s %s answered %d but the spec has no such route: %v", c.method, c.path, r.status, err)
		}
		return
	}
	ctx := context.Background()
	opts := &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, IncludeResponseStatus: true}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route, Options: opts}
	if c.validRequest {
		if err := openapi3filter.ValidateRequest(ctx, in); err != nil {
			tb.Errorf("%s %s: the request does not satisfy the spec: %v", c.method, c.path, err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 r.status,
		Header:                 r.header,
		Body:                   io.NopCloser(bytes.NewReader(r.body)),
		Options:                opts,
	}
	if err := openapi3filter.ValidateResponse(ctx, out); err != nil {
		tb.Errorf("%s %s: response %d does not satisfy the spec: %v\nbody: %.500s", c.method, c.path, r.status, err, r.body)
	}
}
