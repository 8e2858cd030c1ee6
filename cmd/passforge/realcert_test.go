package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestREADMERealCertificatePath walks the README's section "A real Pass Type ID certificate" as a new user: a key
// and request made with the openssl command of step 2, a certificate issued for it as a DER .cer (here by a test
// CA standing for Apple WWDR, hence --wwdr and --roots), a template made with the identifiers of step 1, then
// every way of step 4 to build a signed pass: the .cer as downloaded, the PEM conversion, and .p12 files from `openssl pkcs12
// -export` with and without -legacy (what Keychain Access exports), each verified.
func TestREADMERealCertificatePath(t *testing.T) {
	openssl, err := exec.LookPath("openssl")
	require.NoError(t, err, "the README's path uses the openssl command")
	dir := t.TempDir()
	p := func(n string) string { return filepath.Join(dir, n) }
	run := func(args ...string) {
		t.Helper()
		cmd := exec.Command(openssl, args...)
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "openssl %s: %s", strings.Join(args, " "), out)
	}
	const passTypeID, teamID = "pass.com.yourcompany.yourpass", "ABCDE12345"

	// The stand-ins for Apple: a root and a WWDR intermediate.
	require.NoError(t, os.WriteFile(p("ca.ext"), []byte("basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"), 0o600))
	run("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "30", "-subj", "/CN=Test Apple Root")
	run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "wwdr.key", "-out", "wwdr.csr", "-subj", "/CN=Test WWDR/OU=G4")
	run("x509", "-req", "-in", "wwdr.csr", "-CA", "root.pem", "-CAkey", "root.key", "-set_serial", "2", "-days", "30", "-extfile", "ca.ext", "-out", "wwdr.pem")

	// Step 2, as written.
	run("req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "pass.key", "-out", "pass.csr", "-subj", "/CN=Pass Type ID")
	// Step 3: the portal issues the certificate with its own subject and serves it as DER.
	run("x509", "-req", "-in", "pass.csr", "-CA", "wwdr.pem", "-CAkey", "wwdr.key", "-set_serial", "3", "-days", "365",
		"-subj", "/UID="+passTypeID+"/CN=Pass Type ID: "+passTypeID+"/OU="+teamID+"/O=Your Company/C=US", "-outform", "DER", "-out", "pass.cer")
	// Step 1's template.
	card := p("card.pass")
	code, _, stderr := runCLI(t, "new", "--pass-type-id", passTypeID, "--team-id", teamID, card)
	require.Equal(t, exitOK, code, stderr)

	// Step 4.
	run("x509", "-inform", "DER", "-in", "pass.cer", "-out", "pass.pem")
	run("pkcs12", "-export", "-inkey", "pass.key", "-in", "pass.pem", "-out", "modern.p12", "-passout", "pass:s3cret")
	run("pkcs12", "-export", "-legacy", "-inkey", "pass.key", "-in", "pass.pem", "-out", "legacy.p12", "-passout", "pass:s3cret")
	t.Setenv(envP12Password, "s3cret")
	for _, tc := range []struct {
		name     string
		identity []string
	}{
		{"DER .cer as downloaded", []string{"--cert", p("pass.cer"), "--key", p("pass.key")}},
		{"PEM", []string{"--cert", p("pass.pem"), "--key", p("pass.key")}},
		{"modern .p12", []string{"--p12", p("modern.p12")}},
		{"legacy .p12", []string{"--p12", p("legacy.p12")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := p(strings.ReplaceAll(tc.name, " ", "-") + ".pkpass")
			// As step 4 says: build fills the template's {{name}} placeholder and signs (sign refuses a
			// folder that still holds one).
			args := append(append([]string{"build", "--template", card}, tc.identity...), "--wwdr", p("wwdr.pem"),
				"--set", "serialNumber=0001", "--set", "name=Jane Appleseed", "-o", out)
			code, stdout, stderr := runCLI(t, args...)
			require.Equal(t, exitOK, code, stdout+stderr)
			code, stdout, _ = runCLI(t, "verify", "--roots", p("root.pem"), out)
			assert.Equal(t, exitOK, code, stdout)
			assert.Contains(t, stdout, "OK ("+passTypeID)
		})
	}
	t.Run("a .cer given as .p12", func(t *testing.T) {
		code, _, stderr := runCLI(t, "sign", "--p12", p("pass.cer"), "-o", p("x.pkpass"), card)
		assert.Equal(t, exitProblems, code)
		assert.Equal(t, "passforge sign: --p12 "+p("pass.cer")+": sign: not a PKCS#12 file; export the certificate with its key from Keychain Access (this file is a certificate without its private key)\n", stderr)
	})
}
