package httpapi_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/store"
)

// TestMutationEvents is the table of API mutations and the System Log event each must write.
// Add a row for every new mutation: act performs it (through HTTP where a route exists) and
// returns the ids the event's targets must carry, in order.
func TestMutationEvents(t *testing.T) {
	tests := []struct {
		name        string
		act         func(t *testing.T, e *logEnv) (targetIDs []string)
		eventType   string
		targetTypes []string
		viaHTTP     bool // the event must carry the request's id, token and owner
	}{
		{
			name: "org create", eventType: "system.api_token.create", targetTypes: []string{"Token"},
			act: func(t *testing.T, e *logEnv) []string {
				ctx := context.Background()
				_, secret, err := e.svc.CreateOrg(ctx, service.OrgSetup{Name: "acme"})
				if err != nil {
					t.Fatal(err)
				}
				tok, _, err := e.db.GetTokenByHash(ctx, domain.HashToken(secret))
				if err != nil {
					t.Fatal(err)
				}
				e.org = mustOrg(t, e, "acme")
				return []string{tok.ID}
			},
		},
		{
			name: "API token create", eventType: "system.api_token.create", targetTypes: []string{"Token"},
			act: func(t *testing.T, e *logEnv) []string {
				tok, _, err := e.svc.CreateToken(e.callerCtx(), "ci", "")
				if err != nil {
					t.Fatal(err)
				}
				return []string{tok.ID}
			},
		},
		{
			name: "API token revoke", eventType: "system.api_token.revoke", targetTypes: []string{"Token"}, viaHTTP: true,
			act: func(t *testing.T, e *logEnv) []string {
				tok, _, err := e.svc.CreateToken(e.callerCtx(), "doomed", "")
				if err != nil {
					t.Fatal(err)
				}
				if res, body := e.do("DELETE", "/api/v1/api-tokens/"+tok.ID, testSecret); res.StatusCode != http.StatusNoContent {
					t.Fatalf("revoke: %d %s", res.StatusCode, body)
				}
				return []string{tok.ID}
			},
		},
		{
			name: "user create joins Everyone", eventType: "group.user_membership.add", targetTypes: []string{"User", "UserGroup"},
			act: func(t *testing.T, e *logEnv) []string {
				u := mustCreateUser(t, e)
				g, err := e.db.GetBuiltInGroup(context.Background(), e.org.ID, domain.EveryoneGroupName)
				if err != nil {
					t.Fatal(err)
				}
				return []string{u.ID, g.ID}
			},
		},
		{
			name: "user suspend", eventType: "user.lifecycle.suspend", targetTypes: []string{"User"}, viaHTTP: true,
			act: func(t *testing.T, e *logEnv) []string {
				u := mustCreateUser(t, e)
				if res, body := e.do("POST", "/api/v1/users/"+u.ID+"/lifecycle/suspend", testSecret); res.StatusCode != http.StatusOK {
					t.Fatalf("suspend: %d %s", res.StatusCode, body)
				}
				return []string{u.ID}
			},
		},
		{
			name: "user delete", eventType: "user.lifecycle.delete.completed", targetTypes: []string{"User"}, viaHTTP: true,
			act: func(t *testing.T, e *logEnv) []string {
				u := mustCreateUser(t, e)
				for range 2 {
					if res, body := e.do("DELETE", "/api/v1/users/"+u.ID, testSecret); res.StatusCode != http.StatusNoContent {
						t.Fatalf("delete: %d %s", res.StatusCode, body)
					}
				}
				return []string{u.ID}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newLogEnv(t, nil)
			ids := tt.act(t, e)
			events, err := e.db.ListEvents(context.Background(), e.org.ID, store.LogQuery{Limit: 1000, Descending: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(events) == 0 || events[0].EventType != tt.eventType {
				t.Fatalf("latest event = %+v, want type %s", events, tt.eventType)
			}
			ev := events[0]
			if len(ev.Target) != len(ids) {
				t.Fatalf("targets = %+v, want ids %v", ev.Target, ids)
			}
			for i, id := range ids {
				if ev.Target[i].ID != id || ev.Target[i].Type != tt.targetTypes[i] {
					t.Errorf("target %d = %+v, want %s %s", i, ev.Target[i], tt.targetTypes[i], id)
				}
			}
			if ev.Outcome.Result != "SUCCESS" || ev.UUID == "" || ev.Actor.ID == "" || ev.Actor.Type != "User" {
				t.Errorf("event = %+v", ev)
			}
			if tt.viaHTTP {
				if ev.Transaction.ID == "" || ev.Transaction.ID != ev.DebugContext.DebugData["requestId"] {
					t.Errorf("transaction.id %q, requestId %v", ev.Transaction.ID, ev.DebugContext.DebugData["requestId"])
				}
				if ev.Transaction.Detail["requestApiTokenId"] == nil || len(ev.Request.IPChain) == 0 || ev.Client.IPAddress == "" {
					t.Errorf("request context missing: %+v", ev)
				}
			}
		})
	}
}

func mustCreateUser(t *testing.T, e *logEnv) domain.User {
	t.Helper()
	u, err := e.svc.CreateUser(e.callerCtx(), service.UserInput{Profile: map[string]any{"login": "grace@example.com",
		"email": "grace@example.com", "firstName": "Grace", "lastName": "Hopper"},
		// A federated user is ACTIVE at once, with no password to hash.
		Credentials: &service.CredentialsInput{Provider: &domain.Provider{Type: "FEDERATION"}}}, service.CreateOptions{Activate: true,
		Provider: true})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func mustOrg(t *testing.T, e *logEnv, name string) domain.Org {
	o, err := e.db.GetOrgByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestFailedTransactionLeavesNothing: a change and its event commit together or not at all,
// whichever comes first in the transaction.
func TestFailedTransactionLeavesNothing(t *testing.T) {
	for _, eventFirst := range []bool{false, true} {
		e := newLogEnv(t, nil)
		ctx := e.callerCtx()
		ids := domain.NewSeededIDs(42)
		now := domain.At(e.clock.Now())
		tok := domain.APIToken{ID: domain.NewID(ids, domain.PrefixToken), Name: "x", UserID: "00uowner", ClientName: "Okta API",
			Created: now, LastUpdated: now, LastUsed: now, ExpiresAt: now, TokenWindow: "P30D", Hash: domain.HashToken("secret-that-fails")}
		ev := domain.NewLogEvent(&domain.Caller{OrgID: e.org.ID}, ids, now, "system.api_token.create", "Create API token")
		boom := errors.New("boom")
		err := e.db.Update(ctx, func(tx store.Tx) error {
			if eventFirst {
				if err := tx.AppendEvents(ctx, e.org.ID, ev); err != nil {
					return err
				}
			}
			if err := tx.CreateToken(ctx, e.org.ID, tok); err != nil {
				return err
			}
			if !eventFirst {
				if err := tx.AppendEvents(ctx, e.org.ID, ev); err != nil {
					return err
				}
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Update = %v", err)
		}
		if _, err := e.db.GetToken(context.Background(), e.org.ID, tok.ID); !errors.Is(err, domain.ErrNotFound) {
			t.Errorf("eventFirst=%v: token survived the rollback: %v", eventFirst, err)
		}
		events, _ := e.logs("/api/v1/logs?q=" + ev.UUID)
		if len(events) != 0 {
			t.Errorf("eventFirst=%v: event survived the rollback: %+v", eventFirst, events)
		}
	}
}

// TestRefusedTokenLogged: a bad API token is 401 and one FAILURE event in the default org;
// repeated attempts from the same IP within a few seconds add no more events.
func TestRefusedTokenLogged(t *testing.T) {
	e := newLogEnv(t, nil)
	for i := 0; i < 5; i++ {
		if res, _ := e.do("GET", "/api/v1/api-tokens", "00not-a-real-token-at-all"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("bad token: %d", res.StatusCode)
		}
	}
	events, _ := e.logs("/api/v1/logs?q=user.authentication.authenticate")
	if len(events) != 1 {
		t.Fatalf("%d refusal events, want 1 (throttled per IP): %+v", len(events), events)
	}
	ev := events[0]
	if ev.Outcome.Result != "FAILURE" || ev.Outcome.Reason != "INVALID_CREDENTIALS" || ev.Severity != "WARN" ||
		ev.Actor.ID != "unknown" || ev.Client.IPAddress != "127.0.0.1" || ev.LegacyEventType != "core.user_auth.login_failed" {
		t.Errorf("refusal event = %+v", ev)
	}
}

// TestLogEventMatchesSpec validates events as served against the LogEvent schema of the
// official spec: no nulls where the spec wants strings or objects, the right types throughout.
func TestLogEventMatchesSpec(t *testing.T) {
	doc, err := loadSpec()
	if err != nil {
		t.Fatalf("spec not available: %v", err)
	}
	schema := doc.Components.Schemas["LogEvent"].Value
	e := newLogEnv(t, nil)
	tok, _, err := e.svc.CreateToken(e.callerCtx(), "spec", "")
	if err != nil {
		t.Fatal(err)
	}
	e.do("DELETE", "/api/v1/api-tokens/"+tok.ID, testSecret)
	e.do("GET", "/api/v1/logs", "00an-invalid-token-value")
	_, body := e.get("/api/v1/logs")
	var raw []any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	if len(raw) < 3 {
		t.Fatalf("want at least 3 events, got %s", body)
	}
	for _, ev := range raw {
		if err := schema.VisitJSON(ev, openapi3.VisitAsResponse()); err != nil {
			t.Errorf("event does not match LogEvent: %v\n%v", err, ev)
		}
		m := ev.(map[string]any)
		if m["client"].(map[string]any)["zone"] != "null" {
			t.Errorf("client.zone = %v, want \"null\"", m["client"])
		}
	}
}
