package provider

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
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
