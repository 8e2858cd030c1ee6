package sign

import (
	"crypto/x509"
	_ "embed"
	"encoding/pem"
	"fmt"
	"sync"
)

// The Apple certificates below are public: Apple publishes them at
// https://www.apple.com/certificateauthority/ for everyone to embed.

//go:embed AppleWWDRCAG4.pem
var appleWWDRG4PEM []byte

//go:embed AppleRootCA.pem
var appleRootCAPEM []byte

var appleCerts = sync.OnceValues(func() ([2]*x509.Certificate, error) {
	var out [2]*x509.Certificate
	for i, b := range [][]byte{appleWWDRG4PEM, appleRootCAPEM} {
		block, _ := pem.Decode(b)
		if block == nil {
			return out, fmt.Errorf("sign: embedded Apple certificate %d is not PEM", i)
		}
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return out, fmt.Errorf("sign: embedded Apple certificate %d: %w", i, err)
		}
		out[i] = c
	}
	return out, nil
})

func mustAppleCert(i int) *x509.Certificate {
	certs, err := appleCerts()
	if err != nil {
		// The PEM files are embedded at build time and checked by tests;
		// failing here means the binary itself is corrupt.
		panic(err)
	}
	return certs[i]
}

// AppleWWDRG4 returns the embedded Apple Worldwide Developer Relations
// Certification Authority G4 certificate, the intermediate that issues Pass
// Type ID certificates since 2022 (valid until 2030-12-10). The result is
// shared: callers must not modify it.
func AppleWWDRG4() *x509.Certificate { return mustAppleCert(0) }

// AppleRootCA returns the embedded Apple Root CA certificate (valid until
// 2035-02-09), the trust anchor of every Pass Type ID certificate. The result
// is shared: callers must not modify it.
func AppleRootCA() *x509.Certificate { return mustAppleCert(1) }

// AppleRoots returns a new pool holding only Apple Root CA, the default trust
// anchor of Verify.
func AppleRoots() *x509.CertPool {
	p := x509.NewCertPool()
	p.AddCert(AppleRootCA())
	return p
}
