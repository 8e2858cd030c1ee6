package pushtest

import (
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"strings"
	"time"
)

// tokenVerifier checks APNs provider tokens: ES256 JWTs with kid and iss.
type tokenVerifier struct {
	keyID, teamID string
	pub           *ecdsa.PublicKey
}

// check returns "" for a valid provider token in the authorization header
// value, or the reason APNs gives for refusing it.
func (v *tokenVerifier) check(authorization string, now time.Time) string {
	scheme, jwt, ok := strings.Cut(authorization, " ")
	if !ok || !strings.EqualFold(scheme, "bearer") || jwt == "" {
		return "MissingProviderToken"
	}
	parts := strings.Split(jwt, ".")
	if len(parts) != 3 {
		return "InvalidProviderToken"
	}
	var header struct {
		Alg string `json:"alg"`
		Kid string `json:"kid"`
	}
	var claims struct {
		Iss string `json:"iss"`
		Iat int64  `json:"iat"`
	}
	if !decodeSegment(parts[0], &header) || !decodeSegment(parts[1], &claims) {
		return "InvalidProviderToken"
	}
	if header.Alg != "ES256" || claims.Iss != v.teamID {
		return "InvalidProviderToken"
	}
	if header.Kid != v.keyID {
		return "UnrelatedKeyIdInToken"
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || len(sig) != 64 {
		return "InvalidProviderToken"
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(v.pub, digest[:], r, s) {
		return "InvalidProviderToken"
	}
	iat := time.Unix(claims.Iat, 0)
	if now.Sub(iat) > time.Hour {
		return "ExpiredProviderToken"
	}
	if iat.Sub(now) > time.Minute {
		return "InvalidProviderToken" // issued in the future
	}
	return ""
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}
