package httpapi

import (
	"encoding/json"
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// schemaRoutes lists the Schemas API's writes and the group schema (the user schema's GET is
// in userRoutes) and the Group Rules API.
func (s *Server) schemaRoutes() []route {
	return []route{
		{"POST", "/api/v1/meta/schemas/user/{schemaId}", s.authed(s.h(s.updateUserSchema))},
		{"GET", "/api/v1/meta/schemas/group/default", s.authed(s.h(s.getGroupSchema))},
		{"POST", "/api/v1/meta/schemas/group/default", s.authed(s.h(s.updateGroupSchema))},
	}
}

// schemaPatch is the body of updateUserProfile / updateGroupSchema: the custom and base
// properties sent (a custom property set to null is removed).
type schemaPatch struct {
	Definitions struct {
		Custom struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"custom"`
		Base struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"base"`
	} `json:"definitions"`
}

func (p schemaPatch) service() service.SchemaPatch {
	return service.SchemaPatch{Custom: p.Definitions.Custom.Properties, Base: p.Definitions.Base.Properties}
}

func (s *Server) updateUserSchema(w http.ResponseWriter, r *http.Request) error {
	m, err := s.userSchemaMeta(r)
	if err != nil {
		return err
	}
	var in schemaPatch
	if _, err := decode(r, &in); err != nil {
		return err
	}
	sc, err := s.svc.UpdateProfileSchema(r.Context(), service.SchemaUser, in.service())
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userSchemaJSON(r, m, sc))
	return nil
}

func (s *Server) getGroupSchema(w http.ResponseWriter, r *http.Request) error {
	sc, err := s.svc.GetProfileSchema(r.Context(), service.SchemaGroup)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupSchemaJSON(r, sc))
	return nil
}

func (s *Server) updateGroupSchema(w http.ResponseWriter, r *http.Request) error {
	var in schemaPatch
	if _, err := decode(r, &in); err != nil {
		return err
	}
	sc, err := s.svc.UpdateProfileSchema(r.Context(), service.SchemaGroup, service.SchemaPatch{Custom: in.Definitions.Custom.Properties})
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.groupSchemaJSON(r, sc))
	return nil
}

// groupSchemaJSON is the GroupSchema: base name (required) and description, and the custom
// properties (https://developer.okta.com/docs/reference/api/schemas/#group-schema-object).
func (s *Server) groupSchemaJSON(r *http.Request, sc domain.ProfileSchema) map[string]any {
	perm := []map[string]string{{"principal": "SELF", "action": "READ_ONLY"}}
	base := map[string]any{
		"name": map[string]any{"title": "Name", "description": "Name", "type": "string", "required": true,
			"mutability": "READ_WRITE", "scope": "NONE", "maxLength": 255, "permissions": perm,
			"master": map[string]string{"type": "OKTA"}},
		"description": map[string]any{"title": "Description", "description": "Description", "type": "string",
			"mutability": "READ_WRITE", "scope": "NONE", "maxLength": 1024, "permissions": perm,
			"master": map[string]string{"type": "OKTA"}},
	}
	return map[string]any{
		"id":          s.baseURL(r) + "/meta/schemas/group/default",
		"$schema":     "http://json-schema.org/draft-04/schema#",
		"name":        "group",
		"title":       "Okta group",
		"description": "Okta group profile template",
		"created":     sc.Created,
		"lastUpdated": sc.LastUpdated,
		"type":        "object",
		"definitions": map[string]any{
			"custom": map[string]any{"id": "#custom", "type": "object", "properties": sc.Properties, "required": sc.Required()},
			"base":   map[string]any{"id": "#base", "type": "object", "properties": base, "required": []string{"name"}},
		},
		"properties": map[string]any{"profile": map[string]any{"allOf": []map[string]string{
			{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}}},
		"_links": Links{"self": s.link(r, "/api/v1/meta/schemas/group/default")},
	}
}
