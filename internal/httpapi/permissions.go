package httpapi

import (
	"net/http"
	"strings"

	"github.com/okapi-dev/okapi/internal/authz"
	"github.com/okapi-dev/okapi/internal/domain"
)

// The permission each Management API operation needs: one row per route of the route table
// under /api/v1, keyed by its mux pattern. The admin roles that grant each permission are
// internal/authz's table; authorize (called by authed, once per request) joins the two.
// TestEveryRouteHasAPermission keeps this table and the route table in step: a route without
// a row, or a row without a route, fails it.
//
// public marks operations that take no API token (the Authn API, the browser's own session);
// anyAdmin, operations every admin may perform on themselves.
const (
	public   = "public"
	anyAdmin = "okapi.any"
)

var routePermissions = map[string]string{
	"GET /api/v1/api-tokens":                                                                                   authz.OrgRead,
	"DELETE /api/v1/api-tokens/current":                                                                        anyAdmin,
	"DELETE /api/v1/api-tokens/{id}":                                                                           authz.OrgManage,
	"GET /api/v1/api-tokens/{id}":                                                                              authz.OrgRead,
	"PUT /api/v1/api-tokens/{id}":                                                                              authz.OrgManage,
	"GET /api/v1/apps":                                                                                         authz.AppsRead,
	"POST /api/v1/apps":                                                                                        authz.AppsManage,
	"DELETE /api/v1/apps/{id}":                                                                                 authz.AppsManage,
	"GET /api/v1/apps/{id}":                                                                                    authz.AppsRead,
	"PUT /api/v1/apps/{id}":                                                                                    authz.AppsManage,
	"GET /api/v1/apps/{id}/credentials/csrs":                                                                   authz.AppsRead,
	"POST /api/v1/apps/{id}/credentials/csrs":                                                                  authz.AppsManage,
	"DELETE /api/v1/apps/{id}/credentials/csrs/{csrId}":                                                        authz.AppsManage,
	"GET /api/v1/apps/{id}/credentials/csrs/{csrId}":                                                           authz.AppsRead,
	"GET /api/v1/apps/{id}/credentials/keys":                                                                   authz.AppsRead,
	"POST /api/v1/apps/{id}/credentials/keys/generate":                                                         authz.AppsManage,
	"GET /api/v1/apps/{id}/credentials/keys/{kid}":                                                             authz.AppsRead,
	"POST /api/v1/apps/{id}/credentials/keys/{kid}/clone":                                                      authz.AppsManage,
	"GET /api/v1/apps/{id}/grants":                                                                             authz.AppsRead,
	"POST /api/v1/apps/{id}/grants":                                                                            authz.AppsManage,
	"DELETE /api/v1/apps/{id}/grants/{grantId}":                                                                authz.AppsManage,
	"GET /api/v1/apps/{id}/grants/{grantId}":                                                                   authz.AppsRead,
	"GET /api/v1/apps/{id}/groups":                                                                             authz.AppsRead,
	"DELETE /api/v1/apps/{id}/groups/{groupId}":                                                                authz.AppsAssignmentManage,
	"GET /api/v1/apps/{id}/groups/{groupId}":                                                                   authz.AppsRead,
	"PUT /api/v1/apps/{id}/groups/{groupId}":                                                                   authz.AppsAssignmentManage,
	"POST /api/v1/apps/{id}/lifecycle/activate":                                                                authz.AppsManage,
	"POST /api/v1/apps/{id}/lifecycle/deactivate":                                                              authz.AppsManage,
	"POST /api/v1/apps/{id}/logo":                                                                              authz.AppsManage,
	"PUT /api/v1/apps/{id}/policies/{policyId}":                                                                authz.AppsManage,
	"GET /api/v1/apps/{id}/users":                                                                              authz.AppsRead,
	"POST /api/v1/apps/{id}/users":                                                                             authz.AppsAssignmentManage,
	"DELETE /api/v1/apps/{id}/users/{userId}":                                                                  authz.AppsAssignmentManage,
	"GET /api/v1/apps/{id}/users/{userId}":                                                                     authz.AppsRead,
	"POST /api/v1/apps/{id}/users/{userId}":                                                                    authz.AppsAssignmentManage,
	"GET /api/v1/apps/{id}/sso/saml/metadata":                                                                  authz.AppsRead,
	"POST /api/v1/authn":                                                                                       public,
	"POST /api/v1/authn/cancel":                                                                                public,
	"POST /api/v1/authn/credentials/change_password":                                                           public,
	"POST /api/v1/authn/factors/{factorId}/verify":                                                             public,
	"POST /api/v1/authn/introspect":                                                                            public,
	"POST /api/v1/authn/skip":                                                                                  public,
	"GET /api/v1/authorizationServers":                                                                         authz.AuthzServersRead,
	"POST /api/v1/authorizationServers":                                                                        authz.AuthzServersManage,
	"DELETE /api/v1/authorizationServers/{authServerId}":                                                       authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}":                                                          authz.AuthzServersRead,
	"PUT /api/v1/authorizationServers/{authServerId}":                                                          authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/claims":                                                   authz.AuthzServersRead,
	"POST /api/v1/authorizationServers/{authServerId}/claims":                                                  authz.AuthzServersManage,
	"DELETE /api/v1/authorizationServers/{authServerId}/claims/{claimId}":                                      authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/claims/{claimId}":                                         authz.AuthzServersRead,
	"PUT /api/v1/authorizationServers/{authServerId}/claims/{claimId}":                                         authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/credentials/keys":                                         authz.AuthzServersRead,
	"GET /api/v1/authorizationServers/{authServerId}/credentials/keys/{keyId}":                                 authz.AuthzServersRead,
	"POST /api/v1/authorizationServers/{authServerId}/credentials/lifecycle/keyRotate":                         authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/lifecycle/activate":                                      authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/lifecycle/deactivate":                                    authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/policies":                                                 authz.AuthzServersRead,
	"POST /api/v1/authorizationServers/{authServerId}/policies":                                                authz.AuthzServersManage,
	"DELETE /api/v1/authorizationServers/{authServerId}/policies/{policyId}":                                   authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/policies/{policyId}":                                      authz.AuthzServersRead,
	"PUT /api/v1/authorizationServers/{authServerId}/policies/{policyId}":                                      authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/policies/{policyId}/lifecycle/activate":                  authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/policies/{policyId}/lifecycle/deactivate":                authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules":                                authz.AuthzServersRead,
	"POST /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules":                               authz.AuthzServersManage,
	"DELETE /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules/{ruleId}":                    authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules/{ruleId}":                       authz.AuthzServersRead,
	"PUT /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules/{ruleId}":                       authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules/{ruleId}/lifecycle/activate":   authz.AuthzServersManage,
	"POST /api/v1/authorizationServers/{authServerId}/policies/{policyId}/rules/{ruleId}/lifecycle/deactivate": authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/scopes":                                                   authz.AuthzServersRead,
	"POST /api/v1/authorizationServers/{authServerId}/scopes":                                                  authz.AuthzServersManage,
	"DELETE /api/v1/authorizationServers/{authServerId}/scopes/{scopeId}":                                      authz.AuthzServersManage,
	"GET /api/v1/authorizationServers/{authServerId}/scopes/{scopeId}":                                         authz.AuthzServersRead,
	"PUT /api/v1/authorizationServers/{authServerId}/scopes/{scopeId}":                                         authz.AuthzServersManage,
	"GET /api/v1/eventHooks":                                                                                   authz.EventHooksRead,
	"POST /api/v1/eventHooks":                                                                                  authz.EventHooksManage,
	"DELETE /api/v1/eventHooks/{id}":                                                                           authz.EventHooksManage,
	"GET /api/v1/eventHooks/{id}":                                                                              authz.EventHooksRead,
	"PUT /api/v1/eventHooks/{id}":                                                                              authz.EventHooksManage,
	"POST /api/v1/eventHooks/{id}/lifecycle/activate":                                                          authz.EventHooksManage,
	"POST /api/v1/eventHooks/{id}/lifecycle/deactivate":                                                        authz.EventHooksManage,
	"POST /api/v1/eventHooks/{id}/lifecycle/verify":                                                            authz.EventHooksManage,
	"GET /api/v1/events":                                                                                       authz.LogsRead,
	"GET /api/v1/features":                                                                                     authz.FeaturesRead,
	"GET /api/v1/features/{featureId}":                                                                         authz.FeaturesRead,
	"GET /api/v1/features/{featureId}/dependencies":                                                            authz.FeaturesRead,
	"GET /api/v1/features/{featureId}/dependents":                                                              authz.FeaturesRead,
	"POST /api/v1/features/{featureId}/{lifecycle}":                                                            authz.FeaturesManage,
	"GET /api/v1/groups":                                                                                       authz.GroupsRead,
	"POST /api/v1/groups":                                                                                      authz.GroupsCreate,
	"GET /api/v1/groups/rules":                                                                                 authz.GroupsRead,
	"POST /api/v1/groups/rules":                                                                                authz.GroupsManage,
	"DELETE /api/v1/groups/rules/{ruleId}":                                                                     authz.GroupsManage,
	"PUT /api/v1/groups/rules/{ruleId}":                                                                        authz.GroupsManage,
	"POST /api/v1/groups/rules/{ruleId}/lifecycle/activate":                                                    authz.GroupsManage,
	"POST /api/v1/groups/rules/{ruleId}/lifecycle/deactivate":                                                  authz.GroupsManage,
	"DELETE /api/v1/groups/{id}":                                                                               authz.GroupsManage,
	"GET /api/v1/groups/{id}":                                                                                  authz.GroupsRead,
	"PUT /api/v1/groups/{id}":                                                                                  authz.GroupsManage,
	"GET /api/v1/groups/{id}/apps":                                                                             authz.AppsRead,
	"GET /api/v1/groups/{id}/roles":                                                                            authz.RolesRead,
	"POST /api/v1/groups/{id}/roles":                                                                           authz.RolesManage,
	"DELETE /api/v1/groups/{id}/roles/{roleId}":                                                                authz.RolesManage,
	"GET /api/v1/groups/{id}/roles/{roleId}":                                                                   authz.RolesRead,
	"GET /api/v1/groups/{id}/roles/{roleId}/targets/groups":                                                    authz.RolesRead,
	"DELETE /api/v1/groups/{id}/roles/{roleId}/targets/groups/{targetGroupId}":                                 authz.RolesManage,
	"PUT /api/v1/groups/{id}/roles/{roleId}/targets/groups/{targetGroupId}":                                    authz.RolesManage,
	"GET /api/v1/groups/{id}/users":                                                                            authz.GroupsRead,
	"DELETE /api/v1/groups/{id}/users/{userId}":                                                                authz.GroupsMembersManage,
	"PUT /api/v1/groups/{id}/users/{userId}":                                                                   authz.GroupsMembersManage,
	"GET /api/v1/groups/{id}/{ruleId}":                                                                         authz.GroupsRead,
	"GET /api/v1/idps":                                                                                         authz.IdPsRead,
	"POST /api/v1/idps":                                                                                        authz.IdPsManage,
	"GET /api/v1/idps/credentials/keys":                                                                        authz.IdPsRead,
	"POST /api/v1/idps/credentials/keys":                                                                       authz.IdPsManage,
	"DELETE /api/v1/idps/credentials/keys/{kid}":                                                               authz.IdPsManage,
	"GET /api/v1/idps/credentials/keys/{kid}":                                                                  authz.IdPsRead,
	"DELETE /api/v1/idps/{id}":                                                                                 authz.IdPsManage,
	"GET /api/v1/idps/{id}":                                                                                    authz.IdPsRead,
	"PUT /api/v1/idps/{id}":                                                                                    authz.IdPsManage,
	"GET /api/v1/idps/{id}/credentials/csrs":                                                                   authz.IdPsRead,
	"POST /api/v1/idps/{id}/credentials/csrs":                                                                  authz.IdPsManage,
	"DELETE /api/v1/idps/{id}/credentials/csrs/{csrId}":                                                        authz.IdPsManage,
	"GET /api/v1/idps/{id}/credentials/csrs/{csrId}":                                                           authz.IdPsRead,
	"GET /api/v1/idps/{id}/credentials/keys":                                                                   authz.IdPsRead,
	"POST /api/v1/idps/{id}/credentials/keys/generate":                                                         authz.IdPsManage,
	"GET /api/v1/idps/{id}/credentials/keys/{kid}":                                                             authz.IdPsRead,
	"POST /api/v1/idps/{id}/credentials/keys/{kid}/clone":                                                      authz.IdPsManage,
	"POST /api/v1/idps/{id}/lifecycle/activate":                                                                authz.IdPsManage,
	"POST /api/v1/idps/{id}/lifecycle/deactivate":                                                              authz.IdPsManage,
	"GET /api/v1/idps/{id}/users":                                                                              authz.IdPsRead,
	"DELETE /api/v1/idps/{id}/users/{userId}":                                                                  authz.IdPsManage,
	"GET /api/v1/idps/{id}/users/{userId}":                                                                     authz.IdPsRead,
	"POST /api/v1/idps/{id}/users/{userId}":                                                                    authz.IdPsManage,
	"GET /api/v1/internal/apps/{id}/settings/oauth/idToken":                                                    authz.AppsRead,
	"POST /api/v1/internal/apps/{id}/settings/oauth/idToken":                                                   authz.AppsManage,
	"GET /api/v1/logs":                                                                                         authz.LogsRead,
	"GET /api/v1/meta/schemas/group/default":                                                                   authz.GroupsRead,
	"POST /api/v1/meta/schemas/group/default":                                                                  authz.OrgManage,
	"GET /api/v1/meta/schemas/user/linkedObjects":                                                              authz.UsersRead,
	"POST /api/v1/meta/schemas/user/linkedObjects":                                                             authz.OrgManage,
	"DELETE /api/v1/meta/schemas/user/linkedObjects/{name}":                                                    authz.OrgManage,
	"GET /api/v1/meta/schemas/user/linkedObjects/{name}":                                                       authz.UsersRead,
	"GET /api/v1/meta/schemas/user/{schemaId}":                                                                 authz.UsersRead,
	"POST /api/v1/meta/schemas/user/{schemaId}":                                                                authz.OrgManage,
	"GET /api/v1/meta/types/user":                                                                              authz.UsersRead,
	"POST /api/v1/meta/types/user":                                                                             authz.OrgManage,
	"DELETE /api/v1/meta/types/user/{typeId}":                                                                  authz.OrgManage,
	"GET /api/v1/meta/types/user/{typeId}":                                                                     authz.UsersRead,
	"POST /api/v1/meta/types/user/{typeId}":                                                                    authz.OrgManage,
	"PUT /api/v1/meta/types/user/{typeId}":                                                                     authz.OrgManage,
	"GET /api/v1/org":                                                                                          authz.OrgRead,
	"POST /api/v1/org":                                                                                         authz.OrgManage,
	"PUT /api/v1/org":                                                                                          authz.OrgManage,
	"GET /api/v1/org/contacts":                                                                                 authz.OrgRead,
	"GET /api/v1/org/contacts/{contactType}":                                                                   authz.OrgRead,
	"PUT /api/v1/org/contacts/{contactType}":                                                                   authz.OrgManage,
	"GET /api/v1/org/preferences":                                                                              authz.OrgRead,
	"POST /api/v1/org/preferences/hideEndUserFooter":                                                           authz.OrgManage,
	"POST /api/v1/org/preferences/showEndUserFooter":                                                           authz.OrgManage,
	"GET /api/v1/policies":                                                                                     authz.PoliciesRead,
	"POST /api/v1/policies":                                                                                    authz.PoliciesManage,
	"DELETE /api/v1/policies/{id}":                                                                             authz.PoliciesManage,
	"GET /api/v1/policies/{id}":                                                                                authz.PoliciesRead,
	"PUT /api/v1/policies/{id}":                                                                                authz.PoliciesManage,
	"POST /api/v1/policies/{id}/clone":                                                                         authz.PoliciesManage,
	"POST /api/v1/policies/{id}/lifecycle/activate":                                                            authz.PoliciesManage,
	"POST /api/v1/policies/{id}/lifecycle/deactivate":                                                          authz.PoliciesManage,
	"GET /api/v1/policies/{id}/rules":                                                                          authz.PoliciesRead,
	"POST /api/v1/policies/{id}/rules":                                                                         authz.PoliciesManage,
	"DELETE /api/v1/policies/{id}/rules/{ruleId}":                                                              authz.PoliciesManage,
	"GET /api/v1/policies/{id}/rules/{ruleId}":                                                                 authz.PoliciesRead,
	"PUT /api/v1/policies/{id}/rules/{ruleId}":                                                                 authz.PoliciesManage,
	"POST /api/v1/policies/{id}/rules/{ruleId}/lifecycle/activate":                                             authz.PoliciesManage,
	"POST /api/v1/policies/{id}/rules/{ruleId}/lifecycle/deactivate":                                           authz.PoliciesManage,
	"POST /api/v1/sessions":                                                                                    anyAdmin,
	"DELETE /api/v1/sessions/me":                                                                               public,
	"GET /api/v1/sessions/me":                                                                                  public,
	"POST /api/v1/sessions/me/lifecycle/refresh":                                                               public,
	"DELETE /api/v1/sessions/{id}":                                                                             authz.UsersClearSessions,
	"GET /api/v1/sessions/{id}":                                                                                authz.UsersRead,
	"POST /api/v1/sessions/{id}/lifecycle/refresh":                                                             authz.UsersClearSessions,
	"GET /api/v1/trustedOrigins":                                                                               authz.OrgRead,
	"POST /api/v1/trustedOrigins":                                                                              authz.OrgManage,
	"DELETE /api/v1/trustedOrigins/{id}":                                                                       authz.OrgManage,
	"GET /api/v1/trustedOrigins/{id}":                                                                          authz.OrgRead,
	"PUT /api/v1/trustedOrigins/{id}":                                                                          authz.OrgManage,
	"POST /api/v1/trustedOrigins/{id}/lifecycle/activate":                                                      authz.OrgManage,
	"POST /api/v1/trustedOrigins/{id}/lifecycle/deactivate":                                                    authz.OrgManage,
	"GET /api/v1/users":                                                                                        authz.UsersRead,
	"POST /api/v1/users":                                                                                       authz.UsersCreate,
	"DELETE /api/v1/users/{id}":                                                                                authz.UsersDelete,
	"GET /api/v1/users/{id}":                                                                                   authz.UsersRead,
	"POST /api/v1/users/{id}":                                                                                  authz.UsersManage,
	"PUT /api/v1/users/{id}":                                                                                   authz.UsersManage,
	"POST /api/v1/users/{id}/credentials/change_password":                                                      authz.UsersCredentialsManage,
	"POST /api/v1/users/{id}/credentials/change_recovery_question":                                             authz.UsersCredentialsManage,
	"POST /api/v1/users/{id}/credentials/forgot_password":                                                      authz.UsersResetPassword,
	"POST /api/v1/users/{id}/credentials/forgot_password_recovery_question":                                    authz.UsersResetPassword,
	"GET /api/v1/users/{id}/factors":                                                                           authz.UsersRead,
	"POST /api/v1/users/{id}/factors":                                                                          authz.UsersCredentialsManage,
	"GET /api/v1/users/{id}/factors/questions":                                                                 authz.UsersRead,
	"DELETE /api/v1/users/{id}/factors/{factorId}":                                                             authz.UsersResetFactors,
	"GET /api/v1/users/{id}/factors/{factorId}":                                                                authz.UsersRead,
	"POST /api/v1/users/{id}/factors/{factorId}/lifecycle/activate":                                            authz.UsersCredentialsManage,
	"POST /api/v1/users/{id}/factors/{factorId}/verify":                                                        authz.UsersCredentialsManage,
	"GET /api/v1/users/{id}/groups":                                                                            authz.UsersRead,
	"POST /api/v1/users/{id}/lifecycle/activate":                                                               authz.UsersActivate,
	"POST /api/v1/users/{id}/lifecycle/deactivate":                                                             authz.UsersDeactivate,
	"POST /api/v1/users/{id}/lifecycle/expire_password":                                                        authz.UsersExpirePassword,
	"POST /api/v1/users/{id}/lifecycle/expire_password_with_temp_password":                                     authz.UsersExpirePassword,
	"POST /api/v1/users/{id}/lifecycle/reactivate":                                                             authz.UsersActivate,
	"POST /api/v1/users/{id}/lifecycle/reset_factors":                                                          authz.UsersResetFactors,
	"POST /api/v1/users/{id}/lifecycle/reset_password":                                                         authz.UsersResetPassword,
	"POST /api/v1/users/{id}/lifecycle/suspend":                                                                authz.UsersSuspend,
	"POST /api/v1/users/{id}/lifecycle/unlock":                                                                 authz.UsersUnlock,
	"POST /api/v1/users/{id}/lifecycle/unsuspend":                                                              authz.UsersUnsuspend,
	"DELETE /api/v1/users/{id}/linkedObjects/{name}":                                                           authz.UsersManage,
	"GET /api/v1/users/{id}/linkedObjects/{name}":                                                              authz.UsersRead,
	"PUT /api/v1/users/{id}/linkedObjects/{name}/{primaryId}":                                                  authz.UsersManage,
	"GET /api/v1/users/{id}/roles":                                                                             authz.RolesRead,
	"POST /api/v1/users/{id}/roles":                                                                            authz.RolesManage,
	"DELETE /api/v1/users/{id}/roles/{roleId}":                                                                 authz.RolesManage,
	"GET /api/v1/users/{id}/roles/{roleId}":                                                                    authz.RolesRead,
	"GET /api/v1/users/{id}/roles/{roleId}/targets/groups":                                                     authz.RolesRead,
	"DELETE /api/v1/users/{id}/roles/{roleId}/targets/groups/{groupId}":                                        authz.RolesManage,
	"PUT /api/v1/users/{id}/roles/{roleId}/targets/groups/{groupId}":                                           authz.RolesManage,
	"DELETE /api/v1/users/{id}/sessions":                                                                       authz.UsersClearSessions,
	"GET /api/v1/users/{id}/appLinks":                                                                          authz.UsersRead,
	"GET /api/v1/users/{id}/subscriptions":                                                                     authz.RolesRead,
	"GET /api/v1/users/{id}/subscriptions/{type}":                                                              authz.RolesRead,
	"POST /api/v1/users/{id}/subscriptions/{type}/subscribe":                                                   authz.RolesManage,
	"POST /api/v1/users/{id}/subscriptions/{type}/unsubscribe":                                                 authz.RolesManage,
	"GET /api/v1/roles/{roleRef}/subscriptions":                                                                authz.RolesRead,
	"GET /api/v1/roles/{roleRef}/subscriptions/{type}":                                                         authz.RolesRead,
	"POST /api/v1/roles/{roleRef}/subscriptions/{type}/subscribe":                                              authz.RolesManage,
	"POST /api/v1/roles/{roleRef}/subscriptions/{type}/unsubscribe":                                            authz.RolesManage,
	"GET /api/v1/zones":                                                                                        authz.OrgRead,
	"GET /api/v1/iam/roles":                                                                                    authz.RolesRead,
	"POST /api/v1/iam/roles":                                                                                   authz.RolesManage,
	"GET /api/v1/iam/roles/{roleIdOrLabel}":                                                                    authz.RolesRead,
	"PUT /api/v1/iam/roles/{roleIdOrLabel}":                                                                    authz.RolesManage,
	"DELETE /api/v1/iam/roles/{roleIdOrLabel}":                                                                 authz.RolesManage,
	"GET /api/v1/iam/roles/{roleIdOrLabel}/permissions":                                                        authz.RolesRead,
	"GET /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}":                                       authz.RolesRead,
	"POST /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}":                                      authz.RolesManage,
	"PUT /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}":                                       authz.RolesManage,
	"DELETE /api/v1/iam/roles/{roleIdOrLabel}/permissions/{permissionType}":                                    authz.RolesManage,
	"GET /api/v1/iam/resource-sets":                                                                            authz.RolesRead,
	"POST /api/v1/iam/resource-sets":                                                                           authz.RolesManage,
	"GET /api/v1/iam/resource-sets/{resourceSetId}":                                                            authz.RolesRead,
	"PUT /api/v1/iam/resource-sets/{resourceSetId}":                                                            authz.RolesManage,
	"DELETE /api/v1/iam/resource-sets/{resourceSetId}":                                                         authz.RolesManage,
	"GET /api/v1/iam/resource-sets/{resourceSetId}/resources":                                                  authz.RolesRead,
	"PATCH /api/v1/iam/resource-sets/{resourceSetId}/resources":                                                authz.RolesManage,
	"DELETE /api/v1/iam/resource-sets/{resourceSetId}/resources/{resourceId}":                                  authz.RolesManage,
	"POST /api/v1/zones":                                                                                       authz.OrgManage,
	"DELETE /api/v1/zones/{id}":                                                                                authz.OrgManage,
	"GET /api/v1/zones/{id}":                                                                                   authz.OrgRead,
	"PUT /api/v1/zones/{id}":                                                                                   authz.OrgManage,
	"POST /api/v1/zones/{id}/lifecycle/activate":                                                               authz.OrgManage,
	"POST /api/v1/zones/{id}/lifecycle/deactivate":                                                             authz.OrgManage,
}

// requestResource names what a request acts on as far as role targets care: the user of
// /api/v1/users/{id}/..., the group of /api/v1/groups/{id}/..., or nothing.
func requestResource(r *http.Request, callerID string) authz.Resource {
	switch {
	case strings.HasPrefix(r.Pattern, "GET /api/v1/groups/{id}/{ruleId}"):
		return authz.Resource{} // a group rule read through the mux's stand-in pattern
	case strings.Contains(r.Pattern, " /api/v1/users/{id}"):
		id := r.PathValue("id")
		if id == "me" {
			id = callerID
		}
		return authz.Resource{Kind: authz.KindUser, ID: id}
	case strings.Contains(r.Pattern, " /api/v1/groups/{id}"):
		return authz.Resource{Kind: authz.KindGroup, ID: r.PathValue("id")}
	}
	return authz.Resource{}
}

// authorize decides an authenticated API token request by its owner's admin roles. It writes
// the refusal and reports false when the request may not proceed: 403 E0000006 whatever the
// reason, or 401 E0000011 when the owner is no longer an admin at all.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, userID string) bool {
	p := routePermissions[r.Pattern]
	if p == "" || p == public {
		p = authz.RolesManage // a route the table forgot: super admins only, never open
	}
	if p == anyAdmin || (r.Method == http.MethodGet && r.PathValue("id") == "me" && r.Pattern == "GET /api/v1/users/{id}") {
		ok, err := s.svc.IsAdmin(r.Context(), callerOf(r.Context()).OrgID, userID)
		if err == nil && !ok {
			err = domain.ErrInvalidToken
		}
		if err != nil {
			s.writeError(w, r, err)
			return false
		}
		return true
	}
	if err := s.svc.Authorize(r.Context(), callerOf(r.Context()).OrgID, userID, p, requestResource(r, userID)); err != nil {
		s.writeError(w, r, err)
		return false
	}
	return true
}
