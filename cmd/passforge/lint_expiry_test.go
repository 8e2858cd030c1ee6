package main

import (
	"archive/zip"
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLintCertificateExpiredAfterSigning checks that lint judges the chain at the signing time, as Wallet does:
// a certificate that expired after the pass was signed is a warning, a signing time outside the certificate's
// validity an error.
func TestLintCertificateExpiredAfterSigning(t *testing.T) {
	now := time.Now().UTC().Truncate(time.Second)
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	mk := func(tmpl, parent *x509.Certificate) *x509.Certificate {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, key)
		require.NoError(t, err)
		c, err := x509.ParseCertificate(der)
		require.NoError(t, err)
		return c
	}
	rootT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "Expiry Root"}, NotBefore: now.AddDate(-5, 0, 0),
		NotAfter: now.AddDate(5, 0, 0), IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	root := mk(rootT, rootT)
	notAfter := now.AddDate(-1, 0, 0)
	leaf := mk(sign.PassCertificateTemplate(cliPassTypeID, cliTeamID, "Expiry Inc.", now.AddDate(-2, 0, 0), notAfter), root)
	id, err := sign.NewIdentity(key, leaf)
	require.NoError(t, err)

	p, assets, err := pass.Load(os.DirFS(passFolder(t, cliPassTypeID, cliTeamID)))
	require.NoError(t, err)
	var signed bytes.Buffer
	require.NoError(t, sign.Write(&signed, p, assets, id, &sign.Options{Now: func() time.Time { return now.AddDate(-1, -6, 0) }}))

	dir := t.TempDir()
	rootsFile := filepath.Join(dir, "roots.pem")
	require.NoError(t, os.WriteFile(rootsFile, pemCerts(root), 0o600))
	before := filepath.Join(dir, "before.pkpass")
	require.NoError(t, os.WriteFile(before, signed.Bytes(), 0o600))
	after := filepath.Join(dir, "after.pkpass")
	require.NoError(t, os.WriteFile(after, resignAt(t, signed.Bytes(), id, notAfter.Add(24*time.Hour)), 0o600))

	t.Run("expired after signing is a warning", func(t *testing.T) {
		code, out, stderr := runCommand(t, "lint", "--roots", rootsFile, before)
		assert.Equal(t, exitOK, code, out+stderr)
		assert.Contains(t, out, `warning (pass): certificate "Pass Type ID: `+cliPassTypeID+`" expired on `+notAfter.Format(time.RFC3339)+
			"; passes signed before then still install [pkpass]\n")
		assert.Contains(t, out, "1 warning; Wallet accepts the pass\n")
		assert.NotContains(t, out, "error")
	})
	t.Run("signed after expiry is an error", func(t *testing.T) {
		code, out, _ := runCommand(t, "lint", "--roots", rootsFile, after)
		assert.Equal(t, exitProblems, code, out)
		assert.Contains(t, out, "error   (pass): sign: untrusted certificate chain: sign: certificate expired")
		assert.Contains(t, out, "Wallet rejects the pass")
	})
}

// resignAt returns the .pkpass data with its signature replaced by one made at signingTime, which the writer
// refuses when the certificate is not valid then.
func resignAt(t *testing.T, data []byte, id *sign.Identity, signingTime time.Time) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	require.NoError(t, err)
	files := map[string][]byte{}
	var names []string
	for _, f := range zr.File {
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		require.NoError(t, err)
		files[f.Name] = b
		names = append(names, f.Name)
	}
	s, err := sign.NewSigner(id, nil)
	require.NoError(t, err)
	files[sign.SignatureName], err = s.Sign(files[sign.ManifestName], signingTime)
	require.NoError(t, err)
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, n := range names {
		w, err := zw.Create(n)
		require.NoError(t, err)
		_, err = w.Write(files[n])
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return out.Bytes()
}
