package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.mozilla.org/pkcs7"
)

func (s *Signer) containerPKCS7(attrs []encodedAttribute, sig []byte) ([]byte, error) {
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

// TestContainerMatchesPKCS7 is temporary: the cryptobyte container must be the bytes go.mozilla.org/pkcs7 made.
func TestContainerMatchesPKCS7(t *testing.T) {
	p := pkiOnce()
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	rk, err := rsa.GenerateKey(rand.Reader, 3072)
	require.NoError(t, err)
	for _, key := range []crypto.Signer{p.leafKey, ek, rk} {
		c := p.leaf(t, key, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
		for _, chain := range [][]*x509.Certificate{nil, {p.inter}, {p.inter, p.root}} {
			id := &Identity{Certificate: c, Signer: key, Chain: chain}
			for _, d := range []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA512} {
				s, err := newSigner(id, d)
				require.NoError(t, err)
				for _, at := range []time.Time{time.Now(), time.Date(2051, 1, 1, 0, 0, 0, 0, time.UTC)} {
					attrs, set, err := signedAttributes([]byte("m"), d, at)
					require.NoError(t, err)
					sig, err := s.signAttributes(set)
					require.NoError(t, err)
					want, err := s.containerPKCS7(attrs, sig)
					require.NoError(t, err)
					got, err := s.container(attrs, sig)
					require.NoError(t, err)
					require.Equal(t, want, got, fmt.Sprintf("%T chain %d %v %s", key, len(chain), d, at))
				}
			}
		}
	}
	_ = pkix.AlgorithmIdentifier{}
	_ = asn1.NullRawValue
	_ = slices.Grow[[]int]
}
