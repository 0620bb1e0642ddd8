package domain

import "strings"

// legacyTypes maps a System Log eventType to the Events API (legacy) type Okta records with it,
// for a success and, where Okta has a distinct one, a failure. Only pairings from Okta's event
// type catalogue and docs are listed; an event type without one has no legacyEventType, and
// the Events API shows its System Log eventType as action.objectType instead.
var legacyTypes = map[string][2]string{
	"user.lifecycle.create":            {"core.user.config.user_creation.success", "core.user.config.user_creation.failure"},
	"user.lifecycle.activate":          {"core.user.config.user_activated"},
	"user.lifecycle.deactivate":        {"core.user.config.user_deactivated"},
	"user.lifecycle.suspend":           {"core.user.config.user_suspended"},
	"user.lifecycle.unsuspend":         {"core.user.config.user_unsuspended"},
	"user.session.start":               {"core.user_auth.login_success", "core.user_auth.login_failed"},
	"user.session.end":                 {"core.user_auth.logout_success"},
	"user.account.lock":                {"core.user_auth.account_locked"},
	"user.account.update_profile":      {"core.user.config.profile_update.success", "core.user.config.profile_update.failure"},
	"group.user_membership.add":        {"core.user_group_member.user_add"},
	"group.user_membership.remove":     {"core.user_group_member.user_remove"},
	"user.authentication.authenticate": {"", "core.user_auth.login_failed"},
}

// LegacyEventType is the Events API type of an event with this eventType and outcome, or ""
// when Okta records none.
func LegacyEventType(eventType, result string) string {
	pair, ok := legacyTypes[eventType]
	if !ok {
		return ""
	}
	if result == OutcomeFailure {
		return pair[1]
	}
	return pair[0]
}

// LegacyEvent is an event in the shape of the deprecated Events API (GET /api/v1/events).
type LegacyEvent struct {
	EventID   string         `json:"eventId"`
	Published Time           `json:"published"`
	RequestID string         `json:"requestId"`
	SessionID string         `json:"sessionId"`
	Action    LegacyAction   `json:"action"`
	Actors    []LegacyObject `json:"actors"`
	Targets   []LegacyObject `json:"targets"`
}

// LegacyAction is what happened.
type LegacyAction struct {
	Message    string   `json:"message"`
	Categories []string `json:"categories"`
	ObjectType string   `json:"objectType"`
	RequestURI string   `json:"requestUri"`
}

// LegacyObject is an actor or target of a legacy event.
type LegacyObject struct {
	ID          string `json:"id"`
	DisplayName string `json:"displayName"`
	Login       string `json:"login,omitempty"`
	IPAddress   string `json:"ipAddress,omitempty"`
	ObjectType  string `json:"objectType"`
}

// Legacy converts a System Log event into the Events API shape: the legacy type as
// action.objectType (the eventType when Okta has none), the actor plus the client as actors,
// and the targets with their login where they are users.
func (e LogEvent) Legacy() LegacyEvent {
	objectType := e.LegacyEventType
	if objectType == "" {
		objectType = e.EventType
	}
	categories := []string{}
	switch objectType {
	case "core.user_auth.login_success":
		categories = append(categories, "Sign-in Success")
	case "core.user_auth.login_failed":
		categories = append(categories, "Sign-in Failure")
	}
	uri, _ := e.DebugContext.DebugData["requestUri"].(string)
	out := LegacyEvent{
		EventID:   "tev" + strings.ReplaceAll(e.UUID, "-", ""),
		Published: e.Published,
		RequestID: e.Transaction.ID,
		SessionID: e.AuthenticationContext.ExternalSessionID,
		Action:    LegacyAction{Message: e.DisplayMessage, Categories: categories, ObjectType: objectType, RequestURI: uri},
		Actors:    []LegacyObject{legacyObject(e.Actor.ID, e.Actor.Type, e.Actor.AlternateID, e.Actor.DisplayName)},
		Targets:   make([]LegacyObject, 0, len(e.Target)),
	}
	if e.Client.UserAgent != nil || e.Client.IPAddress != "" {
		c := LegacyObject{DisplayName: "CLIENT", IPAddress: e.Client.IPAddress, ObjectType: "Client"}
		if e.Client.UserAgent != nil {
			c.ID, c.DisplayName = e.Client.UserAgent.RawUserAgent, e.Client.UserAgent.Browser
		}
		out.Actors = append(out.Actors, c)
	}
	for _, t := range e.Target {
		out.Targets = append(out.Targets, legacyObject(t.ID, t.Type, t.AlternateID, t.DisplayName))
	}
	return out
}

func legacyObject(id, typ, alternateID, displayName string) LegacyObject {
	o := LegacyObject{ID: id, DisplayName: displayName, ObjectType: typ}
	if typ == "User" {
		o.Login = alternateID
	}
	if o.DisplayName == "" {
		o.DisplayName = alternateID
	}
	return o
}
