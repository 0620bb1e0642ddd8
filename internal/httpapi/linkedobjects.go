package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
)

// linkedObjectRoutes lists the Linked Objects definitions API (listLinkedObjectDefinitions,
// createLinkedObjectDefinition, getLinkedObjectDefinition, deleteLinkedObjectDefinition).
func (s *Server) linkedObjectRoutes() []route {
	return []route{
		{"GET", "/api/v1/meta/schemas/user/linkedObjects", s.authed(s.h(s.listLinkedObjects))},
		{"POST", "/api/v1/meta/schemas/user/linkedObjects", s.authed(s.h(s.createLinkedObject))},
		{"GET", "/api/v1/meta/schemas/user/linkedObjects/{name}", s.authed(s.h(s.getLinkedObject))},
		{"DELETE", "/api/v1/meta/schemas/user/linkedObjects/{name}", s.authed(s.h(s.deleteLinkedObject))},
		{"GET", "/api/v1/users/{id}/linkedObjects/{name}", s.authed(s.h(s.listLinkedUsers))},
		{"PUT", "/api/v1/users/{id}/linkedObjects/{name}/{primaryId}", s.authed(s.h(s.setLink))},
		{"DELETE", "/api/v1/users/{id}/linkedObjects/{name}", s.authed(s.h(s.deleteLink))},
	}
}

type linkedObjectJSON struct {
	domain.LinkedObject
	Links Links `json:"_links"`
}

func (s *Server) linkedObjectJSON(r *http.Request, l domain.LinkedObject) linkedObjectJSON {
	return linkedObjectJSON{l, Links{"self": s.link(r, "/api/v1/meta/schemas/user/linkedObjects/"+l.Primary.Name)}}
}

func (s *Server) listLinkedObjects(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListLinkedObjects(r.Context())
	if err != nil {
		return err
	}
	out := make([]linkedObjectJSON, len(list))
	for i, l := range list {
		out[i] = s.linkedObjectJSON(r, l)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) createLinkedObject(w http.ResponseWriter, r *http.Request) error {
	var in domain.LinkedObject
	if _, err := decode(r, &in); err != nil {
		return err
	}
	l, err := s.svc.CreateLinkedObject(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, s.linkedObjectJSON(r, l))
	return nil
}

func (s *Server) getLinkedObject(w http.ResponseWriter, r *http.Request) error {
	l, err := s.svc.GetLinkedObject(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.linkedObjectJSON(r, l))
	return nil
}

func (s *Server) deleteLinkedObject(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteLinkedObject(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// listLinkedUsers answers the linked users as Okta does: only a self link each.
func (s *Server) listLinkedUsers(w http.ResponseWriter, r *http.Request) error {
	ids, err := s.svc.LinkedUsers(r.Context(), r.PathValue("id"), r.PathValue("name"))
	if err != nil {
		return err
	}
	out := make([]map[string]Links, len(ids))
	for i, id := range ids {
		out[i] = map[string]Links{"_links": {"self": s.link(r, "/api/v1/users/"+id)}}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) setLink(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.SetLink(r.Context(), r.PathValue("id"), r.PathValue("name"), r.PathValue("primaryId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) deleteLink(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteLink(r.Context(), r.PathValue("id"), r.PathValue("name")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
