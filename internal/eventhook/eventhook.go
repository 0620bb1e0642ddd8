// Package eventhook holds Okta's event hook: its shape, the rules a create or replace must pass,
// and the delivery payload. It knows nothing of HTTP or SQL; internal/hookdelivery sends the
// requests and the store keeps each hook's delivery cursor.
//
// Sources: Okta's Event Hooks API (operations createEventHook, replaceEventHook,
// verifyEventHook...) and "Event hooks" in Okta's concepts documentation
// (https://developer.okta.com/docs/concepts/event-hooks/).
package eventhook

import (
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// IDPrefix starts every event hook id: "who" and 17 base62 characters.
const IDPrefix = "who"

// MaxActive is how many ACTIVE and VERIFIED event hooks an org may have (Okta's documented limit).
const MaxActive = 25

// Statuses and verification statuses.
const (
	StatusActive   = "ACTIVE"
	StatusInactive = "INACTIVE"
	Unverified     = "UNVERIFIED"
	Verified       = "VERIFIED"
)

// EventHook is an Okta event hook. AuthScheme.Value is write-only: stored, sent to the receiver,
// never returned.
type EventHook struct {
	ID                 string
	Status             string
	VerificationStatus string
	Name               string
	Description        *string
	Created            domain.Time
	CreatedBy          string
	LastUpdated        domain.Time
	Events             Events
	Channel            Channel
	// Origin is the org's base URL as the client that created or last replaced the hook
	// addressed it (https://{org}); deliveries name it in their source. Not part of Okta's shape.
	Origin string
}

// Events is the subscription: type EVENT_TYPE and the event types delivered. Filter is kept as
// the client sent it (an Early Access feature okapi stores but does not evaluate).
type Events struct {
	Type   string   `json:"type"`
	Items  []string `json:"items"`
	Filter any      `json:"filter"`
}

// Channel says where and how events are sent.
type Channel struct {
	Type    string `json:"type"`
	Version string `json:"version"`
	Config  Config `json:"config"`
}

// Config is the receiver: its URI, extra headers and the authorization header.
type Config struct {
	URI        string      `json:"uri"`
	Headers    []Header    `json:"headers"`
	Method     string      `json:"method"`
	AuthScheme *AuthScheme `json:"authScheme,omitempty"`
}

// Header is one custom header sent with every request to the receiver.
type Header struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// AuthScheme is the header that carries the shared secret (type HEADER).
type AuthScheme struct {
	Type  string `json:"type"`
	Key   string `json:"key"`
	Value string `json:"value,omitempty"`
}

// Deliverable reports whether the hook receives events: only ACTIVE and VERIFIED hooks do.
func (h EventHook) Deliverable() bool {
	return h.Status == StatusActive && h.VerificationStatus == Verified
}

// Subscribes reports whether the hook asked for events of eventType.
func (h EventHook) Subscribes(eventType string) bool {
	for _, t := range h.Events.Items {
		if t == eventType {
			return true
		}
	}
	return false
}

// SetDefaults fills what Okta fills on create and replace: method POST, no headers, and the
// channel version and type clients may leave out.
func (h *EventHook) SetDefaults() {
	h.Channel.Config.Method = "POST"
	if h.Channel.Config.Headers == nil {
		h.Channel.Config.Headers = []Header{}
	}
	if h.Events.Items == nil {
		h.Events.Items = []string{}
	}
}

// Validate checks a hook for create or replace: 400 E0000001 with one cause per problem.
func (h EventHook) Validate() error {
	var fe domain.FieldErrors
	switch {
	case strings.TrimSpace(h.Name) == "":
		fe.Add("name", "The field cannot be left blank")
	case utf8.RuneCountInString(h.Name) > 255:
		fe.Add("name", "The field cannot exceed 255 characters")
	}
	validateEvents(&fe, h.Events)
	validateChannel(&fe, h.Channel)
	return fe.Err()
}

func validateEvents(fe *domain.FieldErrors, e Events) {
	if e.Type != "EVENT_TYPE" {
		fe.Add("events.type", "The events type must be EVENT_TYPE")
	}
	if len(e.Items) == 0 {
		fe.Add("events.items", "At least one event type is required")
	}
	seen := map[string]bool{}
	for _, t := range e.Items {
		switch {
		case !isEventType(t):
			fe.Add("events.items", "The event type: "+strconv.Quote(t)+" is not a valid event type")
		case seen[t]:
			fe.Add("events.items", "The event type: "+t+" is listed more than once")
		case strings.HasPrefix(t, "event_hook."):
			// Delivery failures are logged as event_hook.delivery: a hook subscribed to them would
			// feed its own failures back to itself.
			fe.Add("events.items", "The event type: "+t+" is not eligible for event hooks")
		}
		seen[t] = true
	}
}

// isEventType accepts System Log event type names: dot-separated lower-case words.
func isEventType(t string) bool {
	if t == "" || len(t) > 255 || !strings.Contains(t, ".") {
		return false
	}
	for _, r := range t {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '.' || r == '_') {
			return false
		}
	}
	return !strings.HasPrefix(t, ".") && !strings.HasSuffix(t, ".") && !strings.Contains(t, "..")
}

func validateChannel(fe *domain.FieldErrors, c Channel) {
	if c.Type != "HTTP" {
		fe.Add("channel.type", "The channel type must be HTTP")
	}
	if c.Version != "1.0.0" {
		fe.Add("channel.version", "The channel version must be 1.0.0")
	}
	if c.Config.URI == "" {
		fe.Add("channel.config.uri", "The field cannot be left blank")
	} else if !validURI(c.Config.URI) {
		fe.Add("channel.config.uri", "The URI must be an absolute http or https URL")
	}
	for _, hd := range c.Config.Headers {
		if !validHeaderName(hd.Key) {
			fe.Add("channel.config.headers", "The header name: "+strconv.Quote(hd.Key)+" is not valid")
		}
		if strings.ContainsAny(hd.Value, "\r\n") {
			fe.Add("channel.config.headers", "The value of header "+hd.Key+" must not contain line breaks")
		}
	}
	if a := c.Config.AuthScheme; a != nil {
		if a.Type != "HEADER" {
			fe.Add("channel.config.authScheme.type", "The auth scheme type must be HEADER")
		}
		if !validHeaderName(a.Key) {
			fe.Add("channel.config.authScheme.key", "The header name: "+strconv.Quote(a.Key)+" is not valid")
		}
		if strings.ContainsAny(a.Value, "\r\n") {
			fe.Add("channel.config.authScheme.value", "The value must not contain line breaks")
		}
	}
}

// validURI accepts absolute http and https URLs. Okta requires HTTPS; okapi is a test tool whose
// receivers are often plain-HTTP listeners on loopback, so it also takes http.
func validURI(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.User == nil
}

// validHeaderName is RFC 9110's token.
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 126 || r <= 32 || strings.ContainsRune(`"(),/:;<=>?@[\]{}`, r) {
			return false
		}
	}
	return true
}

// Payload is the body of a delivery request, as Okta's event hook documentation shows it
// ("Event hooks" > "Requests from Okta"): a CloudEvents 0.1 envelope around System Log events.
type Payload struct {
	EventType          string      `json:"eventType"`
	EventTypeVersion   string      `json:"eventTypeVersion"`
	CloudEventsVersion string      `json:"cloudEventsVersion"`
	Source             string      `json:"source"`
	EventID            string      `json:"eventId"`
	Data               PayloadData `json:"data"`
	EventTime          domain.Time `json:"eventTime"`
	ContentType        string      `json:"contentType"`
}

// PayloadData holds the delivered events.
type PayloadData struct {
	Events []domain.LogEvent `json:"events"`
}

// NewPayload builds the request body for events delivered to h under eventID.
func NewPayload(h EventHook, eventID string, eventTime domain.Time, events []domain.LogEvent) Payload {
	if events == nil {
		events = []domain.LogEvent{}
	}
	return Payload{
		EventType: "com.okta.event_hook", EventTypeVersion: "1.0", CloudEventsVersion: "0.1",
		Source: h.Origin + "/api/v1/eventHooks/" + h.ID, EventID: eventID,
		Data: PayloadData{Events: events}, EventTime: eventTime, ContentType: "application/json",
	}
}
