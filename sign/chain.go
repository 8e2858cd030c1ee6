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

// issuedBy reports whether parent issued c: c's issuer is parent's subject,
// their key identifiers (when both have one) agree, and parent's key checks
// c's signature (SHA-1 allowed, as WWDR G1 signs with it).
func issuedBy(c, parent *x509.Certificate) bool {
	if c == parent || !bytes.Equal(c.RawIssuer, parent.RawSubject) {
		return false
	}
	if len(c.AuthorityKeyId) > 0 && len(parent.SubjectKeyId) > 0 && !bytes.Equal(c.AuthorityKeyId, parent.SubjectKeyId) {
		return false
	}
	return checkLegacySignature(c, parent) == nil
}

// isSelfSigned reports whether c names itself as its issuer, as roots do.
func isSelfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawIssuer, c.RawSubject)
}

// embeddedIntermediates returns the Apple intermediates embedded in the
// package, the candidates for a chain the caller did not give.
func embeddedIntermediates() []*x509.Certificate {
	return []*x509.Certificate{AppleWWDRG4()}
}

// embeddedIssuer returns the embedded Apple intermediate that issued leaf, as
// a one-element chain, or nil when none did.
func embeddedIssuer(leaf *x509.Certificate) []*x509.Certificate {
	for _, c := range embeddedIntermediates() {
		if issuedBy(leaf, c) {
			return []*x509.Certificate{c}
		}
	}
	return nil
}

// chainFrom picks among certs the chain of leaf: its issuer, that one's
// issuer, and so on, up to (and without) a self-signed root. It returns the
// chain, issuer first, and the certificates that are neither in it nor
// roots of it. When certs hold no issuer of leaf, the chain is the embedded
// Apple intermediate that issued leaf, if any.
func chainFrom(leaf *x509.Certificate, certs []*x509.Certificate) (chain, ignored []*x509.Certificate) {
	used := make([]bool, len(certs))
	cur := leaf
	for len(chain) < maxChainLength {
		next := -1
		for i, c := range certs {
			if !used[i] && issuedBy(cur, c) {
				next = i
				break
			}
		}
		if next < 0 {
			break
		}
		used[next] = true
		if isSelfSigned(certs[next]) {
			break // the root: verifiers hold it
		}
		chain = append(chain, certs[next])
		cur = certs[next]
	}
	for i, c := range certs {
		if !used[i] && !isCopyOfUsed(c, certs, used) {
			ignored = append(ignored, c)
		}
	}
	if len(chain) == 0 {
		chain = embeddedIssuer(leaf)
	}
	return chain, ignored
}

// isCopyOfUsed reports whether c is the same certificate as one of certs
// marked used (a file listing the intermediate twice).
func isCopyOfUsed(c *x509.Certificate, certs []*x509.Certificate, used []bool) bool {
	for i, u := range certs {
		if used[i] && u.Equal(c) {
			return true
		}
	}
	return false
}

// chainCandidates returns the embedded certificates the chain walk of Read
// may use besides those a signature carries, whatever the roots: Apple WWDR
// G4 (for passes carrying a wrong or no intermediate) and Apple Root CA (the
// issuer of SHA-1 intermediates such as WWDR G1, which crypto/x509 cannot
// check). They add candidates, never trust: the chain must still end at one
// of the roots.
func chainCandidates() []*x509.Certificate {
	return []*x509.Certificate{AppleWWDRG4(), AppleRootCA()}
}

// verifyChain checks the chain of signer at at against roots. The
// intermediates may come from carried (the certificates of the signature)
// and from extra (the embedded candidates, see chainCandidates), whatever
// the roots. A chain that crypto/x509 refuses because a link is signed with
// SHA-1 is walked by hand (verifyLegacyChain) over the same candidates.
func verifyChain(signer *x509.Certificate, carried []*x509.Certificate, roots *x509.CertPool, at time.Time, extra []*x509.Certificate) ([]*x509.Certificate, error) {
	inter := x509.NewCertPool()
	var candidates []*x509.Certificate
	for _, set := range [][]*x509.Certificate{carried, extra} {
		for _, c := range set {
			if c != signer {
				inter.AddCert(tolerateAppleExtensions(c))
				candidates = append(candidates, c)
			}
		}
	}
	chains, err := tolerateAppleExtensions(signer).Verify(x509.VerifyOptions{
		Roots:         roots,
		Intermediates: inter,
		CurrentTime:   at,
		KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
	})
	if err == nil {
		return chains[0], nil
	}
	// crypto/x509 refuses SHA-1 signatures, which old passes (WWDR G1)
	// carry: walk such chains by hand.
	legacy := false
	for _, c := range carried {
		legacy = legacy || isSHA1Signed(c)
	}
	if !legacy {
		return nil, err
	}
	return verifyLegacyChain(signer, candidates, roots, at)
}

// ExpiredSinceSigning returns one line for each certificate of the verified
// chain (p.Chain) that had not expired at the signature's signing time but
// has by now: Wallet judges the chain at the signing time, so the pass still
// installs, while a pass signed with the certificate today would not. It
// returns nil when the chain did not verify or has no signing time.
func (p *Package) ExpiredSinceSigning(now time.Time) []string {
	if p == nil || p.Signature == nil || p.Signature.SigningTime.IsZero() {
		return nil
	}
	var out []string
	for _, c := range p.Chain {
		if now.After(c.NotAfter) && !p.Signature.SigningTime.After(c.NotAfter) {
			out = append(out, fmt.Sprintf("certificate %q expired on %s; passes signed before then still install",
				c.Subject.CommonName, c.NotAfter.UTC().Format(time.RFC3339)))
		}
	}
	return out
}
