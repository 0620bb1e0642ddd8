package httpapi

import (
	"log/slog"
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Route is one entry of the route table: a method and a ServeMux path pattern such as
// /api/v1/users/{id}.
type Route struct {
	Method string
	Path   string
}

// Pattern is the route as routes() registered it ("GET /api/v1/users/{id}").
func (r Route) Pattern() string { return r.Method + " " + r.Path }

// routeTable is what routes() registers on. It is the server's mux, plus a note of every pattern
// while Routes is listing them, so the list can never drift from what is actually served.
type routeTable struct {
	mux  *http.ServeMux
	list *[]string
}

// HandleFunc registers h for pattern on the mux.
func (t routeTable) HandleFunc(pattern string, h func(http.ResponseWriter, *http.Request)) {
	t.mux.HandleFunc(pattern, h)
	t.note(pattern)
}

// Handle registers h for pattern on the mux.
func (t routeTable) Handle(pattern string, h http.Handler) {
	t.mux.Handle(pattern, h)
	t.note(pattern)
}

func (t routeTable) note(pattern string) {
	if t.list != nil {
		*t.list = append(*t.list, pattern)
	}
}

// listing is the mux Routes is currently listing. Keying it by mux keeps servers built
// concurrently by New (parallel tests) out of the list.
var listing struct {
	sync.Mutex
	mux  *http.ServeMux
	list *[]string
}

func (s *Server) table() routeTable {
	listing.Lock()
	defer listing.Unlock()
	if listing.mux != nil && listing.mux == s.mux {
		return routeTable{mux: s.mux, list: listing.list}
	}
	return routeTable{mux: s.mux}
}

var (
	routesOnce sync.Once
	routeList  []Route
)

// Routes lists every route okapi serves, sorted by path then method. The compatibility report and
// the conformance harness read it instead of parsing routes.go.
func Routes() []Route {
	routesOnce.Do(func() {
		var patterns []string
		s := &Server{mux: http.NewServeMux(), log: slog.Default()}
		listing.Lock()
		listing.mux, listing.list = s.mux, &patterns
		listing.Unlock()
		s.routes()
		listing.Lock()
		listing.mux, listing.list = nil, nil
		listing.Unlock()
		for _, p := range patterns {
			method, path, ok := strings.Cut(p, " ")
			if !ok { // a pattern without a method serves every method
				method, path = "*", p
			}
			routeList = append(routeList, Route{Method: method, Path: path})
		}
		sort.Slice(routeList, func(i, j int) bool {
			if routeList[i].Path != routeList[j].Path {
				return routeList[i].Path < routeList[j].Path
			}
			return routeList[i].Method < routeList[j].Method
		})
	})
	return append([]Route(nil), routeList...)
}
