package httpapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/service"
)

// featureRoutes lists the Features API (tag Feature): listFeatures, getFeature,
// listFeatureDependencies, listFeatureDependents and updateFeatureLifecycle. Okta counts them
// against no family of their own. The spec asks okta.features.read and okta.features.manage;
// Okta gives Early Access features to super admins only (authz's FeaturesRead and
// FeaturesManage, permissions.go).
func (s *Server) featureRoutes() []endpoint {
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", "/api/v1/features", s.authed(s.h(s.listFeatures))},
		{"GET", "/api/v1/features/{featureId}", s.authed(s.h(s.getFeature))},
		{"GET", "/api/v1/features/{featureId}/dependencies", s.authed(s.h(s.listFeatureRelations(s.svc.FeatureDependencies)))},
		{"GET", "/api/v1/features/{featureId}/dependents", s.authed(s.h(s.listFeatureRelations(s.svc.FeatureDependents)))},
		{"POST", "/api/v1/features/{featureId}/{lifecycle}", s.authed(s.h(s.updateFeatureLifecycle))},
	})
}

// featureStageJSON is a FeatureStage: an EA feature has no state (spec FeatureStage).
type featureStageJSON struct {
	State string `json:"state,omitempty"`
	Value string `json:"value"`
}

// featureJSON is the Feature object, in the order of Okta's reference example.
type featureJSON struct {
	ID          string           `json:"id"`
	Description string           `json:"description"`
	Name        string           `json:"name"`
	Stage       featureStageJSON `json:"stage"`
	Status      string           `json:"status"`
	Type        string           `json:"type"`
	Links       Links            `json:"_links"`
}

// featureJSON renders v. Besides self, dependents and dependencies (spec Feature__links) it
// links the lifecycle operation the feature's status allows, enable or disable, as Okta's
// Features API reference shows.
func (s *Server) featureJSON(r *http.Request, v service.FeatureView) featureJSON {
	path := "/api/v1/features/" + v.ID
	action := "enable"
	if v.Status == domain.FeatureEnabled {
		action = "disable"
	}
	return featureJSON{
		ID: v.ID, Description: v.Description, Name: v.Name,
		Stage:  featureStageJSON{State: v.State, Value: v.Stage},
		Status: v.Status, Type: domain.FeatureTypeSelfService,
		Links: Links{
			"self": s.link(r, path), action: s.postLink(r, path+"/"+action),
			"dependents": s.link(r, path+"/dependents"), "dependencies": s.link(r, path+"/dependencies"),
		},
	}
}

func (s *Server) featuresJSON(r *http.Request, vs []service.FeatureView) []featureJSON {
	out := make([]featureJSON, len(vs))
	for i, v := range vs {
		out[i] = s.featureJSON(r, v)
	}
	return out
}

func (s *Server) listFeatures(w http.ResponseWriter, r *http.Request) error {
	vs, err := s.svc.ListFeatures(r.Context())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.featuresJSON(r, vs))
	return nil
}

func (s *Server) getFeature(w http.ResponseWriter, r *http.Request) error {
	v, err := s.svc.GetFeature(r.Context(), r.PathValue("featureId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.featureJSON(r, v))
	return nil
}

// listFeatureRelations is listFeatureDependencies or listFeatureDependents, by list.
func (s *Server) listFeatureRelations(list func(ctx context.Context, id string) ([]service.FeatureView, error)) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		vs, err := list(r.Context(), r.PathValue("featureId"))
		if err != nil {
			return err
		}
		writeJSON(w, http.StatusOK, s.featuresJSON(r, vs))
		return nil
	}
}

// updateFeatureLifecycle is updateFeatureLifecycle; mode=force (the one value Okta supports)
// overrides the dependency rules, any other mode is the plain change.
func (s *Server) updateFeatureLifecycle(w http.ResponseWriter, r *http.Request) error {
	force := strings.EqualFold(r.URL.Query().Get("mode"), "force")
	v, err := s.svc.UpdateFeatureLifecycle(r.Context(), r.PathValue("featureId"), r.PathValue("lifecycle"), force)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.featureJSON(r, v))
	return nil
}
