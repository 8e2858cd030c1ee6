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

	"go.mozilla.org/pkcs7"
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

// rawElements splits DER content into its successive TLV elements.
func rawElements(b []byte) ([]asn1.RawValue, error) {
	var out []asn1.RawValue
	for len(b) > 0 {
		var v asn1.RawValue
		rest, err := asn1.Unmarshal(b, &v)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
		b = rest
	}
	return out, nil
}

func isUniversal(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassUniversal && v.Tag == tag
}

func isContext(v asn1.RawValue, tag int) bool {
	return v.Class == asn1.ClassContextSpecific && v.Tag == tag
}

// parsedSigner is one SignerInfo of a SignedData.
type parsedSigner struct {
	sid           asn1.RawValue
	digestAlg     asn1.ObjectIdentifier
	signedAttrs   *asn1.RawValue
	signatureAlg  asn1.ObjectIdentifier
	signature     []byte
	attrsByOID    map[string][]asn1.RawValue
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

// parseSignedData parses a DER ContentInfo holding a SignedData. It handles
// what go.mozilla.org/pkcs7 does not: signers identified by subject key
// identifier.
func parseSignedData(der []byte) (*parsedSignedData, error) {
	if len(der) == 0 {
		return nil, errSig("signature is empty")
	}
	if len(der) > maxSignatureSize {
		return nil, errSig("signature larger than %d bytes", maxSignatureSize)
	}
	der, err := berToDER(der)
	if err != nil {
		return nil, errSig("not DER or BER: %v", err)
	}
	var outer asn1.RawValue
	rest, err := asn1.Unmarshal(der, &outer)
	if err != nil {
		return nil, errSig("not DER ContentInfo: %v", err)
	}
	if len(rest) > 0 {
		return nil, errSig("%d trailing bytes after the signature", len(rest))
	}
	ciEls, err := rawElements(outer.Bytes)
	if err != nil || !isUniversal(outer, asn1.TagSequence) || len(ciEls) != 2 || !isContext(ciEls[1], 0) {
		return nil, errSig("not a ContentInfo")
	}
	var contentType asn1.ObjectIdentifier
	if _, err := asn1.Unmarshal(ciEls[0].FullBytes, &contentType); err != nil || !contentType.Equal(pkcs7.OIDSignedData) {
		return nil, errSig("content type is not signedData")
	}
	inner, err := rawElements(ciEls[1].Bytes)
	if err != nil || len(inner) != 1 || !isUniversal(inner[0], asn1.TagSequence) {
		return nil, errSig("signedData is not a SEQUENCE")
	}
	els, err := rawElements(inner[0].Bytes)
	if err != nil {
		return nil, errSig("signedData: %v", err)
	}
	// version, digestAlgorithms, encapContentInfo, [0] certificates, [1] crls, signerInfos
	if len(els) < 4 || !isUniversal(els[0], asn1.TagInteger) || !isUniversal(els[1], asn1.TagSet) ||
		!isUniversal(els[2], asn1.TagSequence) || !isUniversal(els[len(els)-1], asn1.TagSet) {
		return nil, errSig("signedData has an unexpected structure")
	}
	sd := &parsedSignedData{}
	encap, err := rawElements(els[2].Bytes)
	if err != nil || len(encap) == 0 {
		return nil, errSig("encapContentInfo is malformed")
	}
	if _, err := asn1.Unmarshal(encap[0].FullBytes, &sd.contentType); err != nil {
		return nil, errSig("encapContentInfo content type: %v", err)
	}
	sd.eContent = len(encap) > 1
	for _, e := range els[3 : len(els)-1] {
		switch {
		case isContext(e, 0):
			certs, err := x509.ParseCertificates(e.Bytes)
			if err != nil {
				return nil, errSig("certificates: %v", err)
			}
			sd.certificates = certs
		case isContext(e, 1): // CRLs are not used by passes
		default:
			return nil, errSig("signedData has an unexpected element with tag %d", e.Tag)
		}
	}
	sis, err := rawElements(els[len(els)-1].Bytes)
	if err != nil {
		return nil, errSig("signerInfos: %v", err)
	}
	for i, siRaw := range sis {
		s, err := parseSignerInfo(siRaw)
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

func parseSignerInfo(raw asn1.RawValue) (parsedSigner, error) {
	var s parsedSigner
	if !isUniversal(raw, asn1.TagSequence) {
		return s, errors.New("not a SEQUENCE")
	}
	f, err := rawElements(raw.Bytes)
	if err != nil {
		return s, err
	}
	// version, sid, digestAlgorithm, [0] signedAttrs?, signatureAlgorithm, signature, [1] unsignedAttrs?
	if len(f) < 5 {
		return s, errors.New("too few fields")
	}
	s.sid = f[1]
	var alg struct {
		Algorithm  asn1.ObjectIdentifier
		Parameters asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(f[2].FullBytes, &alg); err != nil {
		return s, fmt.Errorf("digestAlgorithm: %v", err)
	}
	s.digestAlg = alg.Algorithm
	i := 3
	if isContext(f[i], 0) {
		a := f[i]
		s.signedAttrs = &a
		i++
	}
	if len(f) < i+2 {
		return s, errors.New("too few fields")
	}
	if _, err := asn1.Unmarshal(f[i].FullBytes, &alg); err != nil {
		return s, fmt.Errorf("signatureAlgorithm: %v", err)
	}
	s.signatureAlg = alg.Algorithm
	if _, err := asn1.Unmarshal(f[i+1].FullBytes, &s.signature); err != nil {
		return s, fmt.Errorf("signature value: %v", err)
	}
	if s.signedAttrs != nil {
		attrs, err := rawElements(s.signedAttrs.Bytes)
		if err != nil {
			return s, fmt.Errorf("signed attributes: %v", err)
		}
		s.attrsByOID = map[string][]asn1.RawValue{}
		for _, a := range attrs {
			var attr struct {
				Type   asn1.ObjectIdentifier
				Values asn1.RawValue
			}
			if _, err := asn1.Unmarshal(a.FullBytes, &attr); err != nil {
				return s, fmt.Errorf("signed attribute: %v", err)
			}
			vals, err := rawElements(attr.Values.Bytes)
			if err != nil {
				return s, fmt.Errorf("signed attribute %s: %v", attr.Type, err)
			}
			k := attr.Type.String()
			if _, dup := s.attrsByOID[k]; dup {
				s.duplicateAttr = true
			}
			s.attrsByOID[k] = vals
		}
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
func findSigner(sid asn1.RawValue, certs []*x509.Certificate) (*x509.Certificate, bool, error) {
	switch {
	case isUniversal(sid, asn1.TagSequence):
		var ias struct {
			Issuer asn1.RawValue
			Serial *big.Int
		}
		if _, err := asn1.Unmarshal(sid.FullBytes, &ias); err != nil {
			return nil, false, fmt.Errorf("issuerAndSerialNumber: %v", err)
		}
		for _, c := range certs {
			if c.SerialNumber.Cmp(ias.Serial) == 0 && bytes.Equal(c.RawIssuer, ias.Issuer.FullBytes) {
				return c, false, nil
			}
		}
		return nil, false, errors.New("no certificate matches the signer's issuer and serial number")
	case isContext(sid, 0):
		for _, c := range certs {
			if len(c.SubjectKeyId) > 0 && bytes.Equal(c.SubjectKeyId, sid.Bytes) {
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
	if !sd.contentType.Equal(pkcs7.OIDData) {
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
		ct := s.attrsByOID[pkcs7.OIDAttributeContentType.String()]
		var ctOID asn1.ObjectIdentifier
		if len(ct) != 1 {
			return nil, errSig("contentType signed attribute missing")
		}
		if _, err := asn1.Unmarshal(ct[0].FullBytes, &ctOID); err != nil || !ctOID.Equal(pkcs7.OIDData) {
			return nil, errSig("contentType signed attribute is not id-data")
		}
		md := s.attrsByOID[pkcs7.OIDAttributeMessageDigest.String()]
		var digest []byte
		if len(md) != 1 {
			return nil, errSig("messageDigest signed attribute missing")
		}
		if _, err := asn1.Unmarshal(md[0].FullBytes, &digest); err != nil {
			return nil, errSig("messageDigest signed attribute: %v", err)
		}
		if subtle.ConstantTimeCompare(digest, contentDigest) != 1 {
			return nil, errSig("messageDigest does not match manifest.json (the manifest was changed after signing)")
		}
		if st := s.attrsByOID[pkcs7.OIDAttributeSigningTime.String()]; len(st) == 1 {
			var t time.Time
			if _, err := asn1.Unmarshal(st[0].FullBytes, &t); err != nil {
				return nil, errSig("signingTime signed attribute: %v", err)
			}
			info.SigningTime = t
		}
		// The signature covers the attributes encoded as a universal SET,
		// not with the [0] IMPLICIT tag they carry in the SignerInfo.
		set := bytes.Clone(s.signedAttrs.FullBytes)
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
