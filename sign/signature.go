package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/asn1"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of CMS (RFC 5652), its digests (RFC 5754) and its
// signature algorithms (RFC 8017, RFC 5758).
var (
	oidData            = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidContentType     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidMessageDigest   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidSigningTime     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 5}
	oidSHA1            = asn1.ObjectIdentifier{1, 3, 14, 3, 2, 26}
	oidSHA256          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidSHA384          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 2}
	oidSHA512          = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 3}
	oidRSAEncryption   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 1}
	oidSHA1WithRSA     = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 5}
	oidSHA256WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidSHA384WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 12}
	oidSHA512WithRSA   = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 13}
	oidECDSAWithSHA1   = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 1}
	oidECDSAWithSHA256 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidECDSAWithSHA384 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 3}
	oidECDSAWithSHA512 = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 4}
	oidECPublicKey     = asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}
)

// digestOID maps the supported CMS digests to their OIDs.
func digestOID(h crypto.Hash) (asn1.ObjectIdentifier, error) {
	switch h {
	case crypto.SHA256:
		return oidSHA256, nil
	case crypto.SHA1:
		return oidSHA1, nil
	case crypto.SHA384:
		return oidSHA384, nil
	case crypto.SHA512:
		return oidSHA512, nil
	}
	return nil, fmt.Errorf("sign: unsupported signature digest %v (use SHA-256 or SHA-1)", h)
}

// signatureOID returns the SignerInfo signatureAlgorithm for the key and digest.
func signatureOID(pub crypto.PublicKey, h crypto.Hash) (asn1.ObjectIdentifier, error) {
	switch pub.(type) {
	case *rsa.PublicKey:
		return map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: oidSHA1WithRSA, crypto.SHA256: oidSHA256WithRSA,
			crypto.SHA384: oidSHA384WithRSA, crypto.SHA512: oidSHA512WithRSA}[h], nil
	case *ecdsa.PublicKey:
		return map[crypto.Hash]asn1.ObjectIdentifier{crypto.SHA1: oidECDSAWithSHA1, crypto.SHA256: oidECDSAWithSHA256,
			crypto.SHA384: oidECDSAWithSHA384, crypto.SHA512: oidECDSAWithSHA512}[h], nil
	}
	return nil, fmt.Errorf("sign: unsupported signer key type %T (use RSA or ECDSA)", pub)
}

// encodeSigningTime encodes t as CMS requires: UTCTime for 1950–2049,
// GeneralizedTime otherwise, in UTC with seconds.
func encodeSigningTime(t time.Time) ([]byte, error) {
	t = t.UTC().Truncate(time.Second)
	if t.Year() >= 1950 && t.Year() < 2050 {
		return asn1.Marshal(t)
	}
	return asn1.MarshalWithParams(t, "generalized")
}

// Signature creates the detached PKCS#7 SignedData of a pass: a DER signature
// over the exact bytes of manifest (manifest.json), with the contentType,
// messageDigest and signingTime signed attributes and the signer and chain
// certificates, using digest (crypto.SHA256 if zero; crypto.SHA1 for old
// readers) and signingTime. It makes exactly one private-key operation.
//
// Signature is a one-off Signer: it builds the container for this one
// signature instead of a skeleton, which would cost as much as the
// container and is only worth it when reused. To sign
// many manifests with one identity, make a Signer with NewSigner: its
// signatures are the same bytes.
func Signature(manifest []byte, id *Identity, digest crypto.Hash, signingTime time.Time) ([]byte, error) {
	s, err := newSigner(id, digest)
	if err != nil {
		return nil, err
	}
	return s.Sign(manifest, signingTime)
}

// signedAttributes returns the contentType, messageDigest (of manifest) and
// signingTime attributes sorted as DER requires, and their encoding as a SET
// OF, which the signature covers.
func signedAttributes(manifest []byte, digest crypto.Hash, signingTime time.Time) ([]encodedAttribute, []byte, error) {
	h := digest.New()
	h.Write(manifest)
	md, err := asn1.Marshal(h.Sum(nil))
	if err != nil {
		return nil, nil, fmt.Errorf("sign: message digest: %w", err)
	}
	ct, _ := asn1.Marshal(oidData)
	st, err := encodeSigningTime(signingTime)
	if err != nil {
		return nil, nil, fmt.Errorf("sign: signing time %s: %w", signingTime, err)
	}
	attrs, err := sortedAttributes(
		[]asn1.ObjectIdentifier{oidContentType, oidSigningTime, oidMessageDigest},
		[][]byte{ct, st, md})
	if err != nil {
		return nil, nil, err
	}
	set, err := asn1.Marshal(asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: concatAttributes(attrs)})
	if err != nil {
		return nil, nil, fmt.Errorf("sign: signed attributes: %w", err)
	}
	return attrs, set, nil
}

// container encodes the DER SignedData of s's identity with the signed
// attributes attrs and the signature value sig:
//
//	ContentInfo ::= SEQUENCE { contentType signedData, [0] EXPLICIT SignedData }
//	SignedData ::= SEQUENCE { version 1, digestAlgorithms SET { digest },
//	    encapContentInfo SEQUENCE { id-data } (detached), [0] IMPLICIT certificates
//	    (signer, then chain), signerInfos SET { SignerInfo } }
//	SignerInfo ::= SEQUENCE { version 1, issuerAndSerialNumber, digestAlgorithm,
//	    [0] IMPLICIT signedAttrs, signatureAlgorithm, signature OCTET STRING }
//
// The SignerInfo is built here, not by a PKCS#7 library, because passes need
// an injectable signing time and any crypto.Signer (HSM, KMS).
func (s *Signer) container(attrs []encodedAttribute, sig []byte) ([]byte, error) {
	id := s.id
	_, rsaKey := id.Certificate.PublicKey.(*rsa.PublicKey)
	size := len(id.Certificate.Raw) + len(sig) + 512
	for _, c := range id.Chain {
		size += len(c.Raw)
	}
	b := cryptobyte.NewBuilder(make([]byte, 0, size))
	algorithm := func(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, null bool) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			if null {
				b.AddASN1NULL()
			}
		})
	}
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
		b.AddASN1ObjectIdentifier(oidSignedData)
		b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
				b.AddASN1Int64(1)
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { algorithm(b, s.digestOID, true) })
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) })
				b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
					b.AddBytes(id.Certificate.Raw)
					for _, c := range id.Chain {
						b.AddBytes(c.Raw)
					}
				})
				b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignerInfo
						b.AddASN1Int64(1)
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
							b.AddBytes(id.Certificate.RawIssuer)
							b.AddASN1BigInt(id.Certificate.SerialNumber)
						})
						algorithm(b, s.digestOID, true)
						b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
							for _, a := range attrs {
								b.AddBytes(a.encoded)
							}
						})
						algorithm(b, s.signatureOID, rsaKey)
						b.AddASN1OctetString(sig)
					})
				})
			})
		})
	})
	out, err := b.Bytes()
	if err != nil {
		return nil, fmt.Errorf("sign: encoding signature: %w", err)
	}
	return out, nil
}

type encodedAttribute struct {
	oid     asn1.ObjectIdentifier
	value   []byte // the DER of the single value
	encoded []byte // the DER of the whole Attribute SEQUENCE
}

// sortedAttributes encodes the attributes and sorts them by their DER
// encoding, as DER requires for a SET OF.
func sortedAttributes(oids []asn1.ObjectIdentifier, values [][]byte) ([]encodedAttribute, error) {
	out := make([]encodedAttribute, len(oids))
	for i, oid := range oids {
		enc, err := asn1.Marshal(struct {
			Type  asn1.ObjectIdentifier
			Value asn1.RawValue
		}{oid, asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: values[i]}})
		if err != nil {
			return nil, fmt.Errorf("sign: signed attribute %s: %w", oid, err)
		}
		out[i] = encodedAttribute{oid: oid, value: values[i], encoded: enc}
	}
	slices.SortFunc(out, func(a, b encodedAttribute) int { return bytes.Compare(a.encoded, b.encoded) })
	return out, nil
}

func concatAttributes(attrs []encodedAttribute) []byte {
	var b []byte
	for _, a := range attrs {
		b = append(b, a.encoded...)
	}
	return b
}
