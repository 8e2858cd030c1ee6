package sign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"time"
)

// DevelopmentIdentity is a throwaway certificate authority and Pass Type ID
// certificate generated in memory, for tests, examples and local trials.
//
// Wallet does NOT accept passes signed with it: only Apple's WWDR issues
// certificates that Wallet trusts. Verify such passes with Roots set to a pool
// holding CA (for example `passforge verify --roots demo-ca.pem`).
type DevelopmentIdentity struct {
	// Identity signs passes; its chain is the development intermediate.
	*Identity
	// CA is the development root certificate, the trust anchor to verify with.
	CA *x509.Certificate
}

// NewDevelopmentIdentity generates a development root CA, an intermediate
// shaped like Apple WWDR, and an RSA-2048 Pass Type ID certificate whose UID is
// passTypeID and whose OU is teamID, valid from one hour ago for one year.
func NewDevelopmentIdentity(passTypeID, teamID string) (*DevelopmentIdentity, error) {
	if passTypeID == "" || teamID == "" {
		return nil, fmt.Errorf("sign: development identity needs a pass type identifier and a team identifier")
	}
	now := time.Now()
	notBefore, notAfter := now.Add(-time.Hour), now.AddDate(1, 0, 0)

	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sign: development identity: %w", err)
	}
	rootTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "passforge Development Root CA (not trusted by Wallet)", Organization: []string{"passforge development"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter.AddDate(0, 0, 1),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	root, err := createCert(rootTmpl, rootTmpl, &rootKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}

	interKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sign: development identity: %w", err)
	}
	interTmpl := &x509.Certificate{
		SerialNumber:          randomSerial(),
		Subject:               pkix.Name{CommonName: "passforge Development WWDR CA", OrganizationalUnit: []string{"G4"}, Organization: []string{"passforge development"}},
		NotBefore:             notBefore,
		NotAfter:              notAfter.AddDate(0, 0, 1),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
	}
	inter, err := createCert(interTmpl, root, &interKey.PublicKey, rootKey)
	if err != nil {
		return nil, err
	}

	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, fmt.Errorf("sign: development identity: %w", err)
	}
	leaf, err := createCert(PassCertificateTemplate(passTypeID, teamID, "passforge development", notBefore, notAfter), inter, &leafKey.PublicKey, interKey)
	if err != nil {
		return nil, err
	}
	id, err := NewIdentity(leafKey, leaf, inter)
	if err != nil {
		return nil, err
	}
	return &DevelopmentIdentity{Identity: id, CA: root}, nil
}

// CAPEM returns the development root certificate in PEM form, ready to save
// as the --roots file of `passforge verify`.
func (d *DevelopmentIdentity) CAPEM() []byte {
	if d == nil || d.CA == nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: d.CA.Raw})
}

// PassCertificateTemplate returns a certificate template shaped like an Apple
// Pass Type ID certificate: subject UID=passTypeID, CN="Pass Type ID:
// <passTypeID>", OU=teamID, O=organization, with digital-signature key usage.
// Unlike Apple's, it has no extended key usage, so that `openssl cms -verify`
// accepts its signatures without -purpose any. Tests and tools use it to
// issue their own certificates.
func PassCertificateTemplate(passTypeID, teamID, organization string, notBefore, notAfter time.Time) *x509.Certificate {
	return &x509.Certificate{
		SerialNumber: randomSerial(),
		Subject: pkix.Name{
			CommonName:         "Pass Type ID: " + passTypeID,
			OrganizationalUnit: []string{teamID},
			Organization:       []string{organization},
			Country:            []string{"US"},
			ExtraNames:         []pkix.AttributeTypeAndValue{{Type: oidUID, Value: passTypeID}},
		},
		NotBefore: notBefore,
		NotAfter:  notAfter,
		KeyUsage:  x509.KeyUsageDigitalSignature,
	}
}

func createCert(tmpl, parent *x509.Certificate, pub, priv any) (*x509.Certificate, error) {
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, priv)
	if err != nil {
		return nil, fmt.Errorf("sign: development identity: %w", err)
	}
	return x509.ParseCertificate(der)
}

func randomSerial() *big.Int {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	b[0] &= 0x7f
	return new(big.Int).SetBytes(b)
}
