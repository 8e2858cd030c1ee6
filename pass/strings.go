package pass

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// MaxStringsSize is the largest pass.strings file ParseStrings accepts, in bytes (1 MiB).
const MaxStringsSize = 1 << 20

// Strings is the content of a pass.strings file: the localized text for each key used in pass.json.
type Strings map[string]string

// Encode writes the strings as a pass.strings file the way Wallet reads it: one `"key" = "value";` line per
// entry, keys sorted, with \", \\, \n, \r, \t and \Uxxxx escapes. The file is plain ASCII when every character
// is ASCII, and UTF-16 little-endian with a byte order mark otherwise (Apple: "use UTF-16 encoding for non-ASCII
// characters"). Invalid UTF-8 in keys or values is written as U+FFFD.
func (s Strings) Encode() []byte {
	keys := make([]string, 0, len(s))
	for k := range s {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	b := make([]byte, 0, 64*len(keys))
	for _, k := range keys {
		b = appendStringsLiteral(b, k)
		b = append(b, " = "...)
		b = appendStringsLiteral(b, s[k])
		b = append(b, ";\n"...)
	}
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return b
	}
	out := make([]byte, 0, 2+2*len(b))
	out = append(out, 0xFF, 0xFE)
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b) // invalid UTF-8 reads as U+FFFD
		b = b[n:]
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			out = binary.LittleEndian.AppendUint16(out, uint16(hi))
			out = binary.LittleEndian.AppendUint16(out, uint16(lo))
			continue
		}
		out = binary.LittleEndian.AppendUint16(out, uint16(r))
	}
	return out
}

// appendStringsLiteral appends s as a quoted .strings literal.
func appendStringsLiteral(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '"':
			b = append(b, `\"`...)
		case '\\':
			b = append(b, `\\`...)
		case '\n':
			b = append(b, `\n`...)
		case '\r':
			b = append(b, `\r`...)
		case '\t':
			b = append(b, `\t`...)
		default:
			if c < 0x20 || c == 0x7f {
				b = append(b, `\U00`...)
				b = append(b, "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&15])
			} else {
				b = append(b, c) // UTF-8 sequences are copied byte by byte
			}
		}
	}
	return append(b, '"')
}

// StringsError is the error of ParseStrings: the problem and the line (1-based) where it is.
type StringsError struct {
	// Line is the line of the problem, or 0 when it concerns the whole file.
	Line int
	// Msg describes the problem.
	Msg string
}

// Error returns "pass: pass.strings: line N: problem".
func (e *StringsError) Error() string {
	if e.Line == 0 {
		return "pass: pass.strings: " + e.Msg
	}
	return "pass: pass.strings: line " + strconv.Itoa(e.Line) + ": " + e.Msg
}

// ParseStrings reads a pass.strings file: UTF-8 (with or without a byte order mark) or UTF-16 little- or
// big-endian (with a byte order mark, or recognised by its zero bytes), with /* */ and // comments, entries
// `"key" = "value";` (unquoted keys and values of letters, digits and _.-:/$ are accepted, and `"key";` means
// key = key), and the escapes \" \\ \' \n \t \r \0 \a \b \f \v \Uxxxx and \uxxxx (surrogate pairs combined).
// Later entries replace earlier ones with the same key. Files over MaxStringsSize bytes are rejected; other
// errors are *StringsError with the line.
func ParseStrings(data []byte) (Strings, error) {
	if len(data) > MaxStringsSize {
		return nil, fmt.Errorf("%w: pass.strings is %d bytes, the limit is %d", ErrTooLarge, len(data), MaxStringsSize)
	}
	text, err := decodeStringsText(data)
	if err != nil {
		return nil, err
	}
	p := &stringsParser{s: text, line: 1}
	return p.parse()
}

// decodeStringsText converts the file to a Go string according to its byte order mark or zero bytes.
func decodeStringsText(data []byte) (string, error) {
	var order binary.ByteOrder
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		data = data[3:]
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		order, data = binary.LittleEndian, data[2:]
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order, data = binary.BigEndian, data[2:]
	case len(data) >= 2 && data[0] != 0 && data[1] == 0:
		order = binary.LittleEndian
	case len(data) >= 2 && data[0] == 0 && data[1] != 0:
		order = binary.BigEndian
	}
	if order == nil {
		if !utf8.Valid(data) {
			line := 1 + bytes.Count(data[:invalidUTF8At(data)], []byte{'\n'})
			return "", &StringsError{Line: line, Msg: "invalid UTF-8 (save the file as UTF-8 or UTF-16)"}
		}
		return string(data), nil
	}
	if len(data)%2 != 0 {
		return "", &StringsError{Msg: "UTF-16 text has an odd number of bytes"}
	}
	units := make([]uint16, len(data)/2)
	for i := range units {
		units[i] = order.Uint16(data[2*i:])
	}
	return string(utf16.Decode(units)), nil
}

func invalidUTF8At(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i
		}
		i += n
	}
	return len(b)
}

type stringsParser struct {
	s    string
	i    int
	line int
}

func (p *stringsParser) errorf(format string, args ...any) error {
	return &StringsError{Line: p.line, Msg: fmt.Sprintf(format, args...)}
}

// skip passes over white space and comments.
func (p *stringsParser) skip() error {
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '\n':
			p.line++
			p.i++
		case c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v':
			p.i++
		case strings.HasPrefix(p.s[p.i:], "/*"):
			start := p.line
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				p.line = start
				return p.errorf("comment not closed (missing */)")
			}
			p.line += strings.Count(p.s[p.i:p.i+2+end], "\n")
			p.i += 2 + end + 2
		case strings.HasPrefix(p.s[p.i:], "//"):
			end := strings.IndexByte(p.s[p.i:], '\n')
			if end < 0 {
				p.i = len(p.s)
			} else {
				p.i += end
			}
		case c == 0xEF && strings.HasPrefix(p.s[p.i:], "\uFEFF"):
			p.i += 3 // a stray byte order mark
		default:
			return nil
		}
	}
	return nil
}

func (p *stringsParser) parse() (Strings, error) {
	out := Strings{}
	for {
		if err := p.skip(); err != nil {
			return nil, err
		}
		if p.i >= len(p.s) {
			return out, nil
		}
		key, err := p.token("key")
		if err != nil {
			return nil, err
		}
		if err := p.skip(); err != nil {
			return nil, err
		}
		value := key
		if p.i < len(p.s) && p.s[p.i] == '=' {
			p.i++
			if err := p.skip(); err != nil {
				return nil, err
			}
			if value, err = p.token("value"); err != nil {
				return nil, err
			}
			if err := p.skip(); err != nil {
				return nil, err
			}
		}
		if p.i >= len(p.s) || p.s[p.i] != ';' {
			return nil, p.errorf("want ; after the entry %q, found %s", truncate(key, 40), p.found())
		}
		p.i++
		out[key] = value
	}
}

// found describes what is at the current position, for errors.
func (p *stringsParser) found() string {
	if p.i >= len(p.s) {
		return "the end of the file"
	}
	r, _ := utf8.DecodeRuneInString(p.s[p.i:])
	return strconv.QuoteRune(r)
}

func isBareChar(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_.-:/$", c) >= 0
}

// token reads a quoted string or a bare word.
func (p *stringsParser) token(what string) (string, error) {
	if p.i >= len(p.s) {
		return "", p.errorf("want a %s, found the end of the file", what)
	}
	if p.s[p.i] != '"' {
		start := p.i
		for p.i < len(p.s) && isBareChar(p.s[p.i]) {
			p.i++
		}
		if p.i == start {
			return "", p.errorf("want a quoted %s, found %s", what, p.found())
		}
		return p.s[start:p.i], nil
	}
	startLine := p.line
	p.i++
	var b strings.Builder
	for {
		if p.i >= len(p.s) {
			p.line = startLine
			return "", p.errorf("%s string not closed (missing \")", what)
		}
		c := p.s[p.i]
		switch c {
		case '"':
			p.i++
			return b.String(), nil
		case '\n':
			p.line++
			b.WriteByte(c)
			p.i++
		case '\\':
			if err := p.escape(&b); err != nil {
				return "", err
			}
		default:
			b.WriteByte(c)
			p.i++
		}
	}
}

// escape reads the escape sequence at p.i (a backslash) into b.
func (p *stringsParser) escape(b *strings.Builder) error {
	if p.i+1 >= len(p.s) {
		return p.errorf("unfinished escape sequence at the end of the file")
	}
	c := p.s[p.i+1]
	p.i += 2
	switch c {
	case '"', '\\', '\'', '/':
		b.WriteByte(c)
	case 'n':
		b.WriteByte('\n')
	case 't':
		b.WriteByte('\t')
	case 'r':
		b.WriteByte('\r')
	case '0':
		b.WriteByte(0)
	case 'a':
		b.WriteByte('\a')
	case 'b':
		b.WriteByte('\b')
	case 'f':
		b.WriteByte('\f')
	case 'v':
		b.WriteByte('\v')
	case '\n':
		p.line++
		b.WriteByte('\n')
	case 'U', 'u':
		r, err := p.hex4()
		if err != nil {
			return err
		}
		if utf16.IsSurrogate(r) {
			// A high surrogate followed by \Uxxxx with the low one forms a single character.
			if r < 0xDC00 && p.i+1 < len(p.s) && p.s[p.i] == '\\' && (p.s[p.i+1] == 'U' || p.s[p.i+1] == 'u') {
				save := p.i
				p.i += 2
				lo, err := p.hex4()
				if err == nil && lo >= 0xDC00 && lo <= 0xDFFF {
					b.WriteRune(utf16.DecodeRune(r, lo))
					return nil
				}
				p.i = save
			}
			r = utf8.RuneError
		}
		b.WriteRune(r)
	default:
		return p.errorf("unknown escape sequence \\%c", c)
	}
	return nil
}

// hex4 reads four hexadecimal digits.
func (p *stringsParser) hex4() (rune, error) {
	if p.i+4 > len(p.s) {
		return 0, p.errorf(`\U needs four hexadecimal digits`)
	}
	n, err := strconv.ParseUint(p.s[p.i:p.i+4], 16, 16)
	if err != nil {
		return 0, p.errorf(`\U needs four hexadecimal digits, found %q`, p.s[p.i:p.i+4])
	}
	p.i += 4
	return rune(n), nil
}
