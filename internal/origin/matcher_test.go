package origin

import "testing"

func TestMatcherAllowsCORS(t *testing.T) {
	m := NewMatcher([]TrustedOrigin{
		{Origin: "https://app.example.com", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}}},
		{Origin: "http://localhost:8080", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}, {Type: ScopeRedirect}}},
		{Origin: "HTTPS://Upper.Example.com:443", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}}},
		{Origin: "capacitor://localhost", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}}},
		{Origin: "http://[::1]:3000", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}}},
		{Origin: "https://redirect-only.example.com", Status: StatusActive, Scopes: []Scope{{Type: ScopeRedirect}}},
		{Origin: "https://inactive.example.com", Status: StatusInactive, Scopes: []Scope{{Type: ScopeCORS}}},
		{Origin: "https://broken.example.com/", Status: StatusActive, Scopes: []Scope{{Type: ScopeCORS}}},
	})
	tests := []struct {
		origin string
		want   bool
	}{
		{"https://app.example.com", true},
		{"https://app.example.com:443", true},
		{"HTTPS://APP.EXAMPLE.COM", true}, // same origin: ASCII case is not significant
		{"http://localhost:8080", true},
		{"https://upper.example.com", true},
		{"capacitor://localhost", true},
		{"http://[0::1]:3000", true},

		{"https://app.example.com.evil.test", false},
		{"https://evil.test.app.example.com", false},
		{"https://evilapp.example.com", false},
		{"https://app.example.co", false},
		{"https://app.example.com.", false},
		{"http://app.example.com", false},
		{"https://app.example.com:8443", false},
		{"http://localhost", false},
		{"http://localhost:8081", false},
		{"https://localhost:8080", false},
		{"https://app.example.com@evil.test", false},
		{"https://evil.test@app.example.com", false},
		{"https://app.example.com/", false},
		{"https://app.example.com/path", false},
		{"https://app.example.com#", false},
		{"null", false},
		{"", false},
		{"*", false},
		{"https://app.example.com https://evil.test", false},
		{"https://app.example.com,https://evil.test", false},
		{"https://\u212Aapp.example.com", false},
		{"https://app.exampIe.com", false}, // capital I for l
		{"https://аpp.example.com", false}, // Cyrillic а
		{"https://app.example.com%00", false},
		{"https://app.example.com\x00", false},
		{"ionic://localhost", false},
		{"capacitor://localhost:8080", false},
		{"https://redirect-only.example.com", false},
		{"https://inactive.example.com", false},
		{"https://broken.example.com", false},
		{"https://broken.example.com/", false},
	}
	for _, tt := range tests {
		if got := m.AllowsCORS(tt.origin); got != tt.want {
			t.Errorf("AllowsCORS(%q) = %v, want %v", tt.origin, got, tt.want)
		}
	}
	if !m.Allows("https://redirect-only.example.com", ScopeRedirect) || m.Allows("https://app.example.com", ScopeRedirect) {
		t.Error("Allows(REDIRECT) wrong")
	}
	var none *Matcher
	if none.AllowsCORS("https://app.example.com") || NewMatcher(nil).AllowsCORS("https://app.example.com") {
		t.Error("empty matcher allows")
	}
}
