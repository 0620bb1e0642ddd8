package origin

import (
	"strconv"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDPrefix starts every trusted origin id: "tos" and 17 base62 characters.
const IDPrefix = "tos"

// Limits from Okta's documentation.
const (
	MaxNameLength = 255
	MaxScopes     = 3
)

// ScopeType says what a trusted origin may do.
type ScopeType string

// Scope types.
const (
	ScopeCORS        ScopeType = "CORS"
	ScopeRedirect    ScopeType = "REDIRECT"
	ScopeIframeEmbed ScopeType = "IFRAME_EMBED"
)

// AppOktaEndUser is the one allowedOktaApps value Okta's spec lists for IFRAME_EMBED.
const AppOktaEndUser = "OKTA_ENDUSER"

// Status is a trusted origin's lifecycle status.
type Status string

// Trusted origin statuses.
const (
	StatusActive   Status = "ACTIVE"
	StatusInactive Status = "INACTIVE"
)

// Scope is one permission of a trusted origin. AllowedOktaApps applies to IFRAME_EMBED only.
type Scope struct {
	Type            ScopeType `json:"type"`
	AllowedOktaApps []string  `json:"allowedOktaApps,omitempty"`
}

// TrustedOrigin is an Okta Trusted Origin. Origin is stored as the client wrote it (the Terraform
// provider compares it with its configuration); comparisons use Normalize. Scopes keep the order
// they were given in.
type TrustedOrigin struct {
	ID            string      `json:"id"`
	Name          string      `json:"name"`
	Origin        string      `json:"origin"`
	Scopes        []Scope     `json:"scopes"`
	Status        Status      `json:"status"`
	Created       domain.Time `json:"created"`
	CreatedBy     string      `json:"createdBy"`
	LastUpdated   domain.Time `json:"lastUpdated"`
	LastUpdatedBy string      `json:"lastUpdatedBy"`
}

// SetDefaults fills what a create or replace may omit: status ACTIVE.
func (o *TrustedOrigin) SetDefaults() {
	if o.Status == "" {
		o.Status = StatusActive
	}
}

// Validate checks a trusted origin for create or replace. It returns nil or a 400 E0000001 domain
// error with one cause per problem; a bad origin gives Okta's "origin: Origin value is not valid".
// Uniqueness of name and origin needs the store, so the service checks it (compare origins by
// their Normalize form).
func (o TrustedOrigin) Validate() error {
	var fe domain.FieldErrors
	switch {
	case isBlank(o.Name):
		fe.Add("name", "The field cannot be left blank")
	case utf8.RuneCountInString(o.Name) > MaxNameLength:
		fe.Add("name", "The field cannot exceed "+strconv.Itoa(MaxNameLength)+" characters")
	}
	if o.Origin == "" {
		fe.Add("origin", "The field cannot be left blank")
	} else if _, ok := normalize(o.Origin); !ok {
		fe.Add("origin", "Origin value is not valid")
	}
	validateScopes(&fe, o.Scopes)
	switch o.Status {
	case "", StatusActive, StatusInactive:
	default:
		fe.Add("status", "The status: "+string(o.Status)+" is invalid. Use ACTIVE or INACTIVE.")
	}
	return fe.Err()
}

func validateScopes(fe *domain.FieldErrors, scopes []Scope) {
	switch {
	case len(scopes) == 0:
		fe.Add("scopes", "At least one scope is required.")
		return
	case len(scopes) > MaxScopes:
		fe.Add("scopes", "A trusted origin can have at most "+strconv.Itoa(MaxScopes)+" scopes.")
		return
	}
	seen := make(map[ScopeType]bool, len(scopes))
	for _, s := range scopes {
		switch s.Type {
		case ScopeCORS, ScopeRedirect, ScopeIframeEmbed:
		default:
			fe.Add("scopes", "The scope type: "+string(s.Type)+" is invalid. Use CORS, REDIRECT or IFRAME_EMBED.")
			continue
		}
		if seen[s.Type] {
			fe.Add("scopes", "The scope type: "+string(s.Type)+" is listed more than once.")
		}
		seen[s.Type] = true
		if len(s.AllowedOktaApps) > 0 && s.Type != ScopeIframeEmbed {
			fe.Add("scopes", "allowedOktaApps is only valid for the IFRAME_EMBED scope.")
			continue
		}
		for _, app := range s.AllowedOktaApps {
			if app != AppOktaEndUser {
				fe.Add("scopes", "The app: "+app+" is invalid. Use OKTA_ENDUSER.")
			}
		}
	}
}

// HasScope reports whether o grants scope t.
func (o TrustedOrigin) HasScope(t ScopeType) bool {
	for _, s := range o.Scopes {
		if s.Type == t {
			return true
		}
	}
	return false
}

// IsID reports whether id has the form of a trusted origin id, so a handler can answer 404
// without a lookup.
func IsID(id string) bool {
	return domain.ValidID(id, IDPrefix)
}

func isBlank(s string) bool {
	for _, r := range s {
		if r != ' ' && r != '\t' && r != '\n' && r != '\r' {
			return false
		}
	}
	return true
}
