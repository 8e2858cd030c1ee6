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

	"go.mozilla.org/pkcs7"
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
// and the signature value into a copy of it. Building the container with
// go.mozilla.org/pkcs7 adds 5–10% to an RSA-2048 signature; the patch
// about 1% (BenchmarkSignatureVsRSA).
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
		// The container is pkcs7's: a structure locate does not know is a
		// bug here, not in the input. Sign still works, on the full path.
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

var (
	oidMessageDigest = pkcs7.OIDAttributeMessageDigest
	oidSigningTime   = pkcs7.OIDAttributeSigningTime
)

// element is one DER element: its tag byte and where it and its content
// start and end in the whole encoding.
type element struct {
	tag              byte
	start, body, end int
}

// parseElement reads the element at off in b.
func parseElement(b []byte, off int) (element, error) {
	if off+2 > len(b) {
		return element{}, errors.New("truncated DER")
	}
	e := element{tag: b[off], start: off}
	l := int(b[off+1])
	p := off + 2
	if l&0x80 != 0 {
		n := l & 0x7f
		if n == 0 || n > 3 || p+n > len(b) {
			return element{}, errors.New("unsupported DER length")
		}
		l = 0
		for i := 0; i < n; i++ {
			l = l<<8 | int(b[p+i])
		}
		p += n
	}
	if p+l > len(b) {
		return element{}, errors.New("truncated DER")
	}
	e.body, e.end = p, p+l
	return e, nil
}

// children returns the elements inside e.
func children(b []byte, e element) ([]element, error) {
	var out []element
	for off := e.body; off < e.end; {
		c, err := parseElement(b, off)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		off = c.end
	}
	return out, nil
}

// locate finds the signed attributes, messageDigest, signingTime and
// signature value of the single SignerInfo of a DER SignedData.
func locate(der []byte) (*skeleton, error) {
	bad := func(what string) (*skeleton, error) {
		return nil, fmt.Errorf("sign: unexpected signature structure: %s", what)
	}
	root, err := parseElement(der, 0)
	if err != nil || root.tag != 0x30 || root.end != len(der) {
		return bad("ContentInfo")
	}
	ci, err := children(der, root)
	if err != nil || len(ci) != 2 || ci[1].tag != 0xa0 {
		return bad("ContentInfo content")
	}
	sdWrap, err := children(der, ci[1])
	if err != nil || len(sdWrap) != 1 || sdWrap[0].tag != 0x30 {
		return bad("SignedData")
	}
	sd, err := children(der, sdWrap[0])
	if err != nil || len(sd) == 0 || sd[len(sd)-1].tag != 0x31 {
		return bad("SignerInfos")
	}
	sis, err := children(der, sd[len(sd)-1])
	if err != nil || len(sis) != 1 || sis[0].tag != 0x30 {
		return bad("one SignerInfo")
	}
	si, err := children(der, sis[0])
	if err != nil || len(si) != 6 || si[3].tag != 0xa0 || si[5].tag != 0x04 {
		return bad("SignerInfo fields")
	}
	sk := &skeleton{der: der, attrs: si[3].start, attrsEnd: si[3].end, sig: si[5].body, sigEnd: si[5].end}
	attrs, err := children(der, si[3])
	if err != nil {
		return bad("signed attributes")
	}
	for _, a := range attrs {
		parts, err := children(der, a)
		if err != nil || len(parts) != 2 || parts[0].tag != 0x06 || parts[1].tag != 0x31 {
			return bad("attribute")
		}
		var oid asn1.ObjectIdentifier
		if _, err := asn1.Unmarshal(der[parts[0].start:parts[0].end], &oid); err != nil {
			return bad("attribute type")
		}
		vals, err := children(der, parts[1])
		if err != nil || len(vals) != 1 {
			return bad("attribute value")
		}
		switch {
		case oid.Equal(oidMessageDigest) && vals[0].tag == 0x04:
			sk.md, sk.mdEnd = vals[0].body, vals[0].end
		case oid.Equal(oidSigningTime):
			sk.st, sk.stEnd = vals[0].start, vals[0].end
		}
	}
	if sk.mdEnd == 0 || sk.stEnd == 0 {
		return bad("messageDigest and signingTime attributes")
	}
	return sk, nil
}
