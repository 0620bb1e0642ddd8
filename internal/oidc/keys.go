package oidc

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"net/http"
	"sync"

	"github.com/okapi-dev/okapi/internal/domain"
	"github.com/okapi-dev/okapi/internal/store"
)

// OrgServerID is the server id under which the org authorization server's keys are stored
// (the org server is not an object of the Authorization Servers API).
const OrgServerID = "org"

// Key is a signing key as stored: Okta's ACTIVE key signs, NEXT is the one a rotation promotes,
// EXPIRED the previous, still published so tokens signed before a rotation verify.
type Key struct {
	Kid     string      `json:"kid"`
	Status  string      `json:"status"`
	Private string      `json:"private"` // PKCS#1 PEM
	Created domain.Time `json:"created"`
}

// Key statuses.
const (
	KeyNext    = "NEXT"
	KeyExpired = "EXPIRED"
)

// JWK is Okta's public key object (the Authorization Servers API's JsonWebKey and /keys).
type JWK struct {
	Kty    string `json:"kty"`
	Alg    string `json:"alg"`
	Kid    string `json:"kid"`
	Use    string `json:"use"`
	E      string `json:"e"`
	N      string `json:"n"`
	Status string `json:"status,omitempty"`
}

// keyCache keeps parsed private keys by kid: key material never changes for a kid, so the
// cache is safe with several instances (which key is ACTIVE is always read from the store).
type keyCache struct{ m sync.Map }

func (c *keyCache) private(k Key) (*rsa.PrivateKey, error) {
	if v, ok := c.m.Load(k.Kid); ok {
		return v.(*rsa.PrivateKey), nil
	}
	b, _ := pem.Decode([]byte(k.Private))
	if b == nil {
		return nil, errors.New("oidc: bad key PEM")
	}
	priv, err := x509.ParsePKCS1PrivateKey(b.Bytes)
	if err != nil {
		return nil, err
	}
	c.m.Store(k.Kid, priv)
	return priv, nil
}

// generateKey makes a fresh RSA 2048 key; its kid is the RFC 7638 thumbprint.
func (p *Provider) generateKey(now domain.Time, status string) (Key, error) {
	priv, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return Key{}, err
	}
	pemText := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(priv)})
	k := Key{Status: status, Private: string(pemText), Created: now}
	j := publicJWK(&priv.PublicKey, "")
	thumb := sha256.Sum256([]byte(`{"e":"` + j.E + `","kty":"RSA","n":"` + j.N + `"}`))
	k.Kid = base64.RawURLEncoding.EncodeToString(thumb[:])
	p.keys.m.Store(k.Kid, priv)
	return k, nil
}

func publicJWK(pub *rsa.PublicKey, kid string) JWK {
	return JWK{Kty: "RSA", Alg: "RS256", Kid: kid, Use: "sig",
		E: base64.RawURLEncoding.EncodeToString(big.NewInt(int64(pub.E)).Bytes()),
		N: base64.RawURLEncoding.EncodeToString(pub.N.Bytes())}
}

func (p *Provider) putKey(ctx context.Context, tx store.Tx, org, server string, k Key) error {
	return p.putNew(ctx, tx, org, store.OAuthKey, k.Kid, server, server, k.Kid, k.Created, k)
}

// serverKeys returns the stored keys of a server (or of OrgServerID).
func (p *Provider) serverKeys(ctx context.Context, r store.Reader, server string) ([]Key, error) {
	objs, err := r.ListOAuthObjects(ctx, orgOf(ctx), store.OAuthKey, server)
	if err != nil {
		return nil, err
	}
	out := make([]Key, 0, len(objs))
	for _, o := range objs {
		k, err := decodeObj[Key](o)
		if err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, nil
}

func (p *Provider) jwks(keys []Key, withStatus bool) ([]JWK, error) {
	out := make([]JWK, 0, len(keys))
	// Okta lists ACTIVE first, then NEXT, then EXPIRED.
	for _, st := range []string{StatusActive, KeyNext, KeyExpired} {
		for _, k := range keys {
			if k.Status != st {
				continue
			}
			priv, err := p.keys.private(k)
			if err != nil {
				return nil, err
			}
			j := publicJWK(&priv.PublicKey, k.Kid)
			if withStatus {
				j.Status = k.Status
			}
			out = append(out, j)
		}
	}
	return out, nil
}

// ServerKeys lists a server's keys with their status (GET .../credentials/keys).
func (p *Provider) ServerKeys(ctx context.Context, id string) ([]JWK, error) {
	srv, err := p.GetServer(ctx, id)
	if err != nil {
		return nil, err
	}
	keys, err := p.serverKeys(ctx, p.Store, srv.ID)
	if err != nil {
		return nil, err
	}
	return p.jwks(keys, true)
}

// ServerKey returns one key of a server.
func (p *Provider) ServerKey(ctx context.Context, id, kid string) (JWK, error) {
	all, err := p.ServerKeys(ctx, id)
	if err != nil {
		return JWK{}, err
	}
	for _, j := range all {
		if j.Kid == kid {
			return j, nil
		}
	}
	return JWK{}, notFound(store.OAuthKey, kid)
}

// ErrRotateUse is Okta's answer to a keyRotate body whose use is not "sig".
var ErrRotateUse = domain.NewError(http.StatusBadRequest, domain.CodeValidation, "Api validation failed: rotateKeys",
	domain.Cause{Summary: "Invalid value specified for key 'use' parameter."})

// RotateKeys is credentials/lifecycle/keyRotate: the ACTIVE key becomes EXPIRED (the one
// expired before is dropped), NEXT (or a new key) becomes ACTIVE, and a new NEXT is made.
func (p *Provider) RotateKeys(ctx context.Context, id, use string) ([]JWK, error) {
	if use != "sig" {
		return nil, ErrRotateUse
	}
	srv, err := p.GetServer(ctx, id)
	if err != nil {
		return nil, err
	}
	org, now := orgOf(ctx), p.now(ctx)
	fresh, err := p.generateKey(now, KeyNext)
	if err != nil {
		return nil, err
	}
	spare, err := p.generateKey(now, StatusActive)
	if err != nil {
		return nil, err
	}
	err = p.Store.Update(ctx, func(tx store.Tx) error {
		keys, err := p.serverKeys(ctx, tx, srv.ID)
		if err != nil {
			return err
		}
		var promoted string
		for _, k := range keys {
			switch k.Status {
			case KeyExpired:
				if err := tx.DeleteOAuthObject(ctx, org, store.OAuthKey, k.Kid); err != nil {
					return err
				}
				continue
			case StatusActive:
				k.Status = KeyExpired
			case KeyNext:
				k.Status, promoted = StatusActive, k.Kid
			}
			if err := p.putUpdate(ctx, tx, org, store.OAuthKey, k.Kid, srv.ID, srv.ID, k.Kid, k); err != nil {
				return err
			}
		}
		if promoted == "" {
			if err := p.putKey(ctx, tx, org, srv.ID, spare); err != nil {
				return err
			}
			promoted = spare.Kid
		}
		if err := p.putKey(ctx, tx, org, srv.ID, fresh); err != nil {
			return err
		}
		s, err := p.server(ctx, tx, srv.ID)
		if err != nil {
			return err
		}
		s.Credentials.Signing.Kid = promoted
		lr := now
		s.Credentials.Signing.LastRotated = &lr
		if s.Credentials.Signing.RotationMode == "AUTO" {
			next := domain.At(now.AddDate(0, 0, 90))
			s.Credentials.Signing.NextRotation = &next
		}
		if err := p.putUpdate(ctx, tx, org, store.OAuthServer, s.ID, s.ID, "", s.Name, s); err != nil {
			return err
		}
		return tx.AppendEvents(ctx, org, p.event(ctx, now, "oauth2.as.key.rotated", "Rotate authorization server keys", serverTarget(s)))
	})
	if err != nil {
		return nil, err
	}
	return p.ServerKeys(ctx, srv.ID)
}

// activeKey is the key that signs for server.
func (p *Provider) activeKey(ctx context.Context, server string) (Key, *rsa.PrivateKey, error) {
	keys, err := p.serverKeys(ctx, p.Store, server)
	if err != nil {
		return Key{}, nil, err
	}
	for _, k := range keys {
		if k.Status == StatusActive {
			priv, err := p.keys.private(k)
			return k, priv, err
		}
	}
	return Key{}, nil, errors.New("oidc: server has no active key")
}

var _ = json.Marshal
