package main

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

// TestSignWithAFileThatIsNotP12 checks the whole message of a --p12 file that is not PKCS#12: what the file is
// not and what to do, each layer once, no Go struct dump.
func TestSignWithAFileThatIsNotP12(t *testing.T) {
	dir := t.TempDir()
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	bad := filepath.Join(dir, "bad.p12")
	require.NoError(t, os.WriteFile(bad, []byte("this is not a certificate\n"), 0o600))
	t.Setenv(envP12Password, "pw")
	out := filepath.Join(dir, "x.pkpass")
	code, stdout, stderr := runCLI(t, "sign", "--p12", bad, "-o", out, folder)
	assert.Equal(t, exitProblems, code)
	assert.Empty(t, stdout)
	assert.Equal(t, "passforge sign: --p12 "+bad+": sign: not a PKCS#12 file; export the certificate with its key from Keychain Access\n", stderr)
	assert.NoFileExists(t, out)
}

// TestSignWithP12CarryingUnrelatedCertificates checks that the certificates of a .p12 that are not the signer's
// chain are left out of the signature with one warning line, not one per certificate.
func TestSignWithP12CarryingUnrelatedCertificates(t *testing.T) {
	pki := cliPKIOnce()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	certs := []*x509.Certificate{pki.inter}
	for i := range 30 {
		// Expired or expiring: each used to print its own warning.
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(100 + i)), Subject: pkix.Name{CommonName: fmt.Sprintf("Other CA %d", i)},
			NotBefore: time.Now().AddDate(-2, 0, 0), NotAfter: time.Now().AddDate(0, 0, i-15), IsCA: true, BasicConstraintsValid: true}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		certs = append(certs, c)
	}
	p12, err := pkcs12.Modern.Encode(pki.leafKey, pki.leaf, certs, "pw")
	require.NoError(t, err)
	dir := t.TempDir()
	id := filepath.Join(dir, "id.p12")
	root := filepath.Join(dir, "root.pem")
	require.NoError(t, os.WriteFile(id, p12, 0o600))
	require.NoError(t, os.WriteFile(root, pemCerts(pki.root), 0o600))
	t.Setenv(envP12Password, "pw")
	out := filepath.Join(dir, "x.pkpass")
	code, _, stderr := runCLI(t, "sign", "--p12", id, "-o", out, passFolder(t, cliPassTypeID, cliTeamID))
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, 1, strings.Count(stderr, "warning:"), stderr)
	assert.Contains(t, stderr, `warning: sign: left out 30 certificates of the file that are not part of the signer's chain (first: "Other CA 0")`)
	code, stdout, _ := runCLI(t, "verify", "--roots", root, out)
	assert.Equal(t, exitOK, code, stdout)
	fi, err := os.Stat(out)
	require.NoError(t, err)
	assert.Less(t, fi.Size(), int64(12000), "30 certificates are not embedded")
}

// TestSignWarnsWithoutIntermediate checks that signing with a certificate whose issuer is neither embedded nor
// given says so once: the signature would carry no intermediate, which Wallet refuses.
func TestSignWarnsWithoutIntermediate(t *testing.T) {
	pki := cliPKIOnce()
	dir := t.TempDir()
	keyDER, err := x509.MarshalPKCS8PrivateKey(pki.leafKey)
	require.NoError(t, err)
	files := map[string][]byte{"cert.pem": pemCerts(pki.leaf), "key.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		"wwdr.pem": pemCerts(pki.inter)}
	for n, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), b, 0o600))
	}
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	p := func(n string) string { return filepath.Join(dir, n) }
	code, _, stderr := runCLI(t, "sign", "--cert", p("cert.pem"), "--key", p("key.pem"), "-o", p("a.pkpass"), folder)
	require.Equal(t, exitOK, code, stderr)
	assert.Equal(t, 1, strings.Count(stderr, "warning: sign: no intermediate certificate to include"), stderr)
	code, _, stderr = runCLI(t, "sign", "--cert", p("cert.pem"), "--key", p("key.pem"), "--wwdr", p("wwdr.pem"), "-o", p("b.pkpass"), folder)
	require.Equal(t, exitOK, code, stderr)
	assert.NotContains(t, stderr, "no intermediate")
}
