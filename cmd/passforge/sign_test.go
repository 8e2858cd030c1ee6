package main

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"image"
	"image/color"
	"image/png"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/passforge/passforge/pass"
	"github.com/passforge/passforge/sign"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"software.sslmate.com/src/go-pkcs12"
)

const (
	cliPassTypeID = "pass.com.example.cli"
	cliTeamID     = "CLITEAM123"
)

// cliPKI is a test root, intermediate and Pass Type ID certificate.
type cliPKI struct {
	root, inter, leaf *x509.Certificate
	leafKey           *rsa.PrivateKey
}

var cliPKIOnce = sync.OnceValue(func() *cliPKI {
	must := func(err error) {
		if err != nil {
			panic(err)
		}
	}
	rootKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	must(err)
	leafKey, err := rsa.GenerateKey(rand.Reader, 2048)
	must(err)
	nb, na := time.Now().AddDate(-1, 0, 0), time.Now().AddDate(1, 0, 0)
	mk := func(tmpl, parent *x509.Certificate, pub any) *x509.Certificate {
		der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, rootKey)
		must(err)
		c, err := x509.ParseCertificate(der)
		must(err)
		return c
	}
	rootT := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "CLI Root"}, NotBefore: nb, NotAfter: na,
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	root := mk(rootT, rootT, &rootKey.PublicKey)
	interT := &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "CLI WWDR"}, NotBefore: nb, NotAfter: na,
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	inter := mk(interT, root, &rootKey.PublicKey)
	leaf := mk(sign.PassCertificateTemplate(cliPassTypeID, cliTeamID, "CLI Inc.", nb, na), inter, &leafKey.PublicKey)
	return &cliPKI{root: root, inter: inter, leaf: leaf, leafKey: leafKey}
})

func pemCerts(certs ...*x509.Certificate) []byte {
	var b []byte
	for _, c := range certs {
		b = append(b, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	return b
}

func testIcon(t *testing.T) []byte {
	img := image.NewNRGBA(image.Rect(0, 0, 29, 29))
	for i := range img.Pix {
		img.Pix[i] = uint8(i)
	}
	img.Set(0, 0, color.White)
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}

// passFolder writes a small valid store card folder and returns its path.
func passFolder(t *testing.T, passTypeID, teamID string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "card.pass")
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "fr.lproj"), 0o755))
	pj := map[string]any{
		"formatVersion": 1, "passTypeIdentifier": passTypeID, "teamIdentifier": teamID, "serialNumber": "CLI-1",
		"organizationName": "CLI Coffee", "description": "CLI Coffee card",
		"storeCard": map[string]any{"primaryFields": []any{map[string]any{"key": "balance", "label": "Balance", "value": "12 stamps"}}},
	}
	b, err := json.Marshal(pj)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "pass.json"), b, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "icon.png"), testIcon(t), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "fr.lproj", "pass.strings"), []byte("\"Balance\" = \"Solde\";\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".DS_Store"), []byte("junk"), 0o644))
	return dir
}

func TestSignDevAndVerify(t *testing.T) {
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	out := filepath.Join(t.TempDir(), "card.pkpass")
	code, stdout, stderr := runCLI(t, "sign", "--dev", "-o", out, folder)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "Wallet will not accept")
	ca := strings.TrimSuffix(out, ".pkpass") + "-ca.pem"
	require.FileExists(t, ca)

	code, stdout, stderr = runCLI(t, "verify", "--roots", ca, out)
	require.Equal(t, exitOK, code, stdout+stderr)
	assert.Contains(t, stdout, ": OK")

	// Against Apple Root CA (the default) a development pass fails.
	code, stdout, _ = runCLI(t, "verify", out)
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stdout, "untrusted certificate chain")
	assert.Equal(t, 1, strings.Count(stdout, "\n"), "one line per problem")

	code, stdout, _ = runCLI(t, "verify", "--json", "--at", "signing", out)
	assert.Equal(t, exitProblems, code)
	var rep verifyReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.False(t, rep.OK)
	require.Len(t, rep.Problems, 1)
	assert.Equal(t, "chain", rep.Problems[0].Kind)
	assert.Equal(t, cliPassTypeID, rep.PassTypeIdentifier)

	code, stdout, _ = runCLI(t, "inspect", out)
	require.Equal(t, exitOK, code)
	for _, want := range []string{"Style:        storeCard", "Pass type:    " + cliPassTypeID, "Team:         " + cliTeamID,
		"storeCard.primaryFields balance = Balance: 12 stamps", "fr.lproj/pass.strings", "manifest.json", "Signing time:", "Signer UID:   " + cliPassTypeID, "Problems:"} {
		assert.Contains(t, stdout, want)
	}
	assert.NotContains(t, stdout, ".DS_Store")

	// Checked ten years from now, the development certificate has expired;
	// at its signing time it was valid.
	code, stdout, _ = runCLI(t, "verify", "--roots", ca, "--at", time.Now().AddDate(10, 0, 0).UTC().Format(time.RFC3339), out)
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stdout, "certificate expired")
	code, stdout, _ = runCLI(t, "verify", "--roots", ca, "--at", "signing", out)
	assert.Equal(t, exitOK, code, stdout)

	code, stdout, _ = runCLI(t, "inspect", "--roots", ca, out)
	require.Equal(t, exitOK, code)
	assert.Contains(t, stdout, "Verified:     OK")

	// --json reports of sign and inspect, for programs.
	again := filepath.Join(t.TempDir(), "again.pkpass")
	code, stdout, stderr = runCLI(t, "sign", "--dev", "--json", "-o", again, folder)
	require.Equal(t, exitOK, code, stderr)
	var written writtenReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &written))
	fi, err := os.Stat(again)
	require.NoError(t, err)
	assert.Equal(t, writtenReport{File: again, SerialNumber: "CLI-1", PassTypeIdentifier: cliPassTypeID, TeamIdentifier: cliTeamID,
		Signer: "Pass Type ID: " + cliPassTypeID, Bytes: fi.Size(), DevelopmentCA: strings.TrimSuffix(again, ".pkpass") + "-ca.pem"}, written)

	code, stdout, _ = runCLI(t, "inspect", "--json", out)
	require.Equal(t, exitOK, code)
	var ins inspectReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &ins))
	assert.Equal(t, "storeCard", ins.Style)
	assert.False(t, ins.Verified)
	require.Len(t, ins.Problems, 1)
	assert.Equal(t, "chain", ins.Problems[0].Kind)
	require.NotNil(t, ins.Signer)
	assert.Equal(t, cliPassTypeID, ins.Signer.UID)
	assert.Equal(t, cliTeamID, ins.Signer.OrganizationalUnit)
	require.NotEmpty(t, ins.Fields)
	assert.Equal(t, inspectField{Style: "storeCard", Group: "primaryFields", Key: "balance", Label: "Balance", Value: pass.String("12 stamps")}, ins.Fields[0])
}

func TestSignWithP12AndPEM(t *testing.T) {
	pki := cliPKIOnce()
	dir := t.TempDir()
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	p12, err := pkcs12.Modern.Encode(pki.leafKey, pki.leaf, []*x509.Certificate{pki.inter}, "p12-secret")
	require.NoError(t, err)
	keyDER, err := x509.MarshalPKCS8PrivateKey(pki.leafKey)
	require.NoError(t, err)
	files := map[string][]byte{
		"id.p12": p12, "cert.pem": pemCerts(pki.leaf), "key.pem": pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}),
		"wwdr.pem": pemCerts(pki.inter), "root.pem": pemCerts(pki.root),
	}
	for n, b := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, n), b, 0o600))
	}
	p := func(n string) string { return filepath.Join(dir, n) }

	t.Setenv(envP12Password, "p12-secret")
	out := p("p12.pkpass")
	code, _, stderr := runCLI(t, "sign", "--p12", p("id.p12"), "-o", out, folder)
	require.Equal(t, exitOK, code, stderr)
	code, stdout, _ := runCLI(t, "verify", "--roots", p("root.pem"), out)
	require.Equal(t, exitOK, code, stdout)

	out = p("pem.pkpass")
	code, _, stderr = runCLI(t, "sign", "--cert", p("cert.pem"), "--key", p("key.pem"), "--wwdr", p("wwdr.pem"), "--sha1", "-o", out, folder)
	require.Equal(t, exitOK, code, stderr)
	code, stdout, _ = runCLI(t, "verify", "--json", "--roots", p("root.pem"), out)
	require.Equal(t, exitOK, code, stdout)
	assert.Contains(t, stdout, `"digest": "SHA-1"`)

	// Without --wwdr no intermediate is included (the embedded Apple WWDR G4
	// did not issue the test certificate): the chain to the test root breaks.
	out = p("nowwdr.pkpass")
	code, _, stderr = runCLI(t, "sign", "--cert", p("cert.pem"), "--key", p("key.pem"), "-o", out, folder)
	require.Equal(t, exitOK, code, stderr)
	code, _, _ = runCLI(t, "verify", "--roots", p("root.pem"), out)
	assert.Equal(t, exitProblems, code)

	t.Run("wrong password writes nothing and leaks nothing", func(t *testing.T) {
		t.Setenv(envP12Password, "wrong-guess")
		out := p("wrong.pkpass")
		code, stdout, stderr := runCLI(t, "sign", "--p12", p("id.p12"), "-o", out, folder)
		assert.Equal(t, exitProblems, code)
		assert.Contains(t, stderr, "wrong password")
		assert.NotContains(t, stdout+stderr, "wrong-guess")
		assert.NoFileExists(t, out)
	})
	t.Run("identifier mismatch writes nothing", func(t *testing.T) {
		other := passFolder(t, "pass.com.example.other", cliTeamID)
		out := p("mismatch.pkpass")
		code, _, stderr := runCLI(t, "sign", "--p12", p("id.p12"), "-o", out, other)
		assert.Equal(t, exitProblems, code)
		assert.Contains(t, stderr, "do not match the certificate")
		assert.NoFileExists(t, out)
		entries, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, e := range entries {
			assert.False(t, strings.Contains(e.Name(), ".tmp-"), "temporary file %s left behind", e.Name())
		}
	})
}

func TestSignRefusesInvalidPass(t *testing.T) {
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	require.NoError(t, os.Remove(filepath.Join(folder, "icon.png")))
	out := filepath.Join(t.TempDir(), "x.pkpass")
	code, _, stderr := runCLI(t, "sign", "--dev", "-o", out, folder)
	assert.Equal(t, exitProblems, code)
	assert.Contains(t, stderr, "icon")
	assert.NoFileExists(t, out)

	code, _, stderr = runCLI(t, "sign", "--dev", "--allow-invalid", "-o", out, folder)
	assert.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, out)
}

func TestSignVerifyInspectUsage(t *testing.T) {
	folder := passFolder(t, cliPassTypeID, cliTeamID)
	for _, tc := range []struct {
		name string
		args []string
		want int
	}{
		{"sign help", []string{"sign", "-h"}, exitOK},
		{"verify help", []string{"verify", "-h"}, exitOK},
		{"inspect help", []string{"inspect", "-h"}, exitOK},
		{"sign without -o", []string{"sign", "--dev", folder}, exitUsage},
		{"sign without identity", []string{"sign", "-o", "x.pkpass", folder}, exitUsage},
		{"sign with two identities", []string{"sign", "--dev", "--p12", "a.p12", "-o", "x.pkpass", folder}, exitUsage},
		{"sign --cert without --key", []string{"sign", "--cert", "c.pem", "-o", "x.pkpass", folder}, exitUsage},
		{"sign unknown flag", []string{"sign", "--nope"}, exitUsage},
		{"sign missing folder", []string{"sign", "--dev", "-o", "x.pkpass", filepath.Join(folder, "nope")}, exitProblems},
		{"verify no file", []string{"verify"}, exitUsage},
		{"verify bad --at", []string{"verify", "--at", "yesterday", "x.pkpass"}, exitUsage},
		{"verify missing file", []string{"verify", filepath.Join(folder, "missing.pkpass")}, exitProblems},
		{"verify not a pkpass", []string{"verify", filepath.Join(folder, "pass.json")}, exitProblems},
		{"inspect two files", []string{"inspect", "a", "b"}, exitUsage},
		{"inspect not a pkpass", []string{"inspect", filepath.Join(folder, "pass.json")}, exitProblems},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			assert.Equal(t, tc.want, code, stdout+stderr)
			if tc.want == exitOK {
				assert.Contains(t, stdout+stderr, "Example:")
			}
		})
	}
}
