package httpapi

import (
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"runtime/debug"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/netzone"
)

// requestID returns the X-Okta-Request-Id of r.
func requestID(r *http.Request) string { return domain.CallerFrom(r.Context()).RequestID }

// conventions is the middleware chain every request goes through, outermost first: request id
// and client context, access log, panic recovery, security headers, then the media-type rules.
func (s *Server) conventions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		caller := s.clientContext(r)
		r = r.WithContext(domain.WithCaller(r.Context(), caller))
		h := w.Header()
		h.Set("X-Okta-Request-Id", caller.RequestID)
		h.Set("X-Content-Type-Options", "nosniff")
		if isAPI(r.URL.Path) {
			h.Set("Cache-Control", "no-cache, no-store")
			h.Set("Pragma", "no-cache")
			h.Set("Expires", "0")
		}
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			if p := recover(); p != nil {
				s.log.Error("panic", "request_id", caller.RequestID, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				if !rec.wrote {
					s.writeError(rec, r, fmt.Errorf("panic: %v", p))
				}
			}
			s.logRequest(r.Context(), accessEntry{method: r.Method, path: r.URL.Path, status: rec.status,
				bytes: rec.bytes, duration: time.Since(start), requestID: caller.RequestID, clientIP: caller.IP})
		}()
		next.ServeHTTP(rec, r)
	})
}

// media applies the media-type rules to API requests. It runs after CORS, so a preflight is
// answered before them and an error still carries the CORS grant the browser needs to read it.
func (s *Server) media(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isAPI(r.URL.Path) {
			if err := checkMedia(r); err != nil {
				if s.rateLimitClient(w, r) {
					s.writeError(w, r, err)
				}
				return
			}
			if err := checkQuery(r.URL.RawQuery); err != nil {
				if s.rateLimitClient(w, r) {
					s.writeError(w, r, err)
				}
				return
			}
			limit := int64(maxBody)
			if isLogoUpload(r) {
				limit = maxLogoBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

// isAPI reports whether path is under /api/ (any version) or okapi's operator API.
func isAPI(path string) bool {
	return strings.HasPrefix(path, "/api/") || strings.HasPrefix(path, "/okapi/")
}

// checkMedia applies the seed's media-type rules: JSON only (the SAML metadata may be asked for
// as XML), 411 for a body-less POST/PUT without Content-Length, 413 over 1 MiB. The logo upload
// is multipart (checkLogoMedia).
func checkMedia(r *http.Request) error {
	if !acceptsJSON(r.Header.Values("Accept")) && !(isSAMLMetadata(r) && acceptsXML(r.Header.Values("Accept"))) {
		return errNotAcceptable
	}
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return nil
	}
	// HTTP/2 frames the body itself (END_STREAM), so a body without content-length is as
	// well-defined as a chunked one; the 411 rule is for HTTP/1.x only.
	framed := len(r.TransferEncoding) > 0 || r.ProtoMajor >= 2
	if r.Header.Get("Content-Length") == "" && !framed {
		return errLengthRequired
	}
	if isLogoUpload(r) {
		return checkLogoMedia(r)
	}
	if r.ContentLength > maxBody {
		return errTooLarge
	}
	// ContentLength is 0 only for a body known to be empty (-1 when chunked or streamed).
	if r.ContentLength == 0 {
		// Lifecycle POSTs come with Content-Length: 0 and no Content-Type; that is fine.
		return nil
	}
	ct := r.Header.Get("Content-Type")
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil || mt != "application/json" && !(isSeedUpload(r) && yamlTypes[mt]) {
		return errUnsupportedMedia
	}
	return nil
}

// checkQuery applies the string rules of decode to query parameters (filter, search, q,
// after...): a character that needs 4 bytes in UTF-8, a NUL or invalid UTF-8 is 400 E0000001
// naming the parameter. Okta does not support those characters, so no stored value could match,
// and PostgreSQL refuses NUL and invalid UTF-8 in a query parameter outright. A broken
// percent-escape, which would otherwise silently drop the parameter, is refused too.
func checkQuery(raw string) error {
	if raw == "" {
		return nil
	}
	q, err := url.ParseQuery(raw)
	if err != nil {
		return domain.Validation("query", "query: The query string has an invalid percent-encoding")
	}
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, s := range append([]string{k}, q[k]...) {
			if !utf8.ValidString(s) {
				return domain.Validation(k, k+": The value is not valid UTF-8")
			}
			if err := checkString(k, s); err != nil {
				return err
			}
		}
	}
	return nil
}

// acceptsJSON reports whether the Accept header values allow application/json. No header means
// anything goes.
func acceptsJSON(values []string) bool {
	if len(values) == 0 {
		return true
	}
	seen := false
	for _, v := range values {
		for _, part := range strings.Split(v, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			seen = true
			mt, params, err := mime.ParseMediaType(part)
			if err != nil {
				continue
			}
			if q := params["q"]; q == "0" || q == "0.0" || q == "0.00" || q == "0.000" {
				continue
			}
			switch mt {
			case "application/json", "application/*", "*/*":
				return true
			}
			if strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json") {
				return true
			}
		}
	}
	return !seen
}

// clientContext reads the client request context once: request id, user agent, client IP and
// chain, language and device fingerprint. The IP is resolved with okapi's --trusted-proxies
// only; authed refines it with the org's zones.
func (s *Server) clientContext(r *http.Request) *domain.Caller {
	ip, chain := netzone.Resolve(peerAddr(r), r.Header.Values("X-Forwarded-For"), s.trusted)
	c := &domain.Caller{
		RequestID:      "req" + s.svc.IDs.Random(23),
		UserAgent:      r.UserAgent(),
		AcceptLanguage: r.Header.Get("Accept-Language"),
		Fingerprint:    r.Header.Get("X-Device-Fingerprint"),
		RequestURI:     r.URL.Path,
		URL:            r.URL.RequestURI(),
	}
	c.IP, c.IPChain = addrString(ip), addrStrings(chain)
	return c
}

// peerAddr is the TCP peer; the zero Addr when it is not an IP (a Unix socket).
func peerAddr(r *http.Request) netip.Addr {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	a, _ := netip.ParseAddr(host)
	return a
}

func addrString(a netip.Addr) string {
	if !a.IsValid() {
		return ""
	}
	return a.String()
}

func addrStrings(as []netip.Addr) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.String()
	}
	return out
}

// recorder remembers the status and size for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// yamlTypes are the media types a seed file may be uploaded as besides JSON.
var yamlTypes = map[string]bool{"application/yaml": true, "application/x-yaml": true, "text/yaml": true, "text/x-yaml": true}
