package sign

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// SignerOptions tune a Signer. A nil *SignerOptions means the defaults.
type SignerOptions struct {
	// Digest is the CMS digest algorithm of the signatures. If zero,
	// crypto.SHA256; crypto.SHA1 is accepted for old readers.
	Digest crypto.Hash
}

// Signer makes the detached PKCS#7 signatures of passes for one identity and
// digest, the same bytes as Signature, for many manifests: for an RSA key the
// DER container (certificates included) is built once, in NewSigner, and
// each signature only patches the messageDigest and signingTime attributes
// and the signature value into a copy of it, which costs less than building
// the container (BenchmarkSignatureVsRSA).
//
// Keys whose signatures vary in length (ECDSA), signing times outside
// 1950–2049 (encoded as GeneralizedTime) and signers that return a value of
// an unexpected length take the full path: the container is built for that
// signature, still with one private-key operation.
//
// A Signer is safe for concurrent use. It keeps the identity: do not modify
// it while the Signer is in use. Make one with NewSigner; the zero value
// reports an error.
type Signer struct {
	id           *Identity
	digest       crypto.Hash
	digestOID    asn1.ObjectIdentifier
	signatureOID asn1.ObjectIdentifier
	sk           *skeleton // nil: every signature takes the full path
}

// NewSigner returns a Signer for id. It makes no private-key operation: the
// skeleton of an RSA key holds a placeholder of the signature's length.
func NewSigner(id *Identity, opts *SignerOptions) (*Signer, error) {
	var digest crypto.Hash
	if opts != nil {
		digest = opts.Digest
	}
	s, err := newSigner(id, digest)
	if err != nil {
		return nil, err
	}
	pub, ok := id.Certificate.PublicKey.(*rsa.PublicKey)
	if !ok {
		return s, nil
	}
	attrs, _, err := signedAttributes(nil, s.digest, skeletonTime)
	if err != nil {
		return nil, err
	}
	der, err := s.container(attrs, make([]byte, pub.Size()))
	if err != nil {
		return nil, err
	}
	if s.sk, err = locate(der); err != nil {
		// The container is ours: a structure locate does not know is a bug
		// here, not in the input. Sign still works, on the full path.
		s.sk = nil
	}
	return s, nil
}

var errNoSigner = errors.New("sign: the Signer was not made by NewSigner")

// newSigner checks id and digest and returns a Signer without a skeleton.
func newSigner(id *Identity, digest crypto.Hash) (*Signer, error) {
	if id == nil || id.Certificate == nil || id.Signer == nil {
		return nil, errors.New("sign: signature needs an identity with a certificate and a signer")
	}
	if digest == 0 {
		digest = crypto.SHA256
	}
	dOID, err := digestOID(digest)
	if err != nil {
		return nil, err
	}
	sOID, err := signatureOID(id.Certificate.PublicKey, digest)
	if err != nil {
		return nil, err
	}
	if !digest.Available() {
		return nil, fmt.Errorf("sign: digest %v not linked into the binary", digest)
	}
	return &Signer{id: id, digest: digest, digestOID: dOID, signatureOID: sOID}, nil
}

// Identity returns the identity the Signer signs with.
func (s *Signer) Identity() *Identity { return s.id }

// Digest returns the CMS digest algorithm of the Signer's signatures.
func (s *Signer) Digest() crypto.Hash { return s.digest }

// Sign returns the detached PKCS#7 signature of manifest (the exact bytes of
// manifest.json) with signing time at, as Signature does. It makes exactly
// one private-key operation and does not check the certificate's validity at
// at (WriteEntries does).
func (s *Signer) Sign(manifest []byte, at time.Time) ([]byte, error) {
	if s == nil || s.id == nil {
		return nil, errNoSigner
	}
	if s.sk != nil {
		if st, err := encodeSigningTime(at); err == nil && len(st) == s.sk.stEnd-s.sk.st {
			return s.patch(manifest, at, st)
		}
	}
	attrs, set, err := signedAttributes(manifest, s.digest, at)
	if err != nil {
		return nil, err
	}
	sig, err := s.signAttributes(set)
	if err != nil {
		return nil, err
	}
	return s.container(attrs, sig)
}

// signAttributes makes the private-key operation over the DER SET OF the
// signed attributes.
func (s *Signer) signAttributes(set []byte) ([]byte, error) {
	h := s.digest.New()
	h.Write(set)
	sig, err := s.id.Signer.Sign(rand.Reader, h.Sum(nil), s.digest)
	if err != nil {
		return nil, fmt.Errorf("sign: signing with the %q key: %w", s.id.Certificate.Subject.CommonName, err)
	}
	return sig, nil
}

// patch signs manifest in a copy of the skeleton; st is the encoded signing
// time, of the skeleton's length.
func (s *Signer) patch(manifest []byte, at time.Time, st []byte) ([]byte, error) {
	sk := s.sk
	out := slices.Clone(sk.der)
	h := s.digest.New()
	h.Write(manifest)
	h.Sum(out[sk.md:sk.md]) // the skeleton holds a digest of this length
	copy(out[sk.st:sk.stEnd], st)
	// The signature covers the attributes encoded as a SET OF: the same
	// bytes as the [0] IMPLICIT field but for the tag.
	out[sk.attrs] = 0x31
	sig, err := s.signAttributes(out[sk.attrs:sk.attrsEnd])
	out[sk.attrs] = 0xa0
	if err != nil {
		return nil, err
	}
	if len(sig) != sk.sigEnd-sk.sig {
		// Not the modulus length: encode the container for this value.
		attrs, _, err := signedAttributes(manifest, s.digest, at)
		if err != nil {
			return nil, err
		}
		return s.container(attrs, sig)
	}
	copy(out[sk.sig:sk.sigEnd], sig)
	return out, nil
}

// skeletonTime is the signing time of skeletons: any time from 1950 to 2049
// has the length of the UTCTime they hold.
var skeletonTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// skeleton is a DER PKCS#7 signature made by Signer.container with
// placeholders, and the offsets of what changes per signature.
type skeleton struct {
	der         []byte
	attrs       int // offset of the [0] IMPLICIT signed attributes tag
	attrsEnd    int
	md, mdEnd   int // messageDigest value bytes
	st, stEnd   int // signingTime element (tag included)
	sig, sigEnd int // encryptedDigest value bytes
}

// locate finds the signed attributes, messageDigest, signingTime and
// signature value of the single SignerInfo of a DER SignedData made by
// Signer.container. Offsets come from the sub-slices cryptobyte returns:
// a slice der[i:j] has capacity cap(der)-i.
func locate(der []byte) (*skeleton, error) {
	bad := func(what string) (*skeleton, error) {
		return nil, fmt.Errorf("sign: unexpected signature structure: %s", what)
	}
	at := func(x cryptobyte.String) int { return cap(der) - cap(x) }
	in := cryptobyte.String(der)
	var ci, sdWrap, sd, sis, si, attrs, sigValue cryptobyte.String
	if !in.ReadASN1(&ci, cbasn1.SEQUENCE) || !in.Empty() ||
		!ci.SkipASN1(cbasn1.OBJECT_IDENTIFIER) || !ci.ReadASN1(&sdWrap, cbasn1.Tag(0).Constructed().ContextSpecific()) || !ci.Empty() {
		return bad("ContentInfo")
	}
	if !sdWrap.ReadASN1(&sd, cbasn1.SEQUENCE) || !sdWrap.Empty() {
		return bad("SignedData")
	}
	// version, digestAlgorithms, encapContentInfo, [0] certificates: skip
	// to the signerInfos SET, the last element.
	for !sd.Empty() {
		var tag cbasn1.Tag
		var el cryptobyte.String
		if !sd.ReadAnyASN1(&el, &tag) {
			return bad("SignedData fields")
		}
		if sd.Empty() {
			if tag != cbasn1.SET {
				return bad("SignerInfos")
			}
			sis = el
		}
	}
	if !sis.ReadASN1(&si, cbasn1.SEQUENCE) || !sis.Empty() {
		return bad("one SignerInfo")
	}
	var attrsElement cryptobyte.String
	if !si.SkipASN1(cbasn1.INTEGER) || !si.SkipASN1(cbasn1.SEQUENCE) || !si.SkipASN1(cbasn1.SEQUENCE) ||
		!si.ReadASN1Element(&attrsElement, cbasn1.Tag(0).Constructed().ContextSpecific()) ||
		!si.SkipASN1(cbasn1.SEQUENCE) || !si.ReadASN1(&sigValue, cbasn1.OCTET_STRING) || !si.Empty() {
		return bad("SignerInfo fields")
	}
	sk := &skeleton{der: der, attrs: at(attrsElement), attrsEnd: at(attrsElement) + len(attrsElement),
		sig: at(sigValue), sigEnd: at(sigValue) + len(sigValue)}
	if !attrsElement.ReadASN1(&attrs, cbasn1.Tag(0).Constructed().ContextSpecific()) {
		return bad("signed attributes")
	}
	for !attrs.Empty() {
		var attr, values, value cryptobyte.String
		var oid asn1.ObjectIdentifier
		var tag cbasn1.Tag
		if !attrs.ReadASN1(&attr, cbasn1.SEQUENCE) || !attr.ReadASN1ObjectIdentifier(&oid) ||
			!attr.ReadASN1(&values, cbasn1.SET) || !attr.Empty() || !values.ReadAnyASN1Element(&value, &tag) || !values.Empty() {
			return bad("attribute")
		}
		switch {
		case oid.Equal(oidMessageDigest) && tag == cbasn1.OCTET_STRING:
			var digest cryptobyte.String
			if !value.ReadASN1(&digest, cbasn1.OCTET_STRING) {
				return bad("messageDigest")
			}
			sk.md, sk.mdEnd = at(digest), at(digest)+len(digest)
		case oid.Equal(oidSigningTime):
			sk.st, sk.stEnd = at(value), at(value)+len(value)
		}
	}
	if sk.mdEnd == 0 || sk.stEnd == 0 {
		return bad("messageDigest and signingTime attributes")
	}
	return sk, nil
}
