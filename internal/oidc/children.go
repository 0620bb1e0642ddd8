package oidc

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// ops describes one kind of server sub-resource (scopes, claims, policies, rules) to the
// generic CRUD below.
type ops[T any] struct {
	kind, prefix, event, label string
	id                         func(*T) *string
	name                       func(*T) string
	// parent is the store parent of v: the server, server/claimType for claims, the policy for rules.
	parent func(server, policy string, v *T) string
	// prepare validates v and fills defaults; old is the stored object on replace, nil on create.
	prepare func(now domain.Time, v, old *T) error
}

func listKind[T any](ctx context.Context, p *Provider, o ops[T], serverID, policyID string) ([]T, error) {
	srv, err := p.GetServer(ctx, serverID)
	if err != nil {
		return nil, err
	}
	parent := srv.ID
	if o.kind == store.OAuthRule {
		if _, err := getKind(ctx, p, policyOps, srv.ID, "", policyID); err != nil {
			return nil, err
		}
		parent = policyID
	}
	objs, err := p.Store.ListOAuthObjects(ctx, orgOf(ctx), o.kind, "")
	if err != nil {
		return nil, err
	}
	out := []T{}
	for _, ob := range objs {
		if ob.ServerID != srv.ID || (o.kind == store.OAuthRule && ob.ParentID != parent) {
			continue
		}
		v, err := decodeObj[T](ob)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

func getKind[T any](ctx context.Context, p *Provider, o ops[T], serverID, policyID, id string) (T, error) {
	var zero T
	srv, err := p.GetServer(ctx, serverID)
	if err != nil {
		return zero, err
	}
	return getKindIn(ctx, p.Store, o, srv.ID, policyID, id)
}

func getKindIn[T any](ctx context.Context, r store.Reader, o ops[T], server, policyID, id string) (T, error) {
	var zero T
	ob, err := r.GetOAuthObject(ctx, orgOf(ctx), o.kind, id)
	if err != nil {
		return zero, mapNotFound(err, o.kind, id)
	}
	if ob.ServerID != server || (o.kind == store.OAuthRule && ob.ParentID != policyID) {
		return zero, notFound(o.kind, id)
	}
	return decodeObj[T](ob)
}

func createKind[T any](ctx context.Context, p *Provider, o ops[T], serverID, policyID string, v T) (T, error) {
	srv, err := p.GetServer(ctx, serverID)
	if err != nil {
		return v, err
	}
	if o.kind == store.OAuthRule {
		if _, err := getKind(ctx, p, policyOps, srv.ID, "", policyID); err != nil {
			return v, err
		}
	}
	org, now := orgOf(ctx), p.now(ctx)
	if err := o.prepare(now, &v, nil); err != nil {
		return v, err
	}
	*o.id(&v) = domain.NewID(p.IDs, o.prefix)
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		if err := p.putNew(ctx, tx, org, o.kind, *o.id(&v), srv.ID, o.parent(srv.ID, policyID, &v), o.name(&v), now, v); err != nil {
			return nameConflict(err, o.label)
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, o.event+".created", "Create "+o.label, childTarget(o, &v), serverTarget(srv)))
	})
	return v, err
}

func childTarget[T any](o ops[T], v *T) domain.LogTarget {
	return domain.LogTarget{ID: *o.id(v), Type: kindNames[o.kind], AlternateID: o.name(v), DisplayName: o.name(v)}
}

func replaceKind[T any](ctx context.Context, p *Provider, o ops[T], serverID, policyID, id string, v T) (T, error) {
	srv, err := p.GetServer(ctx, serverID)
	if err != nil {
		return v, err
	}
	org, now := orgOf(ctx), p.now(ctx)
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		old, err := getKindIn(ctx, tx, o, srv.ID, policyID, id)
		if err != nil {
			return err
		}
		if err := o.prepare(now, &v, &old); err != nil {
			return err
		}
		*o.id(&v) = id
		if err := p.putUpdate(ctx, tx, org, o.kind, id, srv.ID, o.parent(srv.ID, policyID, &v), o.name(&v), v); err != nil {
			return nameConflict(err, o.label)
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, o.event+".updated", "Update "+o.label, childTarget(o, &v), serverTarget(srv)))
	})
	return v, err
}

func deleteKind[T any](ctx context.Context, p *Provider, o ops[T], serverID, policyID, id string, guard func(*T) error) error {
	srv, err := p.GetServer(ctx, serverID)
	if err != nil {
		return err
	}
	org, now := orgOf(ctx), p.now(ctx)
	return p.Store.Update(ctx, func(tx store.Tx) error {
		v, err := getKindIn(ctx, tx, o, srv.ID, policyID, id)
		if err != nil {
			return err
		}
		if guard != nil {
			if err := guard(&v); err != nil {
				return err
			}
		}
		if err := tx.DeleteOAuthObject(ctx, org, o.kind, id); err != nil {
			return err
		}
		if o.kind == store.OAuthPolicy {
			rules, err := tx.ListOAuthObjects(ctx, org, store.OAuthRule, id)
			if err != nil {
				return err
			}
			for _, r := range rules {
				if err := tx.DeleteOAuthObject(ctx, org, store.OAuthRule, r.ID); err != nil {
					return err
				}
			}
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, o.event+".deleted", "Delete "+o.label, childTarget(o, &v), serverTarget(srv)))
	})
}

var errSystem = domain.NewError(http.StatusForbidden, "E0000006", "You do not have permission to perform the requested action")

func oneOf(f *domain.FieldErrors, field, v string, allowed ...string) {
	if v != "" && !slices.Contains(allowed, v) {
		f.Add(field, "'"+v+"' is not a valid value. Allowed values: "+strings.Join(allowed, ", "))
	}
}

var scopeOps = ops[Scope]{kind: store.OAuthScope, prefix: prefixScope, event: "oauth2.scope", label: "scope",
	id: func(s *Scope) *string { return &s.ID }, name: func(s *Scope) string { return s.Name },
	parent: func(server, _ string, _ *Scope) string { return server },
	prepare: func(_ domain.Time, s, old *Scope) error {
		var f domain.FieldErrors
		if strings.TrimSpace(s.Name) == "" {
			f.Add("name", "The field cannot be left blank")
		} else if strings.ContainsAny(s.Name, " \"\\") {
			f.Add("name", "The scope name contains invalid characters")
		}
		if old != nil && old.System && s.Name != old.Name {
			f.Add("name", "A system scope cannot be renamed")
		}
		oneOf(&f, "consent", s.Consent, "REQUIRED", "IMPLICIT", "FLEXIBLE")
		oneOf(&f, "metadataPublish", s.MetadataPublish, "ALL_CLIENTS", "NO_CLIENTS")
		if s.Consent == "" {
			s.Consent = "IMPLICIT"
		}
		if s.MetadataPublish == "" {
			s.MetadataPublish = "NO_CLIENTS"
		}
		s.System = old != nil && old.System
		return f.Err()
	}}

var claimOps = ops[Claim]{kind: store.OAuthClaim, prefix: prefixClaim, event: "oauth2.claim", label: "claim",
	id: func(c *Claim) *string { return &c.ID }, name: func(c *Claim) string { return c.Name },
	parent: func(server, _ string, c *Claim) string { return server + "/" + c.ClaimType },
	prepare: func(_ domain.Time, c, old *Claim) error {
		var f domain.FieldErrors
		if strings.TrimSpace(c.Name) == "" {
			f.Add("name", "The field cannot be left blank")
		}
		if c.ClaimType == "" {
			f.Add("claimType", "The field cannot be left blank")
		}
		oneOf(&f, "claimType", c.ClaimType, "RESOURCE", "IDENTITY")
		if c.ValueType == "" {
			c.ValueType = "EXPRESSION"
		}
		oneOf(&f, "valueType", c.ValueType, "EXPRESSION", "GROUPS", "SYSTEM")
		oneOf(&f, "group_filter_type", c.GroupFilterType, "STARTS_WITH", "EQUALS", "CONTAINS", "REGEX")
		if c.ValueType == "GROUPS" && c.GroupFilterType == "" {
			f.Add("group_filter_type", "The field cannot be left blank")
		}
		if c.ValueType == "GROUPS" && c.GroupFilterType == "REGEX" {
			if _, err := regexp.Compile(c.Value); err != nil {
				// Else the claim would silently match no group (groupMatch).
				f.Add("value", "The value is not a valid regular expression")
			}
		}
		if old == nil && reservedClaim(c.ClaimType, c.Name) {
			f.Add("name", "The claim name '"+c.Name+"' is reserved")
		}
		if c.Status == "" {
			c.Status = StatusActive
		}
		oneOf(&f, "status", c.Status, StatusActive, StatusInactive)
		if c.Conditions.Scopes == nil {
			c.Conditions.Scopes = []string{}
		}
		c.System = old != nil && old.System
		return f.Err()
	}}

// reservedClaim: names Okta refuses for custom claims
// (https://support.okta.com/help/s/article/List-of-reserved-claim-names).
func reservedClaim(typ, name string) bool {
	both := []string{"iss", "jti", "token_type", "ver", "exp", "iat", "nbf", "aud", "cnf"}
	access := []string{"acr", "amr", "as_uri", "cid", "rpt", "rsi", "uid", "username", "scp", "sub"}
	id := []string{"at_hash", "auth_time", "c_hash", "nonce", "sub", "sid", "idp", "amr", "acr", "ver"}
	if slices.Contains(both, name) {
		return true
	}
	if typ == "RESOURCE" {
		return slices.Contains(access, name)
	}
	return slices.Contains(id, name)
}

var policyOps = ops[Policy]{kind: store.OAuthPolicy, prefix: prefixPolicy, event: "oauth2.as.policy", label: "policy",
	id: func(p *Policy) *string { return &p.ID }, name: func(p *Policy) string { return p.Name },
	parent: func(server, _ string, _ *Policy) string { return server },
	prepare: func(now domain.Time, p, old *Policy) error {
		var f domain.FieldErrors
		if strings.TrimSpace(p.Name) == "" {
			f.Add("name", "The field cannot be left blank")
		}
		if p.Type == "" {
			p.Type = "OAUTH_AUTHORIZATION_POLICY"
		}
		oneOf(&f, "type", p.Type, "OAUTH_AUTHORIZATION_POLICY")
		if p.Status == "" {
			p.Status = StatusActive
		}
		oneOf(&f, "status", p.Status, StatusActive, StatusInactive)
		if len(p.Conditions.Clients.Include) == 0 {
			f.Add("conditions", "Policy must specify clients")
		}
		if p.Priority <= 0 {
			p.Priority = 1
		}
		p.Created, p.LastUpdated = now, now
		if old != nil {
			p.Created, p.System = old.Created, old.System
		}
		return f.Err()
	}}

var grantTypes = []string{"authorization_code", "implicit", "password", "client_credentials", "refresh_token",
	"urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:token-exchange",
	"urn:ietf:params:oauth:grant-type:jwt-bearer", "urn:ietf:params:oauth:grant-type:saml2-bearer",
	"urn:openid:params:grant-type:ciba", "interaction_code"}

var ruleOps = ops[Rule]{kind: store.OAuthRule, prefix: prefixRule, event: "oauth2.as.policy.rule", label: "rule",
	id: func(r *Rule) *string { return &r.ID }, name: func(r *Rule) string { return r.Name },
	parent: func(_, policy string, _ *Rule) string { return policy },
	prepare: func(now domain.Time, r, old *Rule) error {
		var f domain.FieldErrors
		if strings.TrimSpace(r.Name) == "" {
			f.Add("name", "The field cannot be left blank")
		}
		if r.Type == "" {
			r.Type = "RESOURCE_ACCESS"
		}
		oneOf(&f, "type", r.Type, "RESOURCE_ACCESS")
		if r.Status == "" {
			r.Status = StatusActive
		}
		oneOf(&f, "status", r.Status, StatusActive, StatusInactive)
		if len(r.Conditions.GrantTypes.Include) == 0 {
			f.Add("conditions.grantTypes", "The field cannot be left blank")
		}
		for _, g := range r.Conditions.GrantTypes.Include {
			oneOf(&f, "conditions.grantTypes", g, grantTypes...)
		}
		if r.Conditions.People.Users.Exclude == nil {
			r.Conditions.People.Users.Exclude = []string{}
		}
		if r.Conditions.People.Groups.Exclude == nil {
			r.Conditions.People.Groups.Exclude = []string{}
		}
		if r.Conditions.Scopes.Include == nil {
			r.Conditions.Scopes.Include = []string{}
		}
		t := &r.Actions.Token
		if t.AccessTokenLifetimeMinutes == 0 {
			t.AccessTokenLifetimeMinutes = 60
		}
		if t.RefreshTokenWindowMinutes == 0 {
			t.RefreshTokenWindowMinutes = 10080
		}
		if t.AccessTokenLifetimeMinutes < 5 || t.AccessTokenLifetimeMinutes > 1440 {
			f.Add("accessTokenLifetimeMinutes", "Access token lifetime must be between 5 and 1440 minutes")
		}
		// TokenAuthorizationServerPolicyRuleAction: the window is 10 minutes to five years.
		if t.RefreshTokenWindowMinutes < 10 || t.RefreshTokenWindowMinutes > 2628000 {
			f.Add("refreshTokenWindowMinutes", "Refresh token window must be between 10 minutes and 5 years")
		}
		if t.RefreshTokenLifetimeMinutes != 0 && t.RefreshTokenLifetimeMinutes < t.AccessTokenLifetimeMinutes {
			f.Add("refreshTokenLifetimeMinutes", "Refresh token lifetime must be at least the access token lifetime")
		}
		if r.Priority <= 0 {
			r.Priority = 1
		}
		r.Created, r.LastUpdated = now, now
		if old != nil {
			r.Created, r.System = old.Created, old.System
		}
		return f.Err()
	}}

// Scopes.
func (p *Provider) ListScopes(ctx context.Context, server string) ([]Scope, error) {
	return listKind(ctx, p, scopeOps, server, "")
}
func (p *Provider) GetScope(ctx context.Context, server, id string) (Scope, error) {
	return getKind(ctx, p, scopeOps, server, "", id)
}
func (p *Provider) CreateScope(ctx context.Context, server string, in Scope) (Scope, error) {
	return createKind(ctx, p, scopeOps, server, "", in)
}
func (p *Provider) ReplaceScope(ctx context.Context, server, id string, in Scope) (Scope, error) {
	return replaceKind(ctx, p, scopeOps, server, "", id, in)
}
func (p *Provider) DeleteScope(ctx context.Context, server, id string) error {
	return deleteKind(ctx, p, scopeOps, server, "", id, func(s *Scope) error {
		if s.System {
			return errSystem
		}
		return nil
	})
}

// Claims.
func (p *Provider) ListClaims(ctx context.Context, server string) ([]Claim, error) {
	return listKind(ctx, p, claimOps, server, "")
}
func (p *Provider) GetClaim(ctx context.Context, server, id string) (Claim, error) {
	return getKind(ctx, p, claimOps, server, "", id)
}
func (p *Provider) CreateClaim(ctx context.Context, server string, in Claim) (Claim, error) {
	return createKind(ctx, p, claimOps, server, "", in)
}
func (p *Provider) ReplaceClaim(ctx context.Context, server, id string, in Claim) (Claim, error) {
	return replaceKind(ctx, p, claimOps, server, "", id, in)
}
func (p *Provider) DeleteClaim(ctx context.Context, server, id string) error {
	return deleteKind(ctx, p, claimOps, server, "", id, func(c *Claim) error {
		if c.System {
			return errSystem
		}
		return nil
	})
}

// Policies.
func (p *Provider) ListPolicies(ctx context.Context, server string) ([]Policy, error) {
	list, err := listKind(ctx, p, policyOps, server, "")
	slices.SortStableFunc(list, func(a, b Policy) int { return a.Priority - b.Priority })
	return list, err
}
func (p *Provider) GetPolicy(ctx context.Context, server, id string) (Policy, error) {
	return getKind(ctx, p, policyOps, server, "", id)
}
func (p *Provider) CreatePolicy(ctx context.Context, server string, in Policy) (Policy, error) {
	return createKind(ctx, p, policyOps, server, "", in)
}
func (p *Provider) ReplacePolicy(ctx context.Context, server, id string, in Policy) (Policy, error) {
	return replaceKind(ctx, p, policyOps, server, "", id, in)
}
func (p *Provider) DeletePolicy(ctx context.Context, server, id string) error {
	return deleteKind(ctx, p, policyOps, server, "", id, nil)
}

// SetPolicyStatus activates or deactivates a policy.
func (p *Provider) SetPolicyStatus(ctx context.Context, server, id, status string) error {
	v, err := p.GetPolicy(ctx, server, id)
	if err != nil {
		return err
	}
	v.Status = status
	_, err = p.ReplacePolicy(ctx, server, id, v)
	return err
}

// Rules.
func (p *Provider) ListRules(ctx context.Context, server, policy string) ([]Rule, error) {
	list, err := listKind(ctx, p, ruleOps, server, policy)
	slices.SortStableFunc(list, func(a, b Rule) int { return a.Priority - b.Priority })
	return list, err
}
func (p *Provider) GetRule(ctx context.Context, server, policy, id string) (Rule, error) {
	return getKind(ctx, p, ruleOps, server, policy, id)
}
func (p *Provider) CreateRule(ctx context.Context, server, policy string, in Rule) (Rule, error) {
	return createKind(ctx, p, ruleOps, server, policy, in)
}
func (p *Provider) ReplaceRule(ctx context.Context, server, policy, id string, in Rule) (Rule, error) {
	return replaceKind(ctx, p, ruleOps, server, policy, id, in)
}
func (p *Provider) DeleteRule(ctx context.Context, server, policy, id string) error {
	return deleteKind(ctx, p, ruleOps, server, policy, id, nil)
}

// SetRuleStatus activates or deactivates a rule.
func (p *Provider) SetRuleStatus(ctx context.Context, server, policy, id, status string) error {
	v, err := p.GetRule(ctx, server, policy, id)
	if err != nil {
		return err
	}
	v.Status = status
	_, err = p.ReplaceRule(ctx, server, policy, id, v)
	return err
}
