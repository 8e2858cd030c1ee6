package placeholder

import "strings"

// MaxNameLen is the longest placeholder name, in bytes.
const MaxNameLen = 128

// ValidName reports whether name (without braces and spaces) is a valid
// placeholder name.
func ValidName(name string) bool {
	if name == "" || len(name) > MaxNameLen {
		return false
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
		default:
			return false
		}
	}
	return true
}

// First returns the first placeholder of s as written ("{{ name }}") and its
// name, or ok false when s holds none.
func First(s string) (text, name string, ok bool) {
	for off := 0; ; {
		i := strings.Index(s[off:], "{{")
		if i < 0 {
			return "", "", false
		}
		i += off
		end := strings.Index(s[i+2:], "}}")
		if end < 0 {
			return "", "", false
		}
		name = strings.TrimSpace(s[i+2 : i+2+end])
		if ValidName(name) {
			return s[i : i+2+end+2], name, true
		}
		off = i + 1 // "{{{{name}}": try the next brace
	}
}
