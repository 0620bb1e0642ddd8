package httpapi

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestRoutesListsTheServedTable checks that Routes is exactly what a real server serves: every
// listed pattern is the one the server's mux picks for a request built from it.
func TestRoutesListsTheServedTable(t *testing.T) {
	routes := Routes()
	if len(routes) < 4 {
		t.Fatalf("Routes() = %d routes, want at least the health and API token routes", len(routes))
	}
	want := map[string]bool{"GET /healthz": false, "GET /api/v1/api-tokens/{id}": false, "DELETE /api/v1/api-tokens/current": false}
	s := New(Config{})
	for _, r := range routes {
		if _, ok := want[r.Pattern()]; ok {
			want[r.Pattern()] = true
		}
		method := r.Method
		if method == "*" {
			method = http.MethodGet
		}
		path := strings.NewReplacer("{id}", "x1", "{", "", "}", "", "...", "").Replace(r.Path)
		req := httptest.NewRequest(method, path, nil)
		if _, got := s.mux.Handler(req); got != r.Pattern() && !(r.Method == "*" && got == r.Path) {
			t.Errorf("%s %s is served by %q, want %q", method, path, got, r.Pattern())
		}
	}
	for p, seen := range want {
		if !seen {
			t.Errorf("Routes() lacks %s", p)
		}
	}
	// A second server built after listing is not affected by it.
	if again := Routes(); len(again) != len(routes) {
		t.Errorf("Routes() changed between calls: %d then %d", len(routes), len(again))
	}
}
