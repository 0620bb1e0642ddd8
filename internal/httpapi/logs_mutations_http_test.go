package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// send makes an authenticated request with a JSON body (nil for none) and decodes a JSON answer.
func (e *logEnv) send(method, path string, body any, wantStatus int) map[string]any {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "SSWS "+testSecret)
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer res.Body.Close()
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode != wantStatus {
		e.t.Fatalf("%s %s: %d %s, want %d", method, path, res.StatusCode, data, wantStatus)
	}
	out := map[string]any{}
	if len(bytes.TrimSpace(data)) > 0 && data[0] == '{' {
		if err := json.Unmarshal(data, &out); err != nil {
			e.t.Fatal(err)
		}
	}
	return out
}

func (e *logEnv) newUserHTTP(activate bool) string {
	e.t.Helper()
	q := "?activate=false"
	if activate {
		q = "?activate=true"
	}
	u := e.send("POST", "/api/v1/users"+q, map[string]any{
		"profile":     map[string]any{"login": "ada@example.com", "email": "ada@example.com", "firstName": "Ada", "lastName": "Lovelace"},
		"credentials": map[string]any{"password": map[string]any{"value": "Analytical-Engine-1843"}},
	}, 200)
	return u["id"].(string)
}

func (e *logEnv) newGroupHTTP(name string) string {
	e.t.Helper()
	return e.send("POST", "/api/v1/groups", map[string]any{"profile": map[string]any{"name": name}}, 200)["id"].(string)
}

func (e *logEnv) newOriginHTTP() string {
	e.t.Helper()
	return e.send("POST", "/api/v1/trustedOrigins", map[string]any{"name": "app", "origin": "https://app.example.com",
		"scopes": []any{map[string]any{"type": "CORS"}}}, 200)["id"].(string)
}

func (e *logEnv) newZoneHTTP() string {
	e.t.Helper()
	return e.send("POST", "/api/v1/zones", map[string]any{"type": "IP", "name": "office",
		"gateways": []any{map[string]any{"type": "CIDR", "value": "203.0.113.0/24"}}}, 200)["id"].(string)
}

// TestHTTPMutationEvents extends TestMutationEvents to every other mutation of the API: each row
// acts through HTTP and names the event type and target types its latest event must have. The
// request's id, token and client context must be on the event.
func TestHTTPMutationEvents(t *testing.T) {
	tests := []struct {
		name        string
		eventType   string
		targetTypes []string
		act         func(e *logEnv)
	}{
		{"user create", "user.lifecycle.create", []string{"User"}, func(e *logEnv) { e.newUserHTTP(false) }},
		{"user activate", "user.lifecycle.activate", []string{"User"}, func(e *logEnv) {
			id := e.newUserHTTP(false)
			e.send("POST", "/api/v1/users/"+id+"/lifecycle/activate?sendEmail=false", nil, 200)
		}},
		{"user deactivate", "user.lifecycle.deactivate", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true)+"/lifecycle/deactivate", nil, 200)
		}},
		{"user unsuspend", "user.lifecycle.unsuspend", []string{"User"}, func(e *logEnv) {
			id := e.newUserHTTP(true)
			e.send("POST", "/api/v1/users/"+id+"/lifecycle/suspend", nil, 200)
			e.send("POST", "/api/v1/users/"+id+"/lifecycle/unsuspend", nil, 200)
		}},
		{"user profile update", "user.account.update_profile", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true), map[string]any{"profile": map[string]any{"nickName": "Countess"}}, 200)
		}},
		{"user reset password", "user.account.reset_password", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true)+"/lifecycle/reset_password?sendEmail=false", nil, 200)
		}},
		{"user expire password", "user.account.expire_password", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true)+"/lifecycle/expire_password", nil, 200)
		}},
		{"user change password", "user.account.update_password", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true)+"/credentials/change_password", map[string]any{
				"oldPassword": map[string]any{"value": "Analytical-Engine-1843"},
				"newPassword": map[string]any{"value": "Difference-Engine-1822"}}, 200)
		}},
		{"user reset factors", "user.mfa.factor.reset_all", []string{"User"}, func(e *logEnv) {
			e.send("POST", "/api/v1/users/"+e.newUserHTTP(true)+"/lifecycle/reset_factors", nil, 200)
		}},
		{"group create", "group.lifecycle.create", []string{"UserGroup"}, func(e *logEnv) { e.newGroupHTTP("Engineers") }},
		{"group update", "group.profile.update", []string{"UserGroup"}, func(e *logEnv) {
			e.send("PUT", "/api/v1/groups/"+e.newGroupHTTP("Engineers"), map[string]any{"profile": map[string]any{"name": "Engineering"}}, 200)
		}},
		{"group delete", "group.lifecycle.delete", []string{"UserGroup"}, func(e *logEnv) {
			e.send("DELETE", "/api/v1/groups/"+e.newGroupHTTP("Engineers"), nil, 204)
		}},
		{"membership add", "group.user_membership.add", []string{"User", "UserGroup"}, func(e *logEnv) {
			e.send("PUT", "/api/v1/groups/"+e.newGroupHTTP("Engineers")+"/users/"+e.newUserHTTP(true), nil, 204)
		}},
		{"membership remove", "group.user_membership.remove", []string{"User", "UserGroup"}, func(e *logEnv) {
			g, u := e.newGroupHTTP("Engineers"), e.newUserHTTP(true)
			e.send("PUT", "/api/v1/groups/"+g+"/users/"+u, nil, 204)
			e.send("DELETE", "/api/v1/groups/"+g+"/users/"+u, nil, 204)
		}},
		{"trusted origin create", "security.trusted_origin.create", nil, func(e *logEnv) { e.newOriginHTTP() }},
		{"trusted origin update", "security.trusted_origin.update", nil, func(e *logEnv) {
			e.send("PUT", "/api/v1/trustedOrigins/"+e.newOriginHTTP(), map[string]any{"name": "app2", "origin": "https://app.example.com",
				"scopes": []any{map[string]any{"type": "REDIRECT"}}}, 200)
		}},
		{"trusted origin deactivate", "security.trusted_origin.deactivate", nil, func(e *logEnv) {
			e.send("POST", "/api/v1/trustedOrigins/"+e.newOriginHTTP()+"/lifecycle/deactivate", nil, 200)
		}},
		{"trusted origin delete", "security.trusted_origin.delete", nil, func(e *logEnv) {
			e.send("DELETE", "/api/v1/trustedOrigins/"+e.newOriginHTTP(), nil, 204)
		}},
		{"zone create", "zone.create", nil, func(e *logEnv) { e.newZoneHTTP() }},
		{"zone deactivate", "zone.deactivate", nil, func(e *logEnv) {
			e.send("POST", "/api/v1/zones/"+e.newZoneHTTP()+"/lifecycle/deactivate", nil, 200)
		}},
		{"zone delete", "zone.delete", nil, func(e *logEnv) {
			id := e.newZoneHTTP()
			e.send("POST", "/api/v1/zones/"+id+"/lifecycle/deactivate", nil, 200)
			e.send("DELETE", "/api/v1/zones/"+id, nil, 204)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLogEnv(t, nil)
			tt.act(e)
			// The last request may write several events (a create also joins Everyone): look
			// among the events of the latest transaction.
			events, err := e.db.ListEvents(context.Background(), e.org.ID, store.LogQuery{Limit: 10, Descending: true})
			if err != nil {
				t.Fatal(err)
			}
			var ev *domain.LogEvent
			for i := range events {
				if events[i].Transaction.ID != events[0].Transaction.ID {
					break
				}
				if events[i].EventType == tt.eventType {
					ev = &events[i]
					break
				}
			}
			if ev == nil {
				t.Fatalf("the last request wrote no %s event: %+v", tt.eventType, events)
			}
			if tt.targetTypes != nil {
				var types []string
				for _, tg := range ev.Target {
					types = append(types, tg.Type)
				}
				if strings.Join(types, ",") != strings.Join(tt.targetTypes, ",") {
					t.Errorf("target types %v, want %v", types, tt.targetTypes)
				}
			}
			if len(ev.Target) == 0 || ev.Target[0].ID == "" {
				t.Errorf("no target: %+v", ev.Target)
			}
			if ev.Outcome.Result != "SUCCESS" || ev.Actor.Type != "User" || ev.Transaction.ID == "" ||
				ev.Transaction.Detail["requestApiTokenId"] == nil || ev.Client.IPAddress == "" {
				t.Errorf("event lacks the request context: %+v", ev)
			}
		})
	}
}
