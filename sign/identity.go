package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
	"software.sslmate.com/src/go-pkcs12"
)

// oidUID is the userID attribute (0.9.2342.19200300.100.1.1) that carries the
// pass type identifier in a Pass Type ID certificate subject.
var oidUID = asn1.ObjectIdentifier{0, 9, 2342, 19200300, 100, 1, 1}

// maxIdentityInput bounds .p12, PEM and DER inputs.
const maxIdentityInput = 1 << 20

// ExpiryWindow is how long before expiry Identity.Check starts warning.
const ExpiryWindow = 30 * 24 * time.Hour

// Identity is a Pass Type ID certificate, the key that signs with it and the
// intermediate certificates included in every signature.
//
// Build one with NewIdentity from any crypto.Signer (for keys kept in an HSM or
// KMS), or load one with LoadP12, LoadPEM or LoadDER. An Identity is safe for
// concurrent use when its Signer is.
type Identity struct {
	// Certificate is the Pass Type ID certificate. Its subject UID is the
	// passTypeIdentifier and its OU the teamIdentifier.
	Certificate *x509.Certificate
	// Signer holds the certificate's private key.
	Signer crypto.Signer
	// Chain holds the intermediates included in signatures, issuer first.
	// When no chain is given, NewIdentity sets it to the embedded Apple
	// intermediate (WWDR G4) if that intermediate issued Certificate, and
	// leaves it empty otherwise.
	Chain []*x509.Certificate
	// Ignored lists the certificates LoadP12 or LoadPEM found beside the
	// signer's chain (unrelated certificates, intermediates that did not
	// issue it): they are left out of signatures. IgnoredWarning describes
	// them in one line. A self-signed root is left out without being listed:
	// verifiers hold their roots.
	Ignored []*x509.Certificate
}

// IgnoredWarning returns one line saying how many certificates of the loaded
// file are not part of the signer's chain and were left out, or "" when
// there are none.
func (id *Identity) IgnoredWarning() string {
	if id == nil || len(id.Ignored) == 0 {
		return ""
	}
	what := fmt.Sprintf("%d certificates of the file that are", len(id.Ignored))
	if len(id.Ignored) == 1 {
		what = "1 certificate of the file that is"
	}
	return fmt.Sprintf("sign: left out %s not part of the signer's chain (first: %q)", what, id.Ignored[0].Subject.CommonName)
}

// ChainWarning returns one line when the identity has no intermediate to
// include in signatures (the embedded Apple WWDR G4 did not issue its
// certificate and none of its issuers was given): Wallet rejects passes
// whose signature lacks the issuer of the signer. It returns "" otherwise.
func (id *Identity) ChainWarning() string {
	if id == nil || id.Certificate == nil || len(id.Chain) > 0 {
		return ""
	}
	return fmt.Sprintf("sign: no intermediate certificate to include: Apple WWDR G4 did not issue %q and the file holds none of its issuers; "+
		"Wallet needs the issuer in the signature", id.Certificate.Subject.CommonName)
}

// NewIdentity checks that signer's public key matches cert and that cert is a
// Pass Type ID certificate, and returns the identity. chain lists the
// intermediate certificates to include in signatures; if empty, the embedded
// Apple WWDR G4 certificate is used when it issued cert (same issuer name and
// key identifier, and its signature checks), and none otherwise. Validity
// dates are checked at signing time, not here, so that expired identities can
// still be inspected.
func NewIdentity(signer crypto.Signer, cert *x509.Certificate, chain ...*x509.Certificate) (*Identity, error) {
	if cert == nil {
		return nil, ErrNoCertificate
	}
	if signer == nil {
		return nil, ErrNoPrivateKey
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, ok := signer.Public().(equaler)
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, fmt.Errorf("%w (certificate %q)", ErrKeyMismatch, cert.Subject.CommonName)
	}
	if passTypeID(cert) == "" || teamID(cert) == "" {
		return nil, fmt.Errorf("%w: subject %q has no UID (pass type identifier) or OU (team identifier)", ErrNotPassTypeID, cert.Subject.String())
	}
	if len(chain) == 0 {
		chain = embeddedIssuer(cert)
	}
	return &Identity{Certificate: cert, Signer: signer, Chain: chain}, nil
}

// PassTypeIdentifier returns the certificate's UID, the passTypeIdentifier
// every pass signed with it must carry.
func (id *Identity) PassTypeIdentifier() string {
	if id == nil {
		return ""
	}
	return passTypeID(id.Certificate)
}

// TeamIdentifier returns the certificate's OU, the teamIdentifier every pass
// signed with it must carry.
func (id *Identity) TeamIdentifier() string {
	if id == nil {
		return ""
	}
	return teamID(id.Certificate)
}

// NotAfter returns the end of the certificate's validity, or the zero time
// when there is no certificate.
func (id *Identity) NotAfter() time.Time {
	if id == nil || id.Certificate == nil {
		return time.Time{}
	}
	return id.Certificate.NotAfter
}

// ExpiryNotice reports a certificate that is expired, not yet valid, or
// expires within ExpiryWindow.
type ExpiryNotice struct {
	// Subject is the certificate's subject common name.
	Subject string
	// NotAfter is the end of the certificate's validity.
	NotAfter time.Time
	// Err is a *ValidityError when the certificate is unusable at the time
	// checked, nil when it merely expires soon.
	Err error
}

// String describes the notice in one line.
func (n ExpiryNotice) String() string {
	if n.Err != nil {
		return n.Err.Error()
	}
	return fmt.Sprintf("sign: certificate %q expires on %s", n.Subject, n.NotAfter.UTC().Format(time.RFC3339))
}

// Check reports the signer certificate and each chain certificate (such as
// the embedded WWDR) that is unusable at now or expires within ExpiryWindow.
// It returns nil when all is well.
func (id *Identity) Check(now time.Time) []ExpiryNotice {
	if id == nil {
		return nil
	}
	var out []ExpiryNotice
	for _, c := range append([]*x509.Certificate{id.Certificate}, id.Chain...) {
		if c == nil {
			continue // an Identity built by hand without its certificate: signing says so
		}
		if err := checkValidity(c, now); err != nil {
			out = append(out, ExpiryNotice{Subject: c.Subject.CommonName, NotAfter: c.NotAfter, Err: err})
		} else if c.NotAfter.Sub(now) < ExpiryWindow {
			out = append(out, ExpiryNotice{Subject: c.Subject.CommonName, NotAfter: c.NotAfter})
		}
	}
	return out
}

func checkValidity(c *x509.Certificate, at time.Time) error {
	var err error
	switch {
	case at.After(c.NotAfter):
		err = ErrExpired
	case at.Before(c.NotBefore):
		err = ErrNotYetValid
	default:
		return nil
	}
	return &ValidityError{Subject: c.Subject.CommonName, NotBefore: c.NotBefore, NotAfter: c.NotAfter, At: at, err: err}
}

func passTypeID(c *x509.Certificate) string {
	if c == nil {
		return ""
	}
	for _, n := range c.Subject.Names {
		if n.Type.Equal(oidUID) {
			if s, ok := n.Value.(string); ok {
				return s
			}
		}
	}
	return ""
}

func teamID(c *x509.Certificate) string {
	if c == nil || len(c.Subject.OrganizationalUnit) == 0 {
		return ""
	}
	return c.Subject.OrganizationalUnit[0]
}

// LoadP12 loads an identity from a PKCS#12 (.p12, .pfx) file: the legacy
// RC2/3DES files that macOS Keychain exports as well as the AES/PBES2 files
// OpenSSL 3 writes. The file may hold several certificates: the one matching
// the private key is the signer, the intermediates that issued it (and their
// issuers, up to a root) become the chain, and the others are left out and
// listed in Ignored. When the file holds no issuer of the signer, the
// embedded Apple WWDR G4 is the chain if it issued the certificate. Errors
// wrap ErrNotP12, ErrWrongPassword, ErrNoPrivateKey, ErrNoCertificate,
// ErrKeyMismatch or ErrNotPassTypeID where they apply.
func LoadP12(data []byte, password string) (*Identity, error) {
	if len(data) > maxIdentityInput {
		return nil, fmt.Errorf("sign: .p12 larger than %d bytes", maxIdentityInput)
	}
	key, leaf, cas, err := decodeP12(data, password)
	if err != nil {
		return nil, err
	}
	signer, ok := key.(crypto.Signer)
	if !ok {
		return nil, fmt.Errorf("sign: .p12 private key of type %T cannot sign", key)
	}
	certs := append([]*x509.Certificate{leaf}, cas...)
	return identityFromParts(signer, certs)
}

func decodeP12(data []byte, password string) (key any, leaf *x509.Certificate, cas []*x509.Certificate, err error) {
	defer func() {
		// The decoder works on untrusted input; turn an unexpected panic into
		// an error instead of crashing the caller.
		if r := recover(); r != nil {
			err = errors.New("sign: .p12 is corrupt")
		}
	}()
	if err := checkPFX(data); err != nil {
		return nil, nil, nil, err
	}
	if err := checkP12Work(data); err != nil {
		return nil, nil, nil, err
	}
	key, leaf, cas, err = pkcs12.DecodeChain(data, password)
	switch {
	case err == nil:
		return key, leaf, cas, nil
	case errors.Is(err, pkcs12.ErrIncorrectPassword), errors.Is(err, pkcs12.ErrDecryption):
		return nil, nil, nil, ErrWrongPassword
	case strings.Contains(err.Error(), "private key missing"):
		return nil, nil, nil, fmt.Errorf("%w in .p12", ErrNoPrivateKey)
	case strings.Contains(err.Error(), "certificate missing"):
		return nil, nil, nil, fmt.Errorf("%w in .p12", ErrNoCertificate)
	}
	if strings.Contains(err.Error(), "asn1:") {
		// A Go struct dump of the failing field says nothing to the user.
		return nil, nil, nil, errors.New("sign: the .p12 file is damaged: its contents do not parse")
	}
	// go-pkcs12 messages describe the structure only, never the password.
	return nil, nil, nil, fmt.Errorf("sign: cannot read the .p12 file: %w", err)
}

// checkPFX checks that data begins like a PKCS#12 PFX (RFC 7292): a DER
// SEQUENCE holding version 3 and a ContentInfo, and nothing after it. It
// tells a file that is no .p12 at all from a damaged one.
func checkPFX(data []byte) error {
	s := cryptobyte.String(data)
	var pfx, authSafe cryptobyte.String
	var version int
	var oid asn1.ObjectIdentifier
	if s.ReadASN1(&pfx, cbasn1.SEQUENCE) && s.Empty() && pfx.ReadASN1Integer(&version) && version == 3 &&
		pfx.ReadASN1(&authSafe, cbasn1.SEQUENCE) && authSafe.ReadASN1ObjectIdentifier(&oid) {
		return nil
	}
	if len(data) > 1 && data[0] == 0x30 && data[1] == 0x80 {
		if der, err := berToDER(data); err == nil && checkPFX(der) == nil {
			return errors.New("sign: the .p12 file uses indefinite lengths (BER), which passforge cannot read; " +
				"export it again, or convert it with openssl pkcs12 -export (it writes DER)")
		}
	}
	if strings.HasPrefix(strings.TrimSpace(string(data[:min(len(data), 64)])), "-----BEGIN") {
		return fmt.Errorf("%w (this file holds PEM text)", ErrNotP12)
	}
	if _, err := x509.ParseCertificate(data); err == nil {
		return fmt.Errorf("%w (this file is a certificate without its private key)", ErrNotP12)
	}
	return ErrNotP12
}

// identityFromParts picks the certificate matching signer as the leaf and
// keeps, of the others, those forming its chain; the rest go to Ignored.
func identityFromParts(signer crypto.Signer, certs []*x509.Certificate) (*Identity, error) {
	if len(certs) == 0 {
		return nil, ErrNoCertificate
	}
	type equaler interface{ Equal(crypto.PublicKey) bool }
	pub, _ := signer.Public().(equaler)
	leafIdx := -1
	for i, c := range certs {
		if pub != nil && pub.Equal(c.PublicKey) {
			leafIdx = i
			break
		}
	}
	if leafIdx < 0 {
		return nil, fmt.Errorf("%w (certificate %q)", ErrKeyMismatch, certs[0].Subject.CommonName)
	}
	others := make([]*x509.Certificate, 0, len(certs)-1)
	others = append(append(others, certs[:leafIdx]...), certs[leafIdx+1:]...)
	chain, ignored := chainFrom(certs[leafIdx], others)
	id, err := NewIdentity(signer, certs[leafIdx], chain...)
	if err != nil {
		return nil, err
	}
	id.Ignored = ignored
	return id, nil
}

// LoadPEM loads an identity from PEM data: certPEM holds the Pass Type ID
// certificate (PEM, or the DER .cer file Apple's developer site downloads)
// and optionally its intermediates, kept as in LoadP12 (only
// those forming the signer's chain; the embedded Apple WWDR G4 when it issued
// the certificate and certPEM holds no issuer); keyPEM holds the private key as PKCS#1 ("RSA PRIVATE
// KEY"), SEC 1 ("EC PRIVATE KEY") or PKCS#8 ("PRIVATE KEY"), or encrypted with
// password: PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2 with PBKDF2 and AES or
// 3DES) or a legacy "Proc-Type: 4,ENCRYPTED" block. certPEM and keyPEM may be
// the same bytes.
func LoadPEM(certPEM, keyPEM []byte, password []byte) (*Identity, error) {
	if len(certPEM) > maxIdentityInput || len(keyPEM) > maxIdentityInput {
		return nil, fmt.Errorf("sign: PEM input larger than %d bytes", maxIdentityInput)
	}
	certs, err := parsePEMCertificates(certPEM)
	if err != nil {
		return nil, err
	}
	var key crypto.Signer
	for rest := keyPEM; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if !strings.Contains(block.Type, "PRIVATE KEY") {
			continue
		}
		der, encrypted := block.Bytes, false
		switch {
		case block.Type == "ENCRYPTED PRIVATE KEY":
			if der, err = decryptPKCS8(block.Bytes, password); err != nil {
				return nil, err
			}
			encrypted = true
		//lint:ignore SA1019 reading legacy "Proc-Type: 4,ENCRYPTED" keys that users still have; never written
		case x509.IsEncryptedPEMBlock(block):
			//lint:ignore SA1019 see above
			if der, err = x509.DecryptPEMBlock(block, password); err != nil {
				return nil, ErrWrongPassword
			}
			encrypted = true
		}
		if key, err = parsePrivateKey(der); err != nil {
			if encrypted {
				// CBC padding alone catches a wrong password only about
				// 255 times in 256; the rest decrypt to garbage that is
				// no key.
				return nil, ErrWrongPassword
			}
			return nil, fmt.Errorf("sign: PEM block %q: %w", block.Type, err)
		}
		break
	}
	if key == nil {
		return nil, fmt.Errorf("%w in PEM input", ErrNoPrivateKey)
	}
	return identityFromParts(key, certs)
}

// LoadDER loads an identity from a DER certificate and a DER private key
// (PKCS#1, SEC 1 or PKCS#8). The chain is the embedded Apple WWDR G4 when it
// issued the certificate, none otherwise (see NewIdentity).
func LoadDER(certDER, keyDER []byte) (*Identity, error) {
	cert, err := x509.ParseCertificate(certDER)
	if err != nil {
		return nil, fmt.Errorf("sign: DER certificate: %w", err)
	}
	key, err := parsePrivateKey(keyDER)
	if err != nil {
		return nil, fmt.Errorf("sign: DER private key: %w", err)
	}
	return NewIdentity(key, cert)
}

// ParseCertificatesPEM returns every certificate in PEM data, in order. Data
// without PEM blocks is read as DER certificates (such as a .cer file).
func ParseCertificatesPEM(data []byte) ([]*x509.Certificate, error) {
	return parsePEMCertificates(data)
}

func parsePEMCertificates(data []byte) ([]*x509.Certificate, error) {
	var certs []*x509.Certificate
	for rest := data; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("sign: PEM certificate %d: %w", len(certs)+1, err)
		}
		certs = append(certs, c)
	}
	if len(certs) == 0 {
		// The .cer Apple's developer site downloads is DER: take it as it is.
		if der, err := x509.ParseCertificates(data); err == nil && len(der) > 0 {
			return der, nil
		}
		return nil, fmt.Errorf("%w in PEM input", ErrNoCertificate)
	}
	return certs, nil
}

func parsePrivateKey(der []byte) (crypto.Signer, error) {
	if k, err := x509.ParsePKCS1PrivateKey(der); err == nil {
		return k, nil
	}
	if k, err := x509.ParseECPrivateKey(der); err == nil {
		return k, nil
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, errors.New("not a PKCS#1, SEC 1 or PKCS#8 private key")
	}
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return k, nil
	case *ecdsa.PrivateKey:
		return k, nil
	case ed25519.PrivateKey:
		return nil, errors.New("Ed25519 keys cannot sign passes")
	}
	return nil, fmt.Errorf("unsupported private key type %T", k)
}
