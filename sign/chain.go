package sign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"fmt"
	"time"
)

// maxChainLength bounds the SHA-1 chain walk.
const maxChainLength = 6

// isSHA1Signed reports whether c is signed with a SHA-1 algorithm, which
// crypto/x509 no longer verifies.
func isSHA1Signed(c *x509.Certificate) bool {
	return c.SignatureAlgorithm == x509.SHA1WithRSA || c.SignatureAlgorithm == x509.ECDSAWithSHA1
}

// verifyLegacyChain builds and checks a chain from leaf when some link is
// signed with SHA-1, as Apple WWDR G1 (the intermediate of passes signed
// before 2022) and Apple Root CA are. Each link's signature, validity at at
// and CA flag are checked here; the chain ends at a certificate that
// crypto/x509 itself accepts against roots (a root in the pool, or a
// certificate a root signs with a modern algorithm). candidates are the
// certificates the walk may use as issuers.
func verifyLegacyChain(leaf *x509.Certificate, candidates []*x509.Certificate, roots *x509.CertPool, at time.Time) ([]*x509.Certificate, error) {
	chain := []*x509.Certificate{leaf}
	cur := leaf
	for len(chain) <= maxChainLength {
		if _, err := tolerateAppleExtensions(cur).Verify(x509.VerifyOptions{Roots: roots, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageAny}}); err == nil {
			return chain, nil
		}
		if err := checkValidity(cur, at); err != nil {
			return nil, err
		}
		var issuer *x509.Certificate
		for _, c := range candidates {
			if c != cur && c.IsCA && bytes.Equal(c.RawSubject, cur.RawIssuer) && checkLegacySignature(cur, c) == nil {
				issuer = c
				break
			}
		}
		if issuer == nil {
			return nil, fmt.Errorf("no trusted issuer for %q", cur.Subject.CommonName)
		}
		if len(cur.UnhandledCriticalExtensions) > 0 && tolerateAppleExtensions(cur) == cur {
			return nil, fmt.Errorf("%q has an unhandled critical extension", cur.Subject.CommonName)
		}
		chain = append(chain, issuer)
		cur = issuer
	}
	return nil, errors.New("certificate chain too long")
}

// checkLegacySignature checks c's signature by parent, allowing SHA-1.
func checkLegacySignature(c, parent *x509.Certificate) error {
	if !isSHA1Signed(c) {
		return c.CheckSignatureFrom(parent)
	}
	h := crypto.SHA1.New()
	h.Write(c.RawTBSCertificate)
	digest := h.Sum(nil)
	switch pub := parent.PublicKey.(type) {
	case *rsa.PublicKey:
		if c.SignatureAlgorithm == x509.SHA1WithRSA {
			return rsa.VerifyPKCS1v15(pub, crypto.SHA1, digest, c.Signature)
		}
	case *ecdsa.PublicKey:
		if c.SignatureAlgorithm == x509.ECDSAWithSHA1 && ecdsa.VerifyASN1(pub, digest, c.Signature) {
			return nil
		}
	}
	return errors.New("bad SHA-1 certificate signature")
}
