package termsafe

import (
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

const hexDigits = "0123456789abcdef"

// IsSafe reports whether s is valid UTF-8 made only of printable runes and the ASCII space, so that Escape
// returns it unchanged.
func IsSafe(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}

// Escape returns s with every rune that a terminal could act on or hide written as an escape: \r, \n and \t,
// \xNN for other ASCII controls, DEL and invalid UTF-8 bytes, \uNNNN or \UNNNNNNNN for C1 controls,
// bidirectional and other format characters and separators other than the ASCII space. Printable text in
// any script is kept, and so are quotes and backslashes: the result is for showing, not for parsing back
// (use Quote for that). Escape returns s itself when nothing needs escaping.
func Escape(s string) string {
	if IsSafe(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	appendEscaped(&b, s, false)
	return b.String()
}

// Quote returns s as a double-quoted Go string literal that unquotes to s: Escape's escapes, plus \" and \\.
func Quote(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 2)
	b.WriteByte('"')
	appendEscaped(&b, s, true)
	b.WriteByte('"')
	return b.String()
}

// appendEscaped writes s to b with unsafe runes escaped, and quotes and backslashes too when quoted is true.
func appendEscaped(b *strings.Builder, s string, quoted bool) {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case quoted && (c == '"' || c == '\\'):
				b.WriteByte('\\')
				b.WriteByte(c)
			case c == '\n':
				b.WriteString(`\n`)
			case c == '\r':
				b.WriteString(`\r`)
			case c == '\t':
				b.WriteString(`\t`)
			case c < 0x20 || c == 0x7f:
				writeHex(b, `\x`, uint32(c), 2)
			default:
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(b, `\x`, uint32(c), 2)
		case unicode.IsPrint(r):
			b.WriteString(s[i : i+size])
		case r < 0x10000:
			writeHex(b, `\u`, uint32(r), 4)
		default:
			writeHex(b, `\U`, uint32(r), 8)
		}
		i += size
	}
}

// writeHex writes prefix and the n lowest hex digits of v.
func writeHex(b *strings.Builder, prefix string, v uint32, n int) {
	b.WriteString(prefix)
	for shift := 4 * (n - 1); shift >= 0; shift -= 4 {
		b.WriteByte(hexDigits[v>>uint(shift)&0xf])
	}
}

// EscapeJSON returns the JSON text data with every rune that is not printable and that encoding/json leaves
// as is (DEL, C1 controls, bidirectional and other format characters, non-ASCII separators) written as a \u
// escape (a surrogate pair above U+FFFF), and invalid UTF-8 as \ufffd. Such runes can only occur inside
// string literals of valid JSON, so the values decode exactly as before; the layout (spaces, line breaks) is
// kept. data is returned itself when nothing needs escaping.
func EscapeJSON(data []byte) []byte {
	first := -1
	for i := 0; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				first = i
				break
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == utf8.RuneError && size == 1 || !unicode.IsPrint(r) {
			first = i
			break
		}
		i += size
	}
	if first < 0 {
		return data
	}
	var b strings.Builder
	b.Grow(len(data) + 16)
	b.Write(data[:first])
	for i := first; i < len(data); {
		c := data[i]
		if c < utf8.RuneSelf {
			if c == 0x7f {
				writeHex(&b, `\u`, 0x7f, 4)
			} else {
				b.WriteByte(c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			writeHex(&b, `\u`, 0xfffd, 4)
		case unicode.IsPrint(r):
			b.Write(data[i : i+size])
		case r < 0x10000:
			writeHex(&b, `\u`, uint32(r), 4)
		default:
			hi, lo := utf16.EncodeRune(r)
			writeHex(&b, `\u`, uint32(hi), 4)
			writeHex(&b, `\u`, uint32(lo), 4)
		}
		i += size
	}
	return []byte(b.String())
}
