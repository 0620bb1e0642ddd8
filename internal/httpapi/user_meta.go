package httpapi

import (
	"net/http"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/service"
)

// userTypeJSON is the UserType resource of the org's one (default) user type.
type userTypeJSON struct {
	ID          string      `json:"id"`
	DisplayName string      `json:"displayName"`
	Name        string      `json:"name"`
	Description string      `json:"description"`
	Default     bool        `json:"default"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
	Links       Links       `json:"_links"`
}

const userTypeDescription = service.DefaultUserTypeDescription

func (s *Server) userTypeJSON(r *http.Request, t domain.UserType) userTypeJSON {
	schemaID := domain.PrefixSchema + t.ID[3:]
	return userTypeJSON{
		ID: t.ID, DisplayName: t.DisplayName, Name: t.Name, Description: t.Description, Default: t.Default,
		Created: t.Created, LastUpdated: t.LastUpdated,
		Links: Links{"self": s.link(r, "/api/v1/meta/types/user/"+t.ID),
			"schema": s.link(r, "/api/v1/meta/schemas/user/"+schemaID)},
	}
}

// getUserSchema is the default user schema: the base properties okapi validates and the
// custom properties the org declared (getUserSchema).
func (s *Server) getUserSchema(w http.ResponseWriter, r *http.Request) error {
	m, err := s.userSchemaMeta(r)
	if err != nil {
		return err
	}
	sc, err := s.svc.GetProfileSchema(r.Context(), service.SchemaUser)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.userSchemaJSON(r, m, sc))
	return nil
}

func (s *Server) userSchemaMeta(r *http.Request) (service.UserMeta, error) {
	id := r.PathValue("schemaId")
	m, err := s.svc.GetUserMeta(r.Context(), "")
	if err == nil && id != "default" && id != m.SchemaID {
		err = domain.NotFound(id, "UserSchema")
	}
	return m, err
}

func (s *Server) userSchemaJSON(r *http.Request, m service.UserMeta, sc domain.ProfileSchema) map[string]any {
	return map[string]any{
		"id":          s.baseURL(r) + "/meta/schemas/user/" + m.SchemaID,
		"$schema":     "http://json-schema.org/draft-04/schema#",
		"name":        "user",
		"title":       "User",
		"description": userTypeDescription,
		"created":     sc.Created,
		"lastUpdated": sc.LastUpdated,
		"type":        "object",
		"definitions": map[string]any{
			"custom": map[string]any{"id": "#custom", "type": "object", "properties": sc.Properties, "required": sc.Required()},
			"base": map[string]any{"id": "#base", "type": "object", "properties": sc.BaseSchemaProperties(),
				"required": sc.BaseRequiredList()},
		},
		"properties": map[string]any{"profile": map[string]any{"allOf": []map[string]string{
			{"$ref": "#/definitions/custom"}, {"$ref": "#/definitions/base"}}}},
		"_links": Links{"self": s.link(r, "/api/v1/meta/schemas/user/"+m.SchemaID),
			"type": s.link(r, "/api/v1/meta/types/user/"+m.TypeID)},
	}
}
