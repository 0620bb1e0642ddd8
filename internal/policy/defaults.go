package policy

import "github.com/okapi-dev/okapi/internal/domain"

const defaultDescription = "The default policy applies in all situations if no other policy applies."

// Defaults returns the policies and rules a new Okta org has, as okapi creates them in every
// org: system policies (undeletable) for sign-on, passwords, MFA enrolment, IdP discovery,
// app access and profile enrolment, each with its system rule where the spec can describe it.
// everyone is the org's Everyone group, which the classic policies apply to.
func Defaults(ids domain.IDs, now domain.Time, everyone string) ([]Policy, []Rule) {
	people := map[string]any{"people": map[string]any{"groups": map[string]any{"include": []any{everyone}}}}
	anywhere := map[string]any{"network": map[string]any{"connection": "ANYWHERE"}}
	newPolicy := func(typ, name, desc string, conditions, settings map[string]any) Policy {
		pp, _ := IDPrefixes(typ)
		return Policy{ID: domain.NewID(ids, pp), Status: StatusActive, Name: name, Description: desc, Priority: 1,
			System: true, Type: typ, Conditions: conditions, Settings: settings, Created: now, LastUpdated: now}
	}
	newRule := func(p Policy, name string, priority int, conditions, actions map[string]any) Rule {
		_, rp := IDPrefixes(p.Type)
		return Rule{ID: domain.NewID(ids, rp), Status: StatusActive, Name: name, Priority: priority, System: true,
			Type: RuleType(p.Type), Conditions: conditions, Actions: actions, Created: now, LastUpdated: now, PolicyID: p.ID}
	}
	signOn := newPolicy("OKTA_SIGN_ON", "Default Policy", defaultDescription, people, nil)
	password := newPolicy("PASSWORD", "Default Policy", defaultDescription,
		map[string]any{"people": people["people"], "authProvider": map[string]any{"provider": "OKTA"}},
		map[string]any{
			"password": map[string]any{
				"complexity": map[string]any{"minLength": 8, "minLowerCase": 1, "minUpperCase": 1, "minNumber": 1, "minSymbol": 0,
					"excludeUsername": true, "excludeAttributes": []any{}, "dictionary": map[string]any{"common": map[string]any{"exclude": false}}},
				"age":     map[string]any{"maxAgeDays": 0, "expireWarnDays": 0, "minAgeMinutes": 0, "historyCount": 4},
				"lockout": map[string]any{"maxAttempts": 10, "autoUnlockMinutes": 0, "userLockoutNotificationChannels": []any{}, "showLockoutFailures": false},
			},
			"recovery": map[string]any{"factors": map[string]any{
				"recovery_question": map[string]any{"status": "ACTIVE", "properties": map[string]any{"complexity": map[string]any{"minLength": 4}}},
				"okta_email":        map[string]any{"status": "ACTIVE", "properties": map[string]any{"recoveryToken": map[string]any{"tokenLifetimeMinutes": 60}}},
				"okta_sms":          map[string]any{"status": "INACTIVE"},
				"okta_call":         map[string]any{"status": "INACTIVE"},
			}},
			"delegation": map[string]any{"options": map[string]any{"skipUnlock": false}},
		})
	mfa := newPolicy("MFA_ENROLL", "Default Policy", defaultDescription, people, nil)
	discovery := newPolicy("IDP_DISCOVERY", "Idp Discovery Policy", "The default IdP Discovery Policy", nil, nil)
	access := newPolicy("ACCESS_POLICY", "Default Policy", "The default app sign-on policy", nil, nil)
	profile := newPolicy("PROFILE_ENROLLMENT", "Default Policy", "The default profile enrollment policy", nil, nil)
	rules := []Rule{
		newRule(signOn, "Default Rule", 1, anywhere, map[string]any{"signon": map[string]any{
			"access": "ALLOW", "requireFactor": false, "rememberDeviceByDefault": false,
			"session": map[string]any{"usePersistentCookie": false, "maxSessionIdleMinutes": 120, "maxSessionLifetimeMinutes": 0}}}),
		newRule(password, "Default Rule", 1, anywhere, map[string]any{
			"passwordChange":           map[string]any{"access": "ALLOW"},
			"selfServicePasswordReset": map[string]any{"access": "ALLOW"},
			"selfServiceUnlock":        map[string]any{"access": "DENY"}}),
		newRule(discovery, "Default Rule", 1, nil, map[string]any{"idp": map[string]any{"providers": []any{map[string]any{"type": "OKTA"}}}}),
		newRule(access, "Catch-all Rule", 99, nil, map[string]any{"appSignOn": map[string]any{
			"access": "ALLOW",
			"verificationMethod": map[string]any{"factorMode": "2FA", "type": "ASSURANCE", "reauthenticateIn": "PT12H",
				"constraints": []any{map[string]any{"possession": map[string]any{"deviceBound": "REQUIRED"}}}}}}),
		newRule(profile, "Catch-all Rule", 99, nil, map[string]any{"profileEnrollment": map[string]any{
			"access": "ALLOW", "unknownUserAction": "DENY",
			"profileAttributes":      []any{map[string]any{"name": "email", "label": "Email", "required": true}},
			"activationRequirements": map[string]any{"emailVerification": true}}}),
	}
	return []Policy{signOn, password, mfa, discovery, access, profile}, rules
}
