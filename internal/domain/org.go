package domain

import "context"

// Org is one isolated tenant. Every stored row carries its org id.
type Org struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Created Time   `json:"created"`
}

// DefaultOrgName names the org served when a request names no other.
const DefaultOrgName = "default"

// Caller is who made a request and from where: the org it addresses, the API token and its
// owner, and the client context the seed asks for. Handlers put it in the context once; services
// read it to stamp log events.
type Caller struct {
	OrgID          string
	TokenID        string
	UserID         string
	Login          string
	DisplayName    string
	RequestID      string
	UserAgent      string
	IP             string
	IPChain        []string
	Zone           string
	AcceptLanguage string
	Fingerprint    string
	RequestURI     string
	URL            string
}

type callerKey struct{}

// WithCaller stores c in ctx.
func WithCaller(ctx context.Context, c *Caller) context.Context {
	return context.WithValue(ctx, callerKey{}, c)
}

// CallerFrom returns the caller in ctx, or an empty one (for background jobs) that is never nil.
func CallerFrom(ctx context.Context) *Caller {
	if c, ok := ctx.Value(callerKey{}).(*Caller); ok {
		return c
	}
	return &Caller{}
}

// ValidOrgName reports whether name can name an org: a DNS label of 1 to 63 lower-case letters,
// digits and hyphens, not starting or ending with a hyphen, because org names are host labels.
func ValidOrgName(name string) bool {
	if len(name) == 0 || len(name) > 63 || name[0] == '-' || name[len(name)-1] == '-' {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
