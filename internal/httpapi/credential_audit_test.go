package httpapi_test

import (
	"encoding/json"
	"testing"
)

// TestFailedCredentialChecksAreAudited (issue 24.5): a wrong old password, password or recovery
// answer fails the request and still leaves a FAILURE event of the operation in the System Log.
func TestFailedCredentialChecksAreAudited(t *testing.T) {
	bothBackends(t, func(t *testing.T, e *groupsEnv) {
		var u struct{ ID string }
		if err := json.Unmarshal(e.must(200, "POST", "/api/v1/users?activate=true", map[string]any{
			"profile": map[string]string{"login": "audit@example.com", "email": "audit@example.com", "firstName": "A", "lastName": "U"},
			"credentials": map[string]any{"password": map[string]string{"value": "Right-pass-1"},
				"recovery_question": map[string]string{"question": "Pet?", "answer": "rex the dog"}}}), &u); err != nil {
			t.Fatal(err)
		}
		base := "/api/v1/users/" + u.ID + "/credentials/"
		for _, c := range []struct {
			path      string
			body      map[string]any
			eventType string
			reason    string
		}{
			{"change_password", map[string]any{"oldPassword": map[string]string{"value": "Wrong-pass-1"}, "newPassword": map[string]string{"value": "Other-pass-2"}},
				"user.account.update_password", "INVALID_CREDENTIALS"},
			{"change_recovery_question", map[string]any{"password": map[string]string{"value": "Wrong-pass-1"},
				"recovery_question": map[string]string{"question": "Q?", "answer": "an answer"}}, "user.account.update_profile", "INVALID_CREDENTIALS"},
			{"forgot_password", map[string]any{"password": map[string]string{"value": "Other-pass-2"}, "recovery_question": map[string]string{"answer": "wrong"}},
				"user.account.reset_password", "INVALID_RECOVERY_ANSWER"},
		} {
			e.must(403, "POST", base+c.path, c.body)
			failures := 0
			rows, err := e.db.ReadPool().Query(e.sql(`SELECT data FROM log_events WHERE org_id = ? AND event_type = ?`), e.org.ID, c.eventType)
			if err != nil {
				t.Fatal(err)
			}
			for rows.Next() {
				var data []byte
				if err := rows.Scan(&data); err != nil {
					t.Fatal(err)
				}
				var ev struct {
					Outcome struct{ Result, Reason string }
					Target  []struct{ ID string }
				}
				if err := json.Unmarshal(data, &ev); err != nil {
					t.Fatal(err)
				}
				if ev.Outcome.Result == "FAILURE" && ev.Outcome.Reason == c.reason && len(ev.Target) > 0 && ev.Target[0].ID == u.ID {
					failures++
				}
			}
			rows.Close()
			if failures != 1 {
				t.Errorf("%s with a wrong secret: %d %s FAILURE events (%s), want 1", c.path, failures, c.eventType, c.reason)
			}
		}
	})
}
