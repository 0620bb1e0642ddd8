package authz

import (
	"slices"
	"testing"
)

func TestRoleTableUsesKnownPermissions(t *testing.T) {
	for r, perms := range rolePermissions {
		for _, p := range perms {
			if !slices.Contains(All, p) {
				t.Errorf("%s grants %q, which is not in All", r, p)
			}
		}
	}
	if len(Roles()) != 10 {
		t.Errorf("standard roles = %v, want Okta's ten", Roles())
	}
}

func TestGrants(t *testing.T) {
	tests := []struct {
		role, perm string
		want       bool
	}{
		{"SUPER_ADMIN", RolesManage, true},
		{"ORG_ADMIN", UsersCreate, true},
		{"ORG_ADMIN", RolesManage, false}, // only super admins add or remove admins
		{"READ_ONLY_ADMIN", UsersRead, true},
		{"READ_ONLY_ADMIN", UsersCreate, false},
		{"READ_ONLY_ADMIN", RolesRead, false},
		{"SUPER_ADMIN", FeaturesManage, true},
		{"ORG_ADMIN", FeaturesManage, false}, // Early Access features: super admins only
		{"ORG_ADMIN", FeaturesRead, false},
		{"READ_ONLY_ADMIN", FeaturesRead, false},
		{"HELP_DESK_ADMIN", UsersResetPassword, true},
		{"HELP_DESK_ADMIN", UsersUnlock, true},
		{"HELP_DESK_ADMIN", UsersManage, false},
		{"HELP_DESK_ADMIN", UsersCreate, false},
		{"USER_ADMIN", UsersCreate, true},
		{"USER_ADMIN", AppsManage, false},
		{"USER_ADMIN", GroupsManage, false},
		{"APP_ADMIN", AppsManage, true},
		{"APP_ADMIN", UsersCreate, false},
		{"GROUP_MEMBERSHIP_ADMIN", GroupsMembersManage, true},
		{"GROUP_MEMBERSHIP_ADMIN", UsersManage, false},
		{"API_ACCESS_MANAGEMENT_ADMIN", AuthzServersManage, true},
		{"API_ACCESS_MANAGEMENT_ADMIN", LogsRead, false},
		{"REPORT_ADMIN", LogsRead, true},
		{"REPORT_ADMIN", UsersRead, false},
		{"NOT_A_ROLE", UsersRead, false},
	}
	for _, tt := range tests {
		if got := Grants(tt.role, tt.perm); got != tt.want {
			t.Errorf("Grants(%s, %s) = %v, want %v", tt.role, tt.perm, got, tt.want)
		}
	}
}

func TestAllowedHonoursTargets(t *testing.T) {
	members := map[string][]string{"u-in": {"g-target"}, "u-out": {"g-other"}}
	member := func(user string, groups []string) (bool, error) {
		for _, g := range members[user] {
			if slices.Contains(groups, g) {
				return true, nil
			}
		}
		return false, nil
	}
	groupAdmin := []Grant{{Role: "USER_ADMIN", Groups: []string{"g-target"}}}
	tests := []struct {
		name   string
		grants []Grant
		perm   string
		res    Resource
		want   bool
	}{
		{"member of a target group", groupAdmin, UsersManage, Resource{KindUser, "u-in"}, true},
		{"outside the targets", groupAdmin, UsersManage, Resource{KindUser, "u-out"}, false},
		{"unknown user", groupAdmin, UsersManage, Resource{KindUser, "nobody"}, false},
		{"the target group", groupAdmin, GroupsMembersManage, Resource{KindGroup, "g-target"}, true},
		{"another group", groupAdmin, GroupsMembersManage, Resource{KindGroup, "g-other"}, false},
		{"a list names no resource", groupAdmin, UsersRead, Resource{}, true},
		{"permission the role lacks", groupAdmin, AppsManage, Resource{}, false},
		{"untargeted role applies everywhere", []Grant{{Role: "USER_ADMIN"}}, UsersManage, Resource{KindUser, "u-out"}, true},
		{"second grant allows", []Grant{{Role: "HELP_DESK_ADMIN", Groups: []string{"g-other"}}, {Role: "READ_ONLY_ADMIN"}}, UsersRead, Resource{KindUser, "u-in"}, true},
		{"no grants", nil, UsersRead, Resource{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Allowed(tt.grants, tt.perm, tt.res, member)
			if err != nil || got != tt.want {
				t.Errorf("Allowed = %v, %v; want %v", got, err, tt.want)
			}
		})
	}
}
