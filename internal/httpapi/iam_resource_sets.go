package httpapi

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/ratelimit"
	"github.com/okapi-dev/okapi/internal/role"
)

// resourceSetRoutes lists the Resource Set API (listResourceSets, createResourceSet,
// getResourceSet, replaceResourceSet, deleteResourceSet) and its resources
// (listResourceSetResources, addResourceSetResource, deleteResourceSetResource).
func (s *Server) resourceSetRoutes() []endpoint {
	const base, one = "/api/v1/iam/resource-sets", "/api/v1/iam/resource-sets/{resourceSetId}"
	return inFamily(ratelimit.FamilyOther, []route{
		{"GET", base, s.authed(s.h(s.listResourceSets))},
		{"POST", base, s.authed(s.h(s.createResourceSet))},
		{"GET", one, s.authed(s.h(s.getResourceSet))},
		{"PUT", one, s.authed(s.h(s.replaceResourceSet))},
		{"DELETE", one, s.authed(s.h(s.deleteResourceSet))},
		{"GET", one + "/resources", s.authed(s.h(s.listResourceSetResources))},
		{"PATCH", one + "/resources", s.authed(s.h(s.addResourceSetResources))},
		{"DELETE", one + "/resources/{resourceId}", s.authed(s.h(s.deleteResourceSetResource))},
	})
}

type resourceSetOut struct {
	ID          string      `json:"id"`
	Label       string      `json:"label"`
	Description string      `json:"description"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
	Links       Links       `json:"_links"`
}

func (s *Server) resourceSetJSON(r *http.Request, rs role.ResourceSet) resourceSetOut {
	self := "/api/v1/iam/resource-sets/" + rs.ID
	return resourceSetOut{ID: rs.ID, Label: rs.Label, Description: rs.Description, Created: rs.Created, LastUpdated: rs.LastUpdated,
		Links: Links{"self": s.link(r, self), "resources": s.link(r, self+"/resources"), "bindings": s.link(r, self+"/bindings")}}
}

type resourceOut struct {
	ID          string      `json:"id"`
	ORN         string      `json:"orn,omitempty"`
	Created     domain.Time `json:"created"`
	LastUpdated domain.Time `json:"lastUpdated"`
	Links       Links       `json:"_links"`
}

// resourceJSON shows a resource with _links.self: the URL exactly as it was given (clients such
// as the Terraform provider compare it character for character), or for an ORN of a user,
// group or app, that object's URL in this org.
func (s *Server) resourceJSON(r *http.Request, setID string, res role.Resource) resourceOut {
	href := res.URL
	if href == "" {
		href = s.baseURL(r) + ornPath(res.ORN, "/api/v1/iam/resource-sets/"+setID+"/resources/"+res.ID)
	}
	return resourceOut{ID: res.ID, ORN: res.ORN, Created: res.Created, LastUpdated: res.LastUpdated, Links: Links{"self": Link{Href: href}}}
}

// ornPath maps the ORNs of directory users and groups and of apps to their API paths
// (orn:okta:directory:{orgId}:groups:{groupId}, …:users:{userId}, orn:okta:idp:{orgId}:apps:{name}:{appId});
// any other ORN gets fallback.
func ornPath(orn, fallback string) string {
	p := strings.Split(orn, ":")
	switch {
	case len(p) == 6 && p[2] == "directory" && (p[4] == "groups" || p[4] == "users"):
		return "/api/v1/" + p[4] + "/" + url.PathEscape(p[5])
	case len(p) == 5 && p[2] == "directory" && (p[4] == "groups" || p[4] == "users"):
		return "/api/v1/" + p[4]
	case len(p) == 7 && p[2] == "idp" && p[4] == "apps":
		return "/api/v1/apps/" + url.PathEscape(p[6])
	}
	return fallback
}

func (s *Server) listResourceSets(w http.ResponseWriter, r *http.Request) error {
	list, err := s.svc.ListResourceSets(r.Context())
	if err != nil {
		return err
	}
	out := make([]resourceSetOut, len(list))
	for i, rs := range list {
		out[i] = s.resourceSetJSON(r, rs)
	}
	writeJSON(w, http.StatusOK, map[string]any{"resource-sets": out, "_links": Links{}})
	return nil
}

type resourceSetIn struct {
	Label       string   `json:"label"`
	Description string   `json:"description"`
	Resources   []string `json:"resources"`
}

func (s *Server) createResourceSet(w http.ResponseWriter, r *http.Request) error {
	var in resourceSetIn
	if _, err := decode(r, &in); err != nil {
		return err
	}
	rs, err := s.svc.CreateResourceSet(r.Context(), in.Label, in.Description, in.Resources)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.resourceSetJSON(r, rs))
	return nil
}

func (s *Server) getResourceSet(w http.ResponseWriter, r *http.Request) error {
	rs, err := s.svc.GetResourceSet(r.Context(), r.PathValue("resourceSetId"))
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.resourceSetJSON(r, rs))
	return nil
}

func (s *Server) replaceResourceSet(w http.ResponseWriter, r *http.Request) error {
	var in resourceSetIn
	if _, err := decode(r, &in); err != nil {
		return err
	}
	rs, err := s.svc.ReplaceResourceSet(r.Context(), r.PathValue("resourceSetId"), in.Label, in.Description)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.resourceSetJSON(r, rs))
	return nil
}

func (s *Server) deleteResourceSet(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteResourceSet(r.Context(), r.PathValue("resourceSetId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}

// Page sizes of listResourceSetResources.
const (
	defaultResourcePage = 100
	maxResourcePage     = 1000
)

// listResourceSetResources pages in the body (_links.next), as Okta's resource-set lists do.
func (s *Server) listResourceSetResources(w http.ResponseWriter, r *http.Request) error {
	limit := defaultResourcePage
	if v := r.URL.Query().Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return domain.Validation("limit", "limit: The value must be a positive integer")
		}
		limit = min(n, maxResourcePage)
	}
	id := r.PathValue("resourceSetId")
	list, more, err := s.svc.ListResourceSetResources(r.Context(), id, r.URL.Query().Get("after"), limit)
	if err != nil {
		return err
	}
	out := make([]resourceOut, len(list))
	for i, res := range list {
		out[i] = s.resourceJSON(r, id, res)
	}
	links := Links{}
	if more {
		q := url.Values{"after": {list[len(list)-1].ID}, "limit": {strconv.Itoa(limit)}}
		links["next"] = Link{Href: s.baseURL(r) + "/api/v1/iam/resource-sets/" + id + "/resources?" + q.Encode()}
	}
	writeJSON(w, http.StatusOK, map[string]any{"resources": out, "_links": links})
	return nil
}

func (s *Server) addResourceSetResources(w http.ResponseWriter, r *http.Request) error {
	var in struct {
		Additions []string `json:"additions"`
	}
	if _, err := decode(r, &in); err != nil {
		return err
	}
	rs, err := s.svc.AddResourceSetResources(r.Context(), r.PathValue("resourceSetId"), in.Additions)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, s.resourceSetJSON(r, rs))
	return nil
}

func (s *Server) deleteResourceSetResource(w http.ResponseWriter, r *http.Request) error {
	if err := s.svc.DeleteResourceSetResource(r.Context(), r.PathValue("resourceSetId"), r.PathValue("resourceId")); err != nil {
		return err
	}
	noContent(w)
	return nil
}
