package sign

import (
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// FuzzLoadPEM checks that LoadPEM never panics, keeps passwords out of its errors, and that a loaded identity's
// chain is made of issuers only: each certificate issued the one before it.
func FuzzLoadPEM(f *testing.F) {
	// The committed golden key: no RSA key generation in the fuzz workers.
	id, root := goldenIdentity(f)
	leaf, inter := id.Certificate, id.Chain[0]
	key := keyPEM(f, id.Signer)
	other := &x509.Certificate{SerialNumber: big.NewInt(9), Subject: pkix.Name{CommonName: "Unrelated"}, NotBefore: time.Now().AddDate(-1, 0, 0),
		NotAfter: time.Now().AddDate(1, 0, 0), IsCA: true, BasicConstraintsValid: true}
	unrelated, err := createCert(other, other, id.Signer.Public(), id.Signer)
	require.NoError(f, err)
	f.Add(certPEM(leaf, inter, root), key, "")
	f.Add(certPEM(unrelated, leaf, inter), key, "")
	f.Add(leaf.Raw, key, "")
	f.Add(append(certPEM(leaf), key...), []byte(nil), "pw")
	f.Add([]byte("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), []byte("-----BEGIN ENCRYPTED PRIVATE KEY-----\nMAA=\n-----END ENCRYPTED PRIVATE KEY-----\n"), "secret-pw")
	f.Fuzz(func(t *testing.T, certData, keyData []byte, password string) {
		if keyData == nil {
			keyData = certData
		}
		id, err := LoadPEM(certData, keyData, []byte(password))
		if err != nil {
			assert.True(t, strings.HasPrefix(err.Error(), "sign: "), err.Error())
			if len(password) > 3 {
				assert.NotContains(t, err.Error(), password)
			}
			return
		}
		require.NotNil(t, id.Certificate)
		prev := id.Certificate
		for _, c := range id.Chain {
			require.True(t, issuedBy(prev, c), "chain certificate %q did not issue %q", c.Subject.CommonName, prev.Subject.CommonName)
			prev = c
		}
	})
}

// FuzzBERToDER checks that the converter's output, when it gives one, is a single DER element that converts to
// itself.
func FuzzBERToDER(f *testing.F) {
	id, _ := goldenIdentity(f)
	sig, err := Signature([]byte("{}"), id, 0, time.Now())
	require.NoError(f, err)
	f.Add(sig)
	f.Add([]byte{0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00})
	f.Add([]byte{0x30, 0x09, 0xa0, 0x80, 0x04, 0x01, 0xaa, 0x00, 0x00, 0x05, 0x00})
	f.Add([]byte{0x04, 0x81, 0x01, 0xff})
	f.Fuzz(func(t *testing.T, data []byte) {
		der, err := berToDER(data)
		if err != nil {
			return
		}
		s := cryptobyte.String(der)
		var el cryptobyte.String
		var tag cbasn1.Tag
		require.True(t, s.ReadAnyASN1Element(&el, &tag) && s.Empty(), "output is not one DER element: % x", der)
		again, err := berToDER(der)
		require.NoError(t, err)
		require.Equal(t, der, again)
	})
}
