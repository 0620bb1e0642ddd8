// Package origin holds Okta's Trusted Origin rules: the resource, origin validation and the exact
// origin matching that drives CORS. It imports only the standard library and internal/domain.
package origin

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// MaxOriginLength is Okta's limit on the origin field, in bytes (an origin is ASCII).
const MaxOriginLength = 255

// defaultPorts holds the schemes Okta documents for trusted origins (http, https, ftp, Ionic 2,
// Capacitor) and each one's default port. chrome-extension:// and other browser-extension schemes
// are not on Okta's list and are rejected.
var defaultPorts = map[string]int{"http": 80, "https": 443, "ftp": 21, "ionic": 0, "capacitor": 0}

// errInvalid is Okta's answer to any bad origin value.
func errInvalid() error {
	return domain.Validation("origin", "origin: Origin value is not valid")
}

// Normalize checks an origin and returns its canonical form, used to compare origins. It fails
// with 400 E0000001 "Api validation failed: origin" and the cause "origin: Origin value is not
// valid".
//
// An origin is scheme "://" host [":" port] and nothing else, as a browser sends it in the Origin
// header: no userinfo, path, query or fragment, and no trailing "/" (that is a path; browsers never
// send one, and accepting it would make the stored value differ from what matches). The
// rules, chosen to make look-alikes fail rather than match:
//   - scheme: http, https, ftp, ionic or capacitor, in any ASCII case;
//   - host: a DNS name of ASCII letters, digits, "-" and "_" with non-empty labels (so no
//     trailing dot), at most 253 bytes; or a dotted-quad IPv4 address; or a bracketed IPv6
//     address without zone. A name whose last label is numeric must be a valid IPv4 address (so
//     "http://127.1" and "http://0x7f.0.0.1" fail). Non-ASCII hosts fail: browsers send
//     internationalised names as punycode ("xn--...");
//   - port: 1 to 65535, decimal.
//
// The canonical form has the scheme and host in lower case (ASCII only: no Unicode case folding,
// so the Kelvin sign never turns into "k"), IP addresses in their canonical spelling, and the port
// dropped when it is the scheme's default.
func Normalize(origin string) (string, error) {
	n, ok := normalize(origin)
	if !ok {
		return "", errInvalid()
	}
	return n, nil
}

func normalize(s string) (string, bool) {
	if len(s) > MaxOriginLength {
		return "", false
	}
	scheme, rest, ok := strings.Cut(s, "://")
	if !ok {
		return "", false
	}
	scheme = asciiLower(scheme)
	defPort, ok := defaultPorts[scheme]
	if !ok {
		return "", false
	}
	for i := 0; i < len(rest); i++ {
		if c := rest[i]; c <= ' ' || c >= 0x7f || strings.IndexByte(`/?#@\%`, c) >= 0 {
			return "", false
		}
	}
	host, portS, ok := splitHostPort(rest)
	if !ok {
		return "", false
	}
	host, ok = normalizeHost(host)
	if !ok {
		return "", false
	}
	out := scheme + "://" + host
	if portS != "" {
		port, ok := parsePort(portS)
		if !ok {
			return "", false
		}
		if port != defPort {
			out += ":" + strconv.Itoa(port)
		}
	}
	return out, true
}

// splitHostPort splits "host", "host:port", "[v6]" or "[v6]:port". A present but empty port fails.
func splitHostPort(s string) (host, port string, ok bool) {
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 0 {
			return "", "", false
		}
		host, after := s[:end+1], s[end+1:]
		if after == "" {
			return host, "", true
		}
		if after[0] != ':' || len(after) == 1 {
			return "", "", false
		}
		return host, after[1:], true
	}
	host, port, hasPort := strings.Cut(s, ":")
	if hasPort && port == "" {
		return "", "", false
	}
	return host, port, true
}

func parsePort(s string) (int, bool) {
	if len(s) > 5 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= 65535
}

func normalizeHost(h string) (string, bool) {
	if strings.HasPrefix(h, "[") {
		a, err := netip.ParseAddr(h[1 : len(h)-1])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return "", false
		}
		return "[" + a.String() + "]", true
	}
	if h == "" || len(h) > 253 {
		return "", false
	}
	h = asciiLower(h)
	labels := strings.Split(h, ".")
	for _, l := range labels {
		if l == "" || len(l) > 63 {
			return "", false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return "", false
			}
		}
	}
	// WHATWG URL parsing reads a host ending in a numeric label as IPv4, in decimal, octal or
	// hex; only the unambiguous dotted quad is accepted.
	if last := labels[len(labels)-1]; isDigits(last) || strings.HasPrefix(last, "0x") {
		a, err := netip.ParseAddr(h)
		if err != nil || !a.Is4() {
			return "", false
		}
		return a.String(), true
	}
	return h, true
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// asciiLower lowers A-Z only; Unicode case mapping would let look-alikes collapse onto ASCII.
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}
