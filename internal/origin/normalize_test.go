package origin

import (
	"net/http"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func TestNormalize(t *testing.T) {
	valid := map[string]string{
		"https://app.example.com":                      "https://app.example.com",
		"http://localhost:8080":                        "http://localhost:8080",
		"HTTPS://App.Example.COM":                      "https://app.example.com",
		"https://app.example.com:443":                  "https://app.example.com",
		"http://app.example.com:80":                    "http://app.example.com",
		"http://app.example.com:443":                   "http://app.example.com:443",
		"https://app.example.com:8443":                 "https://app.example.com:8443",
		"https://app.example.com:08443":                "https://app.example.com:8443",
		"ftp://files.example.com:21":                   "ftp://files.example.com",
		"ionic://localhost":                            "ionic://localhost",
		"capacitor://localhost":                        "capacitor://localhost",
		"capacitor://localhost:80":                     "capacitor://localhost:80",
		"http://127.0.0.1:3000":                        "http://127.0.0.1:3000",
		"http://[::1]:3000":                            "http://[::1]:3000",
		"http://[0:0::1]":                              "http://[::1]",
		"http://[2001:DB8::A]":                         "http://[2001:db8::a]",
		"https://xn--bcher-kva.example":                "https://xn--bcher-kva.example",
		"https://my_host.internal":                     "https://my_host.internal",
		"https://a-b.c-d.example":                      "https://a-b.c-d.example",
		"https://1password.com":                        "https://1password.com",
		"https://123.example.com":                      "https://123.example.com",
		"https://app.example.com:65535":                "https://app.example.com:65535",
		"https://" + label(63) + ".com":                "https://" + label(63) + ".com",
		"https://" + strings.Repeat("a.", 120) + "com": "https://" + strings.Repeat("a.", 120) + "com",
	}
	for in, want := range valid {
		got, err := Normalize(in)
		if err != nil || got != want {
			t.Errorf("Normalize(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	invalid := []string{
		"",
		"null",
		"app.example.com",
		"//app.example.com",
		"https://",
		"https://:443",
		"https:app.example.com",
		"https:/app.example.com",
		"https://app.example.com/",
		"https://app.example.com/path",
		"https://app.example.com?q=1",
		"https://app.example.com#frag",
		"https://user@app.example.com",
		"https://app.example.com@evil.test",
		"https://user:pw@app.example.com",
		"https://app.example.com:",
		"https://app.example.com:0",
		"https://app.example.com:65536",
		"https://app.example.com:123456",
		"https://app.example.com:+443",
		"https://app.example.com:443:443",
		"https://app.example.com.",
		"https://.app.example.com",
		"https://app..example.com",
		"https://app.example.com ",
		" https://app.example.com",
		"https://app .example.com",
		"https://app.example.com\t",
		"https://app.example.com%2fevil.test",
		`https://app.example.com\evil.test`,
		"https://bücher.example",
		"https://\u212Aelvin.example", // Kelvin sign, lower-cases to "k" in Unicode
		"https://ａｐｐ.example.com",     // full-width letters
		"https://app.example.com*",
		"https://*.example.com",
		"chrome-extension://abcdefghijklmnop",
		"file://localhost",
		"javascript://app.example.com",
		"ws://app.example.com",
		"https://[::1",
		"https://[::1]x",
		"https://[::1]:",
		"https://[1.2.3.4]",
		"https://[fe80::1%25eth0]",
		"https://::1",
		"http://127.1",
		"http://0x7f.0.0.1",
		"http://127.0.0.01",
		"http://256.0.0.1",
		"https://" + label(64) + ".com",
		"https://" + strings.Repeat("a.", 127) + "com",
		"https://" + strings.Repeat("a", 250) + ".com",
	}
	for _, in := range invalid {
		got, err := Normalize(in)
		if err == nil {
			t.Errorf("Normalize(%q) = %q, want an error", in, got)
			continue
		}
		de, ok := domain.AsError(err)
		if !ok || de.Status != http.StatusBadRequest || de.Code != "E0000001" ||
			de.Summary != "Api validation failed: origin" || len(de.Causes) != 1 ||
			de.Causes[0].Summary != "origin: Origin value is not valid" {
			t.Errorf("Normalize(%q) error = %#v, want Okta's invalid-origin error", in, err)
		}
	}
}

func label(n int) string { return strings.Repeat("x", n) }

// FuzzNormalize: a normalised origin is valid, stable and lower case.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{"https://App.example.com:443", "http://[0::1]:80", "ionic://localhost",
		"https://a@b", "http://127.1", "https://app.example.com.", "capacitor://x:08080"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Normalize(s)
		if err != nil {
			return
		}
		again, err := Normalize(n)
		if err != nil || again != n {
			t.Fatalf("Normalize(%q) = %q, then %q, %v", s, n, again, err)
		}
		_, hostPort, _ := strings.Cut(n, "://")
		if strings.ToLower(n) != n || strings.ContainsAny(hostPort, "/?#@ ") {
			t.Fatalf("Normalize(%q) = %q", s, n)
		}
	})
}
