package jsonscalar

import (
	"bytes"
	"encoding/json"
)

// Text renders a JSON scalar as text: a string unquoted, a number or a
// boolean as written, and null, an object, an array or an empty or
// malformed value as "". Error decoders use it on fields whose type varies
// between providers, such as a "code" that is 4001 in one API and
// "not_found" in another.
func Text(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return ""
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
		return ""
	case '{', '[', 'n':
		return ""
	}
	return string(raw)
}
