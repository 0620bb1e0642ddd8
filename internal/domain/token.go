package domain

import (
	"crypto/sha256"
	"encoding/hex"
)

// APIToken is an SSWS token's metadata. The secret itself is never stored, only its hash.
type APIToken struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	UserID      string        `json:"userId"`
	ClientName  string        `json:"clientName"`
	Created     Time          `json:"created"`
	LastUpdated Time          `json:"lastUpdated"`
	ExpiresAt   Time          `json:"expiresAt"`
	TokenWindow string        `json:"tokenWindow"`
	Network     *TokenNetwork `json:"network,omitempty"`
	// LastUsed drives the idle expiry; Okta does not show it.
	LastUsed Time `json:"-"`
	// Hash is the SHA-256 of the secret, hex encoded.
	Hash string `json:"-"`
}

// TokenNetwork is Okta's network condition of a token.
type TokenNetwork struct {
	Connection string   `json:"connection"`
	Include    []string `json:"include,omitempty"`
	Exclude    []string `json:"exclude,omitempty"`
}

// DefaultTokenWindow is how long an unused token stays valid (ISO 8601 duration, as Okta shows it).
const DefaultTokenWindow = "P30D"

// NewTokenSecret returns a new SSWS secret shaped like Okta's: "00" and 40 base62 characters.
// Tokens carry 238 bits of entropy, so a fast hash is enough to store them.
func NewTokenSecret(ids IDs) string { return "00" + ids.Random(40) }

// HashToken returns the stored form of a token secret.
func HashToken(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}
