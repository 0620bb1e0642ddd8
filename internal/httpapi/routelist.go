package httpapi

import (
	"net/http"
	"sort"
	"strings"
	"sync"
)

// Route is one entry of the route table as the outside sees it: a method and a ServeMux path
// pattern such as /api/v1/users/{id}.
type Route struct {
	Method string
	Path   string
	// Family is the rate-limit family (a ratelimit.Family* name, or "not-limited" for routes
	// outside the Okta API); Permission is what a caller needs ("" until roles assign them).
	Family     string
	Permission string
}

// Pattern is the route as the mux registers it ("GET /api/v1/users/{id}").
func (r Route) Pattern() string { return r.Method + " " + r.Path }

var (
	routesOnce sync.Once
	routeList  []Route
)

// Routes lists every route okapi serves, sorted by path then method. The compatibility report and
// the conformance harness read it; it comes from the same table the mux is built from, so it can
// never drift from what is served.
func Routes() []Route {
	routesOnce.Do(func() {
		// Building the rows only builds handler closures: a zero Server is enough.
		for _, rt := range (&Server{}).routeTable() {
			routeList = append(routeList, Route{Method: rt.method, Path: rt.path, Family: rt.family, Permission: rt.permission})
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

// RoutePath returns the path pattern of the route table row that serves r, or "" when no row
// does. It makes a Server an oastest.Router, so spec validation reads the route table.
func (s *Server) RoutePath(r *http.Request) string {
	_, pattern := s.mux.Handler(r)
	if _, ok := s.families[pattern]; !ok {
		return ""
	}
	method, path, _ := strings.Cut(pattern, " ")
	return specPath(method, path)
}

// muxOnlyPaths maps the patterns registered only because ServeMux cannot hold the spec's path
// to the spec path they serve (see groupRuleRoutes).
var muxOnlyPaths = map[string]string{
	"GET /api/v1/groups/{id}/{ruleId}": "/api/v1/groups/rules/{ruleId}",
}

// specPath is the path a route table row serves, as the spec names it.
func specPath(method, path string) string {
	if p, ok := muxOnlyPaths[method+" "+path]; ok {
		return p
	}
	return path
}
