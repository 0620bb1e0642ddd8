package httpapi_test

import (
	"crypto/rand"
	"crypto/rsa"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// BenchmarkOAuthClientCredentials is a whole client_credentials token request on the default
// server (client auth, scopes, policy, signing, System Log event); compare with
// BenchmarkOAuthBareSign, a loop signing the same claims with the same library.
func BenchmarkOAuthClientCredentials(b *testing.B) {
	e, _, _, _ := oauthEnvTB(b)
	e.do(req{Method: "POST", Path: "/api/v1/authorizationServers/default/scopes", Body: `{"name":"things:read"}`})
	body := "grant_type=client_credentials&scope=things%3Aread"
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		r := httptest.NewRequest("POST", "/oauth2/default/v1/token", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.SetBasicAuth("web", "s3cret")
		w := httptest.NewRecorder()
		e.api.ServeHTTP(w, r)
		if w.Code != http.StatusOK {
			b.Fatalf("%d %s", w.Code, w.Body)
		}
	}
}

func BenchmarkOAuthBareSign(b *testing.B) {
	key, _ := rsa.GenerateKey(rand.Reader, 2048)
	signer, _ := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: key, KeyID: "k"}}, nil)
	for i := 0; i < b.N; i++ {
		claims := map[string]any{"ver": 1, "jti": "AT.x", "iss": "http://example.com/oauth2/default", "aud": "api://default",
			"iat": 1, "exp": 2, "cid": "web", "scp": []string{"things:read"}, "sub": "web"}
		if _, err := jwt.Signed(signer).Claims(claims).Serialize(); err != nil {
			b.Fatal(err)
		}
	}
}
