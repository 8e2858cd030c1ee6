package push

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// providerToken makes and caches the ES256 JWT of token authentication. It
// never prints its key or token.
type providerToken struct {
	key           *ecdsa.PrivateKey
	keyID, teamID string
	refresh       time.Duration

	mu     sync.Mutex
	jwt    string
	issued time.Time
}

func newProviderToken(p8PEM []byte, keyID, teamID string, refresh time.Duration) (*providerToken, error) {
	block, _ := pem.Decode(p8PEM)
	if block == nil {
		return nil, errors.New("push: the .p8 key is not PEM (want -----BEGIN PRIVATE KEY-----)")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, errors.New("push: the .p8 key is not a PKCS #8 private key")
	}
	ec, ok := k.(*ecdsa.PrivateKey)
	if !ok || ec.Curve != elliptic.P256() {
		return nil, errors.New("push: the .p8 key is not a P-256 ECDSA key")
	}
	return &providerToken{key: ec, keyID: keyID, teamID: teamID, refresh: refresh}, nil
}

// get returns the current JWT, making a new one when the cached one is
// refresh old (or issued in the future: a clock that went back).
func (p *providerToken) get(now time.Time) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.jwt != "" && now.Sub(p.issued) < p.refresh && !now.Before(p.issued) {
		return p.jwt, nil
	}
	return p.renewLocked(now)
}

// expired renews the JWT after APNs called stale, unless another request
// already renewed it.
func (p *providerToken) expired(stale string, now time.Time) (string, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.jwt != stale && p.jwt != "" {
		return p.jwt, nil
	}
	return p.renewLocked(now)
}

func (p *providerToken) renewLocked(now time.Time) (string, error) {
	t := jwt.NewWithClaims(jwt.SigningMethodES256, jwt.MapClaims{"iss": p.teamID, "iat": now.Unix()})
	t.Header["kid"] = p.keyID
	s, err := t.SignedString(p.key)
	if err != nil {
		return "", fmt.Errorf("push: signing the provider token: %w", err)
	}
	p.jwt, p.issued = s, now
	return s, nil
}

// String describes the token without its key or JWT.
func (p *providerToken) String() string {
	return fmt.Sprintf("push.providerToken{keyID: %s, teamID: %s, key: [REDACTED]}", p.keyID, p.teamID)
}

// GoString is String, for %#v.
func (p *providerToken) GoString() string { return p.String() }

// Format prints String for every verb, so that %+v and %x show nothing
// secret either.
func (p *providerToken) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(p.String())) }

// LogValue logs the key ID and team ID only.
func (p *providerToken) LogValue() slog.Value {
	return slog.GroupValue(slog.String("keyID", p.keyID), slog.String("teamID", p.teamID), slog.String("key", "[REDACTED]"))
}
