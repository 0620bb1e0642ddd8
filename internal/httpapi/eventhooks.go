package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/eventhook"
	"github.com/okapi-dev/okapi/internal/ratelimit"
)

// eventHookRoutes lists the Event Hooks API (listEventHooks, createEventHook, getEventHook,
// replaceEventHook, deleteEventHook, activateEventHook, deactivateEventHook, verifyEventHook).
func (s *Server) eventHookRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/eventHooks", s.authed(s.h(s.listEventHooks))},
		{"POST", "/api/v1/eventHooks", s.authed(s.h(s.createEventHook))},
		{"GET", "/api/v1/eventHooks/{id}", s.authed(s.h(s.getEventHook))},
		{"PUT", "/api/v1/eventHooks/{id}", s.authed(s.h(s.replaceEventHook))},
		{"DELETE", "/api/v1/eventHooks/{id}", s.authed(s.h(s.deleteEventHook))},
		{"POST", "/api/v1/eventHooks/{id}/lifecycle/activate", s.authed(s.h(s.setEventHookStatus(eventhook.StatusActive)))},
		{"POST", "/api/v1/eventHooks/{id}/lifecycle/deactivate", s.authed(s.h(s.setEventHookStatus(eventhook.StatusInactive)))},
		{"POST", "/api/v1/eventHooks/{id}/lifecycle/verify", s.authed(s.h(s.verifyEventHook))},
	})
}

// eventHookBody is the EventHook schema as clients send it; read-only fields are ignored.
type eventHookBody struct {
	Name        string            `json:"name"`
	Description *string           `json:"description"`
	Events      eventhook.Events  `json:"events"`
	Channel     eventhook.Channel `json:"channel"`
}

// eventHookOut is the EventHook schema as Okta returns it: authScheme.value is write-only.
type eventHookOut struct {
	ID                 string            `json:"id"`
	Status             string            `json:"status"`
	VerificationStatus string            `json:"verificationStatus"`
	Name               string            `json:"name"`
	Description        *string           `json:"description"`
	Created            domain.Time       `json:"created"`
	CreatedBy          string            `json:"createdBy"`
	LastUpdated        domain.Time       `json:"lastUpdated"`
	Events             eventhook.Events  `json:"events"`
	Channel            eventhook.Channel `json:"channel"`
	Links              Links             `json:"_links"`
}

func (s *Server) eventHookJSON(r *http.Request, h eventhook.EventHook) eventHookOut {
	ch := h.Channel
	if a := ch.Config.AuthScheme; a != nil {
		ch.Config.AuthScheme = &eventhook.AuthScheme{Type: a.Type, Key: a.Key}
	}
	path := "/api/v1/eventHooks/" + h.ID
	links := s.lifecycleLinks(r, path, h.Status == eventhook.StatusActive)
	links["verify"] = s.postLink(r, path+"/lifecycle/verify")
	return eventHookOut{
		ID: h.ID, Status: h.Status, VerificationStatus: h.VerificationStatus, Name: h.Name,
		Description: h.Description, Created: h.Created, CreatedBy: h.CreatedBy, LastUpdated: h.LastUpdated,
		Events: h.Events, Channel: ch, Links: links,
	}
}

// decodeEventHook reads a create or replace body; the org's base URL becomes the deliveries'
// source.
func (s *Server) decodeEventHook(r *http.Request) (eventhook.EventHook, error) {
	var in eventHookBody
	present, err := decode(r, &in)
	if err != nil {
		return eventhook.EventHook{}, err
	}
	if !present {
		return eventhook.EventHook{}, domain.Validation("body", "body: The request body is required")
	}
	return eventhook.EventHook{Name: in.Name, Description: in.Description, Events: in.Events, Channel: in.Channel, Origin: s.baseURL(r)}, nil
}

func (s *Server) listEventHooks(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListEventHooks(r.Context())
	if err != nil {
		return err
	}
	out := make([]eventHookOut, len(list))
	for i, h := range list {
		out[i] = s.eventHookJSON(r, h)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getEventHook(w http.ResponseWriter, r *http.Request) error {
	h, err := s.svc.GetEventHook(r.Context(), r.PathValue("id"))
	return s.writeEventHook(w, r, h, err)
}

func (s *Server) createEventHook(w http.ResponseWriter, r *http.Request) error {
	in, err := s.decodeEventHook(r)
	if err != nil {
		return err
	}
	h, err := s.svc.CreateEventHook(r.Context(), in)
	return s.writeEventHook(w, r, h, err)
}

func (s *Server) replaceEventHook(w http.ResponseWriter, r *http.Request) error {
	in, err := s.decodeEventHook(r)
	if err != nil {
		return err
	}
	h, err := s.svc.ReplaceEventHook(r.Context(), r.PathValue("id"), in)
	return s.writeEventHook(w, r, h, err)
}

func (s *Server) deleteEventHook(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteEventHook(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) setEventHookStatus(status string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		h, err := s.svc.SetEventHookStatus(r.Context(), r.PathValue("id"), status)
		return s.writeEventHook(w, r, h, err)
	}
}

func (s *Server) verifyEventHook(w http.ResponseWriter, r *http.Request) error {
	h, err := s.svc.VerifyEventHook(r.Context(), r.PathValue("id"))
	return s.writeEventHook(w, r, h, err)
}

func (s *Server) writeEventHook(w http.ResponseWriter, r *http.Request, h eventhook.EventHook, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.eventHookJSON(r, h))
	return nil
}
