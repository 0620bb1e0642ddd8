package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
)

// group is the Group resource as Okta sends it.
type group struct {
	ID                    string         `json:"id"`
	Created               domain.Time    `json:"created"`
	LastUpdated           domain.Time    `json:"lastUpdated"`
	LastMembershipUpdated domain.Time    `json:"lastMembershipUpdated"`
	ObjectClass           []string       `json:"objectClass"`
	Type                  string         `json:"type"`
	Profile               map[string]any `json:"profile"`
	Embedded              map[string]any `json:"_embedded,omitempty"`
	Links                 Links          `json:"_links"`
}

// groupJSON is the one place a group becomes JSON. stats, when not nil, is embedded as
// `_embedded.stats` (expand=stats). The links are Okta's: the two logo sizes, users and apps;
// Okta's examples show no self link on groups.
func (s *Server) groupJSON(r *http.Request, g domain.Group, stats *domain.GroupStats) group {
	base := s.baseURL(r)
	path := "/api/v1/groups/" + g.ID
	out := group{
		ID: g.ID, Created: g.Created, LastUpdated: g.LastUpdated, LastMembershipUpdated: g.LastMembershipUpdated,
		ObjectClass: domain.GroupObjectClass, Type: g.Type, Profile: g.Profile,
		Links: Links{
			"logo": []Link{
				{Name: "medium", Href: base + "/img/logos/groups/okta-medium.png", Type: "image/png"},
				{Name: "large", Href: base + "/img/logos/groups/okta-large.png", Type: "image/png"},
			},
			"users": s.link(r, path+"/users"),
			"apps":  s.link(r, path+"/apps"),
		},
	}
	if out.Profile == nil {
		out.Profile = map[string]any{}
	}
	if stats != nil {
		out.Embedded = map[string]any{"stats": stats}
	}
	return out
}

// groupsJSON encodes a list of groups, with stats when they were asked for.
func (s *Server) groupsJSON(r *http.Request, groups []domain.Group, stats map[string]domain.GroupStats) []group {
	out := make([]group, len(groups))
	for i, g := range groups {
		var st *domain.GroupStats
		if v, ok := stats[g.ID]; ok {
			st = &v
		}
		out[i] = s.groupJSON(r, g, st)
	}
	return out
}

// expandStats reports whether `expand` asks for stats. Okta's values are comma-separated
// (stats, app); app embeds the source app of APP_GROUPs, which okapi does not have, and
// unknown values are ignored as Okta ignores them.
func expandStats(r *http.Request) bool {
	for _, v := range r.URL.Query()["expand"] {
		for _, part := range strings.Split(v, ",") {
			if strings.TrimSpace(part) == "stats" {
				return true
			}
		}
	}
	return false
}
