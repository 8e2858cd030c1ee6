package zipwrite

import (
	"fmt"
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// UnsafeName says what makes name unsafe as a zip entry name, or returns ""
// when it is safe: names that are not valid UTF-8; absolute paths, drive
// letters ("C:/x") and colons; "..", "." and empty elements; backslashes;
// control characters (C0, DEL and C1); invisible format characters (Unicode
// category Cf, which holds the bidirectional overrides such as U+202E and
// the zero-width characters), other invisible characters (Unicode's
// Other_Default_Ignorable_Code_Point: the Hangul fillers U+115F and U+3164,
// the combining grapheme joiner U+034F, ...), line or paragraph separators,
// and white space at either end of an element ("icon.png " shows as
// "icon.png"); directories;
// and names over 255 bytes. Such names could extract outside the target
// folder or show on a screen as another name. The reasons complete a
// sentence starting with the quoted name ("C:/x" starts with a drive letter).
func UnsafeName(name string) string {
	if !utf8.ValidString(name) {
		at := 0
		for at < len(name) {
			r, n := utf8.DecodeRuneInString(name[at:])
			if r == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		return fmt.Sprintf("is not valid UTF-8 (byte 0x%02x at offset %d); entry names must be UTF-8", name[at], at)
	}
	switch {
	case name == "":
		return "is empty"
	case len(name) > 255:
		return "is longer than 255 bytes"
	case strings.HasPrefix(name, "/"):
		return "is absolute"
	case len(name) >= 2 && name[1] == ':' && 'a' <= name[0]|0x20 && name[0]|0x20 <= 'z':
		return "starts with a drive letter (an absolute Windows path)"
	case strings.ContainsRune(name, '\\'):
		return "contains a backslash"
	case strings.ContainsRune(name, ':'):
		return "contains a colon (a Windows drive or stream separator)"
	case strings.HasSuffix(name, "/"):
		return "is a directory"
	}
	for _, r := range name {
		switch {
		case unicode.IsControl(r):
			return "contains a control character"
		case unicode.Is(unicode.Cf, r):
			return fmt.Sprintf("contains the invisible format character U+%04X", r)
		case unicode.Is(unicode.Zl, r) || unicode.Is(unicode.Zp, r):
			return fmt.Sprintf("contains the separator U+%04X", r)
		case unicode.Is(unicode.Other_Default_Ignorable_Code_Point, r):
			return fmt.Sprintf("contains the invisible character U+%04X", r)
		}
	}
	for _, el := range strings.Split(name, "/") {
		if el == "" || el == "." || el == ".." {
			return "has an empty, '.' or '..' element"
		}
		if first, _ := utf8.DecodeRuneInString(el); unicode.IsSpace(first) {
			return "has an element that starts with white space"
		}
		if last, _ := utf8.DecodeLastRuneInString(el); unicode.IsSpace(last) {
			return "has an element that ends with white space"
		}
	}
	if path.Clean(name) != name {
		return "is not a clean path"
	}
	return ""
}
