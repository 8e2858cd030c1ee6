package barcodespec

import (
	"fmt"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// charset is one message encoding this package can really encode.
type charset struct {
	name string // canonical IANA name, lower case
	// encode appends the bytes of r to dst; ok is false when r has no
	// representation in the charset.
	encode func(dst []byte, r rune) ([]byte, bool)
	// bom is written before the first character (UTF-16 only).
	bom []byte
	// asciiCompatible is true when every ASCII character is one byte with its
	// ASCII value, as the one-dimensional symbologies require.
	asciiCompatible bool
}

var (
	csUSASCII = &charset{name: "us-ascii", asciiCompatible: true, encode: func(dst []byte, r rune) ([]byte, bool) {
		if r > 0x7f {
			return dst, false
		}
		return append(dst, byte(r)), true
	}}
	csLatin1 = &charset{name: "iso-8859-1", asciiCompatible: true, encode: func(dst []byte, r rune) ([]byte, bool) {
		if r > 0xff {
			return dst, false
		}
		return append(dst, byte(r)), true
	}}
	csLatin9 = &charset{name: "iso-8859-15", asciiCompatible: true, encode: func(dst []byte, r rune) ([]byte, bool) {
		if b, ok := latin9High[r]; ok {
			return append(dst, b), true
		}
		if r > 0xff || latin9Replaced(r) {
			return dst, false
		}
		return append(dst, byte(r)), true
	}}
	csWindows1252 = &charset{name: "windows-1252", asciiCompatible: true, encode: func(dst []byte, r rune) ([]byte, bool) {
		if b, ok := windows1252High[r]; ok {
			return append(dst, b), true
		}
		if r > 0xff || (r >= 0x80 && r <= 0x9f) {
			return dst, false
		}
		return append(dst, byte(r)), true
	}}
	csUTF8 = &charset{name: "utf-8", asciiCompatible: true, encode: func(dst []byte, r rune) ([]byte, bool) {
		return utf8.AppendRune(dst, r), true
	}}
	csUTF16BE = &charset{name: "utf-16be", encode: func(dst []byte, r rune) ([]byte, bool) {
		for _, u := range utf16.AppendRune(nil, r) {
			dst = append(dst, byte(u>>8), byte(u))
		}
		return dst, true
	}}
	csUTF16LE = &charset{name: "utf-16le", encode: func(dst []byte, r rune) ([]byte, bool) {
		for _, u := range utf16.AppendRune(nil, r) {
			dst = append(dst, byte(u), byte(u>>8))
		}
		return dst, true
	}}
	// csUTF16 is what Foundation produces for "utf-16" on Apple devices: a
	// byte order mark followed by little-endian code units.
	csUTF16 = &charset{name: "utf-16", bom: []byte{0xff, 0xfe}, encode: csUTF16LE.encode}
)

// charsets maps every accepted name (lower case) to its charset. The aliases
// are those registered with IANA for each character set.
var charsets = map[string]*charset{
	"us-ascii": csUSASCII, "ascii": csUSASCII, "us": csUSASCII, "iso646-us": csUSASCII,
	"iso_646.irv:1991": csUSASCII, "ansi_x3.4-1968": csUSASCII, "ansi_x3.4-1986": csUSASCII,
	"iso-ir-6": csUSASCII, "cp367": csUSASCII, "ibm367": csUSASCII, "csascii": csUSASCII,

	"iso-8859-1": csLatin1, "iso_8859-1": csLatin1, "iso_8859-1:1987": csLatin1, "iso8859-1": csLatin1,
	"latin1": csLatin1, "l1": csLatin1, "iso-ir-100": csLatin1, "cp819": csLatin1, "ibm819": csLatin1,
	"csisolatin1": csLatin1,

	"iso-8859-15": csLatin9, "iso_8859-15": csLatin9, "iso8859-15": csLatin9, "latin-9": csLatin9,
	"latin9": csLatin9, "csiso885915": csLatin9,

	"windows-1252": csWindows1252, "cp1252": csWindows1252, "cswindows1252": csWindows1252,

	"utf-8": csUTF8, "utf8": csUTF8, "csutf8": csUTF8,

	"utf-16": csUTF16, "csutf16": csUTF16,
	"utf-16be": csUTF16BE, "csutf16be": csUTF16BE,
	"utf-16le": csUTF16LE, "csutf16le": csUTF16LE,
}

// latin9High maps the characters ISO-8859-15 places where ISO-8859-1 has
// other characters.
var latin9High = map[rune]byte{
	'€': 0xa4, 'Š': 0xa6, 'š': 0xa8, 'Ž': 0xb4, 'ž': 0xb8, 'Œ': 0xbc, 'œ': 0xbd, 'Ÿ': 0xbe,
}

// latin9Replaced reports whether r is an ISO-8859-1 character that
// ISO-8859-15 dropped.
func latin9Replaced(r rune) bool {
	switch r {
	case 0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc, 0xbd, 0xbe:
		return true
	}
	return false
}

// windows1252High maps the characters windows-1252 places in 0x80–0x9F.
// 0x81, 0x8D, 0x8F, 0x90 and 0x9D are unassigned.
var windows1252High = map[rune]byte{
	'€': 0x80, '‚': 0x82, 'ƒ': 0x83, '„': 0x84, '…': 0x85, '†': 0x86, '‡': 0x87, 'ˆ': 0x88,
	'‰': 0x89, 'Š': 0x8a, '‹': 0x8b, 'Œ': 0x8c, 'Ž': 0x8e, '‘': 0x91, '’': 0x92, '“': 0x93,
	'”': 0x94, '•': 0x95, '–': 0x96, '—': 0x97, '˜': 0x98, '™': 0x99, 'š': 0x9a, '›': 0x9b,
	'œ': 0x9c, 'ž': 0x9e, 'Ÿ': 0x9f,
}

// lookupCharset returns the charset for an IANA name, compared without regard
// to case.
func lookupCharset(name string) (*charset, error) {
	if cs, ok := charsets[strings.ToLower(name)]; ok {
		return cs, nil
	}
	if name == "" {
		return nil, fmt.Errorf("%w: messageEncoding is empty", ErrUnknownEncoding)
	}
	return nil, fmt.Errorf("%w %q (supported: us-ascii, iso-8859-1, iso-8859-15, windows-1252, utf-8, utf-16, utf-16be, utf-16le)", ErrUnknownEncoding, name)
}

// KnownEncoding reports whether name is an IANA character set name (or alias,
// compared without regard to case) that Wallet accepts as a barcode's
// messageEncoding and that Encode can really encode: us-ascii, iso-8859-1,
// iso-8859-15, windows-1252, utf-8, utf-16, utf-16be and utf-16le.
func KnownEncoding(name string) bool {
	_, ok := charsets[strings.ToLower(name)]
	return ok
}

// CanonicalEncoding returns the canonical lower-case IANA name of a known
// encoding or alias ("ISO_8859-1" and "latin1" give "iso-8859-1"), and false
// when the encoding is unknown.
func CanonicalEncoding(name string) (string, bool) {
	cs, ok := charsets[strings.ToLower(name)]
	if !ok {
		return "", false
	}
	return cs.name, true
}

// Encode returns the bytes Wallet puts in the symbol for message encoded with
// encoding (an IANA name, see KnownEncoding). "utf-16" gives a byte order mark
// followed by little-endian code units, as Foundation does on Apple devices.
//
// The error is an *EncodingError when a character has no representation in
// the encoding, and wraps ErrUnknownEncoding when the encoding is unknown.
func Encode(message, encoding string) ([]byte, error) {
	cs, err := lookupCharset(encoding)
	if err != nil {
		return nil, err
	}
	return cs.encodeString(message)
}

// encodeString encodes message, rejecting invalid UTF-8 and characters that
// have no representation.
func (cs *charset) encodeString(message string) ([]byte, error) {
	out := make([]byte, 0, len(cs.bom)+len(message))
	out = append(out, cs.bom...)
	offset := 0
	for i, r := range message {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(message[i:]); size == 1 {
				return nil, &EncodingError{Encoding: cs.name, Offset: offset, Invalid: true}
			}
		}
		var ok bool
		out, ok = cs.encode(out, r)
		if !ok {
			return nil, &EncodingError{Encoding: cs.name, Char: r, Offset: offset}
		}
		offset++
	}
	return out, nil
}
