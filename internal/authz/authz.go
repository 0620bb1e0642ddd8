// Package authz decides whether an admin may perform an operation: which permissions each of
// Okta's standard admin roles grants, how group targets narrow a role, and the decision itself.
// It knows nothing of HTTP or SQL; the route table says which permission each operation needs
// (internal/httpapi/permissions.go) and the service loads the caller's grants.
//
// Sources: "Standard administrator roles and permissions"
// (https://help.okta.com/okta_help.htm?id=ext_administrators_admin_comparison), the spec's
// RolePermissionType (the permission names) and "Role assignment" in Okta's API reference.
// Where Okta's table is coarser than the API, okapi grants conservatively: a lesser admin gets
// 403 on what Okta's table does not clearly give the role.
package authz

import "slices"

// Permissions an operation can require. The okta.* names are the spec's RolePermissionType
// values; the okapi.* names cover operations Okta reserves to roles without naming a
// permission for them (role management, org settings, the System Log).
const (
	UsersRead              = "okta.users.read"
	UsersCreate            = "okta.users.create"
	UsersManage            = "okta.users.manage"
	UsersProfileManage     = "okta.users.userprofile.manage"
	UsersCredentialsManage = "okta.users.credentials.manage"
	UsersResetPassword     = "okta.users.credentials.resetPassword"
	UsersResetFactors      = "okta.users.credentials.resetFactors"
	UsersExpirePassword    = "okta.users.credentials.expirePassword"
	UsersActivate          = "okta.users.lifecycle.activate"
	UsersDeactivate        = "okta.users.lifecycle.deactivate"
	UsersSuspend           = "okta.users.lifecycle.suspend"
	UsersUnsuspend         = "okta.users.lifecycle.unsuspend"
	UsersUnlock            = "okta.users.lifecycle.unlock"
	UsersDelete            = "okta.users.lifecycle.delete"
	UsersClearSessions     = "okta.users.lifecycle.clearSessions"
	UsersGroupMembership   = "okta.users.groupMembership.manage"
	UsersAppAssignment     = "okta.users.appAssignment.manage"

	GroupsRead          = "okta.groups.read"
	GroupsCreate        = "okta.groups.create"
	GroupsManage        = "okta.groups.manage"
	GroupsMembersManage = "okta.groups.members.manage"
	GroupsAppAssignment = "okta.groups.appAssignment.manage"

	AppsRead             = "okta.apps.read"
	AppsManage           = "okta.apps.manage"
	AppsAssignmentManage = "okta.apps.assignment.manage"

	AuthzServersRead   = "okta.authzServers.read"
	AuthzServersManage = "okta.authzServers.manage"

	IdPsRead   = "okta.identityProviders.read"
	IdPsManage = "okta.identityProviders.manage"

	// Okta's permissions catalog names these; the v5 spec's enum does not list them yet.
	PoliciesRead     = "okta.policies.read"
	PoliciesManage   = "okta.policies.manage"
	EventHooksRead   = "okta.eventHooks.read"
	EventHooksManage = "okta.eventHooks.manage"

	// Operations Okta gives to roles rather than to a named permission.
	LogsRead    = "okapi.logs.read"    // System Log and Events: every role but API access management and group membership
	OrgRead     = "okapi.org.read"     // zones, trusted origins, schemas, API tokens, org settings
	OrgManage   = "okapi.org.manage"   // their writes: super and org admins
	RolesRead   = "okapi.roles.read"   // admin role assignments: super admins only
	RolesManage = "okapi.roles.manage" // "Add, remove, view admins": super admins only
	// Settings > Features (the Features API): Okta's admin comparison table gives managing
	// Early Access and Beta features to super admins only; okapi keeps viewing them there too.
	FeaturesRead   = "okapi.features.read"
	FeaturesManage = "okapi.features.manage"
)

// All lists every permission, for tests and for the super admin.
var All = []string{
	UsersRead, UsersCreate, UsersManage, UsersProfileManage, UsersCredentialsManage, UsersResetPassword,
	UsersResetFactors, UsersExpirePassword, UsersActivate, UsersDeactivate, UsersSuspend, UsersUnsuspend,
	UsersUnlock, UsersDelete, UsersClearSessions, UsersGroupMembership, UsersAppAssignment,
	GroupsRead, GroupsCreate, GroupsManage, GroupsMembersManage, GroupsAppAssignment,
	AppsRead, AppsManage, AppsAssignmentManage, AuthzServersRead, AuthzServersManage, IdPsRead, IdPsManage,
	PoliciesRead, PoliciesManage, EventHooksRead, EventHooksManage, LogsRead, OrgRead, OrgManage,
	RolesRead, RolesManage, FeaturesRead, FeaturesManage,
}

// reads are the permissions that only read; a read-only admin has all of them but roles.
var reads = []string{UsersRead, GroupsRead, AppsRead, AuthzServersRead, IdPsRead, PoliciesRead, EventHooksRead, LogsRead, OrgRead}

// userAdmin is what a Group Administrator does to the users it administers.
var userAdmin = []string{UsersRead, UsersCreate, UsersManage, UsersProfileManage, UsersCredentialsManage,
	UsersResetPassword, UsersResetFactors, UsersExpirePassword, UsersActivate, UsersDeactivate, UsersSuspend,
	UsersUnsuspend, UsersUnlock, UsersDelete, UsersClearSessions, UsersGroupMembership, GroupsRead, GroupsMembersManage, LogsRead}

// rolePermissions is the table of what each standard role grants.
var rolePermissions = map[string][]string{
	"SUPER_ADMIN":                 All,
	"ORG_ADMIN":                   without(All, RolesRead, RolesManage, FeaturesRead, FeaturesManage),
	"APP_ADMIN":                   {AppsRead, AppsManage, AppsAssignmentManage, UsersAppAssignment, GroupsAppAssignment, UsersRead, GroupsRead, LogsRead},
	"USER_ADMIN":                  userAdmin,
	"HELP_DESK_ADMIN":             {UsersRead, GroupsRead, UsersResetPassword, UsersResetFactors, UsersExpirePassword, UsersUnlock, UsersClearSessions, LogsRead},
	"READ_ONLY_ADMIN":             reads,
	"MOBILE_ADMIN":                {UsersRead, GroupsRead, LogsRead},
	"API_ACCESS_MANAGEMENT_ADMIN": {AuthzServersRead, AuthzServersManage, AppsRead},
	"REPORT_ADMIN":                {LogsRead},
	"GROUP_MEMBERSHIP_ADMIN":      {UsersRead, GroupsRead, GroupsMembersManage, UsersGroupMembership},
}

func without(all []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(p string) bool { return slices.Contains(drop, p) })
}

// Grants reports whether a role of type roleType grants permission p (ignoring targets).
func Grants(roleType, p string) bool { return slices.Contains(rolePermissions[roleType], p) }

// Roles lists the standard role types the table knows.
func Roles() []string {
	out := make([]string, 0, len(rolePermissions))
	for r := range rolePermissions {
		out = append(out, r)
	}
	slices.Sort(out)
	return out
}

// Grant is one role the caller holds, directly or through a group. Groups, when not nil, are
// the role's group targets: the role then applies only to those groups and their members.
type Grant struct {
	Role   string
	Groups []string
}

// Resource is what an operation acts on, as far as targets care: a user, a group, or neither
// (a list, a create, an org-wide setting).
type Resource struct {
	Kind string // "user", "group" or ""
	ID   string
}

// Resource kinds.
const (
	KindUser  = "user"
	KindGroup = "group"
)

// Membership tells whether user belongs to any of groups; the decision asks only when a targeted
// role is the one that could allow the request.
type Membership func(userID string, groups []string) (bool, error)

// Allowed decides a request needing permission p on res for a caller holding grants.
//
// A role without targets applies org-wide. A group-targeted role applies to its target groups
// and their members; on operations that name neither (lists, creates) it applies as Okta's Group
// Administrator does, to the extent okapi can tell (lists are not narrowed to the targets).
func Allowed(grants []Grant, p string, res Resource, member Membership) (bool, error) {
	for _, g := range grants {
		if !Grants(g.Role, p) {
			continue
		}
		if g.Groups == nil || res.Kind == "" {
			return true, nil
		}
		switch res.Kind {
		case KindGroup:
			if slices.Contains(g.Groups, res.ID) {
				return true, nil
			}
		case KindUser:
			ok, err := member(res.ID, g.Groups)
			if err != nil || ok {
				return ok, err
			}
		}
	}
	return false, nil
}

// IsSuper reports whether grants include an untargeted super admin role: the common case the
// request path can settle without loading anything else.
func IsSuper(grants []Grant) bool {
	return slices.ContainsFunc(grants, func(g Grant) bool { return g.Role == "SUPER_ADMIN" })
}
