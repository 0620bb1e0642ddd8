package httpapi

import "testing"

func TestOrgLabel(t *testing.T) {
	for _, tc := range []struct {
		host, name string
		ok         bool
	}{
		{"acme.okapi.localhost:8443", "acme", true},
		{"ACME.Okapi.Localhost", "acme", true},
		{"acme.okapi.localhost.", "acme", true},
		{"okapi.localhost:8443", "default", true},
		{"127.0.0.1:8443", "default", true},
		{"[::1]:8443", "default", true},
		{"localhost", "default", true},
		{"elsewhere.example.com", "default", true},
		{"xokapi.localhost", "default", true},
		{"a.acme.okapi.localhost", "", false},
		{"-acme.okapi.localhost", "", false},
		{"ac_me.okapi.localhost", "", false},
	} {
		name, ok := orgLabel(tc.host, "okapi.localhost")
		if name != tc.name || ok != tc.ok {
			t.Errorf("orgLabel(%q) = %q, %v; want %q, %v", tc.host, name, ok, tc.name, tc.ok)
		}
	}
}
