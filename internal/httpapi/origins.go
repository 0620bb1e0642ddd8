package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/origin"
)

// trustedOrigin is the TrustedOrigin resource with its _links.
type trustedOrigin struct {
	origin.TrustedOrigin
	Links Links `json:"_links"`
}

func (s *Server) originJSON(r *http.Request, o origin.TrustedOrigin) trustedOrigin {
	if o.Scopes == nil {
		o.Scopes = []origin.Scope{}
	}
	return trustedOrigin{TrustedOrigin: o, Links: s.lifecycleLinks(r, "/api/v1/trustedOrigins/"+o.ID, o.Status == origin.StatusActive)}
}

// lifecycleLinks are the LinksSelfAndLifecycle of zones and trusted origins: self, and the one
// lifecycle operation the current status allows.
func (s *Server) lifecycleLinks(r *http.Request, path string, active bool) Links {
	self := s.link(r, path)
	self.Hints = &LinkHints{Allow: []string{"GET", "PUT", "DELETE"}}
	if active {
		return Links{"self": self, "deactivate": s.postLink(r, path+"/lifecycle/deactivate")}
	}
	return Links{"self": self, "activate": s.postLink(r, path+"/lifecycle/activate")}
}

func (s *Server) listTrustedOrigins(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, 20, 200)
	if err != nil {
		return err
	}
	page, err := s.svc.ListTrustedOrigins(r.Context(), p)
	if err != nil {
		return err
	}
	return writePage(s, w, r, page, func(o origin.TrustedOrigin) trustedOrigin { return s.originJSON(r, o) })
}

func (s *Server) getTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.GetTrustedOrigin(r.Context(), r.PathValue("id"))
	return s.writeOrigin(w, r, o, err)
}

func (s *Server) createTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	var in origin.TrustedOrigin
	if _, err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.svc.CreateTrustedOrigin(r.Context(), in)
	return s.writeOrigin(w, r, o, err)
}

func (s *Server) replaceTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	var in origin.TrustedOrigin
	if _, err := decode(r, &in); err != nil {
		return err
	}
	o, err := s.svc.ReplaceTrustedOrigin(r.Context(), r.PathValue("id"), in)
	return s.writeOrigin(w, r, o, err)
}

func (s *Server) deleteTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteTrustedOrigin(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) activateTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.SetTrustedOriginStatus(r.Context(), r.PathValue("id"), origin.StatusActive)
	return s.writeOrigin(w, r, o, err)
}

func (s *Server) deactivateTrustedOrigin(w http.ResponseWriter, r *http.Request) error {
	o, err := s.svc.SetTrustedOriginStatus(r.Context(), r.PathValue("id"), origin.StatusInactive)
	return s.writeOrigin(w, r, o, err)
}

func (s *Server) writeOrigin(w http.ResponseWriter, r *http.Request, o origin.TrustedOrigin, err error) error {
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.originJSON(r, o))
	return nil
}
