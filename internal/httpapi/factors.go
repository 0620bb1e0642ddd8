package httpapi

import (
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"net/http"
	"slices"

	"github.com/okapi-dev/okapi/internal/service"
	"github.com/okapi-dev/okapi/internal/signin"
)

// factorRoutes lists the User Factors API (listFactors, enrollFactor, getFactor,
// unenrollFactor, activateFactor, verifyFactor, listSupportedSecurityQuestions) and the Authn
// API's factor verification.
func (s *Server) factorRoutes() []endpoint {
	return slices.Concat(
		inFamily(ratelimit.FamilyAuthnVerify, []route{
			{"POST", "/api/v1/authn/factors/{factorId}/verify", s.h(s.authnVerifyFactor)},
		}),
		inFamily(ratelimit.FamilyOther, []route{
			{"GET", "/api/v1/users/{id}/factors", s.authed(s.h(s.listFactors))},
			{"POST", "/api/v1/users/{id}/factors", s.authed(s.h(s.enrollFactor))},
			{"GET", "/api/v1/users/{id}/factors/questions", s.authed(s.h(s.listQuestions))},
			{"GET", "/api/v1/users/{id}/factors/{factorId}", s.authed(s.h(s.getFactor))},
			{"DELETE", "/api/v1/users/{id}/factors/{factorId}", s.authed(s.h(s.deleteFactor))},
			{"POST", "/api/v1/users/{id}/factors/{factorId}/lifecycle/activate", s.authed(s.h(s.activateFactor))},
			{"POST", "/api/v1/users/{id}/factors/{factorId}/verify", s.authed(s.h(s.verifyFactor))},
		}),
	)
}

// factorJSON is the UserFactor resource; activation carries the TOTP shared secret right after
// enrolment, the only time it is shown.
func (s *Server) factorJSON(r *http.Request, f signin.Factor, secret string) map[string]any {
	self := "/api/v1/users/" + f.UserID + "/factors/" + f.ID
	profile := map[string]any{}
	for k, v := range f.Profile {
		profile[k] = v
	}
	links := Links{
		"self": Link{Href: s.baseURL(r) + self, Hints: &LinkHints{Allow: []string{"GET", "DELETE"}}},
		"user": Link{Href: s.baseURL(r) + "/api/v1/users/" + f.UserID, Hints: &LinkHints{Allow: []string{"GET"}}},
	}
	switch {
	case f.Status == signin.FactorPendingActivation:
		links["activate"] = s.postLink(r, self+"/lifecycle/activate")
	case f.Status == signin.FactorActive:
		links["verify"] = s.postLink(r, self+"/verify")
	}
	if f.FactorType == signin.FactorQuestion {
		links["questions"] = Link{Href: s.baseURL(r) + "/api/v1/users/" + f.UserID + "/factors/questions",
			Hints: &LinkHints{Allow: []string{"GET"}}}
	}
	vendor := "OKTA"
	if f.Provider == "GOOGLE" {
		vendor = "GOOGLE"
	}
	out := map[string]any{"id": f.ID, "factorType": f.FactorType, "provider": f.Provider, "vendorName": vendor,
		"status": f.Status, "created": f.Created, "lastUpdated": f.LastUpdated, "profile": profile, "_links": links}
	if secret != "" {
		out["_embedded"] = map[string]any{"activation": map[string]any{
			"timeStep": signin.TOTPPeriod, "sharedSecret": secret, "encoding": "base32", "keyLength": signin.TOTPDigits,
		}}
	}
	return out
}

func (s *Server) listFactors(w http.ResponseWriter, r *http.Request) error {
	fs, err := s.svc.ListFactors(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := make([]any, len(fs))
	for i, f := range fs {
		out[i] = s.factorJSON(r, f, "")
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) enrollFactor(w http.ResponseWriter, r *http.Request) error {
	var in service.FactorInput
	if _, err := decode(r, &in); err != nil {
		return err
	}
	f, secret, err := s.svc.EnrollFactor(r.Context(), r.PathValue("id"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.factorJSON(r, f, secret))
	return nil
}

func (s *Server) listQuestions(w http.ResponseWriter, r *http.Request) error {
	if _, err := s.svc.GetUser(r.Context(), r.PathValue("id")); err != nil {
		return err
	}
	out := make([]map[string]string, len(service.SecurityQuestions))
	for i, q := range service.SecurityQuestions {
		out[i] = map[string]string{"question": q[0], "questionText": q[1]}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) getFactor(w http.ResponseWriter, r *http.Request) error {
	f, err := s.svc.GetFactor(r.Context(), r.PathValue("id"), r.PathValue("factorId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.factorJSON(r, f, ""))
	return nil
}

func (s *Server) deleteFactor(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteFactor(r.Context(), r.PathValue("id"), r.PathValue("factorId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

func (s *Server) activateFactor(w http.ResponseWriter, r *http.Request) error {
	var in service.FactorVerify
	if _, err := decode(r, &in); err != nil {
		return err
	}
	f, err := s.svc.ActivateFactor(r.Context(), r.PathValue("id"), r.PathValue("factorId"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.factorJSON(r, f, ""))
	return nil
}

func (s *Server) verifyFactor(w http.ResponseWriter, r *http.Request) error {
	var in service.FactorVerify
	if _, err := decode(r, &in); err != nil {
		return err
	}
	if err := s.svc.VerifyFactor(r.Context(), r.PathValue("id"), r.PathValue("factorId"), in); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, map[string]string{"factorResult": "SUCCESS"})
	return nil
}

func (s *Server) authnVerifyFactor(w http.ResponseWriter, r *http.Request) error {
	var in service.FactorVerify
	if _, err := decode(r, &in); err != nil {
		return err
	}
	res, err := s.svc.AuthnVerifyFactor(r.Context(), r.PathValue("factorId"), in)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.authnResultJSON(r, res))
	return nil
}
