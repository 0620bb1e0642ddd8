package httpapi

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// pathKinds names the resource kind of the id that follows a path segment, for the 404 of an
// id that cannot exist.
var pathKinds = map[string]string{
	"users": "User", "groups": "UserGroup", "api-tokens": "ApiToken", "zones": "NetworkZone",
	"trustedOrigins": "TrustedOrigin", "types": "UserType", "schemas": "UserSchema",
}

// checkPathIDs refuses, as 404 E0000007, a path id no stored resource can have: one with a NUL
// or invalid UTF-8 (from %00 or %FF in the URL). Such a value never reaches the store, where
// PostgreSQL would reject it as a query parameter and the caller would see a 500.
func checkPathIDs(r *http.Request) error {
	segs := strings.Split(r.Pattern, "/")
	for i, seg := range segs {
		name, ok := strings.CutPrefix(seg, "{")
		if !ok {
			continue
		}
		name = strings.TrimSuffix(strings.TrimSuffix(name, "}"), "...")
		v := r.PathValue(name)
		if utf8.ValidString(v) && strings.IndexByte(v, 0) < 0 {
			if r.Pattern != groupRuleStandIn && specLiteral(segs[1:], i-1, v) {
				return errPathNotFound // a spec path okapi does not serve (specliterals.go)
			}
			continue
		}
		kind := "Resource"
		if i > 0 {
			if k, ok := pathKinds[segs[i-1]]; ok {
				kind = k
			}
		}
		if segs[i-1] == "user" && i > 1 { // /meta/types/user/{id}, /meta/schemas/user/{id}
			kind = pathKinds[segs[i-2]]
		}
		shown := strings.ReplaceAll(strings.ToValidUTF8(v, "\uFFFD"), "\x00", "\uFFFD")
		return domain.NotFound(shown, kind)
	}
	return nil
}
