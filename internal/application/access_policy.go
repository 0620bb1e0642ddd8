package application

// accessPolicyKey holds, in the stored document, the id of the app's authentication policy (an
// ACCESS_POLICY). Okta shows it only as the link _links.accessPolicy (see ApplicationLinks in
// the Applications API, and assignApplicationPolicy), so Public leaves the key out.
const accessPolicyKey = "_accessPolicy"

// AccessPolicy is the id of the app's authentication policy ("" when it has none).
func (a App) AccessPolicy() string { return a.Str(accessPolicyKey) }

// SetAccessPolicy records the app's authentication policy; "" removes it.
func (a App) SetAccessPolicy(id string) {
	if id == "" {
		delete(a, accessPolicyKey)
		return
	}
	a[accessPolicyKey] = id
}
