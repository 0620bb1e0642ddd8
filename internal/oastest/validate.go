package oastest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
)

// Check validates one response to req against the spec. It returns nil when the response
// conforms, or is exempt by a documented rule (Unspecified, Deviations).
func Check(req *http.Request, status int, header http.Header, body []byte) error {
	d, err := Load()
	if err != nil {
		return err
	}
	return d.Check(req, status, header, body)
}

// Check is the package-level Check on an explicit document.
func (d *Doc) Check(req *http.Request, status int, header http.Header, body []byte) error {
	return d.CheckRoute(req, "", status, header, body)
}

// Router is implemented by a handler that knows which row of its route table serves a request
// (httpapi.Server): RoutePath returns that row's path pattern, or "" when no route serves it.
// Handler then validates against the spec operation of the route's
// path (Doc.Route) rather than matching the request path on their own.
type Router interface {
	RoutePath(*http.Request) string
}

// CheckRoute is Check for a request the route table serves at routePath ("" when unknown):
// the spec operation is the one whose template is the route's path; a route the spec lacks,
// or an unknown routePath, falls back to matching the request path (Match).
func (d *Doc) CheckRoute(req *http.Request, routePath string, status int, header http.Header, body []byte) error {
	path := req.URL.Path
	if _, ok := unspecified(path); ok {
		return nil
	}
	if _, ok := unspecified(routePath); ok && routePath != "" {
		return nil // an unspecified route written as a template, such as getAuthorizationServerKey
	}
	template, item := d.Route(routePath)
	if item == nil {
		template, item = d.Match(path)
	}
	if item == nil {
		// okapi may say "not found" about a path the spec lacks; anything else must be declared.
		if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
			return d.checkError(req, status, header, body)
		}
		return fmt.Errorf("%s %s: answered %d but the spec has no such path; add it to oastest.Unspecified with a reason", req.Method, path, status)
	}
	op := item.GetOperation(req.Method)
	if op == nil {
		if status >= 400 {
			return d.checkError(req, status, header, body)
		}
		return fmt.Errorf("%s %s: answered %d but the spec has no %s on %s", req.Method, path, status, req.Method, template)
	}
	if dev, ok := deviation(req.Method, template, status); ok && dev.Match == "" {
		return nil
	}
	if status == http.StatusNoContent && len(body) > 0 {
		return fmt.Errorf("%s %s: 204 with a %d-byte body", req.Method, path, len(body))
	}
	if status >= 400 && op.Responses.Status(status) == nil && op.Responses.Default() == nil {
		// The spec declares only some error statuses per operation; see Conventions.
		return d.checkError(req, status, header, body)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req,
			Route:   &routers.Route{Spec: d.T, Path: template, PathItem: item, Method: req.Method, Operation: op},
		},
		Status:  status,
		Header:  header,
		Body:    io.NopCloser(bytes.NewReader(body)),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	err := openapi3filter.ValidateResponse(bg, input)
	if err == nil {
		return nil
	}
	if dev, ok := deviation(req.Method, template, status); ok && dev.Match != "" && strings.Contains(err.Error(), dev.Match) {
		return nil
	}
	return fmt.Errorf("%s %s (spec %s %s, operation %s): status %d: %s", req.Method, path, req.Method, template, op.OperationID, status, trim(err.Error()))
}

// checkError validates an error answer: JSON content type and the spec's Error object.
func (d *Doc) checkError(req *http.Request, status int, header http.Header, body []byte) error {
	if status < 400 {
		return fmt.Errorf("%s %s: status %d is not an error status", req.Method, req.URL.Path, status)
	}
	if req.Method == http.MethodHead {
		return nil
	}
	mt, _, _ := mime.ParseMediaType(header.Get("Content-Type"))
	if mt != "application/json" {
		return fmt.Errorf("%s %s: error %d has Content-Type %q, want application/json", req.Method, req.URL.Path, status, header.Get("Content-Type"))
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return fmt.Errorf("%s %s: error %d body is not JSON: %v", req.Method, req.URL.Path, status, err)
	}
	if err := d.error.Value.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse()); err != nil {
		return fmt.Errorf("%s %s: error %d body is not an Okta Error object: %s", req.Method, req.URL.Path, status, trim(err.Error()))
	}
	m, _ := v.(map[string]any)
	if code, _ := m["errorCode"].(string); code == "" {
		return fmt.Errorf("%s %s: error %d body has no errorCode: %s", req.Method, req.URL.Path, status, body)
	}
	return nil
}

// trim keeps kin-openapi's messages readable: they repeat the whole schema and value.
func trim(msg string) string {
	var out []string
	for _, line := range strings.Split(msg, "\n") {
		if strings.HasPrefix(line, "Schema:") || strings.HasPrefix(line, "Value:") {
			break
		}
		if strings.TrimSpace(line) != "" {
			out = append(out, strings.TrimSpace(line))
		}
	}
	s := strings.Join(out, "; ")
	if len(s) > 2000 {
		s = s[:2000] + "..."
	}
	return s
}

// TB is the part of testing.TB the helpers use.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
}

// Validate fails t when resp (to req, with the already read body) does not conform.
func Validate(t TB, req *http.Request, resp *http.Response, body []byte) {
	t.Helper()
	if err := Check(req, resp.StatusCode, resp.Header, body); err != nil {
		t.Errorf("OpenAPI: %v", err)
	}
}

// Handler wraps h so every response it writes is validated before it reaches the client:
//
//	srv := httptest.NewServer(oastest.Handler(t, api))
func Handler(t TB, h http.Handler) http.Handler {
	if _, err := Load(); err != nil {
		t.Fatalf("oastest: %v", err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Buffer the whole answer and validate before passing it on, so the check ends before
		// the test sees the response (t.Errorf after a test returns would panic).
		rec := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		req := r.Clone(r.Context())
		routePath := ""
		if rt, ok := h.(Router); ok {
			routePath = rt.RoutePath(req)
		}
		h.ServeHTTP(rec, r)
		d, _ := Load()
		if err := d.CheckRoute(req, routePath, rec.status, rec.header, rec.body.Bytes()); err != nil {
			t.Errorf("OpenAPI: %v", err)
		}
		for k, v := range rec.header {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.status)
		_, _ = w.Write(rec.body.Bytes())
	})
}

type bufferedResponse struct {
	header http.Header
	status int
	wrote  bool
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) WriteHeader(code int) {
	if !b.wrote {
		b.status, b.wrote = code, true
	}
}
func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// Transport wraps base (nil means http.DefaultTransport) so every response a client receives is
// validated:
//
//	client := &http.Client{Transport: oastest.Transport(t, nil)}
func Transport(t TB, base http.RoundTripper) http.RoundTripper {
	if _, err := Load(); err != nil {
		t.Fatalf("oastest: %v", err)
	}
	if base == nil {
		base = http.DefaultTransport
	}
	return roundTripper{t: t, base: base}
}

// Client is an *http.Client whose responses are validated.
func Client(t TB) *http.Client { return &http.Client{Transport: Transport(t, nil)} }

type roundTripper struct {
	t    TB
	base http.RoundTripper
}

func (rt roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := rt.base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err := Check(req, resp.StatusCode, resp.Header, body); err != nil {
		rt.t.Errorf("OpenAPI: %v", err)
	}
	return resp, nil
}
