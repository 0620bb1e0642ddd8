package service

import (
	"context"
	"encoding/json"
	"sort"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// Schema kinds: the user schema and the group schema.
const (
	SchemaUser  = "user"
	SchemaGroup = "group"
)

// GetProfileSchema returns the custom part of the org's schema of kind; an org that never
// changed it shows the org's creation time.
func (s *Service) GetProfileSchema(ctx context.Context, kind string) (domain.ProfileSchema, error) {
	org := orgID(ctx)
	sc, err := s.Store.GetProfileSchema(ctx, org, kind)
	if err != nil || !sc.Created.IsZero() {
		return sc, err
	}
	o, err := s.Store.GetOrg(ctx, org)
	if err != nil {
		return sc, err
	}
	sc.Created, sc.LastUpdated = o.Created, o.Created
	return sc, nil
}

// SchemaPatch is the body of updateUserProfile / updateGroupSchema: the properties of
// definitions.custom and definitions.base that were sent, each as sent.
type SchemaPatch struct {
	Custom map[string]json.RawMessage
	Base   map[string]json.RawMessage
}

// UpdateProfileSchema is POST /meta/schemas/{user|group}/default (updateUserProfile,
// updateGroupSchema): a partial update of definitions.custom.properties, where a property set to
// null is removed and any other replaces the stored definition, and of the user schema's
// definitions.base.properties, where only what Okta lets an org change may differ
// (domain.ProfileSchema.PatchBase). The group schema's base properties are not editable here.
func (s *Service) UpdateProfileSchema(ctx context.Context, kind string, patch SchemaPatch) (domain.ProfileSchema, error) {
	org, now := orgID(ctx), s.now(ctx)
	var out domain.ProfileSchema
	err := s.update(ctx, func(tx store.Tx) error {
		sc, err := tx.GetProfileSchema(ctx, org, kind)
		if err != nil {
			return err
		}
		if sc.Created.IsZero() {
			o, err := tx.GetOrg(ctx, org)
			if err != nil {
				return err
			}
			sc.Created = o.Created
		}
		if err := patchCustom(kind, &sc, patch.Custom); err != nil {
			return err
		}
		if kind == SchemaUser {
			if err := patchBase(&sc, patch.Base); err != nil {
				return err
			}
		}
		sc.Kind, sc.LastUpdated = kind, now
		if err := tx.PutProfileSchema(ctx, org, sc); err != nil {
			return err
		}
		out = sc
		// Event type per Okta's event catalogue (unverified name).
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "system.schema."+kind+".update",
			"Update "+kind+" profile schema", domain.LogTarget{ID: schemaTargetID(org, kind), Type: "Schema", DisplayName: kind}))
	})
	return out, err
}

// patchBase applies the base properties of a patch in name order, so the causes of a refused
// one do not depend on map order.
func patchBase(sc *domain.ProfileSchema, patch map[string]json.RawMessage) error {
	names := make([]string, 0, len(patch))
	for name := range patch {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := sc.PatchBase(name, patch[name]); err != nil {
			return err
		}
	}
	return nil
}

func patchCustom(kind string, sc *domain.ProfileSchema, patch map[string]json.RawMessage) error {
	for name, raw := range patch {
		if string(raw) == "null" {
			delete(sc.Properties, name)
			continue
		}
		var p domain.SchemaProperty
		if err := json.Unmarshal(raw, &p); err != nil {
			return domain.Validation("definitions.custom.properties."+name,
				"definitions.custom.properties."+name+": The property definition is not valid")
		}
		var old *domain.SchemaProperty
		if o, ok := sc.Properties[name]; ok {
			old = &o
		}
		if kind == SchemaGroup && (name == "name" || name == "description") {
			// The group schema's base properties (Schemas API, "Group Schema").
			return domain.Validation("definitions.custom.properties."+name, "definitions.custom.properties."+name+
				": A custom property cannot have the name of a base property")
		}
		if err := domain.ValidateProperty(name, &p, old); err != nil {
			return err
		}
		// Okta answers mutability, and drops the master it was sent when it is the default.
		p.Mutability = "READ_WRITE"
		if p.Master != nil && p.Master.Type == "PROFILE_MASTER" && len(p.Master.Priority) == 0 {
			p.Master = nil
		}
		if len(p.Permissions) == 0 {
			p.Permissions = []domain.SchemaPermission{{Principal: "SELF", Action: "READ_WRITE"}}
		}
		if p.Scope == "" {
			p.Scope = "NONE"
		}
		sc.Properties[name] = p
	}
	return nil
}

func schemaTargetID(org, kind string) string {
	if kind == SchemaUser {
		return DefaultUserSchemaID(org)
	}
	return "default"
}

// validateProfile checks a user profile against the base schema and the custom properties the
// org's user schema declares (read through r, the transaction when there is one).
func validateProfile(ctx context.Context, r store.SchemaReader, org string, profile map[string]any) error {
	sc, err := r.GetProfileSchema(ctx, org, SchemaUser)
	if err != nil {
		return err
	}
	return domain.ValidateProfileSchema(profile, sc)
}
