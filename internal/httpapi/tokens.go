package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// apiToken is the ApiToken resource; the spec spells its links `_link`.
type apiToken struct {
	domain.APIToken
	Link Links `json:"_link"`
}

func (s *Server) tokenJSON(r *http.Request, t domain.APIToken) apiToken {
	return apiToken{APIToken: t, Link: Links{"self": s.link(r, "/api/v1/api-tokens/"+t.ID)}}
}

func (s *Server) listTokens(w http.ResponseWriter, r *http.Request) error {
	p, err := listParams(r, 20, 200)
	if err != nil {
		return err
	}
	page, err := s.svc.ListTokens(r.Context(), p)
	if err != nil {
		return err
	}
	return writePage(s, w, r, page, func(t domain.APIToken) apiToken { return s.tokenJSON(r, t) })
}

func (s *Server) getToken(w http.ResponseWriter, r *http.Request) error {
	t, err := s.svc.GetToken(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.tokenJSON(r, t))
	return nil
}

func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeToken(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) revokeCurrentToken(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.RevokeToken(r.Context(), callerOf(r.Context()).TokenID); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) upsertToken(w http.ResponseWriter, r *http.Request) error {
	var in service.TokenUpdate
	if _, err := decode(r, &in); err != nil {
		return err
	}
	t, err := s.svc.UpsertTokenNetwork(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.tokenJSON(r, t))
	return nil
}
