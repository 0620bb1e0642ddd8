package role

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/okapi-dev/okapi/internal/domain"
)

// Permissions are the spec's RolePermissionType values: what a custom role may grant
// (Okta's "Permissions" in the Roles guide). A custom role naming anything else is refused.
var Permissions = []string{
	"okta.apps.assignment.manage", "okta.apps.manage", "okta.apps.manageFirstPartyApps", "okta.apps.read",
	"okta.authzServers.manage", "okta.authzServers.read", "okta.customizations.manage", "okta.customizations.read",
	"okta.devices.lifecycle.activate", "okta.devices.lifecycle.deactivate", "okta.devices.lifecycle.delete",
	"okta.devices.lifecycle.manage", "okta.devices.lifecycle.suspend", "okta.devices.lifecycle.unsuspend",
	"okta.devices.manage", "okta.devices.read", "okta.governance.accessCertifications.manage",
	"okta.governance.accessRequests.manage", "okta.groups.appAssignment.manage", "okta.groups.create",
	"okta.groups.manage", "okta.groups.members.manage", "okta.groups.read", "okta.identityProviders.manage",
	"okta.identityProviders.read", "okta.profilesources.import.run", "okta.users.appAssignment.manage",
	"okta.users.create", "okta.users.credentials.expirePassword", "okta.users.credentials.manage",
	"okta.users.credentials.resetFactors", "okta.users.credentials.resetPassword", "okta.users.groupMembership.manage",
	"okta.users.lifecycle.activate", "okta.users.lifecycle.clearSessions", "okta.users.lifecycle.deactivate",
	"okta.users.lifecycle.delete", "okta.users.lifecycle.manage", "okta.users.lifecycle.suspend",
	"okta.users.lifecycle.unlock", "okta.users.lifecycle.unsuspend", "okta.users.manage", "okta.users.read",
	"okta.users.userprofile.manage",
}

// PrefixCustomRole starts the id of a custom role.
const PrefixCustomRole = "cr0"

// CustomRole is a role an admin defines as a set of permissions (/api/v1/iam/roles).
type CustomRole struct {
	ID          string       `json:"id"`
	Label       string       `json:"label"`
	Description string       `json:"description"`
	Permissions []Permission `json:"permissions"`
	Created     domain.Time  `json:"created"`
	LastUpdated domain.Time  `json:"lastUpdated"`
}

// Permission is one permission a custom role grants.
type Permission struct {
	Label       string         `json:"label"`
	Conditions  map[string]any `json:"conditions"`
	Created     domain.Time    `json:"created"`
	LastUpdated domain.Time    `json:"lastUpdated"`
}

// maxLabel bounds labels and descriptions (Okta documents no limit; this keeps rows small).
const maxLabel = 1024

// ValidateCustom checks a create or replace: label and description are required, and on create
// (perms non-nil) at least one permission, each a known RolePermissionType.
func ValidateCustom(label, description string, perms []string, create bool) error {
	var fe domain.FieldErrors
	labelled(&fe, label, description)
	if create && len(perms) == 0 {
		fe.Add("permissions", "permissions: The field cannot be left blank")
	}
	for _, p := range perms {
		if !KnownPermission(p) {
			fe.Add("permissions", "permissions: "+p+" is not a valid permission")
		}
	}
	return fe.Err()
}

// labelled checks the label and description every IAM object has: both required, bounded.
func labelled(fe *domain.FieldErrors, label, description string) {
	for _, f := range []struct{ name, v string }{{"label", label}, {"description", description}} {
		switch {
		case strings.TrimSpace(f.v) == "":
			fe.Add(f.name, f.name+": The field cannot be left blank")
		case utf8.RuneCountInString(f.v) > maxLabel:
			fe.Add(f.name, f.name+": The field is too long")
		}
	}
}

// KnownPermission reports whether p is a permission a custom role can grant.
func KnownPermission(p string) bool { return slices.Contains(Permissions, p) }
