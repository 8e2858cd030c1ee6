package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/subtle"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// maxSignatureSize bounds the signature file: a signer, an intermediate and a
// few attributes fit in a few kilobytes.
const maxSignatureSize = 1 << 20

// SignatureInfo describes a detached PKCS#7 signature checked by
// VerifySignature.
type SignatureInfo struct {
	// Signer is the certificate that made the signature.
	Signer *x509.Certificate
	// Certificates holds every certificate carried by the signature, the
	// signer included.
	Certificates []*x509.Certificate
	// Digest is the digest algorithm of the signer (crypto.SHA1, crypto.SHA256...).
	Digest crypto.Hash
	// SigningTime is the signingTime signed attribute; zero when absent.
	SigningTime time.Time
	// SubjectKeyID reports that the signer was identified by subject key
	// identifier rather than by issuer and serial number.
	SubjectKeyID bool
}

// parsedSigner is one SignerInfo of a SignedData.
type parsedSigner struct {
	sid          cryptobyte.String // the SignerIdentifier element, tag included
	digestAlg    asn1.ObjectIdentifier
	signedAttrs  cryptobyte.String // the [0] IMPLICIT element, tag included; nil when absent
	signatureAlg asn1.ObjectIdentifier
	signature    []byte
	// attrsByOID holds the DER elements of each signed attribute's values.
	attrsByOID    map[string][]cryptobyte.String
	duplicateAttr bool
}

type parsedSignedData struct {
	contentType  asn1.ObjectIdentifier
	eContent     bool
	certificates []*x509.Certificate
	signers      []parsedSigner
}

func errSig(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{ErrSignature}, args...)...)
}

var (
	tagContext0 = cbasn1.Tag(0).Constructed().ContextSpecific()
	tagContext1 = cbasn1.Tag(1).Constructed().ContextSpecific()
)

// parseSignedData parses a DER (or BER, converted first) ContentInfo holding
// a SignedData, with signers identified by issuer and serial number or by
// subject key identifier.
func parseSignedData(der []byte) (*parsedSignedData, error) {
	if len(der) == 0 {
		return nil, errSig("signature is empty")
	}
	if len(der) > maxSignatureSize {
		return nil, errSig("signature larger than %d bytes", maxSignatureSize)
	}
	sd, err := parseDERSignedData(der)
	if err == nil {
		return sd, nil
	}
	// Streaming signers write BER with indefinite lengths: convert and
	// retry, reporting the DER error when the input is no BER either.
	converted, berr := berToDER(der)
	if berr != nil || bytes.Equal(converted, der) {
		return nil, err
	}
	return parseDERSignedData(converted)
}

// parseDERSignedData is parseSignedData for DER input.
func parseDERSignedData(der []byte) (*parsedSignedData, error) {
	in := cryptobyte.String(der)
	var ci, wrap, signedData cryptobyte.String
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) {
		return nil, errSig("not a DER ContentInfo")
	}
	if !in.Empty() {
		return nil, errSig("%d trailing bytes after the signature", len(in))
	}
	var contentType asn1.ObjectIdentifier
	if !ci.ReadASN1ObjectIdentifier(&contentType) || !ci.ReadASN1(&wrap, tagContext0) || !ci.Empty() {
		return nil, errSig("not a ContentInfo")
	}
	if !contentType.Equal(oidSignedData) {
		return nil, errSig("content type is not signedData")
	}
	if !wrap.ReadASN1(&signedData, cbasn1.SEQUENCE) || !wrap.Empty() {
		return nil, errSig("signedData is not a SEQUENCE")
	}
	// version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos
	var version int64
	var encap, signerInfos cryptobyte.String
	if !signedData.ReadASN1Int64WithTag(&version, cbasn1.INTEGER) || !signedData.SkipASN1(cbasn1.SET) ||
		!signedData.ReadASN1(&encap, cbasn1.SEQUENCE) {
		return nil, errSig("signedData has an unexpected structure")
	}
	sd := &parsedSignedData{}
	if !encap.ReadASN1ObjectIdentifier(&sd.contentType) {
		return nil, errSig("encapContentInfo is malformed")
	}
	sd.eContent = !encap.Empty()
	for !signedData.Empty() {
		var el cryptobyte.String
		var tag cbasn1.Tag
		if !signedData.ReadAnyASN1(&el, &tag) {
			return nil, errSig("signedData has a malformed element")
		}
		switch {
		case signedData.Empty() && tag == cbasn1.SET:
			signerInfos = el
		case tag == tagContext0 && sd.certificates == nil:
			certs, err := x509.ParseCertificates(el)
			if err != nil {
				return nil, errSig("certificates: %v", err)
			}
			sd.certificates = certs
		case tag == tagContext1: // CRLs are not used by passes
		default:
			return nil, errSig("signedData has an unexpected element with tag %d", tag&0x1f)
		}
	}
	if signerInfos == nil {
		return nil, errSig("signedData has an unexpected structure")
	}
	for i := 0; !signerInfos.Empty(); i++ {
		var raw cryptobyte.String
		if !signerInfos.ReadASN1(&raw, cbasn1.SEQUENCE) {
			return nil, errSig("signerInfo %d: not a SEQUENCE", i)
		}
		s, err := parseSignerInfo(raw)
		if err != nil {
			return nil, errSig("signerInfo %d: %v", i, err)
		}
		sd.signers = append(sd.signers, s)
	}
	if len(sd.signers) == 0 {
		return nil, errSig("no signer")
	}
	return sd, nil
}

// readAlgorithm reads an AlgorithmIdentifier and returns its OID; the
// parameters are not used.
func readAlgorithm(s *cryptobyte.String, oid *asn1.ObjectIdentifier) bool {
	var alg cryptobyte.String
	return s.ReadASN1(&alg, cbasn1.SEQUENCE) && alg.ReadASN1ObjectIdentifier(oid)
}

// parseSignerInfo parses the content of a SignerInfo SEQUENCE.
func parseSignerInfo(f cryptobyte.String) (parsedSigner, error) {
	var s parsedSigner
	// version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1] unsignedAttrs?
	var tag cbasn1.Tag
	if !f.SkipASN1(cbasn1.INTEGER) || !f.ReadAnyASN1Element(&s.sid, &tag) {
		return s, errors.New("too few fields")
	}
	if !readAlgorithm(&f, &s.digestAlg) {
		return s, errors.New("digestAlgorithm is malformed")
	}
	if f.PeekASN1Tag(tagContext0) {
		if !f.ReadASN1Element(&s.signedAttrs, tagContext0) {
			return s, errors.New("signed attributes are malformed")
		}
	}
	if !readAlgorithm(&f, &s.signatureAlg) {
		return s, errors.New("signatureAlgorithm is malformed")
	}
	var sig cryptobyte.String
	if !f.ReadASN1(&sig, cbasn1.OCTET_STRING) {
		return s, errors.New("signature value is malformed")
	}
	s.signature = sig
	if !f.Empty() && !f.SkipASN1(tagContext1) || !f.Empty() {
		return s, errors.New("unexpected fields after the signature value")
	}
	if s.signedAttrs == nil {
		return s, nil
	}
	attrs := s.signedAttrs
	if !attrs.ReadASN1(&attrs, tagContext0) {
		return s, errors.New("signed attributes are malformed")
	}
	s.attrsByOID = map[string][]cryptobyte.String{}
	for !attrs.Empty() {
		var attr, set cryptobyte.String
		var oid asn1.ObjectIdentifier
		if !attrs.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1ObjectIdentifier(&oid) || !attr.ReadASN1(&set, cbasn1.SET) || !attr.Empty() {
			return s, errors.New("a signed attribute is malformed")
		}
		var vals []cryptobyte.String
		for !set.Empty() {
			var v cryptobyte.String
			var vtag cbasn1.Tag
			if !set.ReadAnyASN1Element(&v, &vtag) {
				return s, fmt.Errorf("signed attribute %s: malformed value", oid)
			}
			vals = append(vals, v)
		}
		k := oid.String()
		if _, dup := s.attrsByOID[k]; dup {
			s.duplicateAttr = true
		}
		s.attrsByOID[k] = vals
	}
	return s, nil
}

func hashForDigestOID(oid asn1.ObjectIdentifier) (crypto.Hash, bool) {
	switch {
	case oid.Equal(oidSHA1):
		return crypto.SHA1, true
	case oid.Equal(oidSHA256):
		return crypto.SHA256, true
	case oid.Equal(oidSHA384):
		return crypto.SHA384, true
	case oid.Equal(oidSHA512):
		return crypto.SHA512, true
	}
	return 0, false
}

// findSigner returns the certificate named by a SignerIdentifier:
// issuerAndSerialNumber (a SEQUENCE) or [0] subjectKeyIdentifier.
func findSigner(sid cryptobyte.String, certs []*x509.Certificate) (*x509.Certificate, bool, error) {
	switch {
	case sid.PeekASN1Tag(cbasn1.SEQUENCE):
		var ias, issuer cryptobyte.String
		serial := new(big.Int)
		if !sid.ReadASN1(&ias, cbasn1.SEQUENCE) || !ias.ReadASN1Element(&issuer, cbasn1.SEQUENCE) || !ias.ReadASN1Integer(serial) || !ias.Empty() {
			return nil, false, errors.New("issuerAndSerialNumber is malformed")
		}
		for _, c := range certs {
			if c.SerialNumber.Cmp(serial) == 0 && bytes.Equal(c.RawIssuer, issuer) {
				return c, false, nil
			}
		}
		return nil, false, errors.New("no certificate matches the signer's issuer and serial number")
	case sid.PeekASN1Tag(cbasn1.Tag(0).ContextSpecific()):
		var ski cryptobyte.String
		if !sid.ReadASN1(&ski, cbasn1.Tag(0).ContextSpecific()) {
			return nil, true, errors.New("subjectKeyIdentifier is malformed")
		}
		for _, c := range certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, ski) {
				return c, true, nil
			}
		}
		return nil, true, errors.New("no certificate matches the signer's subject key identifier")
	}
	return nil, false, errors.New("unknown signer identifier")
}

// VerifySignature checks that sig, a DER detached PKCS#7/CMS SignedData,
// signs content (the manifest.json bytes). Signers identified by issuer and
// serial number or by subject key identifier, SHA-1 to SHA-512 digests, RSA
// PKCS#1 v1.5 and ECDSA signatures, with or without signed attributes, are
// accepted. It does not check the certificate chain: see Verify. Errors wrap
// ErrSignature.
func VerifySignature(sig, content []byte) (*SignatureInfo, error) {
	sd, err := parseSignedData(sig)
	if err != nil {
		return nil, err
	}
	if !sd.contentType.Equal(oidData) {
		return nil, errSig("encapsulated content type %s is not id-data", sd.contentType)
	}
	if sd.eContent {
		return nil, errSig("signature is not detached (it embeds content)")
	}
	if len(sd.signers) != 1 {
		return nil, errSig("%d signers, want exactly 1", len(sd.signers))
	}
	s := sd.signers[0]
	signer, bySKI, err := findSigner(s.sid, sd.certificates)
	if err != nil {
		return nil, errSig("%v", err)
	}
	info := &SignatureInfo{Signer: signer, Certificates: sd.certificates, SubjectKeyID: bySKI}
	h, ok := hashForDigestOID(s.digestAlg)
	if !ok || !h.Available() {
		return nil, errSig("unsupported digest algorithm %s", s.digestAlg)
	}
	info.Digest = h
	dg := h.New()
	dg.Write(content)
	contentDigest := dg.Sum(nil)

	signed := content
	if s.signedAttrs != nil {
		if s.duplicateAttr {
			return nil, errSig("a signed attribute appears more than once")
		}
		ct := s.attrsByOID[oidContentType.String()]
		if len(ct) != 1 {
			return nil, errSig("contentType signed attribute missing")
		}
		var ctOID asn1.ObjectIdentifier
		if v := ct[0]; !v.ReadASN1ObjectIdentifier(&ctOID) || !v.Empty() || !ctOID.Equal(oidData) {
			return nil, errSig("contentType signed attribute is not id-data")
		}
		md := s.attrsByOID[oidMessageDigest.String()]
		if len(md) != 1 {
			return nil, errSig("messageDigest signed attribute missing")
		}
		var digest cryptobyte.String
		if v := md[0]; !v.ReadASN1(&digest, cbasn1.OCTET_STRING) || !v.Empty() {
			return nil, errSig("messageDigest signed attribute is not an OCTET STRING")
		}
		if subtle.ConstantTimeCompare(digest, contentDigest) != 1 {
			return nil, errSig("messageDigest does not match manifest.json (the manifest was changed after signing)")
		}
		if st := s.attrsByOID[oidSigningTime.String()]; len(st) == 1 {
			t, err := readTime(st[0])
			if err != nil {
				return nil, errSig("signingTime signed attribute: %v", err)
			}
			info.SigningTime = t
		}
		// The signature covers the attributes encoded as a universal SET,
		// not with the [0] IMPLICIT tag they carry in the SignerInfo.
		set := bytes.Clone(s.signedAttrs)
		set[0] = 0x31
		signed = set
	}
	d := h.New()
	d.Write(signed)
	hashed := d.Sum(nil)
	switch pub := signer.PublicKey.(type) {
	case *rsa.PublicKey:
		if !isRSASignatureOID(s.signatureAlg) {
			return nil, errSig("signature algorithm %s does not fit an RSA key", s.signatureAlg)
		}
		if err := rsa.VerifyPKCS1v15(pub, h, hashed, s.signature); err != nil {
			return nil, errSig("signature does not verify with the signer's key")
		}
	case *ecdsa.PublicKey:
		if !isECDSASignatureOID(s.signatureAlg) {
			return nil, errSig("signature algorithm %s does not fit an ECDSA key", s.signatureAlg)
		}
		if !ecdsa.VerifyASN1(pub, hashed, s.signature) {
			return nil, errSig("signature does not verify with the signer's key")
		}
	default:
		return nil, errSig("unsupported signer key type %T", pub)
	}
	return info, nil
}

func isRSASignatureOID(oid asn1.ObjectIdentifier) bool {
	for _, o := range []asn1.ObjectIdentifier{oidRSAEncryption, oidSHA1WithRSA, oidSHA256WithRSA, oidSHA384WithRSA, oidSHA512WithRSA} {
		if oid.Equal(o) {
			return true
		}
	}
	return false
}

func isECDSASignatureOID(oid asn1.ObjectIdentifier) bool {
	for _, o := range []asn1.ObjectIdentifier{oidECPublicKey, oidECDSAWithSHA1, oidECDSAWithSHA256, oidECDSAWithSHA384, oidECDSAWithSHA512} {
		if oid.Equal(o) {
			return true
		}
	}
	return false
}

// readTime reads a UTCTime or GeneralizedTime element, the two encodings of
// a CMS signingTime.
func readTime(v cryptobyte.String) (time.Time, error) {
	var t time.Time
	switch {
	case v.PeekASN1Tag(cbasn1.UTCTime):
		if v.ReadASN1UTCTime(&t) && v.Empty() {
			return t, nil
		}
	case v.PeekASN1Tag(cbasn1.GeneralizedTime):
		if v.ReadASN1GeneralizedTime(&t) && v.Empty() {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a UTCTime or GeneralizedTime")
}
