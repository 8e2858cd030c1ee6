package webservice

import (
	"crypto/sha256"
	"fmt"
	"log/slog"
	"strconv"
	"time"
)

// HashToken returns the SHA-256 of an authenticationToken, the form in which
// a Store keeps it (Pass.AuthTokenHash).
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// FormatTag renders an update tag as Wallet's lastUpdated string: decimal
// digits only, so URL encoding cannot mangle it.
func FormatTag(tag int64) string {
	return strconv.FormatInt(tag, 10)
}

// ParseTag reads a passesUpdatedSince value. It returns 0 — "every
// registered pass" — for an empty string and for anything this service did
// not issue: not plain decimal digits, zero, negative or out of range.
func ParseTag(s string) int64 {
	if s == "" || len(s) > 19 {
		return 0
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0
	}
	return n
}

// Format prints a pass without its secrets: identifiers, tag, times and the
// sizes of Data and AppData, never the bytes (a signed .pkpass carries the
// authenticationToken in clear) nor the token's hash. It serves %v, %+v,
// %#v and %s alike.
func (p Pass) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "webservice.Pass{PassTypeIdentifier:%q SerialNumber:%q Tag:%d Modified:%s Data:[%d bytes] AppData:[%d bytes] AuthTokenHash:[redacted]}",
		p.PassTypeIdentifier, p.SerialNumber, p.Tag, p.Modified.UTC().Format(time.RFC3339), len(p.Data), len(p.AppData))
}

// LogValue is the pass as log/slog shows it, without Data, AppData or the
// token's hash.
func (p Pass) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("passTypeIdentifier", p.PassTypeIdentifier),
		slog.String("serialNumber", p.SerialNumber),
		slog.Int64("tag", p.Tag),
		slog.Time("modified", p.Modified),
		slog.Int("dataBytes", len(p.Data)),
	)
}
