package origin

// Matcher answers whether a request's Origin is trusted for a scope. It is built once from the
// stored trusted origins and is safe for concurrent use; rebuild it when they change.
type Matcher struct {
	allowed map[ScopeType]map[string]bool // scope → normalised origin
}

// NewMatcher indexes the ACTIVE origins by scope. Inactive origins and stored values that do not
// normalise are left out, so they match nothing.
func NewMatcher(origins []TrustedOrigin) *Matcher {
	m := &Matcher{allowed: make(map[ScopeType]map[string]bool)}
	for _, o := range origins {
		if o.Status != StatusActive {
			continue
		}
		n, ok := normalize(o.Origin)
		if !ok {
			continue
		}
		for _, s := range o.Scopes {
			if m.allowed[s.Type] == nil {
				m.allowed[s.Type] = make(map[string]bool)
			}
			m.allowed[s.Type][n] = true
		}
	}
	return m
}

// Allows reports whether requestOrigin, as sent in an Origin header, equals (after Normalize) an
// ACTIVE trusted origin with the given scope. "null", a value that is not an origin, and
// anything differing in scheme, host or effective port do not match.
func (m *Matcher) Allows(requestOrigin string, scope ScopeType) bool {
	if m == nil {
		return false
	}
	n, ok := normalize(requestOrigin)
	return ok && m.allowed[scope][n]
}

// AllowsCORS is Allows(requestOrigin, ScopeCORS): whether a cross-origin request from
// requestOrigin gets CORS headers. The response should echo requestOrigin as sent in
// Access-Control-Allow-Origin.
func (m *Matcher) AllowsCORS(requestOrigin string) bool {
	return m.Allows(requestOrigin, ScopeCORS)
}
