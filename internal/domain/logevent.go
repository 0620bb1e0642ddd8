package domain

import "encoding/json"

// LogEvent is a System Log event in Okta's shape. Fields Okta sends as null are omitted instead:
// the spec types them as plain strings and objects (not nullable), so an omitted field validates
// where a null would not, and the SDKs decode both the same way.
type LogEvent struct {
	UUID                  string             `json:"uuid"`
	Published             Time               `json:"published"`
	EventType             string             `json:"eventType"`
	Version               string             `json:"version"`
	Severity              string             `json:"severity"`
	LegacyEventType       string             `json:"legacyEventType,omitempty"`
	DisplayMessage        string             `json:"displayMessage"`
	Actor                 LogActor           `json:"actor"`
	Client                LogClient          `json:"client"`
	Outcome               LogOutcome         `json:"outcome"`
	Target                []LogTarget        `json:"target"`
	Transaction           LogTransaction     `json:"transaction"`
	DebugContext          LogDebugContext    `json:"debugContext"`
	AuthenticationContext LogAuthContext     `json:"authenticationContext"`
	SecurityContext       LogSecurityContext `json:"securityContext"`
	Request               LogRequest         `json:"request"`
	// Seq is the store's commit sequence: pollers page by it, never by wall clock.
	Seq int64 `json:"-"`
}

// LogActor is who acted.
type LogActor struct {
	ID          string `json:"id"`
	Type        string `json:"type"`
	AlternateID string `json:"alternateId,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// SystemActor is the actor of what Okta does by itself (rule-driven membership changes, hook
// deliveries): Okta System, a SystemPrincipal.
var SystemActor = LogActor{ID: "system@okta.com", Type: "SystemPrincipal", AlternateID: "system@okta.com", DisplayName: "Okta System"}

// LogTarget is what an event acted on.
type LogTarget struct {
	ID            string            `json:"id"`
	Type          string            `json:"type"`
	AlternateID   string            `json:"alternateId,omitempty"`
	DisplayName   string            `json:"displayName,omitempty"`
	ChangeDetails *LogChangeDetails `json:"changeDetails,omitempty"`
}

// LogChangeDetails records before and after values of changed attributes.
type LogChangeDetails struct {
	From map[string]any `json:"from,omitempty"`
	To   map[string]any `json:"to,omitempty"`
}

// LogClient is the client context of the request that caused the event.
type LogClient struct {
	UserAgent *LogUserAgent `json:"userAgent,omitempty"`
	Zone      string        `json:"zone"`
	Device    string        `json:"device,omitempty"`
	IPAddress string        `json:"ipAddress,omitempty"`
}

// LogUserAgent is the raw user agent and what was parsed from it.
type LogUserAgent struct {
	RawUserAgent string `json:"rawUserAgent"`
	OS           string `json:"os"`
	Browser      string `json:"browser"`
}

// LogOutcome is the result of the action.
type LogOutcome struct {
	Result string `json:"result"`
	Reason string `json:"reason,omitempty"`
}

// LogTransaction ties an event to its request.
type LogTransaction struct {
	Type   string         `json:"type"`
	ID     string         `json:"id,omitempty"`
	Detail map[string]any `json:"detail"`
}

// LogDebugContext carries request details for troubleshooting.
type LogDebugContext struct {
	DebugData map[string]any `json:"debugData"`
}

// LogAuthContext describes how the actor authenticated.
type LogAuthContext struct {
	AuthenticationStep int    `json:"authenticationStep"`
	ExternalSessionID  string `json:"externalSessionId,omitempty"`
	CredentialType     string `json:"credentialType,omitempty"`
}

// LogSecurityContext is Okta's threat-intel context; okapi has none to offer.
type LogSecurityContext struct{}

// LogRequest holds the IP chain of the request.
type LogRequest struct {
	IPChain []LogIP `json:"ipChain"`
}

// LogIP is one hop of the IP chain.
type LogIP struct {
	IP      string `json:"ip"`
	Version string `json:"version"`
}

// MarshalJSON writes the event with every collection present: target, ipChain, debugData and
// transaction.detail are [] or {} rather than null, whoever built the event.
func (e LogEvent) MarshalJSON() ([]byte, error) {
	type plain LogEvent
	if e.Target == nil {
		e.Target = []LogTarget{}
	}
	if e.Request.IPChain == nil {
		e.Request.IPChain = []LogIP{}
	}
	if e.Transaction.Detail == nil {
		e.Transaction.Detail = map[string]any{}
	}
	if e.DebugContext.DebugData == nil {
		e.DebugContext.DebugData = map[string]any{}
	}
	if e.Client.Zone == "" {
		e.Client.Zone = "null"
	}
	return json.Marshal(plain(e))
}

// Fail marks the event as a refused action: outcome FAILURE with reason, severity WARN, and the
// legacy event type of the failure where Okta has a distinct one.
func (e *LogEvent) Fail(reason string) {
	e.Outcome = LogOutcome{Result: OutcomeFailure, Reason: reason}
	e.Severity = "WARN"
	e.LegacyEventType = LegacyEventType(e.EventType, OutcomeFailure)
}

// Outcome results.
const (
	OutcomeSuccess = "SUCCESS"
	OutcomeFailure = "FAILURE"
)

// NewLogEvent stamps an event with the caller's actor, client, request and transaction. The
// service fills in the type, message and targets; the store assigns Seq.
func NewLogEvent(c *Caller, ids IDs, now Time, eventType, message string, targets ...LogTarget) LogEvent {
	actor := LogActor{ID: c.UserID, Type: "User", AlternateID: c.Login, DisplayName: c.DisplayName}
	if c.UserID == "" {
		actor = LogActor{ID: "unknown", Type: "PublicClientApp", AlternateID: "unknown", DisplayName: "unknown"}
	}
	chain := make([]LogIP, 0, len(c.IPChain))
	for _, ip := range c.IPChain {
		chain = append(chain, LogIP{IP: ip, Version: ipVersion(ip)})
	}
	if targets == nil {
		targets = []LogTarget{}
	}
	zone := c.Zone
	if zone == "" {
		zone = "null"
	}
	ev := LogEvent{
		UUID:            NewUUID(ids),
		Published:       now,
		EventType:       eventType,
		Version:         "0",
		Severity:        "INFO",
		LegacyEventType: LegacyEventType(eventType, OutcomeSuccess),
		DisplayMessage:  message,
		Actor:           actor,
		Client:          LogClient{Zone: zone, IPAddress: c.IP, Device: "Unknown"},
		Outcome:         LogOutcome{Result: OutcomeSuccess},
		Target:          targets,
		Transaction:     LogTransaction{Type: "WEB", ID: c.RequestID, Detail: map[string]any{}},
		DebugContext:    LogDebugContext{DebugData: map[string]any{}},
		Request:         LogRequest{IPChain: chain},
	}
	if c.UserAgent != "" {
		ev.Client.UserAgent = &LogUserAgent{RawUserAgent: c.UserAgent, OS: "Unknown", Browser: "UNKNOWN"}
	}
	if c.TokenID != "" {
		ev.Transaction.Detail["requestApiTokenId"] = c.TokenID
	}
	if c.RequestID != "" {
		ev.DebugContext.DebugData["requestId"] = c.RequestID
		ev.DebugContext.DebugData["requestUri"] = c.RequestURI
		ev.DebugContext.DebugData["url"] = c.URL
	}
	return ev
}

func ipVersion(ip string) string {
	for i := 0; i < len(ip); i++ {
		if ip[i] == ':' {
			return "V6"
		}
	}
	return "V4"
}

// NewUUID returns an RFC 4122 version 4 UUID built from ids, so seeded runs repeat.
func NewUUID(ids IDs) string {
	const hex = "0123456789abcdef"
	r := ids.Random(32)
	b := make([]byte, 0, 36)
	for i := 0; i < 32; i++ {
		if i == 8 || i == 12 || i == 16 || i == 20 {
			b = append(b, '-')
		}
		v := int(r[i]) % 16
		switch i {
		case 12:
			v = 4
		case 16:
			v = 8 | v&3
		}
		b = append(b, hex[v])
	}
	return string(b)
}
