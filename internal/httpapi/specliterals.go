package httpapi

import (
	_ "embed"
	"strings"
	"sync"
)

// spec_literals.txt lists, for each place where an okapi route has a path parameter, the literal
// segments Okta's spec has in that place ("api/v1/users/{}/factors catalog": the spec's
// /api/v1/users/{userId}/factors/catalog). A request with such a literal in a parameter is for
// a spec path okapi does not serve, not for an object with that id: it is answered 404
// E0000008 like any unknown path, not E0000007. TestSpecLiteralsTable keeps the file equal to
// what the spec and the route table give (OKAPI_UPDATE_SPEC_LITERALS=1 rewrites it).
//
//go:embed spec_literals.txt
var specLiteralsText string

var specLiterals = sync.OnceValue(func() map[string]map[string]bool {
	m := map[string]map[string]bool{}
	for _, line := range strings.Split(specLiteralsText, "\n") {
		prefix, lit, ok := strings.Cut(strings.TrimSpace(line), " ")
		if !ok || strings.HasPrefix(line, "#") {
			continue
		}
		if m[prefix] == nil {
			m[prefix] = map[string]bool{}
		}
		m[prefix][lit] = true
	}
	return m
})

// normalizedPrefix joins path segments with their parameters written as {}.
func normalizedPrefix(segs []string) string {
	out := make([]string, len(segs))
	for i, s := range segs {
		if strings.HasPrefix(s, "{") {
			s = "{}"
		}
		out[i] = s
	}
	return strings.Join(out, "/")
}

// specLiteral reports whether v, the value of the parameter at segs[i] of a route pattern's path
// segments (without the method), is a literal the spec has in that place.
func specLiteral(segs []string, i int, v string) bool {
	return specLiterals()[normalizedPrefix(segs[:i])][v]
}
