package role

import (
	"net/url"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Id prefixes of resource sets and their resources, as Okta's look.
const (
	PrefixResourceSet = "iam"
	PrefixResource    = "ire"
)

// MaxResources is how many resources one create or patch may name (CreateResourceSetRequest).
const MaxResources = 1000

// ResourceSet is a named set of resources a custom role is bound to (/api/v1/iam/resource-sets).
type ResourceSet struct {
	ID          string      `json:"id"`
	Label       string      `json:"label"`
	Description string      `json:"description"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
}

// Resource is one member of a resource set, named as given: an Okta Resource Name (ORN) or a
// REST URL of the org's API (Okta's Roles guide, "Okta Resource Name").
type Resource struct {
	ID          string      `json:"id"`
	ORN         string      `json:"orn,omitempty"`
	URL         string      `json:"url,omitempty"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
}

// ValidateResourceSet checks a create or replace: label and description are required.
func ValidateResourceSet(label, description string) error {
	var fe domain.FieldErrors
	labelled(&fe, label, description)
	return fe.Err()
}

// resourceFamilies are the API paths a REST-URL resource may point at.
var resourceFamilies = []string{"/api/v1/users", "/api/v1/groups", "/api/v1/apps", "/api/v1/authorizationServers",
	"/api/v1/idps", "/api/v1/policies", "/api/v1/iam/roles", "/api/v1/iam/resource-sets"}

// ParseResource reads one entry of a resources list: an ORN ("orn:okta:…") or an absolute
// https/http URL whose path is one of the org's resource families (e.g.
// https://acme.okta.com/api/v1/groups/00g…, or …/api/v1/users for all users).
func ParseResource(s string) (Resource, bool) {
	if strings.HasPrefix(s, "orn:") {
		parts := strings.Split(s, ":")
		return Resource{ORN: s}, len(parts) >= 4 && parts[1] != "" && !strings.ContainsAny(s, " \t\n")
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return Resource{}, false
	}
	for _, f := range resourceFamilies {
		if u.Path == f || strings.HasPrefix(u.Path, f+"/") {
			return Resource{URL: s}, true
		}
	}
	return Resource{}, false
}

// Key identifies a resource for duplicates: the ORN, or the URL as given.
func (r Resource) Key() string {
	if r.ORN != "" {
		return r.ORN
	}
	return r.URL
}
