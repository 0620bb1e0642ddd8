package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// badCase is one row of the bad-input matrix: a request and the answer it must get. Every row
// must also answer without a 5xx or a dropped connection, carry the security headers, echo no
// secret, write only well-formed Link headers, and leave the stored data as it was.
type badCase struct {
	name   string
	method string
	path   string // {user} {group} {zone} {origin} {token} are the fixture's ids
	body   string // sent as is, as application/json; "" sends Content-Length: 0
	header map[string]string
	status int
	code   string // the Okta errorCode when status >= 400
	cause  string // a substring of errorSummary or of an errorCauses summary (naming the field)
	// count, when >= 0 on a 200 list, is the number of items the answer must have.
	count int
	// plain marks refusals net/http makes before okapi sees the request (a malformed Host):
	// a 400 whose body is not okapi's.
	plain bool
}

// bodyRoutes are the routes whose handler decodes a JSON body. TestBadInputCoversEveryBodyRoute
// keeps the list complete.
var bodyRoutes = []string{
	"POST /api/v1/users",
	"POST /api/v1/users/{user}",
	"PUT /api/v1/users/{user}",
	"POST /api/v1/users/{user}/credentials/change_password",
	"POST /api/v1/users/{user}/credentials/change_recovery_question",
	"POST /api/v1/users/{user}/credentials/forgot_password",
	"POST /api/v1/users/{user}/credentials/forgot_password_recovery_question",
	"POST /api/v1/groups",
	"PUT /api/v1/groups/{group}",
	"POST /api/v1/zones",
	"PUT /api/v1/zones/{zone}",
	"POST /api/v1/trustedOrigins",
	"PUT /api/v1/trustedOrigins/{origin}",
	"PUT /api/v1/api-tokens/{token}",
	"POST /api/v1/meta/schemas/user/{schema}",
	"POST /api/v1/meta/schemas/group/default",
	"POST /api/v1/meta/schemas/user/linkedObjects",
	"POST /api/v1/groups/rules",
	"POST /api/v1/meta/types/user",
	"POST /api/v1/meta/types/user/{schema}",
	"PUT /api/v1/meta/types/user/{schema}",
	"PUT /api/v1/groups/rules/{grouprule}",
	"POST /api/v1/authorizationServers",
	"PUT /api/v1/authorizationServers/{as}",
	"POST /api/v1/authorizationServers/{as}/scopes",
	"PUT /api/v1/authorizationServers/{as}/scopes/{scope}",
	"POST /api/v1/authorizationServers/{as}/claims",
	"PUT /api/v1/authorizationServers/{as}/claims/{claim}",
	"POST /api/v1/authorizationServers/{as}/policies",
	"PUT /api/v1/authorizationServers/{as}/policies/{policy}",
	"POST /api/v1/authorizationServers/{as}/policies/{policy}/rules",
	"PUT /api/v1/authorizationServers/{as}/policies/{policy}/rules/{rule}",
	"POST /api/v1/eventHooks",
	"PUT /api/v1/eventHooks/{hook}",
	"POST /api/v1/idps",
	"PUT /api/v1/idps/{idp}",
	"POST /api/v1/idps/credentials/keys",
	"POST /api/v1/idps/{idp}/credentials/csrs",
	"POST /api/v1/idps/{idp}/users/{user}",
	"POST /api/v1/policies",
	"PUT /api/v1/policies/{policy}",
	"POST /api/v1/policies/{policy}/rules",
	"PUT /api/v1/policies/{policy}/rules/{policy}",
	"POST /api/v1/apps",
	"PUT /api/v1/apps/{app}",
	"POST /api/v1/apps/{app}/users",
	"POST /api/v1/apps/{app}/users/{user}",
	"PUT /api/v1/apps/{app}/groups/{group}",
	"POST /api/v1/apps/{app}/credentials/csrs",
	"POST /api/v1/apps/{app}/grants",
	"POST /api/v1/internal/apps/{app}/settings/oauth/idToken",
	"POST /api/v1/users/{user}/roles",
	"POST /api/v1/groups/{group}/roles",
	"POST /api/v1/authn",
	"POST /api/v1/authn/introspect",
	"POST /api/v1/authn/cancel",
	"POST /api/v1/authn/credentials/change_password",
	"POST /api/v1/sessions",
	"POST /api/v1/users/{user}/factors",
	"POST /api/v1/users/{user}/factors/{factor}/lifecycle/activate",
	"POST /api/v1/users/{user}/factors/{factor}/verify",
	"POST /api/v1/authn/factors/{factor}/verify",
	"POST /api/v1/authn/skip",
	"POST /api/v1/iam/roles",
	"PUT /api/v1/iam/roles/{role}",
	"POST /api/v1/iam/roles/{role}/permissions/{perm}",
	"PUT /api/v1/iam/roles/{role}/permissions/{perm}",
	"POST /api/v1/iam/resource-sets",
	"PUT /api/v1/iam/resource-sets/{set}",
	"PATCH /api/v1/iam/resource-sets/{set}/resources",
	"POST /api/v1/org",
	"PUT /api/v1/org",
	"PUT /api/v1/org/contacts/{contact}",
}

// idRoutes are routes with an id in the path that need no body: a traversal, NUL, invalid
// UTF-8 or absurdly long id must be a plain 404 on each.
var idRoutes = []string{
	"GET /api/v1/users/%s",
	"DELETE /api/v1/users/%s",
	"POST /api/v1/users/%s/lifecycle/activate",
	"POST /api/v1/users/%s/lifecycle/suspend",
	"POST /api/v1/users/%s/lifecycle/expire_password_with_temp_password",
	"GET /api/v1/users/%s/groups",
	"GET /api/v1/groups/%s",
	"DELETE /api/v1/groups/%s",
	"GET /api/v1/groups/%s/users",
	"GET /api/v1/groups/%s/apps",
	"PUT /api/v1/groups/{group}/users/%s",
	"DELETE /api/v1/groups/{group}/users/%s",
	"GET /api/v1/zones/%s",
	"DELETE /api/v1/zones/%s",
	"POST /api/v1/zones/%s/lifecycle/deactivate",
	"GET /api/v1/trustedOrigins/%s",
	"DELETE /api/v1/trustedOrigins/%s",
	"POST /api/v1/trustedOrigins/%s/lifecycle/deactivate",
	"GET /api/v1/api-tokens/%s",
	"DELETE /api/v1/api-tokens/%s",
	"GET /api/v1/meta/types/user/%s",
	"GET /api/v1/eventHooks/%s",
	"DELETE /api/v1/eventHooks/%s",
	"POST /api/v1/eventHooks/%s/lifecycle/activate",
	"POST /api/v1/eventHooks/%s/lifecycle/verify",
	"GET /api/v1/idps/%s",
	"DELETE /api/v1/idps/%s",
	"POST /api/v1/idps/%s/lifecycle/activate",
	"GET /api/v1/idps/%s/credentials/keys",
	"GET /api/v1/idps/credentials/keys/%s",
	"DELETE /api/v1/idps/credentials/keys/%s",
	"GET /api/v1/idps/{idp}/credentials/keys/%s",
	"GET /api/v1/idps/{idp}/credentials/csrs/%s",
	"GET /api/v1/idps/{idp}/users/%s",
	"GET /api/v1/policies/%s",
	"DELETE /api/v1/policies/%s",
	"POST /api/v1/policies/%s/lifecycle/activate",
	"POST /api/v1/policies/%s/clone",
	"GET /api/v1/policies/%s/rules",
	"GET /api/v1/policies/{policy}/rules/%s",
	"DELETE /api/v1/policies/{policy}/rules/%s",
	"GET /api/v1/apps/%s",
	"DELETE /api/v1/apps/%s",
	"POST /api/v1/apps/%s/lifecycle/activate",
	"GET /api/v1/apps/%s/users",
	"GET /api/v1/apps/{app}/users/%s",
	"GET /api/v1/apps/{app}/groups/%s",
	"GET /api/v1/apps/{app}/credentials/keys/%s",
	"GET /api/v1/apps/{app}/credentials/csrs/%s",
}

// badBodies are sent to every body route.
var badBodies = []struct {
	name, body string
	status     int
	code       string
	cause      string
	header     map[string]string
}{
	{"malformed", `{"profile":`, 400, "E0000003", "", nil},
	{"trailing garbage", `{} x`, 400, "E0000003", "", nil},
	{"array at top", `[{"profile":{}}]`, 400, "E0000001", "body", nil},
	{"string at top", `"profile"`, 400, "E0000001", "body", nil},
	{"NUL escape in a value", `{"zzz":"a\u0000b"}`, 400, "E0000001", "zzz", nil},
	{"NUL escape in a key", `{"a\u0000b":"x"}`, 400, "E0000001", "a", nil},
	{"NUL deep in arrays", `{"x":[{"y":["ok","\u0000"]}]}`, 400, "E0000001", "x[0].y[1]", nil},
	{"raw NUL byte", "{\"zzz\":\"a\x00b\"}", 400, "E0000003", "", nil},
	{"4-byte UTF-8", `{"zzz":"😀"}`, 400, "E0000001", "zzz", nil},
	{"surrogate pair escape", `{"zzz":"\ud83d\ude00"}`, 400, "E0000001", "zzz", nil},
	{"invalid UTF-8", "{\"zzz\":\"\xff\xfe\"}", 400, "E0000001", "body", nil},
	{"lone surrogate escape", `{"zzz":"\ud83d"}`, 400, "E0000001", "body", nil},
	{"duplicate key", `{"zzz":"a","zzz":"b"}`, 400, "E0000003", "zzz", nil},
	{"deep nesting", strings.Repeat("[", 20000) + strings.Repeat("]", 20000), 400, "E0000003", "", nil},
	{"over 1 MiB", `{"zzz":"` + strings.Repeat("a", 1<<20) + `"}`, 413, "E0000002", "", nil},
	{"text/plain", `{}`, 415, "E0000012", "", map[string]string{"Content-Type": "text/plain"}},
	{"form encoded", `a=b`, 415, "E0000012", "", map[string]string{"Content-Type": "application/x-www-form-urlencoded"}},
}

var (
	hugeString = strings.Repeat("x", 300_000)
	qe         = url.QueryEscape
)

// badMatrix is the whole matrix: hand-written rows first, then the generated ones.
func badMatrix() []badCase {
	any := -1
	cases := []badCase{
		// Authentication: every unauthenticated request is the same 401, whatever it asks about.
		{name: "no token", method: "GET", path: "/api/v1/users", header: map[string]string{"Authorization": ""}, status: 401, code: "E0000011"},
		{name: "no token, existing login", method: "GET", path: "/api/v1/users/obrien@example.com", header: map[string]string{"Authorization": ""}, status: 401, code: "E0000011"},
		{name: "no token, unknown login", method: "GET", path: "/api/v1/users/nobody@example.com", header: map[string]string{"Authorization": ""}, status: 401, code: "E0000011"},
		{name: "wrong token, existing login", method: "GET", path: "/api/v1/users/obrien@example.com", header: map[string]string{"Authorization": "SSWS 00wrongwrongwrongwrongwrongwrongwrongwrong"}, status: 401, code: "E0000011"},
		{name: "Bearer scheme", method: "GET", path: "/api/v1/users", header: map[string]string{"Authorization": "Bearer abcdefghijklmnop"}, status: 401, code: "E0000011"},
		{name: "huge token", method: "GET", path: "/api/v1/users", header: map[string]string{"Authorization": "SSWS " + strings.Repeat("A", 8000)}, status: 401, code: "E0000011"},
		{name: "token with high bytes", method: "GET", path: "/api/v1/users", header: map[string]string{"Authorization": "SSWS 00\xff\xfe\xfdabcdefghijk"}, status: 401, code: "E0000011"},
		{name: "token with SQL", method: "GET", path: "/api/v1/users", header: map[string]string{"Authorization": "SSWS ' OR '1'='1' --"}, status: 401, code: "E0000011"},
		{name: "no token on a write", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"x"}}`, header: map[string]string{"Authorization": ""}, status: 401, code: "E0000011"},

		// Paths and verbs.
		{name: "other API version", method: "GET", path: "/api/v2/users", status: 404, code: "E0000008"},
		{name: "unknown path", method: "GET", path: "/api/v1/nothing", status: 404, code: "E0000008"},
		{name: "trailing slash on a list", method: "GET", path: "/api/v1/users/", status: 404, code: "E0000008"},
		{name: "PATCH users", method: "PATCH", path: "/api/v1/users", body: `{}`, status: 405, code: "E0000022"},
		{name: "DELETE a list", method: "DELETE", path: "/api/v1/groups", status: 405, code: "E0000022"},
		{name: "traversal to a list", method: "GET", path: "/api/v1/users/..%2F..%2Fgroups", status: 404, code: "E0000007"},
		{name: "encoded slash in a group member id", method: "PUT", path: "/api/v1/groups/{group}/users/{user}%2F..", status: 404, code: "E0000007"},
		{name: "Accept text/html", method: "GET", path: "/api/v1/users", header: map[string]string{"Accept": "text/html"}, status: 406, code: "E0000122"},
		{name: "Accept garbage", method: "GET", path: "/api/v1/users", header: map[string]string{"Accept": `"><script>`}, status: 406, code: "E0000122"},

		// Users: create.
		{name: "user without profile", method: "POST", path: "/api/v1/users", body: `{}`, status: 400, code: "E0000001", cause: "profile"},
		{name: "user profile is a string", method: "POST", path: "/api/v1/users", body: `{"profile":"x"}`, status: 400, code: "E0000001", cause: "profile"},
		{name: "user login is a number", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":5,"email":"a@b.c","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "login"},
		{name: "user login empty", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"","email":"a@b.c","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "login"},
		{name: "user login huge", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"` + hugeString + `@example.com","email":"a@b.c","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "login"},
		{name: "user login taken", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"OBRIEN@example.com","email":"a@b.c","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "login"},
		{name: "user login with NUL", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"a\u0000@example.com","email":"a@b.c","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "profile.login"},
		{name: "user lastName with NUL", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"n@example.com","email":"n@example.com","firstName":"a","lastName":"\u0000"}}`, status: 400, code: "E0000001", cause: "profile.lastName"},
		{name: "user password is a number", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"p@example.com","email":"p@example.com","firstName":"a","lastName":"b"},"credentials":{"password":{"value":12345678}}}`, status: 400, code: "E0000001", cause: "credentials.password.value"},
		{name: "user password too short", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"p@example.com","email":"p@example.com","firstName":"a","lastName":"b"},"credentials":{"password":{"value":"ab"}}}`, status: 400, code: "E0000001", cause: "password"},
		{name: "user password with NUL", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"p@example.com","email":"p@example.com","firstName":"a","lastName":"b"},"credentials":{"password":{"value":"Abcdefgh1\u0000"}}}`, status: 400, code: "E0000001", cause: "credentials.password.value"},
		{name: "user profile deep nesting", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"d@example.com","email":"d@example.com","firstName":"a","lastName":"b","deep":` + strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000) + `}}`, status: 400, code: "E0000001", cause: "deep"},
		{name: "user profile huge array", method: "POST", path: "/api/v1/users", body: `{"profile":{"login":"h@example.com","email":"h@example.com","firstName":"a","lastName":"b","many":[` + strings.TrimSuffix(strings.Repeat(`1,`, 100000), ",") + `]}}`, status: 400, code: "E0000001", cause: "many"},
		{name: "user credentials a string", method: "POST", path: "/api/v1/users", body: `{"credentials":"x","profile":{"login":"s@example.com","email":"s@example.com","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "credentials"},
		{name: "activate is not a boolean", method: "POST", path: "/api/v1/users?activate=maybe", body: `{"profile":{"login":"q@example.com","email":"q@example.com","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "activate"},
		{name: "activate with NUL", method: "POST", path: "/api/v1/users?activate=true%00", body: `{"profile":{"login":"q@example.com","email":"q@example.com","firstName":"a","lastName":"b"}}`, status: 400, code: "E0000001", cause: "activate"},
		{name: "nextLogin with NUL", method: "POST", path: "/api/v1/users?nextLogin=%00", body: `{}`, status: 400, code: "E0000001", cause: "nextLogin"},
		// Users: update.
		{name: "partial update with a wrong type", method: "POST", path: "/api/v1/users/{user}", body: `{"profile":{"firstName":["x"]}}`, status: 400, code: "E0000001", cause: "firstName"},
		{name: "replace without login", method: "PUT", path: "/api/v1/users/{user}", body: `{"profile":{"firstName":"x"}}`, status: 400, code: "E0000001", cause: "login"},
		{name: "strict is not a boolean", method: "POST", path: "/api/v1/users/{user}?strict=%27", body: `{}`, status: 400, code: "E0000001", cause: "strict"},
		{name: "update an unknown user", method: "POST", path: "/api/v1/users/00unotthere00000000", body: `{"profile":{"firstName":"x"}}`, status: 404, code: "E0000007"},
		{name: "change password, wrong old", method: "POST", path: "/api/v1/users/{user}/credentials/change_password", body: `{"oldPassword":{"value":"nope-nope-1A"},"newPassword":{"value":"Another-passw0rd!"}}`, status: 403, code: "E0000014"},
		{name: "change password, blanks", method: "POST", path: "/api/v1/users/{user}/credentials/change_password", body: `{"oldPassword":{},"newPassword":{"value":""}}`, status: 400, code: "E0000001", cause: "oldPassword"},
		{name: "change password, objects as strings", method: "POST", path: "/api/v1/users/{user}/credentials/change_password", body: `{"oldPassword":"x","newPassword":"y"}`, status: 400, code: "E0000001", cause: "oldPassword"},
		// Users: list.
		{name: "search finds the SQL-looking last name", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName eq "`+badLastName+`"`), status: 200, count: 1},
		{name: "filter finds the SQL-looking last name", method: "GET", path: "/api/v1/users?filter=" + qe(`profile.lastName eq "`+badLastName+`"`), status: 200, count: 1},
		{name: "q finds O'Brien", method: "GET", path: "/api/v1/users?q=" + qe("O'Brien"), status: 200, count: 1},
		{name: "q with a quote only", method: "GET", path: "/api/v1/users?q=" + qe(`'`), status: 200, count: 0},
		{name: "q with LIKE wildcards", method: "GET", path: "/api/v1/users?q=" + qe(`%_`), status: 200, count: 0},
		{name: "q with a backslash", method: "GET", path: "/api/v1/users?q=" + qe(`\`), status: 200, count: 0},
		{name: "search sw with LIKE wildcards", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName sw "%"`), status: 200, count: 0},
		{name: "search sw with the quote", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName sw "O'"`), status: 200, count: 1},
		{name: "search escaped NUL", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName eq "\u0000"`), status: 400, code: "E0000031"},
		{name: "filter escaped NUL", method: "GET", path: "/api/v1/users?filter=" + qe(`profile.login eq "a\u0000"`), status: 400, code: "E0000031"},
		{name: "search escaped emoji", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName eq "\ud83d\ude00"`), status: 200, count: 0},
		{name: "search custom attribute with SQL", method: "GET", path: "/api/v1/users?search=" + qe(`profile.x') OR 1=1 -- eq "a"`), status: 400, code: "E0000031"},
		{name: "search unterminated string", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName eq "O'Brien`), status: 400, code: "E0000031"},
		{name: "search semicolon outside a string", method: "GET", path: "/api/v1/users?search=" + qe(`status eq "ACTIVE"; DROP TABLE users`), status: 400, code: "E0000031"},
		{name: "search huge", method: "GET", path: "/api/v1/users?search=" + qe(`profile.lastName eq "`+strings.Repeat("z", 100_000)+`"`), status: 400, code: "E0000031", cause: "limit"},
		{name: "search deeply parenthesised", method: "GET", path: "/api/v1/users?search=" + qe(strings.Repeat("(", 5000)+`status eq "ACTIVE"`+strings.Repeat(")", 5000)), status: 400, code: "E0000031"},
		{name: "search with a long or-chain", method: "GET", path: "/api/v1/users?search=" + qe(strings.TrimSuffix(strings.Repeat(`status eq "ACTIVE" or `, 3000), " or ")), status: 400, code: "E0000031"},
		{name: "filter with an unknown attribute", method: "GET", path: "/api/v1/users?filter=" + qe(`password eq "x"`), status: 400, code: "E0000031"},
		{name: "search invalid UTF-8", method: "GET", path: "/api/v1/users?search=%FF", status: 400, code: "E0000001", cause: "search"},
		{name: "q with NUL", method: "GET", path: "/api/v1/users?q=%00", status: 400, code: "E0000001", cause: "q"},
		{name: "q invalid UTF-8", method: "GET", path: "/api/v1/users?q=%C3%28", status: 400, code: "E0000001", cause: "q"},
		{name: "q bad escape", method: "GET", path: "/api/v1/users?q=%zz", status: 400, code: "E0000001"},
		{name: "limit not a number", method: "GET", path: "/api/v1/users?limit=ten", status: 400, code: "E0000001", cause: "limit"},
		{name: "limit zero", method: "GET", path: "/api/v1/users?limit=0", status: 400, code: "E0000001", cause: "limit"},
		{name: "limit negative", method: "GET", path: "/api/v1/users?limit=-5", status: 400, code: "E0000001", cause: "limit"},
		{name: "limit huge", method: "GET", path: "/api/v1/users?limit=99999999999999999999999", status: 200, count: 2},
		{name: "limit float", method: "GET", path: "/api/v1/users?limit=1.5", status: 400, code: "E0000001", cause: "limit"},
		{name: "limit twice, first wins", method: "GET", path: "/api/v1/users?limit=1&limit=500", status: 200, count: 1},
		{name: "filter twice", method: "GET", path: "/api/v1/users?filter=" + qe(`status eq "ACTIVE"`) + "&filter=" + qe(`status eq "garbage`), status: 200, count: any},
		{name: "after garbage", method: "GET", path: "/api/v1/users?after=" + qe(`'; DROP TABLE users;--`), status: 400, code: "E0000001", cause: "after"},
		{name: "after huge", method: "GET", path: "/api/v1/users?after=" + strings.Repeat("A", 100_000), status: 400, code: "E0000001", cause: "after"},
		{name: "after with NUL", method: "GET", path: "/api/v1/users?after=%00", status: 400, code: "E0000001", cause: "after"},
		{name: "sortBy injection", method: "GET", path: "/api/v1/users?search=" + qe(`status eq "ACTIVE"`) + "&sortBy=" + qe("id; DROP TABLE users"), status: 400, code: "E0000001", cause: "sortBy"},
		{name: "sortOrder nonsense", method: "GET", path: "/api/v1/users?search=" + qe(`status eq "ACTIVE"`) + "&sortBy=id&sortOrder=sideways", status: 400, code: "E0000001", cause: "sortOrder"},
		{name: "user by login with quote", method: "GET", path: "/api/v1/users/" + url.PathEscape(`o'brien@example.com`), status: 404, code: "E0000007"},
		{name: "user by login, any case", method: "GET", path: "/api/v1/users/OBRIEN@EXAMPLE.COM", status: 200},

		// Groups.
		{name: "group without name", method: "POST", path: "/api/v1/groups", body: `{"profile":{}}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group without profile", method: "POST", path: "/api/v1/groups", body: `{}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group name a number", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":7}}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group name empty", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":""}}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group name huge", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"` + hugeString + `"}}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group name taken, other case", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"ENGINEERING"}}`, status: 400, code: "E0000001", cause: "name"},
		{name: "group name with NUL", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"a\u0000"}}`, status: 400, code: "E0000001", cause: "profile.name"},
		{name: "group profile an array", method: "POST", path: "/api/v1/groups", body: `{"profile":[]}`, status: 400, code: "E0000001", cause: "profile"},
		{name: "group description an object", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"n","description":{"a":1}}}`, status: 400, code: "E0000001", cause: "description"},
		{name: "group profile deep nesting", method: "POST", path: "/api/v1/groups", body: `{"profile":{"name":"deep","x":` + strings.Repeat(`[`, 5000) + strings.Repeat(`]`, 5000) + `}}`, status: 400, code: "E0000001", cause: "x"},
		{name: "replace unknown group", method: "PUT", path: "/api/v1/groups/00gnothere000000000", body: `{"profile":{"name":"x"}}`, status: 404, code: "E0000007"},
		{name: "group search finds the quoted description", method: "GET", path: "/api/v1/groups?search=" + qe(`profile.description eq "<b>bold</b> & \"quoted\""`), status: 200, count: 1},
		{name: "group q with a quote", method: "GET", path: "/api/v1/groups?q=" + qe(`Eng'`), status: 200, count: 0},
		{name: "group q with NUL", method: "GET", path: "/api/v1/groups?q=%00", status: 400, code: "E0000001", cause: "q"},
		{name: "group search escaped NUL", method: "GET", path: "/api/v1/groups?search=" + qe(`profile.name eq "\u0000"`), status: 400, code: "E0000031"},
		{name: "group filter with SQL", method: "GET", path: "/api/v1/groups?filter=" + qe(`type eq "OKTA_GROUP' OR '1'='1"`), status: 200, count: 0},
		{name: "group limit absurd", method: "GET", path: "/api/v1/groups?limit=1e9", status: 400, code: "E0000001", cause: "limit"},
		{name: "group after before every id", method: "GET", path: "/api/v1/groups?after=%22%3E%3C", status: 200, count: 3},
		{name: "group expand unknown", method: "GET", path: "/api/v1/groups?expand=" + qe(`'; DROP`), status: 200, count: any},
		{name: "members limit absurd", method: "GET", path: "/api/v1/groups/{group}/users?limit=-1", status: 200, count: 1},
		{name: "members after before every id", method: "GET", path: "/api/v1/groups/{group}/users?after=%27", status: 200, count: 1},
		{name: "members after past every id", method: "GET", path: "/api/v1/groups/{group}/users?after=zzzz", status: 200, count: 0},
		{name: "add unknown user to group", method: "PUT", path: "/api/v1/groups/{group}/users/00unothere000000000", status: 404, code: "E0000007"},

		// Network zones.
		{name: "zone type unknown", method: "POST", path: "/api/v1/zones", body: `{"type":"FOO","name":"z"}`, status: 400, code: "E0000001", cause: "type"},
		{name: "zone without name", method: "POST", path: "/api/v1/zones", body: `{"type":"IP"}`, status: 400, code: "E0000001", cause: "name"},
		{name: "zone gateway SQL", method: "POST", path: "/api/v1/zones", body: `{"type":"IP","name":"z","gateways":[{"type":"CIDR","value":"'; DROP TABLE zones;--"}]}`, status: 400, code: "E0000001", cause: "gateways"},
		{name: "zone gateways huge", method: "POST", path: "/api/v1/zones", body: `{"type":"IP","name":"z","gateways":[` + strings.TrimSuffix(strings.Repeat(`{"type":"CIDR","value":"x"},`, 20000), ",") + `]}`, status: 400, code: "E0000001", cause: "gateways"},
		{name: "zone gateways a string", method: "POST", path: "/api/v1/zones", body: `{"type":"IP","name":"z","gateways":"10.0.0.0/8"}`, status: 400, code: "E0000001", cause: "gateways"},
		{name: "zone name taken", method: "POST", path: "/api/v1/zones", body: `{"type":"IP","name":"Office","gateways":[{"type":"CIDR","value":"10.0.0.0/8"}]}`, status: 400, code: "E0000001", cause: "name"},
		{name: "zone name with NUL", method: "POST", path: "/api/v1/zones", body: `{"type":"IP","name":"\u0000","gateways":[{"type":"CIDR","value":"10.0.0.0/8"}]}`, status: 400, code: "E0000001", cause: "name"},
		{name: "replace unknown zone", method: "PUT", path: "/api/v1/zones/nzonothere000000000", body: `{"type":"IP","name":"z"}`, status: 404, code: "E0000007"},
		{name: "zone list filter garbage", method: "GET", path: "/api/v1/zones?filter=" + qe(`usage eq "POLICY' --`), status: 400, code: "E0000031"},
		{name: "zone list limit absurd", method: "GET", path: "/api/v1/zones?limit=-7", status: 400, code: "E0000001", cause: "limit"},

		// Trusted origins.
		{name: "origin javascript:", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"javascript:alert(1)","scopes":[{"type":"CORS"}]}`, status: 400, code: "E0000001", cause: "origin"},
		{name: "origin with a path", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"https://a.example.com/../x","scopes":[{"type":"CORS"}]}`, status: 400, code: "E0000001", cause: "origin"},
		{name: "origin with CRLF", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"https://a.example.com\r\nSet-Cookie: a=b","scopes":[{"type":"CORS"}]}`, status: 400, code: "E0000001", cause: "origin"},
		{name: "origin with NUL", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"https://a.example.com\u0000","scopes":[{"type":"CORS"}]}`, status: 400, code: "E0000001", cause: "origin"},
		{name: "origin scopes wrong type", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"https://b.example.com","scopes":"CORS"}`, status: 400, code: "E0000001", cause: "scopes"},
		{name: "origin scope unknown", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"x","origin":"https://b.example.com","scopes":[{"type":"ALL"}]}`, status: 400, code: "E0000001", cause: "scopes"},
		{name: "origin taken", method: "POST", path: "/api/v1/trustedOrigins", body: `{"name":"y","origin":"HTTPS://APP.example.com:443","scopes":[{"type":"CORS"}]}`, status: 400, code: "E0000001", cause: "origin"},
		{name: "origin list q with NUL", method: "GET", path: "/api/v1/trustedOrigins?q=%00", status: 400, code: "E0000001", cause: "q"},
		{name: "origin list filter garbage", method: "GET", path: "/api/v1/trustedOrigins?filter=" + qe(`(`), status: 400, code: "E0000031"},
		{name: "origin list limit absurd", method: "GET", path: "/api/v1/trustedOrigins?limit=abc", status: 400, code: "E0000001", cause: "limit"},

		// API tokens.
		{name: "token network connection unknown", method: "PUT", path: "/api/v1/api-tokens/{token}", body: `{"network":{"connection":"SOMEWHERE"}}`, status: 400, code: "E0000001", cause: "connection"},
		{name: "token network include not a zone", method: "PUT", path: "/api/v1/api-tokens/{token}", body: `{"network":{"connection":"ZONE","include":["'; DROP"]}}`, status: 400, code: "E0000001"},
		{name: "token network a string", method: "PUT", path: "/api/v1/api-tokens/{token}", body: `{"network":"ANYWHERE"}`, status: 400, code: "E0000001", cause: "network"},
		{name: "token list limit absurd", method: "GET", path: "/api/v1/api-tokens?limit=-3", status: 400, code: "E0000001", cause: "limit"},
		{name: "token list after before every id", method: "GET", path: "/api/v1/api-tokens?after=" + qe(`' OR 1=1`), status: 200, count: 1},
		{name: "token list after past every id", method: "GET", path: "/api/v1/api-tokens?after=" + qe(`zzzz' OR 1=1`), status: 200, count: 0},

		// System Log and events.
		{name: "logs since not a date", method: "GET", path: "/api/v1/logs?since=yesterday", status: 400, code: "E0000001", cause: "since"},
		{name: "logs until with NUL", method: "GET", path: "/api/v1/logs?until=%00", status: 400, code: "E0000001", cause: "until"},
		{name: "logs since far future", method: "GET", path: "/api/v1/logs?since=9999-12-31T23:59:59.999Z", status: 200, count: 0},
		{name: "logs filter SQL", method: "GET", path: "/api/v1/logs?filter=" + qe(`eventType eq "x' OR 1=1 --"`), status: 200, count: 0},
		{name: "logs filter escaped NUL", method: "GET", path: "/api/v1/logs?filter=" + qe(`eventType eq "\u0000"`), status: 400, code: "E0000053"},
		{name: "logs q with quote and percent", method: "GET", path: "/api/v1/logs?q=" + qe(`O'Brien%`), status: 200, count: any},
		{name: "logs limit absurd", method: "GET", path: "/api/v1/logs?limit=100000000", status: 200, count: any},
		{name: "logs after garbage", method: "GET", path: "/api/v1/logs?after=" + qe(`<script>`), status: 400, code: "E0000029", cause: "after"},
		{name: "logs sortOrder nonsense", method: "GET", path: "/api/v1/logs?sortOrder=" + qe(`ASC;`), status: 400, code: "E0000001", cause: "sortOrder"},
		{name: "events filter escaped NUL", method: "GET", path: "/api/v1/events?filter=" + qe(`eventType eq "\u0000"`), status: 400},
		{name: "events limit absurd", method: "GET", path: "/api/v1/events?limit=-99", status: 400, code: "E0000001", cause: "limit"},

		// Header injection into Link headers (checked for every row; these rows aim at it).
		{name: "Host with a quote and brackets", method: "GET", path: "/api/v1/users?limit=1", header: map[string]string{"Host": `evil.example.com"><x`}, status: 200, count: 1},
		{name: "Host with a path", method: "GET", path: "/api/v1/users?limit=1", header: map[string]string{"Host": "evil.example.com/x?y"}, status: 200, count: 1},
		{name: "Host with userinfo", method: "GET", path: "/api/v1/users?limit=1", header: map[string]string{"Host": "me@evil.example.com"}, status: 200, count: 1},
		{name: "Host with a bad port", method: "GET", path: "/api/v1/groups?limit=1", header: map[string]string{"Host": "example.com:99999999"}, status: 200, count: 1},
		{name: "X-Forwarded-For with brackets", method: "GET", path: "/api/v1/users?limit=1", header: map[string]string{"X-Forwarded-For": `1.2.3.4, "><script>, <http://evil>`}, status: 200, count: 1},
		{name: "X-Forwarded-Host and Proto ignored", method: "GET", path: "/api/v1/users?limit=1", header: map[string]string{"X-Forwarded-Host": `evil.example.com>; rel="next"`, "X-Forwarded-Proto": `javascript`}, status: 200, count: 1},
		{name: "query with link syntax", method: "GET", path: "/api/v1/users?limit=1&x=" + qe(`>; rel="next", <http://evil/>`), status: 200, count: 1},
	}
	for _, route := range bodyRoutes {
		method, path, _ := strings.Cut(route, " ")
		for _, b := range badBodies {
			cases = append(cases, badCase{name: route + " " + b.name, method: method, path: path, body: b.body,
				header: b.header, status: b.status, code: b.code, cause: b.cause})
		}
	}
	for _, route := range idRoutes {
		method, path, _ := strings.Cut(route, " ")
		for _, id := range []struct{ name, id string }{
			{"traversal", "..%2F..%2Fetc%2Fpasswd"}, {"NUL", "00u%00"}, {"invalid UTF-8", "%FF%FE"},
			{"long", strings.Repeat("a", 4000)}, {"SQL", url.PathEscape(`x' OR '1'='1`)},
		} {
			cases = append(cases, badCase{name: route + " " + id.name, method: method,
				path: strings.Replace(path, "%s", id.id, 1), status: 404, code: "E0000007"})
		}
	}
	return cases
}

// linkHeader is the only shape a Link header may have: an absolute URL without spaces, quotes or
// angle brackets, and rel self or next.
var linkHeader = regexp.MustCompile(`^<https?://[^\s<>"]+>; rel="(self|next)"$`)

func TestBadInputMatrix(t *testing.T) {
	cases := badMatrix()
	if len(cases) < 150 {
		t.Fatalf("the matrix has %d cases, want at least 150", len(cases))
	}
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		f := newBadFixture(t, e)
		before := f.snapshot(t)
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				defer func() {
					// Compare even after a failed check; report a change once, not in every
					// later row.
					if after := f.snapshot(t); after != before {
						t.Errorf("stored data changed:\n%s", firstDiff(before, after))
						before = after
					}
				}()
				f.check(t, c)
			})
		}
	})
}

// check sends one row and asserts everything a row promises except the snapshot.
func (f *badFixture) check(t *testing.T, c badCase) {
	t.Helper()
	resp, body, err := f.send(c.method, f.expand(c.path), c.body, c.header)
	if err != nil {
		t.Fatalf("no answer (dropped connection?): %v", err)
	}
	if resp.StatusCode >= 500 {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	if resp.StatusCode != c.status {
		t.Fatalf("status %d, want %d: %.500s", resp.StatusCode, c.status, body)
	}
	if c.plain {
		return
	}
	for _, s := range f.secrets {
		if bytes.Contains(body, []byte(s)) || strings.Contains(strings.Join(flatten(resp.Header), "\n"), s) {
			t.Fatalf("the answer echoes a secret %.12s...: %.500s", s, body)
		}
	}
	if got := resp.Header.Get("X-Content-Type-Options"); got != "nosniff" {
		t.Errorf("X-Content-Type-Options %q", got)
	}
	if got := resp.Header.Get("Cache-Control"); !strings.Contains(got, "no-store") {
		t.Errorf("Cache-Control %q", got)
	}
	for _, l := range resp.Header.Values("Link") {
		if !linkHeader.MatchString(l) {
			t.Errorf("malformed Link header %q", l)
		}
	}
	if resp.StatusCode >= 400 {
		var e struct {
			ErrorCode    string `json:"errorCode"`
			ErrorSummary string `json:"errorSummary"`
			ErrorCauses  []struct {
				ErrorSummary string `json:"errorSummary"`
			} `json:"errorCauses"`
		}
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body is not JSON: %v: %.500s", err, body)
		}
		if c.code != "" && e.ErrorCode != c.code {
			t.Fatalf("errorCode %s, want %s: %.500s", e.ErrorCode, c.code, body)
		}
		if c.cause != "" {
			found := strings.Contains(e.ErrorSummary, c.cause)
			for _, cs := range e.ErrorCauses {
				found = found || strings.Contains(cs.ErrorSummary, c.cause)
			}
			if !found {
				t.Errorf("no cause names %q: %.500s", c.cause, body)
			}
		}
		return
	}
	if c.count >= 0 && c.method == "GET" && bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) {
		var items []any
		if err := json.Unmarshal(body, &items); err != nil {
			t.Fatal(err)
		}
		if len(items) != c.count {
			t.Errorf("%d items, want %d: %.500s", len(items), c.count, body)
		}
	}
}

func flatten(h http.Header) []string {
	var out []string
	for k, vs := range h {
		for _, v := range vs {
			out = append(out, k+": "+v)
		}
	}
	return out
}

// firstDiff shows the first line where two snapshots differ.
func firstDiff(a, b string) string {
	al, bl := strings.Split(a, "\n"), strings.Split(b, "\n")
	for i := 0; i < len(al) && i < len(bl); i++ {
		if al[i] != bl[i] {
			return fmt.Sprintf("before: %.400s\nafter:  %.400s", al[i], bl[i])
		}
	}
	return fmt.Sprintf("%d lines before, %d after", len(al), len(bl))
}
