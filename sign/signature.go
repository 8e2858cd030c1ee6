package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"slices"
	"time"

	"go.mozilla.org/pkcs7"
)

var (
	oidSHA1            = pkcs7.OIDDigestAlgorithmSHA1
	oidSHA256          = pkcs7.OIDDigestAlgorithmSHA256
	oidSHA384          = pkcs7.OIDDigestAlgorithmSHA384
	oidSHA512          = pkcs7.OIDDigestAlgorithmSHA512
	oidRSAEncryption   = pkcs7.OIDEncryptionAlgorithmRSA
	oidSHA1WithRSA     = pkcs7.OIDEncryptionAlgorithmRSASHA1
	oidSHA256WithRSA   = pkcs7.OIDEncryptionAlgorithmRSASHA256
	oidSHA384WithRSA   = pkcs7.OIDEncryptionAlgorithmRSASHA384
	oidSHA512WithRSA   = pkcs7.OIDEncryptionAlgorithmRSASHA512
	oidECDSAWithSHA1   = pkcs7.OIDDigestAlgorithmECDSASHA1
	oidECDSAWithSHA256 = pkcs7.OIDDigestAlgorithmECDSASHA256
	oidECDSAWithSHA384 = pkcs7.OIDDigestAlgorithmECDSASHA384
	oidECDSAWithSHA512 = pkcs7.OIDDigestAlgorithmECDSASHA512
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
// signature (with go.mozilla.org/pkcs7) instead of a skeleton, which would
// cost as much as the container and is only worth it when reused. To sign
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
	ct, _ := asn1.Marshal(pkcs7.OIDData)
	st, err := encodeSigningTime(signingTime)
	if err != nil {
		return nil, nil, fmt.Errorf("sign: signing time %s: %w", signingTime, err)
	}
	attrs, err := sortedAttributes(
		[]asn1.ObjectIdentifier{pkcs7.OIDAttributeContentType, pkcs7.OIDAttributeSigningTime, pkcs7.OIDAttributeMessageDigest},
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
// attributes attrs and the signature value sig.
//
// The container is built with go.mozilla.org/pkcs7; the SignerInfo is filled
// in here because pkcs7 takes its signing time from time.Now and accepts only
// in-memory RSA/ECDSA keys, while passes need an injectable clock and any
// crypto.Signer (HSM, KMS).
func (s *Signer) container(attrs []encodedAttribute, sig []byte) ([]byte, error) {
	id := s.id
	sd, err := pkcs7.NewSignedData(nil)
	if err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	sd.Detach()
	raw := sd.GetSignedData()
	raw.DigestAlgorithmIdentifiers = []pkix.AlgorithmIdentifier{{Algorithm: s.digestOID, Parameters: asn1.NullRawValue}}
	// signerInfo is unexported in pkcs7: grow the slice to get a zero value
	// and set its exported fields.
	raw.SignerInfos = slices.Grow(raw.SignerInfos[:0:0], 1)[:1]
	si := &raw.SignerInfos[0]
	si.Version = 1
	si.IssuerAndSerialNumber.IssuerName = asn1.RawValue{FullBytes: id.Certificate.RawIssuer}
	si.IssuerAndSerialNumber.SerialNumber = id.Certificate.SerialNumber
	si.DigestAlgorithm = pkix.AlgorithmIdentifier{Algorithm: s.digestOID, Parameters: asn1.NullRawValue}
	si.DigestEncryptionAlgorithm = pkix.AlgorithmIdentifier{Algorithm: s.signatureOID}
	if _, ok := id.Certificate.PublicKey.(*rsa.PublicKey); ok {
		si.DigestEncryptionAlgorithm.Parameters = asn1.NullRawValue
	}
	si.EncryptedDigest = sig
	si.AuthenticatedAttributes = slices.Grow(si.AuthenticatedAttributes[:0:0], len(attrs))[:len(attrs)]
	for i, a := range attrs {
		si.AuthenticatedAttributes[i].Type = a.oid
		si.AuthenticatedAttributes[i].Value = asn1.RawValue{Class: asn1.ClassUniversal, Tag: asn1.TagSet, IsCompound: true, Bytes: a.value}
	}
	sd.AddCertificate(id.Certificate)
	for _, c := range id.Chain {
		sd.AddCertificate(c)
	}
	out, err := sd.Finish()
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
