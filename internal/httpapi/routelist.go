package httpapi

import (
	"sort"
	"sync"
)

// Route is one entry of the route table as the outside sees it: a method and a ServeMux path
// pattern such as /api/v1/users/{id}.
type Route struct {
	Method string
	Path   string
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
			routeList = append(routeList, Route{Method: rt.method, Path: rt.path})
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
