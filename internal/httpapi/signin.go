package httpapi

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/signin"
)

// signinRoutes lists the Classic Authentication API (/api/v1/authn, no API token: the user's
// credentials are the authentication), the Sessions API and the session cookie redirect.
// Sources: developer.okta.com/docs/reference/api/authn and /api/sessions.
func (s *Server) signinRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyAuthn, []route{
			{"POST", "/api/v1/authn", s.h(s.authn)},
			{"POST", "/api/v1/authn/introspect", s.h(s.authnIntrospect)},
			{"POST", "/api/v1/authn/cancel", s.h(s.authnCancel)},
			{"POST", "/api/v1/authn/skip", s.h(s.authnSkip)},
			{"POST", "/api/v1/authn/credentials/change_password", s.h(s.authnChangePassword)},
		}),
		inFamily(ratelimit.FamilySessions, []route{
			{"POST", "/api/v1/sessions", s.authed(s.h(s.createSession))},
			{"GET", "/api/v1/sessions/me", s.h(s.getCurrentSession)},
			{"POST", "/api/v1/sessions/me/lifecycle/refresh", s.h(s.refreshCurrentSession)},
			{"DELETE", "/api/v1/sessions/me", s.h(s.closeCurrentSession)},
			{"GET", "/api/v1/sessions/{id}", s.authed(s.h(s.getSession))},
			{"POST", "/api/v1/sessions/{id}/lifecycle/refresh", s.authed(s.h(s.refreshSession))},
			{"DELETE", "/api/v1/sessions/{id}", s.authed(s.h(s.revokeSession))},
		}),
		inFamily(ratelimit.FamilyOther, []route{
			{"DELETE", "/api/v1/users/{id}/sessions", s.authed(s.h(s.clearUserSessions))},
		}),
		inFamily(notLimited, []route{
			{"GET", "/login/sessionCookieRedirect", s.h(s.sessionCookieRedirect)},
		}),
	)
}

// sessionCookie is the name of Okta's session cookie ("Retrieve a session cookie").
const sessionCookie = "sid"

// authnJSON is an Authn transaction object.
type authnJSON struct {
	StateToken   string         `json:"stateToken,omitempty"`
	ExpiresAt    *domain.Time   `json:"expiresAt,omitempty"`
	Status       string         `json:"status"`
	RelayState   string         `json:"relayState,omitempty"`
	FactorResult string         `json:"factorResult,omitempty"`
	SessionToken string         `json:"sessionToken,omitempty"`
	Embedded     map[string]any `json:"_embedded,omitempty"`
	Links        Links          `json:"_links,omitempty"`
}

func (s *Server) authnResultJSON(r *http.Request, res service.AuthnResult) authnJSON {
	out := authnJSON{StateToken: res.StateToken, Status: res.Status, RelayState: res.RelayState,
		FactorResult: res.FactorResult, SessionToken: res.SessionToken}
	if !res.ExpiresAt.IsZero() {
		out.ExpiresAt = &res.ExpiresAt
	}
	if res.User.ID != "" {
		p := map[string]any{}
		for _, k := range []string{"login", "firstName", "lastName", "locale", "timeZone"} {
			if v, ok := res.User.Profile[k]; ok {
				p[k] = v
			}
		}
		user := map[string]any{"id": res.User.ID, "profile": p}
		if !res.User.PasswordChanged.IsZero() {
			user["passwordChanged"] = res.User.PasswordChanged
		}
		out.Embedded = map[string]any{"user": user}
	}
	base := "/api/v1/authn"
	links := Links{}
	switch res.Status {
	case signin.StatusPasswordExpired, signin.StatusPasswordWarn:
		links["next"] = Link{Name: "changePassword", Href: s.baseURL(r) + base + "/credentials/change_password",
			Hints: &LinkHints{Allow: []string{"POST"}}}
		if res.Status == signin.StatusPasswordWarn {
			links["skip"] = s.postLink(r, base+"/skip")
		}
		if res.Policy != nil && out.Embedded != nil {
			out.Embedded["policy"] = passwordPolicyJSON(res)
		}
	case signin.StatusMFARequired, signin.StatusMFAChallenge:
		factors := make([]any, len(res.Factors))
		for i, f := range res.Factors {
			factors[i] = map[string]any{"id": f.ID, "factorType": f.FactorType, "provider": f.Provider,
				"vendorName": f.Provider, "profile": f.Profile,
				"_links": Links{"verify": s.postLink(r, base+"/factors/"+f.ID+"/verify")}}
		}
		if res.Status == signin.StatusMFAChallenge && len(factors) == 1 {
			out.Embedded["factor"] = factors[0]
			links["next"] = Link{Name: "verify", Href: s.baseURL(r) + base + "/factors/" + res.Factors[0].ID + "/verify",
				Hints: &LinkHints{Allow: []string{"POST"}}}
		} else {
			out.Embedded["factors"] = factors
		}
	}
	if res.StateToken != "" {
		links["cancel"] = s.postLink(r, base+"/cancel")
	}
	if len(links) > 0 {
		out.Links = links
	}
	return out
}

func (s *Server) authn(w http.ResponseWriter, r *http.Request) error {
	var in service.AuthnRequest
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.Authn(r.Context(), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}

type stateTokenBody struct {
	StateToken  string `json:"stateToken"`
	OldPassword string `json:"oldPassword"`
	NewPassword string `json:"newPassword"`
}

func (s *Server) authnIntrospect(w http.ResponseWriter, r *http.Request) error {
	var in stateTokenBody
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.AuthnIntrospect(r.Context(), in.StateToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}

func (s *Server) authnCancel(w http.ResponseWriter, r *http.Request) error {
	var in stateTokenBody
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.AuthnCancel(r.Context(), in.StateToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}

func (s *Server) authnSkip(w http.ResponseWriter, r *http.Request) error {
	var in stateTokenBody
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.AuthnSkip(r.Context(), in.StateToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}

func (s *Server) authnChangePassword(w http.ResponseWriter, r *http.Request) error {
	var in stateTokenBody
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.AuthnChangePassword(r.Context(), in.StateToken, in.OldPassword, in.NewPassword)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}

// sessionJSON is the Session resource (getSession).
func (s *Server) sessionJSON(r *http.Request, sess domain.Session) map[string]any {
	self := "/api/v1/sessions/" + sess.ID
	amr := sess.AMR
	if amr == nil {
		amr = []string{}
	}
	out := map[string]any{
		"id": sess.ID, "login": sess.Login, "userId": sess.UserID, "createdAt": sess.CreatedAt,
		"expiresAt": sess.ExpiresAt, "status": sess.Status, "amr": amr, "mfaActive": !sess.LastFactorVerification.IsZero(),
		"idp": map[string]any{"id": sess.OrgID, "type": "OKTA"},
		"_links": Links{
			"self":    Link{Href: s.baseURL(r) + self, Hints: &LinkHints{Allow: []string{"GET", "DELETE"}}},
			"refresh": s.postLink(r, self+"/lifecycle/refresh"),
			"user": Link{Name: sess.Login, Href: s.baseURL(r) + "/api/v1/users/" + sess.UserID,
				Hints: &LinkHints{Allow: []string{"GET"}}},
		},
	}
	// Okta writes null for a verification that never happened; the v5 spec does not allow null,
	// so okapi leaves the field out.
	if !sess.LastPasswordVerification.IsZero() {
		out["lastPasswordVerification"] = sess.LastPasswordVerification
	}
	if !sess.LastFactorVerification.IsZero() {
		out["lastFactorVerification"] = sess.LastFactorVerification
	}
	return out
}

func (s *Server) createSession(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		SessionToken string `json:"sessionToken"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	sess, err := s.svc.RedeemSessionToken(r.Context(), in.SessionToken)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionJSON(r, sess))
	return nil
}

func (s *Server) getSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.svc.SessionByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionJSON(r, sess))
	return nil
}

func (s *Server) refreshSession(w http.ResponseWriter, r *http.Request) error {
	sess, err := s.svc.RefreshSession(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.sessionJSON(r, sess))
	return nil
}

func (s *Server) revokeSession(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.CloseSession(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) clearUserSessions(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.ClearUserSessions(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// currentSessionID is the session the sid cookie names; the /sessions/me endpoints take only
// the cookie, never an API token (getCurrentSession).
func currentSessionID(r *http.Request) (string, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return "", domain.NotFound("me", "Session")
	}
	return c.Value, nil
}

func (s *Server) getCurrentSession(w http.ResponseWriter, r *http.Request) error {
	id, err := currentSessionID(r)
	if err != nil {
		return err
	}
	sess, err := s.svc.SessionByID(r.Context(), id)
	if err != nil {
		return domain.NotFound("me", "Session")
	}
	writeJSON(w, http.StatusOK, s.sessionJSON(r, sess))
	return nil
}

func (s *Server) refreshCurrentSession(w http.ResponseWriter, r *http.Request) error {
	id, err := currentSessionID(r)
	if err != nil {
		return err
	}
	sess, err := s.svc.RefreshSession(r.Context(), id)
	if err != nil {
		return domain.NotFound("me", "Session")
	}
	if strings.Contains(r.Header.Get("Prefer"), "return=minimal") {
		w.Header().Set("Preference-Applied", "return=minimal")
		noContent(w)
		return nil
	}
	writeJSON(w, http.StatusOK, s.sessionJSON(r, sess))
	return nil
}

func (s *Server) closeCurrentSession(w http.ResponseWriter, r *http.Request) error {
	id, err := currentSessionID(r)
	if err != nil {
		return err
	}
	if err := s.svc.CloseSession(r.Context(), id); err != nil {
		return domain.NotFound("me", "Session")
	}
	s.setSessionCookie(w, r, "", -1)
	noContent(w)
	return nil
}

// setSessionCookie sets (or with maxAge < 0 clears) sid: HttpOnly so no script reads it, Secure
// and SameSite=None over HTTPS (cross-site flows such as okta-auth-js need it), Lax over plain
// HTTP, where browsers refuse SameSite=None.
func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, id string, maxAge int) {
	secure := strings.HasPrefix(s.baseURL(r), "https://")
	c := &http.Cookie{Name: sessionCookie, Value: id, Path: "/", HttpOnly: true, Secure: secure, MaxAge: maxAge,
		SameSite: http.SameSiteLaxMode}
	if secure {
		c.SameSite = http.SameSiteNoneMode
	}
	http.SetCookie(w, c)
}

// sessionCookieRedirect is GET /login/sessionCookieRedirect?token=&redirectUrl=: it redeems the
// sessionToken, sets the sid cookie and redirects. The redirect goes only to okapi itself or to
// a trusted origin, so the endpoint is no open redirect.
func (s *Server) sessionCookieRedirect(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	target := q.Get("redirectUrl")
	if target == "" {
		target = s.baseURL(r) + "/"
	}
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return domain.Validation("redirectUrl", "redirectUrl: The redirect URL is not valid")
	}
	origin := u.Scheme + "://" + u.Host
	if origin != s.baseURL(r) {
		org := callerOf(r.Context()).OrgID
		if org == "" {
			if org, err = s.svc.DefaultOrgID(r.Context()); err != nil {
				return err
			}
		}
		ok, err := s.svc.CORSAllowed(r.Context(), org, origin)
		if err != nil {
			return err
		}
		if !ok {
			return domain.Validation("redirectUrl", "redirectUrl: The redirect URL is not a trusted origin")
		}
	}
	sess, err := s.svc.RedeemSessionToken(r.Context(), q.Get("token"))
	if err != nil {
		return err
	}
	s.setSessionCookie(w, r, sess.ID, 0)
	http.Redirect(w, r, u.String(), http.StatusFound)
	return nil
}

// passwordPolicyJSON is the _embedded.policy of a PASSWORD_EXPIRED or PASSWORD_WARN
// transaction: what the new password must meet (Okta's Authn API "Password Policy Object").
func passwordPolicyJSON(res service.AuthnResult) map[string]any {
	p := res.Policy
	out := map[string]any{
		"complexity": map[string]any{"minLength": p.MinLength, "minLowerCase": p.MinLowerCase, "minUpperCase": p.MinUpperCase,
			"minNumber": p.MinNumber, "minSymbol": p.MinSymbol, "excludeUsername": p.ExcludeUsername,
			"excludeAttributes": append([]string{}, p.ExcludeAttributes...)},
		"age": map[string]any{"minAgeMinutes": int(p.MinAge / time.Minute), "historyCount": p.HistoryCount},
	}
	if res.Status == signin.StatusPasswordWarn {
		out["expiration"] = map[string]any{"passwordExpireDays": res.ExpireDays}
	}
	return out
}
