package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"time"
)

// Secret is a string that must not be shown: the admin token in Config. It
// prints as [REDACTED] under every fmt verb and in log/slog; use string(s)
// to read it.
type Secret string

const redacted = "[REDACTED]"

// String returns [REDACTED].
func (Secret) String() string { return redacted }

// GoString returns [REDACTED].
func (Secret) GoString() string { return redacted }

// Format prints [REDACTED] for every verb.
func (Secret) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(redacted)) }

// LogValue returns [REDACTED] for log/slog.
func (Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalText returns [REDACTED], so that JSON and other encoders do not
// leak it either.
func (Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// keys are the keys derived from the service's secret. They redact
// themselves like Secret.
type keys struct {
	token, url []byte
}

func (keys) String() string               { return redacted }
func (keys) GoString() string             { return redacted }
func (keys) Format(f fmt.State, _ rune)   { _, _ = f.Write([]byte(redacted)) }
func (keys) LogValue() slog.Value         { return slog.StringValue(redacted) }
func (keys) MarshalText() ([]byte, error) { return []byte(redacted), nil }

// secretSize is the size of the service secret, in bytes.
const secretSize = 32

// newSecret returns secretSize random bytes.
func newSecret() ([]byte, error) {
	b := make([]byte, secretSize)
	if _, err := rand.Read(b); err != nil {
		return nil, fmt.Errorf("server: generating the service secret: %w", err)
	}
	return b, nil
}

func deriveKeys(secret []byte) keys {
	return keys{
		token: mac(secret, []byte("passforge/server authentication token v1")),
		url:   mac(secret, []byte("passforge/server download URL v1")),
	}
}

func mac(key []byte, parts ...[]byte) []byte {
	h := hmac.New(sha256.New, key)
	for _, p := range parts {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(p)))
		h.Write(n[:])
		h.Write(p)
	}
	return h.Sum(nil)
}

// newNonce returns a random per-pass nonce that makes the pass's token
// unique even when a serial number is reused after a deletion.
func newNonce() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("server: generating a nonce: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// authToken derives the authenticationToken of a pass: 43 URL-safe
// characters, unguessable without the service secret, so that it is never
// stored in clear.
func (k keys) authToken(passTypeID, serial, nonce string) string {
	return base64.RawURLEncoding.EncodeToString(mac(k.token, []byte(passTypeID), []byte(serial), []byte(nonce)))
}

// downloadSignature signs a download link of serial valid until expires.
func (k keys) downloadSignature(passTypeID, serial string, expires int64) string {
	return base64.RawURLEncoding.EncodeToString(mac(k.url, []byte(passTypeID), []byte(serial), []byte(strconv.FormatInt(expires, 10))))
}

// checkDownload reports whether sig signs serial until expires, and whether
// the link is still valid at now. The comparison is constant-time.
func (k keys) checkDownload(passTypeID, serial, expires, sig string, now time.Time) (valid, expired bool) {
	exp, err := strconv.ParseInt(expires, 10, 64)
	if err != nil {
		return false, false
	}
	want := k.downloadSignature(passTypeID, serial, exp)
	if subtle.ConstantTimeCompare([]byte(want), []byte(sig)) != 1 {
		return false, false
	}
	return true, now.Unix() > exp
}

// checkBearer reports whether the Authorization header carries the admin
// token, comparing in constant time (both sides hashed first, so that the
// comparison does not reveal the token's length either).
func checkBearer(header string, token Secret) bool {
	scheme, cred, ok := strings.Cut(header, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return false
	}
	a := sha256.Sum256([]byte(strings.TrimSpace(cred)))
	b := sha256.Sum256([]byte(token))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}
