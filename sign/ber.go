package sign

import (
	"errors"
)

// maxBERDepth bounds the nesting of BER input.
const maxBERDepth = 32

var errBER = errors.New("malformed BER")

// berToDER re-encodes BER with indefinite lengths (as written by streaming
// signers such as PHP's openssl_pkcs7_sign) into definite-length encoding.
// It returns der unchanged when it has no indefinite length. It does not
// otherwise canonicalise (constructed strings are kept constructed), which is
// all the parser needs: the signed attributes are hashed as they were signed.
func berToDER(b []byte) ([]byte, error) {
	if !hasIndefinite(b, 0) {
		return b, nil
	}
	out, rest, err := berElement(b, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errors.New("trailing data after BER element")
	}
	return out, nil
}

// hasIndefinite reports whether any element of b uses an indefinite length.
func hasIndefinite(b []byte, depth int) bool {
	for len(b) > 0 {
		if depth > maxBERDepth {
			return true // let berElement report it
		}
		constructed, hdr, length, indefinite, ok := berHeader(b)
		if !ok || indefinite {
			return !ok || indefinite
		}
		if hdr+length > len(b) {
			return false
		}
		if constructed && hasIndefinite(b[hdr:hdr+length], depth+1) {
			return true
		}
		b = b[hdr+length:]
	}
	return false
}

// berHeader parses an identifier and length: hdr is the size of both.
func berHeader(b []byte) (constructed bool, hdr, length int, indefinite, ok bool) {
	constructed, _, hdr, length, indefinite, ok = berHeaderTag(b)
	return
}

// berHeaderTag is berHeader that also returns the size of the identifier.
func berHeaderTag(b []byte) (constructed bool, tagLen, hdr, length int, indefinite, ok bool) {
	constructed, hdr, length, indefinite, ok = berHeaderRaw(b)
	if !ok {
		return
	}
	tagLen = 1
	if b[0]&0x1f == 0x1f {
		for b[tagLen]&0x80 != 0 {
			tagLen++
		}
		tagLen++
	}
	return
}

func berHeaderRaw(b []byte) (constructed bool, hdr, length int, indefinite, ok bool) {
	if len(b) < 2 {
		return false, 0, 0, false, false
	}
	constructed = b[0]&0x20 != 0
	i := 1
	if b[0]&0x1f == 0x1f { // high tag number
		for {
			if i >= len(b) || i > 5 {
				return false, 0, 0, false, false
			}
			i++
			if b[i-1]&0x80 == 0 {
				break
			}
		}
	}
	if i >= len(b) {
		return false, 0, 0, false, false
	}
	l := b[i]
	i++
	switch {
	case l == 0x80:
		return constructed, i, 0, true, constructed
	case l < 0x80:
		return constructed, i, int(l), false, true
	}
	n := int(l & 0x7f)
	if n > 4 || i+n > len(b) {
		return false, 0, 0, false, false
	}
	for _, c := range b[i : i+n] {
		length = length<<8 | int(c)
	}
	if length < 0 {
		return false, 0, 0, false, false
	}
	return constructed, i + n, length, false, true
}

// berElement converts one element and returns it with the remaining input.
func berElement(b []byte, depth int) (out, rest []byte, err error) {
	if depth > maxBERDepth {
		return nil, nil, errBER
	}
	constructed, tagLen, hdr, length, indefinite, ok := berHeaderTag(b)
	if !ok {
		return nil, nil, errBER
	}
	ident := b[:tagLen]
	var content []byte
	switch {
	case indefinite:
		rest = b[hdr:]
		for {
			if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
				rest = rest[2:]
				break
			}
			if len(rest) == 0 {
				return nil, nil, errBER
			}
			var child []byte
			child, rest, err = berElement(rest, depth+1)
			if err != nil {
				return nil, nil, err
			}
			content = append(content, child...)
		}
	case hdr+length > len(b):
		return nil, nil, errBER
	case constructed:
		inner := b[hdr : hdr+length]
		rest = b[hdr+length:]
		for len(inner) > 0 {
			var child []byte
			child, inner, err = berElement(inner, depth+1)
			if err != nil {
				return nil, nil, err
			}
			content = append(content, child...)
		}
	default:
		content = b[hdr : hdr+length]
		rest = b[hdr+length:]
	}
	out = append(append(append([]byte{}, ident...), derLength(len(content))...), content...)
	return out, rest, nil
}

func derLength(n int) []byte {
	if n < 0x80 {
		return []byte{byte(n)}
	}
	var l []byte
	for v := n; v > 0; v >>= 8 {
		l = append([]byte{byte(v)}, l...)
	}
	return append([]byte{0x80 | byte(len(l))}, l...)
}
