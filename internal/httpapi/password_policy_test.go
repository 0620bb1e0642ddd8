package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/okapi-dev/okapi/internal/httpapi"
)

// strictPolicy makes an ACTIVE PASSWORD policy, first in priority, for the members of group.
func strictPolicy(t *testing.T, e *groupsEnv, group string, password map[string]any) {
	t.Helper()
	e.must(200, "POST", "/api/v1/policies", map[string]any{
		"type": "PASSWORD", "name": "Strict " + group, "priority": 1,
		"conditions": map[string]any{"people": map[string]any{"groups": map[string]any{"include": []string{group}}},
			"authProvider": map[string]any{"provider": "OKTA"}},
		"settings": map[string]any{"password": password},
	})
}

func policyGroup(t *testing.T, e *groupsEnv, name string) string {
	t.Helper()
	var g struct{ ID string }
	if err := json.Unmarshal(e.must(200, "POST", "/api/v1/groups", map[string]any{"profile": map[string]string{"name": name}}), &g); err != nil {
		t.Fatal(err)
	}
	return g.ID
}

// createWithPassword posts a user into groups and returns the status and error reasons.
func createWithPassword(t *testing.T, e *groupsEnv, login, pw string, groups ...string) (int, []string, string) {
	t.Helper()
	resp, data := e.do("POST", "/api/v1/users?activate=true", map[string]any{
		"profile":     map[string]string{"login": login, "email": login, "firstName": "Grace", "lastName": "Hopper"},
		"credentials": map[string]any{"password": map[string]string{"value": pw}},
		"groupIds":    groups,
	})
	var body struct {
		ID          string
		ErrorCauses []struct{ Reason string }
	}
	_ = json.Unmarshal(data, &body)
	var reasons []string
	for _, c := range body.ErrorCauses {
		reasons = append(reasons, c.Reason)
	}
	return resp.StatusCode, reasons, body.ID
}

func TestPasswordPolicyComplexityByGroup(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		strictGroup := policyGroup(t, e, "Engineers")
		strictPolicy(t, e, strictGroup, map[string]any{"complexity": map[string]any{
			"minLength": 12, "minLowerCase": 1, "minUpperCase": 1, "minNumber": 1, "minSymbol": 1,
			"excludeUsername": true, "excludeAttributes": []string{"firstName", "lastName"},
			"dictionary": map[string]any{"common": map[string]any{"exclude": true}}}})
		for _, c := range []struct {
			name, pw string
			groups   []string
			status   int
			reasons  string
		}{
			{"default policy outside the group", "Abcdefg1", nil, 200, ""},
			{"too short and no symbol in the group", "Abcdefg1", []string{strictGroup}, 400, "LENGTH_MINIMUM SYMBOL"},
			{"first name", "Grace-is-1-Great!", []string{strictGroup}, 400, "EXCLUDED_ATTRIBUTE"},
			{"last name, any case", "x-HOPPER-x-1-Aa!", []string{strictGroup}, 400, "EXCLUDED_ATTRIBUTE"},
			{"common password", "P@ssw0rd1234", nil, 200, ""},
			{"long enough, symbol, none excluded", "Correct-Horse-9-Battery", []string{strictGroup}, 200, ""},
		} {
			login := strings.ReplaceAll(strings.ToLower(c.name), " ", "") + "@example.com"
			login = strings.NewReplacer(",", "", "-", "").Replace(login)
			status, reasons, _ := createWithPassword(t, e, login, c.pw, c.groups...)
			if status != c.status || strings.Join(reasons, " ") != c.reasons {
				t.Errorf("%s: status %d reasons %v, want %d %q", c.name, status, reasons, c.status, c.reasons)
			}
		}
		// The dictionary applies where the policy asks for it.
		dict := policyGroup(t, e, "Dictionary")
		strictPolicy(t, e, dict, map[string]any{"complexity": map[string]any{"minLength": 8,
			"dictionary": map[string]any{"common": map[string]any{"exclude": true}}}})
		if status, reasons, _ := createWithPassword(t, e, "dict@example.com", "Welcome123", dict); status != 400 || strings.Join(reasons, " ") != "COMMON_PASSWORD" {
			t.Errorf("common password in a dictionary policy: %d %v", status, reasons)
		}
	})
}

func TestPasswordPolicyHistoryAndMinimumAge(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := policyGroup(t, e, "Rotating")
		strictPolicy(t, e, g, map[string]any{
			"complexity": map[string]any{"minLength": 8},
			"age":        map[string]any{"historyCount": 2, "minAgeMinutes": 60}})
		status, _, id := createWithPassword(t, e, "rot@example.com", "First-pass-1", g)
		if status != 200 {
			t.Fatalf("create: %d", status)
		}
		change := func(old, nw string, strict bool) (int, []string) {
			path := "/api/v1/users/" + id + "/credentials/change_password"
			if strict {
				path += "?strict=true"
			}
			resp, data := e.do("POST", path, map[string]any{"oldPassword": map[string]string{"value": old}, "newPassword": map[string]string{"value": nw}})
			var body struct {
				ErrorCode   string
				ErrorCauses []struct{ Reason string }
			}
			_ = json.Unmarshal(data, &body)
			var rs []string
			for _, c := range body.ErrorCauses {
				rs = append(rs, c.Reason)
			}
			return resp.StatusCode, rs
		}
		// minAgeMinutes holds only for a strict change.
		if st, rs := change("First-pass-1", "Second-pass-2", true); st != 403 || strings.Join(rs, " ") != "MIN_AGE" {
			t.Errorf("strict change within the minimum age: %d %v, want 403 MIN_AGE", st, rs)
		}
		if st, rs := change("First-pass-1", "Second-pass-2", false); st != 200 {
			t.Fatalf("non-strict change: %d %v", st, rs)
		}
		e.clock.Advance(61 * time.Minute)
		// The last 2 passwords are refused, the one before them is not.
		if st, rs := change("Second-pass-2", "First-pass-1", true); st != 403 || strings.Join(rs, " ") != "HISTORY" {
			t.Errorf("reusing the previous password: %d %v, want 403 HISTORY", st, rs)
		}
		if st, _ := change("Second-pass-2", "Third-pass-3", true); st != 200 {
			t.Fatalf("third password: %d", st)
		}
		// An admin setting a recent password is refused too (400 on the Users API).
		resp, data := e.do("PUT", "/api/v1/users/"+id, map[string]any{"credentials": map[string]any{"password": map[string]string{"value": "Second-pass-2"}}})
		if resp.StatusCode != 400 || !strings.Contains(string(data), `"HISTORY"`) {
			t.Errorf("admin reusing a recent password: %d %s", resp.StatusCode, data)
		}
		if st, _ := change("Third-pass-3", "First-pass-1", false); st != 200 {
			t.Errorf("a password older than historyCount is allowed again: %d", st)
		}
	})
}

// authn posts a primary authentication and returns the transaction status or the error code.
func authn(t *testing.T, e *groupsEnv, login, pw string) string {
	t.Helper()
	tx := authnTx(t, e, "/api/v1/authn", map[string]string{"username": login, "password": pw})
	if code, ok := tx["errorCode"].(string); ok {
		return code
	}
	s, _ := tx["status"].(string)
	return s
}

func userStatus(t *testing.T, e *groupsEnv, id string) string {
	t.Helper()
	var u struct{ Status string }
	if err := json.Unmarshal(e.must(200, "GET", "/api/v1/users/"+id, nil), &u); err != nil {
		t.Fatal(err)
	}
	return u.Status
}

func TestPasswordPolicyExpiryAndAutoUnlock(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := policyGroup(t, e, "Expiring")
		strictPolicy(t, e, g, map[string]any{
			"age":     map[string]any{"maxAgeDays": 7, "historyCount": 0},
			"lockout": map[string]any{"maxAttempts": 2, "autoUnlockMinutes": 5, "showLockoutFailures": true}})
		_, _, id := createWithPassword(t, e, "exp@example.com", "Expiring-pass-1", g)

		// Two failures lock the user; the right password is refused until autoUnlockMinutes pass.
		authn(t, e, "exp@example.com", "wrong-1")
		authn(t, e, "exp@example.com", "wrong-2")
		if got := userStatus(t, e, id); got != "LOCKED_OUT" {
			t.Fatalf("after maxAttempts failures: %s", got)
		}
		if got := authn(t, e, "exp@example.com", "Expiring-pass-1"); got != "LOCKED_OUT" {
			t.Errorf("locked user with the right password: %s, want LOCKED_OUT (showLockoutFailures)", got)
		}
		e.clock.Advance(5*time.Minute + time.Second)
		if got := authn(t, e, "exp@example.com", "Expiring-pass-1"); got != "SUCCESS" {
			t.Errorf("after autoUnlockMinutes: %s, want SUCCESS", got)
		}
		if got := userStatus(t, e, id); got != "ACTIVE" {
			t.Errorf("status after auto-unlock: %s", got)
		}

		// maxAgeDays: past it, the sign-in asks for a new password and the user shows it. (The
		// clock stays inside the admin token's 30-day idle expiry.)
		e.clock.Advance(8 * 24 * time.Hour)
		if got := authn(t, e, "exp@example.com", "Expiring-pass-1"); got != "PASSWORD_EXPIRED" {
			t.Errorf("after maxAgeDays: %s, want PASSWORD_EXPIRED", got)
		}
		if got := userStatus(t, e, id); got != "PASSWORD_EXPIRED" {
			t.Errorf("status after expiry: %s", got)
		}
		// A user outside the policy's group keeps the default policy: no expiry.
		_ = id
		createWithPassword(t, e, "steady@example.com", "Keeping-pass-1")
		e.clock.Advance(365 * 24 * time.Hour)
		if got := authn(t, e, "steady@example.com", "Keeping-pass-1"); got != "SUCCESS" {
			t.Errorf("default policy user after a year: %s", got)
		}
	})
}

// authnTx posts to an Authn endpoint, unauthenticated and to the env's org by host (the Authn
// API decides the org from the host alone), and returns the decoded transaction or error.
func authnTx(t *testing.T, e *groupsEnv, path string, body any) map[string]any {
	t.Helper()
	if e.byHost == nil {
		e.byHost = httptest.NewServer(httpapi.New(httpapi.Config{Service: e.svc, BaseDomain: "okapi.test", Logger: slog.New(slog.DiscardHandler)}))
		t.Cleanup(e.byHost.Close)
	}
	data, _ := json.Marshal(body)
	r, err := http.NewRequest("POST", e.byHost.URL+path, bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	r.Host = e.org.Name + ".okapi.test"
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Accept", "application/json")
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var out map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&out); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestPasswordPolicyWarnAndSkip(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := policyGroup(t, e, "Warned")
		strictPolicy(t, e, g, map[string]any{"complexity": map[string]any{"minLength": 10},
			"age": map[string]any{"maxAgeDays": 10, "expireWarnDays": 3, "historyCount": 0}})
		if st, _, _ := createWithPassword(t, e, "grace@example.com", "Warned-pass-1", g); st != 200 {
			t.Fatalf("create: %d", st)
		}
		login := map[string]string{"username": "grace@example.com", "password": "Warned-pass-1"}
		if got := authnTx(t, e, "/api/v1/authn", login)["status"]; got != "SUCCESS" {
			t.Fatalf("before the warning window: %v", got)
		}
		e.clock.Advance(9*24*time.Hour + time.Hour) // 9 days and an hour: 23 hours left, shown as 1 day
		// Only a client that asks for the warning gets it (options.warnBeforePasswordExpired).
		if got := authnTx(t, e, "/api/v1/authn", login)["status"]; got != "SUCCESS" {
			t.Fatalf("in the warning window, without warnBeforePasswordExpired: %v, want SUCCESS", got)
		}
		tx := authnTx(t, e, "/api/v1/authn", map[string]any{"username": "grace@example.com", "password": "Warned-pass-1",
			"options": map[string]any{"warnBeforePasswordExpired": true}})
		if tx["status"] != "PASSWORD_WARN" {
			t.Fatalf("in the warning window: %v", tx)
		}
		policy := tx["_embedded"].(map[string]any)["policy"].(map[string]any)
		if days := policy["expiration"].(map[string]any)["passwordExpireDays"]; days != float64(1) {
			t.Errorf("passwordExpireDays = %v, want 1", days)
		}
		if ml := policy["complexity"].(map[string]any)["minLength"]; ml != float64(10) {
			t.Errorf("complexity.minLength = %v, want the policy's 10", ml)
		}
		links := tx["_links"].(map[string]any)
		if links["skip"] == nil || links["next"] == nil {
			t.Errorf("links = %v, want next (changePassword) and skip", links)
		}
		done := authnTx(t, e, "/api/v1/authn/skip", map[string]any{"stateToken": tx["stateToken"]})
		if done["status"] != "SUCCESS" || done["sessionToken"] == nil {
			t.Errorf("skip = %v, want SUCCESS with a sessionToken", done)
		}
		// skip is only for PASSWORD_WARN: the token was used up.
		if again := authnTx(t, e, "/api/v1/authn/skip", map[string]any{"stateToken": tx["stateToken"]}); again["errorCode"] == nil {
			t.Errorf("second skip = %v, want an error", again)
		}
	})
}

// resetPolicy is the strict policy of the reset and import tests: complexity, a history of 2
// and a minimum age of an hour.
var resetPolicy = map[string]any{
	"complexity": map[string]any{"minLength": 12, "minSymbol": 1, "excludeUsername": true,
		"excludeAttributes": []string{"firstName"}},
	"age": map[string]any{"historyCount": 2, "minAgeMinutes": 60},
}

// errorReasons decodes an Okta error body into its code and its causes' reasons.
func errorReasons(data []byte) (string, string) {
	var body struct {
		ErrorCode   string
		ErrorCauses []struct{ Reason string }
	}
	_ = json.Unmarshal(data, &body)
	var rs []string
	for _, c := range body.ErrorCauses {
		rs = append(rs, c.Reason)
	}
	return body.ErrorCode, strings.Join(rs, " ")
}

// TestPasswordPolicyOnAdminReset: after an admin's reset_password (the user is RECOVERY), the
// new password set by the recovery-question flow (forgot_password with a body, and its
// forgot_password_recovery_question form) or by an admin update follows the user's policy:
// complexity and history, 403 E0000080 on the credentials API, 400 E0000001 on the Users API.
// The minimum age is not applied: a reset is for a password that is forgotten, and Okta's
// minAgeMinutes holds for a change (see "strict" on changePassword in the Users API).
func TestPasswordPolicyOnAdminReset(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := policyGroup(t, e, "Resetting")
		strictPolicy(t, e, g, resetPolicy)
		var u struct{ ID string }
		mustDecode(t, e.must(200, "POST", "/api/v1/users?activate=true", map[string]any{
			"profile": map[string]string{"login": "reset@example.com", "email": "reset@example.com", "firstName": "Grace", "lastName": "Hopper"},
			"credentials": map[string]any{"password": map[string]string{"value": "Correct-Horse-9-Battery"},
				"recovery_question": map[string]string{"question": "Pet?", "answer": "Rex the dog"}},
			"groupIds": []string{g},
		}), &u)
		base := "/api/v1/users/" + u.ID
		recoverWith := func(path, pw string) (int, []byte) {
			resp, data := e.do("POST", base+path, map[string]any{"password": map[string]string{"value": pw},
				"recovery_question": map[string]string{"answer": "Rex the dog"}})
			return resp.StatusCode, data
		}
		adminSet := func(pw string) (int, []byte) {
			resp, data := e.do("POST", base, map[string]any{"credentials": map[string]any{"password": map[string]string{"value": pw}}})
			return resp.StatusCode, data
		}
		forgot := func(pw string) (int, []byte) { return recoverWith("/credentials/forgot_password", pw) }
		forgotRQ := func(pw string) (int, []byte) {
			return recoverWith("/credentials/forgot_password_recovery_question", pw)
		}
		for _, c := range []struct {
			name   string
			set    func(pw string) (int, []byte)
			reset  bool // an admin reset_password first
			pw     string
			status int
			code   string
			reason string
		}{
			{"forgot_password: too short", forgot, true, "Abc-12345", 403, "E0000080", "LENGTH_MINIMUM"},
			{"forgot_password: first name", forgot, false, "Grace-is-1-Great", 403, "E0000080", "EXCLUDED_ATTRIBUTE"},
			{"forgot_password: username", forgot, false, "X-reset@example.com-1", 403, "E0000080", "USERNAME"},
			{"forgot_password: current password", forgot, false, "Correct-Horse-9-Battery", 403, "E0000080", "HISTORY"},
			{"forgot_password: new, within the minimum age", forgot, false, "Second-Horse-9-Battery", 200, "", ""},
			{"forgot_password_recovery_question: no symbol", forgotRQ, true, "Abcdefghijk12", 403, "E0000080", "SYMBOL"},
			{"forgot_password_recovery_question: previous password", forgotRQ, false, "Correct-Horse-9-Battery", 403, "E0000080", "HISTORY"},
			{"forgot_password_recovery_question: new", forgotRQ, false, "Third-Horse-9-Battery", 200, "", ""},
			{"admin update: too short", adminSet, true, "Abc-12345", 400, "E0000001", "LENGTH_MINIMUM"},
			{"admin update: recent password", adminSet, false, "Second-Horse-9-Battery", 400, "E0000001", "HISTORY"},
			{"admin update: older than the history", adminSet, false, "Correct-Horse-9-Battery", 200, "", ""},
		} {
			if c.reset {
				e.must(200, "POST", base+"/lifecycle/reset_password?sendEmail=false", nil)
				if st := userStatus(t, e, u.ID); st != "RECOVERY" {
					t.Fatalf("%s: status %s after reset_password, want RECOVERY", c.name, st)
				}
			}
			status, data := c.set(c.pw)
			code, reason := errorReasons(data)
			if status != c.status || code != c.code || reason != c.reason {
				t.Errorf("%s: %d %s %q, want %d %s %q (%s)", c.name, status, code, reason, c.status, c.code, c.reason, data)
			}
			if status == 200 {
				if st := userStatus(t, e, u.ID); st != "ACTIVE" {
					t.Errorf("%s: status %s after the new password, want ACTIVE", c.name, st)
				}
			}
		}
	})
}

func mustDecode(t *testing.T, data []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
}

// importedSHA256 is credentials.password.hash for pw as a salted SHA-256 digest (salt after).
func importedSHA256(pw string) map[string]any {
	salt := "MySpecialSalt"
	sum := sha256.Sum256([]byte(pw + salt))
	return map[string]any{"algorithm": "SHA-256", "saltOrder": "POSTFIX",
		"salt": base64.StdEncoding.EncodeToString([]byte(salt)), "value": base64.StdEncoding.EncodeToString(sum[:])}
}

// TestPasswordPolicyOnImportedHash: a password imported as a hash (createUser with
// credentials.password.hash, or an update of a STAGED user) is not checked for complexity,
// which cannot be done on a digest, and signs in as it is; the history and the minimum age
// count from the import, as from any other password set. Source: PasswordCredentialHash in the
// Users API ("an existing password to be imported into Okta directly from some other store").
func TestPasswordPolicyOnImportedHash(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		g := policyGroup(t, e, "Importing")
		strictPolicy(t, e, g, resetPolicy)
		create := func(login string, activate bool, creds map[string]any) string {
			path := "/api/v1/users?activate=false"
			if activate {
				path = "/api/v1/users?activate=true"
			}
			var u struct{ ID string }
			mustDecode(t, e.must(200, "POST", path, map[string]any{
				"profile":     map[string]string{"login": login, "email": login, "firstName": "Ada", "lastName": "Lovelace"},
				"credentials": creds, "groupIds": []string{g},
			}), &u)
			return u.ID
		}
		create("weak@example.com", true, map[string]any{"password": map[string]any{"hash": importedSHA256("weak")}})
		staged := create("staged@example.com", false, nil)
		e.must(200, "POST", "/api/v1/users/"+staged, map[string]any{"credentials": map[string]any{"password": map[string]any{"hash": importedSHA256("ada")}}})
		e.must(200, "POST", "/api/v1/users/"+staged+"/lifecycle/activate?sendEmail=false", nil)
		strong := create("strong@example.com", true, map[string]any{"password": map[string]any{"hash": importedSHA256("Imported-Pass-42")}})

		change := func(id, old, nw string, strict bool) (int, []byte) {
			path := "/api/v1/users/" + id + "/credentials/change_password"
			if strict {
				path += "?strict=true"
			}
			resp, data := e.do("POST", path, map[string]any{"oldPassword": map[string]string{"value": old}, "newPassword": map[string]string{"value": nw}})
			return resp.StatusCode, data
		}
		for _, c := range []struct {
			name, login, pw string
			want            string
		}{
			{"weak imported hash on create", "weak@example.com", "weak", "SUCCESS"},
			{"weak imported hash on update of a STAGED user", "staged@example.com", "ada", "SUCCESS"},
		} {
			if got := authn(t, e, c.login, c.pw); got != c.want {
				t.Errorf("%s: sign-in %s, want %s", c.name, got, c.want)
			}
		}
		for _, c := range []struct {
			name    string
			advance time.Duration
			old, nw string
			strict  bool
			status  int
			reason  string
		}{
			{"strict change within the minimum age of the import", 0, "Imported-Pass-42", "Second-Pass-42", true, 403, "MIN_AGE"},
			{"non-strict change", 0, "Imported-Pass-42", "Second-Pass-42", false, 200, ""},
			{"back to the imported password", 61 * time.Minute, "Second-Pass-42", "Imported-Pass-42", true, 403, "HISTORY"},
			{"a new complex password is still checked", 0, "Second-Pass-42", "Short-1", true, 403, "LENGTH_MINIMUM"},
		} {
			e.clock.Advance(c.advance)
			status, data := change(strong, c.old, c.nw, c.strict)
			if _, reason := errorReasons(data); status != c.status || reason != c.reason {
				t.Errorf("%s: %d %q, want %d %q (%s)", c.name, status, reason, c.status, c.reason, data)
			}
		}
	})
}
