package sign

import (
	"encoding/json"
	"fmt"
	"unicode/utf8"
)

// readIdentifiers returns passTypeIdentifier and teamIdentifier from the top level of pass.json as Wallet and
// pass.Parse read them: keys match exactly (never case-insensitively, as encoding/json's struct decoding does)
// after their JSON escapes are decoded, and the last of a repeated key wins. pass.json that is not valid JSON or
// not valid UTF-8 (Wallet rejects it; encoding/json would read U+FFFD) is an error. An identifier that is absent
// is "".
func readIdentifiers(data []byte) (passTypeID, teamID string, err error) {
	if !utf8.Valid(data) {
		return "", "", fmt.Errorf("sign: pass.json: invalid UTF-8 at byte %d", invalidUTF8Offset(data))
	}
	if passTypeID, teamID, ok := scanIdentifiers(data); ok {
		return passTypeID, teamID, nil
	}
	// The scanner declined (malformed JSON, or nesting deeper than it follows): decode the top level into a map,
	// whose keys match exactly.
	var top map[string]json.RawMessage
	if err := json.Unmarshal(data, &top); err != nil {
		return "", "", fmt.Errorf("sign: pass.json: %w", err)
	}
	for _, f := range []struct {
		key string
		dst *string
	}{{"passTypeIdentifier", &passTypeID}, {"teamIdentifier", &teamID}} {
		if raw, ok := top[f.key]; ok {
			if err := json.Unmarshal(raw, f.dst); err != nil {
				return "", "", fmt.Errorf("sign: pass.json: %s is not a string", f.key)
			}
		}
	}
	return passTypeID, teamID, nil
}

// invalidUTF8Offset returns the offset of the first byte of data that is not valid UTF-8.
func invalidUTF8Offset(data []byte) int {
	for i := 0; i < len(data); {
		r, n := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(data)
}

// scanIdentifiers reads passTypeIdentifier and teamIdentifier from the top level of pass.json without decoding
// the rest: the writer checks them for every pass, and encoding/json spends about 12 µs skipping a 1 KB pass.json
// it does not need. It scans the whole object, so a repeated key resolves as encoding/json resolves it (the last
// one wins). Keys and the two values written with escapes are decoded (by encoding/json) before they are used,
// and keys match exactly. ok is false for anything outside what it reads (malformed JSON, invalid UTF-8 in a
// string, nesting deeper than maxScanDepth); readIdentifiers then decides.
func scanIdentifiers(data []byte) (passTypeID, teamID string, ok bool) {
	i := skipSpace(data, 0)
	if i >= len(data) || data[i] != '{' {
		return "", "", false
	}
	i = skipSpace(data, i+1)
	if i < len(data) && data[i] == '}' {
		return "", "", skipSpace(data, i+1) == len(data)
	}
	for {
		key, next, ok := decodeString(data, i)
		if !ok {
			return "", "", false
		}
		// switch string(key) compares without allocating.
		i = skipSpace(data, next)
		if i >= len(data) || data[i] != ':' {
			return "", "", false
		}
		i = skipSpace(data, i+1)
		switch string(key) {
		case "passTypeIdentifier", "teamIdentifier":
			if i >= len(data) || data[i] != '"' {
				return "", "", false // not a string: let encoding/json report it
			}
			v, end, ok := decodeString(data, i)
			if !ok {
				return "", "", false
			}
			if string(key) == "passTypeIdentifier" {
				passTypeID = string(v)
			} else {
				teamID = string(v)
			}
			i = end
		default:
			if i = skipValue(data, i); i < 0 {
				return "", "", false
			}
		}
		i = skipSpace(data, i)
		if i >= len(data) {
			return "", "", false
		}
		switch data[i] {
		case ',':
			i = skipSpace(data, i+1)
		case '}':
			return passTypeID, teamID, skipSpace(data, i+1) == len(data)
		default:
			return "", "", false
		}
	}
}

// decodeString returns the value of the JSON string at data[i] and the index after it. A string without escapes
// is its bytes; one with escapes is decoded by encoding/json, so that "pass\u0054ypeIdentifier" is the key
// passTypeIdentifier, as it is to every JSON reader.
func decodeString(data []byte, i int) (s []byte, next int, ok bool) {
	raw, next, plain := scanString(data, i)
	if next < 0 {
		return nil, -1, false
	}
	if plain {
		return raw, next, true
	}
	var decoded string
	if err := json.Unmarshal(data[i:next], &decoded); err != nil {
		return nil, -1, false
	}
	return []byte(decoded), next, true
}

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at data[i] == '"'. It returns its bytes between the quotes, the
// index after the closing quote (-1 when there is none or the string holds invalid UTF-8), and whether it holds
// no escape (so the bytes are the value).
func scanString(data []byte, i int) (s []byte, next int, plain bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, -1, false
	}
	plain = true
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '\\':
			plain = false
			j++
			if j >= len(data) {
				return nil, -1, false
			}
			switch data[j] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if j+4 >= len(data) || !isHex4(data[j+1:j+5]) {
					return nil, -1, false
				}
				j += 4
			default:
				return nil, -1, false
			}
		case c == '"':
			return data[i+1 : j], j + 1, plain
		case c < 0x20:
			return nil, -1, false
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRune(data[j:])
			if r == utf8.RuneError && n == 1 {
				return nil, -1, false // invalid UTF-8: encoding/json would read U+FFFD, Wallet rejects it
			}
			j += n - 1
		}
	}
	return nil, -1, false
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// maxScanDepth bounds the nesting skipValue follows; deeper input falls back to encoding/json.
const maxScanDepth = 64

// skipValue returns the index after the well-formed JSON value at data[i], or -1 when there is none. It checks
// the grammar (so the scanner never accepts what encoding/json rejects) without building anything.
func skipValue(data []byte, i int) int { return skipValueDepth(data, i, 0) }

func skipValueDepth(data []byte, i, depth int) int {
	if i >= len(data) || depth > maxScanDepth {
		return -1
	}
	switch c := data[i]; {
	case c == '"':
		_, next, _ := scanString(data, i)
		return next
	case c == '{' || c == '[':
		closing := byte('}')
		if c == '[' {
			closing = ']'
		}
		i = skipSpace(data, i+1)
		if i < len(data) && data[i] == closing {
			return i + 1
		}
		for {
			if c == '{' {
				_, next, _ := scanString(data, i)
				if next < 0 {
					return -1
				}
				i = skipSpace(data, next)
				if i >= len(data) || data[i] != ':' {
					return -1
				}
				i = skipSpace(data, i+1)
			}
			if i = skipValueDepth(data, i, depth+1); i < 0 {
				return -1
			}
			i = skipSpace(data, i)
			if i >= len(data) {
				return -1
			}
			switch data[i] {
			case ',':
				i = skipSpace(data, i+1)
			case closing:
				return i + 1
			default:
				return -1
			}
		}
	case c == 't':
		return skipLiteral(data, i, "true")
	case c == 'f':
		return skipLiteral(data, i, "false")
	case c == 'n':
		return skipLiteral(data, i, "null")
	case c == '-' || (c >= '0' && c <= '9'):
		return skipNumber(data, i)
	}
	return -1
}

func skipLiteral(data []byte, i int, lit string) int {
	if len(data)-i < len(lit) || string(data[i:i+len(lit)]) != lit {
		return -1
	}
	return i + len(lit)
}

// skipNumber returns the index after the JSON number at data[i], or -1 (RFC 8259 §6 grammar).
func skipNumber(data []byte, i int) int {
	digits := func(j int) int {
		k := j
		for k < len(data) && data[k] >= '0' && data[k] <= '9' {
			k++
		}
		return k
	}
	if data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case i < len(data) && data[i] >= '1' && data[i] <= '9':
		i = digits(i)
	default:
		return -1
	}
	if i < len(data) && data[i] == '.' {
		j := digits(i + 1)
		if j == i+1 {
			return -1
		}
		i = j
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		j := digits(i)
		if j == i {
			return -1
		}
		i = j
	}
	return i
}
