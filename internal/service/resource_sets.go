package service

import (
	"context"
	"encoding/json"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/role"
	"github.com/okapi-dev/okapi/internal/store"
)

// RoleObject kinds of resource sets (Parent "") and their resources (Parent the set id).
const (
	resourceSetKind = "resourceSet"
	rsResourceKind  = "rsResource"
)

var errSetLabelTaken = domain.Validation("label", "label: A resource set with this label already exists")

func putJSONRoleObject(ctx context.Context, tx store.Tx, org, kind, parent, id string, created domain.Time, v any) error {
	data, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return tx.PutRoleObject(ctx, org, store.RoleObject{Kind: kind, Parent: parent, ID: id, Data: data, Created: created.Millis()})
}

func resourceSetTarget(rs role.ResourceSet) domain.LogTarget {
	return domain.LogTarget{ID: rs.ID, Type: "RESOURCE_SET", AlternateID: rs.Label, DisplayName: rs.Label}
}

func listResourceSets(ctx context.Context, rd store.Reader, org string) ([]role.ResourceSet, error) {
	objs, err := rd.ListRoleObjects(ctx, org, resourceSetKind, "", "*")
	if err != nil {
		return nil, err
	}
	out := make([]role.ResourceSet, 0, len(objs))
	for _, o := range objs {
		var rs role.ResourceSet
		if err := json.Unmarshal(o.Data, &rs); err != nil {
			return nil, err
		}
		out = append(out, rs)
	}
	return out, nil
}

func getResourceSet(ctx context.Context, rd store.Reader, org, id string) (role.ResourceSet, error) {
	o, err := rd.GetRoleObject(ctx, org, resourceSetKind, "", id, "ResourceSet")
	if err != nil {
		return role.ResourceSet{}, err
	}
	var rs role.ResourceSet
	err = json.Unmarshal(o.Data, &rs)
	return rs, err
}

func listResources(ctx context.Context, rd store.Reader, org, setID string) ([]role.Resource, error) {
	objs, err := rd.ListRoleObjects(ctx, org, rsResourceKind, setID, "*")
	if err != nil {
		return nil, err
	}
	out := make([]role.Resource, 0, len(objs))
	for _, o := range objs {
		var r role.Resource
		if err := json.Unmarshal(o.Data, &r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// parseResources validates a resources list (field names the request's property).
func parseResources(field string, list []string) ([]role.Resource, error) {
	if len(list) > role.MaxResources {
		return nil, domain.Validation(field, field+": At most 1000 resources can be given at once")
	}
	var fe domain.FieldErrors
	out := make([]role.Resource, 0, len(list))
	for _, s := range list {
		r, ok := role.ParseResource(s)
		if !ok {
			fe.Add(field, field+": "+s+" is neither an Okta Resource Name (orn:okta:…) nor a URL of a resource of this org's API")
			continue
		}
		if !slices.ContainsFunc(out, func(x role.Resource) bool { return x.Key() == r.Key() }) {
			out = append(out, r)
		}
	}
	return out, fe.Err()
}

// ListResourceSets is listResourceSets.
func (s *Service) ListResourceSets(ctx context.Context) ([]role.ResourceSet, error) {
	return listResourceSets(ctx, s.Store, orgID(ctx))
}

// GetResourceSet is getResourceSet.
func (s *Service) GetResourceSet(ctx context.Context, id string) (role.ResourceSet, error) {
	return getResourceSet(ctx, s.Store, orgID(ctx), id)
}

// CreateResourceSet is createResourceSet (iam.resourceset.create).
func (s *Service) CreateResourceSet(ctx context.Context, label, description string, resources []string) (role.ResourceSet, error) {
	if err := role.ValidateResourceSet(label, description); err != nil {
		return role.ResourceSet{}, err
	}
	rs, err := parseResources("resources", resources)
	if err != nil {
		return role.ResourceSet{}, err
	}
	org, now := orgID(ctx), s.now(ctx)
	set := role.ResourceSet{ID: domain.NewID(s.IDs, role.PrefixResourceSet), Label: label, Description: description, Created: now, LastUpdated: now}
	err = s.update(ctx, func(tx store.Tx) error {
		all, err := listResourceSets(ctx, tx, org)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(all, func(x role.ResourceSet) bool { return strings.EqualFold(x.Label, label) }) {
			return errSetLabelTaken
		}
		if err := putJSONRoleObject(ctx, tx, org, resourceSetKind, "", set.ID, now, set); err != nil {
			return err
		}
		if err := s.addResources(ctx, tx, org, set.ID, nil, rs, now); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.resourceset.create", "Create a resource set", resourceSetTarget(set)))
	})
	return set, err
}

// addResources stores the resources of rs not already in the set (have).
func (s *Service) addResources(ctx context.Context, tx store.Tx, org, setID string, have, rs []role.Resource, now domain.Time) error {
	for _, r := range rs {
		if slices.ContainsFunc(have, func(x role.Resource) bool { return x.Key() == r.Key() }) {
			continue
		}
		r.ID, r.Created, r.LastUpdated = domain.NewID(s.IDs, role.PrefixResource), now, now
		if err := putJSONRoleObject(ctx, tx, org, rsResourceKind, setID, r.ID, now, r); err != nil {
			return err
		}
	}
	return nil
}

// ReplaceResourceSet is replaceResourceSet: label and description.
func (s *Service) ReplaceResourceSet(ctx context.Context, id, label, description string) (role.ResourceSet, error) {
	if err := role.ValidateResourceSet(label, description); err != nil {
		return role.ResourceSet{}, err
	}
	org, now := orgID(ctx), s.now(ctx)
	var out role.ResourceSet
	err := s.update(ctx, func(tx store.Tx) error {
		set, err := getResourceSet(ctx, tx, org, id)
		if err != nil {
			return err
		}
		all, err := listResourceSets(ctx, tx, org)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(all, func(x role.ResourceSet) bool { return x.ID != id && strings.EqualFold(x.Label, label) }) {
			return errSetLabelTaken
		}
		set.Label, set.Description, set.LastUpdated = label, description, now
		if err := putJSONRoleObject(ctx, tx, org, resourceSetKind, "", set.ID, set.Created, set); err != nil {
			return err
		}
		out = set
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.resourceset.update", "Update a resource set", resourceSetTarget(set)))
	})
	return out, err
}

// DeleteResourceSet is deleteResourceSet: the set and its resources.
func (s *Service) DeleteResourceSet(ctx context.Context, id string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		set, err := getResourceSet(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoleObjects(ctx, org, rsResourceKind, id, "*"); err != nil {
			return err
		}
		if err := tx.DeleteRoleObject(ctx, org, resourceSetKind, "", id, "ResourceSet"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.resourceset.delete", "Delete a resource set", resourceSetTarget(set)))
	})
}

// ListResourceSetResources is listResourceSetResources: up to limit resources after the id after.
func (s *Service) ListResourceSetResources(ctx context.Context, id, after string, limit int) ([]role.Resource, bool, error) {
	org := orgID(ctx)
	if _, err := getResourceSet(ctx, s.Store, org, id); err != nil {
		return nil, false, err
	}
	all, err := listResources(ctx, s.Store, org, id)
	if err != nil {
		return nil, false, err
	}
	if after != "" {
		i := slices.IndexFunc(all, func(r role.Resource) bool { return r.ID == after })
		all = all[i+1:] // an unknown cursor (-1) starts at the beginning
	}
	more := len(all) > limit
	if more {
		all = all[:limit]
	}
	return all, more, nil
}

// AddResourceSetResources is addResourceSetResource (PATCH with additions).
func (s *Service) AddResourceSetResources(ctx context.Context, id string, additions []string) (role.ResourceSet, error) {
	if len(additions) == 0 {
		return role.ResourceSet{}, domain.Validation("additions", "additions: The field cannot be left blank")
	}
	rs, err := parseResources("additions", additions)
	if err != nil {
		return role.ResourceSet{}, err
	}
	org, now := orgID(ctx), s.now(ctx)
	var out role.ResourceSet
	err = s.update(ctx, func(tx store.Tx) error {
		set, err := getResourceSet(ctx, tx, org, id)
		if err != nil {
			return err
		}
		have, err := listResources(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := s.addResources(ctx, tx, org, id, have, rs, now); err != nil {
			return err
		}
		set.LastUpdated = now
		if err := putJSONRoleObject(ctx, tx, org, resourceSetKind, "", set.ID, set.Created, set); err != nil {
			return err
		}
		out = set
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.resourceset.resources.add", "Add resources to a resource set", resourceSetTarget(set)))
	})
	return out, err
}

// DeleteResourceSetResource is deleteResourceSetResource.
func (s *Service) DeleteResourceSetResource(ctx context.Context, id, resourceID string) error {
	org, now := orgID(ctx), s.now(ctx)
	return s.update(ctx, func(tx store.Tx) error {
		set, err := getResourceSet(ctx, tx, org, id)
		if err != nil {
			return err
		}
		if err := tx.DeleteRoleObject(ctx, org, rsResourceKind, id, resourceID, "ResourceSetResource"); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, s.event(ctx, now, "iam.resourceset.resources.delete", "Delete a resource from a resource set", resourceSetTarget(set)))
	})
}
