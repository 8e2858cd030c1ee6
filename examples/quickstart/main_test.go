package main

import (
	"archive/zip"
	"bytes"
	"crypto/rsa"
	"crypto/x509"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

func noEnv(string) string { return "" }

func TestQuickstartDevelopmentIdentity(t *testing.T) {
	dir := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run([]string{"-out", dir}, noEnv, &stdout, &stderr)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, stdout.String(), "verified:  manifest, signature, chain and identifiers OK")
	assert.Contains(t, stdout.String(), "Wallet does not accept")

	pkpass := filepath.Join(dir, "demo.pkpass")
	ca := filepath.Join(dir, "demo-ca.pem")
	data, err := os.ReadFile(pkpass)
	require.NoError(t, err)
	caPEM, err := os.ReadFile(ca)
	require.NoError(t, err)

	// The library verifies it against the saved CA...
	certs, err := sign.ParseCertificatesPEM(caPEM)
	require.NoError(t, err)
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: poolOf(certs)})
	require.NoError(t, err)
	assert.Equal(t, "QS-0001", pkg.Pass.SerialNumber)
	assert.Contains(t, pkg.Files, "fr.lproj/pass.strings")

	// ...and so does openssl, over the exact manifest bytes.
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	for _, f := range zr.File {
		if f.Name == "manifest.json" || f.Name == "signature" {
			rc, err := f.Open()
			require.NoError(t, err)
			b, err := io.ReadAll(rc)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, f.Name), b, 0o600))
		}
	}
	openssl, err := exec.LookPath("openssl")
	require.NoError(t, err, "openssl is needed to check interoperability")
	out, err := exec.Command(openssl, "cms", "-verify", "-binary", "-inform", "DER", "-in", filepath.Join(dir, "signature"),
		"-content", filepath.Join(dir, "manifest.json"), "-CAfile", ca, "-out", os.DevNull).CombinedOutput()
	require.NoError(t, err, string(out))
	assert.Contains(t, string(out), "Verification successful")
}

func TestQuickstartP12(t *testing.T) {
	dir := t.TempDir()
	dev, err := sign.NewDevelopmentIdentity("pass.com.example.fromp12", "P12TEAM001")
	require.NoError(t, err)
	p12, err := pkcs12.Modern.Encode(dev.Signer.(*rsa.PrivateKey), dev.Certificate, dev.Chain, "qs-secret")
	require.NoError(t, err)
	p12File := filepath.Join(dir, "id.p12")
	require.NoError(t, os.WriteFile(p12File, p12, 0o600))
	env := map[string]string{"PASSFORGE_P12": p12File, "PASSFORGE_P12_PASSWORD": "qs-secret"}

	var stdout, stderr bytes.Buffer
	code := run([]string{"-out", dir}, func(k string) string { return env[k] }, &stdout, &stderr)
	// The pass is signed with the .p12's identity; since that identity does
	// not chain to Apple Root CA, the read-back verification reports it.
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "untrusted certificate chain")
	assert.NotContains(t, stderr.String(), "qs-secret")
	data, err := os.ReadFile(filepath.Join(dir, "demo.pkpass"))
	require.NoError(t, err)
	pkg, err := sign.ReadBytes(data, &sign.VerifyOptions{Roots: poolOf([]*x509.Certificate{dev.CA})})
	require.NoError(t, err)
	assert.Equal(t, "pass.com.example.fromp12", pkg.Pass.PassTypeIdentifier)
	assert.NoFileExists(t, filepath.Join(dir, "demo-ca.pem"))

	env["PASSFORGE_P12_PASSWORD"] = "wrong"
	stderr.Reset()
	code = run([]string{"-out", dir}, func(k string) string { return env[k] }, &stdout, &stderr)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr.String(), "wrong password")
}

func poolOf(certs []*x509.Certificate) *x509.CertPool {
	p := x509.NewCertPool()
	for _, c := range certs {
		p.AddCert(c)
	}
	return p
}
