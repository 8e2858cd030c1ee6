package sign

import (
	"errors"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxBERDepth bounds the nesting of BER input.
const maxBERDepth = 32

var errBER = errors.New("malformed BER")

// berToDER re-encodes b in definite-length form: signatures written by
// streaming signers (such as PHP's openssl_pkcs7_sign) use BER indefinite
// lengths, which DER parsers refuse. DER input comes back as the same bytes.
// It does not otherwise canonicalise (constructed strings stay constructed),
// which is all the parser needs: the signed attributes are hashed as they
// were signed. cryptobyte writes the lengths; only the BER header is read
// here, as cryptobyte reads DER only.
func berToDER(b []byte) ([]byte, error) {
	out := cryptobyte.NewBuilder(make([]byte, 0, len(b)))
	rest, err := berElement(out, b, 0)
	if err != nil {
		return nil, err
	}
	if len(rest) > 0 {
		return nil, errors.New("trailing data after BER element")
	}
	der, err := out.Bytes()
	if err != nil {
		return nil, errBER
	}
	return der, nil
}

// berHeader reads the identifier and length octets of the element at the
// start of b: its tag (low tag numbers only, as in every CMS structure), the
// header's size, and the content's length, or -1 for an indefinite length.
func berHeader(b []byte) (tag cbasn1.Tag, hdr, length int, ok bool) {
	s := cryptobyte.String(b)
	var t, l uint8
	if !s.ReadUint8(&t) || t&0x1f == 0x1f || !s.ReadUint8(&l) {
		return 0, 0, 0, false
	}
	switch {
	case l == 0x80:
		return cbasn1.Tag(t), 2, -1, t&0x20 != 0 // only constructed elements may be indefinite
	case l < 0x80:
		return cbasn1.Tag(t), 2, int(l), true
	}
	n := int(l & 0x7f)
	var lenBytes []byte
	if n > 4 || !s.ReadBytes(&lenBytes, n) {
		return 0, 0, 0, false
	}
	for _, c := range lenBytes {
		length = length<<8 | int(c)
	}
	if length > maxSignatureSize {
		return 0, 0, 0, false
	}
	return cbasn1.Tag(t), 2 + n, length, true
}

// berElement writes the element at the start of b to out in definite-length
// form and returns the input after it.
func berElement(out *cryptobyte.Builder, b []byte, depth int) (rest []byte, err error) {
	if depth > maxBERDepth {
		return nil, errBER
	}
	tag, hdr, length, ok := berHeader(b)
	if !ok || length >= 0 && hdr+length > len(b) {
		return nil, errBER
	}
	out.AddASN1(tag, func(child *cryptobyte.Builder) {
		switch {
		case length < 0: // indefinite: children up to the end-of-contents octets
			rest = b[hdr:]
			for err == nil {
				if len(rest) >= 2 && rest[0] == 0 && rest[1] == 0 {
					rest = rest[2:]
					return
				}
				if len(rest) == 0 {
					err = errBER
					return
				}
				rest, err = berElement(child, rest, depth+1)
			}
		case tag&0x20 != 0: // constructed
			inner := b[hdr : hdr+length]
			rest = b[hdr+length:]
			for len(inner) > 0 && err == nil {
				inner, err = berElement(child, inner, depth+1)
			}
		default:
			child.AddBytes(b[hdr : hdr+length])
			rest = b[hdr+length:]
		}
	})
	if err != nil {
		return nil, err
	}
	return rest, nil
}
