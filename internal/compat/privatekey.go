package compat

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net/http"
)

// privateKeyScopes are the okta.* scopes the SDK's private-key tests ask for
// (okta/private_key_test.go: WithScopes).
var privateKeyScopes = []string{"okta.users.manage", "okta.users.read"}

// privateKeyClient sets okapi up as an Okta admin does for the SDK's OAuth 2.0 authorization
// mode ("Implement OAuth for Okta with a service app"): a service app authenticating with
// private_key_jwt, its public key in the app's JWKS and the okta.* scopes granted. It returns the
// environment the SDK reads (OKTA_CLIENT_CLIENTID, OKTA_CLIENT_PRIVATEKEY, OKTA_CLIENT_PRIVATEKEYID).
func privateKeyClient(ctx context.Context, k *Okapi) ([]string, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, err
	}
	const kid = "okapi-compat-sdk"
	jwk := map[string]any{"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256",
		"n": b64(key.N.Bytes()), "e": b64(big.NewInt(int64(key.E)).Bytes())}
	app, err := k.apiCall(ctx, "POST", "/api/v1/apps", map[string]any{
		"name": "oidc_client", "label": "okapi-compat SDK private key", "signOnMode": "OPENID_CONNECT",
		"credentials": map[string]any{"oauthClient": map[string]any{"token_endpoint_auth_method": "private_key_jwt"}},
		"settings": map[string]any{"oauthClient": map[string]any{"application_type": "service",
			"grant_types": []string{"client_credentials"}, "response_types": []string{"token"},
			"jwks": map[string]any{"keys": []any{jwk}}}},
	})
	if err != nil {
		return nil, fmt.Errorf("create the service app: %w", err)
	}
	appID, _ := app["id"].(string)
	creds, _ := app["credentials"].(map[string]any)
	oc, _ := creds["oauthClient"].(map[string]any)
	clientID, _ := oc["client_id"].(string)
	if appID == "" || clientID == "" {
		return nil, fmt.Errorf("the service app has no id or client_id: %v", app)
	}
	for _, scope := range privateKeyScopes {
		if _, err := k.apiCall(ctx, "POST", "/api/v1/apps/"+appID+"/grants", map[string]any{"issuer": k.URL, "scopeId": scope}); err != nil {
			return nil, fmt.Errorf("grant %s: %w", scope, err)
		}
	}
	pemKey := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	return []string{"OKTA_CLIENT_CLIENTID=" + clientID, "OKTA_CLIENT_PRIVATEKEY=" + string(pemKey), "OKTA_CLIENT_PRIVATEKEYID=" + kid}, nil
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// apiCall sends one Management API request with okapi's bootstrap token and decodes the answer.
func (k *Okapi) apiCall(ctx context.Context, method, path string, body any) (map[string]any, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, k.URL+path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "SSWS "+k.Token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", "application/json")
	resp, err := k.client().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	return out, nil
}
