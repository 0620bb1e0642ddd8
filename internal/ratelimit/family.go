package ratelimit

import "strings"

// Family names. They are stable: they appear in overrides files and in log events, so renaming
// one is a breaking change. Each names one row of Okta's management rate-limit table
// (okta-behavior.md section 7).
const (
	// FamilyUsers is GET or POST /api/v1/users (list, create). Only those two methods on that
	// exact path: Okta's row reads "Only GET or POST to /api/v1/users".
	FamilyUsers = "users"
	// FamilyUserGet is GET /api/v1/users/{idOrLogin}, including /api/v1/users/me.
	FamilyUserGet = "users-id-get"
	// FamilyUserWrite is POST, PUT or DELETE /api/v1/users/{id}.
	FamilyUserWrite = "users-id-write"
	// FamilyGroups is /api/v1/groups and every path below it except /api/v1/groups/{id} itself,
	// so /api/v1/groups/{id}/users counts here ("/api/v1/groups except /api/v1/groups/{id}").
	FamilyGroups = "groups"
	// FamilyGroup is /api/v1/groups/{id} only, any method.
	FamilyGroup = "groups-id"
	// FamilyApps is /api/v1/apps and every path below it except /api/v1/apps/{id} itself
	// (Okta's "/api/v1/apps*": /api/v1/apps/{id}/users, /lifecycle/activate...).
	FamilyApps = "apps"
	// FamilyApp is /api/v1/apps/{id} only, any method.
	FamilyApp = "apps-id"
	// FamilyLogs is /api/v1/logs and below.
	FamilyLogs = "logs"
	// FamilyEvents is the legacy /api/v1/events and below.
	FamilyEvents = "events"
	// FamilyAuthn is /api/v1/authn and below (Okta's "/authn*"), except factor verification.
	FamilyAuthn = "authn"
	// FamilyAuthnVerify is /api/v1/authn/factors/{id}/verify only.
	FamilyAuthnVerify = "authn-factors-verify"
	// FamilySessions is /api/v1/sessions and below (/api/v1/sessions/{id}, /me, /refresh...).
	FamilySessions = "sessions"
	// FamilyOAuth2Clients is /oauth2/v1/clients and below (dynamic client registration).
	FamilyOAuth2Clients = "oauth2-clients"
	// FamilyOther is "everything else under /api/v1". Family also returns it for paths outside
	// /api/v1 that the table does not name; the HTTP layer decides whether such paths (health
	// checks, /.well-known) go through the limiter at all.
	FamilyOther = "other"
)

// route is one row of the bucket table. A route matches when the method is one of methods
// (nil: any) and the path's segments equal pattern, where "*" stands for any one non-empty
// segment. A prefix route also matches every path below the pattern.
type route struct {
	family  string
	methods []string
	pattern []string
	prefix  bool
	// literals counts the non-"*" segments; when two exact routes match, the one with more
	// literal segments wins, so /api/v1/groups/rules beats /api/v1/groups/{id}.
	literals int
}

// routes follows Okta's rule: an exact route wins first, then the longest matching prefix.
// The order of the slice does not matter; Family implements the precedence.
//
// Choices where the table is terse:
//   - HEAD counts as GET (Go's ServeMux serves HEAD with the GET handler).
//   - The users rows are method- and path-exact ("Only GET or POST to /api/v1/users"), so
//     /api/v1/users/{id}/lifecycle/activate, PATCH /api/v1/users/{id} and DELETE /api/v1/users
//     fall to FamilyOther, as they do at Okta.
//   - Groups and apps are prefix rows with an exact exception, so sub-resources such as
//     /api/v1/groups/{id}/users and /api/v1/apps/{id}/users count against the collection bucket.
//   - A "{id}" segment never matches a literal collection name the API defines at that place:
//     /api/v1/groups/rules is the group-rules collection and counts as FamilyGroups.
//   - A single trailing slash is ignored and a query string is cut off.
var routes = withLiterals([]route{
	{family: FamilyUsers, methods: []string{"GET", "HEAD", "POST"}, pattern: seg("api/v1/users")},
	{family: FamilyUserGet, methods: []string{"GET", "HEAD"}, pattern: seg("api/v1/users/*")},
	{family: FamilyUserWrite, methods: []string{"POST", "PUT", "DELETE"}, pattern: seg("api/v1/users/*")},
	{family: FamilyGroup, pattern: seg("api/v1/groups/*")},
	{family: FamilyApp, pattern: seg("api/v1/apps/*")},
	// "rules" is a collection, not a group id (GET/POST /api/v1/groups/rules).
	{family: FamilyGroups, pattern: seg("api/v1/groups/rules")},
	{family: FamilyAuthnVerify, pattern: seg("api/v1/authn/factors/*/verify")},

	{family: FamilyGroups, pattern: seg("api/v1/groups"), prefix: true},
	{family: FamilyApps, pattern: seg("api/v1/apps"), prefix: true},
	{family: FamilyLogs, pattern: seg("api/v1/logs"), prefix: true},
	{family: FamilyEvents, pattern: seg("api/v1/events"), prefix: true},
	{family: FamilyAuthn, pattern: seg("api/v1/authn"), prefix: true},
	{family: FamilySessions, pattern: seg("api/v1/sessions"), prefix: true},
	{family: FamilyOAuth2Clients, pattern: seg("oauth2/v1/clients"), prefix: true},
	{family: FamilyOther, pattern: seg("api/v1"), prefix: true},
})

func withLiterals(rs []route) []route {
	for i := range rs {
		for _, p := range rs[i].pattern {
			if p != "*" {
				rs[i].literals++
			}
		}
	}
	return rs
}

// families lists every family name once, in table order.
var families = []string{
	FamilyUsers, FamilyUserGet, FamilyUserWrite, FamilyGroups, FamilyGroup, FamilyApps, FamilyApp,
	FamilyLogs, FamilyEvents, FamilyAuthn, FamilyAuthnVerify, FamilySessions, FamilyOAuth2Clients,
	FamilyOther,
}

func seg(p string) []string { return strings.Split(p, "/") }

// Families returns every family name, in the order of Okta's table.
func Families() []string { return append([]string(nil), families...) }

// Family returns the rate-limit bucket of a request. path is the URL path as sent, preferably
// still escaped (r.URL.EscapedPath()), so that a login containing %2F stays one segment.
func Family(method, path string) string {
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	path = strings.TrimPrefix(path, "/")
	if len(path) > 0 && path[len(path)-1] == '/' {
		path = path[:len(path)-1]
	}
	segs := splitPath(path)
	exactFamily, exactLiterals := "", -1
	prefixFamily, prefixLen := FamilyOther, -1
	for i := range routes {
		r := &routes[i]
		if !methodMatches(r.methods, method) {
			continue
		}
		n, exact := segs.match(r.pattern)
		switch {
		case n < 0:
		case !r.prefix && exact && r.literals > exactLiterals:
			exactFamily, exactLiterals = r.family, r.literals
		case r.prefix && n > prefixLen:
			prefixFamily, prefixLen = r.family, n
		}
	}
	if exactFamily != "" {
		return exactFamily
	}
	return prefixFamily
}

func methodMatches(methods []string, method string) bool {
	if methods == nil {
		return true
	}
	for _, m := range methods {
		if m == method {
			return true
		}
	}
	return false
}

// maxSegments bounds the segments Family looks at; no pattern is longer.
const maxSegments = 8

// segments is a path split at '/', kept on the stack so that Family does not allocate.
type segments struct {
	seg [maxSegments]string
	n   int // total number of segments, which may exceed maxSegments
}

func splitPath(path string) segments {
	var s segments
	if path == "" {
		return s
	}
	for {
		part, rest, more := strings.Cut(path, "/")
		if s.n < maxSegments {
			s.seg[s.n] = part
		}
		s.n++
		if !more {
			return s
		}
		path = rest
	}
}

// match reports whether pattern is a segment-wise prefix of the path, returning the number of
// pattern segments (or -1 on mismatch) and whether the path has no further segments.
func (s *segments) match(pattern []string) (int, bool) {
	if len(pattern) > s.n || len(pattern) > maxSegments {
		return -1, false
	}
	for i, p := range pattern {
		if p == "*" {
			if s.seg[i] == "" {
				return -1, false
			}
		} else if s.seg[i] != p {
			return -1, false
		}
	}
	return len(pattern), s.n == len(pattern)
}
