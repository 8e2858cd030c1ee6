package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"

	"github.com/passforge/passforge/internal/secret"
)

// KeyPrefix maps an API key prefix, such as "pmk_test_", to the mode of
// the keys that carry it.
type KeyPrefix[M any] struct {
	// Prefix is the literal start of the key.
	Prefix string
	// Mode is what ModeFromKey returns for a key with Prefix.
	Mode M
}

// ModeFromKey returns the Mode of the first of prefixes that apiKey starts
// with and extends. A key that is empty, is only a prefix or has none of
// the prefixes is an error that names the prefixes; the error never
// contains the key.
func ModeFromKey[M any](apiKey string, prefixes []KeyPrefix[M]) (M, error) {
	var zero M
	if apiKey == "" {
		return zero, errors.New("API key is empty")
	}
	names := make([]string, len(prefixes))
	for i, p := range prefixes {
		if apiKey == p.Prefix {
			return zero, errors.New("API key is only a prefix")
		}
		if strings.HasPrefix(apiKey, p.Prefix) {
			return p.Mode, nil
		}
		names[i] = p.Prefix
	}
	return zero, errors.New("API key must start with " + orList(names))
}

// orList joins names as "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) <= 1 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// Segment escapes v as one path segment of a request URL. what names the
// value in errors ("pass id"). A value that is empty or only white space,
// or "." or ".." (which would change the path once resolved), is an error.
func Segment(what, v string) (string, error) {
	if strings.TrimSpace(v) == "" {
		return "", fmt.Errorf("%s is empty", what)
	}
	if v == "." || v == ".." {
		return "", fmt.Errorf("%s %q is not valid", what, v)
	}
	return url.PathEscape(v), nil
}

// UnmarshalRaw decodes the JSON object b into v and keeps a copy of b in
// raw, for the Raw field of a provider's model types. v is usually the
// model converted to a type without the UnmarshalJSON method.
func UnmarshalRaw(b []byte, v any, raw *json.RawMessage) error {
	if err := json.Unmarshal(b, v); err != nil {
		return err
	}
	*raw = append(json.RawMessage(nil), b...)
	return nil
}

// RedactMembers returns raw with the value of each member called one of names, in the top-level JSON
// object, replaced by "[REDACTED]", for printing an object that holds a webhook secret. raw comes back as it
// is when it is not an object or has none of those members.
func RedactMembers(raw json.RawMessage, names ...string) json.RawMessage {
	var m map[string]json.RawMessage
	if len(raw) == 0 || json.Unmarshal(raw, &m) != nil {
		return raw
	}
	found := false
	for _, n := range names {
		if _, ok := m[n]; ok {
			m[n] = json.RawMessage(`"` + secret.Redacted + `"`)
			found = true
		}
	}
	if !found {
		return raw
	}
	out, err := json.Marshal(m)
	if err != nil {
		return json.RawMessage(`"` + secret.Redacted + `"`)
	}
	return out
}

// Format prints v under the verb and flags of f, as if v were the operand of Printf. A holder of a secret
// calls it from its Format method with a copy of itself, converted to a type without methods, whose secret
// fields were redacted.
func Format(f fmt.State, verb rune, v any) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), v)
}

// RedactSecret redacts a webhook secret in the copy of a model that its Format and LogValue methods print:
// the secret field *sec becomes "[REDACTED]" when it is set, and *raw, the copy's raw JSON object, comes
// back with every spelling of that secret and its top-level "secret" member redacted. *raw is replaced, not
// written into, so the original model's Raw is left as it was.
func RedactSecret(sec *string, raw *json.RawMessage) {
	*raw = RedactMembers(secret.New(*sec).RedactJSON(*raw), "secret")
	if *sec != "" {
		*sec = secret.Redacted
	}
}

// LogValue returns the log value of a holder of a secret: v, a copy of it whose secret fields were redacted
// and converted to a type without methods, printed with %+v. A holder calls it from its LogValue method.
func LogValue(v any) slog.Value { return slog.StringValue(fmt.Sprintf("%+v", v)) }
