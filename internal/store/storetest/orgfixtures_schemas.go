package storetest

import (
	"testing"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// The org fixture of the schemas family (see registerOrgFixture): one row of each of its
// tables; a reset deletes them all.
func init() {
	registerOrgFixture(map[string]int{"profile_schemas": 0, "group_rules": 0, "linked_object_defs": 0, "linked_object_values": 0, "user_types": 0},
		func(t *testing.T, s store.Store, org string) {
			a, b := newUser(t, s, org, "schemas-a@example.com"), newUser(t, s, org, "schemas-b@example.com")
			update(t, s, func(tx store.Tx) error {
				ctx := t.Context()
				if err := tx.PutProfileSchema(ctx, org, domain.ProfileSchema{Kind: "user", Created: t0, LastUpdated: t0,
					Properties: map[string]domain.SchemaProperty{"badge": {Title: "Badge", Type: "string"}}}); err != nil {
					return err
				}
				if err := tx.CreateGroupRule(ctx, org, domain.GroupRule{ID: "0prFixture", Name: "r", Status: domain.RuleInactive,
					Expression: "user.a == 1", Created: t0, LastUpdated: t0}); err != nil {
					return err
				}
				if err := tx.CreateLinkedObject(ctx, org, domain.LinkedObject{Primary: domain.LinkedObjectSide{Name: "manager", Title: "M", Type: "USER"},
					Associated: domain.LinkedObjectSide{Name: "report", Title: "R", Type: "USER"}, Created: t0}); err != nil {
					return err
				}
				if err := tx.SetLink(ctx, org, "manager", a.ID, b.ID); err != nil {
					return err
				}
				return tx.CreateUserType(ctx, org, domain.UserType{ID: "otyFixture", Name: "fixture", DisplayName: "F", Created: t0, LastUpdated: t0})
			})
		})
}
