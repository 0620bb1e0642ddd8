package httpapi_test

import (
	"encoding/json"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/oastest"
)

// loadSpec reads the official spec as shipped, found by oastest's loader (oastest.SpecPath),
// without oastest's fixes: these tests check the schemas exactly as published.
var loadSpec = sync.OnceValues(func() (*openapi3.T, error) {
	path, err := oastest.SpecPath()
	if err != nil {
		return nil, err
	}
	return openapi3.NewLoader().LoadFromFile(path)
})

// TestUserResponsesMatchSpec validates every users response shape, as served, against its
// schema in the official spec.
func TestUserResponsesMatchSpec(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("spec not available: %v", err)
	}
	e := newUsersEnv(t)
	check := func(schemaName, method, path string, body any, status int) map[string]any {
		t.Helper()
		code, out := e.do(method, path, body)
		if code != status {
			t.Fatalf("%s %s: %d %s", method, path, code, out)
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
		items := []any{v}
		if list, ok := v.([]any); ok {
			items = list
		}
		for _, item := range items {
			if err := doc.Components.Schemas[schemaName].Value.VisitJSON(item, openapi3.VisitAsResponse()); err != nil {
				t.Errorf("%s %s does not match %s: %v\n%s", method, path, schemaName, err, out)
			}
		}
		m, _ := v.(map[string]any)
		return m
	}
	login := e.newLogin()
	u := check("User", "POST", "/api/v1/users?activate=false", map[string]any{"profile": profileOf(login),
		"credentials": map[string]any{"password": map[string]any{"value": "Abcdefg123"},
			"recovery_question": map[string]any{"question": "Who?", "answer": "forty two"}}}, 200)
	path := "/api/v1/users/" + u["id"].(string)
	check("UserActivationToken", "POST", path+"/lifecycle/activate?sendEmail=false", nil, 200)
	check("User", "GET", path, nil, 200)
	check("User", "GET", "/api/v1/users", nil, 200)
	check("User", "POST", path, map[string]any{"profile": map[string]any{"nickName": "A"}}, 200)
	check("UserCredentials", "POST", path+"/credentials/change_password", map[string]any{
		"oldPassword": map[string]any{"value": "Abcdefg123"}, "newPassword": map[string]any{"value": "Zyxwvut987"}}, 200)
	check("UserCredentials", "POST", path+"/credentials/change_recovery_question", map[string]any{
		"password": map[string]any{"value": "Zyxwvut987"}, "recovery_question": map[string]any{"question": "Q?", "answer": "an answer"}}, 200)
	check("ForgotPasswordResponse", "POST", path+"/credentials/forgot_password?sendEmail=false", nil, 200)
	check("ResetPasswordToken", "POST", path+"/lifecycle/reset_password?sendEmail=false", nil, 200)
	check("TempPassword", "POST", path+"/lifecycle/expire_password_with_temp_password", nil, 200)
	check("User", "POST", path+"/lifecycle/expire_password", nil, 200)
	check("Error", "POST", path+"/lifecycle/suspend", nil, 400)
	check("Error", "GET", "/api/v1/users/00uNoSuchUser12345678", nil, 404)
	check("UserType", "GET", "/api/v1/meta/types/user/default", nil, 200)
	check("UserSchema", "GET", "/api/v1/meta/schemas/user/default", nil, 200)
	f := e.fixture(domain.StatusProvisioned, domain.Creds{})
	check("UserActivationToken", "POST", "/api/v1/users/"+f.ID+"/lifecycle/reactivate", nil, 200)
}
