package sign

import "unicode/utf8"

// scanIdentifiers reads passTypeIdentifier and teamIdentifier from the top level of pass.json without decoding
// the rest: the writer checks them for every pass, and encoding/json spends about 12 µs skipping a 1 KB pass.json
// it does not need. It scans the whole object, so a repeated key resolves as encoding/json resolves it (the last
// one wins). ok is false for anything outside the simple form it reads (a key or one of the two values with an
// escape, malformed JSON); the caller then falls back to encoding/json, which also produces the error.
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
		key, next, plain := scanString(data, i)
		if next < 0 || !plain {
			return "", "", false
		}
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
			v, end, plain := scanString(data, i)
			if end < 0 || !plain || !utf8.Valid(v) {
				return "", "", false // encoding/json reads invalid UTF-8 as U+FFFD: let it (and the caller) decide
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

func skipSpace(data []byte, i int) int {
	for i < len(data) && (data[i] == ' ' || data[i] == '\t' || data[i] == '\n' || data[i] == '\r') {
		i++
	}
	return i
}

// scanString reads the JSON string starting at data[i] == '"'. It returns its bytes between the quotes, the
// index after the closing quote (-1 when there is none), and whether it holds no escape (so the bytes are the
// value).
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
