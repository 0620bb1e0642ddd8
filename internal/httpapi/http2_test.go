package httpapi

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestHTTP2BodiesWithoutContentLength: HTTP/2 frames bodies itself, so a request body streamed
// without content-length is no reason for 411 (that rule is about HTTP/1.1 requests that carry
// neither a Content-Length nor a chunked body).
func TestHTTP2BodiesWithoutContentLength(t *testing.T) {
	e := newTestEnv(t)
	srv := httptest.NewUnstartedServer(e.api)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	defer srv.Close()
	client := srv.Client()

	for _, tc := range []struct {
		name   string
		body   io.Reader
		ctype  string
		status int
	}{
		{"streamed JSON body", io.MultiReader(strings.NewReader(`{"name":"h2"}`)), "application/json", 200},
		{"streamed body over 1 MiB", io.MultiReader(strings.NewReader(`{"name":"` + strings.Repeat("a", 1<<20) + `"}`)), "application/json", 413},
		{"streamed body as text", io.MultiReader(strings.NewReader(`{"name":"h2"}`)), "text/plain", 415},
		{"lifecycle POST: no body, no Content-Type", nil, "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest("POST", srv.URL+"/api/v1/test/echo", tc.body)
			req.Header.Set("Authorization", "SSWS "+e.token)
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			if resp.ProtoMajor != 2 {
				t.Fatalf("served over %s", resp.Proto)
			}
			if resp.StatusCode != tc.status {
				t.Errorf("status = %d, want %d: %s", resp.StatusCode, tc.status, b)
			}
			checkConventions(t, response{status: resp.StatusCode, header: resp.Header, body: b})
		})
	}
}
