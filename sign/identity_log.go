package sign

import (
	"encoding/json"
	"log/slog"
	"time"
)

// identitySummary is what an Identity shows of itself in logs and JSON: the certificate, never the key.
type identitySummary struct {
	Subject            string `json:"subject,omitempty"`
	PassTypeIdentifier string `json:"passTypeIdentifier,omitempty"`
	TeamIdentifier     string `json:"teamIdentifier,omitempty"`
	Issuer             string `json:"issuer,omitempty"`
	NotAfter           string `json:"notAfter,omitempty"`
	Chain              int    `json:"chain"`
}

func (id Identity) summary() identitySummary {
	s := identitySummary{PassTypeIdentifier: id.PassTypeIdentifier(), TeamIdentifier: id.TeamIdentifier(), Chain: len(id.Chain)}
	if c := id.Certificate; c != nil {
		s.Subject, s.Issuer = c.Subject.CommonName, c.Issuer.CommonName
		s.NotAfter = c.NotAfter.UTC().Format(time.RFC3339)
	}
	return s
}

// LogValue implements slog.LogValuer: a log record shows the certificate's subject, identifiers, issuer,
// expiry and chain length, never the private key (slog's JSON handler would otherwise encode an RSA key's D
// and primes).
func (id Identity) LogValue() slog.Value {
	s := id.summary()
	return slog.GroupValue(slog.String("subject", s.Subject), slog.String("passTypeIdentifier", s.PassTypeIdentifier),
		slog.String("teamIdentifier", s.TeamIdentifier), slog.String("issuer", s.Issuer),
		slog.String("notAfter", s.NotAfter), slog.Int("chain", s.Chain))
}

// MarshalJSON writes the same summary as LogValue, so that a logger built on encoding/json, or a JSON
// document holding an Identity, never carries the private key.
func (id Identity) MarshalJSON() ([]byte, error) { return json.Marshal(id.summary()) }
