package httpapi_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

func withPassword(p map[string]any, pw string) map[string]any {
	return map[string]any{"profile": p, "credentials": map[string]any{"password": map[string]any{"value": pw}}}
}

// TestCreateUserStatus follows the status rules of the createUser operation (activate,
// password, provider).
func TestCreateUserStatus(t *testing.T) {
	e := newUsersEnv(t)
	rq := map[string]any{"question": "Who?", "answer": "forty two"}
	cases := []struct {
		name  string
		query string
		creds map[string]any
		want  string
	}{
		{"nothing, staged", "?activate=false", nil, "STAGED"},
		{"nothing, activated", "", nil, "PROVISIONED"},
		{"question only, staged", "?activate=false", map[string]any{"recovery_question": rq}, "STAGED"},
		{"question only, activated", "?activate=true", map[string]any{"recovery_question": rq}, "PROVISIONED"},
		{"password, staged", "?activate=false", map[string]any{"password": map[string]any{"value": "Abcdefg123"}}, "STAGED"},
		{"password, activated", "?activate=true", map[string]any{"password": map[string]any{"value": "Abcdefg123"}}, "ACTIVE"},
		{"both, activated", "", map[string]any{"password": map[string]any{"value": "Abcdefg123"}, "recovery_question": rq}, "ACTIVE"},
		{"password, expired", "?nextLogin=changePassword", map[string]any{"password": map[string]any{"value": "Abcdefg123"}}, "PASSWORD_EXPIRED"},
		{"federation", "?provider=true", map[string]any{"provider": map[string]any{"type": "FEDERATION", "name": "FEDERATION"}}, "ACTIVE"},
		{"social, staged", "?provider=true&activate=false", map[string]any{"provider": map[string]any{"type": "SOCIAL"}}, "STAGED"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			login := e.newLogin()
			body := map[string]any{"profile": profileOf(login)}
			if c.creds != nil {
				body["credentials"] = c.creds
			}
			u := e.call("POST", "/api/v1/users"+c.query, body, http.StatusOK)
			if u["status"] != c.want {
				t.Fatalf("status %v, want %s", u["status"], c.want)
			}
			activated := u["activated"] != nil
			if activated != (c.want == "ACTIVE" || c.want == "PASSWORD_EXPIRED") {
				t.Errorf("activated = %v for %s", u["activated"], c.want)
			}
			creds := u["credentials"].(map[string]any)
			if pw, has := creds["password"]; has != (c.creds != nil && c.creds["password"] != nil) {
				t.Errorf("credentials.password = %v", pw)
			}
			if strings.Contains(mustJSON(t, u), "Abcdefg123") || strings.Contains(mustJSON(t, u), "forty two") {
				t.Fatal("a secret was echoed")
			}
			got := e.call("GET", "/api/v1/users/"+login, nil, http.StatusOK)
			if got["id"] != u["id"] {
				t.Fatalf("GET by login found %v, want %v", got["id"], u["id"])
			}
		})
	}
}

// TestCreateUserErrors covers Okta's refusals of a create.
func TestCreateUserErrors(t *testing.T) {
	e := newUsersEnv(t)
	login := e.newLogin()
	e.wantError("POST", "/api/v1/users?activate=false&nextLogin=changePassword", withPassword(profileOf(login), "Abcdefg123"),
		400, "E0000125", "")
	e.wantError("POST", "/api/v1/users?nextLogin=changePassword", map[string]any{"profile": profileOf(login)}, 400, "E0000124", "")
	e.wantError("POST", "/api/v1/users", map[string]any{}, 400, "E0000001", "profile: The field cannot be left blank")
	e.wantError("POST", "/api/v1/users", `{"profile": `, 400, "E0000003", "")
	e.wantError("POST", "/api/v1/users", `{"profile": "x"}`, 400, "E0000001", "")
	e.wantError("POST", "/api/v1/users?activate=maybe", map[string]any{"profile": profileOf(login)}, 400, "E0000001", "")

	// Password policy: one cause per broken rule, in Okta's newer cause format.
	m := e.wantError("POST", "/api/v1/users", withPassword(profileOf(login), "abc"), 400, "E0000001",
		"password: Passwords must be at least 8 characters in length")
	if len(m["errorCauses"].([]any)) != 3 {
		t.Errorf("want 3 causes (length, upper case, number): %v", m["errorCauses"])
	}
	cause := m["errorCauses"].([]any)[0].(map[string]any)
	if cause["reason"] != "LENGTH_MINIMUM" || cause["location"] != "credentials.password.value" {
		t.Errorf("cause %v", cause)
	}
	e.wantError("POST", "/api/v1/users", withPassword(profileOf("margaret.hamilton@example.com"), "Hamilton-123"),
		400, "E0000001", "password: Passwords cannot contain your username or parts of it")

	// Duplicate login, ignoring case.
	e.call("POST", "/api/v1/users", map[string]any{"profile": profileOf(login)}, 200)
	upper := profileOf(strings.ToUpper(login[:1]) + login[1:])
	e.wantError("POST", "/api/v1/users", map[string]any{"profile": upper}, 400, "E0000001",
		"login: An object with this field already exists in the current organization")

	// groupIds must exist.
	e.wantError("POST", "/api/v1/users", map[string]any{"profile": profileOf(e.newLogin()),
		"groupIds": []string{"00gDoesNotExist123456"}}, 400, "E0000001", "")
	many := make([]string, 101)
	e.wantError("POST", "/api/v1/users", map[string]any{"profile": profileOf(e.newLogin()), "groupIds": many},
		400, "E0000093", "")
	if n := e.count(`SELECT count(*) FROM users WHERE login_lower = ?`, strings.ToLower(login)); n != 1 {
		t.Fatalf("%d users with the login, want 1", n)
	}
}

// TestProfileValidation checks the base schema rules (UserProfile, getUserSchema) on create.
func TestProfileValidation(t *testing.T) {
	e := newUsersEnv(t)
	cases := []struct {
		name   string
		change map[string]any
		cause  string
	}{
		{"login missing", map[string]any{"login": nil}, "login: The field cannot be left blank"},
		{"email missing", map[string]any{"email": nil}, "email: The field cannot be left blank"},
		{"first name blank", map[string]any{"firstName": "  "}, "firstName: The field cannot be left blank"},
		{"last name missing", map[string]any{"lastName": nil}, "lastName: The field cannot be left blank"},
		{"login not an email", map[string]any{"login": "janedoe"}, "login: Username must be in the form of an email address"},
		{"login too short", map[string]any{"login": "a@b"}, "login: The field is too short (minimum 5 characters)"},
		{"login too long", map[string]any{"login": strings.Repeat("a", 95) + "@b.com"}, "login: The field is too long (maximum 100 characters)"},
		{"email malformed", map[string]any{"email": "jane at example"}, "email: Does not match required pattern"},
		{"first name too long", map[string]any{"firstName": strings.Repeat("x", 51)}, "firstName: The field is too long (maximum 50 characters)"},
		{"base property not a string", map[string]any{"nickName": 12}, "nickName: The field must be a string"},
		{"country code", map[string]any{"countryCode": "USA"}, "countryCode: Does not match required pattern (a two-letter ISO 3166-1 country code)"},
		{"zip too long", map[string]any{"zipCode": strings.Repeat("1", 51)}, "zipCode: The field is too long (maximum 50 characters)"},
		{"custom object", map[string]any{"favourite": map[string]any{"a": 1}}, "favourite: The value must be a string, number, boolean or array of strings"},
		{"custom mixed array", map[string]any{"tags": []any{"a", 1}}, "tags: Array elements must be strings"},
		{"emoji", map[string]any{"nickName": "🦒"}, "profile.nickName: Characters that need 4 bytes in UTF-8 (such as emoji) are not supported"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e.t = t
			p := profileOf(e.newLogin())
			for k, v := range c.change {
				p[k] = v
			}
			e.wantError("POST", "/api/v1/users", map[string]any{"profile": p}, 400, "E0000001", c.cause)
		})
	}
	// Custom properties of the simple types are kept as sent.
	p := profileOf(e.newLogin())
	p["employeeBadge"], p["floor"], p["remote"], p["tags"] = "B-12", 3.0, true, []any{"a", "b"}
	u := e.call("POST", "/api/v1/users", map[string]any{"profile": p}, 200)
	got := u["profile"].(map[string]any)
	if got["employeeBadge"] != "B-12" || got["floor"] != 3.0 || got["remote"] != true || len(got["tags"].([]any)) != 2 {
		t.Fatalf("custom properties not kept: %v", got)
	}
}

// TestUpdateMergeVersusReplace: POST merges the profile (null clears), PUT replaces it.
func TestUpdateMergeVersusReplace(t *testing.T) {
	e := newUsersEnv(t)
	login := e.newLogin()
	p := profileOf(login)
	p["nickName"], p["title"] = "Countess", "Analyst"
	u := e.call("POST", "/api/v1/users", map[string]any{"profile": p}, 200)
	path := "/api/v1/users/" + u["id"].(string)

	got := e.call("POST", path, map[string]any{"profile": map[string]any{"title": "Programmer", "nickName": nil}}, 200)
	prof := got["profile"].(map[string]any)
	if prof["title"] != "Programmer" || prof["firstName"] != "Ada" || prof["login"] != login {
		t.Fatalf("partial update lost or missed properties: %v", prof)
	}
	if _, ok := prof["nickName"]; ok {
		t.Fatalf("null did not clear nickName: %v", prof)
	}
	if got["lastUpdated"] == u["lastUpdated"] && got["lastUpdated"] == nil {
		t.Error("lastUpdated not set")
	}

	// PUT without the required properties is refused, and nothing changes.
	e.wantError("PUT", path, map[string]any{"profile": map[string]any{"login": login, "email": login}}, 400, "E0000001",
		"firstName: The field cannot be left blank")
	put := e.call("PUT", path, map[string]any{"profile": map[string]any{"login": login, "email": login,
		"firstName": "Augusta", "lastName": "King"}}, 200)
	prof = put["profile"].(map[string]any)
	if _, ok := prof["title"]; ok || prof["firstName"] != "Augusta" || len(prof) != 4 {
		t.Fatalf("PUT did not replace the profile: %v", prof)
	}
	// A PUT with only credentials (the Terraform provider's password change) keeps the profile
	// and sets the password, as Okta does; a PUT with neither is still refused.
	pw := e.call("PUT", path, map[string]any{"credentials": map[string]any{"password": map[string]any{"value": "Tr0ub4dor&3-horse"}}}, 200)
	if pp := pw["profile"].(map[string]any); pp["firstName"] != "Augusta" || len(pp) != 4 || pw["passwordChanged"] == nil {
		t.Fatalf("credentials-only PUT: %v", pw)
	}
	e.wantError("PUT", path, map[string]any{}, 400, "E0000001", "profile: The field cannot be left blank")
	// A PUT of the user as GET shows it (with password: {} and links) changes nothing.
	again := e.call("GET", path, nil, 200)
	e.call("PUT", path, again, 200)

	// Changing the login to one that is taken is the duplicate-login error.
	other := e.newLogin()
	e.call("POST", "/api/v1/users", map[string]any{"profile": profileOf(other)}, 200)
	e.wantError("POST", path, map[string]any{"profile": map[string]any{"login": other}}, 400, "E0000001",
		"login: An object with this field already exists in the current organization")
	e.wantError("POST", "/api/v1/users/00uNoSuchUser12345678", map[string]any{"profile": map[string]any{}}, 404, "E0000007", "")
}

// TestAdminSetsCredentials: the admin may set password.value and recovery_question on update,
// subject to the policy; the password is never echoed.
func TestAdminSetsCredentials(t *testing.T) {
	e := newUsersEnv(t)
	u := e.call("POST", "/api/v1/users", map[string]any{"profile": profileOf(e.newLogin())}, 200)
	path := "/api/v1/users/" + u["id"].(string)
	if u["status"] != "PROVISIONED" {
		t.Fatalf("status %v", u["status"])
	}
	e.wantError("POST", path, map[string]any{"credentials": map[string]any{"password": map[string]any{"value": "short"}}},
		400, "E0000001", "password: Passwords must be at least 8 characters in length")
	got := e.call("POST", path, map[string]any{"credentials": map[string]any{
		"password":          map[string]any{"value": "Abcdefg123"},
		"recovery_question": map[string]any{"question": "Pet?", "answer": "Rex the dog"}}}, 200)
	if got["status"] != "ACTIVE" || got["passwordChanged"] == nil {
		t.Fatalf("setting a password should finish activation: %v", got)
	}
	creds := got["credentials"].(map[string]any)
	if creds["recovery_question"].(map[string]any)["question"] != "Pet?" {
		t.Fatalf("credentials %v", creds)
	}
	e.call("POST", path+"/credentials/change_password", map[string]any{
		"oldPassword": map[string]any{"value": "Abcdefg123"}, "newPassword": map[string]any{"value": "Zyxwvut987"}}, 200)
	e.wantError("POST", path+"/credentials/change_password", map[string]any{
		"oldPassword": map[string]any{"value": "Abcdefg123"}, "newPassword": map[string]any{"value": "Qwertyu555"}},
		403, "E0000014", "oldPassword: Old Password is not correct")
	e.wantError("POST", path+"/credentials/change_password", map[string]any{
		"oldPassword": map[string]any{"value": "Zyxwvut987"}, "newPassword": map[string]any{"value": "weak"}},
		403, "E0000080", "")
	e.wantError("POST", path+"/credentials/change_password", map[string]any{
		"oldPassword": map[string]any{"value": "Zyxwvut987"}, "newPassword": map[string]any{"value": "Zyxwvut987"}},
		403, "E0000080", "password: Password cannot be your current password")
	e.wantError("POST", path+"/credentials/forgot_password_recovery_question", map[string]any{
		"password": map[string]any{"value": "Another-Pw-1"}, "recovery_question": map[string]any{"answer": "wrong"}},
		403, "E0000087", "")
	e.call("POST", path+"/credentials/forgot_password", map[string]any{
		"password": map[string]any{"value": "Another-Pw-1"}, "recovery_question": map[string]any{"answer": "REX THE DOG"}}, 200)
}

// TestImportedHashRehashedOnUse: a user created with an imported SHA-256 hash signs in with the
// original password (checked by change_password), after which it is bcrypt and provider OKTA.
func TestImportedHashRehashedOnUse(t *testing.T) {
	e := newUsersEnv(t)
	body := map[string]any{"profile": profileOf(e.newLogin()), "credentials": map[string]any{
		"password": map[string]any{"hash": map[string]any{"algorithm": "SHA-256", "salt": "TXlTcGVjaWFsU2FsdA==",
			"saltOrder": "POSTFIX", "value": "H5o8rw2vJuQ1zKjnGqqEYcv5rfnujtrx1pFZCp4Cyzo="}}}}
	u := e.call("POST", "/api/v1/users", body, 200)
	if u["status"] != "ACTIVE" {
		t.Fatalf("status %v", u["status"])
	}
	if p := u["credentials"].(map[string]any)["provider"].(map[string]any); p["type"] != "IMPORT" {
		t.Fatalf("provider %v, want IMPORT", p)
	}
	id := u["id"].(string)
	e.call("POST", "/api/v1/users/"+id+"/credentials/change_recovery_question", map[string]any{
		"password":          map[string]any{"value": "Import-Me-42"},
		"recovery_question": map[string]any{"question": "Q?", "answer": "an answer"}}, 200)
	stored, err := e.stored(id)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(stored.Secrets.PasswordHash, "$2a$10$") || stored.Provider.Type != "OKTA" {
		t.Fatalf("not rehashed: %q, provider %v", stored.Secrets.PasswordHash[:12], stored.Provider)
	}
	// Only a STAGED user may get an imported hash on update.
	bad := map[string]any{"credentials": body["credentials"]}
	e.wantError("POST", "/api/v1/users/"+id, bad, 400, "E0000001", "")
}

// TestDeleteUser: the first DELETE deactivates, the second deletes with the memberships.
func TestDeleteUser(t *testing.T) {
	e := newUsersEnv(t)
	u := e.call("POST", "/api/v1/users", withPassword(profileOf(e.newLogin()), "Abcdefg123"), 200)
	id := u["id"].(string)
	if n := e.count(`SELECT count(*) FROM group_members WHERE user_id = ?`, id); n != 1 {
		t.Fatalf("%d memberships, want 1 (Everyone)", n)
	}
	e.call("DELETE", "/api/v1/users/"+id, nil, http.StatusNoContent)
	if got := e.call("GET", "/api/v1/users/"+id, nil, 200); got["status"] != "DEPROVISIONED" {
		t.Fatalf("status %v after the first delete", got["status"])
	}
	e.call("DELETE", "/api/v1/users/"+id, nil, http.StatusNoContent)
	m := e.wantError("GET", "/api/v1/users/"+id, nil, 404, "E0000007", "")
	if m["errorSummary"] != "Not found: Resource not found: "+id+" (User)" {
		t.Errorf("summary %v", m["errorSummary"])
	}
	if n := e.count(`SELECT count(*) FROM group_members WHERE user_id = ?`, id); n != 0 {
		t.Fatalf("%d memberships left", n)
	}
	e.wantError("DELETE", "/api/v1/users/"+id, nil, 404, "E0000007", "")
	want := []string{"user.lifecycle.create", "user.lifecycle.activate", "group.user_membership.add",
		"user.lifecycle.deactivate", "user.lifecycle.delete.initiated", "user.lifecycle.delete.completed"}
	if got := e.events(id); !slices.Equal(got, want) {
		t.Fatalf("events %v, want %v", got, want)
	}
}

// TestGetUserByIDLoginAndMe covers the lookups of GET /users/{idOrLogin}.
func TestGetUserByIDLoginAndMe(t *testing.T) {
	e := newUsersEnv(t)
	me := e.call("GET", "/api/v1/users/me", nil, 200)
	if login, _ := me["profile"].(map[string]any)["login"].(string); !strings.HasPrefix(login, "admin@") {
		t.Fatalf("me = %v", me["profile"])
	}
	u := e.fixture(domain.StatusActive, domain.Creds{Password: true})
	for _, key := range []string{u.ID, u.Login(), strings.ToUpper(u.Login())} {
		if got := e.call("GET", "/api/v1/users/"+key, nil, 200); got["id"] != u.ID {
			t.Errorf("GET %s found %v", key, got["id"])
		}
	}
	e.wantError("GET", "/api/v1/users/nobody@example.com", nil, 404, "E0000007", "")

	got := e.call("GET", "/api/v1/users/"+u.ID, nil, 200)
	for _, k := range []string{"id", "status", "created", "activated", "statusChanged", "lastLogin", "lastUpdated",
		"passwordChanged", "type", "profile", "credentials", "_links"} {
		if _, ok := got[k]; !ok {
			t.Errorf("user JSON lacks %q", k)
		}
	}
	if got["lastLogin"] != nil {
		t.Errorf("lastLogin %v, want null", got["lastLogin"])
	}
	links := got["_links"].(map[string]any)
	var names []string
	for k := range links {
		names = append(names, k)
	}
	slices.Sort(names)
	want := []string{"changePassword", "changeRecoveryQuestion", "deactivate", "expirePassword", "resetPassword", "schema", "self", "suspend", "type"}
	if !slices.Equal(names, want) {
		t.Errorf("ACTIVE user links %v, want %v", names, want)
	}
	typeHref := links["type"].(map[string]any)["href"].(string)
	if !strings.HasSuffix(typeHref, "/api/v1/meta/types/user/"+u.TypeID) {
		t.Errorf("type link %s", typeHref)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestUserTypeAndSchema: the type and schema links of a user resolve.
func TestUserTypeAndSchema(t *testing.T) {
	e := newUsersEnv(t)
	u := e.call("GET", "/api/v1/users/me", nil, 200)
	links := u["_links"].(map[string]any)
	path := func(l string) string {
		href := links[l].(map[string]any)["href"].(string)
		return href[strings.Index(href, "/api/"):]
	}
	typ := e.call("GET", path("type"), nil, 200)
	if typ["id"] != u["type"].(map[string]any)["id"] || typ["default"] != true || typ["name"] != "user" {
		t.Fatalf("type %v", typ)
	}
	if def := e.call("GET", "/api/v1/meta/types/user/default", nil, 200); def["id"] != typ["id"] {
		t.Fatalf("default type %v", def["id"])
	}
	schema := e.call("GET", path("schema"), nil, 200)
	login := schema["definitions"].(map[string]any)["base"].(map[string]any)["properties"].(map[string]any)["login"].(map[string]any)
	if login["title"] != "Username" || login["minLength"] != 5.0 || login["maxLength"] != 100.0 || login["required"] != true {
		t.Fatalf("login attribute %v", login)
	}
	e.call("GET", "/api/v1/meta/schemas/user/default", nil, 200)
	e.wantError("GET", "/api/v1/meta/types/user/otyNoSuchType1234567", nil, 404, "E0000007", "")
	e.wantError("GET", "/api/v1/meta/schemas/user/oscNoSuchSchema12345", nil, 404, "E0000007", "")
}
