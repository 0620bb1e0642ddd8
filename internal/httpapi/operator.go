package httpapi

import (
	"crypto/sha256"
	"crypto/subtle"
	"net/http"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/connlimit"
	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// operator guards the operator API (/okapi/v1): the operator token, never an org's API token.
// The secrets are hashed before the constant-time compare so not even their lengths leak.
// Failures count against the same per-IP brute-force limit as /api/v1 (authfail.go): the
// operator token opens every org, so a guesser must be slowed here at least as much.
func (s *Server) operator(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.authBlocked(w, r) {
			return
		}
		secret, ok := strings.CutPrefix(r.Header.Get("Authorization"), "SSWS ")
		got := sha256.Sum256([]byte(strings.TrimSpace(secret)))
		if !ok || s.operatorHash == nil || subtle.ConstantTimeCompare(got[:], s.operatorHash) != 1 {
			s.authFailed(r)
			s.writeError(w, r, domain.ErrInvalidToken)
			return
		}
		connlimit.MarkTrusted(r.Context())
		h(w, r)
	}
}

// orgJSON is an org as the operator API shows it. Token is set only when the org is created.
type orgJSON struct {
	ID      string      `json:"id"`
	Name    string      `json:"name"`
	URL     string      `json:"url"`
	Created domain.Time `json:"created"`
	Token   string      `json:"token,omitempty"`
}

func (s *Server) orgOut(r *http.Request, o domain.Org) orgJSON {
	return orgJSON{ID: o.ID, Name: o.Name, URL: s.orgURL(r, o.Name), Created: o.Created}
}

func (s *Server) createOrg(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		Name string `json:"name"`
	}
	if _, err := decode(r, &body); err != nil {
		return err
	}
	start := time.Now()
	org, secret, err := s.svc.NewOrg(r.Context(), body.Name)
	if err != nil {
		return err
	}
	s.log.Info("org created", "org", org.Name, "duration_ms", float64(time.Since(start).Microseconds())/1000)
	out := s.orgOut(r, org)
	out.Token = secret
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) listOrgs(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.svc.ListOrgs(r.Context())
	if err != nil {
		return err
	}
	out := make([]orgJSON, len(orgs))
	for i, o := range orgs {
		out[i] = s.orgOut(r, o)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getOrg(w http.ResponseWriter, r *http.Request) error {
	org, err := s.svc.OrgByName(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.orgOut(r, org))
	return nil
}

func (s *Server) deleteOrg(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteOrg(r.Context(), r.PathValue("name")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// clockBody is the body of POST /okapi/v1/orgs/{name}/clock. Advance is a Go duration ("24h",
// "90m").
type clockBody struct {
	Reset   bool   `json:"reset"`
	Freeze  string `json:"freeze"`
	Advance string `json:"advance"`
}

func (s *Server) getOrgClock(w http.ResponseWriter, r *http.Request) error {
	c, err := s.svc.OrgClockOf(r.Context(), r.PathValue("name"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

func (s *Server) setOrgClock(w http.ResponseWriter, r *http.Request) error {
	var body clockBody
	if _, err := decode(r, &body); err != nil {
		return err
	}
	ch := service.ClockChange{Reset: body.Reset, Freeze: body.Freeze}
	if body.Advance != "" {
		d, err := time.ParseDuration(body.Advance)
		if err != nil {
			return domain.Validation("advance", "advance: use a duration such as 24h or 90m")
		}
		ch.Advance = d
	}
	c, err := s.svc.SetOrgClock(r.Context(), r.PathValue("name"), ch)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, c)
	return nil
}

// createOrgToken is POST /okapi/v1/orgs/{name}/tokens {"user": LOGIN, "name": NAME}: an API
// token owned by that admin, acting with that admin's roles (a lesser admin's token for tests).
func (s *Server) createOrgToken(w http.ResponseWriter, r *http.Request) error {
	var body struct {
		User string `json:"user"`
		Name string `json:"name"`
	}
	if _, err := decode(r, &body); err != nil {
		return err
	}
	tok, secret, err := s.svc.CreateTokenFor(r.Context(), r.PathValue("name"), body.User, body.Name)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"id": tok.ID, "name": tok.Name, "userId": tok.UserID, "token": secret})
	return nil
}
