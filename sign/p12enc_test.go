package sign

import (
	"crypto/x509"

	"software.sslmate.com/src/go-pkcs12"
)

// encodeTestP12 encodes a modern .p12 in Go.
func encodeTestP12(p *testPKI, leaf *x509.Certificate, password string) ([]byte, error) {
	return pkcs12.Modern.Encode(p.leafKey, leaf, []*x509.Certificate{p.inter}, password)
}
