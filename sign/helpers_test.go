package sign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	testPassTypeID = "pass.com.example.test"
	testTeamID     = "ABCDE12345"
)

// testPKI is a root, a WWDR-like intermediate and keys for leaves, generated
// once per test binary.
type testPKI struct {
	root, inter       *x509.Certificate
	rootKey, interKey *ecdsa.PrivateKey
	leafKey           *rsa.PrivateKey
	otherKey          *rsa.PrivateKey
}

var pkiOnce = sync.OnceValue(func() *testPKI {
	p := &testPKI{}
	var err error
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	p.rootKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	p.interKey, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	p.leafKey, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	p.otherKey, err = rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	nb, na := time.Now().AddDate(-5, 0, 0), time.Now().AddDate(5, 0, 0)
	rootT := &x509.Certificate{SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "Test Root CA"},
		NotBefore: nb, NotAfter: na, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	p.root, err = createCert(rootT, rootT, &p.rootKey.PublicKey, p.rootKey)
	must(err)
	interT := &x509.Certificate{SerialNumber: randomSerial(), Subject: pkix.Name{CommonName: "Test WWDR CA", OrganizationalUnit: []string{"G4"}},
		NotBefore: nb, NotAfter: na, IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign, SubjectKeyId: []byte{1, 2, 3, 4}}
	p.inter, err = createCert(interT, p.root, &p.interKey.PublicKey, p.rootKey)
	must(err)
	return p
})

// leaf issues a Pass Type ID certificate for key under the test intermediate.
func (p *testPKI) leaf(t testing.TB, key crypto.Signer, passTypeID, teamID string, nb, na time.Time) *x509.Certificate {
	t.Helper()
	tmpl := PassCertificateTemplate(passTypeID, teamID, "Example Inc.", nb, na)
	tmpl.SubjectKeyId = []byte{9, 8, 7, 6, 5}
	c, err := createCert(tmpl, p.inter, key.Public(), p.interKey)
	require.NoError(t, err)
	return c
}

// identity returns a valid test identity for the default identifiers.
func (p *testPKI) identity(t testing.TB) *Identity {
	t.Helper()
	c := p.leaf(t, p.leafKey, testPassTypeID, testTeamID, time.Now().Add(-time.Hour), time.Now().AddDate(1, 0, 0))
	id, err := NewIdentity(p.leafKey, c, p.inter)
	require.NoError(t, err)
	return id
}

func (p *testPKI) roots() *x509.CertPool {
	pool := x509.NewCertPool()
	pool.AddCert(p.root)
	return pool
}

func certPEM(certs ...*x509.Certificate) []byte {
	var b []byte
	for _, c := range certs {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return b
}

func keyPEM(t testing.TB, key crypto.Signer) []byte {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	require.NoError(t, err)
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// writeFiles writes name→content pairs into dir and returns their paths.
func writeFiles(t testing.TB, dir string, files map[string][]byte) map[string]string {
	t.Helper()
	out := map[string]string{}
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o600))
		out[name] = p
	}
	return out
}

// needOpenSSL returns the openssl path or fails: interop is a requirement.
func needOpenSSL(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("openssl")
	require.NoError(t, err, "the openssl command is required by the interop tests")
	return p
}

func runOpenSSL(t testing.TB, args ...string) []byte {
	t.Helper()
	cmd := exec.Command(needOpenSSL(t), args...)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "openssl %v: %s", args, out)
	return out
}
