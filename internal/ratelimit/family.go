package ratelimit

// Family names. They are stable: they appear in overrides files and in log events, so renaming
// one is a breaking change. Each names one row of Okta's management rate-limit table
// (https://developer.okta.com/docs/reference/rl-global-mgmt/). The route table
// (internal/httpapi/routes.go) assigns each route its family; this package only names them.
const (
	// FamilyUsers is GET or POST /api/v1/users (list, create). Only those two methods on that
	// exact path: Okta's row reads "Only GET or POST to /api/v1/users".
	FamilyUsers = "users"
	// FamilyUserGet is GET /api/v1/users/{idOrLogin}, including /api/v1/users/me.
	FamilyUserGet = "users-id-get"
	// FamilyUserWrite is POST, PUT or DELETE /api/v1/users/{id}.
	FamilyUserWrite = "users-id-write"
	// FamilyGroups is /api/v1/groups and every path below it except /api/v1/groups/{id} itself,
	// so /api/v1/groups/{id}/users counts here ("/api/v1/groups except /api/v1/groups/{id}").
	FamilyGroups = "groups"
	// FamilyGroup is /api/v1/groups/{id} only, any method.
	FamilyGroup = "groups-id"
	// FamilyApps is /api/v1/apps and every path below it except /api/v1/apps/{id} itself
	// (Okta's "/api/v1/apps*": /api/v1/apps/{id}/users, /lifecycle/activate...).
	FamilyApps = "apps"
	// FamilyApp is /api/v1/apps/{id} only, any method.
	FamilyApp = "apps-id"
	// FamilyLogs is /api/v1/logs and below.
	FamilyLogs = "logs"
	// FamilyEvents is the legacy /api/v1/events and below.
	FamilyEvents = "events"
	// FamilyAuthn is /api/v1/authn and below (Okta's "/authn*"), except factor verification.
	FamilyAuthn = "authn"
	// FamilyAuthnVerify is /api/v1/authn/factors/{id}/verify only.
	FamilyAuthnVerify = "authn-factors-verify"
	// FamilySessions is /api/v1/sessions and below (/api/v1/sessions/{id}, /me, /refresh...).
	FamilySessions = "sessions"
	// FamilyOAuth2Clients is /oauth2/v1/clients and below (dynamic client registration).
	FamilyOAuth2Clients = "oauth2-clients"
	// FamilyOther is "everything else under /api/v1". The HTTP layer also counts requests that
	// match no route (404, 405, failed authentication) here.
	FamilyOther = "other"
	// FamilyHealth is okapi's own, not Okta's: the probes /healthz and /readyz, counted per
	// client IP (they carry no token, so no org), so a client polling them in a loop cannot make
	// okapi spend its time answering probes (issue 24.1).
	FamilyHealth = "health"
)

// families lists every family name once, in table order.
var families = []string{
	FamilyUsers, FamilyUserGet, FamilyUserWrite, FamilyGroups, FamilyGroup, FamilyApps, FamilyApp,
	FamilyLogs, FamilyEvents, FamilyAuthn, FamilyAuthnVerify, FamilySessions, FamilyOAuth2Clients,
	FamilyOther, FamilyHealth,
}

// Families returns every family name, in the order of Okta's table.
func Families() []string { return append([]string(nil), families...) }
