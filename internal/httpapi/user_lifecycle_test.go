package httpapi_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
)

// opRequest is how each lifecycle-table operation is called over HTTP and what it answers
// on success.
type opRequest struct {
	method, path string // path after /api/v1/users/{id}
	body         any
	// check looks at the success body.
	check func(t *testing.T, body map[string]any)
}

func hasKeys(keys ...string) func(t *testing.T, body map[string]any) {
	return func(t *testing.T, body map[string]any) {
		t.Helper()
		for _, k := range keys {
			if s, _ := body[k].(string); s == "" {
				t.Errorf("body has no %q: %v", k, body)
			}
		}
	}
}

func isEmptyObject(t *testing.T, body map[string]any) {
	t.Helper()
	if len(body) != 0 {
		t.Errorf("body = %v, want {}", body)
	}
}

func isCredentials(t *testing.T, body map[string]any) {
	t.Helper()
	if _, ok := body["provider"].(map[string]any); !ok {
		t.Errorf("body is not a credentials object: %v", body)
	}
	if pw, ok := body["password"].(map[string]any); !ok || len(pw) != 0 {
		t.Errorf("credentials.password = %v, want {}", body["password"])
	}
}

func isUser(t *testing.T, body map[string]any) {
	t.Helper()
	if id, _ := body["id"].(string); !domain.ValidID(id, domain.PrefixUser) {
		t.Errorf("body is not a user: %v", body)
	}
}

var opRequests = map[domain.UserOp]opRequest{
	domain.OpActivate:      {"POST", "/lifecycle/activate?sendEmail=false", nil, hasKeys("activationUrl", "activationToken")},
	domain.OpReactivate:    {"POST", "/lifecycle/reactivate?sendEmail=false", nil, hasKeys("activationUrl", "activationToken")},
	domain.OpDeactivate:    {"POST", "/lifecycle/deactivate", nil, isEmptyObject},
	domain.OpSuspend:       {"POST", "/lifecycle/suspend", nil, isEmptyObject},
	domain.OpUnsuspend:     {"POST", "/lifecycle/unsuspend", nil, isEmptyObject},
	domain.OpUnlock:        {"POST", "/lifecycle/unlock", nil, isEmptyObject},
	domain.OpResetPassword: {"POST", "/lifecycle/reset_password?sendEmail=false", nil, hasKeys("resetPasswordUrl")},
	domain.OpExpirePassword: {"POST", "/lifecycle/expire_password", nil, func(t *testing.T, b map[string]any) {
		isUser(t, b)
		if b["status"] != "PASSWORD_EXPIRED" {
			t.Errorf("status %v", b["status"])
		}
	}},
	domain.OpResetFactors:   {"POST", "/lifecycle/reset_factors", nil, isEmptyObject},
	domain.OpForgotPassword: {"POST", "/credentials/forgot_password?sendEmail=false", nil, hasKeys("resetPasswordUrl")},
	domain.OpRecoveryQuestionReset: {"POST", "/credentials/forgot_password_recovery_question",
		map[string]any{"password": map[string]any{"value": "Brand-New-9x"},
			"recovery_question": map[string]any{"answer": "Forty Two"}}, isCredentials},
	domain.OpChangePassword: {"POST", "/credentials/change_password",
		map[string]any{"oldPassword": map[string]any{"value": fixturePassword},
			"newPassword": map[string]any{"value": "Brand-New-9x"}}, isCredentials},
	domain.OpChangeRecoveryQuestion: {"POST", "/credentials/change_recovery_question",
		map[string]any{"password": map[string]any{"value": fixturePassword},
			"recovery_question": map[string]any{"question": "Favourite colour?", "answer": "blue-ish"}}, isCredentials},
	domain.OpSetPassword: {"POST", "", map[string]any{"credentials": map[string]any{
		"password": map[string]any{"value": "Brand-New-9x"}}}, isUser},
}

// TestLifecycleTableThroughHTTP runs every operation of the lifecycle table on a user in every
// status, through the API: allowed ones answer 200 with their documented body and move the user
// to the table's status; refused ones answer the table's error and leave the user unchanged.
func TestLifecycleTableThroughHTTP(t *testing.T) {
	e := newUsersEnv(t)
	full := domain.Creds{Password: true, RecoveryQuestion: true}
	for _, op := range domain.AllUserOps {
		req, ok := opRequests[op]
		if !ok {
			t.Fatalf("operation %s has no HTTP request in this test", op)
		}
		for _, status := range domain.AllUserStatuses {
			t.Run(fmt.Sprintf("%s/%s", op, status), func(t *testing.T) {
				e.t = t
				u := e.fixture(status, full)
				want, wantErr := domain.Transit(status, op, full)
				path := "/api/v1/users/" + u.ID + req.path
				if wantErr != nil {
					de, _ := domain.AsError(wantErr)
					e.wantError(req.method, path, req.body, de.Status, de.Code, "")
					after, err := e.stored(u.ID)
					if err != nil || after.Version != 1 || after.Status != status {
						t.Fatalf("refused %s changed the user: %+v (err %v)", op, after, err)
					}
					return
				}
				body := e.call(req.method, path, req.body, http.StatusOK)
				req.check(t, body)
				got := e.call("GET", "/api/v1/users/"+u.ID, nil, http.StatusOK)
				if got["status"] != string(want) {
					t.Fatalf("after %s from %s: status %v, want %s", op, status, got["status"], want)
				}
			})
		}
	}
}

// TestLifecycleOktaFacts pins the documented answers of the UserLifecycle operations, so a wrong
// table entry fails here even though the exhaustive test reads the table.
func TestLifecycleOktaFacts(t *testing.T) {
	full := domain.Creds{Password: true, RecoveryQuestion: true}
	cases := []struct {
		status domain.UserStatus
		op     domain.UserOp
		creds  domain.Creds
		want   domain.UserStatus
		code   string
		http   int
	}{
		{domain.StatusStaged, domain.OpActivate, full, domain.StatusActive, "", 0},
		{domain.StatusStaged, domain.OpActivate, domain.Creds{}, domain.StatusProvisioned, "", 0},
		{domain.StatusActive, domain.OpActivate, full, "", "E0000016", 403},
		{domain.StatusActive, domain.OpReactivate, full, "", "E0000038", 403},
		{domain.StatusProvisioned, domain.OpReactivate, domain.Creds{}, domain.StatusProvisioned, "", 0},
		{domain.StatusStaged, domain.OpSuspend, full, "", "E0000001", 400},
		{domain.StatusActive, domain.OpSuspend, full, domain.StatusSuspended, "", 0},
		{domain.StatusActive, domain.OpUnsuspend, full, "", "E0000001", 400},
		{domain.StatusSuspended, domain.OpUnsuspend, full, domain.StatusActive, "", 0},
		{domain.StatusActive, domain.OpUnlock, full, "", "E0000032", 403},
		{domain.StatusLockedOut, domain.OpUnlock, full, domain.StatusActive, "", 0},
		{domain.StatusSuspended, domain.OpDeactivate, full, domain.StatusDeprovisioned, "", 0},
		{domain.StatusDeprovisioned, domain.OpDeactivate, full, "", "E0000038", 403},
		{domain.StatusDeprovisioned, domain.OpActivate, full, domain.StatusActive, "", 0},
		{domain.StatusActive, domain.OpResetPassword, full, domain.StatusRecovery, "", 0},
		{domain.StatusActive, domain.OpExpirePassword, full, domain.StatusPasswordExpired, "", 0},
		{domain.StatusPasswordExpired, domain.OpChangePassword, full, domain.StatusActive, "", 0},
		{domain.StatusSuspended, domain.OpChangePassword, full, "", "E0000035", 403},
		{domain.StatusActive, domain.OpChangePassword, domain.Creds{}, "", "E0000035", 403},
		{domain.StatusActive, domain.OpForgotPassword, domain.Creds{Password: true}, "", "E0000034", 403},
		{domain.StatusPasswordExpired, domain.OpChangeRecoveryQuestion, full, "", "E0000036", 403},
	}
	for _, c := range cases {
		got, err := domain.Transit(c.status, c.op, c.creds)
		if c.code == "" {
			if err != nil || got != c.want {
				t.Errorf("%s from %s: got %s, %v; want %s", c.op, c.status, got, err, c.want)
			}
			continue
		}
		de, ok := domain.AsError(err)
		if !ok || de.Code != c.code || de.Status != c.http {
			t.Errorf("%s from %s: got %v; want %d %s", c.op, c.status, err, c.http, c.code)
		}
	}
}

// TestLifecycleNeedsCredentials: operations that need a credential refuse users without it.
func TestLifecycleNeedsCredentials(t *testing.T) {
	e := newUsersEnv(t)
	noRQ := e.fixture(domain.StatusActive, domain.Creds{Password: true})
	e.wantError("POST", "/api/v1/users/"+noRQ.ID+"/credentials/forgot_password?sendEmail=false", nil, 403, "E0000034", "")
	noPw := e.fixture(domain.StatusActive, domain.Creds{})
	e.wantError("POST", "/api/v1/users/"+noPw.ID+"/credentials/change_password", opRequests[domain.OpChangePassword].body,
		403, "E0000035", "")
	body := e.call("GET", "/api/v1/users/"+noPw.ID, nil, 200)
	links := body["_links"].(map[string]any)
	for _, l := range []string{"changePassword", "forgotPassword", "changeRecoveryQuestion"} {
		if _, ok := links[l]; ok {
			t.Errorf("user without credentials has link %s", l)
		}
	}
}
